"""A Bash Jupyter kernel: one interactive bash per kernel, so variables, functions and the working
directory persist between executions, and an interrupt stops the running command like Ctrl-C would.

Each run behaves as the same code would as a script (`bash script.sh < /dev/null 2>&1`):
- stdin is empty, so `read` and `wc -l` return at once;
- stdout and stderr arrive merged on stdout, from a file of the run's own: what a background job writes after
  its run ended is never shown in a later one;
- `exit [status]` ends the run there (status 0: success), and the shell with its variables stays;
- `set -e` stops the run at a failing command, with its status, and the shell stays; the options a run sets
  (-e, -u, -x, -v, pipefail) and its EXIT and ERR traps end with it, as a script's would;
- a non-zero exit status of the run's last command is reported as an error.
"""
import codecs
import os
import re
import signal
import tempfile

import pexpect
from ipykernel.kernelapp import IPKernelApp
from ipykernel.kernelbase import Kernel

# The prompt carries the last exit status, or "exit:N" after the code called `exit N`; the control characters keep it
# from matching ordinary output. PROMPT_COMMAND sets the status before the prompt is shown.
PROMPT = "\x1b]sbx;${__sbx_status}\x07"
PROMPT_RE = re.compile(r"\x1b\]sbx;(exit:)?(\d+)\x07")
SETUP = "; ".join(
    [
        # No job control: no "[1] 1234" lines, and Ctrl-C reaches the whole run.
        "set +m",
        "PS2=''",
        "unset HISTFILE",
        "bind 'set enable-bracketed-paste off' 2>/dev/null",
        "__sbx_shell=$BASHPID",
        "__sbx_stopping=",
        "__sbx_user_err=",
        # Ends the run: from the next command on, the DEBUG trap returns 2, which makes bash return from the function
        # or sourced file it is in (extdebug), until the run's file is left.
        "__sbx_stop() { __sbx_stopping=1; trap __sbx_debug DEBUG; }",
        # `exit` in the shell itself ends the run, not the shell. In a subshell (`( exit 3 )`, `$(…)`, pipelines)
        # it is the builtin.
        'exit() { local s=${1:-$?}; [[ $BASHPID == "$__sbx_shell" ]] || builtin exit "$@"; '
        '[[ $s =~ ^[+-]?[0-9]+$ ]] || { echo "bash: exit: $s: numeric argument required" >&2; s=2; }; '
        "__sbx_exit=$(( s & 255 )); __sbx_stop; }",
        # `set -e` would end the interactive shell, and every variable with it, at the first failing command. The ERR
        # trap (which fires exactly where errexit would, before bash looks at errexit) turns errexit off and stops
        # the run instead, with the command's status; the shell stays. The code's own ERR trap runs first. -E and -T
        # carry the traps into functions and subshells, where errexit ends the subshell as usual.
        # The code's handler sees the failing command's status in $?, as in a script.
        "__sbx_status() { return $1; }",
        "__sbx_on_error() { local s=$1 errexit=; [[ -z $__sbx_stopping ]] || return 0; "
        "[[ $- != *e* ]] || { errexit=1; builtin set +e; }; "
        'if [[ -n $__sbx_user_err ]]; then __sbx_status $s; eval "$__sbx_user_err"; fi; '
        "[[ -n $errexit ]] || return 0; "
        '[[ $BASHPID == "$__sbx_shell" ]] || builtin exit $s; __sbx_exit=$s; __sbx_stop; }',
        # Only while the run stops: return from where it is (our own __sbx_ commands excepted).
        "__sbx_debug() { [[ -z $__sbx_stopping || $BASH_COMMAND == __sbx_* ]] || return 2; }",
        "shopt -s extdebug",
        "set -E -T",
        "trap '__sbx_on_error $?' ERR",
        # The code's `trap … ERR` is kept aside for __sbx_on_error, so that errexit keeps working.
        "trap() { local a; for a; do [[ $a != ERR ]] || break; done; "
        '[[ $a == ERR && $1 != -[lp] ]] || { builtin trap "$@"; return; }; '
        '[[ $1 == - ]] && __sbx_user_err= || __sbx_user_err=$1; local rest=(); shift; '
        'for a; do [[ $a == ERR ]] || rest+=("$a"); done; (( ${#rest[@]} == 0 )) || builtin trap "${__sbx_user_err:--}" "${rest[@]}"; }',
        # What a script's end would do when the run ends: its EXIT trap runs, its ERR trap and the options it set
        # (-e, -u, -x, -v, pipefail) end with it. Output goes to the run's own file.
        "__sbx_end_run() { local h; h=$(trap -p EXIT); trap - EXIT; "
        '[[ -z $h ]] || { h=${h#trap -- }; eval "eval ${h% EXIT}"; }; '
        "__sbx_user_err=; builtin set +e +u +x +v +o pipefail; }",
        # xtrace and verbose end before the run's end is written to its output (our own commands are not its).
        "__sbx_prompt() { __sbx_stopping=; trap - DEBUG; { builtin set +x +v; } 2>/dev/null; [[ -z ${__sbx_out-} ]] || __sbx_end_run >> \"$__sbx_out\" 2>&1; __sbx_out=; "
        "if [[ -n ${__sbx_exit+set} ]]; then __sbx_status=exit:$__sbx_exit; unset __sbx_exit; fi; }",
        "PROMPT_COMMAND='__sbx_status=$?; __sbx_prompt'",
        "PS1=$'{prompt}'",
    ]
)
# How often the run's output file is read while the run goes on.
POLL_SECONDS = 0.05
READ_BYTES = 1 << 20


