import { fieldRead } from '../../../nodes/CodeInterpreter/model/fieldReads';

const path = ['customer', 'name'];
const awkward = ['a "b"', 0, "it's"];

test.each([
	['python', path, 'item["customer"]["name"]'],
	['python', awkward, 'item["a \\"b\\""][0]["it\'s"]'],
	['javascript', path, 'item.customer.name'],
	['typescript', ['customer', 'first name', 2], 'item.customer["first name"][2]'],
	['r', path, 'item[["customer"]][["name"]]'],
	['r', ['rows', 0], 'item[["rows"]][[1]]'],
	['java', path, 'item.get("customer").get("name")'],
	['java', ['rows', 0], 'item.get("rows").get(0)'],
	['bash', path, `$(jq -r '.customer.name' <<<"$item")`],
	['bash', awkward, `$(jq -r '.["a \\"b\\""][0]["it'\\''s"]' <<<"$item")`],
	['bash', ['customer', 'first name', 0], `$(jq -r '.customer["first name"][0]' <<<"$item")`],
	['bash', [], `$(jq -r '.' <<<"$item")`],
] as const)('%s reads %j as %s', (language, fieldPath, expected) => {
	expect(fieldRead(language, 'item', [...fieldPath])).toBe(expected);
});

test('"items" with the item\'s index first', () => {
	expect(fieldRead('python', 'items', [0, 'n'])).toBe('items[0]["n"]');
	expect(fieldRead('r', 'items', [0, 'n'])).toBe('items[[1]][["n"]]');
	expect(fieldRead('bash', 'items', [0, 'n'])).toBe(`$(jq -r '.[0].n' <<<"$items")`);
});
