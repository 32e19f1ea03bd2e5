import type { WorkflowJson } from './n8n';

const DOCKER_CREDENTIAL = { codeInterpreterDockerApi: { id: 'ciDockerLocal001', name: 'Code Interpreter Docker (local socket)' } };

/** The scripted model's credential (`openAiApi` with the model's URL), to import before the workflow. */
export const MODEL_CREDENTIAL = { id: 'e2eScriptedModel', name: 'Scripted model', type: 'openAiApi' };

/**
 * n8n's AI Agent (typeVersion 3, in n8n 1.x and 2.x) with an OpenAI Chat Model on the scripted model and this node
 * as its tools, on their defaults; a Code node sends it the chat messages, as a Chat Trigger would.
 * `tools`: node name → the tool node's Docker credential (the local one when not given) and parameters (none given).
 */
export function agentWorkflow(
	id: string,
	messages: Array<{ sessionId: string; chatInput: string }>,
	tools: Record<string, { credentials?: Record<string, { id: string; name: string }>; parameters?: Record<string, unknown> }>,
	agentVersion = 3,
): WorkflowJson {
	const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra = {}) => ({
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		...extra,
	});
	const toolNames = Object.keys(tools);
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Chat Messages', 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(messages.map((json) => ({ json })))};` }),
		node('AI Agent', '@n8n/n8n-nodes-langchain.agent', agentVersion, { promptType: 'define', text: '={{ $json.chatInput }}', options: {} }),
		node(
			'Model',
			'@n8n/n8n-nodes-langchain.lmChatOpenAi',
			1.2,
			{ model: { __rl: true, mode: 'id', value: 'scripted' }, options: {} },
			{ credentials: { openAiApi: { id: MODEL_CREDENTIAL.id, name: MODEL_CREDENTIAL.name } } },
		),
		...toolNames.map((name) =>
			node(name, 'n8n-nodes-code-interpreter.codeInterpreterTool', 1, tools[name].parameters ?? {}, { credentials: tools[name].credentials ?? DOCKER_CREDENTIAL }),
		),
	].map((entry, index) => ({ ...entry, id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` }));
	return {
		id,
		name: `e2e: AI Agent with the Code Interpreter tool (${id})`,
		active: false,
		nodes,
		connections: {
			Start: { main: [[{ node: 'Chat Messages', type: 'main', index: 0 }]] },
			'Chat Messages': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			Model: { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			...Object.fromEntries(toolNames.map((name) => [name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
