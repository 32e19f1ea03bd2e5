import Docker from 'dockerode';

import { execInContainer } from '../../nodes/CodeInterpreter/backends/docker/exec';
import { DEADLINE_FILE } from '../../nodes/CodeInterpreter/backends/docker/isolation';
import { conversationSandboxes, removeConversationSandboxes } from './conversationSandboxes';
import { agentWorkflow, MODEL_CREDENTIAL } from './agentWorkflow';
import { N8n } from './n8n';
import { ScriptedModel } from './scriptedModel';

/**
 * n8n's real AI Agent and OpenAI Chat Model nodes, the model played by a local scripted server, with this node as
 * the agent's tool on its defaults. Three chat messages in two conversations, as a Chat Trigger would send them.
 */
const WORKFLOW_ID = 'e2eAgentTool0001';
const MESSAGES = [
	{ sessionId: 'conversation-a', chatInput: 'Set x to 21.' },
	{ sessionId: 'conversation-a', chatInput: 'Double x and chart it.' },
	{ sessionId: 'conversation-b', chatInput: 'What is x?' },
	{ sessionId: 'conversation-b', chatInput: 'Use the other sandbox.' },
	{ sessionId: 'conversation-c', chatInput: 'Use the setup tool.' },
];
const SESSIONS = ['conversation-a', 'conversation-b', 'conversation-c'];
const CHART_CODE = [
	'import matplotlib.pyplot as plt',
	'plt.bar(["x", "x * 2"], [x, x * 2])',
	'plt.title("Doubling x")',
	'plt.ylabel("value")',
	'plt.show()',
	'import os',
	'os.makedirs("output", exist_ok=True)',
	'open("output/report.csv", "w").write("x,double\\n21,42\\n")',
	'x * 2',
].join('\n');

let n8n: N8n;
let model: ScriptedModel;
const docker = new Docker();

beforeAll(async () => {
	model = await ScriptedModel.start({
		'Set x to 21.': [{ toolCall: { code: 'x = 21\nprint("x is set")' }, tool: 'Run_Code' }, { text: 'x is 21 now.' }],
		'Double x and chart it.': [{ toolCall: { code: CHART_CODE }, tool: 'Run_Code' }, { text: 'x * 2 is 42; the chart shows both.' }],
		'What is x?': [{ toolCall: { code: 'x' }, tool: 'Run_Code' }, { text: 'x is not defined in this conversation.' }],
		'Use the other sandbox.': [{ toolCall: { code: 'x' }, tool: 'Unreachable_Docker' }, { text: 'That sandbox cannot be reached.' }],
		'Use the setup tool.': [{ toolCall: { code: 'x * 2' }, tool: 'Setup_Then_Run' }, { text: 'x * 2 is 42 after the setup.' }],
		'Triple x.': [{ toolCall: { code: 'x * 3' }, tool: 'Run_Code' }, { text: 'x * 3 is 63.' }],
	});
	n8n = await N8n.start();
	await n8n.importCredentials([
		{ ...MODEL_CREDENTIAL, data: { apiKey: 'sk-scripted', url: model.url } },
		{ id: 'e2eNoDockerHere1', name: 'No Docker here', type: 'codeInterpreterDockerApi', data: { connection: 'socket', socketPath: '/nonexistent/docker.sock' } },
	]);
}, 600_000);

afterAll(async () => {
	await removeConversationSandboxes(WORKFLOW_ID, SESSIONS);
	await n8n?.stop();
	await model?.stop();
});

