import { execFileSync } from 'child_process';
import { createServer, type Server } from 'net';

import type { SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { SANDBOX_UID } from '../../nodes/CodeInterpreter/backends/docker/isolation';
import type { Language } from '../../nodes/CodeInterpreter/model/languages';
import type { Execution } from '../../nodes/CodeInterpreter/model/execution';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { runOne } from '../helpers/runOne';

/**
 * Hostile code against real sandboxes. Every case runs in a fresh sandbox next to a neighbour, and proves that the
 * neighbour and the host are untouched and that the attacked sandbox either survives or fails with a clear error.
 */
const backend = new DockerBackend(parseDockerSettings({ memoryMb: 512, diskMb: 64, pidsLimit: 128 }));
const report: Array<{ case: string; outcome: string; seconds: string }> = [];
let neighbour: SandboxInfo;
let hostServer: Server;
let hostPort: number;

const python = (sandbox: SandboxInfo, code: string, timeoutMs = 20_000) =>
	runOne(backend, sandbox.sandboxId, code, { language: 'python', timeoutMs });

/** The sandbox's container (its name also holds its scope). */
function containerOf(sandbox: SandboxInfo): string {
	return execFileSync('docker', ['ps', '-q', '--filter', `label=io.n8n.code-interpreter.sandbox-id=${sandbox.sandboxId}`], { encoding: 'utf8' }).trim();
}

/** The sandbox's address on Docker's bridge, as another sandbox would see it. */
function sandboxAddress(sandbox: SandboxInfo): string {
	return execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', containerOf(sandbox)], {
		encoding: 'utf8',
	}).trim();
}

function gatewayAddress(sandbox: SandboxInfo): string {
	return execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}', containerOf(sandbox)], {
		encoding: 'utf8',
	}).trim();
}

function outcome(execution: Execution): string {
	if (execution.error) return `${execution.error.name}: ${execution.error.value}`.slice(0, 90);
	return (execution.logs.stdout.join('') + (executionText(execution) ?? '')).trim().slice(0, 90);
}

async function attack(
	name: string,
	code: string,
	check: (execution: Execution) => void,
	timeoutMs = 20_000,
	internetAccess = false,
	afterwards?: (target: SandboxInfo) => Promise<void>,
) {
	const target = await backend.create({ timeoutSeconds: 300, internetAccess });
	try {
		const started = Date.now();
		const execution = await python(target, code, timeoutMs);
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		report.push({ case: name, outcome: outcome(execution), seconds });
		check(execution);
		await afterwards?.(target);
		// The neighbour still answers, promptly and correctly.
		const probeStarted = Date.now();
		expect(executionText(await python(neighbour, 'sum(range(10))'))).toBe('45');
		expect(Date.now() - probeStarted).toBeLessThan(5_000);
		// The host still runs processes and answers on its own port.
		expect(execFileSync('sh', ['-c', 'echo host-ok'], { encoding: 'utf8' })).toBe('host-ok\n');
	} finally {
		await backend.kill(target.sandboxId);
	}
}

