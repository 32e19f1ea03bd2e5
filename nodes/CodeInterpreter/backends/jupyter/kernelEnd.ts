import type { KernelConnection, KernelMessage } from '@jupyterlab/services';
import { constants } from 'os';
import { z } from 'zod';

import type { ExecutionError } from '../../model/execution';

/**
 * Sent by the sandbox's Jupyter server on iopub just before the "dead" status of a kernel whose process ended
 * (template/python/sandbox_server.py): `{ exit_status }` for an exit, `{ signal }` for a kill. Other servers (E2B's)
 * do not send it; their kernels' deaths get the general note.
 */
export const KERNEL_EXIT_MSG_TYPE = 'n8n_kernel_exit';

const kernelExitContent = z.object({ exit_status: z.number().int().optional(), signal: z.number().int().optional() });

const FRESH_KERNEL = 'The next run starts a fresh kernel, without the variables and imports of earlier runs.';

const KERNEL_DIED_NOTE = `The kernel died while running the code (out of memory, or the code ended its own process). ${FRESH_KERNEL}`;

/** Watches a kernel for its death during one execution, and for how its process ended. */
export class KernelEndWatch {
	died = false;
	private end: z.infer<typeof kernelExitContent> | undefined;
	private readonly onStatus = (_: unknown, status: string) => {
		if (status === 'dead') this.died = true;
	};
	private readonly onMessage = (_: unknown, message: KernelMessage.IIOPubMessage) => {
		if ((message.header.msg_type as string) !== KERNEL_EXIT_MSG_TYPE) return;
		const content = kernelExitContent.safeParse(message.content);
		if (content.success) this.end = content.data;
	};

	constructor(private readonly kernel: KernelConnection) {
		kernel.statusChanged.connect(this.onStatus);
		kernel.iopubMessage.connect(this.onMessage);
	}

	/** The run's error: what ended the kernel, in words that say what happened. */
	error(): ExecutionError {
		return { name: 'KernelDied', value: describeEnd(this.end), traceback: '' };
	}

	dispose(): void {
		this.kernel.statusChanged.disconnect(this.onStatus);
		this.kernel.iopubMessage.disconnect(this.onMessage);
	}
}

function describeEnd(end: z.infer<typeof kernelExitContent> | undefined): string {
	if (end?.signal === constants.signals.SIGKILL) {
		return `The kernel was killed while running the code (SIGKILL), which in a sandbox means it ran out of memory: use less memory, or give the sandbox more. ${FRESH_KERNEL}`;
	}
	if (end?.signal !== undefined) {
		const name = Object.entries(constants.signals).find(([, number]) => number === end.signal)?.[0] ?? `signal ${end.signal}`;
		return `The kernel's process was ended by ${name} while running the code. ${FRESH_KERNEL}`;
	}
	if (end?.exit_status !== undefined) {
		return `The code ended the kernel's own process (exit status ${end.exit_status}, as os._exit does): a run ends with exit() or sys.exit(), which keep the kernel. ${FRESH_KERNEL}`;
	}
	return KERNEL_DIED_NOTE;
}
