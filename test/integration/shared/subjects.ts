import type { Backend, BackendName } from '../../../nodes/CodeInterpreter/backends/Backend';
import { createBackend } from '../../../nodes/CodeInterpreter/backends';
import { startE2BDouble, type E2BDouble } from '../../e2b/double/startE2BDouble';

/** A backend the shared suite runs against, with how to make it and what it cannot do. */
export interface BackendSubject {
	name: string;
	backendName: BackendName;
	setUp(): Promise<void>;
	tearDown(): Promise<void>;
	/** A fresh backend from the same credential (or one of another scope): what another n8n process or worker would make. */
	backend(scope?: string): Backend;
	/** The credential's fields, for a backend made in another process. */
	credentials(): Record<string, unknown>;
	/** An ID in this backend's format that names no sandbox. */
	unknownSandboxId: string;
	/** Whether sandboxes come from this package's template (figures kept open, SVG on request, Bash exit status). */
	ourTemplate: boolean;
	/** The template sandboxes are created from, when not the backend's default. */
	template?: string;
	/** Whether sandboxes run on this machine's Docker engine (so they can reach containers the test starts). */
	localEngine: boolean;
}

export function dockerSubject(): BackendSubject {
	return {
		name: 'docker',
		backendName: 'docker',
		setUp: async () => {},
		tearDown: async () => {},
		backend: (scope) => createBackend('docker', {}, scope),
		credentials: () => ({}),
		unknownSandboxId: 'ci-0000000000000000',
		ourTemplate: true,
		localEngine: true,
	};
}

/** E2B through its real SDK, against the local double of E2B's endpoints (sandboxes from our template). */
export function e2bDoubleSubject(): BackendSubject {
	let double: E2BDouble | undefined;
	return {
		name: 'e2b (local double)',
		backendName: 'e2b',
		setUp: async () => {
			double = await startE2BDouble();
		},
		tearDown: async () => await double?.close(),
		backend(scope) {
			return createBackend('e2b', this.credentials(), scope);
		},
		credentials: () => {
			if (!double) throw new Error('the E2B double is not started');
			return { apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl };
		},
		unknownSandboxId: 'i0000000000000000000',
		ourTemplate: true,
		localEngine: true,
	};
}

/** E2B's cloud with a real key; E2B_TEMPLATE names a template built from ours, else E2B's own is used. */
export function e2bLiveSubject(apiKey: string): BackendSubject {
	return {
		name: 'e2b (live)',
		backendName: 'e2b',
		setUp: async () => {},
		tearDown: async () => {},
		backend(scope) {
			return createBackend('e2b', this.credentials(), scope);
		},
		credentials: () => ({ apiKey, domain: process.env.E2B_DOMAIN ?? '' }),
		unknownSandboxId: 'i0000000000000000000',
		ourTemplate: Boolean(process.env.E2B_TEMPLATE),
		template: process.env.E2B_TEMPLATE,
		localEngine: false,
	};
}
