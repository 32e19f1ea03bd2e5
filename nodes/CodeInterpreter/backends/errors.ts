/**
 * A problem with a sandbox or its backend, told the way a user can act on it.
 * Backends throw it; the n8n layer turns it into a NodeOperationError with the same message and description.
 */
export class SandboxError extends Error {
	readonly description?: string;

	constructor(message: string, options: { description?: string; cause?: unknown } = {}) {
		super(message, { cause: options.cause });
		this.name = 'SandboxError';
		this.description = options.description;
	}
}

/** The sandbox id names no live sandbox (it expired, was killed, or never existed). */
export class SandboxNotFoundError extends SandboxError {
	constructor(sandboxId: string) {
		super(`Sandbox "${sandboxId}" was not found`, {
			description:
				'It may have reached its timeout, been killed, or never existed. Create a new sandbox, or give it a longer timeout with the Set Timeout operation.',
		});
		this.name = 'SandboxNotFoundError';
	}
}
