import { type Backend, type BackendName, SILENT_LOGGER } from './Backend';
import { parseDockerSettings } from './docker/settings';
import { DockerBackend } from './docker/DockerBackend';
import { E2BBackend } from './e2b/E2BBackend';
import { parseE2BSettings } from './e2b/settings';
import { DEFAULT_SCOPE } from './common/sandboxScope';

/** The credential type each backend reads. */
export const BACKEND_CREDENTIALS: Record<BackendName, string> = {
	docker: 'codeInterpreterDockerApi',
	e2b: 'e2bApi',
};

/**
 * Makes the backend from its credential's data; the only place that knows the concrete backends. It sees and
 * reaches only the sandboxes made in its `scope` (common/sandboxScope.ts).
 */
export function createBackend(name: BackendName, credentials: unknown, scope = DEFAULT_SCOPE, logger = SILENT_LOGGER): Backend {
	switch (name) {
		case 'docker':
			return new DockerBackend(parseDockerSettings(credentials), scope, logger);
		case 'e2b':
			return new E2BBackend(parseE2BSettings(credentials), scope);
	}
}
