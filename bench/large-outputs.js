#!/usr/bin/env node
// Large outputs through a real n8n (`n8n execute`): per case, the output's size, the run's wall time and n8n's peak
// resident memory, against a baseline run of 1 + 1 in the same n8n. Usage: npm run build && node bench/large-outputs.js
const { chain, nodeRun, withN8n } = require('./lib/n8n');
const { row, runAlone } = require('./lib/report');

const MB = 1024 * 1024;

const CASES = [
	{ name: 'baseline: 1 + 1', code: '1 + 1' },
	{
		name: '20 MB PNG (noise, 2600×2600)',
		code: [
			'import io, numpy as np',
			'from PIL import Image as Picture',
			'from IPython.display import Image, display',
			'buffer = io.BytesIO()',
			'Picture.fromarray((np.random.default_rng(1).random((2600, 2600, 3)) * 255).astype("uint8")).save(buffer, "PNG")',
			'print(len(buffer.getvalue()))',
			'display(Image(buffer.getvalue()))',
		].join('\n'),
	},
	{ name: '100,000-row DataFrame (5 columns) as data', code: frame(100_000) },
	{ name: '100,000-row DataFrame as 100,000 items', code: frame(100_000), options: { resultAsItems: true } },
	{
		// Issue 13: this ran n8n out of heap (exit 134) before a run's results were bounded together.
		name: 'hostile: 140 displays of 40 MB (5.6 GB sent)',
		code: "s = 'x' * (40 * 2**20)\nfor _ in range(140): display({'text/plain': s}, raw=True)",
		bound: { label: 'peak growth ≤ 3 × Max Result Size (50 MB)', bytes: 3 * 50 * MB },
	},
];

function frame(rows) {
	return [
		'import numpy as np, pandas as pd',
		`n = ${rows}`,
		'rng = np.random.default_rng(1)',
		'pd.DataFrame({"id": np.arange(n), "day": pd.date_range("2024-01-01", periods=n, freq="min"), "amount": rng.random(n), "city": rng.choice(["Oslo", "Rome", "Lima"], n), "ok": rng.random(n) > 0.5})',
	].join('\n');
}

/** The Run Code node's output: item count, JSON size, binary size. */
function sizes(items) {
	const binaries = items.flatMap((item) => Object.values(item.binary ?? {}));
	const binaryBytes = binaries.reduce((sum, binary) => sum + (binary.bytes ?? Number.parseFloat(binary.fileSize) * MB), 0);
	return { items: items.length, jsonBytes: JSON.stringify(items.map((item) => item.json)).length, binaryBytes };
}

async function measure(n8n) {
	const rows = [];
	let baseline;
	for (const [index, { name, code, options = {}, bound }] of CASES.entries()) {
		const { runData, ms, peak } = await n8n.run(
			chain(`benchLargeOutput${index}`, [{ name: 'Run Code', parameters: { resource: 'code', operation: 'run', sandboxId: '', code, options } }]),
		);
		const { items, jsonBytes, binaryBytes } = sizes(nodeRun(runData, 'Run Code').items);
		if (!baseline) {
			baseline = peak;
			continue;
		}
		const payload = jsonBytes + binaryBytes;
		const growth = peak - baseline;
		rows.push(
			row(
				`${name} through n8n (\`n8n execute\`)`,
				`${(ms / 1000).toFixed(1)} s; n8n peak ${(peak / MB).toFixed(0)} MB, +${(growth / MB).toFixed(0)} MB over 1 + 1`,
				`payload ${(payload / MB).toFixed(1)} MB (${items.toLocaleString('en')} item${items === 1 ? '' : 's'})`,
				bound?.label ?? 'peak growth ≤ 3× payload',
				growth <= (bound?.bytes ?? 3 * payload),
			),
		);
	}
	return rows;
}

module.exports = { measure };

if (require.main === module) runAlone(() => withN8n(measure));
