"""Runs the code of many items in one request (Run Code, Run Once for Each Item, on Docker).

A request per item costs the kernel and the Jupyter server a few milliseconds of messaging each; run here, an item
costs about what its cell costs. Each item's code is a cell of its own (run_cell: its own execution count, hooks,
figures, displays and traceback), whose outputs are published under this request like any cell's. After each one
a marker display tells the client where that item's outputs end and how it ended.
"""

from __future__ import annotations

import json
import os

from IPython import get_ipython
from IPython.display import publish_display_data

ITEM_END_MIME_TYPE = "application/vnd.n8n-code-interpreter.item-end+json"


def run_items(path: str) -> None:
    """Runs `{"runs": [{"code", "variables"}], "stopOnError"}` from the JSON file (deleted first), in order.

    Stops after an interrupted item (the client sends the rest again when it was a time limit), and after a failing
    one when stopOnError is set.
    """
    with open(path, encoding="utf-8") as file:
        batch = json.load(file)
    os.remove(path)
    shell = get_ipython()
    for index, run in enumerate(batch["runs"]):
        shell.user_ns.update(run["variables"])
        result = shell.run_cell(run["code"], store_history=True)
        error = result.error_before_exec or result.error_in_exec
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "error" if error is not None else "ok"
        publish_display_data({ITEM_END_MIME_TYPE: {"index": index, "status": status, "executionCount": result.execution_count}})
        if status == "interrupted" or (status == "error" and batch["stopOnError"]):
            return
