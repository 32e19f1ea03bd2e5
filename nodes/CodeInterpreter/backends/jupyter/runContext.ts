import type { KernelConnection } from '@jupyterlab/services';

import type { KernelControl, PendingExecution } from './PendingExecution';

/** What a way of running many codes on one kernel gets from the client. */
export interface RunContext {
	connection: KernelConnection;
	control: KernelControl;
	/** Writes a text file in the sandbox (its home folder), e.g. the runs' input. */
	writeText(path: string, text: string): Promise<void>;
	/** Called with each request sent, so that a cancellation of the workflow reaches it. */
	track(pending: PendingExecution): void;
}
