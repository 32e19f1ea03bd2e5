import type { KernelConnection } from '@jupyterlab/services';

import { SandboxError } from '../../model/errors';

const CONNECT_TIMEOUT_MS = 15_000;

/** Waits until the kernel's WebSocket is connected, for a bounded time. */
export async function waitConnected(connection: KernelConnection, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
	if (connection.connectionStatus === 'connected') return;
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			connection.connectionStatusChanged.disconnect(onChange);
			reject(
				new SandboxError(`Could not connect to the sandbox's kernel within ${timeoutMs / 1000} s`, {
					description: 'The sandbox may have stopped. Check that it is still running, or create a new one.',
				}),
			);
		}, timeoutMs);
		const onChange = (_: unknown, status: string) => {
			if (status !== 'connected') return;
			clearTimeout(timer);
			connection.connectionStatusChanged.disconnect(onChange);
			resolve();
		};
		connection.connectionStatusChanged.connect(onChange);
	});
}

