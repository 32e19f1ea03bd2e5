import type { IExecuteFunctions } from 'n8n-workflow';

import type { Backend } from '../backends/Backend';
import { getParameters, parameterSchemas } from './parameters';

/** The sandbox outlives the longest run by this much, so that a run never outlasts it. */
const RUN_MARGIN_SECONDS = 60;

/**
 * Whether an AI Agent called the node as its tool. n8n runs tools as nodes of the type `<name>Tool`; its
 * `isToolExecution()` says false in that path (n8n 2's agents run tools through the workflow engine).
 */
export function calledAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * The sandbox of the agent's conversation: the same one for every call with the same Conversation ID in this
 * workflow, from any n8n process (the backend finds it by name), kept alive for the idle timeout after each call,
 * then paused (resumed by the next call) or killed.
 */
export async function conversationSandbox(ctx: IExecuteFunctions, itemIndex: number, backend: Backend, runTimeoutMs: number): Promise<string> {
	const { conversationId, conversationIdleMinutes, conversationOnIdle } = getParameters(ctx, itemIndex, {
		conversationId: parameterSchemas.optionalConversationId,
		conversationIdleMinutes: parameterSchemas.idleMinutes,
		conversationOnIdle: parameterSchemas.onIdle,
	});
	const conversation = conversationId || `execution ${ctx.getExecutionId()}`;
	const timeoutSeconds = Math.max(conversationIdleMinutes * 60, runTimeoutMs / 1000 + RUN_MARGIN_SECONDS);
	const { sandboxId } = await backend.openNamed(`${ctx.getWorkflow().id ?? ''}/${conversation}`, { timeoutSeconds, onTimeout: conversationOnIdle });
	return sandboxId;
}
