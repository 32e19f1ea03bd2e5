import type { IDataObject } from 'n8n-workflow';

import { SandboxError } from '../backends/errors';
import type { Execution, Result } from '../model/execution';

/**
 * The main result as rows, one per n8n item: a table (`data`, e.g. a DataFrame) gives one per row, a JSON list
 * one per element (objects as they are, other values as `{ value }`), a JSON object one. Without a main result,
 * the last result holding a table or JSON is used (e.g. `display(df)`).
 */
export function resultRows(execution: Execution): IDataObject[] {
	const main = execution.results.find((result) => result.isMainResult && hasRows(result));
	const source = main ?? [...execution.results].reverse().find(hasRows);
	if (source?.data !== undefined) return tableRows(source.data);
	if (Array.isArray(source?.json)) return source.json.map(asObject);
	if (source?.json !== undefined) return [asObject(source.json)];
	throw new SandboxError('The result has no table or list to turn into items', {
		description:
			'End the code with a DataFrame, or a list of dicts (Python) as its last expression, or turn off "Result as Items".',
	});
}

function hasRows(result: Result): boolean {
	return result.data !== undefined || (result.json !== undefined && result.json !== null && typeof result.json === 'object');
}

function tableRows(table: unknown): IDataObject[] {
	if (table === null || typeof table !== 'object' || Array.isArray(table)) {
		throw new SandboxError('The table the code returned is not in columns');
	}
	const columns = Object.entries(table as Record<string, unknown>).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
	const length = Math.max(0, ...columns.map(([, values]) => values.length));
	return Array.from({ length }, (_, row) => Object.fromEntries(columns.map(([name, values]) => [name, values[row] ?? null])) as IDataObject);
}

function asObject(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { value: value as IDataObject[string] };
}
