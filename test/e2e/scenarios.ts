import type { Backend } from '../../nodes/CodeInterpreter/backends/Backend';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';
import type { N8n } from './n8n';
import { chain, runCode, type NodeSpec } from './workflow';
import { runOne } from '../helpers/runOne';

/**
 * A workflow whose own execution timeout (5 s) cancels a Run Code that would tick for 120 s; then, through the
 * backend, the kernel must be free at once (busy code would make the next run wait and time out) and the ticks stopped.
 */
export async function expectCancelStopsCode(n8n: N8n, backend: Backend, id: string, node: Partial<NodeSpec> = {}): Promise<void> {
	const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
	try {
		const ticking = 'import time\nfor tick in range(600):\n    open("ticks", "w").write(str(tick))\n    time.sleep(0.2)';
		const parameters = runCode({ ...node.parameters, sandboxId, code: ticking, timeoutSeconds: 600 });
		const workflow = chain(id, [{ ...node, name: 'Run Code', parameters }], { executionTimeout: 5 });
		await n8n.importWorkflow(workflow);
		const started = Date.now();
		const error = await n8n.execute(workflow.id).then(
			() => undefined,
			(reason: Error) => reason,
		);
		console.log(`${backend.name}: n8n ended the cancelled workflow after ${Date.now() - started} ms (its code would run for 120 s)`);
		expect(error?.message).toMatch(/timed out|cancel/i);

		const read = () => runOne(backend, sandboxId, 'open("ticks").read()', { language: 'python', timeoutMs: 3_000 });
		const first = await read();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const second = await read();
		expect(first.error).toBeNull();
		expect(executionText(second)).toBe(executionText(first));
		expect(Number(executionText(first))).toBeLessThan(100);
	} finally {
		await backend.kill(sandboxId);
	}
}
