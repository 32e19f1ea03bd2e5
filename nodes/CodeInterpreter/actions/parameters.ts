import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { RUN_MODES } from '../descriptions/common';
import { MAX_ALLOWED_HOSTS, parseAllowedHost, splitAllowedHosts } from '../model/allowedHosts';
import { LANGUAGES } from '../model/languages';
import { MAX_PACKAGES, parseRequirement, splitRequirements } from '../model/packages';
import { DEFAULT_TOOL_ANSWER_CHARS } from '../output/toolResponse';

/**
 * A text option listing entries: split, each parsed (its Error's message names what is wrong), at most `max` of them;
 * messages start with the option's name.
 */
function entryList<T>(option: string, shape: string, split: (text: string) => string[], parse: (entry: string) => T, max: number, whenTooMany: string) {
	return z
		.string({ invalid_type_error: `${option}: must be text, ${shape}` })
		.default('')
		.transform((text, ctx): T[] => {
			const entries = split(text);
			if (entries.length > max) {
				ctx.addIssue({ code: 'custom', message: `${option}: ${entries.length} entries; at most ${max}, ${whenTooMany}` });
				return z.NEVER;
			}
			try {
				return entries.map(parse);
			} catch (error) {
				ctx.addIssue({ code: 'custom', message: `${option}: ${(error as Error).message}` });
				return z.NEVER;
			}
		});
}

/** Schemas of the node's parameters, with messages a user can act on. */
export const parameterSchemas = {
	sandboxId: z.string().trim().min(1, 'is empty: give the ID of a sandbox made by Create Sandbox'),
	optionalSandboxId: z.string().trim().default(''),
	// An AI model may write "Python" for python.
	language: z.preprocess(
		(value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
		z.enum(LANGUAGES, { errorMap: () => ({ message: `must be one of ${LANGUAGES.join(', ')}` }) }),
	),
	code: z.string().refine((code) => code.trim().length > 0, 'is empty: enter the code to run'),
	optionalCode: z.string().default(''),
	binaryPropertyName: z.string().trim().min(1, 'is empty: give the name of a binary property, e.g. "data"'),
	path: z.string().trim().min(1, 'is empty: give a file path, e.g. "output/report.csv"'),
	optionalPath: z.string().trim().default(''),
	depth: z.coerce.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more'),
	mode: z.enum(RUN_MODES).default('runOnceForEachItem'),
	optionalConversationId: z.preprocess((value) => (value === undefined || value === null ? '' : String(value)), z.string().trim()),
	idleMinutes: z.coerce.number({ invalid_type_error: 'must be a number of minutes' }).positive('must be more than 0 minutes').default(15),
	maxAnswerLength: z.coerce.number({ invalid_type_error: 'must be a number of characters' }).int('must be a whole number').min(1000, 'must be 1000 or more').default(DEFAULT_TOOL_ANSWER_CHARS),
	timeoutSeconds: z.coerce.number({ invalid_type_error: 'must be a number of seconds' }).positive('must be more than 0 seconds'),
	/** Comma- or newline-separated names, addresses and CIDR ranges (model/allowedHosts.ts). */
	allowedHosts: entryList('Allowed Hosts', 'the hosts separated by commas or new lines', splitAllowedHosts, parseAllowedHost, MAX_ALLOWED_HOSTS, 'use CIDR ranges for many addresses'),
	/** What happens at the sandbox's deadline. */
	onTimeout: z.enum(['kill', 'pause'], { errorMap: () => ({ message: 'must be kill or pause' }) }).default('kill'),
	/** What happens to an AI Agent conversation's sandbox after its idle time: it pauses unless told otherwise. */
	onIdle: z.enum(['kill', 'pause'], { errorMap: () => ({ message: 'must be pause or kill' }) }).default('pause'),
	/** Requirement lines, one per line (model/packages.ts). */
	packages: entryList('Packages', 'one requirement per line', splitRequirements, parseRequirement, MAX_PACKAGES, 'use a derived image for more'),
	/** The editor's fixedCollection `{ variable: [{ name, value }] }`, as a plain map. */
	environmentVariables: z
		.object({
			variable: z
				.array(
					z.object({
						name: z
							.string()
							.trim()
							.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Environment Variables: a name must be letters, digits and "_", not starting with a digit'),
						value: z.string().default(''),
					}),
				)
				.default([]),
		})
		.default({})
		.transform(({ variable }) => Object.fromEntries(variable.map(({ name, value }) => [name, value]))),
};

/** How each parameter is named in the editor, and what to do when its value is wrong. */
const PARAMETER_HELP: Record<string, { displayName: string; help: string }> = {
	sandboxId: {
		displayName: 'Sandbox ID',
		help: 'Map the "sandboxId" field of a Create Sandbox node, e.g. {{ $(\'Create Sandbox\').item.json.sandboxId }}.',
	},
	language: {
		displayName: 'Language',
		help: `Pick a language from the list; an expression must give one of: ${LANGUAGES.join(', ')}.`,
	},
	code: { displayName: 'Code', help: 'Enter the code to run, or map it from an earlier node (for example code written by an AI Agent).' },
	timeoutSeconds: { displayName: 'Timeout (Seconds)', help: 'Enter a number of seconds greater than 0, e.g. 300.' },
	binaryPropertyName: { displayName: 'Binary Field', help: 'Enter the name of the binary property that holds the file, e.g. "data".' },
	path: { displayName: 'Path', help: 'Enter a path in the sandbox; relative paths start in /home/user.' },
	depth: { displayName: 'Depth', help: 'Enter 1 to list the folder itself, 2 to include the folders inside it, and so on.' },
	options: { displayName: 'Options', help: 'Correct the option named above.' },
	maxAnswerLength: { displayName: 'Max Answer Length (Characters)', help: 'Enter a whole number of characters, 1000 or more, e.g. 20000.' },
	conversationIdleMinutes: { displayName: 'Conversation Idle Timeout (Minutes)', help: 'Enter a number of minutes greater than 0, e.g. 15.' },
	conversationOnIdle: { displayName: 'When Idle', help: 'Choose Pause or Kill.' },
	onTimeout: { displayName: 'On Timeout', help: 'Choose Kill or Pause.' },
};

/** Reads one item's parameters (the shape's keys are parameter names) and validates them. */
export function getParameters<T extends z.ZodRawShape>(ctx: IExecuteFunctions, itemIndex: number, shape: T): z.infer<z.ZodObject<T>> {
	const raw = Object.fromEntries(Object.keys(shape).map((name) => [name, ctx.getNodeParameter(name, itemIndex, undefined)]));
	return validateParameters(ctx, itemIndex, shape, raw);
}

/** Validates parameter values read by other means than getParameters, with the same messages. */
export function validateParameters<T extends z.ZodRawShape>(ctx: IExecuteFunctions, itemIndex: number, shape: T, values: Record<string, unknown>): z.infer<z.ZodObject<T>> {
	const parsed = z.object(shape).safeParse(values);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const name = String(issue.path[0]);
		const { displayName, help } = PARAMETER_HELP[name] ?? { displayName: name, help: undefined };
		throw new NodeOperationError(ctx.getNode(), `"${displayName}" ${issue.message}`, { itemIndex, description: help });
	}
	return parsed.data;
}
