import { execute } from '../../../../nodes/CodeInterpreter/actions/chart/get.operation';
import type { CodeRun } from '../../../../nodes/CodeInterpreter/backends/Backend';
import { execution, fakeBackend, fakeContext, SANDBOX } from '../fakes';

const defaults = { sandboxId: SANDBOX.sandboxId, language: 'python', mode: 'runOnceForEachItem', timeoutSeconds: 60, code: '', options: {} };
const chart = { type: 'bar', title: 'Sales', elements: [{ label: 'a', value: 3, group: '' }] };
const png = Buffer.from('png bytes').toString('base64');

test('without code, asks for the figures still open; each chart is an item with its rows and PNG', async () => {
	const { ctx } = fakeContext({ items: [{}], defaults });
	const { backend, called } = fakeBackend({ runCodeMany: () => [{ execution: { ...execution(), results: [{ isMainResult: false, chart, png }] } }] });
	const [item] = await execute.call(ctx, 0, backend);
	expect(item.json).toMatchObject({ sandboxId: SANDBOX.sandboxId, chart });
	expect(item.binary?.chart).toMatchObject({ fileName: 'chart-1.png', mimeType: 'image/png', data: png });
	expect((called('runCodeMany')[0][1] as CodeRun[])[0].code).toBe('show_open_figures()');
});

test('no chart: an error that says what Get Chart reads, or no item when asked for nothing', async () => {
	const none = { runCodeMany: () => [{ execution: execution() }] };
	const { ctx } = fakeContext({ items: [{ code: 'print(1)' }], defaults });
	await expect(execute.call(ctx, 0, fakeBackend(none).backend)).rejects.toThrow('The code made no chart');
	const quiet = fakeContext({ items: [{ code: 'print(1)', options: { whenNoChart: 'empty' } }], defaults });
	expect(await execute.call(quiet.ctx, 0, fakeBackend(none).backend)).toEqual([]);
});

test('Include SVG asks the backend for SVG figures', async () => {
	const { ctx } = fakeContext({ items: [{ code: 'plot()', options: { includeSvg: true } }], defaults });
	const { backend, called } = fakeBackend({ runCodeMany: () => [{ execution: { ...execution(), results: [{ isMainResult: false, chart, png, svg: '<svg/>' }] } }] });
	const [item] = await execute.call(ctx, 0, backend);
	expect((called('runCodeMany')[0][1] as CodeRun[])[0].options.figureSvg).toBe(true);
	expect(item.binary?.chart_svg).toMatchObject({ mimeType: 'image/svg+xml' });
});

test('paired with its item; a failing run is the node\'s error, with the traceback', async () => {
	const { ctx } = fakeContext({ items: [{}, { code: 'plot()' }], defaults });
	const drawn = fakeBackend({ runCodeMany: () => [{ execution: { ...execution(), results: [{ isMainResult: false, chart, png }] } }] });
	expect(await execute.call(ctx, 1, drawn.backend)).toEqual([expect.objectContaining({ pairedItem: { item: 1 } })]);
	const error = { name: 'ValueError', value: 'no data', traceback: 'Traceback …' };
	const failing = fakeBackend({ runCodeMany: () => [{ execution: execution(undefined, { error }) }] });
	await expect(execute.call(ctx, 1, failing.backend)).rejects.toMatchObject({ message: 'ValueError: no data', description: 'Traceback …' });
});

test('without code in a language that cannot show open figures: an error that says to give code', async () => {
	const { ctx } = fakeContext({ items: [{ language: 'r' }], defaults });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('"Code" is empty');
	expect(calls).toEqual([]);
});
