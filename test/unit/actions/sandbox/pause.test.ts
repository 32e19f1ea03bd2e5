import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/pause.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('pauses the sandbox and outputs it, paused, with what each language kept', async () => {
	const paused = { ...SANDBOX, state: 'paused', expiresAt: '2026-12-29T00:00:00.000Z', languages: { python: { saved: ['df'], notSaved: { sock: 'TypeError' } } } };
	const { ctx } = fakeContext({ items: [{ sandboxId: ` ${SANDBOX.sandboxId} ` }] });
	const { backend, called } = fakeBackend({ pause: paused });
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: paused }]);
	expect(called('pause')).toEqual([[SANDBOX.sandboxId]]);
});

test('no Sandbox ID: an error that names the field, and nothing is paused', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: '' }] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('Sandbox ID');
	expect(calls).toEqual([]);
});
