import { spawnSync } from 'child_process';
import { join } from 'path';

const STEP = join(__dirname, '../../../scripts/lib/step.sh');

function script(body: string) {
	return spawnSync('bash', ['-c', `set -euo pipefail; source ${JSON.stringify(STEP)}; ${body}`], { encoding: 'utf8' });
}

test('a set-up step that fails stops the script, naming the step, its command, where, and the end of its output', () => {
	const run = script('step_where=/tmp/place; step "build the package" bash -c "echo compiling; echo \\"src/a.ts(1,1): error TS2304\\" >&2; exit 2"; echo not reached');
	expect(run.status).toBe(1);
	expect(run.stdout).toBe('');
	expect(run.stderr).toBe('Set-up failed at the step "build the package" (bash -c echo compiling; echo "src/a.ts(1,1): error TS2304" >&2; exit 2), in /tmp/place:\ncompiling\nsrc/a.ts(1,1): error TS2304\n');
});

test('a step that works is quiet, and in_dir runs its command in the folder without moving the script', () => {
	const run = script('step "list" in_dir / ls; pwd');
	expect(run.status).toBe(0);
	expect(run.stdout).toBe(`${process.cwd()}\n`);
	expect(run.stderr).toBe('');
});
