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
