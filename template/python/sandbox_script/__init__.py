"""IPython extension making a run behave as the same code would as a script (`python3 script.py < /dev/null`).

- exits.py: `sys.exit(0)`, `exit()` and `quit()` stop the code there and the run succeeds; a non-zero status is an
  error `SystemExit: <status>`. The kernel, its variables and imports stay (IPython would shut the kernel down).
- stdin.py: `input()` and `getpass()` end at once with EOFError: nobody is there to answer.
- threads.py: what a thread writes after the run that started it ended is discarded, never shown in a later run.
- commands.py: `!command` gets an empty stdin and streams its output.
- installs.py: `%pip` and `!pip install` fail the run when pip fails, saying why (no network, not found).
"""

from __future__ import annotations

from typing import Any

from . import exits, installs, stdin, threads

__all__ = ["load_ipython_extension"]


def load_ipython_extension(ip: Any) -> None:
    exits.install(ip)
    stdin.install(ip)
    threads.install(ip)
    installs.install(ip)
