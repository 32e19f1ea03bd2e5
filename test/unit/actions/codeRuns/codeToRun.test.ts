import type { IExecuteFunctions } from 'n8n-workflow';

import { codeToRun, inputFieldPath } from '../../../../nodes/CodeInterpreter/actions/codeRuns/codeToRun';
import { parameterSchemas } from '../../../../nodes/CodeInterpreter/actions/parameters';

/**
 * n8n's getNodeParameter for the Code parameter: its raw value with rawExpressions, else the value n8n computes;
 * evaluateExpression computes `{{ … }}` (n8n's template, without the `=` of a parameter) from the given values.
 */
function context(raw: string, computed = raw, values: Record<string, unknown> = {}): IExecuteFunctions {
	return {
		getNodeParameter: (_name: string, _index: number, _fallback: unknown, options?: { rawExpressions?: boolean }) => (options?.rawExpressions ? raw : computed),
		evaluateExpression: (expression: string) => {
			if (!(expression in values)) throw new Error(`not expected: ${expression}`);
			return values[expression];
		},
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

test('{{ }} without n8n\'s $, or not closed, stay as written', () => {
	const raw = '=a = {{n}}\nb = {{ x, y }}\nc = {{ $json.name }}\nd = {{ unclosed';
	expect(codeToRun(context(raw), 0, python, parameterSchemas.code)).toBe('a = {{n}}\nb = {{ x, y }}\nc = item["name"]\nd = {{ unclosed');
});

test('other {{ }} using n8n\'s $ are computed by n8n and put in the code, as n8n does ($fromAI, an earlier node\'s field, a method call)', () => {
	const values = {
		"{{ $('Customer').item.json.name }}": 'Ada',
		"{{ $fromAI('code', 'The code') }}": 'x * 2',
		'{{ $json.name.toUpperCase() }}': 'ADA',
		"{{ $json.tags.filter((tag) => tag !== 'z') }}": ['x', 'y'],
	};
	const raw = "=a = \"{{ $('Customer').item.json.name }}\"\nx = 21\n{{ $fromAI('code', 'The code') }}\nb = \"{{ $json.name.toUpperCase() }}\"\nc = {{ $json.tags.filter((tag) => tag !== 'z') }}";
	expect(codeToRun(context(raw, raw, values), 0, python, parameterSchemas.code)).toBe('a = "Ada"\nx = 21\nx * 2\nb = "ADA"\nc = ["x","y"]');
});

test('a {{ of the code before a dropped field stays the code\'s, and the field is read', () => {
	expect(codeToRun(context('=s = "{{"\nx = {{ $json.count }}'), 0, python, parameterSchemas.code)).toBe('s = "{{"\nx = item["count"]');
	expect(codeToRun(context('=s = "{{ {{n}}"'), 0, python, parameterSchemas.code)).toBe('s = "{{ {{n}}"');
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
