import { startPackageIndex, type TestPackageIndex } from '../helpers/packageIndex';
import { N8n } from './n8n';
import { chain, runCode } from './workflow';

/**
 * Create Sandbox's Packages and Allowed Hosts in a real n8n, with a Docker credential whose Package Index URL is a
 * package index of the test's own (on Docker's default network, where the sandboxes are): the package is installed
 * before the sandbox is handed out; pip at run time reaches the index only while its host is allowed.
 */
const CREDENTIAL = { codeInterpreterDockerApi: { id: 'e2eWithIndex0001', name: 'Docker with the test index' } };
let n8n: N8n;
let index: TestPackageIndex | undefined;

beforeAll(async () => {
	index = await startPackageIndex('bridge');
	n8n = await N8n.start();
	await n8n.importCredentials([{ ...CREDENTIAL.codeInterpreterDockerApi, type: 'codeInterpreterDockerApi', data: { packageIndexUrl: index.pythonIndexUrl } }]);
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	index?.stop();
});

test('Create Sandbox with Packages → Run Code imports it → pip again with the index allowed → Kill', async () => {
	const indexUrl = index?.pythonIndexUrl ?? '';
	const host = new URL(indexUrl).hostname;
	const sandboxId = "={{ $('Create Sandbox').first().json.sandboxId }}";
	const pip = `import subprocess, sys\nr = subprocess.run([sys.executable, "-m", "pip", "install", "--user", "--force-reinstall", "--index-url", "${indexUrl}", "--trusted-host", "${new URL(indexUrl).host}", "--timeout", "3", "--retries", "0", "n8n-test-pkg==1.0"], capture_output=True, text=True)\n"reached" if r.returncode == 0 else "blocked"`;
	const nodes = [
		{ name: 'Create Sandbox', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300, options: { packages: 'n8n-test-pkg==1.0' } } },
		{ name: 'Import', parameters: runCode({ sandboxId, code: 'import n8n_test_pkg\nn8n_test_pkg.GREETING' }) },
		{ name: 'Pip Without The Host', parameters: runCode({ sandboxId, code: pip }) },
		{ name: 'Kill Sandbox', parameters: { resource: 'sandbox', operation: 'kill', sandboxId } },
		{ name: 'Create Allowed', parameters: { resource: 'sandbox', operation: 'create', timeoutSeconds: 300, options: { allowedHosts: host } } },
		{ name: 'Pip With The Host', parameters: runCode({ sandboxId: "={{ $('Create Allowed').first().json.sandboxId }}", code: pip }) },
		{ name: 'Kill Allowed', parameters: { resource: 'sandbox', operation: 'kill', sandboxId: "={{ $('Create Allowed').first().json.sandboxId }}" } },
	].map((node) => ({ ...node, credentials: CREDENTIAL }));
	const workflow = chain('libraries', nodes);
	await n8n.importWorkflow(workflow);
	const result = await n8n.execute(workflow.id);
	expect(N8n.items(result, 'Import')[0].json).toMatchObject({ text: 'hello from the test index', error: null });
	expect(N8n.items(result, 'Pip Without The Host')[0].json).toMatchObject({ text: 'blocked', error: null });
	expect(N8n.items(result, 'Pip With The Host')[0].json).toMatchObject({ text: 'reached', error: null });
	expect([N8n.items(result, 'Kill Sandbox')[0].json.killed, N8n.items(result, 'Kill Allowed')[0].json.killed]).toEqual([true, true]);
}, 300_000);
