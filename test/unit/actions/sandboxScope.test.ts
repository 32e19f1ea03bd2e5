import { credentialScope } from '../../../nodes/CodeInterpreter/actions/sandboxScope';

describe('credentialScope', () => {
	it('is the credential\'s own ID when no shared scope is set', () => {
		expect(credentialScope({ image: '' }, { id: 'Abc123', name: 'Docker' })).toBe('credential:Abc123');
		expect(credentialScope({ sandboxScope: '  ' }, { id: 'Abc123', name: 'Docker' })).toBe('credential:Abc123');
	});

	it('is the shared scope when one is set, never equal to any credential\'s own', () => {
		expect(credentialScope({ sandboxScope: 'team-secret' }, { id: 'Abc123', name: 'Docker' })).toBe('scope:team-secret');
		// A shared scope set to another credential's ID does not reach that credential's sandboxes.
		expect(credentialScope({ sandboxScope: 'Abc123' }, { id: 'Xyz', name: 'Other' })).not.toBe(credentialScope({}, { id: 'Abc123', name: 'Docker' }));
	});
});