beforeAll(async () => {
	neighbour = await backend.create({ timeoutSeconds: 600 });
	hostServer = createServer((socket) => socket.end('host service\n'));
	await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
	hostPort = (hostServer.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
	hostServer?.close();
	if (neighbour) await backend.kill(neighbour.sandboxId);
	console.log(
		['| case | what happened | seconds |', '|---|---|---|', ...report.map((r) => `| ${r.case} | ${r.outcome} | ${r.seconds} |`)].join('\n'),
	);
});

test('fork bomb: stopped by the process limit', async () => {
	await attack(
		'fork bomb',
		'import os\nchildren = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time; time.sleep(60); os._exit(0)\n        children += 1\nexcept OSError as e:\n    print("fork failed after", children, "children:", e.strerror)',
		(execution) => {
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toMatch(/fork failed after \d+ children: Resource temporarily unavailable/);
		},
	);
});

test('memory bomb: the kernel is killed, the run says so, and the next run works', async () => {
	await attack(
		'memory bomb',
		'hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))',
		(execution) => {
			expect(['KernelDied', 'MemoryError']).toContain(execution.error?.name);
			if (execution.error?.name === 'KernelDied') expect(execution.error.value).toMatch(/\(SIGKILL\), which in a sandbox means it ran out of memory/);
		},
		20_000,
		false,
		async (target) => expect(executionText(await python(target, '6 * 7'))).toBe('42'),
	);
});

test('disk filling: the home folder is full, nothing else is', async () => {
	await attack(
		'disk filling',
		'chunk = b"x" * 2**20\ntry:\n    with open("/home/user/fill", "wb") as f:\n        while True:\n            f.write(chunk)\nexcept OSError as e:\n    print(e.strerror)',
		(execution) => expect(execution.logs.stdout.join('')).toBe('No space left on device\n'),
	);
});

test('network egress with network off: no connection goes out', async () => {
	await attack(
		'egress, network off',
		'import socket\nfor host, port in [("1.1.1.1", 80), ("8.8.8.8", 53)]:\n    try:\n        socket.create_connection((host, port), timeout=3)\n        print(host, "reached")\n    except OSError as e:\n        print(host, "blocked")',
		(execution) => expect(execution.logs.stdout.join('')).toBe('1.1.1.1 blocked\n8.8.8.8 blocked\n'),
	);
});

test('the host\'s own services: unreachable with network off and with internet access on', async () => {
	for (const internetAccess of [false, true]) {
		const probe = await backend.create({ timeoutSeconds: 120 });
		const gateway = gatewayAddress(probe);
		await backend.kill(probe.sandboxId);
		await attack(
			`host service, internet ${internetAccess ? 'on' : 'off'}`,
			`import socket\ntry:\n    socket.create_connection(("${gateway}", ${hostPort}), timeout=3).recv(100)\n    print("reached")\nexcept OSError:\n    print("blocked")`,
			(execution) => expect(execution.logs.stdout.join('')).toBe('blocked\n'),
			20_000,
			internetAccess,
		);
	}
});

test('another sandbox\'s Jupyter: unreachable', async () => {
	const address = sandboxAddress(neighbour);
	await attack(
		'neighbour\'s Jupyter',
		`import socket\ntry:\n    socket.create_connection(("${address}", 8888), timeout=3)\n    print("reached")\nexcept OSError:\n    print("blocked")`,
		(execution) => expect(execution.logs.stdout.join('')).toBe('blocked\n'),
	);
});

test('writing outside /home/user and /tmp: refused, on a read-only root filesystem', async () => {
	await attack(
		'write outside home',
		'import os\nfor path in ["/etc/passwd", "/usr/local/bin/x", "/opt/sandbox/bin/sandbox-init", "/run/sandbox/deadline", "/home/user/ok"]:\n    try:\n        open(path, "a").close()\n        print(path, "written")\n    except OSError as e:\n        print(path, e.strerror)',
		(execution) =>
			expect(execution.logs.stdout.join('').split('\n')).toEqual([
				expect.stringMatching(/^\/etc\/passwd (Read-only file system|Permission denied)$/),
				'/usr/local/bin/x Read-only file system',
				expect.stringMatching(/^\/opt\/sandbox\/bin\/sandbox-init (Read-only file system|Permission denied)$/),
				'/run/sandbox/deadline Permission denied',
				'/home/user/ok written',
				'',
			]),
	);
});

test('the Docker socket and host files: not there', async () => {
	await attack(
		'docker socket, host files',
		'import os\nprint(os.path.exists("/var/run/docker.sock"), os.path.exists("/run/docker.sock"))\ntry:\n    open("/etc/shadow").read()\nexcept OSError as e:\n    print(e.strerror)\nprint(os.getuid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])',
		(execution) => expect(execution.logs.stdout.join('')).toBe(`False False\nPermission denied\n${SANDBOX_UID} 0000000000000000\n`),
	);
});

test('kill -9 1: not allowed, the sandbox survives', async () => {
	await attack(
		'kill -9 1',
		'import os, signal\ntry:\n    os.kill(1, signal.SIGKILL)\nexcept OSError as e:\n    print(e.strerror)\nprint("still here")',
		(execution) => expect(execution.logs.stdout.join('')).toBe('Operation not permitted\nstill here\n'),
	);
});

test('sleep forever: interrupted at the timeout', async () => {
	await attack('sleep forever', 'import time\ntime.sleep(10**6)', (execution) => expect(execution.error?.name).toBe('TimeoutError'), 2_000);
});

test('no host account owns a sandbox: its uid is in no host passwd, and uid 1000 cannot read its token or files', async () => {
	const target = await backend.create({ timeoutSeconds: 120 });
	try {
		expect(() => execFileSync('getent', ['passwd', String(SANDBOX_UID)])).toThrow();
		const processes = execFileSync('docker', ['top', containerOf(target), '-eo', 'pid,uid,args'], { encoding: 'utf8' }).trim().split('\n').slice(1);
		const server = processes.map((line) => line.trim().split(/\s+/)).find((fields) => fields.slice(2).join(' ').includes('jupyter-server'));
		expect(server?.[1]).toBe(String(SANDBOX_UID));
		const asFirstAccount = (path: string) =>
			execFileSync('setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', 'sh', '-c', `cat ${path} >/dev/null 2>&1 && echo read || echo refused`], { encoding: 'utf8' }).trim();
		expect(asFirstAccount(`/proc/${server?.[0]}/environ`)).toBe('refused');
		expect(asFirstAccount(`/proc/${server?.[0]}/root/etc/hostname`)).toBe('refused');
		// The same reads as root work: the checks above can fail.
		expect(execFileSync('cat', [`/proc/${server?.[0]}/environ`], { encoding: 'utf8' })).toMatch(/JUPYTER_TOKEN=/);
	} finally {
		await backend.kill(target.sandboxId);
	}
});

