/** `text` as one POSIX shell word: single-quoted, nothing in it expanded. */
export function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}
