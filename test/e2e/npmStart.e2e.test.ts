import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { N8nProcess } from './n8nProcess';
import { N8nServer } from './n8nServer';

/**
 * `npm start`, the README's first command, as a user runs it from this clone: it sets up what is missing and starts
 * n8n, which answers with this package's node, the local Docker credential and the example workflows. (On a fresh
 * machine, `.ci/run` on a clean clone with an empty cache is the same path from nothing.)
 */
const ROOT = join(__dirname, '..', '..');
// The set-up steps (a build, the package installed into n8n, the warm pool) run before n8n starts.
const READY_WITHIN_MS = 300_000;

let userFolder: string;
let server: N8nServer | undefined;

beforeAll(async () => {
	userFolder = mkdtempSync(join(tmpdir(), 'npm-start-'));
	// A user's shell: not Jest's environment, in which n8n would stay silent.
	const shell = { ...process.env };
	delete shell.NODE_ENV;
	delete shell.JEST_WORKER_ID;
	server = await N8nServer.launch(
		async (env) => N8nProcess.run('npm', ['start', '--prefix', ROOT], { ...shell, ...env, N8N_USER_FOLDER: userFolder }),
		{},
		READY_WITHIN_MS,
	);
}, READY_WITHIN_MS + 60_000);

afterAll(async () => {
	await server?.stop();
	rmSync(userFolder, { recursive: true, force: true });
}, 60_000);

test('npm start: n8n answers with the Code Interpreter node, its Docker credential and the example workflows', async () => {
	const nodeTypes = (await (await server!.request('GET', '/types/nodes.json')).json()) as Array<{ name: string }>;
	expect(nodeTypes.map((type) => type.name)).toEqual(
		expect.arrayContaining(['n8n-nodes-code-interpreter.codeInterpreter', 'n8n-nodes-code-interpreter.codeInterpreterTool']),
	);
	const credentials = await server!.api<Array<{ name: string; type: string }>>('GET', '/rest/credentials');
	expect(credentials).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Code Interpreter Docker (local socket)', type: 'codeInterpreterDockerApi' })]));
	const workflows = await server!.api<Array<{ name: string }>>('GET', '/rest/workflows');
	expect(workflows.map((workflow) => workflow.name)).toContain('Code Interpreter: stateful sandbox (create, run twice, kill)');
	const test = await server!.api<{ status: string; message: string }>('POST', '/rest/credentials/test', {
		credentials: { ...credentials.find((credential) => credential.type === 'codeInterpreterDockerApi'), data: {} },
	});
	expect(test).toEqual({ status: 'OK', message: expect.stringContaining('has the sandbox image n8n-code-interpreter-sandbox:') });
});