test('least privilege in every language: an empty bounding set, no firewall settings in the environment', async () => {
	const target = await backend.create({ timeoutSeconds: 120 });
	const probes: Record<Exclude<Language, 'java' | 'typescript'>, string> = {
		python: 'import os\nprint(open("/proc/self/status").read().split("CapBnd:")[1].split()[0], sorted(k for k in os.environ if k.startswith("SANDBOX_")))',
		bash: 'echo "$(grep CapBnd /proc/self/status | cut -f2) [$(env | grep -c ^SANDBOX_)]"',
		r: 'cat(sub("CapBnd:[[:space:]]*", "", grep("CapBnd", readLines("/proc/self/status"), value = TRUE)), paste0("[", sum(startsWith(names(Sys.getenv()), "SANDBOX_")), "]\\n"))',
		javascript: 'const s = Deno.readTextFileSync("/proc/self/status").match(/CapBnd:\\s*(\\w+)/)[1]; console.log(s, `[${Object.keys(Deno.env.toObject()).filter((k) => k.startsWith("SANDBOX_")).length}]`)',
	};
	try {
		for (const [language, code] of Object.entries(probes)) {
			const execution = await runOne(backend, target.sandboxId, code, { language: language as Language, timeoutMs: 60_000 });
			expect([language, execution.error, execution.logs.stdout.join('').trim()]).toEqual([
				language,
				null,
				language === 'python' ? '0000000000000000 []' : '0000000000000000 [0]',
			]);
		}
	} finally {
		await backend.kill(target.sandboxId);
	}
});

test('seccomp: io_uring, new namespaces, the keyring and ptrace are refused; threads and processes still work', async () => {
	await attack(
		'io_uring, unshare, keyctl, ptrace',
		[
			'import ctypes, os, threading, subprocess',
			'libc = ctypes.CDLL(None, use_errno=True)',
			'def errno_of(result): return os.strerror(ctypes.get_errno()) if result == -1 else "allowed"',
			'params = ctypes.create_string_buffer(120)',
			'print("io_uring_setup", errno_of(libc.syscall(425, 8, params)))',
			'print("unshare(user)", errno_of(libc.unshare(0x10000000)))',
			'print("unshare(net)", errno_of(libc.unshare(0x40000000)))',
			'print("keyctl", errno_of(libc.syscall(250, 0, -3, 0)))',
			'print("ptrace", errno_of(libc.ptrace(16, 1, 0, 0)))',
			't = threading.Thread(target=lambda: None); t.start(); t.join()',
			'print(subprocess.run(["echo", "child ok"], capture_output=True, text=True).stdout.strip())',
		].join('\n'),
		(execution) =>
			expect(execution.logs.stdout.join('')).toBe(
				'io_uring_setup Operation not permitted\nunshare(user) Operation not permitted\nunshare(net) Operation not permitted\nkeyctl Operation not permitted\nptrace Operation not permitted\nchild ok\n',
			),
	);
});

