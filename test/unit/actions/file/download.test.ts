import { execute } from '../../../../nodes/CodeInterpreter/actions/file/download.operation';
import { DEFAULT_FILE_READ_LIMITS } from '../../../../nodes/CodeInterpreter/backends/files';
import { fakeBackend, fakeContext } from '../fakes';

test('reads the file into the binary property, named after the file, within the default limits', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: 'out.csv', binaryPropertyName: 'file', options: {} }] });
	const { backend, called } = fakeBackend();
	const [item] = await execute.call(ctx, 0, backend);
	expect(item.json).toEqual({ sandboxId: 'ci-0123456789abcdef', path: '/home/user/out.csv', size: 3 });
	expect(item.binary?.file).toMatchObject({ fileName: 'out.csv', data: Buffer.from('a,b').toString('base64') });
	expect(called('readFile')).toEqual([['ci-0123456789abcdef', 'out.csv', DEFAULT_FILE_READ_LIMITS]]);
});

test('Max File Size and Transfer Timeout reach the backend', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: 'out.csv', binaryPropertyName: 'data', options: { maxFileSizeMb: 2, transferTimeoutSeconds: 30 } }] });
	const { backend, called } = fakeBackend();
	await execute.call(ctx, 0, backend);
	expect(called('readFile')[0][2]).toEqual({ maxBytes: 2 * 1024 * 1024, timeoutMs: 30_000 });
});

test('an empty path is an error; the backend\'s refusal is passed on', async () => {
	const empty = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: ' ', binaryPropertyName: 'data' }] });
	await expect(execute.call(empty.ctx, 0, fakeBackend().backend)).rejects.toThrow('"Path" is empty');
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', path: 'big.bin', binaryPropertyName: 'data' }] });
	await expect(execute.call(ctx, 0, fakeBackend({ readFile: new Error('too big') }).backend)).rejects.toThrow('too big');
});
