import type { KernelConnection } from '@jupyterlab/services';
import type { KernelMessage } from '@jupyterlab/services';
import type { z } from 'zod';

import { emptyExecution, resultFromMimeBundle, type Execution, type ExecutionError } from '../../model/execution';
import { cancelled, STATE_KEPT_NOTE, stoppedError, timedOut } from '../../model/executionStops';
import { OutputCollector, type OutputLimits } from '../../model/outputLimits';
import { SandboxError } from '../errors';
import { inputNotLoadedError } from '../inputVariables';
import {
	describeIssues,
	displayContent,
	errorContent,
	executeInputContent,
	executeReplyContent,
	executeResultContent,
	streamContent,
} from './messages';

export interface ExecuteOptions {
	/** The execution is interrupted after this long and reported as a TimeoutError. */
	timeoutMs: number;
	/** Aborting interrupts the running code (workflow cancelled in n8n). */
	signal?: AbortSignal;
	/** Caps on stdout, stderr and each result; defaults to DEFAULT_OUTPUT_LIMITS. */
	limits?: OutputLimits;
	/** Code run silently just before, in the same queue (it defines the code's input variables). */
	prelude?: string;
	/**
	 * How long to wait, after the run ended, for a value the kernel publishes late. Deno's kernel sometimes sends
	 * the execute_result just after its "idle" status, when the request already counts as done.
	 */
	lateResultMs?: number;
}

/** How long interrupted code may take to wind down before its kernel is replaced. */
const INTERRUPT_GRACE_MS = 5_000;

/** The connection to the kernel dropped during an execution (the backend says whether the sandbox is gone). */
export class ConnectionLostError extends SandboxError {
	constructor() {
		super('The connection to the sandbox was lost during the execution', {
			description: 'The sandbox may have been killed or stopped. Check that it still exists, or create a new one.',
		});
		this.name = 'ConnectionLostError';
	}
}

export interface KernelControl {
	interrupt(): Promise<void>;
	/** Ends the kernel: its state is lost, and the next execution starts a fresh one. */
	discard(): Promise<void>;
}

/** Runs code on a connected kernel and gathers its iopub messages into an Execution. */
export async function collectExecution(
	kernel: KernelConnection,
	code: string,
	options: ExecuteOptions,
	control: KernelControl,
): Promise<Execution> {
	const output = new OutputCollector(emptyExecution(), options.limits);
	const { execution } = output;
	let protocolError: unknown;
	// Sent back to back, so that no other client's code runs between them; a failing prelude aborts the code.
	const prelude = options.prelude
		? kernel.requestExecute({ code: options.prelude, silent: true, store_history: false, stop_on_error: true, allow_stdin: false })
		: undefined;
	const preludeDone = prelude?.done.then(
		(reply) => reply.content,
		() => undefined,
	);
	const future = kernel.requestExecute({ code, stop_on_error: false, allow_stdin: false, store_history: true });
	future.onIOPub = (message) => {
		try {
			addIoPubMessage(output, message);
		} catch (error) {
			protocolError ??= error;
		}
	};

	let stopReason: ExecutionError | undefined;
	let discarded = false;
	let onStopped = () => {};
	const stopped = new Promise<void>((resolve) => (onStopped = resolve));
	const stop = (reason: ExecutionError) => {
		if (stopReason) return;
		stopReason = reason;
		onStopped();
		control.interrupt().catch(() => undefined);
	};
	const timer = setTimeout(() => stop(timedOut(options.timeoutMs)), options.timeoutMs);
	const onAbort = () => stop(cancelled());
	options.signal?.addEventListener('abort', onAbort, { once: true });
	if (options.signal?.aborted) onAbort();

	// A kernel that dies (out of memory, os._exit) is reported dead by the sandbox's Jupyter server, which drops
	// it rather than restarting it (template/jupyter): the client then cancels our request.
	let died = false;
	const onStatus = (_: unknown, status: string) => {
		if (status === 'dead') died = true;
	};
	kernel.statusChanged.connect(onStatus);
	// The sandbox stopped or was killed: the connection drops (the client starts reconnecting) and no reply will
	// ever come. The connection of a kernel that died closes too, which is handled above.
	let onLost = () => {};
	const lost = new Promise<never>((_, reject) => {
		onLost = () => reject(new ConnectionLostError());
	});
	lost.catch(() => undefined);
	const onConnection = (_: unknown, status: string) => {
		if ((status === 'connecting' || status === 'disconnected') && !died) onLost();
	};
	kernel.connectionStatusChanged.connect(onConnection);

	try {
		const reply = await Promise.race([future.done, lost, stopped.then(() => afterInterrupt(future.done, control))]);
		if (reply) addReply(execution, reply.content);
		else discarded = true;
		if (reply?.content.status === 'ok' && options.lateResultMs && !execution.results.some((result) => result.isMainResult)) {
			await lateResult(kernel, future.msg.header.msg_id, options.lateResultMs, (message) => addIoPubMessage(output, message));
		}
	} catch (error) {
		if (!died) throw error;
		execution.error = { name: 'KernelDied', value: KERNEL_DIED_NOTE, traceback: '' };
		return execution;
	} finally {
		clearTimeout(timer);
		options.signal?.removeEventListener('abort', onAbort);
		kernel.statusChanged.disconnect(onStatus);
		kernel.connectionStatusChanged.disconnect(onConnection);
	}
	if (protocolError) throw protocolError;
	const preludeReply = await preludeDone;
	if (preludeReply?.status === 'error') {
		throw inputNotLoadedError(`${preludeReply.ename}: ${preludeReply.evalue}`);
	}
	if (stopReason) {
		execution.error = stoppedError(stopReason, discarded ? DISCARDED_NOTE : STATE_KEPT_NOTE, execution.error);
	}
	return execution;
}

