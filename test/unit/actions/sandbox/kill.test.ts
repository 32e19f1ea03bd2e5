import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/kill.operation';
import { fakeBackend, fakeContext } from '../fakes';

test('kills the sandbox by its trimmed ID and says whether there was one', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: ' ci-0123456789abcdef ' }] });
	const { backend, called } = fakeBackend({ kill: false });
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: { sandboxId: 'ci-0123456789abcdef', killed: false } }]);
	expect(called('kill')).toEqual([['ci-0123456789abcdef']]);
});

test('an empty Sandbox ID is an error that says where to get one', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: '  ' }] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toMatchObject({
		message: '"Sandbox ID" is empty: give the ID of a sandbox made by Create Sandbox',
		description: expect.stringContaining('Create Sandbox'),
	});
	expect(calls).toEqual([]);
});
