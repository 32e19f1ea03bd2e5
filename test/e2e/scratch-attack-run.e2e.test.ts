import { writeFileSync } from 'fs';
import { N8n } from './n8n';
import { chain, runCode, type NodeSpec } from './workflow';

const TRICKY = {
	customer: { name: 'Ada' },
	'a b': 1, 'a.b': 2, "it's": 4, 'say "hi"': 5, 'back\\slash': 6, 'café': 7, '0': 8, '123abc': 9, $d: 10,
	'new\nline': 11, arr: [{ x: 1 }, [2, 3]], nested: { deep: { 'k-1': 'v' } }, 'end\\': 13, '`tick`': 14, "'$(id)'": 15,
	code: 'print("from code field")', count: 3,
};
const tricky: NodeSpec = { name: 'Tricky', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify(TRICKY) } };
// What n8n's generatePath emits (workflows.store Vv: identifier -> .k, number -> [n], else ['k'] with ' escaped only).
const FIELDS = [
	"$json['a b']", "$json['a.b']", "$json['it\\'s']", "$json['say \"hi\"']", "$json['back\\slash']", "$json['café']", "$json['0']",
	"$json['123abc']", '$json.$d', "$json['new\nline']", '$json.arr[1][0]', "$json.nested.deep['k-1']", "$json['end\\']", "$json['`tick`']",
	"$json['\\'$(id)\\'']",
];
const show: Record<string, (x: string) => string> = {
	python: (x) => `print(repr(${x}))`,
	javascript: (x) => `console.log(JSON.stringify(${x}));`,
	typescript: (x) => `console.log(JSON.stringify(${x}));`,
	r: (x) => `cat(jsonlite::toJSON(${x}, auto_unbox = TRUE), "\\n")`,
	bash: (x) => `echo "${x}"`,
	java: (x) => `System.out.println(${x});`,
};
const cases: Array<{ name: string; params: Record<string, unknown> }> = [];
for (const language of Object.keys(show)) {
	for (const [i, field] of FIELDS.entries()) {
		cases.push({ name: `${language} ${i}`, params: { language, code: `=${show[language](`{{ ${field} }}`)}` } });
	}
}
const extra: Array<[string, string, string]> = [
	['py-string', 'python', '=name = "{{ $json.customer.name }}"\nname'],
	['py-fstring', 'python', '=f"Hello {{ $json.customer.name }}"'],
	['js-string', 'javascript', '="Hello {{ $json.customer.name }}"'],
	['js-template', 'javascript', '=`Hello {{ $json.customer.name }}`'],
	['bash-single', 'bash', "=echo 'Hello {{ $json.customer.name }}'"],
	['py-comment-code', 'python', '=# code from the earlier node\n{{ $json.code }}'],
	['py-two', 'python', '={{ $json.code }}\n{{ $json.code }}'],
	['py-length', 'python', '=x = {{ $json.arr.length }}\nx'],
	['py-prev-node', 'python', "=x = {{ $('Tricky').item.json.count }}\nx"],
	['py-brace-str', 'python', '=s = "{{"\nx = {{ $json.count }}\nx'],
	['py-upper', 'python', '=x = "{{ $json.customer.name.toUpperCase() }}"\nx'],
	['bash-all', 'bash', '=echo {{ $json.customer.name }}'],
	['java-all', 'java', '={{ $json.customer.name }}'],
	['r-all', 'r', '={{ $json.arr[1][0] }} + 1'],
	['py-all', 'python', '=x = {{ $json.count }}\nx'],
];
for (const [name, language, code] of extra) cases.push({ name, params: { language, code, ...(name.endsWith('-all') ? { mode: 'runOnceForAllItems' } : {}) } });

let n8n: N8n;
beforeAll(async () => { n8n = await N8n.start(); }, 300_000);
afterAll(async () => { await n8n?.stop(); });

test('attack run', async () => {
	const nodes = cases.map(({ name, params }) => ({ name, parameters: runCode({ sandboxId: '', ...params }), onError: 'continueRegularOutput' as const }));
	const workflow = chain('attack-run', [tricky, ...nodes]);
	workflow.connections = { Start: { main: [[{ node: 'Tricky', type: 'main', index: 0 }]] }, Tricky: { main: [nodes.map((n) => ({ node: n.name, type: 'main', index: 0 }))] } };
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);
	const out = cases.map(({ name, params }) => {
		try {
			const [item] = N8n.items(result, name);
			const j = item.json as Record<string, unknown>;
			return { name, code: params.code, stdout: j.stdout, stderr: j.stderr, text: j.text, error: j.error };
		} catch (e) {
			return { name, code: params.code, fail: String(e), runError: JSON.stringify(result.data.resultData.runData[name]?.[0]?.error ?? null).slice(0, 500) };
		}
	});
	writeFileSync('/tmp/attack/run.json', JSON.stringify(out, null, 1));
}, 900_000);
