import type Docker from 'dockerode';

import { parseDockerSettings } from '../../../../nodes/CodeInterpreter/backends/docker/settings';
import { JUPYTER_PORT, jupyterEndpoint, jupyterHostConfig } from '../../../../nodes/CodeInterpreter/backends/docker/jupyterAccess';
import { SandboxError } from '../../../../nodes/CodeInterpreter/model/errors';

/** The parts of a `docker ps` entry jupyterEndpoint reads. */
function container(info: { Ports?: Array<Partial<Docker.Port>>; Networks?: Record<string, { IPAddress: string }> }): Docker.ContainerInfo {
	return {
		Id: 'c0ffee',
		Ports: info.Ports ?? [],
		NetworkSettings: { Networks: info.Networks ?? {} },
	} as unknown as Docker.ContainerInfo;
}

const published = parseDockerSettings({});
const byAddress = parseDockerSettings({ jupyterAccess: 'containerAddress', network: 'n8n_net' });

describe('jupyterEndpoint, published port', () => {
	it('connects to the host port 8888 is published on, at the publish address', () => {
		const info = container({
			Ports: [
				{ IP: '127.0.0.1', PrivatePort: 22, PublicPort: 40000, Type: 'tcp' },
				{ IP: '127.0.0.1', PrivatePort: 8888, PublicPort: 49153, Type: 'tcp' },
			],
			Networks: { n8n_net: { IPAddress: '172.18.0.5' } },
		});
		expect(jupyterEndpoint(info, 'tok', published)).toEqual({ baseUrl: 'http://127.0.0.1:49153/', token: 'tok' });
	});

	it('skips an entry of port 8888 that is exposed but not published', () => {
		const info = container({
			Ports: [
				{ PrivatePort: 8888, Type: 'tcp' },
				{ IP: '127.0.0.1', PrivatePort: 8888, PublicPort: 32768, Type: 'tcp' },
			],
		});
		expect(jupyterEndpoint(info, 'tok', published).baseUrl).toBe('http://127.0.0.1:32768/');
	});

	it('connects through 127.0.0.1 when published on 0.0.0.0', () => {
		const info = container({ Ports: [{ IP: '0.0.0.0', PrivatePort: 8888, PublicPort: 32768, Type: 'tcp' }] });
		const settings = parseDockerSettings({ publishAddress: '0.0.0.0' });
		expect(jupyterEndpoint(info, 'tok', settings).baseUrl).toBe('http://127.0.0.1:32768/');
	});

	it('uses another publish address as given, bracketing IPv6', () => {
		const info = container({ Ports: [{ PrivatePort: 8888, PublicPort: 32768, Type: 'tcp' }] });
		expect(jupyterEndpoint(info, 'tok', parseDockerSettings({ publishAddress: '192.168.1.20' })).baseUrl).toBe(
			'http://192.168.1.20:32768/',
		);
		expect(jupyterEndpoint(info, 'tok', parseDockerSettings({ publishAddress: '::1' })).baseUrl).toBe('http://[::1]:32768/');
	});

	it.each([
		['no ports at all', container({})],
		['port 8888 exposed but not published', container({ Ports: [{ PrivatePort: 8888, Type: 'tcp' }] })],
		['only another port published', container({ Ports: [{ PrivatePort: 22, PublicPort: 40000, Type: 'tcp' }] })],
		['no Ports field', { Id: 'c0ffee' } as unknown as Docker.ContainerInfo],
	])('throws a SandboxError when the port is not published (%s)', (_case, info) => {
		expect(() => jupyterEndpoint(info, 'tok', published)).toThrow(SandboxError);
		expect(() => jupyterEndpoint(info, 'tok', published)).toThrow("The sandbox's Jupyter port is not published yet");
	});
});

describe('jupyterEndpoint, container address', () => {
	it("connects to the container's address on the configured network, port 8888", () => {
		const info = container({
			Ports: [{ IP: '127.0.0.1', PrivatePort: 8888, PublicPort: 49153, Type: 'tcp' }],
			Networks: { bridge: { IPAddress: '172.17.0.2' }, n8n_net: { IPAddress: '172.18.0.5' } },
		});
		expect(jupyterEndpoint(info, 'tok', byAddress)).toEqual({ baseUrl: `http://172.18.0.5:${JUPYTER_PORT}/`, token: 'tok' });
	});

	it.each([
		['not attached to the network', container({ Networks: { bridge: { IPAddress: '172.17.0.2' } } })],
		['attached without an address yet', container({ Networks: { n8n_net: { IPAddress: '' } } })],
		['no NetworkSettings', { Id: 'c0ffee' } as unknown as Docker.ContainerInfo],
	])('throws a SandboxError naming the network when the container is %s', (_case, info) => {
		expect(() => jupyterEndpoint(info, 'tok', byAddress)).toThrow(SandboxError);
		expect(() => jupyterEndpoint(info, 'tok', byAddress)).toThrow(
			'The sandbox has no address on the Docker network "n8n_net" yet',
		);
	});
});

describe('jupyterHostConfig', () => {
	it('publishes port 8888 on a random host port at the publish address', () => {
		expect(jupyterHostConfig(published)).toEqual({ PortBindings: { '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } });
	});

	it('joins the network for container-address access', () => {
		expect(jupyterHostConfig(byAddress)).toEqual({ NetworkMode: 'n8n_net' });
	});
});
