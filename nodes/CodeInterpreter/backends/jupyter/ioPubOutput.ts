import { stripVTControlCharacters } from 'util';
import type { KernelMessage } from '@jupyterlab/services';
import type { z } from 'zod';

import { resultFromMimeBundle, type ExecutionError } from '../../model/execution';
import { skipped } from '../../model/executionStops';
import type { OutputCollector } from '../../model/outputLimits';
import { describeIssues } from '../../model/validation';
import { SandboxError } from '../../model/errors';
import {
	displayContent,
	errorContent,
	executeInputContent,
	executeReplyContent,
	executeResultContent,
	streamContent,
} from './messages';

/** What the kernel answers for a request it skipped because an earlier one failed with stop_on_error. */
const ABORTED = 'aborted';

/** Adds one iopub message of an execution to its output (validated: a malformed message throws). */
export function addIoPubMessage(output: OutputCollector, message: KernelMessage.IIOPubMessage): void {
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
			output.setError(toExecutionError(content));
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

/** Adds the execute_reply: its execution count, and an error when the kernel reports one the iopub did not. */
export function addReply(output: OutputCollector, content: unknown): void {
	const { execution } = output;
	const reply = parse(executeReplyContent, content, 'execute_reply');
	execution.executionCount = reply.execution_count ?? execution.executionCount;
	if (reply.status === ABORTED && !execution.error) {
		execution.error = skipped();
	} else if (reply.status !== 'ok' && !execution.error) {
		output.setError(toExecutionError({
			ename: reply.ename ?? 'ExecutionError',
			evalue: reply.evalue ?? `the kernel answered "${reply.status}"`,
			traceback: reply.traceback ?? [],
		}));
	}
}

function toExecutionError(content: z.infer<typeof errorContent>): ExecutionError {
	return { name: content.ename, value: content.evalue, traceback: stripVTControlCharacters(content.traceback.join('\n')) };
}

function parse<T extends z.ZodTypeAny>(schema: T, content: unknown, type: string): z.infer<T> {
	const parsed = schema.safeParse(content);
	if (!parsed.success) {
		throw new SandboxError(`The sandbox's kernel sent a malformed "${type}" message: ${describeIssues(parsed.error)}`);
	}
	return parsed.data;
}

