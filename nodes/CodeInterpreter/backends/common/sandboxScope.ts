import { createHash } from 'crypto';

/**
 * Who may see a sandbox: the credential that made it. The n8n layer names the scope (`credential:<id>`, or
 * `scope:<secret>` for credentials a user deliberately gives one shared scope; the prefixes keep the two apart,
 * so knowing a credential's ID does not open its sandboxes). Backends keep only its digest, where every process
 * finds it again: Docker in the container's name (labels are fixed before a warm-pool sandbox is claimed), E2B in
 * the sandbox's metadata.
 */
export const DEFAULT_SCOPE = 'default';

/** 16 hex digits: what a sandbox carries of its scope. */
export function scopeKey(scope: string): string {
	return createHash('sha256').update(scope).digest('hex').slice(0, 16);
}
