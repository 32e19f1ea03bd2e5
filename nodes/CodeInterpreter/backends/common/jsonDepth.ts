/**
 * The deepest nesting of arrays and objects an output message may have. Real outputs (Plotly figures, charts,
 * tables) stay far below it; JSON.parse takes seconds, not milliseconds, on millions of nested brackets.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether the JSON text nests arrays and objects deeper than `max`: one pass over its bytes, strings skipped. */
export function nestedDeeperThan(bytes: Uint8Array, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let index = 0; index < bytes.length; index++) {
		const byte = bytes[index];
		if (inString) {
			if (byte === 0x5c) index++; // \ escapes the next byte
			else if (byte === 0x22) inString = false;
		} else if (byte === 0x22) {
			inString = true;
		} else if (byte === 0x5b || byte === 0x7b) {
			if (++depth > max) return true;
		} else if (byte === 0x5d || byte === 0x7d) {
			depth--;
		}
	}
	return false;
}
