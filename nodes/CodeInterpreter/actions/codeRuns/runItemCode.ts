import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import type { Backend, RunCodeOptions } from '../../backends/Backend';
import type { ExecutionError } from '../../model/execution';
import { operationError } from '../operationError';
import { calledAsTool, conversationSandbox } from '../toolMode';
import { runBatch } from './batch';
import { itemBatches } from './itemBatches';
import { type CodeFor, type ItemRun, planRun } from './plannedRun';

/** The execution's error as the node reports it: the kernel's error name and value, the traceback as description. */
export function codeError(ctx: IExecuteFunctions, itemIndex: number, error: ExecutionError): NodeOperationError {
	return operationError(ctx.getNode(), `${error.name}: ${error.value}`, {
		itemIndex,
		description: error.traceback || undefined,
	});
}

/** A temporary sandbox outlives its one execution by this much, so it is still there to be killed cleanly. */
const TEMPORARY_SANDBOX_MARGIN_SECONDS = 60;

export interface ItemCodeOptions extends Pick<RunCodeOptions, 'figureSvg'> {
	/** The item's run may go to the sandbox together with the following items' (itemBatches.ts). */
	batched?: boolean;
}

/**
 * Runs the node's code for one input item (Run Code, Get Chart), in the given sandbox or in a temporary one
 * killed afterwards. Resolves with undefined for the items after the first in "Run Once for All Items" mode.
 */
export async function runItemCode(
	ctx: IExecuteFunctions,
	itemIndex: number,
	backend: Backend,
	codeFor: CodeFor,
	{ batched = false, ...extra }: ItemCodeOptions = {},
): Promise<ItemRun | undefined> {
	const planned = planRun(ctx, itemIndex, codeFor, extra);
	if (!planned) return undefined;
	const plan =
		!planned.sandboxId && calledAsTool(ctx)
			? { ...planned, sandboxId: await conversationSandbox(ctx, itemIndex, backend, planned.options.timeoutMs) }
			: planned;
	const stopOnError = !ctx.continueOnFail();
	if (plan.sandboxId && plan.perItem && batched) return await itemBatches(ctx).take(itemIndex, plan, backend, codeFor, extra);
	if (plan.sandboxId) return unwrap(await runBatch(ctx, backend, plan.sandboxId, [plan], stopOnError));

	const temporary = (await backend.create({ timeoutSeconds: plan.options.timeoutMs / 1000 + TEMPORARY_SANDBOX_MARGIN_SECONDS })).sandboxId;
	try {
		return unwrap(await runBatch(ctx, backend, temporary, [plan], stopOnError));
	} finally {
		await backend.kill(temporary).catch(() => undefined);
	}
}

function unwrap([run]: Array<ItemRun | Error>): ItemRun {
	if (run instanceof Error) throw run;
	return run;
}
