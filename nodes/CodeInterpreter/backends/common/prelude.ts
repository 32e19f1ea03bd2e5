import { randomBytes } from 'crypto';

import type { Language } from '../../model/languages';
import { loadInputCode, takeInputCode } from './inputVariables';
import { SANDBOX_HOME } from '../../model/sandboxPath';

/** Calls into the template's IPython extension (template/python/sandbox_display/figures.py). */
export const OPEN_FIGURES_CODE = '__import__("sandbox_display").display_open_figures()';
const INCLUDE_SVG_CODE = '__import__("sandbox_display").include_svg_in_next_run()';
/** Lets the template's run hooks tell a prelude from the user's run (template/python/sandbox_display/figures.py). */
export const PYTHON_PRELUDE_MARK = '# n8n-code-interpreter prelude';

export interface PreludeOptions {
	language: Language;
	/** Variables the code finds defined (`item`, `items`), as JSON values. */
	variables?: Record<string, unknown>;
	/** Figures the code shows also carry an SVG (Python). */
	figureSvg?: boolean;
}

export interface PreludeRun {
	code: string;
	options: PreludeOptions;
}

/**
 * The code a backend runs silently just before each run's code, in one kernel and in order: it defines the input
 * variables from JSON Lines files (written by `writeFile`, one per variable to a fresh hidden name in the home
 * folder) and asks for SVG figures. Variables a run's code never names are left out, which saves a step per run
 * (and, on E2B, an execution). Undefined for a run with nothing to do.
 */
export async function preludeCodes(runs: PreludeRun[], writeFile: (path: string, text: string) => Promise<void>): Promise<Array<string | undefined>> {
	const steps = runs.map((): string[] => []);
	for (const name of new Set(runs.flatMap((run) => Object.keys(run.options.variables ?? {})))) {
		const users = runs.flatMap((run, index) => (run.options.variables && name in run.options.variables && names(run.code, name) ? [index] : []));
		if (users.length === 0) continue;
		const path = `${SANDBOX_HOME}/.n8n-input-${randomBytes(8).toString('hex')}-${name}.jsonl`;
		await writeFile(path, users.map((index) => `${JSON.stringify(runs[index].options.variables?.[name]) ?? 'null'}\n`).join(''));
		steps[users[0]].push(loadInputCode(runs[users[0]].options.language, name, path));
		users.forEach((index, position) => steps[index].push(takeInputCode(runs[index].options.language, name, position, position === users.length - 1)));
	}
	return runs.map(({ options }, index) => {
		if (options.figureSvg && options.language === 'python') steps[index].push(INCLUDE_SVG_CODE);
		if (steps[index].length === 0) return undefined;
		return [...(options.language === 'python' ? [PYTHON_PRELUDE_MARK] : []), ...steps[index]].join('\n');
	});
}

function names(code: string, variable: string): boolean {
	return new RegExp(`\\b${variable}\\b`).test(code);
}
