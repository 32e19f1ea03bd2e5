import Docker from 'dockerode';
import { execFileSync } from 'child_process';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { parseAllowedHost } from '../../nodes/CodeInterpreter/model/allowedHosts';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';
import { runOne } from '../helpers/runOne';

/**
 * Packages at create and pip at run time, with no public index: a package index of the test's own, on a Docker
 * network the test creates. Its server (a container of the sandbox image) builds a wheel, n8n-test-pkg 1.0, and serves
 * it as a PEP 503 simple index (a folder listing per project, which pip reads).
 */
const network = `n8n-ci-index-${process.pid}`;
const server = `${network}-server`;
const docker = new Docker();
let indexUrl: string;
let backend: DockerBackend;

const BUILD_AND_SERVE = String.raw`
import base64, hashlib, http.server, os, zipfile
files = {
    "n8n_test_pkg.py": b"GREETING = 'hello from the test index'\n",
    "n8n_test_pkg-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: n8n-test-pkg\nVersion: 1.0\n",
    "n8n_test_pkg-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: n8n-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = "".join(f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n" for name, data in files.items())
files["n8n_test_pkg-1.0.dist-info/RECORD"] = (record + "n8n_test_pkg-1.0.dist-info/RECORD,,\n").encode()
os.makedirs("/tmp/index/simple/n8n-test-pkg", exist_ok=True)
with zipfile.ZipFile("/tmp/index/simple/n8n-test-pkg/n8n_test_pkg-1.0-py3-none-any.whl", "w") as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
os.chdir("/tmp/index")
http.server.ThreadingHTTPServer(("", 8000), http.server.SimpleHTTPRequestHandler).serve_forever()
`;

beforeAll(async () => {
	execFileSync('docker', ['network', 'create', network]);
	execFileSync('docker', ['run', '-d', '--name', server, '--network', network, '--entrypoint', 'python3', DEFAULT_IMAGE, '-c', BUILD_AND_SERVE]);
	const address = execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, server], { encoding: 'utf8' }).trim();
	indexUrl = `http://${address}:8000/simple`;
	backend = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0, packageIndexUrl: indexUrl }));
	// The server is up once it lists the wheel.
	for (let tries = 0; ; tries++) {
		const listing = execFileSync('docker', ['exec', server, 'python3', '-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/simple/n8n-test-pkg/").read().decode())'], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).toString();
		if (listing.includes('.whl')) break;
		if (tries > 50) throw new Error('the test index did not start');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}, 120_000);

afterAll(() => {
	execFileSync('docker', ['rm', '-f', server]);
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
