import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { LANGUAGES } from '../model/languages';

/** Schemas of the node's parameters, with messages a user can act on. */
export const parameterSchemas = {
	sandboxId: z.string().trim().min(1, 'is empty: give the ID of a sandbox made by Create Sandbox'),
	optionalSandboxId: z.string().trim().default(''),
	language: z.enum(LANGUAGES, {
		errorMap: () => ({ message: `must be one of ${LANGUAGES.join(', ')}` }),
	}),
	code: z.string().refine((code) => code.trim().length > 0, 'is empty: enter the code to run'),
	timeoutSeconds: z.coerce.number({ invalid_type_error: 'must be a number of seconds' }).positive('must be more than 0 seconds'),
};

const DISPLAY_NAMES: Record<string, string> = {
	sandboxId: 'Sandbox ID',
	language: 'Language',
	code: 'Code',
	timeoutSeconds: 'Timeout (Seconds)',
};

/** Reads one item's parameters (the shape's keys are parameter names) and validates them. */
export function getParameters<T extends z.ZodRawShape>(ctx: IExecuteFunctions, itemIndex: number, shape: T): z.infer<z.ZodObject<T>> {
	const raw = Object.fromEntries(Object.keys(shape).map((name) => [name, ctx.getNodeParameter(name, itemIndex, undefined)]));
	const parsed = z.object(shape).safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const name = String(issue.path[0]);
		throw new NodeOperationError(ctx.getNode(), `"${DISPLAY_NAMES[name] ?? name}" ${issue.message}`, { itemIndex });
	}
	return parsed.data;
}
