import type { KernelConnection } from '@jupyterlab/services';
import type { Socket } from 'net';
import WebSocket from 'ws';

/** An idle connection is closed after this long. */
const IDLE_MS = 60_000;

/**
 * Kernel connections this process keeps open between executions, so that a run costs one round trip instead of a
 * lookup, a WebSocket handshake and a kernel_info exchange. Only a cache: an entry is used only while its
 * connection is up and its kernel alive, and is otherwise dropped and made again from what the server says.
 */
const open = new Map<string, { connection: KernelConnection; idle: NodeJS.Timeout }>();

export function reuseConnection(key: string): KernelConnection | undefined {
	const entry = open.get(key);
	if (!entry) return undefined;
	const { connection } = entry;
	if (!connection.isDisposed && connection.connectionStatus === 'connected' && connection.status !== 'dead') {
		entry.idle.refresh();
		return connection;
	}
	forgetConnection(key);
	return undefined;
}

export function keepConnection(key: string, connection: KernelConnection): void {
	forgetConnection(key);
	const idle = setTimeout(() => forgetConnection(key), IDLE_MS);
	idle.unref();
	open.set(key, { connection, idle });
	// A dropped connection is not reconnected here (the next run makes a new one). Deferred, so that an execution
	// listening on the same signal hears of the drop first.
	connection.connectionStatusChanged.connect((_, status) => {
		if (status !== 'connected') setImmediate(() => open.get(key)?.connection === connection && forgetConnection(key));
	});
}

/** Closes every kept connection whose key starts so (all the kernels of one sandbox). */
export function forgetConnections(prefix: string): void {
	for (const key of [...open.keys()]) if (key.startsWith(prefix)) forgetConnection(key);
}

export function forgetConnection(key: string): void {
	detachConnection(key)?.dispose();
}

/** Stops keeping the connection without closing it (an execution may still be using it); returns it. */
export function detachConnection(key: string): KernelConnection | undefined {
	const entry = open.get(key);
	if (!entry) return undefined;
	open.delete(key);
	clearTimeout(entry.idle);
	return entry.connection;
}

/** After an execution: closes its connection unless it is (still) the one kept. */
export function releaseConnection(key: string, connection: KernelConnection): void {
	if (open.get(key)?.connection !== connection) connection.dispose();
}

/** A WebSocket that does not keep Node running: an idle kept connection must not hold n8n's process open. */
export class BackgroundWebSocket extends WebSocket {
	constructor(...args: ConstructorParameters<typeof WebSocket>) {
		super(...args);
		// ws gives no public handle on its TCP socket; `_socket` is set once the connection is open.
		this.once('open', () => (this as unknown as { _socket?: Socket })._socket?.unref());
	}
}
