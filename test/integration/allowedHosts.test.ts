import { execFileSync } from 'child_process';

import type { SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { hostAddresses } from '../../nodes/CodeInterpreter/backends/docker/isolation';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { parseAllowedHost } from '../../nodes/CodeInterpreter/model/allowedHosts';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';
import { runOne } from '../helpers/runOne';

/**
 * Allowed Hosts on real sandboxes: on a Docker network of the test's own, two web servers (containers of the
 * sandbox image running Python's http.server). The sandbox reaches the one it lists and nothing else: not the other
 * server (a neighbour on its network, like another sandbox), not by a range over its own network, not the Docker
 * host; with internet on, a listed private address is reached too.
 */
const network = `n8n-ci-allowed-${process.pid}`;
const servers: string[] = [];
let backend: DockerBackend;
let allowed: string;
let other: string;
let gateway: string;
let subnet: string;

function inspect(container: string, format: string): string {
	return execFileSync('docker', ['inspect', '-f', format, container], { encoding: 'utf8' }).trim();
}

/** A web server on the test's network answering `GET /` with its name; returns its address. */
function startServer(name: string): string {
	const container = `${network}-${name}`;
	const serve = `mkdir -p /tmp/www && echo ${name} > /tmp/www/index.html && cd /tmp/www && exec python3 -m http.server 8000`;
	execFileSync('docker', ['run', '-d', '--name', container, '--network', network, '--entrypoint', 'sh', DEFAULT_IMAGE, '-c', serve]);
	servers.push(container);
	return inspect(container, `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`);
}

beforeAll(() => {
	execFileSync('docker', ['network', 'create', network]);
	subnet = execFileSync('docker', ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', network], { encoding: 'utf8' }).trim();
	gateway = execFileSync('docker', ['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', network], { encoding: 'utf8' }).trim();
	allowed = startServer('allowed');
	other = startServer('other');
	backend = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network, poolSize: 0 }));
}, 120_000);

afterAll(() => {
	if (servers.length) execFileSync('docker', ['rm', '-f', ...servers]);
	execFileSync('docker', ['network', 'rm', network]);
});

/** What the sandbox gets from each address: the page's text, or "blocked". */
async function fetchEach(sandbox: SandboxInfo, targets: Array<[label: string, url: string]>): Promise<Record<string, string>> {
	const code = [
		'import urllib.request, json',
		'seen = {}',
		`for label, url in ${JSON.stringify(targets)}:`,
		'    try:',
		'        seen[label] = urllib.request.urlopen(url, timeout=3).read().decode().strip()',
		'    except Exception:',
		'        seen[label] = "blocked"',
		'print(json.dumps(seen))',
	].join('\n');
	const execution = await runOne(backend, sandbox.sandboxId, code, { language: 'python', timeoutMs: 60_000 });
	return JSON.parse(execution.logs.stdout.join('')) as Record<string, string>;
}

async function withSandbox(options: { allowedHosts: string[]; internetAccess?: boolean }, use: (sandbox: SandboxInfo) => Promise<void>): Promise<void> {
	const sandbox = await backend.create({ timeoutSeconds: 120, internetAccess: options.internetAccess, allowedHosts: options.allowedHosts.map(parseAllowedHost) });
	try {
		await use(sandbox);
	} finally {
		await backend.kill(sandbox.sandboxId);
	}
}

test('internet off: the listed address is reached; the neighbour, the network\'s gateway (the host) and DNS are not', async () => {
	await withSandbox({ allowedHosts: [allowed] }, async (sandbox) => {
		expect(await fetchEach(sandbox, [['allowed', `http://${allowed}:8000/`], ['other', `http://${other}:8000/`], ['gateway', `http://${gateway}:8000/`]])).toEqual({
			allowed: 'allowed',
			other: 'blocked',
			gateway: 'blocked',
		});
	});
});

test('a range over the sandbox\'s own network opens none of its neighbours; one listed by address is reached', async () => {
	await withSandbox({ allowedHosts: [subnet] }, async (sandbox) => {
		expect(await fetchEach(sandbox, [['allowed', `http://${allowed}:8000/`], ['other', `http://${other}:8000/`]])).toEqual({ allowed: 'blocked', other: 'blocked' });
	});
	await withSandbox({ allowedHosts: [subnet, other] }, async (sandbox) => {
		expect(await fetchEach(sandbox, [['allowed', `http://${allowed}:8000/`], ['other', `http://${other}:8000/`]])).toEqual({ allowed: 'blocked', other: 'other' });
	});
});

test('internet on: private addresses stay blocked unless listed', async () => {
	await withSandbox({ allowedHosts: [other], internetAccess: true }, async (sandbox) => {
		expect(await fetchEach(sandbox, [['allowed', `http://${allowed}:8000/`], ['other', `http://${other}:8000/`]])).toEqual({ allowed: 'blocked', other: 'other' });
	});
});

test('what a sandbox may never reach is refused at create, saying why; a name that does not resolve too', async () => {
	const [hostAddress] = hostAddresses();
	for (const entry of ['localhost', '127.0.0.1', '169.254.169.254', '169.254.0.0/16', hostAddress]) {
		await expect(backend.create({ timeoutSeconds: 60, allowedHosts: [parseAllowedHost(entry)] })).rejects.toMatchObject({
			message: expect.stringMatching(/^The allowed host .* is one a sandbox can never reach$/),
		});
	}
	await expect(backend.create({ timeoutSeconds: 60, allowedHosts: [parseAllowedHost('no-such-host.invalid')] })).rejects.toMatchObject({
		message: expect.stringMatching(/^The allowed host "no-such-host.invalid" could not be resolved/),
	});
});

test('the firewall\'s settings are not in the code\'s environment', async () => {
	await withSandbox({ allowedHosts: [allowed] }, async (sandbox) => {
		const execution = await runOne(backend, sandbox.sandboxId, 'import os\nprint(sorted(k for k in os.environ if k.startswith("SANDBOX_")))', {
			language: 'python',
			timeoutMs: 30_000,
		});
		expect(execution.logs.stdout.join('')).toBe('[]\n');
	});
});
