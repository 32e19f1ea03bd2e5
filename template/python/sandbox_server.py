"""Adjustments to jupyter-server 1.23, loaded through its config (kernel_manager_class = sandbox_server.SandboxKernelManager)."""

import json
import os

from jupyter_client.jsonutil import json_default
from jupyter_server.base.zmqhandlers import serialize_msg_to_ws_v1
from jupyter_server.services.kernels.handlers import ZMQChannelsHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

# Sent on iopub just before the "dead" status of a kernel that died, with how its process ended:
# {"exit_status": N} for an exit with status N, {"signal": N} for a kill by signal N (SIGKILL: out of memory, in a
# sandbox). Read by the client's backends/jupyter/kernelEnd.ts.
KERNEL_EXIT_MSG_TYPE = "n8n_kernel_exit"
# The user's Environment Variables as JSON (backends/docker/isolation.ts USER_ENVS_VARIABLE), for the kernels alone.
USER_ENVS_VARIABLE = "SANDBOX_USER_ENVS"


class SandboxKernelManager(AsyncMappingKernelManager):
    """Gives kernels the user's Environment Variables, and lists a kernel that is still starting instead of failing
    the whole list.

    jupyter-server 1.23 answers HTTP 500 to GET /api/kernels while a kernel starts: the starting kernel has no
    last_activity yet. Two n8n processes starting a sandbox's first kernel at once would both see that error.
    """

    def kernel_model(self, kernel_id):
        try:
            return super().kernel_model(kernel_id)
        except AttributeError:
            kernel = self._kernels[kernel_id]
            return {"id": kernel_id, "name": kernel.kernel_name, "execution_state": "starting", "connections": 0}

    async def start_kernel(self, kernel_id=None, path=None, **kwargs):
        """Kernels get the user's Environment Variables as variables; this server has them as one JSON variable."""
        environment = dict(os.environ)
        user_envs = json.loads(environment.pop(USER_ENVS_VARIABLE, "") or "{}")
        kwargs.setdefault("env", {**environment, **{str(name): str(value) for name, value in user_envs.items()}})
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

    def _handle_kernel_died(self, kernel_id):
        # Runs before the WebSocket handlers' "dead" callbacks (registered first), while the kernel is still known.
        if not hasattr(self, "kernel_exits"):
            self.kernel_exits = {}
        process = getattr(getattr(self.get_kernel(kernel_id), "provisioner", None), "process", None)
        code = None if process is None else process.poll()
        if code is not None:
            self.kernel_exits[kernel_id] = {"exit_status": code} if code >= 0 else {"signal": -code}
        super()._handle_kernel_died(kernel_id)


_open_channels = ZMQChannelsHandler.open


def _open_without_nagle(self, *args, **kwargs):
    """Kernel messages go out at once. Tornado leaves Nagle's algorithm on for WebSockets: a run's few small
    messages (busy, reply, idle) then wait for the client's delayed ACK, about 40 ms per round trip."""
    self.set_nodelay(True)
    return _open_channels(self, *args, **kwargs)


ZMQChannelsHandler.open = _open_without_nagle


_on_restart_failed = ZMQChannelsHandler.on_restart_failed


def _on_restart_failed_telling_why(self):
    """Tells the client how the kernel's process ended before saying it is dead."""
    end = getattr(self.kernel_manager, "kernel_exits", {}).get(self.kernel_id)
    if end is not None:
        msg = self.session.msg(KERNEL_EXIT_MSG_TYPE, end)
        if self.subprotocol == "v1.kernel.websocket.jupyter.org":
            self.write_message(serialize_msg_to_ws_v1(msg, "iopub", self.session.pack), binary=True)
        else:
            msg["channel"] = "iopub"
            self.write_message(json.dumps(msg, default=json_default))
    _on_restart_failed(self)


ZMQChannelsHandler.on_restart_failed = _on_restart_failed_telling_why
