import Docker from 'dockerode';
import { execFileSync } from 'child_process';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { parseAllowedHost } from '../../nodes/CodeInterpreter/model/allowedHosts';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { startPackageIndex, type TestPackageIndex } from '../helpers/packageIndex';
import { runOne } from '../helpers/runOne';

/**
 * Packages at create and pip at run time, with no public index: a package index of the test's own
 * (test/helpers/packageIndex.ts) on a Docker network the test creates.
 */
const network = `n8n-ci-index-${process.pid}`;
const docker = new Docker();
let index: TestPackageIndex | undefined;
let indexUrl: string;
let backend: DockerBackend;

beforeAll(async () => {
	execFileSync('docker', ['network', 'create', network]);
	index = await startPackageIndex(network);
	indexUrl = index.pythonIndexUrl;
	backend = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0, packageIndexUrl: indexUrl }));
}, 120_000);

afterAll(() => {
	index?.stop();
	execFileSync('docker', ['network', 'rm', network]);
});

const run = async (sandboxId: string, code: string) => await runOne(backend, sandboxId, code, { language: 'python', timeoutMs: 90_000 });
const reachesIndex = `import urllib.request\ntry:\n    urllib.request.urlopen("${'INDEX'}/n8n-test-pkg/", timeout=3)\n    print("index reached")\nexcept Exception:\n    print("index blocked")`;