def _restore_default_signals():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


class BashKernel(Kernel):
    implementation = "sandbox-bash"
    implementation_version = "1.0"
    language = "bash"
    language_version = os.environ.get("BASH_VERSION", "5")
    language_info = {
        "name": "bash",
        "mimetype": "text/x-sh",
        "file_extension": ".sh",
        "codemirror_mode": "shell",
    }
    banner = "Bash"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._cell_dir = tempfile.mkdtemp(prefix="bash-kernel-")
        self._start_bash()

    def _start_bash(self):
        self._bash = pexpect.spawn(
            "/bin/bash",
            ["--norc", "--noprofile", "--noediting", "-i"],
            echo=False,
            encoding="utf-8",
            codec_errors="replace",
            cwd=os.getcwd(),
            env={**os.environ, "TERM": "dumb", "PAGER": "cat"},
            # The kernel app ignores SIGINT, and ignored signals are inherited: give bash and its commands Ctrl-C back.
            preexec_fn=_restore_default_signals,
        )
        self._bash.setwinsize(50, 250)
        # pexpect waits 50 ms before every send by default (for terminals that drop fast input): a run's whole cost.
        self._bash.delaybeforesend = None
        prompt = PROMPT.replace("\x1b", "\\e").replace("\x07", "\\a")
        self._bash.sendline(SETUP.replace("{prompt}", prompt))
        self._wait_for_prompt(None)

    def _wait_for_prompt(self, output):
        """Waits for bash's next prompt, sending on what the run writes to its output file meanwhile.

        Returns (exited, status): exited when the code called `exit`; status None when bash itself ended.
        """
        pending = ""
        while True:
            self._send_output(output)
            try:
                # A short timeout, not None: a SIGINT handled by another thread does not wake a blocked select,
                # so the main thread has to come back regularly to notice the interrupt and to read the output.
                pending += self._bash.read_nonblocking(65536, timeout=POLL_SECONDS)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                self._send_output(output, final=True)
                return False, None
            match = PROMPT_RE.search(pending)
            if match:
                self._send_output(output, final=True)
                return match.group(1) is not None, int(match.group(2))
            # The terminal shows nothing but prompts (the run's output goes to its file): keep only a tail that may
            # be the start of a prompt split across reads.
            pending = pending[-64:]

    def _send_output(self, output, final=False):
        """Sends what the run added to its output file since the last call (final: the run has ended)."""
        if output is None:
            return
        file, decoder = output
        while True:
            data = file.read(READ_BYTES)
            text = decoder.decode(data, final=final and len(data) < READ_BYTES)
            if text:
                self._stream(text)
            if len(data) < READ_BYTES:
                return

    def _stream(self, text):
        self.send_response(self.iopub_socket, "stream", {"name": "stdout", "text": text})

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        if not code.strip():
            return self._reply_ok()
        cell = os.path.join(self._cell_dir, "cell.sh")
        out = os.path.join(self._cell_dir, "out")
        with open(cell, "w", encoding="utf-8") as f:
            f.write(code if code.endswith("\n") else code + "\n")
        # Created before bash opens it, and unlinked after the run: a background job of this run that writes later
        # writes to a file nobody reads.
        with open(out, "wb"):
            pass
        output = None if silent else (open(out, "rb"), codecs.getincrementaldecoder("utf-8")(errors="replace"))
        self._bash.sendline(f'__sbx_out={out}; . {cell} < /dev/null > "$__sbx_out" 2>&1')
        interrupted = False
        # The kernel app ignores SIGINT outside its handlers; an interrupt must reach this wait.
        previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            try:
                exited, status = self._wait_for_prompt(output)
            except KeyboardInterrupt:
                interrupted = True
                self._bash.sendintr()
                exited, status = self._wait_for_prompt(output)
        finally:
            signal.signal(signal.SIGINT, previous_handler)
            if output is not None:
                output[0].close()
            os.unlink(out)

        if status is None:
            self._bash.close()
            ended = self._bash.exitstatus if self._bash.exitstatus is not None else f"signal {self._bash.signalstatus}"
            self._start_bash()
            return self._reply_error(
                "BashExited",
                f"the shell itself ended (status {ended}), as `exec` does when its command ends; a new shell was "
                "started, without the variables and functions of earlier runs",
            )
        if exited:
            return self._reply_ok() if status == 0 else self._reply_error("ExitCode", f"the code called exit {status}")
        if interrupted:
            return self._reply_error("KeyboardInterrupt", "interrupted")
        if status != 0:
            return self._reply_error("ExitCode", f"the last command exited with status {status}")
        return self._reply_ok()

    def _reply_ok(self):
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _reply_error(self, name, value):
        content = {"ename": name, "evalue": value, "traceback": [f"{name}: {value}"]}
        self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}

    def do_shutdown(self, restart):
        self._bash.terminate(force=True)
        return super().do_shutdown(restart)


if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=BashKernel)
