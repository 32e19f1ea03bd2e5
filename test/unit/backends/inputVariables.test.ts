import { inputVariablesCode } from '../../../nodes/CodeInterpreter/backends/inputVariables';

const files = [{ name: 'item', path: '/home/user/.n8n-input-ab-item.json' }];

test.each([
	['python', 'item = __import__("json").load(open("/home/user/.n8n-input-ab-item.json", encoding="utf-8")); __import__("os").remove("/home/user/.n8n-input-ab-item.json")'],
	['javascript', '(globalThis as any).item = JSON.parse(Deno.readTextFileSync("/home/user/.n8n-input-ab-item.json")); Deno.removeSync("/home/user/.n8n-input-ab-item.json");'],
	['r', 'item <- jsonlite::fromJSON("/home/user/.n8n-input-ab-item.json", simplifyVector = FALSE); invisible(file.remove("/home/user/.n8n-input-ab-item.json"))'],
	['bash', 'item="$(cat "/home/user/.n8n-input-ab-item.json")"; rm -f "/home/user/.n8n-input-ab-item.json"'],
] as const)('%s loads the variable from its file and deletes the file', (language, code) => {
	expect(inputVariablesCode(language, files)).toBe(code);
});

test('refuses a name that is not an identifier, so nothing but our own names reaches the code', () => {
	expect(() => inputVariablesCode('python', [{ name: 'item; import os', path: '/x.json' }])).toThrow('Not a variable name');
});
