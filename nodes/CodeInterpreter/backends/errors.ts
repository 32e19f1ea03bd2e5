import { SandboxError } from '../model/errors';

/** The sandbox id names no live sandbox (it expired, was killed, or never existed). */
export class SandboxNotFoundError extends SandboxError {
	/** `cause`: what else, on this backend, ends sandboxes. */
	constructor(sandboxId: string, cause = '') {
		super(`Sandbox "${sandboxId}" was not found`, {
			description: `It may have reached its timeout, been killed, or never existed${cause}. Create a new sandbox, or give it a longer timeout with the Set Timeout operation (or a longer Timeout when you create it).`,
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

/** The code sent one output message bigger than the run's output limits allow: n8n closed the connection unread. */
export class OutputTooLargeError extends SandboxError {
	constructor(limitBytes: number) {
		super(`The code sent one output of more than ${Math.round(limitBytes / 2 ** 20)} MB, more than Max Result Size and Max Log Size allow`, {
			description:
				'n8n did not read it, and the code was interrupted; the sandbox keeps its state. Write big outputs to a file and use Download File, or raise Max Result Size.',
		});
		this.name = 'OutputTooLargeError';
	}
}

/** The code sent an output message nested deeper than any real output: n8n closed the connection unread. */
export class OutputTooDeepError extends SandboxError {
	constructor(maxDepth: number) {
		super(`The code sent an output nested more than ${maxDepth} levels deep`, {
			description: 'n8n did not read it, and the code was interrupted; the sandbox keeps its state. Flatten the data before displaying it.',
		});
		this.name = 'OutputTooDeepError';
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

/** A file operation was given a folder. */
export function isFolderError(path: string): SandboxError {
	return new SandboxError(`"${path}" is a folder`, { description: 'Give the path of a file; List Files shows what a folder holds.' });
}

/** List Files was given a file. */
export function notAFolderError(path: string): SandboxError {
	return new SandboxError(`"${path}" is a file, not a folder`, { description: 'Give the folder to list, or use Download File for a file.' });
}

/** The sandbox's user may not touch the path (outside the writable folders, or another user's file). */
export function fileAccessError(path: string, verb: 'read' | 'write' | 'list'): SandboxError {
	return new SandboxError(`The sandbox's user may not ${verb} "${path}"`, { description: 'The sandbox can write only in /home/user and /tmp.' });
}
