import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';

import type { OutputLimits } from '../../../nodes/CodeInterpreter/model/outputLimits';
import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

const MB = 2 ** 20;
const PROBE = join(__dirname, '../../helpers/runWatched.js');

interface WatchedRun {
	maxDelayMs: number;
	execution?: { error: { name: string } | null; truncated: string[] | null; results: Array<{ textLength: number | null; extraKeys: number }> };
	thrown?: { name: string; message: string };
}

/**
 * Output shaped to hurt n8n: its cost must stay linear in its size, the event loop free, and its memory bounded by
 * the run's limits, whatever the shape (keys, size, number of messages). The code runs from a process of its own
 * with the built package (test/helpers/runWatched.js), whose event loop is watched.
 */
export function hostileOutputCases({ subject, backend, sandbox, test }: SuiteContext): void {
	async function runWatched(code: string, limits?: OutputLimits): Promise<WatchedRun> {
		const input = JSON.stringify({ backend: subject.backendName, credentials: subject.credentials(), sandboxId: sandbox().sandboxId, code, limits });
		const { stdout } = await promisify(execFile)(process.execPath, [PROBE, input], { timeout: 180_000, maxBuffer: 16 * MB });
		const report = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as WatchedRun;
		process.stdout.write(`${subject.name}: ${code.split('\n').at(-1)} → event loop blocked ${report.maxDelayMs.toFixed(0)} ms at most\n`);
		return report;
	}

	test('one display of 40,000 MIME types costs n8n linear time: kept whole, the event loop never blocked 100 ms', async () => {
		const { execution, maxDelayMs } = await runWatched("display({f'x/{i}': '' for i in range(40000)}, raw=True)");
		expect(execution?.error).toBeNull();
		expect(execution?.results).toEqual([{ textLength: null, extraKeys: 40_000 }]);
		expect(maxDelayMs).toBeLessThan(100);
	});

	test('20,000 displays in one run: all kept within the limit, the event loop never blocked 100 ms', async () => {
		const { execution, maxDelayMs } = await runWatched('for i in range(20000): display(i)');
		expect(execution?.results).toHaveLength(20_000);
		expect(execution?.results[19_999]).toEqual({ textLength: 5, extraKeys: 0 });
		expect(maxDelayMs).toBeLessThan(100);
	});

	test('the results of a run are bounded together: 30 displays of 4 MB under a 10 MB limit keep 10 MB at most, and say so', async () => {
		const { execution } = await runWatched("s = 'x' * (4 * 2**20)\nfor _ in range(30): display({'text/plain': s}, raw=True)", {
			maxLogBytes: MB,
			maxResultBytes: 10 * MB,
		});
		expect(execution?.error).toBeNull();
		const kept = execution!.results.map((result) => result.textLength ?? 0);
		expect(kept.slice(0, 2)).toEqual([4 * MB, 4 * MB]);
		expect(kept.reduce((sum, length) => sum + length, 0)).toBeLessThanOrEqual(10 * MB);
		expect(execution?.truncated).toEqual([
			'Result 3 was 4 MB, more than the 2 MB left of Max Result Size for this run: only its text, cut to fit, was kept.',
			"27 results (108 MB) were dropped: the run's results had filled Max Result Size.",
		]);
		// No bound on the event loop here: 120 MB pass through a 2-core machine, and the OS's scheduling shows in the
		// delay too (26–46 ms alone, up to 111 ms beside the suite's other kernels).
	});

	test('one output message bigger than the limits allow is refused unread, the code is interrupted, the sandbox keeps its state', async () => {
		await runOne(backend(), sandbox().sandboxId, 'kept_before_big_output = 41', { language: 'python', timeoutMs: 30_000 });
		const { thrown } = await runWatched("import time\ndisplay({'text/plain': 'x' * (80 * 2**20)}, raw=True)\ntime.sleep(30)\nprint('not reached')", {
			maxLogBytes: MB,
			maxResultBytes: MB,
		});
		expect(thrown).toEqual({ name: 'OutputTooLargeError', message: 'The code sent one output of more than 64 MB, more than Max Result Size and Max Log Size allow' });
		const started = Date.now();
		const after = await runOne(backend(), sandbox().sandboxId, 'kept_before_big_output + 1', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(after)).toBe('42');
		// The sleep was interrupted: it did not hold the next run.
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	test('an exception with a 25 MB message is cut to Max Result Size, with a note', async () => {
		const execution = await runOne(backend(), sandbox().sandboxId, "raise ValueError('A' * (25 * 2**20))", {
			language: 'python',
			timeoutMs: 60_000,
			limits: { maxLogBytes: MB, maxResultBytes: MB },
		});
		expect(execution.error?.name).toBe('ValueError');
		expect(execution.error?.value.length).toBeLessThanOrEqual(MB);
		expect(execution.error?.traceback.length).toBeLessThanOrEqual(MB);
		expect(execution.truncated).toContain("The error's text was cut at 1 MB (Max Result Size).");
	});

	test('an output nested ten million levels deep is refused before it is parsed; the sandbox keeps its state', async () => {
		await runOne(backend(), sandbox().sandboxId, 'kept_before_deep_output = 6', { language: 'python', timeoutMs: 30_000 });
		const code = [
			'kernel = get_ipython().kernel',
			"body = b'{\"data\":{\"text/plain\":\"x\"},\"metadata\":{\"m\":' + b'[' * 10**7 + b']' * 10**7 + b'}}'",
			"kernel.session.send(kernel.iopub_socket, 'display_data', content=body, parent=kernel.get_parent('shell'))",
			'import time\ntime.sleep(20)',
		].join('\n');
		const started = Date.now();
		const outcome = await runOne(backend(), sandbox().sandboxId, code, { language: 'python', timeoutMs: 60_000 }).then((execution) => execution.error?.name, (error: Error) => error.name);
		// Docker refuses the message itself; through the E2B double, the double's own connection does and reports it.
		expect(outcome).toBe('OutputTooDeepError');
		expect(Date.now() - started).toBeLessThan(15_000);
		const after = await runOne(backend(), sandbox().sandboxId, 'kept_before_deep_output * 7', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(after)).toBe('42');
	});
}
