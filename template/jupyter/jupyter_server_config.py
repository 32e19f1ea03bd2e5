# Jupyter server settings of the sandbox. The token comes from JUPYTER_TOKEN, set per sandbox by the backend.
c = get_config()  # noqa: F821
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.port = 8888
c.ServerApp.open_browser = False
c.ServerApp.root_dir = "/home/user"
c.ServerApp.allow_remote_access = True
c.ServerApp.disable_check_xsrf = False
# Kernels idle in a sandbox keep their state: never cull them; the sandbox's own deadline ends everything.
c.MappingKernelManager.cull_idle_timeout = 0
c.MappingKernelManager.default_kernel_name = "python3"
# A kernel that dies is dropped, not restarted: the client is told "dead" at once, and the next run starts a fresh
# kernel. Checked every half second so that the error comes quickly.
c.KernelRestarter.restart_limit = 0
c.KernelRestarter.time_to_dead = 0.5
# Lists kernels that are still starting (template/python/sandbox_server.py).
c.ServerApp.kernel_manager_class = "sandbox_server.SandboxKernelManager"
# The code's input variables travel as hidden files (.n8n-input-*) written through the contents API.
c.ContentsManager.allow_hidden = True
# The server's own output rate limits drop output silently (a big chart, a long table): the node caps outputs itself.
c.ServerApp.iopub_data_rate_limit = 0
c.ServerApp.iopub_msg_rate_limit = 0
