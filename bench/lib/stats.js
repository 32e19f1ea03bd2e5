// Small helpers shared by the benchmarks.

function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs fn; resolves with [milliseconds, its value]. */
async function time(fn) {
	const started = process.hrtime.bigint();
	const value = await fn();
	return [Number(process.hrtime.bigint() - started) / 1e6, value];
}

/** @jupyterlab/services logs every WebSocket it opens; the benchmarks print tables. */
function quietJupyterLogs() {
	console.debug = () => {};
	const log = console.log;
	console.log = (...args) => (String(args[0]).startsWith('Starting WebSocket') ? undefined : log(...args));
	return log;
}

module.exports = { percentile, quietJupyterLogs, time };
