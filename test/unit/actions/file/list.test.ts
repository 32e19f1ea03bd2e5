import { execute } from '../../../../nodes/CodeInterpreter/actions/file/list.operation';
import { fakeBackend, fakeContext } from '../fakes';

const entry = { name: 'a.csv', path: '/home/user/a.csv', type: 'file', size: 3, modifiedAt: '2026-11-29T00:00:00.000Z' };

test('one item per entry, listed to the depth asked', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: '', depth: '2' }] });
	const { backend, called } = fakeBackend({ listFiles: [entry] });
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: entry }]);
	expect(called('listFiles')).toEqual([['ci-0123456789abcdef', '', { depth: 2 }]]);
});

test.each([[0, 'must be 1 or more'], [1.5, 'must be a whole number'], ['deep', 'must be a number']])('Depth %j is an error: %s', async (depth, message) => {
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: '', depth }] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow(`"Depth" ${message}`);
	expect(calls).toEqual([]);
});
