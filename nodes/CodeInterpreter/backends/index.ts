import type { Backend, BackendName } from './Backend';
import { parseDockerSettings } from './docker/connection';
import { DockerBackend } from './docker/DockerBackend';

/** The credential type each backend reads. */
export const BACKEND_CREDENTIALS: Record<BackendName, string> = {
	docker: 'codeInterpreterDockerApi',
};

/** Makes the backend from its credential's data; the only place that knows the concrete backends. */
export function createBackend(name: BackendName, credentials: unknown): Backend {
	switch (name) {
		case 'docker':
			return new DockerBackend(parseDockerSettings(credentials));
	}
}
