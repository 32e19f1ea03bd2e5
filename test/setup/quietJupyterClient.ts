// @jupyterlab/services logs "Starting WebSocket: <url>" with console.debug on every kernel connection, and warns
// "Connection lost, reconnecting…" when a sandbox it was connected to goes away (our code reports that itself).
// Left in, the latter can fire after a test file has finished, which Jest counts as a failure of the whole run.
console.debug = () => undefined;
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
	if (typeof args[0] === 'string' && args[0].startsWith('Connection lost, reconnecting')) return;
	warn(...args);
};
