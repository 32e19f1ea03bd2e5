import type { IDataObject } from 'n8n-workflow';
import { stripVTControlCharacters } from 'util';

import { executionText, type Execution, type Result } from '../model/execution';
import { describeImageResult } from './chartDescription';

/** Each text field the model reads is cut to this many characters (its start and its end kept). */
export const TOOL_TEXT_LIMIT = 6000;

/** The whole answer's default size, in characters of its JSON (Max Answer Length). */
export const DEFAULT_TOOL_ANSWER_CHARS = 20_000;

const IMAGE_FORMATS = ['png', 'jpeg', 'svg'] as const;

/**
 * What an AI Agent reads back from a run: text only, short, in the order it is useful. Charts and images are
 * described in a line each (the images stay on the item as binary, for the rest of the workflow); files the code
 * wrote are named; a failed run gives the error and its traceback without terminal colours.
 * The answer's JSON stays within `maxChars` characters: what does not fit is left out, and `omitted` says what.
 */
export function toolResponse(execution: Execution, outputFiles: IDataObject[] = [], maxChars = DEFAULT_TOOL_ANSWER_CHARS): IDataObject {
	const answer = new BoundedAnswer(maxChars);
	answer.text('status', execution.error ? 'error' : 'ok');
	if (execution.error) {
		answer.text('error', `${execution.error.name}: ${execution.error.value}`);
		if (execution.error.traceback) answer.text('traceback', stripVTControlCharacters(execution.error.traceback));
	}
	const result = executionText(execution);
	if (result !== null) answer.text('result', result);
	const stdout = execution.logs.stdout.join('');
	const stderr = execution.logs.stderr.join('');
	if (stdout) answer.text('stdout', stdout);
	if (stderr) answer.text('stderr', stripVTControlCharacters(stderr));

	const images = execution.results.filter(isImage);
	const displayed = execution.results.filter((entry) => !entry.isMainResult && !isImage(entry) && entry.text);
	answer.list('displayed', displayed, (entry) => entry.text as string, 'displayed outputs');
	answer.list('charts', images, describeImageResult, 'chart descriptions');
	answer.list('files', outputFiles, (file) => `${String(file.path)} (${String(file.size)} bytes)`, 'file names');
	answer.list('truncated', execution.truncated ?? [], (note) => note, 'notes of what the run cut');
	return answer.json();
}

function isImage(result: Result): boolean {
	return result.chart !== undefined || IMAGE_FORMATS.some((format) => result[format] !== undefined);
}

/** An answer built field by field, each in the room the fields before it left. */
class BoundedAnswer {
	private readonly fields: IDataObject = {};
	private readonly left: string[] = [];
	private used = 2; // {}

	constructor(private readonly maxChars: number) {}

	/** A text field, cut to TOOL_TEXT_LIMIT and to the room left; left out when not even a cut one fits. */
	text(name: string, value: string): void {
		const room = this.maxChars - this.used - JSON.stringify(name).length - 2 - RESERVE;
		let limit = Math.min(TOOL_TEXT_LIMIT, value.length <= Math.min(TOOL_TEXT_LIMIT, room) ? value.length : room - CUT_NOTE_CHARS);
		let clipped = clip(value, limit);
		// Escaping (quotes, control characters) can make the JSON of a text up to six times as long as the text.
		for (let tries = 0; clipped !== undefined && JSON.stringify(clipped).length > room && tries < 6; tries++) {
			limit = Math.floor((limit * room) / JSON.stringify(clipped).length) - CUT_NOTE_CHARS;
			clipped = clip(value, limit);
		}
		if (clipped === undefined || JSON.stringify(clipped).length > room) {
			this.left.push(`${name} (${value.length} characters)`);
			return;
		}
		this.fields[name] = clipped;
		this.used += JSON.stringify(name).length + JSON.stringify(clipped).length + 2;
	}

	/** A list field, element by element (each cut to TOOL_TEXT_LIMIT) while they fit; the rest are counted. */
	list<T>(name: string, entries: T[], describe: (entry: T) => string, what: string): void {
		if (entries.length === 0) return;
		const kept: string[] = [];
		let size = JSON.stringify(name).length + 4;
		for (const entry of entries) {
			const text = clip(describe(entry), TOOL_TEXT_LIMIT) as string;
			const cost = JSON.stringify(text).length + 1;
			if (this.used + size + cost > this.maxChars - RESERVE) break;
			kept.push(text);
			size += cost;
		}
		if (kept.length > 0) {
			this.fields[name] = kept;
			this.used += size;
		}
		if (kept.length < entries.length) this.left.push(`${entries.length - kept.length} of ${entries.length} ${what}`);
	}

	json(): IDataObject {
		if (this.left.length === 0) return this.fields;
		return { ...this.fields, omitted: `Left out to keep this answer within ${this.maxChars} characters: ${this.left.join(', ')}.` };
	}
}

/** Room kept for the `omitted` note. */
const RESERVE = 300;

/** Characters the note of a cut takes, at most. */
const CUT_NOTE_CHARS = 40;

/** The text, or `limit` characters of it (its start and end) around a note of what was cut; undefined if too little fits. */
function clip(text: string, limit: number): string | undefined {
	if (text.length <= limit) return text;
	if (limit < 20) return undefined;
	const half = Math.floor(limit / 2);
	return `${text.slice(0, half)}\n[… ${text.length - 2 * half} characters cut …]\n${text.slice(text.length - half)}`;
}
