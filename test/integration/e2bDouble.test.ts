import { Sandbox } from '@e2b/code-interpreter';
import {
	AuthenticationError,
	FileNotFoundError,
	NotFoundError,
	RateLimitError,
	SandboxNotFoundError,
	TimeoutError,
	type ConnectionOpts,
} from 'e2b';

import { startE2BDouble, type E2BDouble } from '../e2b/double/startE2BDouble';

/** Calls expected to fail: a short request timeout, so a double that does not answer fails the test, not Jest's clock. */
const FAILS_FAST = { requestTimeoutMs: 5_000 };
/**
 * runCode answered with an error status leaves its request timer running (PROTOCOL.md §4), and that timer keeps Node
 * alive: the default 60 s would hold Jest open after the tests. The double answers these at once.
 */
const RUN_FAILS_FAST = { requestTimeoutMs: 1_000 };

let double: E2BDouble;
let conn: ConnectionOpts & { debug: false };
let sbx: Sandbox;
let other: Sandbox;
const run = `jest-${process.pid}-${Date.now()}`;

beforeAll(async () => {
	double = await startE2BDouble({
		log: process.env.DOUBLE_LOG ? (line, headers) => console.log(`[double] ${line}`, process.env.DOUBLE_LOG === 'headers' ? headers : '') : undefined,
	});
	conn = { apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl, debug: false };
});

afterAll(async () => {
	await double?.close();
});

