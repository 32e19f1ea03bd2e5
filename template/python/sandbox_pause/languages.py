"""What each kernel runs to save its state into STATE_DIR/<kernel> and to load it again. Each prints MARK + JSON:
saving {"saved": [names], "notSaved": {name: reason}}, loading {"restored": [names], "notRestored": {name: reason}}."""
import os

from .kernels import MARK

STATE_DIR = "/home/user/.sandbox-state"

# python_state is loaded from its file: a module of the code's own with the package's name must not stand in for it.
PYTHON_STATE = f"""
import importlib.util as __sbx_util, json as __sbx_json
__sbx_spec = __sbx_util.spec_from_file_location("__sbx_python_state", {os.path.join(os.path.dirname(__file__), "python_state.py")!r})
__sbx_state = __sbx_util.module_from_spec(__sbx_spec)
__sbx_spec.loader.exec_module(__sbx_state)
print({MARK!r} + __sbx_json.dumps(__sbx_state.{{step}}(get_ipython(), "{STATE_DIR}/python3")))
del __sbx_util, __sbx_json, __sbx_spec, __sbx_state
"""
PYTHON_SAVE = PYTHON_STATE.replace("{step}", "save")
PYTHON_LOAD = PYTHON_STATE.replace("{step}", "load")

# The global environment in one .RData (R's own format; an external pointer, such as a database connection, comes
# back as a null pointer), the attached packages in search order, the working directory.
R_SAVE = f"""
local({{
  folder <- "{STATE_DIR}/ir"
  dir.create(folder, recursive = TRUE, showWarnings = FALSE)
  # .pbd_env is the kernel's own (pbdZMQ's), not the code's.
  names <- setdiff(ls(globalenv(), all.names = TRUE), ".pbd_env")
  save(list = names, envir = globalenv(), file = file.path(folder, "globalenv.RData"))
  writeLines(.packages(), file.path(folder, "packages.txt"))
  writeLines(getwd(), file.path(folder, "cwd.txt"))
  cat({MARK!r}, jsonlite::toJSON(list(saved = I(setdiff(names, ".Random.seed")), notSaved = structure(list(), names = character(0))), auto_unbox = TRUE), "\\n", sep = "")
}})
"""
R_LOAD = f"""
local({{
  folder <- "{STATE_DIR}/ir"
  failed <- list()
  for (package in rev(readLines(file.path(folder, "packages.txt")))) {{
    loaded <- tryCatch({{ suppressPackageStartupMessages(library(package, character.only = TRUE)); TRUE }}, error = function(e) conditionMessage(e))
    if (!isTRUE(loaded)) failed[[paste0("library(", package, ")")]] <- loaded
  }}
  names <- load(file.path(folder, "globalenv.RData"), envir = globalenv())
  cwd <- readLines(file.path(folder, "cwd.txt"))
  if (dir.exists(cwd)) setwd(cwd)
  unlink(folder, recursive = TRUE)
  if (length(failed) == 0) failed <- structure(list(), names = character(0))
  cat({MARK!r}, jsonlite::toJSON(list(restored = I(setdiff(names, ".Random.seed")), notRestored = failed), auto_unbox = TRUE), "\\n", sep = "")
}})
"""

# Variables (with their attributes: exported, arrays, integers), functions, aliases and the working directory, as
# bash prints them to be read back; the kernel's own (__sbx_*, exit, trap), bash's (BASH*, PPID, …) and the
# environment the kernel started with stay out.
BASH_SAVE = f"""
__sbx_folder={STATE_DIR}/bash
mkdir -p "$__sbx_folder"
__sbx_initial=$(tr '\\0' '\\n' < /proc/$__sbx_shell/environ)
__sbx_variables=$(compgen -v | grep -Ev '^(__sbx_|BASH|COMP_|HIST|FUNCNAME$|GROUPS$|DIRSTACK$|PIPESTATUS$|EUID$|UID$|PPID$|SHELLOPTS$|LINENO$|RANDOM$|SRANDOM$|SECONDS$|EPOCH|PWD$|OLDPWD$|PS[0-9]$|PROMPT_COMMAND$|OPTIND$|OPTERR$|_$|SHLVL$|COLUMNS$|LINES$|HOSTNAME$|HOSTTYPE$|MACHTYPE$|OSTYPE$|MAILCHECK$|SHELL$)' | while read -r __sbx_name; do
  # As the kernel started: its environment unchanged, and bash's own IFS.
  if [[ $__sbx_name == IFS && $IFS == $' \\t\\n' ]]; then continue; fi
  if [[ ${{!__sbx_name@a}} == *x* ]] && grep -qxF -- "$__sbx_name=${{!__sbx_name}}" <<<"$__sbx_initial"; then continue; fi
  echo "$__sbx_name"
done)
__sbx_functions=$(compgen -A function | grep -Ev '^(__sbx_|exit$|trap$)')
{{
  for __sbx_name in $__sbx_variables; do declare -p "$__sbx_name" 2>/dev/null; done
  for __sbx_name in $__sbx_functions; do declare -f "$__sbx_name"; done
  alias -p
  printf 'cd %q\\n' "$PWD"
}} > "$__sbx_folder/state.sh"
printf '%s\\n' $__sbx_variables $__sbx_functions > "$__sbx_folder/names.txt"
printf '%s%s\\n' {MARK!r} "$(jq -Rsc '{{saved: (split("\\n") | map(select(. != ""))), notSaved: {{}}}}' "$__sbx_folder/names.txt")"
unset __sbx_folder __sbx_initial __sbx_variables __sbx_functions __sbx_name
"""
BASH_LOAD = f"""
__sbx_folder={STATE_DIR}/bash
__sbx_names=$(jq -Rsc '{{restored: (split("\\n") | map(select(. != ""))), notRestored: {{}}}}' "$__sbx_folder/names.txt")
. "$__sbx_folder/state.sh" 2>/dev/null
rm -rf "$__sbx_folder"
printf '%s%s\\n' {MARK!r} "$__sbx_names"
unset __sbx_folder __sbx_names
"""

SAVE = {"python3": PYTHON_SAVE, "ir": R_SAVE, "bash": BASH_SAVE}
LOAD = {"python3": PYTHON_LOAD, "ir": R_LOAD, "bash": BASH_LOAD}
# Kernels whose state lives only in their process: Deno's and JShell's values cannot be written out.
LOST = {
    "deno": "JavaScript and TypeScript variables live only in the running kernel; they do not survive a pause",
    "java": "Java (JShell) variables live only in the running kernel; they do not survive a pause",
}
