import type { KernelMessage } from '@jupyterlab/services';

import { addIoPubMessage, addReply } from '../../../../nodes/CodeInterpreter/backends/jupyter/ioPubOutput';
import { emptyExecution } from '../../../../nodes/CodeInterpreter/model/execution';
import { OutputCollector } from '../../../../nodes/CodeInterpreter/model/outputLimits';

const message = (msg_type: string, content: unknown) => ({ header: { msg_type }, content }) as unknown as KernelMessage.IIOPubMessage;

test('a traceback loses its colours and its terminal links (OSC 8), keeping the text', () => {
	const output = new OutputCollector(emptyExecution());
	const link = '\u001b]8;;file:///home/user/report.py\u0007report.py\u001b]8;;\u0007';
	addIoPubMessage(output, message('error', { ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[0;31mValueError\u001b[0m', `File ${link}:3`] }));
	expect(output.execution.error).toEqual({ name: 'ValueError', value: 'bad', traceback: 'ValueError\nFile report.py:3' });
});

test('a clean exit the kernel reports as an error is a success; the reply does not bring the error back', () => {
	const output = new OutputCollector(emptyExecution());
	addIoPubMessage(output, message('error', { ename: 'SystemExit', evalue: '0', traceback: [] }));
	addReply(output, { status: 'error', execution_count: 3, ename: 'SystemExit', evalue: '0', traceback: [] });
	expect(output.execution.error).toBeNull();
	expect(output.execution.executionCount).toBe(3);
});
