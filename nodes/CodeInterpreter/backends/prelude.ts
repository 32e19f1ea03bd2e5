import { randomBytes } from 'crypto';

import type { Language } from '../model/languages';
import { inputVariablesCode, type InputFile } from './inputVariables';
import { SANDBOX_HOME } from './sandboxPath';

/** Calls into the template's IPython extension (template/python/sandbox_display/figures.py). */
export const OPEN_FIGURES_CODE = '__import__("sandbox_display").display_open_figures()';
const INCLUDE_SVG_CODE = '__import__("sandbox_display").include_svg_in_next_run()';
/** Lets the template's run hooks tell a prelude from the user's run (template/python/sandbox_display/figures.py). */
const PYTHON_PRELUDE_MARK = '# n8n-code-interpreter prelude';

export interface PreludeOptions {
	language: Language;
	/** Variables the code finds defined (`item`, `items`), as JSON values. */
	variables?: Record<string, unknown>;
	/** Figures the code shows also carry an SVG (Python). */
	figureSvg?: boolean;
}

/**
 * The code a backend runs silently just before the user's code: it defines the input variables from JSON files
 * (written by `writeFile`, each to a fresh hidden name in the home folder) and asks for SVG figures.
 * Variables the code never names are left out, which saves a step per run (and, on E2B, an execution).
 * Undefined when there is nothing to do.
 */
export async function preludeCode(
	code: string,
	options: PreludeOptions,
	writeFile: (path: string, json: string) => Promise<void>,
): Promise<string | undefined> {
	const files: InputFile[] = [];
	for (const [name, value] of Object.entries(options.variables ?? {})) {
		if (!new RegExp(`\\b${name}\\b`).test(code)) continue;
		const path = `${SANDBOX_HOME}/.n8n-input-${randomBytes(8).toString('hex')}-${name}.json`;
		await writeFile(path, JSON.stringify(value));
		files.push({ name, path });
	}
	const steps = [
		files.length > 0 ? inputVariablesCode(options.language, files) : '',
		options.figureSvg && options.language === 'python' ? INCLUDE_SVG_CODE : '',
	].filter(Boolean);
	if (steps.length === 0) return undefined;
	return [...(options.language === 'python' ? [PYTHON_PRELUDE_MARK] : []), ...steps].join('\n');
}
