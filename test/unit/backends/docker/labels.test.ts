import { fromLabels, LABELS, toLabels, type SandboxLabels } from '../../../../nodes/CodeInterpreter/backends/docker/labels';

const values: SandboxLabels = {
	sandboxId: 'sbx-abc123',
	token: 'secret-token',
	createdAt: '2025-01-01T00:00:00.000Z',
	expiresAt: '2025-01-01T00:05:00.000Z',
	version: '0.1.0',
};

describe('toLabels', () => {
	it('adds the pool label only for a warm-pool sandbox', () => {
		expect(toLabels({ ...values, pool: 'abc' })['io.n8n.code-interpreter.pool']).toBe('abc');
		expect(Object.keys(toLabels(values))).not.toContain('io.n8n.code-interpreter.pool');
	});


	it('writes every value under the io.n8n.code-interpreter prefix', () => {
		expect(toLabels(values)).toEqual({
			'io.n8n.code-interpreter.sandbox-id': 'sbx-abc123',
			'io.n8n.code-interpreter.jupyter-token': 'secret-token',
			'io.n8n.code-interpreter.created-at': '2025-01-01T00:00:00.000Z',
			'io.n8n.code-interpreter.expires-at': '2025-01-01T00:05:00.000Z',
			'io.n8n.code-interpreter.version': '0.1.0',
		});
	});
});

describe('fromLabels', () => {
	it('reads back what toLabels wrote', () => {
		expect(fromLabels(toLabels(values))).toEqual(values);
	});

	it('ignores labels of other tools next to ours', () => {
		const labels = { ...toLabels(values), 'com.docker.compose.project': 'n8n', maintainer: 'someone' };
		expect(fromLabels(labels)).toEqual(values);
	});

	it('returns undefined for a container without labels', () => {
		expect(fromLabels(undefined)).toBeUndefined();
		expect(fromLabels({})).toBeUndefined();
	});

	it('returns undefined for a foreign container', () => {
		expect(fromLabels({ 'com.docker.compose.project': 'n8n', 'org.opencontainers.image.version': '1.0' })).toBeUndefined();
	});

	it.each(Object.entries(LABELS).filter(([field]) => field !== 'pool'))('returns undefined when the %s label is missing', (_field, label) => {
		const labels = toLabels(values);
		delete labels[label];
		expect(fromLabels(labels)).toBeUndefined();
	});

	it.each([
		['sandbox id', LABELS.sandboxId],
		['token', LABELS.token],
	])('returns undefined when the %s is empty', (_field, label) => {
		expect(fromLabels({ ...toLabels(values), [label]: '' })).toBeUndefined();
	});

	it('returns undefined when a label is not a string', () => {
		const labels = { ...toLabels(values), [LABELS.version]: 1 } as unknown as Record<string, string>;
		expect(fromLabels(labels)).toBeUndefined();
	});
});
