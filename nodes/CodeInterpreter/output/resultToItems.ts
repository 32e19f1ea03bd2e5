import type { IDataObject } from 'n8n-workflow';

import { SandboxError } from '../model/errors';
import type { Execution, Result } from '../model/execution';

/** Result as Items: the most items one result may become (Max Items). */
export const DEFAULT_MAX_ITEMS = 100_000;

/** A table's rows are cut so that rows × columns stays within this, whatever the shape of the table. */
const MAX_CELLS = 10_000_000;

export interface ResultRows {
	/** At most `maxItems` rows (fewer when the table is very wide). */
	rows: IDataObject[];
	/** How many rows the result has. */
	total: number;
}

/**
 * The main result as rows, one per n8n item: a table (`data`, e.g. a DataFrame) gives one per row, a JSON list
 * one per element (objects as they are, other values as `{ value }`), a JSON object one. Without a main result,
 * the last result holding a table or JSON is used (e.g. `display(df)`). Only the first rows are made when there
 * are more than `maxItems`.
 */
export function resultRows(execution: Execution, maxItems = DEFAULT_MAX_ITEMS): ResultRows {
	const main = execution.results.find((result) => result.isMainResult && hasRows(result));
	const source = main ?? [...execution.results].reverse().find(hasRows);
	if (source?.data !== undefined) return tableRows(source.data, maxItems);
	if (Array.isArray(source?.json)) return { rows: source.json.slice(0, maxItems).map(asObject), total: source.json.length };
	if (source?.json !== undefined) return { rows: [asObject(source.json)], total: 1 };
	throw new SandboxError('The result has no table or list to turn into items', {
		description:
			'End the code with a DataFrame, or a list of dicts (Python) as its last expression, or turn off "Result as Items".',
	});
}

function hasRows(result: Result): boolean {
	return result.data !== undefined || (result.json !== undefined && result.json !== null && typeof result.json === 'object');
}

function tableRows(table: unknown, maxItems: number): ResultRows {
	if (table === null || typeof table !== 'object' || Array.isArray(table)) {
		throw new SandboxError('The table the code returned is not in columns');
	}
	const columns = Object.entries(table as Record<string, unknown>).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
	const total = columns.reduce((longest, [, values]) => Math.max(longest, values.length), 0);
	const length = Math.min(total, maxItems, Math.floor(MAX_CELLS / Math.max(columns.length, 1)));
	const rows = Array.from({ length }, (_, row) => Object.fromEntries(columns.map(([name, values]) => [name, values[row] ?? null])) as IDataObject);
	return { rows, total };
}

function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { value: value as IDataObject[string] };
}
