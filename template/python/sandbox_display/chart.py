"""matplotlib Figure -> structured chart for the `e2b/chart` MIME type (field names follow E2B's Code Interpreter).

A chart is read back from the artists matplotlib keeps on each Axes, after unit conversion: positions are floats,
so dates, categories and pandas periods are turned back into ISO strings / category names via the axis.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Optional

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.category import StrCategoryConverter
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle, Wedge
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator

# "Time (s)" -> "s", "Speed [m/s]" -> "m/s": the unit sits in the brackets that end the label.
_UNIT_AT_END = re.compile(r"(?:\(([^()]*)\)|\[([^\[\]]*)\])\s*$")

_MATHDEFAULT = re.compile(r"\$\\mathdefault\{(.*)\}\$")

_DATE_CONVERTERS = (mdates.DateConverter, getattr(mdates, "_SwitchableDateConverter", mdates.DateConverter))
_DATE_FORMATTERS = (mdates.DateFormatter, mdates.AutoDateFormatter, mdates.ConciseDateFormatter)


def figure_to_chart(figure: Any) -> Optional[dict]:
    """One chart for a single Axes, a "superchart" of charts for several, None for a figure without Axes."""
    try:
        figure.draw_without_rendering()  # settles autoscaled limits, ticks and tick labels
    except Exception:
        pass  # an undrawn figure still holds its data; only ticks may be less settled
    axes = [ax for ax in figure.axes if ax.get_visible() and getattr(ax, "_colorbar", None) is None]
    if not axes:
        return None
    if len(axes) == 1:
        return axes_to_chart(axes[0])
    suptitle = getattr(figure, "_suptitle", None)
    return {
        "type": "superchart",
        "title": _text_or_none(suptitle.get_text() if suptitle is not None else None),
        "elements": [axes_to_chart(ax) for ax in axes],
    }


def axes_to_chart(ax: Axes) -> dict:
    chart_type = _chart_type(ax)
    chart: dict[str, Any] = {"type": chart_type, "title": _text_or_none(ax.get_title())}
    if chart_type == "unknown":
        return {**chart, "elements": []}
    if chart_type == "pie":
        return {**chart, "elements": _pie_elements(ax)}

    x_axis, y_axis = _AxisReader(ax.xaxis), _AxisReader(ax.yaxis)
    x_label, y_label = _text_or_none(ax.get_xlabel()), _text_or_none(ax.get_ylabel())
    chart.update(x_label=x_label, y_label=y_label, x_unit=_unit_of(x_label), y_unit=_unit_of(y_label))
    if chart_type in ("line", "scatter"):
        for prefix, axis in (("x", x_axis), ("y", y_axis)):
            tick_values, tick_labels = axis.ticks()
            chart.update({f"{prefix}_ticks": tick_values, f"{prefix}_tick_labels": tick_labels,
                          f"{prefix}_scale": axis.scale})
    return {**chart, "elements": _ELEMENT_READERS[chart_type](ax, x_axis, y_axis)}


def _chart_type(ax: Axes) -> str:
    if any(isinstance(patch, Wedge) for patch in ax.patches):
        return "pie"
    if any(isinstance(patch, PathPatch) for patch in ax.patches):
        return "box_and_whisker"
    if _bar_groups(ax):
        return "bar"
    if _scatter_collections(ax):
        return "scatter"
    if _data_lines(ax):
        return "line"
    return "unknown"


# --- element readers, one per chart type ---------------------------------------------------------------------------


def _line_elements(ax: Axes, x_axis: _AxisReader, y_axis: _AxisReader) -> list[dict]:
    return [{"label": _user_label(line.get_label()), "points": _points(line.get_xydata(), x_axis, y_axis)}
            for line in _data_lines(ax)]


def _scatter_elements(ax: Axes, x_axis: _AxisReader, y_axis: _AxisReader) -> list[dict]:
    return [{"label": _user_label(collection.get_label()),
             "points": _points(_offsets(collection), x_axis, y_axis)}
            for collection in _scatter_collections(ax)]


def _bar_elements(ax: Axes, x_axis: _AxisReader, y_axis: _AxisReader) -> list[dict]:
    elements = []
    for group, horizontal, bars in _bar_groups(ax):
        for bar in bars:
            if horizontal:
                label = y_axis.label_at(bar.get_y() + bar.get_height() / 2)
                value = bar.get_width()
            else:
                label = x_axis.label_at(bar.get_x() + bar.get_width() / 2)
                value = bar.get_height()
            elements.append({"label": label, "group": group, "value": _number(value)})
    return elements


def _pie_elements(ax: Axes) -> list[dict]:
    return [{"label": _user_label(wedge.get_label()),
             "angle": _number(wedge.theta2 - wedge.theta1),
             "radius": _number(wedge.r)}
            for wedge in ax.patches if isinstance(wedge, Wedge)]


def _box_elements(ax: Axes, x_axis: _AxisReader, y_axis: _AxisReader) -> list[dict]:
    """Boxes come from the box patches; whiskers, caps, medians and fliers are separate Line2Ds near each box."""
    lines = [(line.get_xydata(), line.get_linestyle() == "None") for line in ax.lines]
    elements = []
    for box in (patch for patch in ax.patches if isinstance(patch, PathPatch)):
        outline = _outline(box)
        stats = _box_stats(outline, lines)
        position_axis = x_axis
        if stats is None:  # no whisker along y: try the box lying on its side (vert=False / orient="h")
            swapped = [(points[:, ::-1], marker_only) for points, marker_only in lines]
            stats = _box_stats(outline[:, ::-1], swapped)
            position_axis = y_axis
        if stats is None:
            continue
        centre = stats.pop("centre")
        elements.append({"label": position_axis.label_at(centre), **stats})
    return elements


_ELEMENT_READERS: dict[str, Callable[[Axes, _AxisReader, _AxisReader], list[dict]]] = {
    "line": _line_elements,
    "scatter": _scatter_elements,
    "bar": _bar_elements,
    "box_and_whisker": _box_elements,
}


# --- artists ----------------------------------------------------------------------------------------------------------


def _data_lines(ax: Axes) -> list[Line2D]:
    """Lines with points in data coordinates: skips empty legend proxies (seaborn adds them) and axhline-style guides."""
    return [line for line in ax.lines
            if len(line.get_xydata()) and line.get_transform().contains_branch(ax.transData)]


def _scatter_collections(ax: Axes) -> list[PathCollection]:
    return [collection for collection in ax.collections
            if isinstance(collection, PathCollection) and len(collection.get_offsets())]


def _offsets(collection: PathCollection) -> np.ndarray:
    """Positions of the drawn points: matplotlib masks (and does not draw) points with a non-finite coordinate."""
    return np.ma.compress_rows(np.ma.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2))


def _bar_groups(ax: Axes) -> list[tuple[Optional[str], bool, list[Rectangle]]]:
    """(group label, horizontal?, bars) per BarContainer; loose Rectangle patches form one unlabelled vertical group."""
    groups = []
    for container in ax.containers:
        # A container outlives bars removed from the Axes (seaborn draws and removes a NaN bar to pick a colour).
        bars = [bar for bar in container.patches if bar.axes is ax] if isinstance(container, BarContainer) else []
        if bars:
            groups.append((_user_label(container.get_label()), container.orientation == "horizontal", bars))
    if groups:
        return groups
    rectangles = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    return [(None, False, rectangles)] if rectangles else []


def _outline(patch: PathPatch) -> np.ndarray:
    """The path's real vertices: a CLOSEPOLY vertex carries an ignored (often arbitrary) position."""
    path = patch.get_path()
    if path.codes is None:
        return path.vertices
    return path.vertices[path.codes != Path.CLOSEPOLY]


