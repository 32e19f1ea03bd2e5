"""Output belongs to the run that made it.

ipykernel 6.17 sends whatever any thread writes with the header of the run in progress, so a thread started by one
run shows its late output in the next. Here each thread remembers the run (cell) that started it (and a pool's task the
run that submitted it); what it writes or displays while another run is in progress is discarded. Discarded, not sent with its
own run's header: that run has already ended, nobody would read it, and a chatty leftover thread must not cost the
n8n side anything. (ipykernel ≥ 6.29 ties thread output to its cell in a similar way.)
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

_local = threading.local()


def _current_run(ip: Any) -> str:
    """The run in progress: its request's msg_id and its cell's execution count (one request can run many cells,
    sandbox_display/items.py; the count moves on when a cell ends)."""
    parent = ip.parent_header
    request = parent.get("header", {}).get("msg_id") if isinstance(parent, dict) else None
    return f"{request}:{ip.execution_count}"


def _belongs_to_current_run(ip: Any) -> bool:
    owner = getattr(_local, "run", None)
    return owner is None or owner == _current_run(ip)


class RunOwnedStream:
    """Wraps the kernel's stdout or stderr: drops what a thread of an earlier run writes, passes on the rest."""

    def __init__(self, stream: Any, ip: Any):
        self._stream = stream
        self._ip = ip

    def write(self, text: str) -> int:
        if not _belongs_to_current_run(self._ip):
            if not isinstance(text, str):
                raise TypeError(f"write() argument must be str, not {type(text)}")
            return len(text)
        return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _owned_by(run: Optional[str], target: Callable[..., Any]) -> Callable[..., Any]:
    def run_owned(*args: Any, **kwargs: Any) -> Any:
        previous = getattr(_local, "run", None)
        _local.run = run
        try:
            return target(*args, **kwargs)
        finally:
            _local.run = previous

    return run_owned


def install(ip: Any) -> None:
    def owner() -> Optional[str]:
        return getattr(_local, "run", None) or _current_run(ip)

    thread_start = threading.Thread.start

    def start(self: threading.Thread) -> None:
        self.run = _owned_by(owner(), self.run)  # type: ignore[method-assign]
        thread_start(self)

    threading.Thread.start = start  # type: ignore[method-assign]

    pool_submit = ThreadPoolExecutor.submit

    def submit(self: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return pool_submit(self, _owned_by(owner(), fn), *args, **kwargs)

    ThreadPoolExecutor.submit = submit  # type: ignore[method-assign]

    publish = ip.display_pub.publish

    def publish_if_owned(*args: Any, **kwargs: Any) -> None:
        if _belongs_to_current_run(ip):
            publish(*args, **kwargs)

    ip.display_pub.publish = publish_if_owned

    sys.stdout = RunOwnedStream(sys.stdout, ip)
    sys.stderr = RunOwnedStream(sys.stderr, ip)
