import Docker from 'dockerode';

import type { DockerSettings } from './settings';

/** A Docker API request that stays silent this long is abandoned: an engine that hangs must not hang a workflow. */
export const DOCKER_REQUEST_TIMEOUT_MS = 30_000;

export function dockerClient(settings: DockerSettings): Docker {
	const timeout = DOCKER_REQUEST_TIMEOUT_MS;
	if (settings.connection === 'socket') return new Docker({ socketPath: settings.socketPath, timeout });
	return new Docker({
		timeout,
		host: settings.host,
		port: settings.port,
		protocol: settings.tls ? 'https' : 'http',
		...(settings.tls ? { ca: settings.ca || undefined, cert: settings.cert || undefined, key: settings.key || undefined } : {}),
	});
}

/** Describes where the credential points, for error messages. */
export function describeDockerTarget(settings: DockerSettings): string {
	return settings.connection === 'socket' ? `socket ${settings.socketPath}` : `${settings.host}:${settings.port}`;
}