def _box_stats(outline: np.ndarray, lines: list[tuple[np.ndarray, bool]]) -> Optional[dict]:
    """Five-number summary and outliers of one upright box, or None when no whisker leaves it vertically.

    Points are (position, value) pairs. The box outline spans the quartiles; a whisker is a line at the box's centre
    starting at a quartile; caps, medians (and mean lines) are level lines; fliers are marker-only lines.
    """
    left, right = outline[:, 0].min(), outline[:, 0].max()
    first_quartile, third_quartile = outline[:, 1].min(), outline[:, 1].max()
    centre = (left + right) / 2
    tolerance = 1e-3 * (right - left)
    own_lines = [(points, marker_only) for points, marker_only in lines
                 if len(points) and np.all(np.abs(points[:, 0] - centre) <= (right - left) / 2 + tolerance)]
    segments = [points for points, marker_only in own_lines if not marker_only and len(points) >= 2]

    whiskers = [points for points in segments
                if np.all(np.abs(points[:, 0] - centre) <= tolerance)
                and (_close(points[:, 1].max(), first_quartile) or _close(points[:, 1].min(), third_quartile))]
    if not whiskers:
        return None
    level_lines = [points for points in segments if _close(points[:, 1].min(), points[:, 1].max())]
    # Whiskers and caps reach min and max; medians and mean lines lie inside the box and do not move them.
    reach = np.concatenate([points[:, 1] for points in whiskers + level_lines])
    low, high = np.nanmin(reach), np.nanmax(reach)
    median = _median_of(level_lines, first_quartile, third_quartile)

    markers = np.concatenate([points[:, 1] for points, marker_only in own_lines if marker_only] or [np.empty(0)])
    outliers = markers[((markers < low) & ~_close(markers, low)) | ((markers > high) & ~_close(markers, high))]
    return {
        "centre": centre,
        "min": _number(low),
        "first_quartile": _number(first_quartile),
        "median": _number(median),
        "third_quartile": _number(third_quartile),
        "max": _number(high),
        "outliers": [_number(value) for value in outliers],
    }


