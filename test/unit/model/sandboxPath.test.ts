import { sandboxPath } from '../../../nodes/CodeInterpreter/model/sandboxPath';

test.each([
	['report.csv', '/home/user/report.csv'],
	['output/summary.csv', '/home/user/output/summary.csv'],
	['./a/../b.txt', '/home/user/b.txt'],
	['/tmp/scratch.bin', '/tmp/scratch.bin'],
	['  spaced.txt  ', '/home/user/spaced.txt'],
])('%s → %s', (path, absolute) => {
	expect(sandboxPath(path)).toBe(absolute);
});

test('an empty path says what to give', () => {
	expect(() => sandboxPath(' ')).toThrow(expect.objectContaining({ message: 'The file path is empty', description: expect.stringContaining('/home/user') }));
});
