import { readFileSync } from 'fs';
import { join } from 'path';

import { OPEN_FIGURES_CODE, PYTHON_PRELUDE_MARK } from '../../nodes/CodeInterpreter/backends/common/prelude';
import { OUTPUT_DEPTH } from '../../nodes/CodeInterpreter/backends/common/writtenFiles';
import { ITEM_END_MIME_TYPE } from '../../nodes/CodeInterpreter/backends/jupyter/ItemsInOneRequest';
import { DEADLINE_FILE, FIREWALL_VARIABLES } from '../../nodes/CodeInterpreter/backends/docker/isolation';
import { KERNEL_EXIT_MSG_TYPE } from '../../nodes/CodeInterpreter/backends/jupyter/kernelEnd';
import { kernelNameFor } from '../../nodes/CodeInterpreter/backends/docker/kernels';
import { resultFromMimeBundle } from '../../nodes/CodeInterpreter/model/execution';
import { LANGUAGES } from '../../nodes/CodeInterpreter/model/languages';

const TEMPLATE = join(__dirname, '../../template');

/** A module-level constant of the template's Python (`NAME = "text"`, `NAME = 10` or `NAME = '…'`). */
function pythonConstant(file: string, name: string): unknown {
	const match = new RegExp(`^${name} = (.+)$`, 'm').exec(readFileSync(join(TEMPLATE, file), 'utf8'));
	if (!match) throw new Error(`${name} is not in ${file}`);
	const value = match[1].trim();
	return /^\d+$/.test(value) ? Number(value) : value.slice(1, -1);
}

/** Names and values the node's TypeScript and the template's Python both use must be the same. */
test.each([
	['python/sandbox_display/figures.py', 'OPEN_FIGURES_CODE', OPEN_FIGURES_CODE],
	['python/sandbox_display/figures.py', 'PRELUDE_MARK', PYTHON_PRELUDE_MARK],
	['python/sandbox_display/items.py', 'ITEM_END_MIME_TYPE', ITEM_END_MIME_TYPE],
	['python/sandbox_display/items.py', 'OUTPUT_DEPTH', OUTPUT_DEPTH],
	['python/sandbox_server.py', 'KERNEL_EXIT_MSG_TYPE', KERNEL_EXIT_MSG_TYPE],
	['bin/sandbox-watchdog', 'DEADLINE_FILE', DEADLINE_FILE],
])('%s: %s', (file, name, value) => {
	expect(pythonConstant(file, name)).toBe(value);
});

test('the structured MIME types the template adds are the ones the model reads as `data` and `chart`', () => {
	const types = [pythonConstant('python/sandbox_display/__init__.py', 'DATA_MIME_TYPE'), pythonConstant('python/sandbox_display/__init__.py', 'CHART_MIME_TYPE')];
	const result = resultFromMimeBundle({ [String(types[0])]: { a: [1] }, [String(types[1])]: { type: 'bar' } }, true);
	expect(result).toMatchObject({ data: { a: [1] }, chart: { type: 'bar' } });
	expect(result.extra).toBeUndefined();
});

test('the item runner reads the batch the client writes, and the init reads the variables the backend sets', () => {
	const items = readFileSync(join(TEMPLATE, 'python/sandbox_display/items.py'), 'utf8');
	for (const key of ['runs', 'code', 'variables', 'stopOnError', 'outputFolder']) expect(items).toContain(`"${key}"`);
	expect(items).toMatch(/^def run_items\(path: str\)/m);
	const init = readFileSync(join(TEMPLATE, 'bin/sandbox-init'), 'utf8');
	const firewall = readFileSync(join(TEMPLATE, 'bin/sandbox-firewall'), 'utf8');
	// The firewall reads each of its settings, and the init keeps every one from the code's environment.
	for (const name of FIREWALL_VARIABLES) expect({ name, read: firewall.includes(`$\{${name}`), unset: init.includes(`-u ${name}`) }).toEqual({ name, read: true, unset: true });
	expect(init).toContain('SANDBOX_DEADLINE');
	expect(init).toContain(`> ${DEADLINE_FILE}`);
});

test('every language runs on a kernel the image build checks for', () => {
	const checked = /for kernel in ([\w ]+); do/.exec(readFileSync(join(TEMPLATE, 'Dockerfile'), 'utf8'))?.[1].split(' ');
	expect(checked).toBeDefined();
	for (const language of LANGUAGES) expect(checked).toContain(kernelNameFor(language));
});
