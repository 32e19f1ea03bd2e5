import type Docker from 'dockerode';

import { SandboxError } from '../../model/errors';
import type { JupyterEndpoint } from '../jupyter/JupyterClient';
import type { DockerSettings } from './settings';

/**
 * How n8n reaches a sandbox's Jupyter server. This is the one piece that knows; everything else asks it.
 * - publishedPort: the container's port 8888 is published on the Docker host at `publishAddress` (127.0.0.1 by default).
 * - containerAddress: n8n runs in a container on `network` and connects to the sandbox's address there.
 */
export const JUPYTER_PORT = 8888;

export function jupyterHostConfig(settings: DockerSettings): Docker.HostConfig {
	if (settings.jupyterAccess === 'containerAddress') return { NetworkMode: settings.network };
	return { PortBindings: { [`${JUPYTER_PORT}/tcp`]: [{ HostIp: settings.publishAddress, HostPort: '' }] } };
}

export function jupyterEndpoint(container: Docker.ContainerInfo, token: string, settings: DockerSettings): JupyterEndpoint {
	if (settings.jupyterAccess === 'containerAddress') {
		const address = container.NetworkSettings?.Networks?.[settings.network]?.IPAddress;
		if (!address) {
			throw new SandboxError(`The sandbox has no address on the Docker network "${settings.network}" yet`, {
				description: 'Check that the network exists and that n8n\'s container is attached to it.',
			});
		}
		return { baseUrl: `http://${address}:${JUPYTER_PORT}/`, token };
	}
	const published = container.Ports?.find((port) => port.PrivatePort === JUPYTER_PORT && port.PublicPort);
	if (!published) {
		throw new SandboxError('The sandbox\'s Jupyter port is not published yet', {
			description: 'The container may still be starting or may have stopped. Try again in a moment.',
		});
	}
	const host = settings.publishAddress === '0.0.0.0' ? '127.0.0.1' : settings.publishAddress;
	return { baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${published.PublicPort}/`, token };
}
