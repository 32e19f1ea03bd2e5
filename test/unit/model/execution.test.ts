import {
	emptyExecution,
	executionText,
	resultFormats,
	resultFromMimeBundle,
	type Execution,
	type Result,
} from '../../../nodes/CodeInterpreter/model/execution';

describe('resultFromMimeBundle', () => {
	it('maps every known MIME type to its Result field', () => {
		const result = resultFromMimeBundle(
			{
				'text/plain': '42',
				'text/html': '<b>42</b>',
				'text/markdown': '**42**',
				'image/svg+xml': '<svg/>',
				'image/png': 'iVBORw0KGgo=',
				'image/jpeg': '/9j/4AAQ',
				'application/pdf': 'JVBERi0=',
				'text/latex': '$42$',
				'application/javascript': 'console.log(42)',
			},
			true,
		);
		expect(result).toEqual({
			isMainResult: true,
			text: '42',
			html: '<b>42</b>',
			markdown: '**42**',
			svg: '<svg/>',
			png: 'iVBORw0KGgo=',
			jpeg: '/9j/4AAQ',
			pdf: 'JVBERi0=',
			latex: '$42$',
			javascript: 'console.log(42)',
		});
	});

	it('keeps isMainResult as given', () => {
		expect(resultFromMimeBundle({ 'text/plain': 'x' }, false).isMainResult).toBe(false);
		expect(resultFromMimeBundle({}, true)).toEqual({ isMainResult: true });
	});

	it('keeps application/json, e2b/data and e2b/chart as structured values, not strings', () => {
		const json = { a: [1, 2], b: { c: null } };
		const table = { x: [1, 2, 3], y: ['a', 'b', 'c'] };
		const chart = { type: 'line', elements: [{ label: 's', points: [[0, 1]] }] };
		const result = resultFromMimeBundle({ 'application/json': json, 'e2b/data': table, 'e2b/chart': chart }, true);
		expect(result.json).toEqual(json);
		expect(result.data).toEqual(table);
		expect(result.chart).toEqual(chart);
		// Arrays inside structured values are not joined.
		expect((result.data as { x: number[] }).x).toEqual([1, 2, 3]);
	});

	it('joins multi-line string arrays for text formats', () => {
		const result = resultFromMimeBundle(
			{ 'text/plain': ['line 1\n', 'line 2\n', 'line 3'], 'image/svg+xml': ['<svg>\n', '</svg>'] },
			false,
		);
		expect(result.text).toBe('line 1\nline 2\nline 3');
		expect(result.svg).toBe('<svg>\n</svg>');
	});

	it('stringifies non-string values of text formats', () => {
		expect(resultFromMimeBundle({ 'text/plain': 42 }, true).text).toBe('42');
	});

	it('puts unknown MIME types into extra, keyed by MIME type, with their value unchanged', () => {
		const widget = { model_id: 'abc', version_major: 2 };
		const result = resultFromMimeBundle(
			{
				'text/plain': 'Widget',
				'application/vnd.jupyter.widget-view+json': widget,
				'application/geo+json': ['not', 'joined'],
			},
			true,
		);
		expect(result.text).toBe('Widget');
		expect(result.extra).toEqual({
			'application/vnd.jupyter.widget-view+json': widget,
			'application/geo+json': ['not', 'joined'],
		});
	});

	it('does not set extra when every MIME type is known', () => {
		expect(resultFromMimeBundle({ 'text/plain': 'x' }, true)).not.toHaveProperty('extra');
	});
});

describe('resultFormats', () => {
	it('lists the formats present, excluding isMainResult and undefined fields', () => {
		const result: Result = { isMainResult: true, text: 'x', png: 'AAAA', html: undefined };
		expect(resultFormats(result)).toEqual(['text', 'png']);
	});

	it('follows the order of the MIME bundle and includes extra', () => {
		const result = resultFromMimeBundle({ 'image/png': 'AAAA', 'text/plain': 'fig', 'x/custom': 1 }, false);
		expect(resultFormats(result)).toEqual(['png', 'text', 'extra']);
	});

	it('is empty for a result without formats', () => {
		expect(resultFormats({ isMainResult: false })).toEqual([]);
	});

	it('keeps falsy but defined values such as an empty string', () => {
		expect(resultFormats({ isMainResult: true, text: '' })).toEqual(['text']);
	});
});

describe('executionText', () => {
	const execution = (results: Result[]): Execution => ({ ...emptyExecution(), results });

	it('returns the text of the main result, not of displays before it', () => {
		expect(
			executionText(
				execution([
					{ isMainResult: false, text: 'display' },
					{ isMainResult: true, text: 'main' },
				]),
			),
		).toBe('main');
	});

	it('returns null without a main result', () => {
		expect(executionText(execution([{ isMainResult: false, text: 'display' }]))).toBeNull();
		expect(executionText(emptyExecution())).toBeNull();
	});

	it('returns null when the main result has no text', () => {
		expect(executionText(execution([{ isMainResult: true, png: 'AAAA' }]))).toBeNull();
	});

	it('keeps an empty main text as an empty string', () => {
		expect(executionText(execution([{ isMainResult: true, text: '' }]))).toBe('');
	});
});

test('the text of a string value loses one pair of quotes, as on E2B; other texts are kept as they are', () => {
	expect(resultFromMimeBundle({ 'text/plain': "'abc'" }, true).text).toBe('abc');
	expect(resultFromMimeBundle({ 'text/plain': '"a-b"' }, true).text).toBe('a-b');
	expect(resultFromMimeBundle({ 'text/plain': "'it's'" }, true).text).toBe("it's");
	expect(resultFromMimeBundle({ 'text/plain': "{'a': 1}" }, true).text).toBe("{'a': 1}");
	expect(resultFromMimeBundle({ 'text/plain': "'a' + \"b\"" }, true).text).toBe("'a' + \"b\"");
	expect(resultFromMimeBundle({ 'text/plain': "'" }, true).text).toBe("'");
	expect(resultFromMimeBundle({ 'text/html': "'<b>'" }, false).html).toBe("'<b>'");
});

describe('resultFromMimeBundle: any number of MIME types', () => {
	it('keeps 40,000 unknown MIME types in extra, each once, and knows no inherited names', () => {
		const bundle: Record<string, unknown> = { 'text/plain': 'x', constructor: 'c', toString: 't' };
		for (let index = 0; index < 40_000; index++) bundle[`x/${index}`] = '';
		const result = resultFromMimeBundle(bundle, false);
		expect(result.text).toBe('x');
		expect(Object.keys(result.extra ?? {})).toHaveLength(40_002);
		expect(result.extra?.constructor).toBe('c');
	});

	it('takes a "__proto__" key (which JSON.parse makes an own key) as no MIME type', () => {
		const result = resultFromMimeBundle(JSON.parse('{"text/plain":"x","__proto__":{"polluted":true},"x/y":1}') as Record<string, unknown>, false);
		expect(result.extra).toEqual({ 'x/y': 1 });
		expect(Object.getPrototypeOf(result.extra)).toBe(Object.prototype);
	});
});
