# Python kernel settings of the sandbox: our display formatters add `e2b/data` (DataFrames, Series) and `e2b/chart`
# (matplotlib figures) to the formats a result carries (template/python/sandbox_display).
c = get_config()  # noqa: F821
c.InteractiveShellApp.extensions = ["sandbox_display"]
