"""Package installs say whether they worked.

IPython's `%pip` and `!pip` print pip's failure and carry on, so a run whose install failed still succeeded. Here both
run pip, stream what it prints, and raise PackageInstallError when it fails, naming the cause pip gave: no network,
or no such package. Packages go to the user's site-packages (pip falls back to it, as the system's is read-only),
which is on sys.path from the kernel's start (the template creates it), so they import on the next line.
"""

from __future__ import annotations

import collections
import importlib
import re
import shlex
import site
import subprocess
import sys
from typing import Any, Deque, Iterable

# `pip install …`, `pip3 install …`, `python3 -m pip install …`, with or without a path before the program.
PIP_INSTALL = re.compile(r"^\s*(?:\S*/)?(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\b")
# pip's messages when the package index cannot be reached (urllib3 and requests wordings).
NO_NETWORK = re.compile(
    r"Failed to establish a new connection|Temporary failure in name resolution|Name or service not known"
    r"|Network is unreachable|Connection refused|No route to host|ProxyError|Read timed out|ConnectTimeoutError"
)
NOT_FOUND = re.compile(r"No matching distribution found for (\S+)")
# Lines kept to find the cause in: pip names it near the end.
KEPT_LINES = 200


class PackageInstallError(Exception):
    """pip exited with a non-zero status; the message says why, as far as pip's output tells."""


def failure_message(status: int, lines: Iterable[str]) -> str:
    text = "".join(lines)
    not_found = NOT_FOUND.search(text)
    if NO_NETWORK.search(text):
        return (
            "pip could not reach the package index: the sandbox has no network access to it. "
            "Create the sandbox with Internet Access on, or install from a file in the sandbox."
        )
    if not_found:
        return f"package not found: {not_found.group(1)} (pip found no version of it that installs here)"
    last = next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")
    return f"pip exited with status {status}" + (f": {last}" if last else "")


def run_pip(args: list[str]) -> None:
    """Runs `python -m pip ARGS`, printing its output as it comes; raises PackageInstallError when it fails."""
    tail: Deque[str] = collections.deque(maxlen=KEPT_LINES)
    process = subprocess.Popen(
        [sys.executable, "-m", "pip", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            tail.append(line)
            sys.stdout.write(line)
        status = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if status != 0:
        raise PackageInstallError(failure_message(status, tail))
    user_site = site.getusersitepackages()
    if user_site not in sys.path:
        site.addsitedir(user_site)
    importlib.invalidate_caches()


def install(ip: Any) -> None:
    def pip_magic(line: str) -> None:
        """Runs pip in the kernel's Python: `%pip install PACKAGE…`. A failed install fails the run."""
        run_pip(shlex.split(line))

    ip.register_magic_function(pip_magic, magic_kind="line", magic_name="pip")

    system = ip.system

    def system_checking_installs(cmd: str) -> Any:
        if not PIP_INSTALL.match(cmd):
            return system(cmd)
        # As system_piped expands $variables: from the frame of the code that ran the `!` line.
        words = shlex.split(ip.var_expand(cmd, depth=2))
        return run_pip(words[words.index("install") :])

    ip.system = system_checking_installs