test('an AI Agent keeps one sandbox per conversation, reads 42, a chart description and a written file, gets a traceback, and finds x again after the sandbox paused idle', async () => {
	await n8n.importWorkflow(
		agentWorkflow(
			WORKFLOW_ID,
			MESSAGES,
			{
				'Run Code': {},
				'Unreachable Docker': { credentials: { codeInterpreterDockerApi: { id: 'e2eNoDockerHere1', name: 'No Docker here' } } },
				// The model's code after a line of the workflow's own: $fromAI among code.
				'Setup Then Run': { parameters: { code: "=x = 21\n{{ $fromAI('code', 'Code to run once x is set', 'string') }}" } },
			},
			3.1,
		),
	);
	const result = await n8n.execute(WORKFLOW_ID);

	// What the model was told about the tool: the node's own description, and only `code` (language optional).
	const tool = model.requests[0].tools?.find(({ function: { name } }) => name === 'Run_Code')?.function;
	expect(tool?.name).toBe('Run_Code');
	expect(tool?.description).toMatch(/State persists between calls in this conversation/);
	expect(tool?.parameters).toMatchObject({ required: ['code'], properties: { code: { type: 'string' }, language: { type: 'string' } } });

	const [defined, doubled, elsewhere, unreachable, setUp] = model.toolResults() as Array<Array<Record<string, unknown>>>;
	expect(defined).toEqual([{ status: 'ok', stdout: 'x is set\n' }]);
	// The second call of conversation A saw the first call's x; the chart came back as a line of text.
	// The file it wrote to output/ came back on the tool's defaults: listed for the model, attached for the user.
	expect(doubled).toEqual([
		{ status: 'ok', result: '42', charts: ['bar chart "Doubling x"; y axis "value"; 2 bars'], files: ['/home/user/output/report.csv (15 bytes)'] },
	]);
	// Conversation B has a sandbox of its own: x is not there, and the model gets the traceback, without colours.
	expect(elsewhere).toHaveLength(1);
	expect(elsewhere[0]).toMatchObject({ status: 'error', error: "NameError: name 'x' is not defined" });
	expect(elsewhere[0].traceback).toMatch(/NameError\s+Traceback \(most recent call last\)[\s\S]*----> 1 x/);
	expect(elsewhere[0].traceback).not.toMatch(/\u001b\[/);

	// A sandbox that cannot be had does not fail the workflow: the model reads what went wrong and what to do.
	expect(unreachable).toEqual([
		{
			error: expect.stringMatching(/^Cannot reach the Docker engine at .*\/nonexistent\/docker\.sock.* \(ENOENT\)$/),
			details: 'Check that Docker is running and that the credential points at it.',
		},
	]);

	// A tool whose Code mixes the workflow's own code with $fromAI runs both.
	expect(setUp).toEqual([{ status: 'ok', result: '42' }]);

	// The agent answered each message with the script's final text.
	expect(N8n.items(result, 'AI Agent').map((item) => item.json.output)).toEqual([
		'x is 21 now.',
		'x * 2 is 42; the chart shows both.',
		'x is not defined in this conversation.',
		'That sandbox cannot be reached.',
		'x * 2 is 42 after the setup.',
	]);
	// The chart image stayed in the workflow, on the tool's output item, for later nodes to send.
	const toolRuns = result.data.resultData.runData['Run Code'];
	const chartItem = toolRuns.map((run) => (run.data as unknown as { ai_tool: Array<Array<{ binary?: Record<string, { mimeType: string }> }>> }).ai_tool[0][0]);
	expect(chartItem[1].binary?.data).toMatchObject({ mimeType: 'image/png' });
	expect(chartItem[1].binary?.report_csv).toMatchObject({ mimeType: 'text/csv', fileName: 'report.csv' });

	// One sandbox per conversation, alive after the run and stopping on its own after the idle timeout (15 min).
	const [sandboxA, sandboxB] = await conversationSandboxes(WORKFLOW_ID, SESSIONS);
	expect(sandboxA).toBeDefined();
	expect(sandboxB).toBeDefined();
	expect(sandboxA!.Id).not.toBe(sandboxB!.Id);
	const deadline = Number((await execInContainer(docker.getContainer(sandboxA!.Id), ['cat', DEADLINE_FILE])).trim()) * 1000;
	expect(deadline - Date.now()).toBeGreaterThan(13 * 60_000);
	expect(deadline - Date.now()).toBeLessThanOrEqual(15 * 60_000);

	// Idle: with the tool's defaults (When Idle: pause) the sandbox pauses at its deadline, brought forward here, and
	// the conversation's next message, another execution, resumes it with x.
	await execInContainer(docker.getContainer(sandboxA!.Id), ['sh', '-c', `echo ${Math.ceil(Date.now() / 1000) + 1} > ${DEADLINE_FILE}`]);
	const until = Date.now() + 60_000;
	while ((await docker.getContainer(sandboxA!.Id).inspect()).State.Running && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 500));
	expect((await docker.getContainer(sandboxA!.Id).inspect()).State).toMatchObject({ Running: false, ExitCode: 75 });
	await n8n.importWorkflow(agentWorkflow(WORKFLOW_ID, [{ sessionId: 'conversation-a', chatInput: 'Triple x.' }], { 'Run Code': {} }, 3.1));
	const next = await n8n.execute(WORKFLOW_ID);
	expect(N8n.items(next, 'AI Agent').map((item) => item.json.output)).toEqual(['x * 3 is 63.']);
	expect(model.toolResults().at(-1)).toEqual([{ status: 'ok', result: '63' }]);
	expect((await conversationSandboxes(WORKFLOW_ID, SESSIONS))[0]?.Id).toBe(sandboxA!.Id);
}, 300_000);
