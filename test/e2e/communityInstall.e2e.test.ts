import { execFileSync } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import Docker from 'dockerode';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import { decodePng } from '../helpers/png';
import { communityInstallEnvironment, communityPackages, installCommunityPackage } from './communityPackages';
import { N8n, type WorkflowJson } from './n8n';
import { N8nServer } from './n8nServer';
import { NpmRegistry, packageName, packPackage } from './npmRegistry';

/**
 * The path a user takes: n8n's Settings → Community Nodes installs the package from an npm registry (Verdaccio, of
 * the test's own), and the first sandbox builds the sandbox image, which the engine lacks: the package is published
 * under a version of its own, whose image (`n8n-code-interpreter-sandbox:<that version>`) is not there. Docker's layer
 * cache of the package's usual image makes that build quick here; on a machine without it, it is a full build.
 */
const ROOT = join(__dirname, '..', '..');
const NAME = packageName();
const VERSION = `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}-e2e.${randomBytes(3).toString('hex')}`;
const IMAGE = `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { codeInterpreter: { imageRepository: string } }).codeInterpreter.imageRepository}:${VERSION}`;
const CREDENTIAL = { id: 'ciDockerCommunity1', name: 'Code Interpreter Docker', type: 'codeInterpreterDockerApi' };
// No warm pool: its sandboxes would outlive the test and keep its image.
const CREDENTIAL_DATA = { poolSize: 0 };
const BUILT_WITHIN_MS = 20 * 60_000;
const PATH = randomUUID();
const CHART_CODE = "import matplotlib.pyplot as plt\nplt.bar(['Jan', 'Feb', 'Mar'], [120, 135, 160])\nplt.title('Sales')\nplt.show()";

const docker = new Docker();
let registry: NpmRegistry | undefined;
let n8n: N8n | undefined;
let server: N8nServer | undefined;

/** This package as built, packed under VERSION. */
async function packedUnderTestVersion(): Promise<string> {
	const tarball = await packPackage();
	const unpacked = mkdtempSync(join(tmpdir(), 'package-'));
	try {
		execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
		const manifestFile = join(unpacked, 'package', 'package.json');
		writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), version: VERSION }, null, 2));
		return await packPackage(join(unpacked, 'package'));
	} finally {
		rmSync(dirname(tarball), { recursive: true, force: true });
		rmSync(unpacked, { recursive: true, force: true });
	}
}

