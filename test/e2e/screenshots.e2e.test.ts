import Docker from 'dockerode';
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { decodePng } from '../helpers/png';
import { EXAMPLES_DIR, N8n, type WorkflowJson } from './n8n';
import { N8nServer } from './n8nServer';

/** Screenshots of the real n8n editor for the README: the csv-report example on the canvas, and its chart in the output panel. */
const ROOT = join(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');
const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'csv-report.json'), 'utf8')) as WorkflowJson;
const CHART_NODE = 'Summarise and Plot';
const CHART_PROPERTY = 'sales_by_region_png';
// n8n's binary data viewer has no test id of its own.
const CHART_IMAGE = '.binary-data-window img';
const RUN_WITHIN_MS = 90_000;
const LOAD_WITHIN_MS = 30_000;
const SETTLE_WITHIN_MS = 10_000;

const docker = new Docker();
let n8n: N8n;
let server: N8nServer;
let browser: Browser;
let sandboxesBeforeRun: string[] | undefined;

beforeAll(async () => {
	n8n = await N8n.start();
	await n8n.importWorkflow(workflow);
	server = await N8nServer.start({ n8n });
	const executablePath = execFileSync('bash', [join(ROOT, 'scripts', 'debian-tool.sh'), 'chromium'], { encoding: 'utf8' }).trim();
	// n8n's test ids are data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}, 600_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await n8n?.stop();
	// The workflow kills its sandbox; one it left behind by failing half-way is removed here.
	const before = sandboxesBeforeRun;
	if (!before) return;
	const left = (await sandboxes()).filter((id) => !before.includes(id));
	await Promise.all(left.map((id) => docker.getContainer(id).remove({ force: true })));
});

test('the csv-report example on the canvas, run from the editor, and its chart PNG shown in the output panel', async () => {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await context.addCookies([{ ...server.sessionCookie, url: server.url }]);
	const page = await context.newPage();
	page.setDefaultTimeout(LOAD_WITHIN_MS);
	mkdirSync(DOCS, { recursive: true });

	await page.goto(`${server.url}/workflow/${workflow.id}`);
	await page.getByTestId('canvas-node').nth(workflow.nodes.length - 1).waitFor();
	sandboxesBeforeRun = await sandboxes();
	await executeWorkflow(page);
	await screenshot(page, 'workflow-canvas.png');

	await page.locator(`[data-test-id="canvas-node"][data-node-name="${CHART_NODE}"]`).dblclick();
	await page.getByTestId('output-panel').getByTestId('radio-button-binary').click();
	await page.getByTestId('ndv-binary-data_0').filter({ hasText: CHART_PROPERTY }).getByTestId('ndv-view-binary-data').click();
	const chart = page.locator(CHART_IMAGE);
	await chart.waitFor();
	await page.waitForFunction((selector) => document.querySelector<HTMLImageElement>(selector)?.complete, CHART_IMAGE);
	const shown = await chart.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight, src: img.src }));
	expect(await chart.isVisible()).toBe(true);
	expect(shown.width).toBeGreaterThan(0);
	// The image shown is the chart PNG the run stored, whole, at its own size.
	const source = new URL(shown.src).searchParams;
	expect(source.get('fileName')).toBe('sales-by-region.png');
	const stored = decodePng(n8n.binaryContent({ id: source.get('id') ?? '' }));
	expect({ width: shown.width, height: shown.height }).toEqual(stored);
	await screenshot(page, 'chart-output.png');
}, 120_000);

/** Clicks "Execute workflow" and waits until every node has run; fails as soon as a node shows issues (an error). */
async function executeWorkflow(page: Page): Promise<void> {
	await page.getByTestId('execute-workflow-button').click();
	const allSucceeded = page.getByTestId('canvas-node-status-success').nth(workflow.nodes.length - 1);
	const issues = page.getByTestId('node-issues');
	await allSucceeded.or(issues).first().waitFor({ timeout: RUN_WITHIN_MS });
	const failed = await page
		.getByTestId('canvas-node')
		.filter({ has: issues })
		.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
	if (failed.length > 0) throw new Error(`The workflow failed at: ${failed.join(', ')}`);
	// Away from the button, so that the canvas is not captured with it hovered.
	await page.mouse.move(720, 200);
}

/**
 * A screenshot into docs/ once the editor has settled, without the toasts that come and go ("Workflow executed
 * successfully"). Seen here: the success marks show while the run button is still blank, fading out its spinner in a
 * Vue <Transition> (whose classes an element has while it fades), and an edge label shows a moment later.
 */
async function screenshot(page: Page, file: string): Promise<void> {
	await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"], [class*="-leave-active"]'));
	const deadline = Date.now() + SETTLE_WITHIN_MS;
	let previous: Buffer | undefined;
	while (Date.now() < deadline) {
		const shot = await page.screenshot({ animations: 'disabled', style: '.el-notification { visibility: hidden; }' });
		if (previous?.equals(shot)) return writeFileSync(join(DOCS, file), shot);
		previous = shot;
		await page.waitForTimeout(300);
	}
	throw new Error(`The editor did not settle within ${SETTLE_WITHIN_MS / 1000} s for ${file}`);
}

/** This package's sandboxes, without the warm pool's (kept on purpose). */
async function sandboxes(): Promise<string[]> {
	const containers = await docker.listContainers({ all: true, filters: { label: [LABELS.sandboxId] } });
	return containers.filter((container) => !container.Names.some((name) => /^\/(pool|warming)-/.test(name))).map((container) => container.Id);
}
