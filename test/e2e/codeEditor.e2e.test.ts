import { execFileSync } from 'child_process';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';

import { N8n } from './n8n';
import { N8nServer } from './n8nServer';
import { chain, runCode, type NodeSpec } from './workflow';

/**
 * The Code field in n8n's editor: a code editor of the language (highlighted), and a field dropped into it from the
 * input panel keeps the code as written and becomes the language's read of the field when the node runs.
 */
const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'code-editor');
const CUSTOMER = { customer: { name: 'Ada', 'first name': 'Ada L.' }, tags: ['x', 'y'] };
const customerNode: NodeSpec = {
	name: 'Customer',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: { mode: 'raw', jsonOutput: JSON.stringify(CUSTOMER) },
};
const LOAD_WITHIN_MS = 30_000;
const RUN_WITHIN_MS = 90_000;

let n8n: N8n;

beforeAll(async () => {
	n8n = await N8n.start();
}, 300_000);

afterAll(async () => {
	await n8n?.stop();
});

/**
 * What n8n saves when a field is dropped into the Code field (the code, then the field as an expression), in every
 * language, run in a temporary sandbox: the code's own braces stay, and the dropped fields read the item.
 */
describe('dropped fields, run by n8n in every language', () => {
	const cases: Array<{ language: string; code: string; expect: { stdout?: string; text?: string } }> = [
		{ language: 'python', code: '=n = 3\nprint(f"{{n}} = {n}")\n"Hello, " + {{ $json.customer.name }}', expect: { stdout: '{n} = 3\n', text: 'Hello, Ada' } },
		{ language: 'python', code: '=print({{ $json.customer["first name"] }}, {{ $json.tags[1] }}, sep="|")', expect: { stdout: 'Ada L.|y\n' } },
		{ language: 'javascript', code: '=const n = 3;\nconsole.log(`{{n}} = ${n}`, {{ $json.tags[1] }});\n{{ $json.customer.name }}', expect: { stdout: '{{n}} = 3 y\n', text: 'Ada' } },
		{ language: 'typescript', code: '=const name: string = {{ $json.customer["first name"] }};\nconsole.log(`{{name}}: ${name}`);', expect: { stdout: '{{name}}: Ada L.\n' } },
		{ language: 'r', code: '=cat(sprintf("{{n}} %s %s\\n", {{ $json.customer.name }}, {{ $json.tags[1] }}))', expect: { stdout: '{{n}} Ada y\n' } },
		{ language: 'bash', code: '=echo "{{n}} {{ $json.customer.name }} {{ $json.customer["first name"] }}"', expect: { stdout: '{{n}} Ada Ada L.\n' } },
		{ language: 'java', code: '=System.out.println("{{n}} " + {{ $json.customer.name }}.asText() + " " + {{ $json.tags[1] }}.asText());', expect: { stdout: '{{n}} Ada y\n' } },
		// Other {{ }} with n8n's $ are computed by n8n, as before: an earlier node's field, a method call.
		{ language: 'python', code: "=print(\"{{ $('Customer').item.json.customer.name }} {{ $json.customer.name.toUpperCase() }}\", {{ $json.tags[0] }})", expect: { stdout: 'Ada ADA x\n' } },
	];

	test('each language reads the dropped fields and keeps its own {{ }}', async () => {
		const nodes = cases.map(({ language, code }, index) => ({ name: `Run ${index} ${language}`, parameters: runCode({ sandboxId: '', language, code }) }));
		const workflow = chain('dropped-fields', [customerNode, ...nodes]);
		// Every run node reads the Customer item: one branch each.
		workflow.connections = {
			Start: { main: [[{ node: 'Customer', type: 'main', index: 0 }]] },
			Customer: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		};
		await n8n.importWorkflow(workflow);
		const result = await n8n.execute(workflow.id);
		const outputs = cases.map(({ language, expect: expected }, index) => {
			const [item] = N8n.items(result, nodes[index].name);
			return { language, error: item.json.error, ...pick(item.json, Object.keys(expected)) };
		});
		expect(outputs).toEqual(cases.map(({ language, expect: expected }) => ({ language, error: null, ...expected })));
	}, 300_000);
});

