"""Package installs say whether they worked.

IPython's `%pip` and `!pip` print pip's failure and carry on, so a run whose install failed still succeeded. Here a
failing `%pip …` or `!pip install …` (any spelling: `pip3`, `python -m pip`, options before `install`, shell syntax
around it) raises PackageInstallError, naming the cause pip gave: no network, or no such package. Packages go to the
user's site-packages (pip falls back to it, as the system's is read-only), which is on sys.path from the kernel's
start (the template creates it), so they import on the next line.
"""

from __future__ import annotations

import importlib
import re
import shlex
import site
import sys
from typing import Any, Iterable

from .commands import run_command

# `pip install …`, `pip3 -q install …`, `/usr/bin/python3 -m pip install …`.
PIP_INSTALL = re.compile(r"^\s*(?:\S*/)?(?:pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip)(?:\s+-\S+)*\s+install\b")
# pip's messages when the package index cannot be reached (urllib3 and requests wordings).
NO_NETWORK = re.compile(
    r"Failed to establish a new connection|Temporary failure in name resolution|Name or service not known"
    r"|Network is unreachable|Connection refused|No route to host|ProxyError|Read timed out|ConnectTimeoutError"
)
NOT_FOUND = re.compile(r"No matching distribution found for (\S+)")


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


def run_pip_command(command: str) -> int:
    """Runs a command line that runs pip; raises PackageInstallError when it fails."""
    status, tail = run_command(command)
    if status != 0:
        raise PackageInstallError(failure_message(status, tail))
    user_site = site.getusersitepackages()
    if user_site not in sys.path:
        site.addsitedir(user_site)
    importlib.invalidate_caches()
    return status


def install(ip: Any) -> None:
    def pip_magic(line: str) -> None:
        """Runs pip in the kernel's Python: `%pip install PACKAGE…`. A failing pip fails the run."""
        run_pip_command(f"{shlex.quote(sys.executable)} -m pip {line}")

    ip.register_magic_function(pip_magic, magic_kind="line", magic_name="pip")

    def system(cmd: str) -> None:
        # As IPython's system_piped expands $variables and {expressions}: in the frame of the code with the `!` line.
        command = ip.var_expand(cmd, depth=1)
        if PIP_INSTALL.match(command):
            ip.user_ns["_exit_code"] = run_pip_command(command)
        else:
            ip.user_ns["_exit_code"] = run_command(command)[0]

    ip.system = system
