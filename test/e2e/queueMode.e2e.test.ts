import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

import { conversationSandboxes, removeConversationSandboxes } from './conversationSandboxes';
import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';
import { freePorts, N8nProcess } from './n8nProcess';
import { N8nServer } from './n8nServer';
import { ScriptedModel } from './scriptedModel';

/**
 * n8n in queue mode (a main process taking the chat webhook, workers running the executions, Redis between them):
 * the AI data analyst example's conversation goes on in another worker process, which finds the conversation's
 * sandbox through Docker alone.
 */
const ROOT = join(__dirname, '..', '..');
const WORKER_READY_WITHIN_MS = 120_000;
const SESSION = 'queue-mode-session';
const SALES_CODE = 'import pandas as pd\nsales = pd.DataFrame({"month": range(1, 13), "revenue": [100 + 15 * m for m in range(12)]})\nlen(sales)';
const TOTAL_CODE = 'int(sales["revenue"].sum())';

let redis: ChildProcess | undefined;
let n8n: N8n;
let model: ScriptedModel;
let main: N8nServer | undefined;
const workers: N8nProcess[] = [];
let queueEnv: NodeJS.ProcessEnv;
let workflow: WorkflowJson;

async function startWorker(): Promise<N8nProcess> {
	const worker = await N8nProcess.spawn(n8n, ['worker', '--concurrency=1'], queueEnv);
	workers.push(worker);
	await worker.waitForLog(/n8n worker is now ready/, WORKER_READY_WITHIN_MS);
	return worker;
}

async function chat(chatInput: string): Promise<string> {
	const webhookId = (workflow.nodes as Array<{ webhookId?: string }>).find((node) => node.webhookId)!.webhookId!;
	const response = await fetch(`${main!.url}/webhook/${webhookId}/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId: SESSION, chatInput }),
		signal: AbortSignal.timeout(120_000),
	});
	expect(response.status).toBe(200);
	return ((await response.json()) as { output: string }).output;
}

beforeAll(async () => {
	const redisServer = execFileSync('bash', [join(ROOT, 'scripts', 'debian-tool.sh'), 'redis-server'], { encoding: 'utf8' }).trim();
	const [redisPort] = await freePorts(1);
	redis = spawn(redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	queueEnv = { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redisPort) };

	model = await ScriptedModel.start({
		'Load the monthly sales.': [{ toolCall: { code: SALES_CODE } }, { text: 'Loaded 12 months.' }],
		'What is the total?': [{ toolCall: { code: TOTAL_CODE } }, { text: 'The total is 2190.' }],
	});
	n8n = await N8n.start();
	await n8n.importCredentials([{ id: 'ciExampleOpenAi01', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: model.url } }]);
	workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'ai-data-analyst.json'), 'utf8')) as WorkflowJson;
	await n8n.importWorkflow(workflow);
	await N8nServer.publishWorkflow(n8n, workflow.id);
	main = await N8nServer.start({ n8n, env: queueEnv });
}, 600_000);

afterAll(async () => {
	await Promise.all(workers.map((worker) => worker.stop()));
	await main?.stop();
	redis?.kill();
	await model?.stop();
	await removeConversationSandboxes(workflow.id, [SESSION]);
	await n8n?.stop();
}, 120_000);

test('a conversation goes on in another worker process, in the same sandbox', async () => {
	const first = await startWorker();
	expect(await chat('Load the monthly sales.')).toBe('Loaded 12 months.');
	expect(first.log).toMatch(/Worker started execution \d+/);
	const [sandbox] = await conversationSandboxes(workflow.id, [SESSION]);
	expect(sandbox).toBeDefined();

	// The worker that ran the first message is gone; a new process takes the next one.
	await first.stop();
	const second = await startWorker();
	expect(await chat('What is the total?')).toBe('The total is 2190.');
	expect(second.log).toMatch(/Worker started execution \d+/);

	expect(model.toolResults()).toEqual([
		[{ status: 'ok', result: '12' }],
		[{ status: 'ok', result: '2190' }],
	]);
	const [after] = await conversationSandboxes(workflow.id, [SESSION]);
	expect(after?.Id).toBe(sandbox!.Id);
}, 300_000);
