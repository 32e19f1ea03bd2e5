"""Output belongs to the run that made it.

ipykernel 6.17 sends whatever is written with the header of the run in progress, so work started by one run shows its
late output in the next. Here output is owned by the run (cell) that started the work:
- a thread by the run that started it, a thread pool's task by the run that submitted it;
- an asyncio task by the run that created it;
- a child process (`subprocess.Popen`, `os.system`) by the run it was started in: each run gets its own pipes as the
  kernel's file descriptors 1 and 2, read by threads of that run.
What such work writes or displays while another run is in progress is discarded. Discarded, not sent with its own
run's header: that run has already ended, nobody would read it, and chatty leftover work must not cost the n8n side
anything. (ipykernel ≥ 6.29 ties thread output to its cell in a similar way.)
"""

from __future__ import annotations

import asyncio
import codecs
import os
import select
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Optional

_local = threading.local()
# How long the end of a run waits for what its child processes already wrote to be read.
DRAIN_SECONDS = 0.1
READ_BYTES = 65536


def _current_run(ip: Any) -> str:
    """The run in progress: its request's msg_id and its cell's execution count (one request can run many cells,
    sandbox_display/items.py; the count moves on when a cell ends)."""
    parent = ip.parent_header
    request = parent.get("header", {}).get("msg_id") if isinstance(parent, dict) else None
    return f"{request}:{ip.execution_count}"


def _owner() -> Optional[str]:
    """The run that owns what the current thread or asyncio task writes; None for the run's own code."""
    owner = getattr(_local, "run", None)
    if owner is not None:
        return owner
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return getattr(task, "_n8n_run", None)


def _belongs_to_current_run(ip: Any) -> bool:
    owner = _owner()
    return owner is None or owner == _current_run(ip)


class RunOwnedStream:
    """Wraps the kernel's stdout or stderr: drops what work of an earlier run writes, passes on the rest."""

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


def _forward(read_fd: int, stream: Any) -> None:
    """Sends what arrives on a run's pipe to the kernel's stream, until every writer closed it."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    try:
        while True:
            data = os.read(read_fd, READ_BYTES)
            text = decoder.decode(data, final=not data)
            if text:
                stream.write(text)
            if not data:
                return
    finally:
        os.close(read_fd)


class RunPipes:
    """File descriptors 1 and 2 of the kernel, as pipes of the run in progress (child processes inherit them)."""

    def __init__(self) -> None:
        self._reading: list[int] = []

    def start_run(self) -> None:
        self._reading = []
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            read_fd, write_fd = os.pipe()
            os.dup2(write_fd, fd)
            os.close(write_fd)
            self._reading.append(read_fd)
            threading.Thread(target=_forward, args=(read_fd, stream), daemon=True, name="n8n-run-output").start()

    def drain(self) -> None:
        """Gives the run's readers a moment to pass on what its processes already wrote."""
        end = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < end:
            try:
                pending, _, _ = select.select(self._reading, [], [], 0)
            except (OSError, ValueError):
                return
            if not pending:
                return
            time.sleep(0.001)


def install(ip: Any) -> None:
    def owner() -> Optional[str]:
        return _owner() or _current_run(ip)

    thread_start = threading.Thread.start

    def start(self: threading.Thread) -> None:
        self.run = _owned_by(owner(), self.run)  # type: ignore[method-assign]
        thread_start(self)

    threading.Thread.start = start  # type: ignore[method-assign]

    pool_submit = ThreadPoolExecutor.submit

    def submit(self: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return pool_submit(self, _owned_by(owner(), fn), *args, **kwargs)

    ThreadPoolExecutor.submit = submit  # type: ignore[method-assign]

    # Tasks the run's code creates carry the run; the kernel's own (made before the run starts) carry none.
    in_run: dict[str, Optional[str]] = {"run": None}

    def task_factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        run = _owner() or in_run["run"]
        if run is not None:
            task._n8n_run = run  # type: ignore[attr-defined]
        return task

    try:
        asyncio.get_event_loop().set_task_factory(task_factory)
    except RuntimeError:
        pass

    pipes = RunPipes()

    def pre_run_cell(*_: Any) -> None:
        in_run["run"] = _current_run(ip)
        pipes.start_run()

    def post_run_cell(*_: Any) -> None:
        in_run["run"] = None
        pipes.drain()

    ip.events.register("pre_run_cell", pre_run_cell)
    ip.events.register("post_run_cell", post_run_cell)

    publish = ip.display_pub.publish

    def publish_if_owned(*args: Any, **kwargs: Any) -> None:
        if _belongs_to_current_run(ip):
            publish(*args, **kwargs)

    ip.display_pub.publish = publish_if_owned

    sys.stdout = RunOwnedStream(sys.stdout, ip)
    sys.stderr = RunOwnedStream(sys.stderr, ip)
