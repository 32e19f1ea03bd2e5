import { Sandbox } from '@e2b/code-interpreter';

import type { Backend, SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { createBackend } from '../../nodes/CodeInterpreter/backends';
import { SandboxStoppedError } from '../../nodes/CodeInterpreter/backends/errors';
import { startE2BDouble, type E2BDouble } from '../e2b/double/startE2BDouble';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { startPackageIndex, type TestPackageIndex } from '../helpers/packageIndex';
import { runOne } from '../helpers/runOne';

/** What only the E2B backend has (the shared suite covers the rest), against the local double of E2B's endpoints. */
let double: E2BDouble;
let backend: Backend;
let sandbox: SandboxInfo;

beforeAll(async () => {
	double = await startE2BDouble();
	backend = createBackend('e2b', { apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl, requestTimeoutSeconds: 2 });
	sandbox = await backend.create({ timeoutSeconds: 120, template: 'my-team-template-v3' });
}, 120_000);

afterAll(async () => {
	if (sandbox) await backend.kill(sandbox.sandboxId);
	await double?.close();
});

test('Create Sandbox marks the sandbox as this package\'s, from the template asked for, without internet by default', () => {
	const made = double.sandboxes.get(sandbox.sandboxId);
	expect(made).toMatchObject({ templateID: 'my-team-template-v3', metadata: { createdBy: 'n8n-nodes-code-interpreter' }, allowInternetAccess: false });
	expect(sandbox.template).toBe('my-team-template-v3');
});

test('Get Many lists only this package\'s sandboxes', async () => {
	const foreign = await Sandbox.create({ apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl, timeoutMs: 60_000 });
	try {
		const listed = (await backend.list()).map((s) => s.sandboxId);
		expect(listed).toContain(sandbox.sandboxId);
		expect(listed).not.toContain(foreign.sandboxId);
	} finally {
		await foreign.kill();
	}
}, 120_000);

test('running code leaves the sandbox\'s deadline where it was (connecting does not extend it)', async () => {
	const before = double.sandboxes.get(sandbox.sandboxId)!.endAt;
	await runOne(backend, sandbox.sandboxId, '1 + 1', { language: 'python', timeoutMs: 10_000 });
	expect(double.sandboxes.get(sandbox.sandboxId)!.endAt).toBe(before);
});

test('429 from E2B: the rate or concurrency limit, with what to do', async () => {
	double.failNext({ method: 'POST', path: /^\/v2\/sandboxes$/, status: 429 });
	await expect(backend.create({ timeoutSeconds: 60 })).rejects.toMatchObject({
		message: 'E2B refused to create a sandbox: rate limit or concurrent sandbox limit reached (HTTP 429)',
		description: expect.stringContaining('kill sandboxes you no longer need'),
	});
});

test('a request E2B leaves unanswered is a request timeout, named apart from the execution limit', async () => {
	double.failNext({ method: 'GET', path: /^\/v2\/sandboxes$/, status: 200, body: '[]', delayMs: 5_000 });
	await expect(backend.list()).rejects.toMatchObject({
		message: 'E2B did not answer within 2 s trying to list sandboxes (request timeout)',
		description: expect.stringContaining('not the code\'s execution limit'),
	});
	double.failNext({ method: 'POST', path: /^\/execute$/, status: 200, body: '', delayMs: 5_000 });
	await expect(runOne(backend, sandbox.sandboxId, '1', { language: 'python', timeoutMs: 60_000 })).rejects.toMatchObject({
		message: 'E2B did not start the execution within 2 s (request timeout)',
	});
});

test('a sandbox killed while its code runs: "stopped during the execution"', async () => {
	const doomed = await backend.create({ timeoutSeconds: 120 });
	// The outcome is taken at once: the run may end (rejected) while the kill is still being answered.
	const outcome = runOne(backend, doomed.sandboxId, 'import time\ntime.sleep(60)', { language: 'python', timeoutMs: 90_000 }).then(
		() => undefined,
		(error: unknown) => error,
	);
	await new Promise((resolve) => setTimeout(resolve, 1_500));
	await backend.kill(doomed.sandboxId);
	expect(await outcome).toBeInstanceOf(SandboxStoppedError);
}, 120_000);

describe('Packages at create, from a package index of the test\'s own (on Docker\'s default network, with the double\'s sandboxes)', () => {
	let index: TestPackageIndex | undefined;
	let withIndex: Backend;

	beforeAll(async () => {
		index = await startPackageIndex('bridge');
		withIndex = createBackend('e2b', { apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl, packageIndexUrl: index.pythonIndexUrl });
	}, 120_000);

	afterAll(() => index?.stop());

	test('installed through the sandbox\'s kernel before Create returns, imported in the first run; E2B is told to close the index again', async () => {
		const made = await withIndex.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'] });
		try {
			expect(double.sandboxes.get(made.sandboxId)?.allowOut).toEqual([]);
			const imported = await runOne(withIndex, made.sandboxId, 'import n8n_test_pkg\nn8n_test_pkg.GREETING', { language: 'python', timeoutMs: 30_000 });
			expect({ error: imported.error, text: executionText(imported) }).toEqual({ error: null, text: 'hello from the test index' });
			const probe = `import urllib.request\ntry:\n    urllib.request.urlopen("${index?.pythonIndexUrl}/n8n-test-pkg/", timeout=3)\n    print("index reached")\nexcept Exception:\n    print("index blocked")`;
			expect((await runOne(withIndex, made.sandboxId, probe, { language: 'python', timeoutMs: 30_000 })).logs.stdout.join('')).toBe('index blocked\n');
		} finally {
			await withIndex.kill(made.sandboxId);
		}
	}, 120_000);

	test('the sandbox\'s own environment variables do not reach pip', async () => {
		const envs = { PIP_NO_INDEX: '1', PIP_REQUIREMENT: '/proc/self/environ', PYTHONPATH: '/tmp' };
		const made = await withIndex.create({ timeoutSeconds: 120, packages: ['n8n-test-pkg==1.0'], envs });
		try {
			const imported = await runOne(withIndex, made.sandboxId, 'import n8n_test_pkg\nn8n_test_pkg.GREETING', { language: 'python', timeoutMs: 30_000 });
			expect({ error: imported.error, text: executionText(imported) }).toEqual({ error: null, text: 'hello from the test index' });
		} finally {
			await withIndex.kill(made.sandboxId);
		}
	}, 120_000);

	test('a package released as source only is refused, its build never run; a package\'s .pth code first runs with the index closed', async () => {
		await expect(withIndex.create({ timeoutSeconds: 120, packages: ['n8n-lingering-pkg==1.0'] })).rejects.toMatchObject({
			message: 'Installing the packages failed: Could not find a version that satisfies the requirement n8n-lingering-pkg==1.0 (from versions: none)',
			description: expect.stringMatching(/^Packages installs built wheels only/),
		});
		expect(index?.requestedPaths().filter((path) => path.endsWith('.tar.gz'))).toEqual([]);
		const made = await withIndex.create({ timeoutSeconds: 120, packages: ['n8n-pth-probe==1.0'] });
		try {
			const probe = await runOne(withIndex, made.sandboxId, 'print(open("/tmp/pth-probe").read())', { language: 'python', timeoutMs: 30_000 });
			expect(probe.logs.stdout.join('')).toBe('index blocked\n');
		} finally {
			await withIndex.kill(made.sandboxId);
		}
	}, 180_000);

	test('a failed install fails Create with pip\'s own words, and the sandbox is killed', async () => {
		const before = [...double.sandboxes.keys()];
		await expect(withIndex.create({ timeoutSeconds: 120, packages: ['n8n-no-such-pkg==9.9'] })).rejects.toMatchObject({
			message: 'Installing the packages failed: Could not find a version that satisfies the requirement n8n-no-such-pkg==9.9 (from versions: none)',
		});
		expect([...double.sandboxes.keys()]).toEqual(before);
	}, 120_000);
});
