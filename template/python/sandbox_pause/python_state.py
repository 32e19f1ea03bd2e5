"""Saves and loads the variables of the sandbox's IPython kernel with dill (functions, classes and lambdas defined in
the kernel go by value, imported modules by name). Each variable is a file of its own, so one that cannot be pickled
(an open socket, a generator, a thread) is reported and the others are kept; two names for one object come back as
two copies."""
import json
import os
import shutil

import dill

# IPython's own names in the kernel's namespace, which a new kernel has anyway.
IPYTHON_NAMES = {"In", "Out", "exit", "quit", "get_ipython"}
STATE_FILE = "state.json"


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def save(shell, folder: str) -> dict:
    """Writes every variable of the kernel to `folder`; returns {"saved": [names], "notSaved": {name: reason}}."""
    os.makedirs(folder, exist_ok=True)
    hidden = shell.user_ns_hidden
    files, not_saved = [], {}
    for name, value in list(shell.user_ns.items()):
        if name.startswith("_") or name in IPYTHON_NAMES or (name in hidden and hidden[name] is value):
            continue
        path = os.path.join(folder, f"{len(files) + len(not_saved)}.pkl")
        try:
            with open(path, "wb") as file:
                dill.dump(value, file, protocol=5)
            files.append([name, os.path.basename(path)])
        except Exception as error:  # any object's own pickling may fail in its own way
            os.unlink(path)
            not_saved[name] = _reason(error)
    state = {"files": files, "notSaved": not_saved, "cwd": os.getcwd()}
    with open(os.path.join(folder, STATE_FILE), "w") as file:
        json.dump(state, file)
    return {"saved": [name for name, _ in files], "notSaved": not_saved}


def load(shell, folder: str) -> dict:
    """Puts the variables saved in `folder` back into the kernel and removes the folder; returns
    {"restored": [names], "notRestored": {name: reason}} (not saved at the pause, or failing to load now)."""
    with open(os.path.join(folder, STATE_FILE)) as file:
        state = json.load(file)
    restored, not_restored = [], dict(state["notSaved"])
    for name, path in state["files"]:
        try:
            with open(os.path.join(folder, path), "rb") as file:
                shell.user_ns[name] = dill.load(file)
            restored.append(name)
        except Exception as error:  # e.g. a module that imported at the pause and fails to import now
            not_restored[name] = _reason(error)
    if os.path.isdir(state["cwd"]):
        os.chdir(state["cwd"])
    shutil.rmtree(folder, ignore_errors=True)
    return {"restored": restored, "notRestored": not_restored}
