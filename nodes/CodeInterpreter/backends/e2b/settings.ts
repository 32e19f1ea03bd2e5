import type { ConnectionOpts } from 'e2b';
import { z } from 'zod';

import { SandboxError } from '../../model/errors';
import { describeIssues } from '../../model/validation';
import { packageIndexUrlSchema } from '../common/packageInstall';
import { withDefault } from '../common/withDefault';

const optionalUrl = z.preprocess(
	(value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
	z.string().trim().url('must be a URL such as https://api.example.com').optional(),
);

/** The E2B credential (`e2bApi`) as the backend needs it. */
export const e2bSettingsSchema = z.object({
	apiKey: z.string({ required_error: 'the API key is missing' }).trim().min(1, 'the API key is empty'),
	/** E2B's domain (e2b.app when empty); another one for a self-hosted E2B. */
	domain: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().optional()),
	/** Overrides `https://api.<domain>` (self-hosted E2B, or a local stand-in). */
	apiUrl: optionalUrl,
	/** Overrides the per-sandbox hosts: every sandbox is reached at this URL (E2B's SDK routes by header). */
	sandboxUrl: optionalUrl,
	/** Where Create Sandbox's Packages come from (a PEP 503 simple index); empty: PyPI. */
	packageIndexUrl: packageIndexUrlSchema,
	/** How long one request to E2B may go unanswered (not the code's execution limit). */
	requestTimeoutSeconds: withDefault(z.coerce.number().positive().max(600), 60),
});

export type E2BSettings = z.infer<typeof e2bSettingsSchema>;

export function parseE2BSettings(raw: unknown): E2BSettings {
	const parsed = e2bSettingsSchema.safeParse(raw ?? {});
	if (!parsed.success) {
		throw new SandboxError(`The E2B credential is not valid: ${describeIssues(parsed.error)}`, {
			description: 'Open the E2B credential and correct the fields named above. The API key is on https://e2b.dev/dashboard?tab=keys.',
		});
	}
	return parsed.data;
}

/** What every SDK call takes. Empty fields fall back to the SDK's defaults and environment (E2B_DOMAIN, E2B_API_URL, ...). */
export function connectionOptions(settings: E2BSettings): ConnectionOpts {
	return {
		apiKey: settings.apiKey,
		domain: settings.domain,
		apiUrl: settings.apiUrl,
		sandboxUrl: settings.sandboxUrl,
		requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
		debug: false,
	};
}
