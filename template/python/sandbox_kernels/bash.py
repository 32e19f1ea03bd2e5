"""A Bash Jupyter kernel: one interactive bash per kernel, so variables, functions and the working
directory persist between executions, and an interrupt stops the running command like Ctrl-C would.

Output goes through a pseudo-terminal, so stdout and stderr arrive merged on stdout (as with bash_kernel).
A non-zero exit status of the cell's last command is reported as an error.
"""
import os
import re
import signal
import tempfile

import pexpect
from ipykernel.kernelapp import IPKernelApp
from ipykernel.kernelbase import Kernel

# The prompt carries the last exit status; the control characters keep it from matching ordinary output.
PROMPT = "\x1b]sbx;{status}\x07"
PROMPT_RE = re.compile(r"\x1b\]sbx;(\d+)\x07")
PROMPT_PREFIX = "\x1b]sbx;"


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
        prompt = PROMPT.format(status="$?").replace("\x1b", "\\e").replace("\x07", "\\a")
        self._bash.sendline(f"PS1=$'{prompt}'; PS2=''; PROMPT_COMMAND=''; unset HISTFILE; bind 'set enable-bracketed-paste off' 2>/dev/null")
        self._read_until_prompt(emit=False)

    def _read_until_prompt(self, emit):
        """Reads the bash output until the next prompt, sending it on as it comes; returns the exit status."""
        pending = ""
        while True:
            try:
                # A short timeout, not None: a SIGINT handled by another thread does not wake a blocked select,
                # so the main thread has to come back regularly to notice the interrupt.
                chunk = self._bash.read_nonblocking(65536, timeout=0.1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if emit and pending:
                    self._stream(pending)
                return None
            pending += chunk.replace("\r\n", "\n")
            match = PROMPT_RE.search(pending)
            if match:
                if emit and match.start() > 0:
                    self._stream(pending[: match.start()])
                return int(match.group(1))
            # Keep a tail that may be the start of a prompt split across reads.
            cut = pending.rfind(PROMPT_PREFIX[0])
            safe = pending if cut < 0 else pending[:cut]
            if emit and safe:
                self._stream(safe)
            pending = pending[len(safe):]

    def _stream(self, text):
        self.send_response(self.iopub_socket, "stream", {"name": "stdout", "text": text})

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        if not code.strip():
            return self._reply_ok()
        cell = os.path.join(self._cell_dir, "cell.sh")
        with open(cell, "w", encoding="utf-8") as f:
            f.write(code if code.endswith("\n") else code + "\n")
        self._bash.sendline(f". {cell}")
        interrupted = False
        # The kernel app ignores SIGINT outside its handlers; an interrupt must reach this wait.
        previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            status = self._read_until_prompt(emit=not silent)
        except KeyboardInterrupt:
            interrupted = True
            self._bash.sendintr()
            status = self._read_until_prompt(emit=not silent)
        finally:
            signal.signal(signal.SIGINT, previous_handler)

        if status is None:
            self._start_bash()
            return self._reply_error("BashExited", "bash exited; a new shell was started (its state is lost)")
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
