import { nestedDeeperThan } from '../../../../nodes/CodeInterpreter/backends/common/jsonDepth';

const bytes = (text: string) => Buffer.from(text);

describe('nestedDeeperThan', () => {
	it('counts arrays and objects, not brackets inside strings', () => {
		expect(nestedDeeperThan(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false);
		expect(nestedDeeperThan(bytes('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
		expect(nestedDeeperThan(bytes(`{"text":"${'['.repeat(1000)}"}`), 4)).toBe(false);
		expect(nestedDeeperThan(bytes('{"q":"a\\"[[[[[[","n":[1]}'), 2)).toBe(false);
	});

	it('finds ten million nested brackets at once, without parsing them', () => {
		const deep = Buffer.concat([bytes('{"m":'), Buffer.alloc(10_000_000, '['), Buffer.alloc(10_000_000, ']'), bytes('}')]);
		expect(nestedDeeperThan(deep, 256)).toBe(true);
	});
});
