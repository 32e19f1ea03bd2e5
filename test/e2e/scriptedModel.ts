import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/** One answer of the scripted model: call a tool (the first one offered unless named) with these arguments, or reply with text. */
export type ModelStep = { toolCall: Record<string, unknown>; tool?: string } | { text: string };

interface ChatMessage {
	role: string;
	content: string | null;
	tool_call_id?: string;
}

export interface ChatRequest {
	messages: ChatMessage[];
	tools?: Array<{ function: { name: string; description: string; parameters: unknown } }>;
}

/**
 * A local OpenAI-compatible chat completions server playing a model from a script, for n8n's OpenAI Chat Model
 * node. The script is chosen by the user's message; the step by how many tool results followed it, so the server
 * keeps no conversation state of its own. Every request is recorded.
 */
export class ScriptedModel {
	readonly requests: ChatRequest[] = [];

	private constructor(
		private readonly server: Server,
		private readonly scripts: Record<string, ModelStep[]>,
	) {}

	static async start(scripts: Record<string, ModelStep[]>): Promise<ScriptedModel> {
		const server = createServer();
		const model = new ScriptedModel(server, scripts);
		server.on('request', (request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString()));
			request.on('end', () => {
				const answer = request.url?.endsWith('/chat/completions') ? model.answer(JSON.parse(body) as ChatRequest) : { error: 'not found' };
				response.writeHead('error' in answer ? 404 : 200, { 'content-type': 'application/json' });
				response.end(JSON.stringify(answer));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return model;
	}

	/** The base URL for the openAiApi credential. */
	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
	}

	/** What the agent's tool returned to the model, in order, parsed. */
	toolResults(): unknown[] {
		const seen = new Map<string, unknown>();
		for (const { messages } of this.requests) {
			for (const message of messages) {
				if (message.role === 'tool' && message.tool_call_id && message.content !== null) seen.set(message.tool_call_id, JSON.parse(message.content));
			}
		}
		return [...seen.values()];
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server.close(resolve));
	}

	private answer(request: ChatRequest): Record<string, unknown> {
		this.requests.push(request);
		const lastUser = request.messages.map((message) => message.role).lastIndexOf('user');
		const userText = String(request.messages[lastUser]?.content ?? '');
		const script = this.scripts[userText];
		if (!script) return { error: `no script for the user message ${JSON.stringify(userText)}` };
		const step = script[request.messages.slice(lastUser).filter((message) => message.role === 'tool').length] ?? { text: 'Script ended.' };
		const id = `call_${this.requests.length}`;
		const message =
			'toolCall' in step
				? {
						role: 'assistant',
						content: null,
						tool_calls: [{ id, type: 'function', function: { name: step.tool ?? request.tools?.[0]?.function.name, arguments: JSON.stringify(step.toolCall) } }],
					}
				: { role: 'assistant', content: step.text };
		return {
			id: `chatcmpl-${this.requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: 'scripted',
			choices: [{ index: 0, message, finish_reason: 'toolCall' in step ? 'tool_calls' : 'stop' }],
			usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
		};
	}
}
