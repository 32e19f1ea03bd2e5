"""pandas DataFrame / Series -> `{column name: [JSON-safe values]}` for the `e2b/data` MIME type."""

from __future__ import annotations

import datetime
import decimal
import math
from typing import Any, Hashable, Iterable

import numpy as np
import pandas as pd

# Per-column ISO precision, coarsest first; a column uses the first unit that represents every value exactly,
# so whole-second columns read like `Timestamp.isoformat()` ("2023-01-01T00:00:00").
_NANOSECONDS_PER_UNIT = (("s", 10**9), ("ms", 10**6), ("us", 10**3), ("ns", 1))


def dataframe_to_columns(frame: pd.DataFrame) -> dict[str, list]:
    """Columns as lists of JSON-safe values, led by the index levels unless the index is a plain unnamed RangeIndex."""
    columns: dict[str, list] = {}
    if not _is_positional_index(frame.index):
        _add_index_columns(columns, frame.index)
    for position, name in enumerate(frame.columns):
        key = _unique_key(_column_name(name), columns)
        columns[key] = column_values(frame.iloc[:, position])
    return columns


def series_to_columns(series: pd.Series) -> dict[str, list]:
    """A Series always keeps its index: it is what the values are counted or grouped by."""
    columns: dict[str, list] = {}
    _add_index_columns(columns, series.index)
    value_name = "value" if series.name is None else _column_name(series.name)
    columns[_unique_key(value_name, columns)] = column_values(series)
    return columns


def column_values(series: pd.Series) -> list:
    """JSON-safe values of one column, converted per dtype with numpy where possible (per element only for objects)."""
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _datetime_strings(series.dt.tz_localize(None).to_numpy(), _utc_offset_suffixes(series))
    if not isinstance(dtype, np.dtype):
        # Extension dtypes (category, Int64, boolean, string, period, ...): their scalars go through to_json_value.
        return [to_json_value(value) for value in series.to_numpy(dtype=object)]
    if dtype.kind in "biu":
        return series.to_numpy().tolist()
    if dtype.kind == "f":
        return _finite_floats(series.to_numpy())
    if dtype.kind == "M":
        return _datetime_strings(series.to_numpy())
    if dtype.kind == "m":
        # Durations become total seconds (float), which every JSON consumer can do arithmetic on.
        return _finite_floats(series.dt.total_seconds().to_numpy())
    return [to_json_value(value) for value in series.to_numpy()]


def to_json_value(value: Any) -> Any:
    """One value as something json.dumps(allow_nan=False) accepts; unknown types fall back to str()."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(item) for item in value]
    if isinstance(value, np.ndarray):
        return to_json_value(value[()]) if value.ndim == 0 else [to_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _numpy_scalar_to_json(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _numpy_scalar_to_json(value: np.generic) -> Any:
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return to_json_value(float(value))
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, np.timedelta64):
        return None if np.isnat(value) else pd.Timedelta(value).total_seconds()
    if isinstance(value, np.bytes_):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _finite_floats(values: np.ndarray) -> list:
    result = values.astype(object)
    result[~np.isfinite(values)] = None
    return result.tolist()


def _datetime_strings(values: np.ndarray, suffixes: np.ndarray | None = None) -> list:
    """ISO 8601 strings for a datetime64 array (NaT -> None), optionally followed by per-value UTC offsets."""
    nanoseconds = values.astype("datetime64[ns]").view("i8")
    missing = np.isnat(values)
    present = nanoseconds[~missing]
    unit = next(name for name, size in _NANOSECONDS_PER_UNIT if not (present % size).any())
    strings = np.datetime_as_string(values, unit=unit)
    if suffixes is not None:
        strings = np.char.add(strings, suffixes)
    result = strings.astype(object)
    result[missing] = None
    return result.tolist()


def _utc_offset_suffixes(series: pd.Series) -> np.ndarray:
    """"+HH:MM" per value of a timezone-aware series (one zone can have several offsets, e.g. across DST)."""
    wall_time = series.dt.tz_localize(None).to_numpy()
    utc_time = series.dt.tz_convert(None).to_numpy()
    offsets = wall_time - utc_time
    offset_seconds = offsets.astype("timedelta64[s]").astype("i8")
    offset_seconds[np.isnat(offsets)] = 0  # those rows become None anyway
    distinct, positions = np.unique(offset_seconds, return_inverse=True)
    texts = np.array([_utc_offset_text(int(seconds)) for seconds in distinct])
    return texts[positions]


def _utc_offset_text(seconds: int) -> str:
    """The offset as datetime.isoformat() writes it ("+05:30", "-03:00", seconds only when non-zero)."""
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, rest_seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{rest_seconds:02d}" if rest_seconds else text


def _is_positional_index(index: pd.Index) -> bool:
    """An unnamed RangeIndex only numbers the rows (also after head()/tail()/iloc slicing), so it is left out.

    So is an empty unnamed one: pandas gives `DataFrame(columns=[...])` an empty object Index, not a RangeIndex.
    """
    return index.nlevels == 1 and index.name is None and (isinstance(index, pd.RangeIndex) or len(index) == 0)


def _add_index_columns(columns: dict[str, list], index: pd.Index) -> None:
    """One column per index level, named like DataFrame.reset_index() names them."""
    levels = index.nlevels
    for level in range(levels):
        name = index.names[level]
        if name is None:
            name = "index" if levels == 1 else f"level_{level}"
        values = index.get_level_values(level).to_series(index=pd.RangeIndex(len(index)))
        columns[_unique_key(_column_name(name), columns)] = column_values(values)


def _column_name(name: Hashable) -> str:
    """MultiIndex column tuples are joined with "_", skipping empty levels: ("price", "mean") -> "price_mean"."""
    if isinstance(name, tuple):
        return "_".join(str(part) for part in name if part is not None and str(part) != "")
    return str(name)


def _unique_key(name: str, taken: Iterable[str]) -> str:
    """Duplicate column names would overwrite each other in a dict, so later ones get "_1", "_2", ..."""
    if name not in taken:
        return name
    suffix = 1
    while f"{name}_{suffix}" in taken:
        suffix += 1
    return f"{name}_{suffix}"
