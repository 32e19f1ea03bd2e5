/**
 * Runs code in a sandbox from a process of its own (the built package, as n8n loads it) and reports how long its
 * event loop was blocked at most, with a summary of the Execution. The tests' own process also runs the E2B double
 * and Jest, whose work would be counted otherwise.
 * Input (argv[2], JSON): { backend, credentials, sandboxId, code, limits }. Output (stdout's last line, JSON):
 * { maxDelayMs, execution?: { error, truncated, results: [{ textLength, extraKeys }] }, thrown?: { name, message } }.
 */
const { monitorEventLoopDelay } = require('perf_hooks');
const { createBackend } = require('../../dist/nodes/CodeInterpreter/backends');
const { runOne } = require('../../bench/lib/runOne');

async function main() {
	const { backend, credentials, sandboxId, code, limits } = JSON.parse(process.argv[2]);
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	let report;
	try {
		const execution = await runOne(createBackend(backend, credentials), sandboxId, code, { language: 'python', timeoutMs: 120_000, limits });
		report = {
			execution: {
				error: execution.error,
				truncated: execution.truncated ?? null,
				results: execution.results.map((result) => ({ textLength: result.text?.length ?? null, extraKeys: Object.keys(result.extra ?? {}).length })),
			},
		};
	} catch (error) {
		report = { thrown: { name: error.name, message: error.message } };
	}
	delay.disable();
	// Writes to a pipe are asynchronous: exit once the report is out.
	process.stdout.write(`\n${JSON.stringify({ maxDelayMs: delay.max / 1e6, ...report })}\n`, () => process.exit(0));
}

main();
