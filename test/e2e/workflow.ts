import type { WorkflowJson } from './n8n';

export interface NodeSpec {
	name: string;
	parameters: Record<string, unknown>;
	/** Defaults to this package's node, with the local Docker credential of examples/credentials.json. */
	type?: string;
	typeVersion?: number;
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	/** n8n's "Execute Once" setting: the node runs for the first item only. */
	executeOnce?: boolean;
	/** Our node's credentials; the local Docker one when not given. */
	credentials?: Record<string, { id: string; name: string }>;
}

const OUR_NODE = 'n8n-nodes-code-interpreter.codeInterpreter';
const DOCKER_CREDENTIAL = { codeInterpreterDockerApi: { id: 'ciDockerLocal001', name: 'Code Interpreter Docker (local socket)' } };

/** A workflow of a manual trigger followed by the given nodes, each feeding the next. */
export function chain(id: string, nodes: NodeSpec[], settings: Record<string, unknown> = {}): WorkflowJson {
	const all: NodeSpec[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes];
	return {
		id,
		name: `e2e: ${id}`,
		active: false,
		nodes: all.map((node, index) => ({
			id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
			name: node.name,
			type: node.type ?? OUR_NODE,
			typeVersion: node.typeVersion ?? 1,
			position: [index * 220, 0],
			parameters: node.parameters,
			...(node.type ? {} : { credentials: node.credentials ?? DOCKER_CREDENTIAL }),
			...(node.onError ? { onError: node.onError } : {}),
			...(node.executeOnce ? { executeOnce: true } : {}),
		})),
		connections: Object.fromEntries(
			all.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] }]),
		),
		settings: { executionOrder: 'v1', ...settings },
		pinData: {},
	};
}

/** Nodes that turn the trigger's one item into these items (Edit Fields, then Split Out). */
export function itemsFrom(items: Array<Record<string, unknown>>): NodeSpec[] {
	return [
		{
			name: 'Items',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }) },
		},
		{ name: 'Split Items', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'items' } },
	];
}

export const runCode = (parameters: Record<string, unknown>): Record<string, unknown> => ({
	resource: 'code',
	operation: 'run',
	...parameters,
});
