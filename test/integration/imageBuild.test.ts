import { execFile, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import Docker from 'dockerode';
import { join } from 'path';
import { promisify } from 'util';

import { lockHeldSince, lockName, tryBuildLock } from '../../nodes/CodeInterpreter/backends/docker/image/buildLock';
import { PackageImage } from '../../nodes/CodeInterpreter/backends/docker/image/packageImage';
import { baseImage, SOURCE_LABEL, templateHash } from '../../nodes/CodeInterpreter/backends/docker/image/template';

/**
 * The package image built on first use (backends/docker/image/), with n8n processes played by processes of the built
 * package (test/helpers/packageImage.js). Each test builds a tag of its own; Docker's layer cache of the package's
 * image makes that quick when it exists. The full path through n8n's Community Nodes install is test/e2e/communityInstall.
 */
const HELPER = join(__dirname, '..', 'helpers', 'packageImage.js');
const docker = new Docker();
const tags: string[] = [];
const silent = { info: () => undefined, error: () => undefined };

function testTag(): string {
	const tag = `n8n-code-interpreter-sandbox:test-build-${randomBytes(4).toString('hex')}`;
	tags.push(tag);
	return tag;
}

afterAll(async () => {
	for (const tag of tags) {
		await docker.getContainer(lockName(tag)).remove({ force: true }).catch(() => undefined);
		await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
	}
});

interface FirstUse {
	first: string;
	firsts: string[];
	second: string;
	test: string;
	log: string[];
}

async function helper(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<FirstUse> {
	const { stdout } = await promisify(execFile)(process.execPath, [HELPER, ...args], { env, timeout: 20 * 60_000 });
	return JSON.parse(stdout.trim().split('\n').pop()!) as FirstUse;
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, withinMs: number): Promise<T> {
	const deadline = Date.now() + withinMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${withinMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe('the build lock', () => {
	test('is held by one process at a time and freed when its holder dies', async () => {
		const tag = testTag();
		const holder = spawn(process.execPath, [HELPER, 'hold-lock', tag], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			await new Promise<void>((resolve, reject) => {
				holder.stdout.on('data', (data: Buffer) => data.toString().includes('held') && resolve());
				holder.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
			});
			const attempt = await tryBuildLock(docker, tag, baseImage(), 60_000);
			expect(attempt).toEqual({ heldSince: expect.any(Date) });
			holder.kill('SIGKILL');
			await waitFor('the lock to be freed', async () => ((await lockHeldSince(docker, tag)) ? undefined : true), 15_000);
			const taken = await tryBuildLock(docker, tag, baseImage(), 60_000);
			if (!('lock' in taken)) throw new Error('the freed lock could not be taken');
			expect(await lockHeldSince(docker, tag)).toBeInstanceOf(Date);
			await taken.lock.release();
			expect(await lockHeldSince(docker, tag)).toBeUndefined();
		} finally {
			holder.kill('SIGKILL');
		}
	});
});

describe('the package image on first use', () => {
	test('three processes, four sandboxes each, at once: one build, all told it is being built, the credential test follows it', async () => {
		const tag = testTag();
		const image = new PackageImage(docker, tag, silent, true);
		expect(image.describe(await image.state())).toContain(`does not have the sandbox image ${tag} yet: it will be built`);

		const processes = Promise.all([1, 2, 3].map(async () => await helper(['first-use', tag, '4'])));
		const building = await waitFor('the build to start', async () => {
			const state = await image.state();
			return state.state === 'building' ? state : undefined;
		}, 30_000);
		expect(image.describe(building)).toMatch(new RegExp(`is building the sandbox image ${tag} \\(started \\d+ s ago`));

		const results = await processes;
		for (const { firsts, second, log } of results) {
			expect(firsts).toHaveLength(4);
			for (const first of firsts) expect(first).toMatch(new RegExp(`^The sandbox image ${tag} is being built \\(started \\d+ s ago\\)$`));
			expect(second).toBe(`The sandbox image ${tag} was built just now`);
			expect(log.filter((line) => line.startsWith('ERROR'))).toEqual([]);
		}
		const builders = results.filter(({ log }) => log.some((line) => line.includes(`Built ${tag} in`)));
		expect(builders).toHaveLength(1);
		expect(builders[0].log.some((line) => /Step \d+\/\d+ : RUN .*apt-get install/.test(line))).toBe(true);
		// The others found the build under way (its lock held), or started theirs and found the lock taken.
		for (const other of results.filter((result) => result !== builders[0])) {
			expect(other.log.filter((line) => line.includes(`Building ${tag}`) || line.includes('Step '))).toEqual([]);
		}

		const built = await docker.getImage(tag).inspect();
		expect(built.Config.Labels[SOURCE_LABEL]).toBe(templateHash());
		expect(await image.state()).toEqual({ state: 'present' });
		expect(await lockHeldSince(docker, tag)).toBeUndefined();
	}, 20 * 60_000);

	test.each([
		// Without npm on its PATH, the process cannot fetch the JavaScript kernel.
		['npm is missing', { PATH: '/nonexistent' }, 'fetching @deno/linux-[a-z0-9-]+@[\\d.]+ \\(the JavaScript kernel\\) with npm failed: npm is not on the PATH of this process'],
		['the temporary folder is missing', { TMPDIR: '/nonexistent' }, escape("ENOENT: no such file or directory, mkdtemp '/nonexistent/code-interpreter-template-XXXXXX'")],
	])('a build that fails (%s) says why at once, frees the lock, and is not tried again at once', async (_, env, reason) => {
		const tag = testTag();
		const { first, second, test: credentialTest } = await helper(['first-use', tag], { ...process.env, ...env });
		const failed = new RegExp(`^Building the sandbox image ${escape(tag)} failed \\d+ s ago: ${reason}$`);
		expect(first).toMatch(failed);
		expect(second).toMatch(failed);
		expect(credentialTest).toMatch(new RegExp(`^could not build the sandbox image ${escape(tag)}: Building the sandbox image ${escape(tag)} failed`));
		expect(await docker.getImage(tag).inspect().catch(() => 'absent')).toBe('absent');
		expect(await lockHeldSince(docker, tag)).toBeUndefined();
	}, 5 * 60_000);
});
