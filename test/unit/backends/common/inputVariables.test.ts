import { loadInputCode, takeInputCode } from '../../../../nodes/CodeInterpreter/backends/common/inputVariables';

const path = '/home/user/.n8n-input-ab-item.jsonl';

test.each([
	['python', '__n8n_input_item = [__import__("json").loads(line) for line in open("/home/user/.n8n-input-ab-item.jsonl", encoding="utf-8")]; __import__("os").remove("/home/user/.n8n-input-ab-item.jsonl")'],
	['javascript', '(globalThis as any).__n8n_input_item = Deno.readTextFileSync("/home/user/.n8n-input-ab-item.jsonl").split("\\n").slice(0, -1).map((line: string) => JSON.parse(line)); Deno.removeSync("/home/user/.n8n-input-ab-item.jsonl");'],
	['r', '.n8n_input_item <- lapply(readLines("/home/user/.n8n-input-ab-item.jsonl", encoding = "UTF-8", warn = FALSE), jsonlite::fromJSON, simplifyVector = FALSE); invisible(file.remove("/home/user/.n8n-input-ab-item.jsonl"))'],
	['bash', 'mapfile -t __n8n_input_item < "/home/user/.n8n-input-ab-item.jsonl"; rm -f "/home/user/.n8n-input-ab-item.jsonl"'],
	[
		'java',
		'java.util.List<com.fasterxml.jackson.databind.JsonNode> __n8n_input_item = new java.util.ArrayList<>(); for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/home/user/.n8n-input-ab-item.jsonl"))) __n8n_input_item.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)); java.nio.file.Files.delete(java.nio.file.Path.of("/home/user/.n8n-input-ab-item.jsonl"));',
	],
] as const)('%s loads the JSON lines into a hidden variable and deletes the file', (language, code) => {
	expect(loadInputCode(language, 'item', path)).toBe(code);
});

test.each([
	['python', 'item = __n8n_input_item[2]', 'item = __n8n_input_item[2]; del __n8n_input_item'],
	['typescript', '(globalThis as any).item = (globalThis as any).__n8n_input_item[2];', '(globalThis as any).item = (globalThis as any).__n8n_input_item[2]; delete (globalThis as any).__n8n_input_item;'],
	['r', 'item <- .n8n_input_item[[3]]', 'item <- .n8n_input_item[[3]]; rm(.n8n_input_item)'],
	['bash', 'item="${__n8n_input_item[2]}"', 'item="${__n8n_input_item[2]}"; unset __n8n_input_item'],
	['java', 'com.fasterxml.jackson.databind.JsonNode item = __n8n_input_item.get(2);', 'com.fasterxml.jackson.databind.JsonNode item = __n8n_input_item.get(2); __n8n_input_item = null;'],
] as const)('%s takes its line by position (R counts from 1), and the last run frees the lines', (language, middle, last) => {
	expect(takeInputCode(language, 'item', 2, false)).toBe(middle);
	expect(takeInputCode(language, 'item', 2, true)).toBe(last);
});

test('refuses a name that is not an identifier, so nothing but our own names reaches the code', () => {
	expect(() => loadInputCode('python', 'item; import os', '/x.jsonl')).toThrow('Not a variable name');
	expect(() => takeInputCode('python', 'item; import os', 0, true)).toThrow('Not a variable name');
});
