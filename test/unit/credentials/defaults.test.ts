import type { ICredentialType } from 'n8n-workflow';

import { CodeInterpreterDockerApi } from '../../../credentials/CodeInterpreterDockerApi.credentials';
import { E2bApi } from '../../../credentials/E2bApi.credentials';
import { dockerSettingsSchema } from '../../../nodes/CodeInterpreter/backends/docker/settings';
import { e2bSettingsSchema } from '../../../nodes/CodeInterpreter/backends/e2b/settings';

/**
 * A credential's defaults, as n8n shows them, are what its backend assumes when a field is left out (an empty
 * text and a missing one are the same). The fields a user must fill in are given.
 */
test.each([
	['Docker', new CodeInterpreterDockerApi(), dockerSettingsSchema, {}],
	['E2B', new E2bApi(), e2bSettingsSchema, { apiKey: 'e2b_given' }],
] as Array<[string, ICredentialType, { shape: object; parse(value: unknown): Record<string, unknown> }, Record<string, unknown>]>)(
	'%s credential: every field\'s default is the backend\'s',
	(_, credential, schema, given) => {
		const assumed = schema.parse(given);
		const fields = credential.properties.filter((property) => property.name in schema.shape && !(property.name in given));
		expect(fields.length).toBeGreaterThan(3);
		for (const field of fields) expect({ [field.name]: assumed[field.name] ?? '' }).toEqual({ [field.name]: field.default });
	},
);
