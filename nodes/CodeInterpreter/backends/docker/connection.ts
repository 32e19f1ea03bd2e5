import Docker from 'dockerode';

import type { DockerSettings } from './settings';

/** A Docker API request that stays silent this long is abandoned: an engine that hangs must not hang a workflow. */
export const DOCKER_REQUEST_TIMEOUT_MS = 30_000;

/** A client for the credential's engine; `timeout` 0 for long quiet streams (an image build, its lock). */
export function dockerClient(settings: DockerSettings, timeout = DOCKER_REQUEST_TIMEOUT_MS): Docker {
	if (settings.connection === 'socket') return new Docker({ socketPath: settings.socketPath, timeout: timeout || undefined });
	return new Docker({
		timeout: timeout || undefined,
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
