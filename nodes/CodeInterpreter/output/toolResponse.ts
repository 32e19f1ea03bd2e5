import type { IDataObject } from 'n8n-workflow';

import { executionText, type Execution } from '../model/execution';
import { describeImageResult } from './chartDescription';

/** Each text field the model reads is cut to this many characters (its start and its end kept). */
export const TOOL_TEXT_LIMIT = 6000;

const IMAGE_FORMATS = ['png', 'jpeg', 'svg'] as const;

/**
 * What an AI Agent reads back from a run: text only, short, in the order it is useful. Charts and images are
 * described in a line each (the images stay on the item as binary, for the rest of the workflow); files the code
 * wrote are named; a failed run gives the error and its traceback without terminal colours.
 */
export function toolResponse(execution: Execution, outputFiles: IDataObject[] = []): IDataObject {
	const json: IDataObject = { status: execution.error ? 'error' : 'ok' };
	if (execution.error) {
		json.error = `${execution.error.name}: ${execution.error.value}`;
		if (execution.error.traceback) json.traceback = clip(plain(execution.error.traceback));
	}
	const stdout = execution.logs.stdout.join('');
	const stderr = execution.logs.stderr.join('');
	if (stdout) json.stdout = clip(stdout);
	if (stderr) json.stderr = clip(plain(stderr));
	const result = executionText(execution);
	if (result !== null) json.result = clip(result);

	const images = execution.results.filter((entry) => entry.chart !== undefined || IMAGE_FORMATS.some((format) => entry[format] !== undefined));
	const displayed = execution.results.filter((entry) => !entry.isMainResult && !images.includes(entry) && entry.text);
	if (displayed.length > 0) json.displayed = displayed.map((entry) => clip(entry.text as string));
	if (images.length > 0) json.charts = images.map(describeImageResult);
	if (outputFiles.length > 0) json.files = outputFiles.map((file) => `${String(file.path)} (${String(file.size)} bytes)`);
	if (execution.truncated) json.truncated = execution.truncated;
	return json;
}

/** Without ANSI colour codes, which IPython puts in tracebacks. */
function plain(text: string): string {
	return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function clip(text: string): string {
	if (text.length <= TOOL_TEXT_LIMIT) return text;
	const half = TOOL_TEXT_LIMIT / 2;
	return `${text.slice(0, half)}\n[… ${text.length - TOOL_TEXT_LIMIT} characters cut …]\n${text.slice(-half)}`;
}
