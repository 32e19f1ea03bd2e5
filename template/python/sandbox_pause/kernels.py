"""The sandbox's kernels as the pause and resume see them: listed, interrupted and started through the Jupyter server's
REST API, run through their connection files (the server's kernels, this user's files)."""
import json
import os
import queue
import time
import urllib.request

from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir

SERVER = "http://127.0.0.1:8888/api/kernels"
# Each language's save and load print their result on one line after this mark (a package may print too).
MARK = "__sandbox_state__ "


class KernelRunError(Exception):
    pass


def api(method: str, path: str = "", body: object = None):
    request = urllib.request.Request(
        SERVER + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {os.environ['JUPYTER_TOKEN']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


def running_kernels() -> dict:
    """The kernel each name runs on, as the node picks it (the lowest id of the live ones of that name)."""
    picked = {}
    for kernel in sorted(api("GET"), key=lambda kernel: kernel["id"]):
        if kernel["execution_state"] != "dead":
            picked.setdefault(kernel["name"], kernel)
    return picked


def start_kernel(name: str, within: float) -> str:
    kernel = api("POST", "", {"name": name})
    connection_file = os.path.join(jupyter_runtime_dir(), f"kernel-{kernel['id']}.json")
    until = time.monotonic() + within
    while not os.path.exists(connection_file):
        if time.monotonic() > until:
            raise KernelRunError(f"the {name} kernel did not start within {within:.0f} s")
        time.sleep(0.1)
    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=max(until - time.monotonic(), 1))
    except RuntimeError as error:
        raise KernelRunError(f"the {name} kernel did not start: {error}")
    finally:
        client.stop_channels()
    return kernel["id"]


def run_marked(kernel_id: str, code: str, timeout: float, interrupt_after: float = 0, interrupt_within: float = 10) -> dict:
    """Runs code that prints MARK + JSON on a line of its own; returns that JSON (with "interrupted": true when a run
    was going on), or raises KernelRunError. A run going on holds the code back: when it has not started after
    `interrupt_after` seconds (0: never), the kernel is interrupted as Ctrl-C would, and given `interrupt_within`
    seconds more. The server's own idea of a kernel's state is not asked: it misses a kernel's first messages."""
    client = BlockingKernelClient(connection_file=os.path.join(jupyter_runtime_dir(), f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels()
    try:
        msg_id = client.execute(code, store_history=False, allow_stdin=False)
        printed, started, interrupted, done = [], False, False, False
        begun = time.monotonic()
        while not done:
            waited = time.monotonic() - begun
            if not started and interrupt_after and not interrupted and waited > interrupt_after:
                api("POST", f"/{kernel_id}/interrupt")
                interrupted, begun = True, time.monotonic()
                continue
            if not started and interrupted and waited > interrupt_within:
                raise KernelRunError(f"its run did not stop within {interrupt_within:.0f} s of an interrupt")
            if waited > timeout:
                raise KernelRunError(f"took more than {timeout:.0f} s")
            try:
                message = client.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "status":
                started = started or content["execution_state"] == "busy"
                done = started and content["execution_state"] == "idle"
            elif kind == "stream":
                printed.append(content["text"])
            elif kind == "error":
                raise KernelRunError(f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"[:300])
    finally:
        client.stop_channels()
    for line in "".join(printed).splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            return {**result, "interrupted": True} if interrupted else result
    raise KernelRunError("its result did not come back")
