import Docker from 'dockerode';
import { execFileSync } from 'child_process';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { parseAllowedHost } from '../../nodes/CodeInterpreter/model/allowedHosts';
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
