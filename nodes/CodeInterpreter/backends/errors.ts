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
				'It may have reached its timeout, been killed, or never existed; on Docker, an engine restart without live-restore also ends every sandbox. Create a new sandbox, or give it a longer timeout with the Set Timeout operation.',
		});
		this.name = 'SandboxNotFoundError';
	}
}

/** The sandbox went away while code was running in it. */
export class SandboxStoppedError extends SandboxError {
	constructor(sandboxId: string) {
		super(`Sandbox "${sandboxId}" stopped during the execution`, {
			description:
				'It was killed, or it reached its timeout. Create a new sandbox; give it a longer timeout (Set Timeout) if the work takes longer.',
		});
		this.name = 'SandboxStoppedError';
	}
}

/** A path in a sandbox names nothing. */
export class SandboxFileNotFoundError extends SandboxError {
	constructor(path: string) {
		super(`"${path}" was not found in the sandbox`, {
			description: 'Check the path with List Files. Relative paths start in /home/user.',
		});
		this.name = 'SandboxFileNotFoundError';
	}
}
