"""Exiting ends the run, not the kernel.

IPython reports any SystemExit as an error (and warns "To exit: use 'exit', 'quit', or Ctrl-D."), and its `exit` and
`quit` ask the kernel to shut down after the run: a later run then finds a dead kernel. Here, as in a script, a
SystemExit with status 0 or None is a clean end, any other status an error, and `exit`/`quit` raise SystemExit.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, Optional

from IPython.core.autocall import IPyAutocall


def is_clean_exit(error: Optional[BaseException]) -> bool:
    return isinstance(error, SystemExit) and error.code in (None, 0)


class ScriptExit(IPyAutocall):
    """`exit`, `exit(status)`, `quit`: as the builtins do in a script. An autocall, so that a bare `exit` line works."""

    def __init__(self, ip: Any):
        super().__init__(ip)

    def __repr__(self) -> str:
        return "Use exit() or exit(status) to end the code here; the sandbox keeps its state."

    def __call__(self, status: Any = None) -> None:
        raise SystemExit(status)


def _raise_clean_exit() -> None:
    raise SystemExit(0)


def install(ip: Any) -> None:
    warnings.filterwarnings("ignore", message="To exit: use 'exit', 'quit', or Ctrl-D.", category=UserWarning)
    exiter = ScriptExit(ip)
    for name in ("exit", "quit"):
        ip.user_ns[name] = exiter
        ip.user_ns_hidden[name] = exiter
    # Reached by IPython's own exit objects, should a `%reset` bring them back.
    ip.ask_exit = _raise_clean_exit
    # IPython prints "------> exit()" when it completes a bare `exit`; a script prints nothing.
    ip.show_rewritten_input = False

    show_traceback = ip.showtraceback

    def showtraceback(*args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, SystemExit):
            return show_traceback(*args, **kwargs)
        if is_clean_exit(error):
            return None
        # One line, as a script's exit shows: no "An exception has occurred, use %tb" hint.
        text = f"SystemExit: {error.code}"
        ip._showtraceback(SystemExit, error, [text])
        return None

    ip.showtraceback = showtraceback

    def clear_clean_exit(result: Any) -> None:
        if is_clean_exit(result.error_in_exec):
            result.error_in_exec = None

    ip.events.register("post_run_cell", clear_clean_exit)
