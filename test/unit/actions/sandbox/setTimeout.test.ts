import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/setTimeout.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('moves the sandbox\'s deadline and outputs the new one', async () => {
	const moved = { ...SANDBOX, expiresAt: '2026-11-29T01:00:00.000Z' };
	const { ctx } = fakeContext({ items: [{ sandboxId: SANDBOX.sandboxId, timeoutSeconds: 3600 }] });
	const { backend, called } = fakeBackend({ setTimeout: moved });
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: { ...moved } }]);
	expect(called('setTimeout')).toEqual([[SANDBOX.sandboxId, 3600]]);
});

test('a wrong timeout is an error, and the deadline stays', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: SANDBOX.sandboxId, timeoutSeconds: -5 }] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('"Timeout (Seconds)" must be more than 0 seconds');
	expect(calls).toEqual([]);
});