describe('the Code field in the editor', () => {
	const PYTHON_CODE = 'n = 3\nprint(f"{{n}} = {n}")\n"Hello, " +';
	const workflow = chain('code-editor', [
		customerNode,
		{ name: 'Run Python', parameters: runCode({ sandboxId: '', language: 'python', code: PYTHON_CODE }) },
		{ name: 'Run Any Language', parameters: runCode({ sandboxId: '', language: '={{ $json.lang }}', code: 'print(1)' }) },
	]);
	workflow.pinData = { Customer: [{ json: CUSTOMER }] };
	let server: N8nServer;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		await n8n.importWorkflow(workflow);
		server = await N8nServer.start({ n8n });
		const executablePath = execFileSync('bash', [join(ROOT, 'scripts', 'debian-tool.sh'), 'chromium'], { encoding: 'utf8' }).trim();
		// n8n's test ids are data-test-id, not Playwright's default data-testid.
		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		await context.addCookies([{ ...server.sessionCookie, url: server.url }]);
		page = await context.newPage();
		page.setDefaultTimeout(LOAD_WITHIN_MS);
		mkdirSync(SHOTS, { recursive: true });
		await page.goto(`${server.url}/workflow/${workflow.id}`);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Run Python"]').dblclick();
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	test('Python code is shown by n8n\'s Python editor: monospaced, highlighted, one line per line', async () => {
		const editor = codeEditor(page);
		await editor.locator('.cm-line').first().waitFor();
		expect(await editor.locator('.cm-line').allInnerTexts()).toEqual(PYTHON_CODE.split('\n'));
		expect(await editor.locator('.cm-content').evaluate((element) => getComputedStyle(element).fontFamily)).toMatch(/mono/i);
		expect(await tokenColors(editor, ['print', '3', '"Hello, "'])).toHaveLength(3);
		// The hint under the field says how a dropped field is read.
		await page.getByText(/the code reads it as\s*item\["customer"\]\["name"\]/).waitFor();
		await page.screenshot({ path: join(SHOTS, 'python-editor.png') });
	});

	test('JavaScript (and Java) code is edited in place in n8n\'s JavaScript editor', async () => {
		await chooseLanguage(page, 'JavaScript');
		const editor = codeEditor(page);
		expect(await editor.locator('.cm-content').getAttribute('contenteditable')).toBe('true');
		await editor.locator('.cm-content').click();
		await page.keyboard.press('Control+a');
		await page.keyboard.type('const total = 2 * 21;\ntotal');
		await page.waitForTimeout(500);
		expect(await editor.locator('.cm-line').allInnerTexts()).toEqual(['const total = 2 * 21;', 'total']);
		expect(await tokenColors(editor, ['const', '21'])).toHaveLength(2);
		await page.screenshot({ path: join(SHOTS, 'javascript-editor.png') });
		await page.keyboard.press('Control+a');
		await page.keyboard.type(PYTHON_CODE);
		await chooseLanguage(page, 'Python');
	});

	test('a field dragged from the input panel keeps the code as written and runs as the item\'s field', async () => {
		const editor = codeEditor(page);
		await editor.locator('.cm-line').first().waitFor();
		await drag(page, page.getByTestId('ndv-input-panel').getByText('name', { exact: true }).first(), editor);
		await page.keyboard.press('Control+s');
		const saved = await savedCode(server, workflow.id);
		// n8n appends the field to the code as an expression; the code before it is unchanged.
		expect(saved).toBe(`=${PYTHON_CODE} {{ $json.customer.name }}`);
		await page.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		await output.getByText('Hello, Ada').first().waitFor({ timeout: RUN_WITHIN_MS });
		await output.getByText('{n} = 3').first().waitFor();
		await page.screenshot({ path: join(SHOTS, 'dropped-field-run.png') });
	}, 120_000);

	test('a language the editor cannot compute yet (an expression on data not there) still shows the Code field', async () => {
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id="canvas-node"][data-node-name="Run Any Language"]').dblclick();
		await page.getByText(/is read as the language reads it/).waitFor();
		expect(await page.getByTestId('parameter-input-code').count()).toBe(1);
		expect(await codeEditor(page).locator('.cm-line').allInnerTexts()).toEqual(['print(1)']);
	});
});

function codeEditor(page: Page): Locator {
	return page.locator('[data-test-id="parameter-input-code"] .cm-editor');
}

async function chooseLanguage(page: Page, language: string): Promise<void> {
	await page.getByTestId('parameter-input-language').click();
	await page.getByRole('option', { name: language, exact: true }).click();
}

/** The colours of the editor's tokens with these texts, each different from the plain text's: one per token found highlighted. */
async function tokenColors(editor: Locator, tokens: string[]): Promise<string[]> {
	return await editor.evaluate((element, wanted) => {
		const plain = getComputedStyle(element.querySelector('.cm-line') as Element).color;
		const spans = Array.from(element.querySelectorAll('.cm-line span'));
		return wanted.flatMap((token) => {
			const span = spans.find((candidate) => candidate.textContent === token);
			const color = span && getComputedStyle(span).color;
			return color && color !== plain ? [color] : [];
		});
	}, tokens);
}

/** n8n's mapping drag is mouse events, not HTML drag and drop: press, move in steps, release over the target. */
async function drag(page: Page, source: Locator, target: Locator): Promise<void> {
	const from = await source.boundingBox();
	const to = await target.boundingBox();
	if (!from || !to) throw new Error('The field or the Code field is not on screen');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2 + 10, { steps: 5 });
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
	await page.mouse.up();
}

async function savedCode(server: N8nServer, workflowId: string): Promise<string> {
	const deadline = Date.now() + LOAD_WITHIN_MS;
	for (;;) {
		const response = await server.request('GET', `/rest/workflows/${workflowId}`);
		const { data } = (await response.json()) as { data: { nodes: Array<{ name: string; parameters: { code?: string } }>; versionId?: string } };
		const code = data.nodes.find((node) => node.name === 'Run Python')?.parameters.code ?? '';
		if (code.startsWith('=') || Date.now() > deadline) return code;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
	return Object.fromEntries(keys.map((key) => [key, object[key]]));
}
