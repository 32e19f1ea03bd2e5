"""`application/json` for lists and dicts, so that a list of dicts can become n8n items (Run Code → Result as Items).

Pure Python: converting a dict must not import pandas or numpy. Values JSON cannot hold become JSON-safe ones:
NaN and infinities None, dates ISO strings, Decimals floats, numpy scalars and arrays their Python values.
A value of any other type means the list is not data (e.g. the artists a plot call returns): no JSON then.
"""

from __future__ import annotations

import datetime
import decimal
import math
from typing import Any


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return to_json(float(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    # numpy scalars (.item()) and arrays (.tolist()), recognised without importing numpy.
    for method in ("tolist", "item"):
        convert = getattr(value, method, None)
        if callable(convert) and type(value).__module__ == "numpy":
            return to_json(convert())
    raise TypeError(f"{type(value).__name__} is not JSON data")
