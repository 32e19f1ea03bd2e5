# Python kernel settings of the sandbox. sandbox_display: our display formatters add `e2b/data` (DataFrames, Series) and `e2b/chart`
# (matplotlib figures) to the formats a result carries. sandbox_script: a run behaves as the same code would as a script
# (input, exit, late output of threads, installs). Both in template/python.
c = get_config()  # noqa: F821
c.InteractiveShellApp.extensions = ["sandbox_display", "sandbox_script"]
# Figures stay open after the run that drew them, for Get Chart without code; the next run closes them
# (sandbox_display/figures.py).
c.InlineBackend.close_figures = False
