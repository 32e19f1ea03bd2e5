import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { codeProperties, codeProperty } from '../../../nodes/CodeInterpreter/descriptions/common';
import { LANGUAGES } from '../../../nodes/CodeInterpreter/model/languages';

const properties = codeProperties(codeProperty, { show: { resource: ['code'], operation: ['run'] } });

/** The Code parameters n8n shows for these parameter values (n8n's own display rules). */
function shown(language: string): INodeProperties[] {
	const values: INodeParameters = { resource: 'code', operation: 'run', language };
	return properties.filter((property) => NodeHelpers.displayParameter(values, property, null, null));
}

test('every language shows exactly one Code parameter, named code, with n8n\'s editor for it', () => {
	expect(properties.every((property) => property.name === 'code')).toBe(true);
	expect(Object.fromEntries(LANGUAGES.map((language) => [language, shown(language).map((property) => property.typeOptions)]))).toEqual({
		python: [{ rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' }],
		r: [{ rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' }],
		bash: [{ rows: 10, editor: 'codeNodeEditor', editorLanguage: 'python' }],
		javascript: [{ rows: 10, editor: 'jsEditor' }],
		typescript: [{ rows: 10, editor: 'jsEditor' }],
		java: [{ rows: 10, editor: 'jsEditor' }],
	});
});

test('a language the editor cannot tell (an expression it cannot compute yet) still shows one Code field', () => {
	expect(shown('')).toHaveLength(1);
	expect(shown('')[0].hint).toMatch(/^A field dragged here from the input panel is read as the language reads it/);
});

test('the hint says how the language reads a dropped field, escaped for n8n\'s HTML hints', () => {
	expect(shown('python')[0].hint).toBe(
		'Drag a field here from the input panel: the code reads it as <code>item["customer"]["name"]</code> (with Run Once for All Items, <code>items[0]["customer"]["name"]</code>)',
	);
	expect(shown('bash')[0].hint).toContain(`<code>$(jq -r '.customer.name' &lt;&lt;&lt;"$item")</code>`);
});
