import { CodeInterpreter } from '../../../nodes/CodeInterpreter/CodeInterpreter.node';

/** Evaluates the subtitle expression the way the editor does, for one choice of resource and operation. */
function subtitleFor(resource: string, operation: string): unknown {
	const expression = new CodeInterpreter().description.subtitle as string;
	expect(expression).toMatch(/^=\{\{ (.*) \}\}$/);
	expect(expression.slice(4, -3)).not.toContain('}}');
	return new Function('$parameter', `return ${expression.slice(4, -3)}`)({ resource, operation });
}

test('the subtitle names the chosen operation as its action', () => {
	expect(subtitleFor('code', 'run')).toBe('Run code');
	expect(subtitleFor('sandbox', 'create')).toBe('Create sandbox');
	expect(subtitleFor('sandbox', 'setTimeout')).toBe('Set sandbox timeout');
	expect(subtitleFor('file', 'list')).toBe('List files');
	expect(subtitleFor('chart', 'get')).toBe('Get chart');
});
