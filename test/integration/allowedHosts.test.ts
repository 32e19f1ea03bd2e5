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

async function containerOf(sandboxId: string): Promise<string> {
	return execFileSync('docker', ['ps', '-q', '--filter', `label=io.n8n.code-interpreter.sandbox-id=${sandboxId}`], { encoding: 'utf8' }).trim();
}

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
async function fetchEach(sandbox: SandboxInfo, targets: Array<[label: string, url: string]>, on: DockerBackend = backend): Promise<Record<string, string>> {
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
	const execution = await runOne(on, sandbox.sandboxId, code, { language: 'python', timeoutMs: 60_000 });
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
	expect(() => parseAllowedHost('localhost')).toThrow('"localhost" is a loopback name, which a sandbox never reaches');
	for (const entry of ['127.0.0.1', '::ffff:127.0.0.1', '169.254.169.254', '169.254.0.0/16', hostAddress]) {
		await expect(backend.create({ timeoutSeconds: 60, allowedHosts: [parseAllowedHost(entry)] })).rejects.toMatchObject({
			message: expect.stringMatching(/^The allowed host .* is one a sandbox can never reach$/),
		});
	}
	await expect(backend.create({ timeoutSeconds: 60, allowedHosts: [parseAllowedHost('no-such-host.invalid')] })).rejects.toMatchObject({
		message: expect.stringMatching(/^The allowed host "no-such-host.invalid" could not be resolved/),
	});
});

test('the Docker host\'s addresses on every network (their gateways) are blocked, also when n8n runs in a container', async () => {
	const gateways = execFileSync('docker', ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Gateway}} {{end}}', ...execFileSync('docker', ['network', 'ls', '-q'], { encoding: 'utf8' }).trim().split('\n')], {
		encoding: 'utf8',
	})
		.split(/\s+/)
		.filter(Boolean);
	expect(gateways).toContain(gateway);
	await withSandbox({ allowedHosts: ['172.16.0.0/12'] }, async (sandbox) => {
		const env = inspect(await containerOf(sandbox.sandboxId), '{{json .Config.Env}}');
		const blocked = (JSON.parse(env) as string[]).find((entry) => entry.startsWith('SANDBOX_BLOCKED_ADDRESSES='))?.split('=')[1].split(' ') ?? [];
		expect(gateways.filter((address) => !blocked.includes(address))).toEqual([]);
	});
});

test('with internet off, no DNS even to a resolver inside a listed range', async () => {
	const resolver = execFileSync('docker', ['run', '--rm', '--network', network, '--entrypoint', 'sh', DEFAULT_IMAGE, '-c', "awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf"], {
		encoding: 'utf8',
	}).trim();
	const listed = resolver === '127.0.0.11' ? subnet : `${resolver}`;
	await withSandbox({ allowedHosts: [listed] }, async (sandbox) => {
		const query = [
			'import socket',
			'q = bytes.fromhex("123401000001000000000000076578616d706c6503636f6d0000010001")',
			'try:',
			'    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)',
			`    s.sendto(q, ("${resolver}", 53)); s.recv(512); print("answered")`,
			'except Exception as error:',
			'    print("no answer")',
		].join('\n');
		expect((await runOne(backend, sandbox.sandboxId, query, { language: 'python', timeoutMs: 30_000 })).logs.stdout.join('')).toBe('no answer\n');
	});
});

describe('IPv6', () => {
	const v6network = `${network}-v6`;
	const v6servers: string[] = [];
	let v6backend: DockerBackend;
	let listedV6: string;
	let otherV6: string;

	beforeAll(() => {
		execFileSync('docker', ['network', 'create', '--ipv6', '--subnet', 'fd77:7700::/64', v6network]);
		const start = (name: string) => {
			const container = `${v6network}-${name}`;
			const serve = `mkdir -p /tmp/www && echo ${name} > /tmp/www/index.html && cd /tmp/www && exec python3 -m http.server --bind :: 8000`;
			execFileSync('docker', ['run', '-d', '--name', container, '--network', v6network, '--entrypoint', 'sh', DEFAULT_IMAGE, '-c', serve]);
			v6servers.push(container);
			return inspect(container, `{{(index .NetworkSettings.Networks "${v6network}").GlobalIPv6Address}}`);
		};
		listedV6 = start('allowed');
		otherV6 = start('other');
		v6backend = new DockerBackend(parseDockerSettings({ jupyterAccess: 'containerAddress', network: v6network, poolSize: 0 }));
	}, 120_000);

	afterAll(() => {
		if (v6servers.length) execFileSync('docker', ['rm', '-f', ...v6servers]);
		execFileSync('docker', ['network', 'rm', v6network]);
	});

	test('a listed IPv6 address is reached (neighbour discovery works); an unlisted neighbour is not', async () => {
		const sandbox = await v6backend.create({ timeoutSeconds: 120, allowedHosts: [parseAllowedHost(listedV6)] });
		try {
			const targets: Array<[string, string]> = [
				['allowed', `http://[${listedV6}]:8000/`],
				['other', `http://[${otherV6}]:8000/`],
			];
			expect(await fetchEach(sandbox, targets, v6backend)).toEqual({ allowed: 'allowed', other: 'blocked' });
		} finally {
			await v6backend.kill(sandbox.sandboxId);
		}
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
