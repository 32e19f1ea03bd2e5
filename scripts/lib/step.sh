# Sourced by the set-up scripts. `step NAME COMMAND…` runs one set-up step quietly; when it fails it says which step,
# the command and the end of its output (stdout and stderr), and stops the script: no step fails without saying why.
step() {
  local name="$1"
  shift
  local output
  if ! output="$("$@" 2>&1)"; then
    echo "Set-up failed at the step \"$name\" ($*)${step_where:+, in $step_where}:" >&2
    echo "$output" | tail -40 >&2
    exit 1
  fi
}

# `in_dir DIR COMMAND…`: the command run in DIR (a step runs in a subshell, so the script stays where it was).
in_dir() {
  cd "$1" && shift && "$@"
}
