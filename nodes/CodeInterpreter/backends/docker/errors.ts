import { SandboxError } from '../../model/errors';
import { describeDockerTarget, DOCKER_REQUEST_TIMEOUT_MS } from './connection';
import type { DockerSettings } from './settings';

/** The credential's image is not on the Docker engine. */
export class ImageMissingError extends SandboxError {}

/** A container name another container holds. */
export class NameTakenError extends Error {}

export function isNameConflict(error: unknown): boolean {
	return (error as { statusCode?: number }).statusCode === 409;
}

/** What went wrong talking to the Docker engine, told the way a user can act on it. */
export function dockerError(error: unknown, action: string, settings: DockerSettings): SandboxError {
	const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
	const target = describeDockerTarget(settings);
	if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
		return new SandboxError(`Cannot reach the Docker engine at ${target} to ${action} (${code})`, {
			description: 'Check that Docker is running and that the credential points at it.',
			cause: error,
		});
	}
	if (code === 'ECONNRESET') {
		return new SandboxError(`The Docker engine at ${target} stopped answering while trying to ${action}`, {
			description: `It gave no answer within ${DOCKER_REQUEST_TIMEOUT_MS / 1000} s or closed the connection. Check that Docker is running and not overloaded, then try again.`,
			cause: error,
		});
	}
	if (code === 'EACCES') {
		return new SandboxError(`Permission denied on the Docker socket ${settings.socketPath}`, {
			description: 'The user n8n runs as must be allowed to use Docker (e.g. be in the "docker" group).',
			cause: error,
		});
	}
	if (statusCode === 404 && /no such image|image.*not found/i.test(message ?? '')) {
		return new ImageMissingError(`The sandbox image "${settings.image}" does not exist on the Docker host`, {
			description:
				'Build or pull it on that Docker host (an image the credential names is never built for you), or empty "Image" in the Docker credential: this package\'s own image is then used, and built on first use or by "npm run template:build" in the package folder.',
			cause: error,
		});
	}
	return new SandboxError(`Docker could not ${action}: ${message ?? String(error)}`, { cause: error });
}
