import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';
import { N8n } from './n8n';
import { N8nServer } from './n8nServer';
import { chain, runCode, type NodeSpec } from './workflow';

const ROOT = join(__dirname, '..', '..');
const OUT = '/tmp/attack';
const TRICKY = {
	customer: { name: 'Ada', 'first name': 'Ada L.' },
	'a b': 1, 'a.b': 2, 'a-b': 3, "it's": 4, 'say "hi"': 5, 'back\\slash': 6, 'café': 7, '0': 8, '123abc': 9, $d: 10,
	'new\nline': 11, arr: [{ x: 1 }, [2, 3]], nested: { deep: { 'k-1': 'v' } }, 'end\\': 13, '`tick`': 14, "'$(id)'": 15,
};
const grand: NodeSpec = { name: 'Grand', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ g: { 'gk x': 1, gk: 2 } }) } };
const tricky: NodeSpec = { name: "Tricky's", type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify(TRICKY) } };
const results: Record<string, unknown> = {};
const save = () => writeFileSync(join(OUT, 'ui.json'), JSON.stringify(results, null, 1));

let n8n: N8n; let server: N8nServer; let browser: Browser; let page: Page;

async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
	try { results[name] = await fn(); } catch (e) { results[name] = { error: String(e).slice(0, 800) }; }
	save();
	await page.screenshot({ path: join(OUT, `${name}.png`) }).catch(() => undefined);
}
async function open(workflowId: string, node: string): Promise<void> {
	await page.goto(`${server.url}/workflow/${workflowId}`);
	await page.waitForTimeout(3000);
	await page.screenshot({ path: join(OUT, `open-${workflowId}.png`) });
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${node}"]`).dblclick();
	await page.waitForTimeout(1500);
}
async function savedParams(workflowId: string, node: string): Promise<unknown> {
	const r = await server.request('GET', `/rest/workflows/${workflowId}`);
	const { data } = (await r.json()) as { data: { nodes: Array<{ name: string; parameters: unknown }> } };
	return data.nodes.find((n) => n.name === node)?.parameters;
}
async function dataValues(): Promise<unknown> {
	return await page.getByTestId('ndv-input-panel').locator('[data-value]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name') ?? e.textContent?.slice(0, 30), e.getAttribute('data-value')]));
}
async function mode(name: string): Promise<void> {
	await page.getByTestId('ndv-input-panel').getByTestId(`radio-button-${name}`).click();
	await page.waitForTimeout(1000);
}
async function drag(sourceText: string, target: ReturnType<Page['locator']>): Promise<void> {
	const source = page.getByTestId('ndv-input-panel').getByText(sourceText, { exact: true }).first();
	const from = await source.boundingBox(); const to = await target.boundingBox();
	if (!from || !to) throw new Error('not on screen');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2 + 10, { steps: 5 });
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
	await page.mouse.up();
	await page.waitForTimeout(800);
}
const codeEditors = () => page.locator('[data-test-id="parameter-input-code"]');
const lines = async () => await codeEditors().first().locator('.cm-line').allInnerTexts();
async function chooseLanguage(language: string): Promise<void> {
	await page.getByTestId('parameter-input-language').click();
	await page.getByRole('option', { name: language, exact: true }).click();
	await page.waitForTimeout(500);
}

const wf = (id: string, nodes: NodeSpec[]) => { const w = chain(id, nodes); w.pinData = { Grand: [{ json: { g: { 'gk x': 1, gk: 2 } } }], "Tricky's": [{ json: TRICKY }] }; return w; };
const W1 = wf('ui-drag', [grand, tricky, { name: 'Run', parameters: runCode({ sandboxId: '', language: 'python', code: 'x = 1' }) }]);
const W2 = wf('ui-langexpr', [grand, tricky, { name: 'Run', parameters: runCode({ sandboxId: '', language: "={{ 'python' }}", code: 'print(1)' }) }]);
const W3 = wf('ui-empty', [grand, tricky, { name: 'Run', parameters: runCode({ sandboxId: '', language: 'python', code: '' }) }]);
const W4 = wf('ui-chart', [grand, tricky, { name: 'Run', parameters: { resource: 'chart', operation: 'get', sandboxId: '', language: 'python', code: '' } }]);
const W5 = wf('ui-js', [grand, tricky, { name: 'Run', parameters: runCode({ sandboxId: '', language: 'javascript', code: 'const x = 1;' }) }]);
const W6 = wf('ui-switch', [grand, tricky, { name: 'Run', parameters: runCode({ sandboxId: '', language: 'python', code: 'a = 1\nb = "{{x}}"' }) }]);

