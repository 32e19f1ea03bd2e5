export const LANGUAGES = ['python', 'javascript', 'typescript', 'r', 'bash', 'java'] as const;

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
	return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