test('Packages: installed from the credential\'s index before Create returns, imported in the first run; the index is closed again', async () => {
	const sandbox = await backend.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'] });
	try {
		const imported = await run(sandbox.sandboxId, 'import n8n_test_pkg\nn8n_test_pkg.GREETING');
		expect({ error: imported.error, text: executionText(imported) }).toEqual({ error: null, text: 'hello from the test index' });
		const afterwards = await run(sandbox.sandboxId, reachesIndex.replace('INDEX', indexUrl));
		expect(afterwards.logs.stdout.join('')).toBe('index blocked\n');
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
});

test('the sandbox\'s own Environment Variables do not reach pip (PIP_NO_INDEX, PIP_REQUIREMENT, PYTHONPATH would change the install)', async () => {
	const envs = { PIP_NO_INDEX: '1', PIP_REQUIREMENT: '/proc/self/environ', PYTHONPATH: '/tmp', PIP_ONLY_BINARY: ':none:' };
	const sandbox = await backend.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'], envs });
	try {
		const imported = await run(sandbox.sandboxId, 'import os, n8n_test_pkg\nprint(n8n_test_pkg.GREETING, os.environ["PIP_NO_INDEX"])');
		expect(imported.logs.stdout.join('')).toBe('hello from the test index 1\n');
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
});

test('while the index is open for the install, the sandbox takes no code: its Jupyter port refuses connections', async () => {
	const sandbox = await backend.create({ timeoutSeconds: 120 });
	const container = docker.getContainer((await docker.listContainers({ filters: { label: [`io.n8n.code-interpreter.sandbox-id=${sandbox.sandboxId}`] } }))[0].Id);
	const firewall = async (...args: string[]) => {
		const exec = await container.exec({ Cmd: ['/opt/sandbox/bin/sandbox-firewall', ...args], User: 'root' });
		await exec.start({});
		for (let tries = 0; (await exec.inspect()).Running && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
		expect((await exec.inspect()).ExitCode).toBe(0);
	};
	try {
		expect((await run(sandbox.sandboxId, 'print("before")')).logs.stdout.join('')).toBe('before\n');
		await firewall('install-open', '8000', new URL(indexUrl).hostname);
		const during = await backend.runCodeMany(sandbox.sandboxId, [{ code: 'print("during")', options: { language: 'python', timeoutMs: 10_000 } }], false).catch((error: Error) => [{ error }]);
		expect(during[0]).toHaveProperty('error');
		await firewall('install-close', new URL(indexUrl).hostname);
		expect((await run(sandbox.sandboxId, 'print("after")')).logs.stdout.join('')).toBe('after\n');
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
});

test('a sandbox is out of every operation\'s reach while it installs: Get Many does not list it, nothing finds it by ID', async () => {
	const before = new Set((await backend.list()).map((sandbox) => sandbox.sandboxId));
	const seen: string[] = [];
	let done = false;
	const creating = backend.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'] }).finally(() => (done = true));
	const containers = new Set<string>();
	while (!done) {
		for (const sandbox of await backend.list()) if (!before.has(sandbox.sandboxId)) seen.push(sandbox.sandboxId);
		const labelled = await docker.listContainers({ filters: { label: ['io.n8n.code-interpreter.sandbox-id'] } });
		for (const container of labelled) if (container.Names.some((name) => name.startsWith('/installing-'))) containers.add(container.Id);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const sandbox = await creating;
	try {
		expect(seen).toEqual([]);
		// It was there all along, under a name no operation looks for.
		expect(containers.size).toBe(1);
		expect((await backend.list()).map((listed) => listed.sandboxId)).toContain(sandbox.sandboxId);
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
});

test('pip reads none of the sandbox user\'s configuration (a pip.conf in its home saying no-index)', async () => {
	const image = `n8n-ci-pipconf-${process.pid}`;
	execFileSync('docker', ['build', '-q', '-t', image, '-'], {
		input: `FROM ${DEFAULT_IMAGE}\nRUN mkdir -p /opt/sandbox/home/.config/pip && printf '[global]\\nno-index = true\\n' > /opt/sandbox/home/.config/pip/pip.conf && chown -R user:user /opt/sandbox/home/.config\n`,
	});
	const withConfig = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0, packageIndexUrl: indexUrl, image }));
	try {
		const sandbox = await withConfig.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'] });
		try {
			expect((await runOne(withConfig, sandbox.sandboxId, 'import n8n_test_pkg\nprint(open("/home/user/.config/pip/pip.conf").read().strip())', { language: 'python', timeoutMs: 60_000 })).logs.stdout.join('')).toBe(
				'[global]\nno-index = true\n',
			);
		} finally {
			await withConfig.kill(sandbox.sandboxId);
		}
	} finally {
		execFileSync('docker', ['rmi', '-f', image]);
	}
}, 180_000);

test('a package released as source only is refused: its build (code that would keep a connection to the index) never runs, and the error says what to do', async () => {
	await expect(backend.create({ timeoutSeconds: 120, packages: ['n8n-lingering-pkg==1.0'] })).rejects.toMatchObject({
		message: 'Installing the packages failed: Could not find a version that satisfies the requirement n8n-lingering-pkg==1.0 (from versions: none)',
		description: expect.stringMatching(/^Packages installs built wheels only.*npm run image:derive.*Allowed Hosts/),
	});
	expect(index?.requestedPaths()).toContain('/simple/n8n-lingering-pkg/');
	expect(index?.requestedPaths().filter((path) => path.endsWith('.tar.gz'))).toEqual([]);
}, 180_000);

test('code a package runs as Python loads it (a .pth file) first runs with the index closed', async () => {
	const sandbox = await backend.create({ timeoutSeconds: 120, packages: ['n8n-pth-probe==1.0'] });
	try {
		expect((await run(sandbox.sandboxId, 'print(open("/tmp/pth-probe").read())')).logs.stdout.join('')).toBe('index blocked\n');
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
});

test('a failed install fails Create with pip\'s own words, and leaves no sandbox', async () => {
	const before = await docker.listContainers({ all: true, filters: { network: [network] } });
	await expect(backend.create({ timeoutSeconds: 120, packages: ['n8n-no-such-pkg==9.9'] })).rejects.toMatchObject({
		message: 'Installing the packages failed: Could not find a version that satisfies the requirement n8n-no-such-pkg==9.9 (from versions: none)',
		description: expect.stringContaining("pip's last output:"),
	});
	const after = await docker.listContainers({ all: true, filters: { network: [network] } });
	expect(after.map((container) => container.Id).sort()).toEqual(before.map((container) => container.Id).sort());
}, 180_000);

test('pip at run time: the index reached only when its host is allowed', async () => {
	const host = new URL(indexUrl).hostname;
	const pip = `import subprocess, sys\nresult = subprocess.run([sys.executable, "-m", "pip", "install", "--user", "--index-url", "${indexUrl}", "--trusted-host", "${new URL(indexUrl).host}", "--timeout", "3", "--retries", "0", "n8n-test-pkg==1.0"], capture_output=True, text=True)\nprint("installed" if result.returncode == 0 else "failed")`;
	for (const [allowedHosts, expected] of [[[], 'failed\n'], [[parseAllowedHost(host)], 'installed\n']] as const) {
		const sandbox = await backend.create({ timeoutSeconds: 120, allowedHosts: [...allowedHosts] });
		try {
			expect((await run(sandbox.sandboxId, pip)).logs.stdout.join('')).toBe(expected);
		} finally {
			await backend.kill(sandbox.sandboxId);
		}
	}
}, 180_000);
