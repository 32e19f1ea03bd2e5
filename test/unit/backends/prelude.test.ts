import { OPEN_FIGURES_CODE, preludeCode } from '../../../nodes/CodeInterpreter/backends/prelude';

async function prelude(code: string, options: Parameters<typeof preludeCode>[1]) {
	const written: Array<[string, string]> = [];
	const result = await preludeCode(code, options, async (path, json) => {
		written.push([path, json]);
	});
	return { result, written };
}

test('nothing to do: no prelude and no file', async () => {
	expect(await prelude('1 + 1', { language: 'python' })).toEqual({ result: undefined, written: [] });
});

test('a variable the code names is written as JSON to a fresh hidden file, and loaded after the Python mark', async () => {
	const { result, written } = await prelude('item["n"] * 2', { language: 'python', variables: { item: { n: 21 } } });
	expect(written).toHaveLength(1);
	const [path, json] = written[0];
	expect(path).toMatch(/^\/home\/user\/\.n8n-input-[0-9a-f]{16}-item\.json$/);
	expect(JSON.parse(json)).toEqual({ n: 21 });
	expect(result?.split('\n')[0]).toBe('# n8n-code-interpreter prelude');
	expect(result).toContain(`item = __import__("json").load(open(${JSON.stringify(path)}`);
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
