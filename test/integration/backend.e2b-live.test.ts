import { describeBackendSuite } from './shared/suite';
import { e2bLiveSubject } from './shared/subjects';

const apiKey = process.env.E2B_API_KEY;

if (apiKey) {
	describeBackendSuite(e2bLiveSubject(apiKey));
} else {
	process.stdout.write('\nSKIPPED: the shared backend suite on E2B\'s real cloud: E2B_API_KEY is not set\n');
	test.skip('the shared backend suite on E2B\'s real cloud (set E2B_API_KEY to run it)', () => undefined);
}
