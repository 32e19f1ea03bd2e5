import type { Language } from './languages';
import { shellQuote } from './shell';

/** A field's place in an input variable: keys of objects and 0-based indexes of arrays, outermost first. */
export type FieldPath = Array<string | number>;

const JS_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const JQ_IDENTIFIER = /^[A-Za-z_][\w]*$/;

/**
 * The code that reads a field of an input variable (`item`, or `items` with the item's index first) in the language
 * the sandbox runs, as the variables are defined there (backends/common/inputVariables.ts):
 * Python `item["customer"]["name"]`, JavaScript and TypeScript `item.customer.name`, R `item[["customer"]][["name"]]`
 * (indexes from 1), Java `item.get("customer").get("name")` (a Jackson JsonNode), Bash
 * `$(jq -r '.customer.name' <<<"$item")` (the item is JSON text). Keys are written as JSON strings, whose escapes
 * each of these languages reads the same way.
 */
export function fieldRead(language: Language, variable: 'item' | 'items', path: FieldPath): string {
	switch (language) {
		case 'python':
			return variable + path.map((key) => `[${JSON.stringify(key)}]`).join('');
		case 'javascript':
		case 'typescript':
			return variable + path.map((key) => (typeof key === 'string' && JS_IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)).join('');
		case 'r':
			return variable + path.map((key) => `[[${typeof key === 'number' ? key + 1 : JSON.stringify(key)}]]`).join('');
		case 'java':
			return variable + path.map((key) => `.get(${JSON.stringify(key)})`).join('');
		case 'bash': {
			// `.a["b c"][0]`: jq 1.6 (Debian 12's) reads brackets only after a name or a first dot.
			const accessors = path.map((key) => (typeof key === 'string' && JQ_IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)).join('');
			const filter = accessors.startsWith('.') ? accessors : `.${accessors}`;
			return `$(jq -r ${shellQuote(filter)} <<<"$${variable}")`;
		}
	}
}