describe('Reach Sandboxes By: Container Address', () => {
	const network = `n8n-ci-test-${process.pid}`;
	let onNetwork: DockerBackend;

	beforeAll(() => {
		execFileSync('docker', ['network', 'create', network]);
		onNetwork = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0 }));
	});

	afterAll(() => {
		execFileSync('docker', ['network', 'rm', network]);
	});

	test('internet off: no DNS at all (neither the neighbours\' names nor any other), no neighbour reached', async () => {
		const [target, other] = await Promise.all([onNetwork.create({ timeoutSeconds: 120 }), onNetwork.create({ timeoutSeconds: 120 })]);
		try {
			const otherAddress = execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, containerOf(other)], {
				encoding: 'utf8',
			}).trim();
			const code = [
				'import socket, time',
				`for name in ["${other.sandboxId}", "example.com", "localhost"]:`,
				'    started = time.time()',
				'    try:',
				'        socket.getaddrinfo(name, 80)',
				'        print(name, "resolved")',
				'    except OSError:',
				'        print(name, "not resolved", "quickly" if time.time() - started < 3 else "slowly")',
				'try:',
				`    socket.create_connection(("${otherAddress}", 8888), timeout=3)`,
				'    print("neighbour reached")',
				'except OSError:',
				'    print("neighbour blocked")',
			].join('\n');
			const execution = await runOne(onNetwork, target.sandboxId, code, { language: 'python', timeoutMs: 60_000 });
			expect(execution.logs.stdout.join('')).toBe(
				`${other.sandboxId} not resolved quickly\nexample.com not resolved quickly\nlocalhost resolved\nneighbour blocked\n`,
			);
		} finally {
			await Promise.all([onNetwork.kill(target.sandboxId), onNetwork.kill(other.sandboxId)]);
		}
	});

	test('a network that shares the host\'s namespace is refused, by name or by ID, with what to use instead', async () => {
		const hostNetworkId = execFileSync('docker', ['network', 'inspect', '-f', '{{.Id}}', 'host'], { encoding: 'utf8' }).trim();
		expect(() => parseDockerSettings({ jupyterAccess: 'containerAddress', network: 'host' })).toThrow('is not a network of its own');
		const byId = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network: hostNetworkId, poolSize: 0 }));
		await expect(byId.create({ timeoutSeconds: 60 })).rejects.toMatchObject({
			message: `The Docker credential's Network "${hostNetworkId}" is not a network of its own`,
			description: expect.stringMatching(/docker network create/),
		});
	});
});

test('the backend\'s own commands in a sandbox (file operations) show the code no firewall settings and no bounding set', async () => {
	const target = await backend.create({ timeoutSeconds: 120 });
	try {
		const watch = [
			'import os, threading, time',
			'seen = set()',
			'def watch():',
			'    end = time.time() + 6',
			'    while time.time() < end:',
			'        for pid in os.listdir("/proc"):',
			'            if not pid.isdigit() or int(pid) == os.getpid(): continue',
			'            try:',
			'                environ = open(f"/proc/{pid}/environ", "rb").read()',
			'                bounding = open(f"/proc/{pid}/status").read().split("CapBnd:")[1].split()[0]',
			'                cmdline = open(f"/proc/{pid}/cmdline", "rb").read()',
			'            except OSError:',
			'                continue',
			'            if b"find" in cmdline or b"head" in cmdline or b"sh" in cmdline:',
			'                seen.add((b"SANDBOX_" in environ, bounding))',
			'threading.Thread(target=watch).start()',
		].join('\n');
		await python(target, watch);
		for (let round = 0; round < 30; round++) await backend.listFiles(target.sandboxId, '.', { depth: 1 });
		await new Promise((resolve) => setTimeout(resolve, 6_000));
		const seen = await python(target, 'sorted(seen)');
		// The watcher saw the backend's commands (the check can fail), and none had either.
		expect(executionText(seen)).toBe("[(False, '0000000000000000')]");
	} finally {
		await backend.kill(target.sandboxId);
	}
});