const KERNEL_DIED_NOTE =
	'The kernel died while running the code (out of memory, or the code ended its own process): the next run starts a fresh one, without the variables and imports of earlier runs.';
const DISCARDED_NOTE =
	'The kernel did not respond to the interrupt and was stopped: the next run starts a fresh one, without the variables and imports of earlier runs.';

/** Waits up to `waitMs` for an execute_result of the request, and adds it. */
async function lateResult(
	kernel: KernelConnection,
	requestId: string,
	waitMs: number,
	add: (message: KernelMessage.IIOPubMessage) => void,
): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	let listener: ((_: unknown, message: KernelMessage.IIOPubMessage) => void) | undefined;
	await new Promise<void>((resolve) => {
		timer = setTimeout(resolve, waitMs);
		listener = (_, message) => {
			if (message.header.msg_type !== 'execute_result' || (message.parent_header as { msg_id?: string }).msg_id !== requestId) return;
			add(message);
			resolve();
		};
		kernel.iopubMessage.connect(listener);
	});
	clearTimeout(timer);
	if (listener) kernel.iopubMessage.disconnect(listener);
}

/** Once interrupted, the code gets a grace period to wind down; a kernel that ignores interrupts is replaced. */
async function afterInterrupt<T>(done: Promise<T>, control: KernelControl): Promise<T | undefined> {
	let timer: NodeJS.Timeout | undefined;
	const grace = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), INTERRUPT_GRACE_MS)));
	try {
		const reply = await Promise.race([done, grace]);
		if (reply !== undefined) return reply;
	} finally {
		clearTimeout(timer);
	}
	await control.discard().catch((error: unknown) => {
		throw new SandboxError(`The kernel ignored the interrupt and could not be stopped: ${(error as Error).message}`, {
			description: 'Kill the sandbox and create a new one.',
		});
	});
	return undefined;
}

function addIoPubMessage(output: OutputCollector, message: KernelMessage.IIOPubMessage): void {
	const { execution } = output;
	const type = message.header.msg_type;
	switch (type) {
		case 'stream': {
			const content = parse(streamContent, message.content, type);
			output.addLog(content.name, content.text);
			break;
		}
		case 'execute_result': {
			const content = parse(executeResultContent, message.content, type);
			output.addResult(resultFromMimeBundle(content.data, true));
			execution.executionCount = content.execution_count ?? execution.executionCount;
			break;
		}
		case 'display_data': {
			const content = parse(displayContent, message.content, type);
			output.addResult(resultFromMimeBundle(content.data, false));
			break;
		}
		case 'error': {
			const content = parse(errorContent, message.content, type);
			execution.error = toExecutionError(content);
			break;
		}
		case 'execute_input': {
			const content = parse(executeInputContent, message.content, type);
			execution.executionCount = content.execution_count ?? execution.executionCount;
			break;
		}
		default:
			break;
	}
}

function addReply(execution: Execution, content: unknown): void {
	const reply = parse(executeReplyContent, content, 'execute_reply');
	execution.executionCount = reply.execution_count ?? execution.executionCount;
	if (reply.status !== 'ok' && !execution.error) {
		execution.error = toExecutionError({
			ename: reply.ename ?? 'ExecutionError',
			evalue: reply.evalue ?? `the kernel answered "${reply.status}"`,
			traceback: reply.traceback ?? [],
		});
	}
}

function toExecutionError(content: z.infer<typeof errorContent>): ExecutionError {
	return { name: content.ename, value: content.evalue, traceback: stripAnsi(content.traceback.join('\n')) };
}

function parse<T extends z.ZodTypeAny>(schema: T, content: unknown, type: string): z.infer<T> {
	const parsed = schema.safeParse(content);
	if (!parsed.success) {
		throw new SandboxError(`The sandbox's kernel sent a malformed "${type}" message: ${describeIssues(parsed.error)}`);
	}
	return parsed.data;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function stripAnsi(text: string): string {
	return text.replace(ANSI, '');
}