describe('the E2B double answers the real SDK as E2B does', () => {
	test('Sandbox.create with metadata, envs, timeoutMs, allowInternetAccess', async () => {
		sbx = await Sandbox.create('code-interpreter-v1', {
			...conn,
			timeoutMs: 120_000,
			metadata: { run, role: 'main' },
			envs: { FOO: 'bar' },
			allowInternetAccess: false,
		});
		expect(sbx.sandboxId).toMatch(/^[a-z0-9]{20}$/);
		expect(double.sandboxes.get(sbx.sandboxId)).toMatchObject({ envVars: { FOO: 'bar' }, allowInternetAccess: false });
	});

	test('getInfo', async () => {
		const info = await sbx.getInfo();
		expect(info).toMatchObject({
			sandboxId: sbx.sandboxId,
			templateId: 'code-interpreter-v1',
			metadata: { run, role: 'main' },
			state: 'running',
			envdVersion: '0.5.7',
			allowInternetAccess: false,
		});
		expect(info.endAt.getTime() - info.startedAt.getTime()).toBe(120_000);
	});

	test('runCode keeps state: x = 21, then x * 2 → "42"', async () => {
		await sbx.runCode('x = 21');
		const execution = await sbx.runCode('x * 2');
		expect(execution.text).toBe('42');
		expect(execution.executionCount).toBeGreaterThanOrEqual(2);
	});

	test('runCode print with onStdout / onResult callbacks', async () => {
		const seen: string[] = [];
		const execution = await sbx.runCode('print("hello"); "a string"', {
			onStdout: (message) => seen.push(`stdout:${message.line}`),
			onResult: (result) => seen.push(`result:${result.text}`),
		});
		expect(execution.logs.stdout).toEqual(['hello\n']);
		expect(execution.text).toBe('a string'); // E2B strips the repr's quotes
		expect(seen).toEqual(['stdout:hello\n', 'result:a string']);
	});

	test('a matplotlib plot → a result with png and chart', async () => {
		const execution = await sbx.runCode('import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [4, 5, 6])\nplt.title("Rising")\nplt.show()');
		const result = execution.results.find((candidate) => candidate.png);
		expect(result).toBeDefined();
		expect(Buffer.from(result!.png!, 'base64').subarray(1, 4).toString()).toBe('PNG');
		expect(result!.isMainResult).toBe(false);
		expect(result!.chart).toMatchObject({ type: 'line', title: 'Rising' });
	});

	test('a DataFrame → result.data and html', async () => {
		const execution = await sbx.runCode('import pandas as pd\npd.DataFrame({"a": [1, 2], "b": ["x", "y"]})');
		const [result] = execution.results;
		expect(result.data).toEqual({ a: [1, 2], b: ['x', 'y'] });
		expect(result.formats()).toEqual(expect.arrayContaining(['html', 'data']));
	});

	test('an error → name, value, traceback', async () => {
		const execution = await sbx.runCode('1 / 0');
		expect(execution.error).toMatchObject({ name: 'ZeroDivisionError', value: expect.stringMatching(/division by zero/) });
		expect(execution.error!.traceback).toMatch(/ZeroDivisionError/);
	});

	test('JavaScript: const y = 20 + 22; y → "42"', async () => {
		const execution = await sbx.runCode('const y = 20 + 22; console.log("from js"); y', { language: 'javascript' });
		expect(execution.error).toBeUndefined();
		expect(execution.logs.stdout).toEqual(['from js\n']);
		expect(execution.text).toBe('42');
	});

	test('contexts: E2B\'s two default ones, create, list, run in one', async () => {
		const before = await sbx.listCodeContexts();
		expect(before.map((context) => context.language).sort()).toEqual(['javascript', 'python']);
		const context = await sbx.createCodeContext({ language: 'python' });
		expect(context).toMatchObject({ language: 'python', cwd: '/home/user' });
		expect((await sbx.listCodeContexts()).map((listed) => listed.id)).toContain(context.id);
		const execution = await sbx.runCode('x + 1', { context });
		expect(execution.text).toBe('22'); // the double shares one kernel per language: contexts are not isolated
		await sbx.removeCodeContext(context);
		expect((await sbx.listCodeContexts()).map((listed) => listed.id)).not.toContain(context.id);
	});

	test('files.write a string (multipart), read it as text, list the folder', async () => {
		const info = await sbx.files.write('data/hello.txt', 'hi there\n');
		expect(info).toMatchObject({ name: 'hello.txt', path: '/home/user/data/hello.txt' });
		expect(await sbx.files.read('/home/user/data/hello.txt')).toBe('hi there\n');
		const entries = await sbx.files.list('/home/user/data');
		expect(entries.map((entry) => [entry.name, entry.type, entry.size])).toEqual([['hello.txt', 'file', 9]]);
	});

	test('files.write a ReadableStream (octet-stream), read it as bytes and as a stream', async () => {
		const bytes = Uint8Array.from({ length: 300_000 }, (_, index) => index % 251);
		await sbx.files.write('/home/user/data/blob.bin', new Blob([bytes]).stream());
		const back = await sbx.files.read('/home/user/data/blob.bin', { format: 'bytes' });
		expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
		const reader = (await sbx.files.read('/home/user/data/blob.bin', { format: 'stream' })).getReader();
		let streamed = 0;
		for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) streamed += chunk.value.length;
		expect(streamed).toBe(bytes.length);
		const code = await sbx.runCode('open("data/blob.bin", "rb").read()[:3]');
		expect(code.text).toBe("b'\\x00\\x01\\x02'");
	});

	test('files.exists / getInfo / makeDir / remove; a missing file → FileNotFoundError', async () => {
		expect(await sbx.files.exists('data/hello.txt')).toBe(true);
		expect(await sbx.files.exists('data/nope.txt')).toBe(false);
		expect(await sbx.files.getInfo('data/hello.txt')).toMatchObject({
			name: 'hello.txt',
			type: 'file',
			path: '/home/user/data/hello.txt',
			size: 9,
			mode: 0o644,
			permissions: '-rw-r--r--',
			owner: 'user',
			group: 'user',
		});
		expect(await sbx.files.makeDir('data/sub/deeper')).toBe(true);
		expect(await sbx.files.makeDir('data/sub/deeper')).toBe(false);
		await sbx.files.remove('data/sub');
		expect(await sbx.files.exists('data/sub')).toBe(false);
		await expect(sbx.files.read('data/nope.txt', FAILS_FAST)).rejects.toBeInstanceOf(FileNotFoundError);
	});

	test('setTimeout moves endAt', async () => {
		const before = (await sbx.getInfo()).endAt;
		await sbx.setTimeout(600_000);
		const after = (await sbx.getInfo()).endAt;
		expect(after.getTime()).toBeGreaterThan(before.getTime());
	});

	test('a second sandbox; Sandbox.list filtered by metadata, paginated (limit 1)', async () => {
		other = await Sandbox.create({ ...conn, timeoutMs: 60_000, metadata: { run, role: 'other' } });
		const mine = await Sandbox.list({ ...conn, query: { metadata: { run, role: 'main' } } }).nextItems();
		expect(mine.map((listed) => listed.sandboxId)).toEqual([sbx.sandboxId]);
		const paginator = Sandbox.list({ ...conn, query: { metadata: { run } }, limit: 1 });
		const pages: string[][] = [];
		while (paginator.hasNext) pages.push((await paginator.nextItems()).map((listed) => listed.metadata.role));
		expect(pages).toEqual([['other'], ['main']]); // newest first
	});

	test('an injected 429 → RateLimitError; an injected 502 on /execute → TimeoutError', async () => {
		double.failNext({ method: 'GET', path: /^\/v2\/sandboxes$/, status: 429 });
		await expect(Sandbox.list({ ...conn, ...FAILS_FAST }).nextItems()).rejects.toBeInstanceOf(RateLimitError);
		double.failNext({ path: /^\/execute$/, status: 502, body: 'The sandbox was not found' });
		await expect(sbx.runCode('1', RUN_FAILS_FAST)).rejects.toBeInstanceOf(TimeoutError);
	});

	test('runCode timeoutMs (client side) → TimeoutError, and the kernel is interrupted', async () => {
		const started = Date.now();
		// In plain Node this is the SDK's TimeoutError. Jest runs tests in a realm of their own, where the DOMException of
		// Node's fetch fails the SDK's `error instanceof Error`, so the SDK passes the AbortError on unchanged.
		await expect(sbx.runCode('import time; time.sleep(30)', { timeoutMs: 2_000 })).rejects.toMatchObject({
			name: expect.stringMatching(/^(TimeoutError|AbortError)$/),
		});
		const after = await sbx.runCode('"still usable"');
		expect(after.text).toBe('still usable');
		expect(Date.now() - started).toBeLessThan(15_000);
	});

	test('kill; kill again → false; connect to the killed one → SandboxNotFoundError; runCode on it → TimeoutError', async () => {
		const id = sbx.sandboxId;
		expect(await sbx.kill()).toBe(true);
		expect(await Sandbox.kill(id, conn)).toBe(false);
		expect(await sbx.isRunning(FAILS_FAST)).toBe(false);
		const connecting = Sandbox.connect(id, { ...conn, ...FAILS_FAST });
		await expect(connecting).rejects.toBeInstanceOf(SandboxNotFoundError);
		await expect(connecting).rejects.toBeInstanceOf(NotFoundError);
		await expect(Sandbox.getInfo(id, { ...conn, ...FAILS_FAST })).rejects.toBeInstanceOf(SandboxNotFoundError);
		await expect(sbx.runCode('1', RUN_FAILS_FAST)).rejects.toBeInstanceOf(TimeoutError);
		await expect(sbx.files.read('data/hello.txt', FAILS_FAST)).rejects.toBeInstanceOf(TimeoutError);
	});

	test('a sandbox that never existed: SandboxNotFoundError on the control plane, TimeoutError on the data plane', async () => {
		const unknown = 'ci-0000000000000000';
		await expect(Sandbox.connect(unknown, { ...conn, ...FAILS_FAST })).rejects.toBeInstanceOf(SandboxNotFoundError);
		await expect(Sandbox.setTimeout(unknown, 60_000, { ...conn, ...FAILS_FAST })).rejects.toBeInstanceOf(SandboxNotFoundError);
		const ghost = await fetch(`${double.sandboxUrl}/health`, { headers: { 'E2b-Sandbox-Id': unknown, 'E2b-Sandbox-Port': '49983' } });
		expect(ghost.status).toBe(502);
	});

	test('connect to a live sandbox by id', async () => {
		const again = await Sandbox.connect(other.sandboxId, conn);
		expect(again.sandboxId).toBe(other.sandboxId);
		expect((await again.runCode('6 * 7')).text).toBe('42');
	});

	test('a wrong API key → AuthenticationError', async () => {
		const wrong = { ...conn, ...FAILS_FAST, apiKey: 'e2b_wrong' };
		await expect(Sandbox.list(wrong).nextItems()).rejects.toBeInstanceOf(AuthenticationError);
		await expect(Sandbox.create(wrong)).rejects.toBeInstanceOf(AuthenticationError);
	});
});
