"""IPython extension adding E2B-compatible structured outputs next to the usual text/html/png ones.

- `e2b/data`: a pandas DataFrame or Series as `{column: [values]}` (see data.py).
- `e2b/chart`: a matplotlib Figure as a structured chart description (see chart.py).
- `application/json` for lists and dicts (see json_result.py), and SVG of figures on request (see figures.py).

Types are registered by name, so loading the extension imports neither pandas nor matplotlib: the converters are
imported on the first object that needs them, when that library is already loaded.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from IPython.core.formatters import BaseFormatter
from traitlets import ObjectName, Unicode

from .figures import display_open_figures, include_svg_in_next_run
from .items import run_items

__all__ = ["display_open_figures", "include_svg_in_next_run", "load_ipython_extension", "run_items"]

DATA_MIME_TYPE = "e2b/data"
CHART_MIME_TYPE = "e2b/chart"


class DataFormatter(BaseFormatter):
    format_type = Unicode(DATA_MIME_TYPE)
    _return_type = (dict,)
    # BaseFormatter falls back to calling this method on any object; the default (__repr__) would return strings.
    print_method = ObjectName("_repr_e2b_data_")


class ChartFormatter(BaseFormatter):
    format_type = Unicode(CHART_MIME_TYPE)
    _return_type = (dict,)
    print_method = ObjectName("_repr_e2b_chart_")


def _none_on_error(convert: Callable[[Any], Optional[dict]]) -> Callable[[Any], Optional[dict]]:
    """A failing converter must only drop its own MIME type, never the user's other outputs or a traceback."""

    @functools.wraps(convert)
    def safe_convert(obj: Any) -> Optional[dict]:
        try:
            return convert(obj)
        except Exception:
            return None

    return safe_convert


@_none_on_error
def _dataframe_data(frame: Any) -> Optional[dict]:
    from .data import dataframe_to_columns

    return dataframe_to_columns(frame)


@_none_on_error
def _series_data(series: Any) -> Optional[dict]:
    from .data import series_to_columns

    return series_to_columns(series)


@_none_on_error
def _figure_chart(figure: Any) -> Optional[dict]:
    from .chart import figure_to_chart

    return figure_to_chart(figure)


@_none_on_error
def _json(value: Any) -> Any:
    from .json_result import to_json

    return to_json(value)


@_none_on_error
def _figure_svg(figure: Any) -> Optional[str]:
    from .figures import figure_svg

    return figure_svg(figure)


def load_ipython_extension(ip: Any) -> None:
    formatters = ip.display_formatter.formatters

    data_formatter = DataFormatter(parent=ip.display_formatter)
    data_formatter.for_type_by_name("pandas.core.frame", "DataFrame", _dataframe_data)
    data_formatter.for_type_by_name("pandas.core.series", "Series", _series_data)
    formatters[DATA_MIME_TYPE] = data_formatter

    chart_formatter = ChartFormatter(parent=ip.display_formatter)
    # Registered on Figure's base class, which the lookup reaches through the MRO: IPython's select_figure_formats()
    # (run when pyplot first loads under the inline backend, and by %matplotlib inline) pops the `Figure` printer of
    # every formatter, ours included.
    chart_formatter.for_type_by_name("matplotlib.figure", "FigureBase", _figure_chart)
    formatters[CHART_MIME_TYPE] = chart_formatter

    for container in (list, dict):
        formatters["application/json"].for_type(container, _json)
    # FigureBase for the reason above; answers only in a run that asked for SVG.
    formatters["image/svg+xml"].for_type_by_name("matplotlib.figure", "FigureBase", _figure_svg)

    from .figures import close_previous_figures, end_of_run

    ip.events.register("pre_run_cell", close_previous_figures)
    ip.events.register("post_run_cell", end_of_run)
