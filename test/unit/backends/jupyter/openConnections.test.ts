import type { KernelConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import {
	detachConnection,
	forgetConnection,
	forgetConnections,
	keepConnection,
	releaseConnection,
	reuseConnection,
} from '../../../../nodes/CodeInterpreter/backends/jupyter/openConnections';

/** The few members of a KernelConnection the cache reads. */
class FakeConnection {
	connectionStatus = 'connected';
	status = 'idle';
	isDisposed = false;
	readonly connectionStatusChanged = new Signal<this, string>(this);
	dispose(): void {
		this.isDisposed = true;
	}
	drop(): void {
		this.connectionStatus = 'connecting';
		this.connectionStatusChanged.emit('connecting');
	}
}

const keep = (key: string) => {
	const connection = new FakeConnection();
	keepConnection(key, connection as unknown as KernelConnection);
	return connection;
};

afterEach(() => forgetConnections(''));

test('a kept connection is reused while it is up and its kernel alive', () => {
	const connection = keep('a|python3');
	expect(reuseConnection('a|python3')).toBe(connection);
	expect(reuseConnection('a|ir')).toBeUndefined();
});

test('a dead kernel or a dropped connection is not reused, and is closed', async () => {
	const dead = keep('a|python3');
	dead.status = 'dead';
	expect(reuseConnection('a|python3')).toBeUndefined();
	expect(dead.isDisposed).toBe(true);

	const dropped = keep('b|python3');
	dropped.drop();
	await new Promise((resolve) => setImmediate(resolve));
	expect(dropped.isDisposed).toBe(true);
	expect(reuseConnection('b|python3')).toBeUndefined();
});

test('forgetting a sandbox closes all its kernels\' connections, and only those', () => {
	const python = keep('http://x/|t|python3');
	const r = keep('http://x/|t|ir');
	const other = keep('http://y/|u|python3');
	forgetConnections('http://x/|t|');
	expect([python.isDisposed, r.isDisposed, other.isDisposed]).toEqual([true, true, false]);
	forgetConnection('http://y/|u|python3');
	expect(other.isDisposed).toBe(true);
});

test('a connection still in use when it stops being kept is closed by its last user, not before', () => {
	const connection = keep('c|python3');
	expect(detachConnection('c|python3')).toBe(connection);
	expect(connection.isDisposed).toBe(false);
	releaseConnection('c|python3', connection as unknown as KernelConnection);
	expect(connection.isDisposed).toBe(true);
	const kept = keep('c|python3');
	releaseConnection('c|python3', kept as unknown as KernelConnection);
	expect(kept.isDisposed).toBe(false);
});

test('two runs share a kept connection: it stays open until the last of them is done, even once not kept', () => {
	const connection = keep('d|python3');
	expect(reuseConnection('d|python3')).toBe(connection);
	detachConnection('d|python3');
	releaseConnection('d|python3', connection as unknown as KernelConnection);
	expect(connection.isDisposed).toBe(false);
	releaseConnection('d|python3', connection as unknown as KernelConnection);
	expect(connection.isDisposed).toBe(true);
});
