import type { KernelMessage } from '@jupyterlab/services';
import { randomBytes } from 'crypto';
import { posix } from 'path';
import { z } from 'zod';

import { emptyExecution, type ExecutionError } from '../../model/execution';
import { cancelledBeforeStart, skipped, STATE_KEPT_NOTE, stoppedError } from '../../model/executionStops';
import { OutputCollector } from '../../model/outputLimits';
import type { CodeRun, CodeRunOutcome, RanExecution } from '../Backend';
import { SandboxError } from '../../model/errors';
import type { SandboxFile } from '../files';
import { notStarted } from '../common/runInTurn';
import { SANDBOX_HOME } from '../../model/sandboxPath';
import { addIoPubMessage } from './ioPubOutput';
import { describeIssues } from '../../model/validation';
import { DISCARDED_NOTE, PendingExecution } from './PendingExecution';
import type { RunContext } from './runContext';

/** The marker the template's item runner shows after each item (template/python/sandbox_display/items.py). */
export const ITEM_END_MIME_TYPE = 'application/vnd.n8n-code-interpreter.item-end+json';
const writtenFile = z.object({ path: z.string(), size: z.number(), modifiedAt: z.number() });
const itemEnd = z.object({
	index: z.number().int(),
	status: z.enum(['ok', 'error', 'interrupted']),
	executionCount: z.number().int().nullable(),
	writtenFiles: z.array(writtenFile).optional(),
});
/** What the kernel says when the sandbox's image has no item runner (an image not built from our template). */
const NO_RUNNER = /^(ModuleNotFoundError|AttributeError)$/;

/**
 * Runs the Python code of many items in as few requests as possible: the template's item runner runs each as a
 * cell of its own and marks where its outputs end, so one request carries them all. A run stopped by its time limit
 * ends the request; the items after it go in the next. Resolves undefined when the sandbox has no item runner.
 */
export async function runItemsInOneRequest(
	runs: CodeRun[],
	stopOnError: boolean,
	outputFolder: string | undefined,
	context: RunContext,
): Promise<CodeRunOutcome[] | undefined> {
	const outcomes: CodeRunOutcome[] = [];
	while (outcomes.length < runs.length) {
		const rest = runs.slice(outcomes.length);
		if (rest[0].options.signal?.aborted) {
			outcomes.push(...rest.map(() => notStarted(cancelledBeforeStart())));
			break;
		}
		const path = `${SANDBOX_HOME}/.n8n-items-${randomBytes(8).toString('hex')}.json`;
		const batch = { stopOnError, outputFolder, runs: rest.map(({ code, options }) => ({ code, variables: namedVariables(code, options.variables) })) };
		await context.writeText(path, JSON.stringify(batch));
		const items = new ItemOutputs(rest, outputFolder !== undefined);
		const pending: PendingExecution = new PendingExecution(
			context.connection,
			`__import__("sandbox_display").run_items(${JSON.stringify(path)})`,
			{ timeoutMs: rest[0].options.timeoutMs, silent: true },
			context.control,
			(message) => items.add(message, (next) => pending.restartLimit(next.options.timeoutMs)),
		);
		context.track(pending);
		pending.begin();
		let request: RanExecution;
		try {
			request = await pending.outcome;
		} catch (error) {
			outcomes.push(...items.ended.map(ran), ...items.unended().map(() => ({ error: error as Error })));
			break;
		}
		if (items.protocolError) throw items.protocolError;
		const runnerError = request.execution.error;
		if (items.ended.length === 0 && runnerError && NO_RUNNER.test(runnerError.name) && outcomes.length === 0) return undefined;
		const stop = pending.stopped;
		const stoppedOne = stop && items.stoppedOne(stop.reason, stop.discarded);
		outcomes.push(...items.ended.map(ran));
		if (stoppedOne) outcomes.push(stoppedOne);
		else if (runnerError && !items.ended.some(({ status }) => status === 'interrupted')) {
			outcomes.push(...items.unended().map(() => ({ error: runnerFailed(runnerError) })));
			break;
		}
		const last = outcomes.at(-1);
		const failed = last !== undefined && 'execution' in last && last.execution.error !== null;
		const cause = stop?.discarded || (failed && stopOnError) ? skipped() : stop?.reason.name === 'ExecutionCancelled' ? cancelledBeforeStart() : undefined;
		if (cause) outcomes.push(...runs.slice(outcomes.length).map(() => notStarted(cause)));
	}
	return outcomes;
}

