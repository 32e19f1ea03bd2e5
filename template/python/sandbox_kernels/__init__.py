"""Jupyter kernels of the sandbox image that Debian does not package."""
