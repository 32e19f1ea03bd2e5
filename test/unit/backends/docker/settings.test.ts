import { readFileSync } from 'fs';
import { join } from 'path';

import { describeDockerTarget } from '../../../../nodes/CodeInterpreter/backends/docker/connection';
import { parseDockerSettings } from '../../../../nodes/CodeInterpreter/backends/docker/settings';
import { DEFAULT_IMAGE } from '../../../../nodes/CodeInterpreter/packageInfo';
import { SandboxError } from '../../../../nodes/CodeInterpreter/model/errors';
import { SANDBOX_UID } from '../../../../nodes/CodeInterpreter/backends/docker/isolation';

const packageVersion = (JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { version: string })
	.version;

/** Runs parseDockerSettings and returns the error it throws. */
function parseError(raw: unknown): SandboxError {
	try {
		parseDockerSettings(raw);
	} catch (error) {
		expect(error).toBeInstanceOf(SandboxError);
		return error as SandboxError;
	}
	throw new Error('parseDockerSettings did not throw');
}

describe('parseDockerSettings', () => {
	it('fills every default for an empty credential', () => {
		expect(parseDockerSettings({})).toEqual({
			connection: 'socket',
			socketPath: '/var/run/docker.sock',
			host: '',
			port: 2376,
			tls: true,
			ca: '',
			cert: '',
			key: '',
			image: `n8n-code-interpreter-sandbox:${packageVersion}`,
			packageIndexUrl: '',
			jupyterAccess: 'publishedPort',
			publishAddress: '127.0.0.1',
			network: '',
			memoryMb: 2048,
			cpus: 1,
			pidsLimit: 256,
			diskMb: 1024,
			runtime: '',
			poolSize: 2,
		});
	});

	it('treats a missing credential like an empty one', () => {
		expect(parseDockerSettings(undefined)).toEqual(parseDockerSettings({}));
		expect(parseDockerSettings(null)).toEqual(parseDockerSettings({}));
	});

	it('pins the default image to the package version', () => {
		expect(DEFAULT_IMAGE).toBe(`n8n-code-interpreter-sandbox:${packageVersion}`);
		expect(packageVersion).toMatch(/^\d+\.\d+\.\d+/);
	});

	it('uses the default image for a blank image and trims a given one', () => {
		expect(parseDockerSettings({ image: '   ' }).image).toBe(DEFAULT_IMAGE);
		expect(parseDockerSettings({ image: '  my/sandbox:2  ' }).image).toBe('my/sandbox:2');
	});

	it('takes a cleared socket path, port or publish address as its default', () => {
		const settings = parseDockerSettings({ socketPath: '', port: null, publishAddress: '' });
		expect(settings).toMatchObject({ socketPath: '/var/run/docker.sock', port: 2376, publishAddress: '127.0.0.1' });
	});

	it('accepts TCP with a host and coerces a port given as text', () => {
		const settings = parseDockerSettings({ connection: 'tcp', host: ' docker.example.com ', port: '2375', tls: true });
		expect(settings).toMatchObject({ connection: 'tcp', host: 'docker.example.com', port: 2375, tls: true });
		expect(describeDockerTarget(settings)).toBe('docker.example.com:2375');
		expect(describeDockerTarget(parseDockerSettings({}))).toBe('socket /var/run/docker.sock');
	});

	it.each([undefined, '', '   '])('rejects TCP without a host (host %p)', (host) => {
		const error = parseError({ connection: 'tcp', host });
		expect(error.message).toBe('The Docker credential connects over TCP but has no host');
		expect(error.description).toMatch(/Host/);
	});

	it('rejects container-address access without a network', () => {
		const error = parseError({ jupyterAccess: 'containerAddress' });
		expect(error.message).toMatch(/container address but names no network/);
		expect(error.description).toMatch(/Network/);
	});

	it('accepts container-address access with a network', () => {
		expect(parseDockerSettings({ jupyterAccess: 'containerAddress', network: ' n8n_default ' })).toMatchObject({
			jupyterAccess: 'containerAddress',
			network: 'n8n_default',
		});
	});

	it.each([0, 65536, -1, 1.5, 'abc'])('rejects the invalid port %p, naming the field', (port) => {
		const error = parseError({ connection: 'tcp', host: 'docker.example.com', port });
		expect(error.message).toMatch(/^The Docker credential is not valid: port: /);
		expect(error.description).toBeDefined();
	});

	it('accepts the port range bounds', () => {
		expect(parseDockerSettings({ port: 1 }).port).toBe(1);
		expect(parseDockerSettings({ port: 65535 }).port).toBe(65535);
	});

	it('names every invalid field', () => {
		const error = parseError({ connection: 'ssh', jupyterAccess: 'magic' });
		expect(error.message).toMatch(/connection: /);
		expect(error.message).toMatch(/jupyterAccess: /);
	});
});

describe('parseDockerSettings: networks that share a namespace are refused', () => {
	it.each(['host', 'HOST', 'none', 'container:n8n', 'container:0123abcd'])('refuses %s, and says what to use instead', (network) => {
		const error = parseError({ jupyterAccess: 'containerAddress', network });
		expect(error.message).toBe(`The Docker credential's Network "${network}" is not a network of its own`);
		expect(error.description).toMatch(/docker network create n8n-sandboxes/);
	});

	it('takes a network of its own', () => {
		expect(parseDockerSettings({ jupyterAccess: 'containerAddress', network: 'n8n-sandboxes' }).network).toBe('n8n-sandboxes');
	});
});

describe('the sandbox user', () => {
	it('is the same in the template image and in the backend', () => {
		const dockerfile = readFileSync(join(__dirname, '../../../../template/Dockerfile'), 'utf8');
		expect(dockerfile).toMatch(new RegExp(`^ARG SANDBOX_UID=${SANDBOX_UID}$`, 'm'));
		expect(SANDBOX_UID).toBeGreaterThan(65_536);
	});
});
