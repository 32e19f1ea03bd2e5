/** What the Docker engine says of itself (GET /info) that decides how sandboxes are removed. */
export interface EngineInfo {
	LiveRestoreEnabled?: boolean;
	ServerVersion?: string;
}

const FIXED_IN = [24, 0, 8];

/**
 * Whether Docker should remove a sandbox by itself when it stops (AutoRemove). With live-restore, sandboxes keep
 * running while the engine restarts, but engines before 24.0.8 then delete the ones marked AutoRemove anyway
 * (moby/moby#46308). On those, a sandbox that stops at its deadline stays until this package removes it: the next
 * Create Sandbox or Get Many, or the run that finds it stopped.
 */
export function dockerRemovesStoppedSandboxes(engine: EngineInfo): boolean {
	if (!engine.LiveRestoreEnabled) return true;
	const version = /^(\d+)\.(\d+)\.(\d+)/.exec(engine.ServerVersion ?? '');
	if (!version) return true;
	const [major, minor, patch] = version.slice(1).map(Number);
	const [fixedMajor, fixedMinor, fixedPatch] = FIXED_IN;
	if (major !== fixedMajor) return major > fixedMajor;
	if (minor !== fixedMinor) return minor > fixedMinor;
	return patch >= fixedPatch;
}
