import type { KernelConnection } from '@jupyterlab/services';
import type { Socket } from 'net';
import WebSocket from 'ws';

import type { SandboxError } from '../../model/errors';
import { OutputTooDeepError, OutputTooLargeError } from '../errors';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../common/jsonDepth';

/** An idle connection is closed after this long. */
const IDLE_MS = 60_000;

/**
 * Kernel connections this process keeps open between executions, so that a run costs one round trip instead of a
 * lookup, a WebSocket handshake and a kernel_info exchange. Only a cache: an entry is used only while its
 * connection is up and its kernel alive, and is otherwise dropped and made again from what the server says.
 * A connection is closed only once no run uses it (or once it is down anyway).
 */
const open = new Map<string, { connection: KernelConnection; idle: NodeJS.Timeout }>();
const users = new Map<KernelConnection, number>();

/** The kept connection for the key, counted as used until `releaseConnection`; undefined when there is none. */
export function reuseConnection(key: string): KernelConnection | undefined {
	const entry = open.get(key);
	if (!entry) return undefined;
	const { connection } = entry;
	if (!connection.isDisposed && connection.connectionStatus === 'connected' && connection.status !== 'dead') {
		entry.idle.refresh();
		users.set(connection, (users.get(connection) ?? 0) + 1);
		return connection;
	}
	forgetConnection(key);
	return undefined;
}

/** Keeps a new connection for the key, counted as used by the run that made it. */
export function keepConnection(key: string, connection: KernelConnection): void {
	detachConnection(key);
	const idle = setTimeout(() => detachConnection(key), IDLE_MS);
	idle.unref();
	open.set(key, { connection, idle });
	users.set(connection, (users.get(connection) ?? 0) + 1);
	// A dropped connection is not reconnected here (the next run makes a new one). Deferred, so that an execution
	// listening on the same signal hears of the drop first.
	connection.connectionStatusChanged.connect((_, status) => {
		if (status !== 'connected') setImmediate(() => open.get(key)?.connection === connection && forgetConnection(key));
	});
}

/** Closes every kept connection whose key starts so (all the kernels of one sandbox, which is gone). */
export function forgetConnections(prefix: string): void {
	for (const key of [...open.keys()]) if (key.startsWith(prefix)) forgetConnection(key);
}

export function forgetConnection(key: string): void {
	const connection = detachConnection(key);
	if (connection) {
		users.delete(connection);
		connection.dispose();
	}
}

/** Stops keeping the connection for the next runs; the runs using it go on, and the last one closes it. */
export function detachConnection(key: string): KernelConnection | undefined {
	const entry = open.get(key);
	if (!entry) return undefined;
	open.delete(key);
	clearTimeout(entry.idle);
	if (!users.get(entry.connection)) entry.connection.dispose();
	return entry.connection;
}

/** After a run: closes its connection when it is no longer kept and no other run uses it. */
export function releaseConnection(key: string, connection: KernelConnection): void {
	const left = (users.get(connection) ?? 1) - 1;
	if (left > 0) {
		users.set(connection, left);
		return;
	}
	users.delete(connection);
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

/** Kernel connections (by their client ID) whose WebSocket was closed for a message it refused, with why. */
const refused = new Map<string, SandboxError>();

function refuse(address: string | URL, error: SandboxError): void {
	const clientId = new URL(String(address)).searchParams.get('session_id');
	if (!clientId) return;
	if (refused.size >= 1_000) refused.clear();
	refused.set(clientId, error);
}

/**
 * A background WebSocket class that refuses any message over `maxPayload` bytes before reading it (ws checks the
 * frame's declared length), or nested deeper than MAX_JSON_DEPTH before parsing it, then closes: a sandbox cannot
 * make n8n hold one message of any size, or spend seconds parsing one.
 */
export function boundedWebSocket(maxPayload: number): new (address: string | URL, protocols?: string | string[]) => WebSocket {
	return class BoundedWebSocket extends BackgroundWebSocket {
		constructor(
			private readonly address: string | URL,
			protocols?: string | string[],
		) {
			// Kernel messages are JSON, decoded again by JSON.parse: a second UTF-8 check would only cost time.
			super(address, protocols, { maxPayload, skipUTF8Validation: true });
			this.on('error', (error: Error & { code?: string }) => {
				if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') refuse(address, new OutputTooLargeError(maxPayload));
			});
		}

		emit(event: string | symbol, ...args: unknown[]): boolean {
			if (event === 'message' && nestedDeeperThan(messageBytes(args[0]), MAX_JSON_DEPTH)) {
				refuse(this.address, new OutputTooDeepError(MAX_JSON_DEPTH));
				this.terminate();
				return false;
			}
			return super.emit(event, ...args);
		}
	};
}

/** A message's bytes, whatever form ws gives them in (the client asks for ArrayBuffers). */
function messageBytes(data: unknown): Uint8Array {
	if (data instanceof Uint8Array) return data;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (Array.isArray(data)) return Buffer.concat(data as Uint8Array[]);
	return new Uint8Array(0);
}

/** Why this kernel connection was closed by its WebSocket; undefined when it was closed otherwise. */
export function refusedMessageError(clientId: string): SandboxError | undefined {
	return refused.get(clientId);
}
