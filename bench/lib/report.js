// The one table `npm run bench` prints: each figure next to what it is measured against, and its target.
const { quietJupyterLogs } = require('./stats');

/** One row: what was measured, our figure, the figure it is compared with (same run), the target, met or not. */
function row(measure, ours, sideBySide = '', target = '', met = undefined) {
	return { measure, ours, sideBySide, target, verdict: met === undefined ? '' : met ? 'met' : 'missed' };
}

function printTable(rows, log = console.log) {
	const columns = [
		['measure', 'Measure (this machine)'],
		['ours', 'Ours'],
		['sideBySide', 'Side by side, same run'],
		['target', 'Target'],
		['verdict', ''],
	];
	log(`| ${columns.map(([, title]) => title).join(' | ')} |`);
	log(`|${columns.map(() => '---').join('|')}|`);
	for (const entry of rows) log(`| ${columns.map(([key]) => entry[key]).join(' | ')} |`);
}

/** Runs one part of the benchmarks alone (`node bench/<part>.js`): prints its rows as the table, then exits. */
function runAlone(measure) {
	const log = quietJupyterLogs();
	measure().then(
		(rows) => {
			printTable(rows, log);
			process.exit(0);
		},
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}

module.exports = { printTable, row, runAlone };
