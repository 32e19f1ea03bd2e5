import { OPEN_FIGURES_CODE, preludeCodes, type PreludeRun } from '../../../../nodes/CodeInterpreter/backends/common/prelude';

async function preludes(runs: PreludeRun[]) {
	const written: Array<[string, string]> = [];
	const result = await preludeCodes(runs, async (path, text) => {
		written.push([path, text]);
	});
	return { result, written };
}

const prelude = async (code: string, options: PreludeRun['options']) => {
	const { result, written } = await preludes([{ code, options }]);
	return { result: result[0], written };
};

test('nothing to do: no prelude and no file', async () => {
	expect(await prelude('1 + 1', { language: 'python' })).toEqual({ result: undefined, written: [] });
});

test('a variable the code names is written as a JSON line to a fresh hidden file, loaded and taken after the Python mark', async () => {
	const { result, written } = await prelude('item["n"] * 2', { language: 'python', variables: { item: { n: 21 } } });
	expect(written).toHaveLength(1);
	const [path, text] = written[0];
	expect(path).toMatch(/^\/home\/user\/\.n8n-input-[0-9a-f]{16}-item\.jsonl$/);
	expect(text).toBe('{"n":21}\n');
	expect(result?.split('\n')).toEqual([
		'# n8n-code-interpreter prelude',
		expect.stringContaining(`open(${JSON.stringify(path)}`),
		'item = __n8n_input_item[0]; del __n8n_input_item',
	]);
});

test('runs sent together share one file: the first loads it, each takes its own line, the last frees it', async () => {
	const runs = [1, 2, 3].map((n) => ({ code: 'print(item)', options: { language: 'python' as const, variables: { item: { n } } } }));
	runs.splice(1, 0, { code: 'print("no input")', options: { language: 'python', variables: { item: { n: 99 } } } });
	const { result, written } = await preludes(runs);
	expect(written).toHaveLength(1);
	expect(written[0][1]).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
	expect(result[0]).toContain('__n8n_input_item = [');
	expect(result[0]).toContain('item = __n8n_input_item[0]');
	expect(result[1]).toBeUndefined();
	expect(result[2]).toBe('# n8n-code-interpreter prelude\nitem = __n8n_input_item[1]');
	expect(result[3]).toBe('# n8n-code-interpreter prelude\nitem = __n8n_input_item[2]; del __n8n_input_item');
});

test('variables the code does not name are left out ("items" is not "item")', async () => {
	expect(await prelude('sum(i["n"] for i in items)', { language: 'python', variables: { item: {} } })).toEqual({ result: undefined, written: [] });
	const { written } = await prelude('echo "$item"', { language: 'bash', variables: { item: { a: 1 } } });
	expect(written).toHaveLength(1);
});

test('SVG is asked for in Python only, and other languages get no mark', async () => {
	expect((await prelude('plot()', { language: 'python', figureSvg: true })).result).toBe(
		'# n8n-code-interpreter prelude\n__import__("sandbox_display").include_svg_in_next_run()',
	);
	expect((await prelude('1', { language: 'r', figureSvg: true })).result).toBeUndefined();
	expect((await prelude('console.log(item)', { language: 'javascript', variables: { item: 1 } })).result).not.toContain('#');
});

test('the figures code is the one the template recognises', () => {
	expect(OPEN_FIGURES_CODE).toBe('__import__("sandbox_display").display_open_figures()');
});