/** Webhook → Create Sandbox → Run Code (a chart) → respond with the PNG → Kill; a failed create answers with its error. */
function chartWorkflow(): WorkflowJson {
	const ours = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		name,
		type: `${NAME}.codeInterpreter`,
		typeVersion: 1,
		parameters,
		credentials: { codeInterpreterDockerApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		...extra,
	});
	const nodes = [
		{ name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: PATH, parameters: { httpMethod: 'POST', path: PATH, responseMode: 'responseNode', options: {} } },
		ours('Create Sandbox', { resource: 'sandbox', operation: 'create' }, { onError: 'continueErrorOutput' }),
		ours('Plot', { resource: 'code', operation: 'run', sandboxId: '={{ $json.sandboxId }}', code: CHART_CODE }),
		{ name: 'Respond Chart', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, parameters: { respondWith: 'binary', options: {} } },
		ours('Kill Sandbox', { resource: 'sandbox', operation: 'kill', sandboxId: "={{ $('Create Sandbox').item.json.sandboxId }}" }),
		{
			name: 'Respond Error',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify($json) }}', options: { responseCode: 503 } },
		},
	];
	const to = (node: string) => [{ node, type: 'main', index: 0 }];
	return {
		id: 'communityInstall01',
		name: 'e2e: first chart after a Community Nodes install',
		active: false,
		nodes: nodes.map((node, index) => ({ id: randomUUID(), position: [index * 220, 0], ...node })),
		connections: {
			Webhook: { main: [to('Create Sandbox')] },
			'Create Sandbox': { main: [to('Plot'), to('Respond Error')] },
			Plot: { main: [to('Respond Chart')] },
			'Respond Chart': { main: [to('Kill Sandbox')] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

async function testCredential(): Promise<{ status: string; message: string }> {
	return await server!.api('POST', '/rest/credentials/test', { credentials: { ...CREDENTIAL, data: CREDENTIAL_DATA } });
}

beforeAll(async () => {
	await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
	const tarball = await packedUnderTestVersion();
	try {
		registry = await NpmRegistry.start();
		await registry.publish(tarball);
	} finally {
		rmSync(dirname(tarball), { recursive: true, force: true });
	}
	n8n = await N8n.start({ loadPackage: false });
	await n8n.importCredentials([{ ...CREDENTIAL, data: CREDENTIAL_DATA }]);
	await n8n.importWorkflow(chartWorkflow());
	server = await N8nServer.start({ n8n, env: communityInstallEnvironment(registry.url) });
}, 600_000);

afterAll(async () => {
	await server?.stop();
	await registry?.stop();
	await n8n?.stop();
	await docker.getImage(IMAGE).remove({ force: true }).catch(() => undefined);
}, 120_000);

test('installed from Community Nodes, the node builds its image on first use and the workflow returns the chart', async () => {
	const started = Date.now();
	const installed = await installCommunityPackage(server!, NAME);
	const installedAfter = Date.now() - started;
	expect(installed).toMatchObject({ packageName: NAME, installedVersion: VERSION });
	expect(installed.installedNodes.map((node) => node.type)).toContain(`${NAME}.codeInterpreter`);
	expect(await communityPackages(server!)).toEqual([expect.objectContaining({ packageName: NAME, failedLoading: false })]);

	expect(await testCredential()).toEqual({
		status: 'Error',
		message: expect.stringContaining(`does not have the sandbox image ${IMAGE} yet: it will be built from this package's template when the first sandbox is created`),
	});

	const { versionId } = await server!.api<{ versionId: string }>('GET', '/rest/workflows/communityInstall01');
	await server!.api('POST', '/rest/workflows/communityInstall01/activate', { versionId });
	const callWorkflow = () => fetch(`${server!.url}/webhook/${PATH}`, { method: 'POST', signal: AbortSignal.timeout(120_000) });

	// n8n registers the webhook a moment after the activation answered.
	let first = await callWorkflow();
	for (const registeredBy = Date.now() + 30_000; first.status === 404 && Date.now() < registeredBy; first = await callWorkflow()) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	expect(first.status).toBe(503);
	expect(await first.json()).toMatchObject({
		error: expect.stringMatching(new RegExp(`^The sandbox image ${IMAGE.replace(/[.]/g, '\\.')} is being built \\(started \\d+ s ago\\)$`)),
		details: expect.stringContaining('npm run template:build'),
	});
	// Until the build ends, the Test says it is under way (with Docker's layer cache, it may be over already).
	const deadline = Date.now() + BUILT_WITHIN_MS;
	for (let result = await testCredential(); result.status !== 'OK'; result = await testCredential()) {
		expect(result.message).toMatch(new RegExp(`is building the sandbox image ${IMAGE.replace(/[.]/g, '\\.')} \\(started \\d+ (s|min) ago`));
		if (Date.now() > deadline) throw new Error(`The image was not built within ${BUILT_WITHIN_MS / 60_000} minutes:\n${server!.log}`);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
	}
	const builtAfter = Date.now() - started;
	await server!.waitForLog(new RegExp(`Code Interpreter image build: Built ${IMAGE.replace(/[.]/g, '\\.')} in \\d+ s`), 30_000);

	const chart = await callWorkflow();
	if (chart.status !== 200) throw new Error(`The second call answered ${chart.status}: ${await chart.text()}`);
	expect(chart.headers.get('content-type')).toBe('image/png');
	const { width, height } = decodePng(Buffer.from(await chart.arrayBuffer()));
	expect(width).toBeGreaterThan(100);
	expect(height).toBeGreaterThan(100);
	console.log(
		`Community Nodes install ${(installedAfter / 1000).toFixed(1)} s; image built ${((builtAfter - installedAfter) / 1000).toFixed(0)} s later; first chart ${((Date.now() - started) / 1000).toFixed(0)} s after the install started`,
	);
	// Kill Sandbox ran after the response: no sandbox of this package version is left.
	const deadlineKill = Date.now() + 30_000;
	while ((await docker.listContainers({ filters: { label: [`io.n8n.code-interpreter.version=${VERSION}`] } })).length > 0) {
		if (Date.now() > deadlineKill) throw new Error('The sandbox was not killed');
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}, BUILT_WITHIN_MS + 300_000);
