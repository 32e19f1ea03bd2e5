import { writeFileSync } from 'fs';
import { agentWorkflow, MODEL_CREDENTIAL } from './agentWorkflow';
import { N8n } from './n8n';
import { ScriptedModel } from './scriptedModel';

test('tool with code around $fromAI', async () => {
	const model = await ScriptedModel.start({ 'Mixed.': [{ toolCall: { code: 'x * 2' } }, { text: 'done' }], 'Single.': [{ toolCall: { code: '21 * 2' } }, { text: 'done' }] });
	const n8n = await N8n.start();
	try {
		await n8n.importCredentials([{ ...MODEL_CREDENTIAL, data: { apiKey: 'sk-scripted', url: model.url } }]);
		const wf = agentWorkflow('e2eAttackTool001', [{ sessionId: 's1', chatInput: 'Mixed.' }, { sessionId: 's2', chatInput: 'Single.' }], { 'Run Code': undefined });
		const tool = (wf.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find((n) => n.name === 'Run Code')!;
		tool.parameters = { code: "=x = 21\n{{ $fromAI('code', 'The code to run. Its last expression is returned.', 'string') }}" };
		await n8n.importWorkflow(wf);
		let err = '';
		try { await n8n.execute(wf.id); } catch (e) { err = String(e).slice(0, 2000); }
		writeFileSync('/tmp/attack/tool.json', JSON.stringify({ err, requests: model.requests.map((r) => ({ tools: r.tools?.map((t) => t.function.parameters), msgs: r.messages.filter((m) => m.role === 'tool') })) }, null, 1));
	} finally { await n8n.stop(); }
}, 600_000);
