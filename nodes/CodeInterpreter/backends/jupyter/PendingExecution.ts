import type { KernelConnection, KernelMessage } from '@jupyterlab/services';

import { emptyExecution, type ExecutionError } from '../../model/execution';
import { cancelled, STATE_KEPT_NOTE, stoppedError, timedOut } from '../../model/executionStops';
import { OutputCollector, type OutputLimits } from '../../model/outputLimits';
import type { RanExecution } from '../Backend';
import { SandboxError } from '../../model/errors';
import { inputNotLoadedError } from '../common/inputVariables';
import { addIoPubMessage, addReply } from './ioPubOutput';
import { KernelEndWatch } from './kernelEnd';
import { statusContent } from './messages';
import { refusedMessageError } from './openConnections';

export interface ExecuteOptions {
	/** The execution is interrupted after this long and reported as a TimeoutError. */
	timeoutMs: number;
	/** Caps on stdout, stderr and each result; defaults to DEFAULT_OUTPUT_LIMITS. */
	limits?: OutputLimits;
}

export interface SendOptions extends ExecuteOptions {
	/** Code run silently just before, in the same queue (it defines the code's input variables). */
	prelude?: string;
	/** The kernel skips the requests queued behind this one when its code fails. */
	stopOnError?: boolean;
	/** No execution count or history of its own (the code runs other cells, e.g. the template's item runner). */
	silent?: boolean;
	/**
	 * How long to wait, after the run ended, for a value the kernel publishes late. Deno's kernel sometimes sends
	 * the execute_result just after its "idle" status, when the request already counts as done.
	 */
	lateResultMs?: number;
}

/** Where an execution's iopub messages go; by default into its own Execution. */
export type IoPubSink = (message: KernelMessage.IIOPubMessage) => void;

/** Why an execution was stopped from outside, and whether its kernel had to be replaced. */
export interface ExecutionStop {
	reason: ExecutionError;
	discarded: boolean;
}

/** The longest a run waits for output its kernel publishes after saying the run is done (see lateResult). */
const LATE_OUTPUT_MAX_MS = 2_000;
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

/**
 * One execution sent to a kernel, possibly queued behind others of ours, gathered from its iopub messages.
 * Its execution limit runs from `begin()`, called when the runs before it are done; a stop (limit, cancellation)
 * interrupts the kernel only once this code has started, so it never interrupts someone else's.
 */
export class PendingExecution {
	readonly outcome: Promise<RanExecution>;
	private readonly output: OutputCollector;
	private stopReason: ExecutionError | undefined;
	private discarded = false;
	private begun = false;
	private settled = false;
	private started = false;
	private timer: NodeJS.Timeout | undefined;
	private onStopped = () => {};
	private readonly whenStopped = new Promise<void>((resolve) => (this.onStopped = resolve));

	constructor(
		private readonly kernel: KernelConnection,
		code: string,
		private readonly options: SendOptions,
		private readonly control: KernelControl,
		sink?: IoPubSink,
	) {
		this.output = new OutputCollector(emptyExecution(), options.limits);
		const add = sink ?? ((message: KernelMessage.IIOPubMessage) => addIoPubMessage(this.output, message));
		// Sent back to back, so that no other client's code runs between them; a failing prelude aborts the code.
		const prelude = options.prelude
			? kernel.requestExecute({ code: options.prelude, silent: true, store_history: false, stop_on_error: true, allow_stdin: false })
			: undefined;
		const preludeDone = prelude?.done.then(
			(reply) => reply.content,
			() => undefined,
		);
		const future = kernel.requestExecute({
			code,
			silent: options.silent ?? false,
			store_history: !options.silent,
			stop_on_error: options.stopOnError ?? false,
			allow_stdin: false,
		});
		let protocolError: unknown;
		future.onIOPub = (message) => {
			try {
				if (message.header.msg_type === 'status') this.onStatus(message);
				add(message);
			} catch (error) {
				protocolError ??= error;
			}
		};
		this.outcome = this.collect(future, preludeDone, () => protocolError);
	}

	/** Starts the execution limit: this run is the next of ours the kernel runs. */
	begin(): void {
		if (this.begun) return;
		this.begun = true;
		this.restartLimit(this.options.timeoutMs);
		if (this.stopReason) this.act();
	}

	/** Starts the execution limit again, at `timeoutMs` from now (the next item of a request running many). */
	restartLimit(timeoutMs: number): void {
		clearTimeout(this.timer);
		if (this.stopReason || this.settled) return;
		this.timer = setTimeout(() => this.stop(timedOut(timeoutMs)), timeoutMs);
	}

	/** Set once the execution was stopped from outside. */
	get stopped(): ExecutionStop | undefined {
		return this.stopReason && { reason: this.stopReason, discarded: this.discarded };
	}

