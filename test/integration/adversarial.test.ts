import { execFileSync } from 'child_process';
import { createServer, type Server } from 'net';

import type { SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/connection';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import type { Execution } from '../../nodes/CodeInterpreter/model/execution';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';

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
	backend.runCode(sandbox.sandboxId, code, { language: 'python', timeoutMs });

/** The sandbox's address on Docker's bridge, as another sandbox would see it. */
function sandboxAddress(sandbox: SandboxInfo): string {
	return execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', sandbox.sandboxId], {
		encoding: 'utf8',
	}).trim();
}

function gatewayAddress(sandbox: SandboxInfo): string {
	return execFileSync('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}', sandbox.sandboxId], {
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
		(execution) => expect(execution.logs.stdout.join('')).toBe('False False\nPermission denied\n1000 0000000000000000\n'),
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
