import { Sandbox } from '@e2b/code-interpreter';

import { emptyExecution, type Execution, type ExecutionError } from '../../model/execution';
import { cancelled, STATE_KEPT_NOTE, stoppedError, timedOut } from '../../model/executionStops';
import type { Language } from '../../model/languages';
import { DEFAULT_OUTPUT_LIMITS, maxMessageBytes, OutputCollector, type OutputLimits } from '../../model/outputLimits';
import { SandboxError } from '../../model/errors';
import { OutputTooDeepError, OutputTooLargeError, SandboxNotFoundError } from '../errors';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../common/jsonDepth';
import { E2B_ENDS_SANDBOXES } from './errors';
import { forEachBoundedLine } from './boundedLines';
import { addExecutionLine } from './executionLines';

/** The port of E2B's code server in a sandbox (the SDK's own constant is not exported). */
const CODE_SERVER_PORT = 49999;

export interface ExecuteOptions {
	language: Language;
	timeoutMs: number;
	/** How long the code server may take to start answering. */
	requestTimeoutMs: number;
	signal?: AbortSignal;
	limits?: OutputLimits;
}

/** The connection to E2B dropped mid-execution: the backend asks E2B whether the sandbox is still there. */
export class ExecutionStreamLostError extends SandboxError {
	constructor(cause: unknown) {
		super('The connection to E2B was lost during the execution', {
			description: 'The code may still have run. Check the sandbox with Get Many, then run the code again.',
			cause,
		});
		this.name = 'ExecutionStreamLostError';
	}
}

/**
 * E2B's code interpreter sandbox with an execution that the SDK's `runCode` cannot do: stopped from outside
 * (n8n cancels the workflow), within our output limits as the output arrives, every line validated.
 * Stopping closes the connection, and E2B's code server interrupts the code when its client goes away.
 */
export class CodeSandbox extends Sandbox {
	async execute(code: string, options: ExecuteOptions): Promise<Execution> {
		const output = new OutputCollector(emptyExecution(), options.limits);
		const controller = new AbortController();
		let stopReason: ExecutionError | undefined;
		const stop = (reason: ExecutionError) => {
			stopReason ??= reason;
			controller.abort();
		};
		const executionTimer = setTimeout(() => stop(timedOut(options.timeoutMs)), options.timeoutMs);
		const onAbort = () => stop(cancelled());
		options.signal?.addEventListener('abort', onAbort, { once: true });
		if (options.signal?.aborted) onAbort();
		let requestTimedOut = false;
		const requestTimer = setTimeout(() => {
			requestTimedOut = true;
			controller.abort();
		}, options.requestTimeoutMs);
		try {
			const response = await fetch(`${this.jupyterUrl}/execute`, {
				method: 'POST',
				headers: this.codeServerHeaders(),
				body: JSON.stringify({ code, language: options.language }),
				signal: controller.signal,
			});
			clearTimeout(requestTimer);
			if (!response.ok || !response.body) throw await this.answerError(response);
			await forEachBoundedLine(
				response.body as unknown as AsyncIterable<Uint8Array>,
				maxMessageBytes(options.limits ?? DEFAULT_OUTPUT_LIMITS),
				(line) => {
					if (nestedDeeperThan(line, MAX_JSON_DEPTH)) throw new OutputTooDeepError(MAX_JSON_DEPTH);
					addExecutionLine(output, line.toString());
				},
				() => {
					throw new OutputTooLargeError(maxMessageBytes(options.limits ?? DEFAULT_OUTPUT_LIMITS));
				},
			);
		} catch (error) {
			if (!stopReason) throw this.executionError(error, requestTimedOut, options.requestTimeoutMs);
		} finally {
			clearTimeout(executionTimer);
			clearTimeout(requestTimer);
			options.signal?.removeEventListener('abort', onAbort);
		}
		if (stopReason) output.execution.error = stoppedError(stopReason, STATE_KEPT_NOTE, output.execution.error);
		return output.execution;
	}

	/** The headers E2B's proxy routes by and the sandbox checks (as the SDK's `runCode` sends them). */
	private codeServerHeaders(): Record<string, string> {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'E2b-Sandbox-Id': this.sandboxId,
			'E2b-Sandbox-Port': String(CODE_SERVER_PORT),
		};
		if (this.envdAccessToken) headers['X-Access-Token'] = this.envdAccessToken;
		if (this.trafficAccessToken) headers['E2B-Traffic-Access-Token'] = this.trafficAccessToken;
		return headers;
	}

	private async answerError(response: Response): Promise<SandboxError> {
		const body = (await response.text().catch(() => '')).trim().slice(0, 500);
		// E2B's proxy answers 502 for a sandbox that is no longer there.
		if (response.status === 502) return new SandboxNotFoundError(this.sandboxId, E2B_ENDS_SANDBOXES);
		return new SandboxError(`E2B's code server answered HTTP ${response.status}${body ? `: ${body}` : ''}`, {
			description: 'The sandbox may be restarting or overloaded. Try again; if it keeps happening, create a new sandbox.',
		});
	}

	private executionError(error: unknown, requestTimedOut: boolean, requestTimeoutMs: number): unknown {
		if (requestTimedOut) {
			return new SandboxError(`E2B did not start the execution within ${requestTimeoutMs / 1000} s (request timeout)`, {
				description:
					'This is the request timeout of the E2B credential, not the code\'s execution limit (Run Code\'s Timeout). E2B or the sandbox may be overloaded: try again, or raise "Request Timeout" in the credential.',
			});
		}
		if (error instanceof SandboxError && !(error instanceof ExecutionStreamLostError)) return error;
		return new ExecutionStreamLostError(error);
	}
}
