// @jupyterlab/services logs "Starting WebSocket: <url>" with console.debug on every kernel connection.
console.debug = () => undefined;
