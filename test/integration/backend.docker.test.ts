import { describeBackendSuite } from './shared/suite';
import { dockerSubject } from './shared/subjects';

describeBackendSuite(dockerSubject());
