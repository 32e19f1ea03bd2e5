"""Adjustments to jupyter-server 1.23, loaded through its config (kernel_manager_class = sandbox_server.SandboxKernelManager)."""

from jupyter_server.services.kernels.handlers import ZMQChannelsHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class SandboxKernelManager(AsyncMappingKernelManager):
    """Lists a kernel that is still starting instead of failing the whole list.

    jupyter-server 1.23 answers HTTP 500 to GET /api/kernels while a kernel starts: the starting kernel has no
    last_activity yet. Two n8n processes starting a sandbox's first kernel at once would both see that error.
    """

    def kernel_model(self, kernel_id):
        try:
            return super().kernel_model(kernel_id)
        except AttributeError:
            kernel = self._kernels[kernel_id]
            return {"id": kernel_id, "name": kernel.kernel_name, "execution_state": "starting", "connections": 0}


_open_channels = ZMQChannelsHandler.open


def _open_without_nagle(self, *args, **kwargs):
    """Kernel messages go out at once. Tornado leaves Nagle's algorithm on for WebSockets: a run's few small
    messages (busy, reply, idle) then wait for the client's delayed ACK, about 40 ms per round trip."""
    self.set_nodelay(True)
    return _open_channels(self, *args, **kwargs)


ZMQChannelsHandler.open = _open_without_nagle
