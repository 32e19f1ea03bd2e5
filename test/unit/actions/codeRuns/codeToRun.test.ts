import type { IExecuteFunctions } from 'n8n-workflow';

import { codeToRun, inputFieldPath } from '../../../../nodes/CodeInterpreter/actions/codeRuns/codeToRun';
import { parameterSchemas } from '../../../../nodes/CodeInterpreter/actions/parameters';

/** n8n's getNodeParameter for the Code parameter: its raw value with rawExpressions, else the value n8n computes. */
function context(raw: string, computed = raw): IExecuteFunctions {
	return {
		getNodeParameter: (_name: string, _index: number, _fallback: unknown, options?: { rawExpressions?: boolean }) => (options?.rawExpressions ? raw : computed),
		getNode: () => ({ name: 'Code Interpreter' }),
	} as unknown as IExecuteFunctions;
}

const python = { language: 'python', perItem: true } as const;

test('code that is not an expression runs as written, braces and all', () => {
	expect(codeToRun(context('print(f"{{n}} items")'), 0, python, parameterSchemas.code)).toBe('print(f"{{n}} items")');
});

test('a field dropped into the code becomes the language\'s read of it, and the code\'s own {{ }} stay as written', () => {
	const dropped = '=n = 3\nprint(f"{{n}} items")\nname = {{ $json.customer.name }}';
	expect(codeToRun(context(dropped, 'n = 3\nprint(f" items")\nname = Ada'), 0, python, parameterSchemas.code)).toBe(
		'n = 3\nprint(f"{{n}} items")\nname = item["customer"]["name"]',
	);
	expect(codeToRun(context('=console.log({{ $json.customer.name }}, `{{x}}`)'), 0, { language: 'javascript', perItem: true }, parameterSchemas.code)).toBe(
		'console.log(item.customer.name, `{{x}}`)',
	);
	expect(codeToRun(context('=total <- {{ $json.rows[0].value }} + 1'), 0, { language: 'r', perItem: true }, parameterSchemas.code)).toBe(
		'total <- item[["rows"]][[1]][["value"]] + 1',
	);
});

test('with Run Once for All Items, $json is the first item\'s, as in n8n', () => {
	expect(codeToRun(context('=x = {{ $json.n }}'), 0, { language: 'python', perItem: false }, parameterSchemas.code)).toBe('x = items[0]["n"]');
});

test('an expression that is one {{ }} alone is code n8n computes (code from an earlier node)', () => {
	expect(codeToRun(context('={{ $json.code }}', 'print(1)'), 0, python, parameterSchemas.code)).toBe('print(1)');
	expect(codeToRun(context('=\n  {{ $json.code }}\n', 'print(2)'), 0, python, parameterSchemas.code)).toBe('print(2)');
	expect(codeToRun(context('=print(3)', 'print(3)'), 0, python, parameterSchemas.code)).toBe('print(3)');
});

test('{{ }} that name no field of the input item, or are not closed, stay as written', () => {
	const raw = "=a = {{ $('Customer').item.json.name }}\nb = {{ $json.name.toUpperCase() }}\nc = {{ $now }}\nd = {{ unclosed";
	expect(codeToRun(context(raw), 0, python, parameterSchemas.code)).toBe(raw.slice(1));
});

test('empty code is the same error as without an expression', () => {
	expect(() => codeToRun(context('={{ $json.code }}', '  '), 0, python, parameterSchemas.code)).toThrow('"Code" is empty');
	expect(codeToRun(context('={{ $json.code }}', ''), 0, python, parameterSchemas.optionalCode)).toBe('');
});

test.each([
	['$json.customer.name', ['customer', 'name']],
	[' $json["first name"][2] ', ['first name', 2]],
	["$json['it\\'s']", ["it's"]],
	['$input.item.json.n', ['n']],
	['$json', []],
	['$jsonx', undefined],
	['$json.a + 1', undefined],
	['$json.a.b()', undefined],
	["$('Customer').item.json.name", undefined],
])('the input field of %s is %j', (expression, expected) => {
	expect(inputFieldPath(expression)).toEqual(expected);
});
