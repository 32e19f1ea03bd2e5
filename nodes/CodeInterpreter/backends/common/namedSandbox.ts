import { createHash } from 'crypto';

/**
 * What a named sandbox is found by (container name, E2B metadata): a digest, so the name itself (a chat's session
 * ID) is never stored where other users of the Docker host or E2B team could read it, and fits any naming rule.
 */
export function namedSandboxKey(name: string): string {
	return createHash('sha256').update(name).digest('hex').slice(0, 32);
}
