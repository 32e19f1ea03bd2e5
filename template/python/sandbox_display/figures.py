"""Which matplotlib figures a run leaves open, and in which formats they are shown.

Figures stay open after the run that drew them (InlineBackend.close_figures is off in ipython_kernel_config.py), so
that Get Chart without code can read them; the next run closes them, so they do not pile up.
"""

from __future__ import annotations

import sys
from typing import Any

# The exact code backends/common/prelude.ts sends for Get Chart without code.
OPEN_FIGURES_CODE = '__import__("sandbox_display").display_open_figures()'
# The first line of the code a backend runs before the user's (backends/common/prelude.ts). On Docker it runs silently; on
# E2B, which has no silent runs, it is a run of its own, which must not count as "the run" for the hooks below.
PRELUDE_MARK = "# n8n-code-interpreter prelude"

_svg_in_this_run = False


def display_open_figures() -> None:
    """Shows the figures still open, then closes them (Get Chart without code)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    from IPython.display import display

    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        display(figure)
        pyplot.close(figure)


def include_svg_in_next_run() -> None:
    """Figures shown by the next run also carry an SVG (Get Chart's "Include SVG"); called from a silent run."""
    global _svg_in_this_run
    _svg_in_this_run = True


def figure_svg(figure: Any) -> str | None:
    if not _svg_in_this_run:
        return None
    from IPython.core.pylabtools import print_figure

    return print_figure(figure, "svg")


def close_previous_figures(info: Any) -> None:
    """pre_run_cell: the figures of the previous run are closed, except for the run that reads them."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    cell = getattr(info, "raw_cell", "")
    if pyplot is not None and cell.strip() != OPEN_FIGURES_CODE and not cell.startswith(PRELUDE_MARK):
        pyplot.close("all")


def end_of_run(result: Any) -> None:
    """post_run_cell (never called for silent runs): SVG was for one run only."""
    global _svg_in_this_run
    if not getattr(getattr(result, "info", None), "raw_cell", "").startswith(PRELUDE_MARK):
        _svg_in_this_run = False
