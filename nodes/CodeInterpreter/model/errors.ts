/**
 * A problem with a sandbox or its backend, told the way a user can act on it.
 * Backends and the model throw it; the n8n layer turns it into a NodeOperationError with the same message and description.
 */
export class SandboxError extends Error {
	readonly description?: string;

	constructor(message: string, options: { description?: string; cause?: unknown } = {}) {
		super(message, { cause: options.cause });
		this.name = 'SandboxError';
		this.description = options.description;
	}
}

