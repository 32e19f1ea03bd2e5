import { z } from 'zod';

/** A credential field that was cleared (empty or null) means "use the default", as for a field never set. */
export function withDefault<T extends z.ZodTypeAny>(schema: T, fallback: z.input<T>) {
	return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.default(fallback));
}