beforeAll(async () => {
	n8n = await N8n.start();
	for (const w of [W1, W2, W3, W4, W5, W6]) await n8n.importWorkflow(w);
	server = await N8nServer.start({ n8n });
	const executablePath = execFileSync('bash', [join(ROOT, 'scripts', 'debian-tool.sh'), 'chromium'], { encoding: 'utf8' }).trim();
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
	await context.addCookies([{ ...server.sessionCookie, url: server.url }]);
	page = await context.newPage();
	page.setDefaultTimeout(30_000);
}, 400_000);
afterAll(async () => { await browser?.close(); await server?.stop(); await n8n?.stop(); });

test('ui attack', async () => {
	await open(W1.id, 'Run');
	await step('schema-values', async () => { await mode('schema'); return await dataValues(); });
	await step('table-values', async () => { await mode('table'); return await dataValues(); });
	await step('json-values', async () => { await mode('json'); return await dataValues(); });
	await step('grand-select', async () => {
		await page.getByTestId('ndv-input-select').click();
		await page.getByRole('option', { name: /Grand/ }).first().click();
		await page.waitForTimeout(800);
		const r: Record<string, unknown> = {};
		for (const m of ['table', 'json']) { await mode(m); r[m] = await dataValues(); }
		return r;
	});
	await step('inline-editor', async () => ({ count: await codeEditors().count(), lines: await lines(), editable: await codeEditors().first().locator('.cm-content').getAttribute('contenteditable') }));
	await step('fullscreen-open', async () => {
		await codeEditors().first().locator('.cm-content').click();
		await page.waitForTimeout(800);
		const dialog = page.getByTestId('code-editor-fullscreen');
		const visible = await dialog.isVisible();
		return { visible, dialogLines: visible ? await dialog.locator('.cm-line').allInnerTexts() : null };
	});
	await step('fullscreen-drop', async () => {
		const dialog = page.getByTestId('code-editor-fullscreen');
		if (!(await dialog.isVisible())) return 'no dialog';
		await mode('schema').catch(() => undefined);
		await drag('name', dialog.locator('.cm-content'));
		const dl = await dialog.locator('.cm-line').allInnerTexts();
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		return { dialogLines: dl, saved: await savedParams(W1.id, 'Run') };
	});

	await open(W2.id, 'Run');
	await step('lang-expression', async () => ({ codeFields: await codeEditors().count(), labels: await page.getByText('Drag a field here', { exact: false }).allInnerTexts() }));

	await open(W3.id, 'Run');
	await step('empty-python', async () => {
		const before = await lines().catch(() => null);
		await codeEditors().first().locator('.cm-content').click().catch(() => undefined);
		await page.waitForTimeout(800);
		const dialogLines = await page.getByTestId('code-editor-fullscreen').locator('.cm-line').allInnerTexts().catch(() => null);
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		return { before, dialogLines, saved: await savedParams(W3.id, 'Run') };
	});
	await open(W4.id, 'Run');
	await step('empty-chart', async () => {
		const before = await lines().catch(() => null);
		await codeEditors().first().locator('.cm-content').click().catch(() => undefined);
		await page.waitForTimeout(800);
		const dialogLines = await page.getByTestId('code-editor-fullscreen').locator('.cm-line').allInnerTexts().catch(() => null);
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
		// switch mode to all items and reopen
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		return { before, dialogLines, count: await codeEditors().count(), saved: await savedParams(W4.id, 'Run') };
	});

	await open(W5.id, 'Run');
	await step('js-drop', async () => {
		await mode('schema').catch(() => undefined);
		await drag('name', codeEditors().first().locator('.cm-content'));
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		return { lines: await codeEditors().first().locator('.cm-line').allInnerTexts().catch(() => null), saved: await savedParams(W5.id, 'Run') };
	});
	await step('js-drop-second', async () => {
		await drag("it's", codeEditors().first().locator('.cm-content, .cm-editor').first());
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		return { saved: await savedParams(W5.id, 'Run') };
	});

	await open(W6.id, 'Run');
	await step('switch-langs', async () => {
		const r: Record<string, unknown> = { python: await lines() };
		for (const l of ['R', 'Bash', 'Java', 'TypeScript', 'JavaScript', 'Python']) { await chooseLanguage(l); r[l] = { count: await codeEditors().count(), lines: await lines().catch((e) => String(e)) }; }
		await page.keyboard.press('Control+s');
		await page.waitForTimeout(1500);
		r.saved = await savedParams(W6.id, 'Run');
		return r;
	});
	await step('java-type', async () => {
		await chooseLanguage('Java');
		const ed = codeEditors().first().locator('.cm-content');
		await ed.click();
		await page.keyboard.press('End');
		await page.keyboard.type('\nitem.');
		await page.waitForTimeout(1000);
		const completions = await page.locator('.cm-tooltip-autocomplete li').allInnerTexts().catch(() => []);
		return { completions: completions.slice(0, 15), lint: await page.locator('.cm-lintRange-error, .cm-diagnostic').allInnerTexts().catch(() => []) };
	});
}, 600_000);
