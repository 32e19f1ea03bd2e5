import type { KernelConnection, KernelMessage } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { KERNEL_EXIT_MSG_TYPE, KernelEndWatch } from '../../../../nodes/CodeInterpreter/backends/jupyter/kernelEnd';

/** A kernel connection with just the two signals the watch listens to. */
function fakeKernel() {
	const owner = {};
	const statusChanged = new Signal<object, string>(owner);
	const iopubMessage = new Signal<object, KernelMessage.IIOPubMessage>(owner);
	const kernel = { statusChanged, iopubMessage } as unknown as KernelConnection;
	const exit = (content: unknown) => iopubMessage.emit({ header: { msg_type: KERNEL_EXIT_MSG_TYPE }, content } as unknown as KernelMessage.IIOPubMessage);
	return { kernel, statusChanged, exit };
}

test.each([
	[{ exit_status: 3 }, /^The code ended the kernel's own process \(exit status 3, as os\._exit does\)/],
	[{ signal: 9 }, /^The kernel was killed while running the code \(SIGKILL\), which in a sandbox means it ran out of memory/],
	[{ signal: 11 }, /^The kernel's process was ended by SIGSEGV/],
	[{ signal: 77 }, /^The kernel's process was ended by signal 77/],
	[{ exit_status: 'three' }, /^The kernel died while running the code \(out of memory, or the code ended its own process\)/],
	[undefined, /^The kernel died while running the code/],
])('the sandbox server\'s %j gives a KernelDied that says what happened', (content, value) => {
	const { kernel, statusChanged, exit } = fakeKernel();
	const watch = new KernelEndWatch(kernel);
	if (content !== undefined) exit(content);
	expect(watch.died).toBe(false);
	statusChanged.emit('dead');
	expect(watch.died).toBe(true);
	expect(watch.error()).toEqual({ name: 'KernelDied', value: expect.stringMatching(value), traceback: '' });
	expect(watch.error().value).toMatch(/The next run starts a fresh kernel/);
	watch.dispose();
});

test('once disposed, the watch hears nothing more', () => {
	const { kernel, statusChanged } = fakeKernel();
	const watch = new KernelEndWatch(kernel);
	watch.dispose();
	statusChanged.emit('dead');
	expect(watch.died).toBe(false);
});
