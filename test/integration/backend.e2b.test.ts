import { describeBackendSuite } from './shared/suite';
import { e2bDoubleSubject } from './shared/subjects';

describeBackendSuite(e2bDoubleSubject());
