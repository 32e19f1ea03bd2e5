import {
	AuthenticationError,
	FileNotFoundError,
	InvalidArgumentError,
	NotEnoughSpaceError,
	NotFoundError,
	RateLimitError,
	SandboxNotFoundError as E2BSandboxNotFoundError,
	TimeoutError,
} from 'e2b';

import { SandboxError } from '../../model/errors';
import { fileAccessError, SandboxFileNotFoundError, SandboxNotFoundError } from '../errors';

/** What, besides a kill, ends an E2B sandbox (completes SandboxNotFoundError's description). */
export const E2B_ENDS_SANDBOXES = '; E2B ends a sandbox when its timeout passes (5 minutes unless Create Sandbox set another)';

export interface ErrorContext {
	/** What we were doing, e.g. "create a sandbox". */
	action: string;
	sandboxId?: string;
	/** File operations: the sandbox path, and what was done to it. */
	file?: { path: string; verb: 'read' | 'write' | 'list' };
	/** Never shown: removed from any message that might echo it. */
	apiKey: string;
	requestTimeoutMs: number;
}

/** An error of E2B's SDK (or of the network under it) as a SandboxError a user can act on. */
export function fromE2BError(error: unknown, context: ErrorContext): SandboxError {
	if (error instanceof SandboxError) return error;
	const message = redact(messageOf(error), context.apiKey);
	if (error instanceof AuthenticationError) {
		return new SandboxError('E2B rejected the API key', {
			description:
				'Check the API key in the E2B credential: copy it again from https://e2b.dev/dashboard?tab=keys (it starts with "e2b_"), and check that it was not deleted.',
		});
	}
	if (error instanceof RateLimitError) {
		return new SandboxError(`E2B refused to ${context.action}: rate limit or concurrent sandbox limit reached (HTTP 429)`, {
			description:
				'Wait and try again (n8n\'s Retry On Fail setting does this), reuse one sandbox for many runs, kill sandboxes you no longer need (Get Many, then Kill Sandbox), or raise the limits of your E2B plan.',
		});
	}
	if (context.file && (error instanceof FileNotFoundError || (error instanceof NotFoundError && !(error instanceof E2BSandboxNotFoundError)))) {
		return new SandboxFileNotFoundError(context.file.path);
	}
	if (context.file && /permission denied|read-only file system/i.test(message)) return fileAccessError(context.file.path, context.file.verb);
	if (error instanceof E2BSandboxNotFoundError && context.sandboxId) return new SandboxNotFoundError(context.sandboxId, E2B_ENDS_SANDBOXES);
	if (error instanceof NotEnoughSpaceError) {
		return new SandboxError(`The sandbox ran out of space trying to ${context.action}`, {
			description: 'Delete files in it, or use a template with a bigger disk.',
		});
	}
	if (error instanceof InvalidArgumentError) return new SandboxError(`E2B could not ${context.action}: ${message}`);
	if (isRequestTimeout(error)) {
		return new SandboxError(`E2B did not answer within ${context.requestTimeoutMs / 1000} s trying to ${context.action} (request timeout)`, {
			description:
				'This is the request timeout of the E2B credential, not the code\'s execution limit. E2B may be slow or unreachable: try again, or raise "Request Timeout" in the credential.',
		});
	}
	const code = networkCode(error);
	if (code) {
		return new SandboxError(`Cannot reach E2B to ${context.action} (${code})`, {
			description: 'Check that n8n can reach the internet (or the API URL set in the E2B credential) and that the domain is right.',
		});
	}
	return new SandboxError(`E2B could not ${context.action}: ${message}`, {
		description: 'Try again; if it keeps happening, check https://status.e2b.dev.',
	});
}

/**
 * The SDK's own TimeoutError (data plane), or the raw abort of a control-plane request: a DOMException, which is
 * not always an `instanceof Error` (another realm's), hence the duck typing here and in messageOf.
 */
function isRequestTimeout(error: unknown): boolean {
	return error instanceof TimeoutError || (error as { name?: unknown } | undefined)?.name === 'TimeoutError';
}

function messageOf(error: unknown): string {
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : String(error);
}

function networkCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}

function redact(text: string, secret: string): string {
	return secret ? text.split(secret).join('***') : text;
}