def _median_of(level_lines: list[np.ndarray], first_quartile: float, third_quartile: float) -> Optional[float]:
    """The median line is the first level line strictly inside the box (matplotlib draws it before a mean line;
    caps never lie inside). A median on a quartile is told from a cap there by its width: it spans the box."""
    for points in level_lines:
        value = points[0, 1]
        if first_quartile < value < third_quartile and not _close(value, first_quartile) \
                and not _close(value, third_quartile):
            return value
    on_quartile = [points for points in level_lines
                   if _close(points[0, 1], first_quartile) or _close(points[0, 1], third_quartile)]
    return max(on_quartile, key=lambda points: np.ptp(points[:, 0]))[0, 1] if on_quartile else None


# --- axes ----------------------------------------------------------------------------------------------------------------


class _AxisReader:
    """Turns an axis' float positions back into what was plotted: ISO dates, category names or plain numbers."""

    def __init__(self, axis: Axis):
        self._axis = axis
        self._period_freq = _pandas_period_freq(axis)
        self._categories = _categories(axis)
        if self._period_freq is not None or _is_date_axis(axis):
            self.scale = "datetime"
        elif self._categories is not None:
            self.scale = "categorical"
        else:
            self.scale = axis.get_scale()

    def values(self, positions: np.ndarray) -> np.ndarray:
        """JSON values (an object array) for data positions: ISO strings on a date axis, names on a categorical one,
        else floats; None where a position is not finite (or off the categories)."""
        positions = np.asarray(positions, dtype=float)
        if self.scale == "datetime":
            return self._moment_texts(positions)
        if self._categories is not None:
            names = np.empty(len(positions), dtype=object)
            names[:] = [self._category_at(position) for position in positions]
            return names
        return _json_floats(positions)

    def ticks(self) -> tuple[list, list[str]]:
        """Visible major ticks: values (numbers, or ISO strings on a date axis) and their displayed labels."""
        locations, labels = self._visible_ticks()
        if self.scale == "datetime":
            return self.values(locations).tolist(), labels
        # Locators step in floats (3.0000000000000004); 15 significant digits give back the intended tick.
        return _json_floats(np.array([float(f"{location:.15g}") for location in locations])).tolist(), labels

    def label_at(self, position: float) -> Optional[str]:
        """The category or tick label naming a bar/box centred at `position` (grouped bars sit off the tick)."""
        if not math.isfinite(position):
            return None
        if self._categories is not None:
            return self._category_at(position)
        if isinstance(self._axis.get_major_locator(), FixedLocator):
            label = self._nearest_tick_label(position)
            if label:
                return label
        if self.scale == "datetime":
            return self._moment_texts(np.array([position]))[0]
        return f"{position:.15g}"

    def _visible_ticks(self) -> tuple[np.ndarray, list[str]]:
        # Labels are formatted from all locations, as matplotlib does when drawing (offsets, precision).
        locations = np.asarray(self._axis.get_majorticklocs(), dtype=float)
        labels = self._axis.get_major_formatter().format_ticks(locations)
        low, high = sorted(self._axis.get_view_interval())
        slack = 1e-10 * (high - low)
        shown = (locations >= low - slack) & (locations <= high + slack)
        return locations[shown], [_displayed_text(label) for label, keep in zip(labels, shown) if keep]

    def _nearest_tick_label(self, position: float) -> Optional[str]:
        """Label of the closest tick, if no other tick is closer to the position than half the tick spacing."""
        locations, labels = self._visible_ticks()
        if not len(locations):
            return None
        distances = np.abs(locations - position)
        nearest = int(np.argmin(distances))
        half_spacing = np.min(np.diff(np.sort(locations))) / 2 if len(locations) > 1 else math.inf
        return labels[nearest] if distances[nearest] <= half_spacing else None

    def _category_at(self, position: float) -> Optional[str]:
        """The category nearest to a position (bars and boxes may sit beside it), None off the categories."""
        return self._categories.get(round(position)) if math.isfinite(position) else None

    def _moment_texts(self, positions: np.ndarray) -> np.ndarray:
        texts = np.full(len(positions), None, dtype=object)
        finite = np.isfinite(positions)
        if self._period_freq is not None:
            moments = _period_starts(positions[finite], self._period_freq)
        elif matplotlib.rcParams["timezone"] == "UTC":
            # matplotlib reads naive datetimes as UTC; naive ISO strings match the e2b/data strings of the same data.
            microseconds = np.round(positions[finite] * 86_400_000_000).astype("i8").astype("timedelta64[us]")
            moments = np.datetime64(mdates.get_epoch(), "us") + microseconds
        else:
            texts[finite] = [moment.isoformat() for moment in mdates.num2date(positions[finite])]
            return texts
        texts[finite] = _iso_strings(moments)
        return texts


