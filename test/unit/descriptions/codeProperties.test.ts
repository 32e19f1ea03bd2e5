import type { INodeProperties } from 'n8n-workflow';

import { codeProperties, codeProperty } from '../../../nodes/CodeInterpreter/descriptions/common';
import { LANGUAGES } from '../../../nodes/CodeInterpreter/model/languages';

const properties = codeProperties(codeProperty, { show: { resource: ['code'], operation: ['run'] } });
const forLanguage = (language: string): INodeProperties[] => properties.filter((property) => property.displayOptions?.show?.language?.includes(language));

test('every language shows exactly one Code parameter, named code, with n8n\'s editor for it', () => {
	expect(properties.every((property) => property.name === 'code')).toBe(true);
	expect(LANGUAGES.map((language) => forLanguage(language).length)).toEqual(LANGUAGES.map(() => 1));
	expect(Object.fromEntries(LANGUAGES.map((language) => [language, forLanguage(language)[0].typeOptions]))).toEqual({
		python: { rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' },
		r: { rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' },
		bash: { rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' },
		javascript: { rows: 10, editor: 'jsEditor' },
		typescript: { rows: 10, editor: 'jsEditor' },
		java: { rows: 10, editor: 'jsEditor' },
	});
});

test('the hint says how the language reads a dropped field, escaped for n8n\'s HTML hints', () => {
	expect(forLanguage('python')[0].hint).toBe('Drag a field here from the input panel: the code reads it as <code>item["customer"]["name"]</code>');
	expect(forLanguage('bash')[0].hint).toContain(`<code>$(jq -r '.customer.name' &lt;&lt;&lt;"$item")</code>`);
});
