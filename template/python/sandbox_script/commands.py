"""`!command` runs as a script's child process would: stdin empty, output streamed as it comes.

IPython runs `!` commands on a pseudo-terminal, so a command that reads input (`!cat`, `!read x`, a prompt) waits
until the run's time limit. Here the command gets an empty stdin, its stdout and stderr stream into the run's
stdout, its exit status goes to `_exit_code` as in IPython, and an interrupt stops the whole command.
"""

from __future__ import annotations

import codecs
import collections
import os
import signal
import subprocess
import sys
from typing import Deque

# Lines of a command's output kept to explain its failure (pip names the cause near the end).
KEPT_LINES = 200
READ_BYTES = 65536


def run_command(command: str) -> tuple[int, Deque[str]]:
    """Runs `command` with bash; returns its exit status and the last lines it printed."""
    tail: Deque[str] = collections.deque(maxlen=KEPT_LINES)
    process = subprocess.Popen(
        command,
        shell=True,
        executable="/bin/bash",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    partial = ""
    try:
        while True:
            data = os.read(process.stdout.fileno(), READ_BYTES)
            text = decoder.decode(data, final=not data)
            if text:
                sys.stdout.write(text)
                lines = (partial + text).split("\n")
                partial = lines.pop()[-1000:]
                tail.extend(line + "\n" for line in lines)
            if not data:
                break
        status = process.wait()
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    finally:
        process.stdout.close()
    if partial:
        tail.append(partial)
    return status, tail
