"""Runs the code of many items in one request (Run Code, Run Once for Each Item, on Docker).

A request per item costs the kernel and the Jupyter server a few milliseconds of messaging each; run here, an item
costs about what its cell costs. Each item's code is a cell of its own (run_cell: its own execution count, hooks,
figures, displays and traceback), whose outputs are published under this request like any cell's. After each one
a marker display tells the client where that item's outputs end and how it ended.
"""

from __future__ import annotations

import json
import os
import stat

from IPython import get_ipython
from IPython.display import publish_display_data

ITEM_END_MIME_TYPE = "application/vnd.n8n-code-interpreter.item-end+json"


# As deep as the client looks for output files (backends/common/writtenFiles.ts).
OUTPUT_DEPTH = 10


def run_items(path: str) -> None:
    """Runs `{"runs": [{"code", "variables"}], "stopOnError", "outputFolder"}` from the JSON file (deleted first), in order.

    Stops after an interrupted item (the client sends the rest again when it was a time limit), and after a failing
    one when stopOnError is set. With an output folder, each marker lists the files the item wrote there.
    """
    with open(path, encoding="utf-8") as file:
        batch = json.load(file)
    os.remove(path)
    shell = get_ipython()
    folder = batch.get("outputFolder")
    before = _files(folder) if folder else {}
    for index, run in enumerate(batch["runs"]):
        shell.user_ns.update(run["variables"])
        result = shell.run_cell(run["code"], store_history=True)
        error = result.error_before_exec or result.error_in_exec
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "error" if error is not None else "ok"
        end = {"index": index, "status": status, "executionCount": result.execution_count}
        if folder:
            after = _files(folder)
            end["writtenFiles"] = [_entry(file, state) for file, state in sorted(after.items()) if _version(before.get(file)) != _version(state)]
            before = after
        publish_display_data({ITEM_END_MIME_TYPE: end})
        if status == "interrupted" or (status == "error" and batch["stopOnError"]):
            return


def _files(folder: str) -> dict[str, os.stat_result]:
    """The regular files under the folder (none when it is missing), by path.

    Compared item to item: timestamps alone cannot tell apart items a millisecond apart, since file times come from
    a clock that lags by up to a scheduler tick.
    """
    files: dict[str, os.stat_result] = {}
    for parent, folders, names in os.walk(folder):
        depth = parent[len(folder) :].count(os.sep) + 1
        if depth >= OUTPUT_DEPTH:
            folders.clear()
        for name in names:
            path = os.path.join(parent, name)
            try:
                state = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(state.st_mode):
                files[path] = state
    return files


def _version(state: os.stat_result | None) -> tuple[int, int, int] | None:
    """What changes when a file is written (its access time changes when it is only read)."""
    return state and (state.st_ino, state.st_size, state.st_mtime_ns)


def _entry(path: str, state: os.stat_result) -> dict[str, object]:
    return {"path": path, "size": state.st_size, "modifiedAt": state.st_mtime_ns / 1e9}