	/** The workflow was cancelled: interrupts the code once it runs, and reports it cancelled. */
	cancel(): void {
		this.stop(cancelled());
	}

	private stop(reason: ExecutionError): void {
		if (this.stopReason || this.settled) return;
		this.stopReason = reason;
		if (this.begun) this.act();
	}

	private act(): void {
		this.onStopped();
		if (this.started) this.interrupt();
	}

	private interrupt(): void {
		this.control.interrupt().catch(() => undefined);
	}

	private onStatus(message: KernelMessage.IIOPubMessage): void {
		const status = statusContent.safeParse(message.content);
		if (!status.success || status.data.execution_state !== 'busy' || this.started) return;
		this.started = true;
		if (this.stopReason && this.begun) this.interrupt();
	}

	private async collect(
		future: ReturnType<KernelConnection['requestExecute']>,
		preludeDone: Promise<KernelMessage.IExecuteReplyMsg['content'] | undefined> | undefined,
		protocolError: () => unknown,
	): Promise<RanExecution> {
		const { kernel, options, control } = this;
		const { execution } = this.output;
		// A kernel that dies (out of memory, os._exit) is reported dead by the sandbox's Jupyter server, which drops
		// it rather than restarting it (template/jupyter): the client then cancels our request.
		const end = new KernelEndWatch(kernel);
		// The sandbox stopped or was killed: the connection drops (the client starts reconnecting) and no reply will
		// ever come. The connection of a kernel that died closes too, which is handled above.
		let onLost = () => {};
		const lost = new Promise<never>((_, reject) => {
			onLost = () => {
				const refused = refusedMessageError(kernel.clientId);
				if (refused === undefined) return reject(new ConnectionLostError());
				if (this.started) this.interrupt();
				reject(refused);
			};
		});
		lost.catch(() => undefined);
		const onConnection = (_: unknown, status: string) => {
			if ((status === 'connecting' || status === 'disconnected') && !end.died) onLost();
		};
		kernel.connectionStatusChanged.connect(onConnection);

		try {
			const reply = await Promise.race([future.done, lost, this.whenStopped.then(async () => await afterInterrupt(future.done, control))]);
			if (reply) {
				addReply(this.output, reply.content);
			} else {
				this.discarded = true;
			}
			if (reply?.content.status === 'ok' && options.lateResultMs && !execution.results.some((result) => result.isMainResult)) {
				await lateResult(kernel, future.msg.header.msg_id, options.lateResultMs, (message) => addIoPubMessage(this.output, message));
			}
		} catch (error) {
			if (!end.died) throw error;
			execution.error = end.error();
			return { execution };
		} finally {
			this.settled = true;
			clearTimeout(this.timer);
			end.dispose();
			kernel.connectionStatusChanged.disconnect(onConnection);
		}
		if (protocolError()) throw protocolError();
		const preludeReply = await preludeDone;
		if (preludeReply?.status === 'error') {
			throw inputNotLoadedError(`${preludeReply.ename}: ${preludeReply.evalue}`);
		}
		if (this.stopReason) {
			execution.error = stoppedError(this.stopReason, this.discarded ? DISCARDED_NOTE : STATE_KEPT_NOTE, execution.error);
		}
		return { execution };
	}

}

export const DISCARDED_NOTE =
	'The kernel did not respond to the interrupt and was stopped: the next run starts a fresh one, without the variables and imports of earlier runs.';

/**
 * Waits for an execute_result of the request, and adds it, with the output printed meanwhile: until it comes, or
 * `waitMs` passed without any message of the request (Deno's kernel publishes a big output's rest as late as that),
 * and never longer than LATE_OUTPUT_MAX_MS.
 */
async function lateResult(
	kernel: KernelConnection,
	requestId: string,
	waitMs: number,
	add: (message: KernelMessage.IIOPubMessage) => void,
): Promise<void> {
	let quiet: NodeJS.Timeout | undefined;
	let longest: NodeJS.Timeout | undefined;
	let listener: ((_: unknown, message: KernelMessage.IIOPubMessage) => void) | undefined;
	await new Promise<void>((resolve) => {
		quiet = setTimeout(resolve, waitMs);
		longest = setTimeout(resolve, LATE_OUTPUT_MAX_MS);
		listener = (_, message) => {
			if ((message.parent_header as { msg_id?: string }).msg_id !== requestId) return;
			// Deno's kernel can publish what the code printed as late as its value.
			if (message.header.msg_type === 'stream') {
				add(message);
				quiet?.refresh();
			}
			if (message.header.msg_type !== 'execute_result') return;
			add(message);
			resolve();
		};
		kernel.iopubMessage.connect(listener);
	});
	clearTimeout(quiet);
	clearTimeout(longest);
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
