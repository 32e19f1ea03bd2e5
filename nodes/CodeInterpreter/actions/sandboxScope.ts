import type { ICredentialDataDecryptedObject, INodeCredentialsDetails } from 'n8n-workflow';

/**
 * The scope of the sandboxes a credential sees (backends/common/sandboxScope.ts): its own ID, or the Shared Sandbox Scope
 * its user gave it. The prefixes keep the two apart: a shared scope set to another credential's ID opens nothing.
 */
export function credentialScope(data: ICredentialDataDecryptedObject | undefined, credential: Pick<INodeCredentialsDetails, 'id' | 'name'> | undefined): string {
	const shared = typeof data?.sandboxScope === 'string' ? data.sandboxScope.trim() : '';
	if (shared) return `scope:${shared}`;
	return `credential:${credential?.id ?? credential?.name ?? ''}`;
}
