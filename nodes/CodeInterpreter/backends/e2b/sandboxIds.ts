import { SandboxError } from '../../model/errors';

const SANDBOX_ID = /^[a-z0-9][a-z0-9-]*$/i;
const DOCKER_SANDBOX_ID = /^ci-[0-9a-f]{16}$/;

/** Whether the text has the shape of an E2B sandbox ID. */
export function isE2BSandboxId(sandboxId: string): boolean {
	return SANDBOX_ID.test(sandboxId);
}

/** Throws a SandboxError that says what is wrong when the text is not an E2B sandbox ID (a Docker one, say). */
export function checkE2BSandboxId(sandboxId: string): void {
	if (DOCKER_SANDBOX_ID.test(sandboxId)) {
		throw new SandboxError(`"${sandboxId}" is the ID of a Docker sandbox, not of an E2B one`, {
			description: 'IDs from Create Sandbox on one backend only work with that backend. Set Backend to Docker, or create an E2B sandbox.',
		});
	}
	if (!SANDBOX_ID.test(sandboxId)) {
		throw new SandboxError(`"${sandboxId}" is not the ID of an E2B sandbox`, {
			description: 'E2B sandbox IDs are letters and digits, as Create Sandbox returns them in "sandboxId".',
		});
	}
}