const ran = ({ execution, writtenFiles }: EndedItem): RanExecution => ({ execution, writtenFiles });

type EndedItem = RanExecution & { status: z.infer<typeof itemEnd>['status'] };

/** Splits the request's iopub messages into the items' Executions at the runner's markers. */
class ItemOutputs {
	readonly ended: EndedItem[] = [];
	protocolError: unknown;
	private current: OutputCollector;

	constructor(
		private readonly runs: CodeRun[],
		private readonly listsFiles: boolean,
	) {
		this.current = this.collectorFor(0);
	}

	add(message: KernelMessage.IIOPubMessage, onNext: (next: CodeRun) => void): void {
		try {
			const type = message.header.msg_type;
			if (type === 'status') return;
			const marker = type === 'display_data' ? (message.content as { data?: Record<string, unknown> }).data?.[ITEM_END_MIME_TYPE] : undefined;
			if (marker === undefined) {
				addIoPubMessage(this.current, message);
				return;
			}
			const end = itemEnd.safeParse(marker);
			if (!end.success || end.data.index !== this.ended.length) {
				throw new SandboxError(`The sandbox's item runner sent a malformed marker: ${end.success ? `item ${end.data.index} out of turn` : describeIssues(end.error)}`);
			}
			if (this.listsFiles && !end.data.writtenFiles) throw oldRunnerError();
			const { execution } = this.current;
			execution.executionCount = end.data.executionCount ?? execution.executionCount;
			this.ended.push({ execution, writtenFiles: end.data.writtenFiles?.map(sandboxFile), status: end.data.status });
			this.current = this.collectorFor(this.ended.length);
			const next = this.runs[this.ended.length];
			if (next) onNext(next);
		} catch (error) {
			this.protocolError ??= error;
		}
	}

	/** The item the stop hit (taken out of `ended`): the one it interrupted, or the one running when it came. */
	stoppedOne(reason: ExecutionError, discarded: boolean): RanExecution | undefined {
		const interrupted = this.ended.at(-1)?.status === 'interrupted' ? this.ended.pop() : undefined;
		if (!interrupted && this.ended.length === this.runs.length) return undefined;
		const { execution, writtenFiles } = interrupted ?? { execution: this.current.execution };
		execution.error = stoppedError(reason, discarded ? DISCARDED_NOTE : STATE_KEPT_NOTE, execution.error);
		return { execution, writtenFiles };
	}

	unended(): CodeRun[] {
		return this.runs.slice(this.ended.length);
	}

	private collectorFor(index: number): OutputCollector {
		return new OutputCollector(emptyExecution(), this.runs[index]?.options.limits);
	}
}

function sandboxFile({ path, size, modifiedAt }: z.infer<typeof writtenFile>): SandboxFile {
	return { name: posix.basename(path), path, type: 'file', size, modifiedAt: new Date(modifiedAt * 1000).toISOString() };
}

/** The variables the code names (as the preludes do): the others need not travel. */
function namedVariables(code: string, variables: Record<string, unknown> = {}): Record<string, unknown> {
	return Object.fromEntries(Object.entries(variables).filter(([name]) => new RegExp(`\\b${name}\\b`).test(code)));
}

function oldRunnerError(): SandboxError {
	return new SandboxError('The sandbox image\'s item runner does not report output files: the image is older than this node', {
		description: 'Build the image again from this package\'s template (npm run template:build), or clear Output Folder.',
	});
}

function runnerFailed(error: ExecutionError): SandboxError {
	return new SandboxError(`The sandbox's item runner failed: ${error.name}: ${error.value}`, {
		description: 'The items\' code did not run. Check that the input items are plain JSON, then try again.',
	});
}
