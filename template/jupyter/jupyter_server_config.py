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
