"""Reading input ends at once: code in a sandbox runs with nobody to answer, like a script run with `< /dev/null`.

ipykernel would raise StdinNotImplementedError ("this frontend does not support input requests"); here `input()`
and `getpass()` raise the EOFError a script gets from empty input, saying why. `sys.stdin` reads as empty already.
"""

from __future__ import annotations

from typing import Any

NO_INPUT = (
    "input() found no input: code in a sandbox runs with nobody to answer it (stdin is empty). "
    "Pass data in with the node's items or as a file instead."
)


def _no_input(prompt: str = "", *_: Any, **__: Any) -> str:
    raise EOFError(NO_INPUT)


def install(ip: Any) -> None:
    kernel = getattr(ip, "kernel", None)
    if kernel is None:
        return
    # The kernel installs these as builtins.input and getpass.getpass for every run (ipkernel._forward_input).
    kernel.raw_input = _no_input
    kernel.getpass = _no_input
