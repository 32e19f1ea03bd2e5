import { readFileSync } from 'fs';
import { join } from 'path';

import { OPEN_FIGURES_CODE, PYTHON_PRELUDE_MARK } from '../../nodes/CodeInterpreter/backends/common/prelude';
import { OUTPUT_DEPTH } from '../../nodes/CodeInterpreter/backends/common/writtenFiles';
import { ITEM_END_MIME_TYPE } from '../../nodes/CodeInterpreter/backends/jupyter/ItemsInOneRequest';
import { KERNEL_EXIT_MSG_TYPE } from '../../nodes/CodeInterpreter/backends/jupyter/kernelEnd';

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
])('%s: %s', (file, name, value) => {
	expect(pythonConstant(file, name)).toBe(value);
});
