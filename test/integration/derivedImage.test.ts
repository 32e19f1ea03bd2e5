import Docker from 'dockerode';
import { execFile, execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { LIBRARIES_LABEL } from '../../nodes/CodeInterpreter/backends/docker/image/derived';
import { LABELS } from '../../nodes/CodeInterpreter/backends/docker/labels';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/settings';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';
import { startPackageIndex, type TestPackageIndex } from '../helpers/packageIndex';
import { runOne } from '../helpers/runOne';

/**
 * A derived image, made by the command the README gives (`node scripts/derived-image.js FILE`), with a Python package
 * and an R package from a package index of the test's own and a Debian package from the machine's Debian mirror;
 * tagged by its list; a sandbox of it, taken from the warm pool, has all three.
 */
const ROOT = join(__dirname, '..', '..');
const network = `n8n-ci-derive-${process.pid}`;
const docker = new Docker();
const folder = mkdtempSync(join(tmpdir(), 'n8n-derived-'));
const tags: string[] = [];
let index: TestPackageIndex | undefined;

beforeAll(async () => {
	execFileSync('docker', ['network', 'create', network]);
	index = await startPackageIndex(network);
}, 180_000);

afterAll(async () => {
	index?.stop();
	execFileSync('docker', ['network', 'rm', network]);
	rmSync(folder, { recursive: true, force: true });
	for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
}, 120_000);

/** Runs the command on a libraries file: the tag it prints last, and its progress. */
async function derive(libraries: string): Promise<{ tag: string; progress: string }> {
	const file = join(folder, `libraries-${tags.length}.txt`);
	writeFileSync(file, libraries);
	const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'derived-image.js'), file, '--network', network], {
		maxBuffer: 64 * 1024 * 1024,
		timeout: 600_000,
	});
	const tag = stdout.trim().split('\n').at(-1) ?? '';
	if (!tags.includes(tag)) tags.push(tag);
	return { tag, progress: stderr };
}

const librariesFile = () =>
	[
		'# The test index serves these',
		'[python]',
		`index-url = ${index?.pythonIndexUrl}`,
		'n8n-test-pkg==1.0',
		'[r]',
		`repos = ${index?.rRepos}`,
		'n8ntestr',
		'[debian]',
		'tree',
	].join('\n');

test('one command builds the image, tagged by its list; the same list again builds nothing, another list makes another tag', async () => {
	const first = await derive(librariesFile());
	expect(first.tag).toMatch(new RegExp(`^${DEFAULT_IMAGE.replace(/[.]/g, '\\.')}-libs-[0-9a-f]{12}$`));
	const labels = (await docker.getImage(first.tag).inspect()).Config.Labels ?? {};
	expect(JSON.parse(labels[LIBRARIES_LABEL])).toMatchObject({ python: { requirements: ['n8n-test-pkg==1.0'] }, debian: ['tree'], r: { packages: ['n8ntestr'] } });
	const again = await derive(`${librariesFile()}\n# a comment changes nothing`);
	expect(again).toEqual({ tag: first.tag, progress: `${first.tag} is up to date\n` });
	const other = await derive(librariesFile().replace('[debian]\ntree', ''));
	expect(other.tag).not.toBe(first.tag);
}, 900_000);

test('the credential\'s Image names it: a sandbox from the warm pool has the Python, R and Debian packages', async () => {
	const [tag] = tags;
	const backend = new DockerBackend(parseDockerSettings({ image: tag, poolSize: 1 }));
	try {
		await backend.pool.refill();
		const pooled = await docker.listContainers({ all: true, filters: { label: [`${LABELS.pool}=${backend.pool.key}`] } });
		expect(pooled.map((container) => container.Image)).toEqual([tag]);
		const sandbox = await backend.create({ timeoutSeconds: 120 });
		try {
			expect(pooled[0].Names[0]).toBe(`/pool-${sandbox.sandboxId}`);
			const run = async (code: string, language: 'python' | 'r' | 'bash') => await runOne(backend, sandbox.sandboxId, code, { language, timeoutMs: 60_000 });
			expect(executionText(await run('import n8n_test_pkg\nn8n_test_pkg.GREETING', 'python'))).toBe('hello from the test index');
			expect(executionText(await run('library(n8ntestr)\ngreeting()', 'r'))).toBe('[1] "hello from the R repository"');
			expect((await run('tree --version | cut -d" " -f1', 'bash')).logs.stdout.join('')).toBe('tree\n');
		} finally {
			await backend.kill(sandbox.sandboxId);
		}
	} finally {
		await backend.pool.drain();
	}
}, 300_000);

test('a libraries file with a mistake is refused before anything is built, naming the line', async () => {
	await expect(derive('[python]\n--index-url https://evil.example/simple')).rejects.toMatchObject({
		stderr: expect.stringContaining('line 2 ("--index-url https://evil.example/simple"): "--index-url https://evil.example/simple": pip options are not taken here'),
	});
	await expect(derive('tabulate')).rejects.toMatchObject({ stderr: expect.stringContaining('line 1 ("tabulate"): put it under a section') });
});
