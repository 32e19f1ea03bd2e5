"""`python3 -m sandbox_pause save`: every kernel saves its state (printed: what each language kept);
`python3 -m sandbox_pause restore`: after a resume, the saved languages' kernels start and load it (printed: what each
got back; sandbox-init keeps it where the backend reads it). As the sandbox's user, with JUPYTER_TOKEN set."""
import json
import os
import shutil
import sys
import time

from .kernels import KernelRunError, api, run_marked, running_kernels, start_kernel
from .languages import LOAD, LOST, SAVE, STATE_DIR

MANIFEST = os.path.join(STATE_DIR, "manifest.json")
# sandbox-init's record of a restore under way (the pid of the root shell that waits for it).
RESTORE_PID_FILE = "/run/sandbox/restore.pid"
# The restore's report goes to sandbox-init through stdout, into a small root-owned tmpfs: longer lists are cut.
MAX_NAMES = 200
# The node's names for the kernels' languages (Deno runs both JavaScript and TypeScript).
LANGUAGES = {"python3": "python", "ir": "r", "bash": "bash", "deno": "javascript", "java": "java"}
# A run still going when the sandbox pauses (the save has not started after INTERRUPT_AFTER_S) is interrupted; one that
# ignores the interrupt this long is given up.
INTERRUPT_AFTER_S = 1
INTERRUPT_WITHIN_S = 10
SAVE_WITHIN_S = 300
LOAD_WITHIN_S = 120
SERVER_WITHIN_S = 60


def restore_running() -> bool:
    try:
        with open(RESTORE_PID_FILE) as file:
            with open(f"/proc/{int(file.read())}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, ValueError, IndexError):
        return False


def save() -> dict:
    # A resume's restore still loading: the state it loads is the state to save.
    until = time.monotonic() + LOAD_WITHIN_S * len(LOAD)
    while restore_running():
        if time.monotonic() > until:
            raise KernelRunError("the sandbox is still resuming")
        time.sleep(0.2)
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    os.makedirs(STATE_DIR)
    manifest = {}
    for name, kernel in running_kernels().items():
        if name not in LANGUAGES:
            continue
        if name in LOST:
            manifest[name] = {"lost": LOST[name]}
            continue
        try:
            manifest[name] = run_marked(kernel["id"], SAVE[name], SAVE_WITHIN_S, INTERRUPT_AFTER_S, INTERRUPT_WITHIN_S)
        except (KernelRunError, OSError, ValueError) as error:
            manifest[name] = {"lost": f"saving failed: {error}"}
    with open(MANIFEST, "w") as file:
        json.dump(manifest, file)
    return {LANGUAGES[name]: state for name, state in manifest.items()}


def wait_for_server() -> None:
    until = time.monotonic() + SERVER_WITHIN_S
    while True:
        try:
            api("GET")
            return
        except OSError:
            if time.monotonic() > until:
                raise
            time.sleep(0.2)


def restore() -> dict:
    try:
        with open(MANIFEST) as file:
            manifest = json.load(file)
    except FileNotFoundError:
        return {}
    wait_for_server()
    result = {}
    for name, saved in manifest.items():
        if name not in LOAD or "lost" in saved:
            result[name] = saved
            continue
        try:
            result[name] = run_marked(start_kernel(name, SERVER_WITHIN_S), LOAD[name], LOAD_WITHIN_S)
        except (KernelRunError, OSError, ValueError) as error:
            result[name] = {"lost": f"loading failed: {error}"}
    os.remove(MANIFEST)
    return {LANGUAGES[name]: state for name, state in result.items()}


def shortened(languages: dict) -> dict:
    """At most MAX_NAMES names per list, with how many were left out."""
    def cut(names):
        return names if len(names) <= MAX_NAMES else [*names[:MAX_NAMES], f"… and {len(names) - MAX_NAMES} more"]

    def cut_reasons(reasons):
        kept = dict(list(reasons.items())[:MAX_NAMES])
        if len(reasons) > MAX_NAMES:
            kept["…"] = f"and {len(reasons) - MAX_NAMES} more"
        return kept

    return {
        language: {key: cut(value) if isinstance(value, list) else cut_reasons(value) if isinstance(value, dict) else value for key, value in state.items()}
        for language, state in languages.items()
    }


def main() -> int:
    if sys.argv[1:] == ["save"]:
        try:
            print(json.dumps(shortened(save())))
        except KernelRunError as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    if sys.argv[1:] == ["restore"]:
        try:
            print(json.dumps({"languages": shortened(restore())}))
        except Exception as error:  # the backend reports it; the sandbox runs on without the saved state
            print(json.dumps({"error": f"{type(error).__name__}: {error}"[:500]}))
        return 0
    print("usage: python3 -m sandbox_pause save|restore", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
