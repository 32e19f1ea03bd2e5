/** One run, the way the node sends runs (runCodeMany); an error that kept it from running is thrown. */
async function runOne(backend, sandboxId, code, options) {
	const [outcome] = await backend.runCodeMany(sandboxId, [{ code, options }], false);
	if ('error' in outcome) throw outcome.error;
	return outcome.execution;
}

module.exports = { runOne };
