import { execute } from '../../../../nodes/CodeInterpreter/actions/file/upload.operation';
import { fakeBackend, fakeContext } from '../fakes';

async function written(content: unknown): Promise<string> {
	return Buffer.concat(await (content as NodeJS.ReadableStream & { toArray(): Promise<Buffer[]> }).toArray()).toString();
}

test('writes the item\'s binary property to the path, or to its file name when the path is empty', async () => {
	const inputs = [{ json: {}, binary: { data: { data: Buffer.from('a,b').toString('base64'), mimeType: 'text/csv', fileName: 'sales.csv' } } }];
	for (const [path, target] of [['data/in.csv', 'data/in.csv'], ['', 'sales.csv']]) {
		const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', binaryPropertyName: 'data', path }], inputs });
		const { backend, called } = fakeBackend();
		expect(await execute.call(ctx, 0, backend)).toEqual([{ json: { sandboxId: 'ci-0123456789abcdef', path: '/home/user/data.csv', size: 3 } }]);
		const [[sandboxId, to, content]] = called('writeFile');
		expect([sandboxId, to, await written(content)]).toEqual(['ci-0123456789abcdef', target, 'a,b']);
	}
});

test('a file in n8n\'s binary data store is streamed from there', async () => {
	const inputs = [{ json: {}, binary: { data: { id: 'filesystem-v2:abc', data: '', mimeType: 'text/plain', fileName: 'big.txt' } } }];
	const { ctx } = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', binaryPropertyName: 'data', path: '' }], inputs });
	const { backend, called } = fakeBackend();
	await execute.call(ctx, 0, backend);
	expect(await written(called('writeFile')[0][2])).toBe('from the binary data store');
});

test('a missing binary property is an error naming the ones the item has; a nameless file needs a path', async () => {
	const inputs = [{ json: {}, binary: { report: { data: '', mimeType: 'text/plain' } } }];
	const missing = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', binaryPropertyName: 'data', path: '' }], inputs });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(missing.ctx, 0, backend)).rejects.toMatchObject({
		message: 'The item has no binary property "data"',
		description: 'Its binary properties are: report. Set "Input Binary Field" to one of them.',
	});
	const nameless = fakeContext({ items: [{ sandboxId: 'ci-0123456789abcdef', binaryPropertyName: 'report', path: '' }], inputs });
	await expect(execute.call(nameless.ctx, 0, backend)).rejects.toThrow('The file has no name and "Path" is empty');
	expect(calls).toEqual([]);
});
