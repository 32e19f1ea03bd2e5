"""A sandbox's pause and resume on Docker: what its kernels hold is saved into files before the container stops, and
loaded into fresh kernels when it starts again (see template/bin/sandbox-pause and sandbox-init).

`python3 -m sandbox_pause save` and `python3 -m sandbox_pause restore`, as the sandbox's user, with JUPYTER_TOKEN set.
"""
