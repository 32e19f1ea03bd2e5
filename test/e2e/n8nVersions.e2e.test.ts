import { readFileSync } from 'fs';
import { join } from 'path';

import { decodePng } from '../helpers/png';
import { agentWorkflow, MODEL_CREDENTIAL } from './agentWorkflow';
import { removeConversationSandboxes } from './conversationSandboxes';
import { EXAMPLES_DIR, N8n, type RunItem, type RunResult, type WorkflowJson } from './n8n';
import { ScriptedModel } from './scriptedModel';
import { chain, itemsFrom, runCode } from './workflow';

/**
 * The smoke test on every n8n version the package supports (package.json's `codeInterpreter.testedN8nVersions`: the
 * default of scripts/n8n-install.sh and the newest n8n 1.x): the package loads, a core workflow keeps a sandbox's
 * state, a chart comes back as a PNG with its data, and the node works as an AI Agent's tool.
 */
const VERSIONS = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { codeInterpreter: { testedN8nVersions: string[] } })
	.codeInterpreter.testedN8nVersions;
const SESSION = 'smoke-conversation';
const CHART_CODE = 'import matplotlib.pyplot as plt\nplt.bar(["x", "x * 2"], [x, x * 2])\nplt.title("Doubling x")\nplt.show()\nx * 2';

describe.each(VERSIONS)('n8n %s', (version) => {
	let n8n: N8n;
	let model: ScriptedModel;
	const agentWorkflowId = `e2eSmokeAgent${version.replace(/\D/g, '')}`.slice(0, 16);

	beforeAll(async () => {
		model = await ScriptedModel.start({
			'Set x to 21.': [{ toolCall: { code: 'x = 21\nprint("x is set")' } }, { text: 'x is 21 now.' }],
			'Double x and chart it.': [{ toolCall: { code: CHART_CODE } }, { text: 'x * 2 is 42.' }],
		});
		n8n = await N8n.start({ version });
		await n8n.importCredentials([{ ...MODEL_CREDENTIAL, data: { apiKey: 'sk-scripted', url: model.url } }]);
	}, 900_000);

	afterAll(async () => {
		await removeConversationSandboxes(agentWorkflowId, [SESSION]);
		await n8n?.stop();
		await model?.stop();
	});

	test('Create Sandbox → Run x = 21 → Run x * 2 → Kill Sandbox keeps the state', async () => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'stateful-sandbox.json'), 'utf8')) as WorkflowJson;
		await n8n.importWorkflow(workflow);
		const result = await n8n.execute(workflow.id);
		const [created] = N8n.items(result, 'Create Sandbox');
		const sandboxId = created.json.sandboxId as string;
		expect(N8n.items(result, 'Run x = 21')[0].json).toMatchObject({ sandboxId, stdout: 'x is set\n', error: null });
		expect(N8n.items(result, 'Run x * 2')[0].json).toMatchObject({ sandboxId, text: '42', error: null });
		expect(N8n.items(result, 'Kill Sandbox')[0].json).toEqual({ sandboxId, killed: true });
	}, 120_000);

	test('items → a matplotlib chart: Run Code gives the PNG, Get Chart its rows', async () => {
		const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
		const sales = [
			{ region: 'North', sales: 120 },
			{ region: 'South', sales: 80.5 },
		];
		const workflow = chain(`smokeChart${version.replace(/\D/g, '')}`, [
			{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300 } },
			...itemsFrom(sales),
			{
				name: 'Run Code',
				parameters: runCode({ sandboxId, mode: 'runOnceForAllItems', code: 'import matplotlib.pyplot as plt\nplt.bar([i["region"] for i in items], [i["sales"] for i in items])\nplt.title("Sales")\nplt.show()' }),
			},
			{ name: 'Get Chart', parameters: { resource: 'chart', operation: 'get', sandboxId, code: 'plt.bar([i["region"] for i in items], [i["sales"] for i in items])\nplt.title("Sales")' } },
			{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
		]);
		await n8n.importWorkflow(workflow);
		const result = await n8n.execute(workflow.id);
		const [ran] = N8n.items(result, 'Run Code');
		expect(ran.json.error).toBeNull();
		expect(ran.binary?.data).toMatchObject({ mimeType: 'image/png' });
		expect(decodePng(n8n.binaryContent(ran.binary!.data)).width).toBeGreaterThan(100);
		const [chart] = N8n.items(result, 'Get Chart');
		expect(chart.json.rows).toEqual(sales.map(({ region, sales: value }) => ({ label: region, group: null, value })));
		expect(chart.binary?.chart).toMatchObject({ mimeType: 'image/png' });
		expect(N8n.items(result, 'Kill Sandbox')[0].json.killed).toBe(true);
	}, 120_000);

	test('as an AI Agent\'s tool: a conversation keeps its sandbox from one chat message (execution) to the next, its chart described to the model', async () => {
		const outputs: unknown[] = [];
		let chartBinary: NonNullable<RunItem['binary']>[string] | undefined;
		// One message per execution, as a Chat Trigger sends them.
		for (const chatInput of ['Set x to 21.', 'Double x and chart it.']) {
			await n8n.importWorkflow(agentWorkflow(agentWorkflowId, [{ sessionId: SESSION, chatInput }], { 'Run Code': {} }));
			const result = await n8n.execute(agentWorkflowId);
			outputs.push(...N8n.items(result, 'AI Agent').map((item) => item.json.output));
			chartBinary = toolOutput(result)?.binary?.data;
		}
		expect(model.toolResults()).toEqual([
			[{ status: 'ok', stdout: 'x is set\n' }],
			[{ status: 'ok', result: '42', charts: ['bar chart "Doubling x"; 2 bars'] }],
		]);
		expect(outputs).toEqual(['x is 21 now.', 'x * 2 is 42.']);
		// The chart image stays on the tool's output item (stored by n8n 2, inline in n8n 1's memory mode).
		expect(chartBinary).toMatchObject({ mimeType: 'image/png' });
		expect(decodePng(n8n.binaryContent(chartBinary ?? {})).width).toBeGreaterThan(100);
	}, 300_000);
});

/** The item the agent's tool gave in its last call (n8n records tool calls as runs of the tool node). */
function toolOutput(result: RunResult): RunItem | undefined {
	const runs = result.data.resultData.runData['Run Code'] ?? [];
	return (runs.at(-1)?.data as unknown as { ai_tool?: RunItem[][] } | undefined)?.ai_tool?.[0]?.[0];
}
