/** Checks at the boundaries, shared by every layer (zod's messages made readable, shapes the model trusts). */
import { z } from 'zod';

/** Describes a zod failure in one line a user can act on. */
export function describeIssues(error: z.ZodError): string {
	return error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ');
}

/**
 * A JSON object whose values are not looked at here: a MIME bundle may hold any number of MIME types, and checking each
 * one through zod cost n8n 40 ms per 40,000 (every value is taken as it is, or kept in `extra`, later).
 */
export const jsonObject = z.custom<Record<string, unknown>>(
	(value) => value !== null && typeof value === 'object' && !Array.isArray(value),
	'must be a JSON object',
);
