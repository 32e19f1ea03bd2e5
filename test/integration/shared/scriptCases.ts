import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { Language } from '../../../nodes/CodeInterpreter/model/languages';
import type { SuiteContext } from './suite';

/** Long enough that code waiting for input or leaking a kernel's exit would show as a TimeoutError or KernelDied. */
const LIMIT_MS = 30_000;

/** A run is what the same code would do as a script: input, exit, late output, values and installs (issue 14). */
export function scriptCases({ subject, run, test }: SuiteContext): void {
	const stdout = async (code: string, language: Language) => (await run(code, language, LIMIT_MS)).logs.stdout.join('');

	describe('output produced after its run ended never shows in a later run', () => {
		test('Python: a thread the first run started', async () => {
			await run('import threading, time\ndef tick():\n    for i in range(6):\n        print(f"tick {i}", flush=True); time.sleep(0.3)\nthreading.Thread(target=tick).start()');
			expect(await stdout('import time; time.sleep(2.5); print("second")', 'python')).toBe('second\n');
		});

		test('Python: a thread pool made by one run still prints for the run that submits to it', async () => {
			await run('from concurrent.futures import ThreadPoolExecutor\npool = ThreadPoolExecutor(2)\npool.submit(print, "warm").result()');
			expect(await stdout('pool.submit(print, "from the pool").result()\nprint("main")', 'python')).toBe('from the pool\nmain\n');
		});

		if (subject.ourTemplate) test('Python: a child process and an asyncio task the first run left running', async () => {
			const first = await run('import asyncio, os, subprocess\nsubprocess.Popen("sleep 0.5; echo late child", shell=True)\nasync def tick():\n    await asyncio.sleep(0.5)\n    print("late task")\nasyncio.ensure_future(tick())\nos.system("echo own child")');
			expect(first.logs.stdout.join('')).toBe('own child\n');
			expect(await stdout('import asyncio\nawait asyncio.sleep(1.5)\nprint("second")', 'python')).toBe('second\n');
		});

		test('JavaScript: an interval the first run left running; its timers and promises are waited for, as a script does', async () => {
			const first = await run('setInterval(() => console.log("late tick"), 100);\nsetTimeout(() => console.log("own timer"), 300);\nPromise.resolve().then(() => new Promise((r) => setTimeout(r, 500))).then(() => console.log("own promise"));\nconsole.log("first")', 'javascript');
			expect(first.logs.stdout.join('').replace(/late tick\n/g, '')).toBe('first\nown timer\nown promise\n');
			expect(await stdout('await new Promise((r) => setTimeout(r, 1500));\nsetTimeout(() => console.log("own timer"), 10);\nawait new Promise((r) => setTimeout(r, 100));\nconsole.log("second")', 'javascript')).toBe('own timer\nsecond\n');
		});

		test('JavaScript: async work the run started but did not await still prints in the run, as a script waits for it', async () => {
			const main = await run('async function main() {\n  await new Promise((r) => setTimeout(r, 200));\n  console.log("RESULT");\n}\nmain();', 'javascript', LIMIT_MS);
			expect(main.error).toBeNull();
			expect(main.logs.stdout.join('')).toBe('RESULT\n');
			expect(main.results).toEqual([]);
			const failing = await run('async function main() { throw new Error("no data"); }\nmain().catch((error) => { console.error(error.message); process.exit(1); });', 'javascript', LIMIT_MS);
			expect(failing.logs.stderr.join('')).toBe('no data\n');
			expect(failing.error).toMatchObject({ name: 'SystemExit', value: '1' });
			const unhandled = await run('async function main() { throw new Error("unhandled"); }\nmain();', 'javascript', LIMIT_MS);
			expect(unhandled.error).toMatchObject({ name: 'Error', value: 'unhandled' });
			const timers = await run('setTimeout(() => console.log("timer ran"), 200);\nsetTimeout(() => { throw new Error("thrown in a timer"); }, 300);\n"value"', 'javascript', LIMIT_MS);
			expect(timers.logs.stdout.join('')).toBe('timer ran\n');
			expect(timers.error).toMatchObject({ name: 'Error', value: 'thrown in a timer' });
			expect((await run('Promise.reject(new Error("nobody caught it"));\n"v"', 'javascript', LIMIT_MS)).error).toMatchObject({ value: 'nobody caught it' });
			expect(await stdout('console.log("next run")', 'javascript')).toBe('next run\n');
		});

		if (subject.ourTemplate) test('Bash: a background job the first run started', async () => {
			expect(await stdout('(sleep 0.3; for i in 1 2 3 4; do echo "tick $i"; sleep 0.3; done) &\necho started', 'bash')).toBe('started\n');
			expect(await stdout('sleep 1.5; echo second', 'bash')).toBe('second\n');
		});
	});

	describe('nobody answers stdin: reading input ends at once', () => {
		const bashReads = [
			['read -r answer; echo "answer=[$answer]"', 'answer=[]\n'],
			['lines=$(wc -l); echo "lines=$lines"', 'lines=0\n'],
			['cat; echo "cat ended"', 'cat ended\n'],
			['python3 -c "import sys; print(repr(sys.stdin.read()))"', "''\n"],
		];
		if (subject.ourTemplate) for (const [code, expected] of bashReads) test(`Bash: ${code}`, async () => {
			const execution = await run(code, 'bash', LIMIT_MS);
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe(expected);
		});

		test('Python: sys.stdin reads as empty, and a child process gets no input either', async () => {
			const execution = await run('import sys, subprocess\nprint(repr(sys.stdin.read()))\nprint(subprocess.run(["cat"], capture_output=True).stdout)', 'python', LIMIT_MS);
			expect(execution.logs.stdout.join('')).toBe("''\nb''\n");
		});

		if (subject.ourTemplate) test('Python: input() and getpass() fail with an EOFError that says why', async () => {
			for (const code of ['name = input("Your name? ")', 'import getpass\ngetpass.getpass()']) {
				const execution = await run(code, 'python', LIMIT_MS);
				expect(execution.error).toMatchObject({ name: 'EOFError', value: expect.stringContaining('nobody to answer') });
			}
		});

		if (subject.ourTemplate) test('Python: a `!command` gets an empty stdin too, and $variables of the calling function', async () => {
			expect(await stdout('!cat; echo "cat ended"', 'python')).toBe('cat ended\n');
			expect(await stdout('!python3 -c "print(input())" 2>&1 | tail -1', 'python')).toBe('EOFError: EOF when reading a line\n');
			expect(await stdout('def greet(name):\n    !echo "hello {name}"\ngreet("Ada")', 'python')).toBe('hello Ada\n');
		});

		if (subject.ourTemplate) test('R: readline() gives "" and stdin reads as empty', async () => {
			const execution = await run('answer <- readline("Continue? ")\nlines <- readLines(file("stdin"))\ncat(sprintf("[%s] %d\\n", answer, length(lines)))', 'r', LIMIT_MS);
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe('[] 0\n');
		});

		test('JavaScript: prompt() gives null', async () => {
			const execution = await run('prompt("Your name?")', 'javascript', LIMIT_MS);
			expect(execution.error).toBeNull();
			expect(executionText(execution) ?? 'null').toBe('null');
		});
	});

	describe('exiting ends the run like a script, and the sandbox keeps its state', () => {
		test('Python: sys.exit(0) is a success that keeps stdout; sys.exit(3) is an error "SystemExit: 3"', async () => {
			const clean = await run('print("report written")\nimport sys\nsys.exit(0)\nprint("not reached")');
			expect(clean.error).toBeNull();
			expect(clean.logs.stdout.join('')).toBe('report written\n');
			const failed = await run('import sys\nsys.exit(3)');
			expect(failed.error).toMatchObject({ name: 'SystemExit', value: '3' });
		});

		if (subject.ourTemplate) test('Python: exit(), quit() and sys.exit() stop the code there; variables stay, later runs are unaffected', async () => {
			for (const exit of ['exit()', 'quit()', 'sys.exit()', 'raise SystemExit']) {
				const execution = await run(`import sys\nkept = "${exit}"\nprint("before")\n${exit}\nprint("after")`);
				expect(execution.error).toBeNull();
				expect(execution.logs.stdout.join('')).toBe('before\n');
				expect(executionText(await run('kept'))).toBe(exit);
			}
			const bare = await run('exit');
			expect(bare).toMatchObject({ error: null, logs: { stdout: [], stderr: [] } });
			expect((await run('exit(2)')).error).toMatchObject({ name: 'SystemExit', value: '2' });
			expect((await run('import sys; sys.exit("fatal: no data")')).error).toMatchObject({ name: 'SystemExit', value: 'fatal: no data' });
			// The kernel would once shut down a moment after exit(): several unrelated runs later, it is still the same.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			for (let index = 0; index < 3; index++) expect(executionText(await run('kept'))).toBe('raise SystemExit');
		});

		test('JavaScript: Deno.exit(0) and process.exit(0) end the run as a success; process.exit(2) is an error', async () => {
			for (const exit of ['Deno.exit(0)', 'process.exit(0)', 'process.exit()']) {
				const execution = await run(`globalThis.kept = "${exit}";\nconsole.log("before");\n${exit};\nconsole.log("after")`, 'javascript');
				expect(execution.error).toBeNull();
				expect(execution.logs.stdout.join('')).toBe('before\n');
				expect(executionText(await run('globalThis.kept', 'javascript'))).toBe(exit);
			}
			expect((await run('process.exit(2)', 'javascript')).error).toMatchObject({ name: 'SystemExit', value: '2' });
		});

		if (subject.ourTemplate) test('R: quit() and q() end the run as a success; quit(status = 3) is an error', async () => {
			for (const exit of ['quit()', 'q("no")', 'quit(status = 0)']) {
				const execution = await run(`kept <- "${exit.replace(/"/g, '\\"')}"\ncat("before\\n")\n${exit}\ncat("after\\n")`, 'r');
				expect(execution.error).toBeNull();
				expect(execution.logs.stdout.join('')).toBe('before\n');
				expect(executionText(await run('kept', 'r'))).toBe(`[1] "${exit.replace(/"/g, '\\"')}"`);
			}
			expect((await run('quit(status = 3)', 'r')).error?.value).toContain('quit(status = 3)');
		});

		test('Java: System.exit(0) ends the run as a success that keeps stdout; System.exit(3) is an error; the state stays', async () => {
			const clean = await run('String kept = "yes";\nSystem.out.println("before");\nSystem.exit(0);\nSystem.out.println("after");', 'java');
			expect(clean.error).toBeNull();
			expect(clean.logs.stdout.join('')).toBe('before\n');
			expect((await run('System.exit(3);', 'java')).error).toMatchObject({ name: 'SystemExit', value: '3' });
			expect(executionText(await run('kept', 'java'))).toBe('yes');
		});

		if (subject.ourTemplate) test('Bash: exit 0 ends the run as a success, exit 4 as an error; the shell and its variables stay', async () => {
			const clean = await run('kept=yes; echo before; exit 0; echo after', 'bash');
			expect(clean.error).toBeNull();
			expect(clean.logs.stdout.join('')).toBe('before\n');
			expect((await run('echo "kept=$kept"; exit 4', 'bash')).error).toMatchObject({ name: 'ExitCode', value: 'the code called exit 4' });
			const subshell = await run('( exit 3 ); echo "subshell=$?"; status=$(exit 5; echo no); echo "kept=$kept"', 'bash');
			expect(subshell.logs.stdout.join('')).toBe('subshell=3\nkept=yes\n');
			expect(subshell.error).toBeNull();
		});
	});

	describe('every cut is noted: stdout filled exactly to Max Log Size, then written again', () => {
		const fill: Array<[Language, string]> = [
			['python', 'import sys\nsys.stdout.write("a" * (5 * 2**20))\nsys.stdout.flush()\nprint("more")'],
			// Five 1 MB lines: one 5 MB message once came through Deno's kernel as broken JSON (noticed, not isolated).
			['javascript', 'for (let i = 0; i < 5; i++) console.log("a".repeat(2 ** 20 - 1));\nconsole.log("more")'],
			['r', 'cat(strrep("a", 5 * 2^20))\ncat("more\\n")'],
			...(subject.ourTemplate ? [['bash', "head -c 5242880 /dev/zero | tr '\\0' a\necho more"] as [Language, string]] : []),
		];
		for (const [language, code] of fill) test(`${language}`, async () => {
			const execution = await run(code, language, LIMIT_MS);
			expect(execution.logs.stdout.join('').length).toBe(5 * 2 ** 20);
			expect(execution.truncated).toEqual([expect.stringMatching(/^stdout was cut at 5 MB \(Max Log Size\)/)]);
		}, 120_000);
	});

	if (subject.ourTemplate) describe('Bash: set -e, traps and odd exits, as in a script', () => {
		test('set -euo pipefail stops the run at a failing command with its status; the shell and its variables stay, the options end with the run', async () => {
			const stopped = await run('set -euo pipefail\nkept=yes\necho before\ngrep -q nothing /dev/null\necho after', 'bash');
			expect(stopped.logs.stdout.join('')).toBe('before\n');
			expect(stopped.error).toMatchObject({ name: 'ExitCode', value: 'the code called exit 1' });
			const next = await run('false\necho "kept=$kept ${unset_is_fine:-}"', 'bash');
			expect(next.logs.stdout.join('')).toBe('kept=yes \n');
			expect(next.error).toBeNull();
		});

		test('set -e inside a function or a command substitution, and where errexit does not apply', async () => {
			expect((await run('f() { set -e; false; echo no; }\nf\necho no', 'bash')).error).toMatchObject({ value: 'the code called exit 1' });
			expect(await stdout('x=$(set -e; false; echo inner); echo "x=[$x]"', 'bash')).toBe('x=[]\n');
			expect(await stdout('set -e\nif false; then :; fi\nfalse || true\nset +e\nfalse\necho survived', 'bash')).toBe('survived\n');
		});

		test('the code\'s own ERR trap runs and set -e still stops the run; set -x shows only the code\'s commands; both end with the run', async () => {
			const trapped = await run('set -Eeuo pipefail\ntrap \'echo "failed: $?"\' ERR\necho a\nls /nonexistent 2>/dev/null\necho not', 'bash');
			expect(trapped.logs.stdout.join('')).toBe('a\nfailed: 2\n');
			expect(trapped.error).toMatchObject({ value: 'the code called exit 2' });
			expect(await stdout('false\necho "no trap, no -e now"', 'bash')).toBe('no trap, no -e now\n');
			expect(await stdout('set -x\nshown=1', 'bash')).toBe('++ shown=1\n');
			expect(await stdout('echo "no trace now"', 'bash')).toBe('no trace now\n');
		});

		test('exit ends the run even under an INT trap; the EXIT trap runs at the end of the run; odd statuses as bash has them', async () => {
			const trapped = await run('trap "echo caught" INT TERM\ntrap "echo cleanup" EXIT\necho work\nwhile true; do exit 3; done\necho after', 'bash');
			expect(trapped.logs.stdout.join('')).toBe('work\ncleanup\n');
			expect(trapped.error).toMatchObject({ value: 'the code called exit 3' });
			expect((await run('trap - INT TERM; exit -1', 'bash')).error).toMatchObject({ value: 'the code called exit 255' });
			expect((await run('exit 256', 'bash')).error).toBeNull();
			const wrong = await run('exit abc', 'bash');
			expect(wrong.logs.stdout.join('')).toBe('bash: exit: abc: numeric argument required\n');
			expect(wrong.error).toMatchObject({ value: 'the code called exit 2' });
		});
	});

	describe('the value of the last expression is the main result', () => {
		test('JavaScript: code that is one object literal', async () => {
			expect(executionText(await run('{ a: 1, "b": [2] }', 'javascript'))).toBe('{ a: 1, b: [ 2 ] }');
			expect((await run('{ const inBlock = 1; }', 'javascript')).error).toBeNull();
		});

		const values = [
			['6 * 7', '[1] 42'],
			['data.frame(city = "Oslo", n = 3L)', '  city n\n1 Oslo 3'],
			['x <- 1\nx + 1', '[1] 2'],
		];
		if (subject.ourTemplate) for (const [code, text] of values) test(`R: ${code}`, async () => {
			const execution = await run(code, 'r');
			expect(execution.results.filter((result) => result.isMainResult).map((result) => result.text)).toEqual([text]);
			expect(executionText(execution)).toBe(text);
		});

		if (subject.ourTemplate) test('R: earlier values are shown but are not the main result; no value at the end, no main result', async () => {
			const execution = await run('print(1)\n3\ny <- 4', 'r');
			expect(execution.logs.stdout.join('')).toBe('[1] 1\n');
			expect(execution.results).toEqual([expect.objectContaining({ isMainResult: false, text: '[1] 3' })]);
		});
	});

	if (subject.ourTemplate) describe('installs say whether they worked', () => {
		test('pip is there; without network, %pip and !pip install fail the run naming the cause', async () => {
			expect(await stdout('import subprocess, sys\nprint(subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True).stdout.split()[0])', 'python')).toBe('pip\n');
			for (const install of ['%pip install tabulate', '!pip install tabulate', '!pip -q install tabulate > /dev/null 2>&1', '!{sys.executable} -m pip install tabulate && echo installed']) {
				const execution = await run(`import sys\n${install}\nprint("not reached")`, 'python', 120_000);
				expect(execution.error?.name).toBe('PackageInstallError');
				if (!install.includes('/dev/null')) expect(execution.error?.value).toContain('could not reach the package index');
				expect(execution.logs.stdout.join('')).not.toContain('not reached');
			}
		}, 300_000);

		test('a package not found is an error that names it', async () => {
			const execution = await run('import os; os.makedirs("empty-index", exist_ok=True)\n%pip install --no-index --find-links empty-index n8n-no-such-package', 'python', 120_000);
			expect(execution.error).toMatchObject({ name: 'PackageInstallError', value: expect.stringContaining('package not found: n8n-no-such-package') });
		}, 150_000);

		test('a package installed by a run imports on its next line', async () => {
			// A wheel built here, as pip installs it from an index or a file: a module and its .dist-info.
			const wheel = [
				'import zipfile',
				'files = {',
				'    "n8n_local_pkg.py": "ANSWER = 42\\n",',
				'    "n8n_local_pkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: n8n-local-pkg\\nVersion: 1.0\\n",',
				'    "n8n_local_pkg-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",',
				'}',
				'with zipfile.ZipFile("n8n_local_pkg-1.0-py3-none-any.whl", "w") as whl:',
				'    for name, text in files.items(): whl.writestr(name, text)',
				'    whl.writestr("n8n_local_pkg-1.0.dist-info/RECORD", "".join(f"{name},,\\n" for name in [*files, "n8n_local_pkg-1.0.dist-info/RECORD"]))',
			].join('\n');
			await run(wheel);
			const execution = await run('%pip install --no-index n8n_local_pkg-1.0-py3-none-any.whl\nimport n8n_local_pkg\nn8n_local_pkg.ANSWER', 'python', 120_000);
			expect(execution.error).toBeNull();
			expect(executionText(execution)).toBe('42');
		}, 150_000);

		test('R: install.packages fails the run when the package did not install; a local package installs', async () => {
			const offline = await run('install.packages("tabulate")\ncat("not reached")', 'r', 120_000);
			expect(offline.error?.value).toContain('package install failed: tabulate: R could not reach the package repository');
			// An older copy already installed does not turn a failed install into a success.
			expect((await run('install.packages("jsonlite")', 'r', 120_000)).error?.value).toContain('package install failed: jsonlite');
			const build = [
				'dir.create("n8nlocal/R", recursive = TRUE)',
				'writeLines(c("Package: n8nlocal", "Version: 1.0", "Title: Test", "Description: Test.", "License: MIT", "Author: n8n", "Maintainer: n8n <n8n@example.com>"), "n8nlocal/DESCRIPTION")',
				'writeLines("export(answer)", "n8nlocal/NAMESPACE")',
				'writeLines("answer <- function() 42", "n8nlocal/R/answer.R")',
				'install.packages("n8nlocal", repos = NULL, type = "source")',
				'n8nlocal::answer()',
			].join('\n');
			const local = await run(build, 'r', 120_000);
			expect(local.error).toBeNull();
			expect(executionText(local)).toBe('[1] 42');
		}, 300_000);
	});
}