def _period_starts(ordinals: np.ndarray, freq: Any) -> np.ndarray:
    import pandas  # only pandas' own plots have period axes, so pandas is already loaded

    periods = pandas.arrays.PeriodArray(np.round(ordinals).astype("i8"), dtype=pandas.PeriodDtype(freq))
    return np.asarray(periods.to_timestamp(), dtype="datetime64[us]")


def _iso_strings(moments: np.ndarray) -> np.ndarray:
    """ISO 8601 for datetime64[us] values, as precise as the finest of them needs ("2023-01-01T00:00:00")."""
    microseconds = moments.view("i8")
    unit = "s" if not (microseconds % 1_000_000).any() else "ms" if not (microseconds % 1_000).any() else "us"
    return np.datetime_as_string(moments, unit=unit)


def _is_date_axis(axis: Axis) -> bool:
    return isinstance(axis.converter, _DATE_CONVERTERS) or isinstance(axis.get_major_formatter(), _DATE_FORMATTERS)


def _pandas_period_freq(axis: Axis) -> Any:
    """pandas plots a regular DatetimeIndex as period ordinals; its formatter knows their frequency."""
    formatter = axis.get_major_formatter()
    return getattr(formatter, "freq", None) if type(formatter).__name__ == "TimeSeries_DateFormatter" else None


def _categories(axis: Axis) -> Optional[dict[int, str]]:
    """Position -> name for an axis of strings (matplotlib numbers categories 0, 1, 2, ... in order of appearance)."""
    if not isinstance(axis.converter, StrCategoryConverter) or axis.units is None:
        return None
    return {position: str(name) for name, position in axis.units._mapping.items()}


# --- small helpers -----------------------------------------------------------------------------------------------


def _points(xy: np.ndarray, x_axis: _AxisReader, y_axis: _AxisReader) -> list[list]:
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    return np.column_stack([x_axis.values(xy[:, 0]), y_axis.values(xy[:, 1])]).tolist()


def _json_floats(values: np.ndarray) -> np.ndarray:
    """An object array of Python floats, with NaN/inf as None (json.dumps(allow_nan=False) rejects them)."""
    result = values.astype(object)
    result[~np.isfinite(values)] = None
    return result


def _number(value: Any) -> Optional[float]:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _close(a: Any, b: Any) -> Any:
    return np.isclose(a, b, rtol=1e-9, atol=1e-12)


def _displayed_text(label: Any) -> str:
    """Log-axis labels come as "$\\mathdefault{10^{2}}$" mathtext; the reader sees 10^{2}."""
    match = _MATHDEFAULT.fullmatch(str(label))
    return match.group(1) if match else str(label)


def _text_or_none(text: Optional[str]) -> Optional[str]:
    return text if text else None


def _user_label(label: Any) -> Optional[str]:
    """matplotlib names unlabelled artists "_child0", "_line1", "_container2", ...; a leading "_" means no label."""
    label = str(label) if label is not None else ""
    return None if not label or label.startswith("_") else label


def _unit_of(label: Optional[str]) -> Optional[str]:
    match = _UNIT_AT_END.search(label) if label else None
    if match is None:
        return None
    unit = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
    return unit or None
