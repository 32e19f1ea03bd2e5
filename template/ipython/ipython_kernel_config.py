# Python kernel settings of the sandbox: our display formatters add `e2b/data` (DataFrames, Series) and `e2b/chart`
# (matplotlib figures) to the formats a result carries (template/python/sandbox_display).
c = get_config()  # noqa: F821
c.InteractiveShellApp.extensions = ["sandbox_display"]
# Figures stay open after the run that drew them, for Get Chart without code; the next run closes them
# (sandbox_display/figures.py).
c.InlineBackend.close_figures = False
