import type { IExecuteFunctions } from 'n8n-workflow';

import type { Backend, RunCodeOptions } from '../../backends/Backend';
import { runBatch } from './batch';
import { type CodeFor, type ItemRun, type PlannedRun, planRun } from './plannedRun';

/** One per node execution (its IExecuteFunctions), made on first use. */
const batchesOf = new WeakMap<IExecuteFunctions, ItemBatches>();

/** The item batches of this node execution. */
export function itemBatches(ctx: IExecuteFunctions): ItemBatches {
	let batches = batchesOf.get(ctx);
	if (!batches) batchesOf.set(ctx, (batches = new ItemBatches(ctx)));
	return batches;
}

/**
 * The per-item runs of one node execution, sent in batches: when an item's turn comes, its run goes to the sandbox
 * together with the following items that run the same way (same sandbox, language and output folder), so the
 * kernel runs them back to back; each item then takes its own outcome, in order.
 */
export class ItemBatches {
	private readonly sent = new Map<number, Promise<ItemRun | Error>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	async take(itemIndex: number, plan: PlannedRun, backend: Backend, codeFor: CodeFor, extra: Pick<RunCodeOptions, 'figureSvg'>): Promise<ItemRun> {
		if (!this.sent.has(itemIndex)) this.send(itemIndex, plan, backend, codeFor, extra);
		const run = await this.sent.get(itemIndex);
		this.sent.delete(itemIndex);
		if (!run || run instanceof Error) throw run ?? new Error(`Item ${itemIndex} was not sent`);
		return run;
	}

	private send(itemIndex: number, plan: PlannedRun, backend: Backend, codeFor: CodeFor, extra: Pick<RunCodeOptions, 'figureSvg'>): void {
		const plans = [plan, ...this.following(itemIndex, plan, codeFor, extra)];
		const runs = runBatch(this.ctx, backend, plan.sandboxId, plans, !this.ctx.continueOnFail());
		// Each item takes its outcome when its turn comes; a failure of the whole batch reaches every one of them.
		runs.catch(() => undefined);
		plans.forEach((_, offset) => this.sent.set(itemIndex + offset, runs.then((outcomes) => outcomes[offset], (error: Error) => error)));
	}

	/** The items after this one that can go with it; an item whose parameters do not read is left to its own turn. */
	private following(itemIndex: number, first: PlannedRun, codeFor: CodeFor, extra: Pick<RunCodeOptions, 'figureSvg'>): PlannedRun[] {
		const { ctx } = this;
		const plans: PlannedRun[] = [];
		const work = ['resource', 'operation', 'backend'].map((name) => [name, ctx.getNodeParameter(name, itemIndex)] as const);
		for (let next = itemIndex + 1; next < ctx.getInputData().length; next++) {
			try {
				const sameWork = work.every(([name, value]) => ctx.getNodeParameter(name, next) === value);
				const plan = sameWork ? planRun(ctx, next, codeFor, extra) : undefined;
				if (!plan || !goesWith(plan, first)) break;
				plans.push(plan);
			} catch {
				break;
			}
		}
		return plans;
	}
}

function goesWith(plan: PlannedRun, first: PlannedRun): boolean {
	return plan.perItem && plan.sandboxId === first.sandboxId && plan.options.language === first.options.language && plan.outputFolder === first.outputFolder;
}
