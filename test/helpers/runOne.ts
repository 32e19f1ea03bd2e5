import type { Backend, RunCodeOptions } from '../../nodes/CodeInterpreter/backends/Backend';
import type { Execution } from '../../nodes/CodeInterpreter/model/execution';

/** One run, the way the node sends runs (runCodeMany); an error that kept it from running is thrown. */
export async function runOne(backend: Backend, sandboxId: string, code: string, options: RunCodeOptions): Promise<Execution> {
	const [outcome] = await backend.runCodeMany(sandboxId, [{ code, options }], false);
	if ('error' in outcome) throw outcome.error;
	return outcome.execution;
}
