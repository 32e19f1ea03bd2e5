"""A Java Jupyter kernel: JShell (template/java/KernelServer.java) behind the Jupyter protocol, so variables,
methods, classes and imports persist between executions, and an interrupt stops the running code like Ctrl-C would.

Each run behaves as the same code would as a script:
- the value of a last expression (`x * 2`, or a variable's name) is the run's result, as its toString();
- stdout and stderr stream as the code writes them; stdin is empty;
- an exception or a compilation error ends the run there, with the exception's class, message and stack;
- `System.exit(status)` ends the run there (status 0: success), and the JVM with its state stays.
"""
import base64
import os
import signal
import subprocess

from ipykernel.kernelapp import IPKernelApp
from ipykernel.kernelbase import Kernel

ENGINE_CLASS_PATH = "/opt/sandbox/java"
# On the code's class path: Jackson, whose JsonNode the input variables are (Debian's libjackson2-databind-java).
LIBRARIES = [f"/usr/share/java/{name}.jar" for name in ("jackson-databind", "jackson-core", "jackson-annotations")]


def _decode(field):
    return base64.b64decode(field).decode("utf-8")


class JavaKernel(Kernel):
    implementation = "sandbox-java"
    implementation_version = "1.0"
    language = "java"
    language_version = "17"
    language_info = {
        "name": "java",
        "mimetype": "text/x-java",
        "file_extension": ".jshell",
        "codemirror_mode": "text/x-java",
    }
    banner = "Java (JShell)"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shutting_down = False
        self._start_engine()

    def _start_engine(self):
        self._engine = subprocess.Popen(
            ["java", "-XX:+UseSerialGC", "-cp", ENGINE_CLASS_PATH, "KernelServer", *LIBRARIES],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            # A session of its own: an interrupt signalled to the kernel's process group must not end the JVMs.
            start_new_session=True,
        )
        while True:
            line = self._engine.stdout.readline()
            if not line:
                raise RuntimeError(f"the Java engine did not start (status {self._engine.wait()})")
            if line.strip() == b"READY":
                return

    def _send(self, line):
        self._engine.stdin.write(line.encode("ascii") + b"\n")
        self._engine.stdin.flush()

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False):
        if not code.strip():
            return self._reply_ok()
        self._send("RUN " + base64.b64encode(code.encode("utf-8")).decode("ascii"))
        interrupted = False
        outcome = None

        # An interrupt asks the engine to stop the code; the run then ends as usual, so no line of it is lost.
        def interrupt(signum, frame):
            nonlocal interrupted
            if not interrupted:
                interrupted = True
                self._send("STOP")

        # The kernel app ignores SIGINT outside its handlers; an interrupt must reach this wait.
        previous_handler = signal.signal(signal.SIGINT, interrupt)
        try:
            while True:
                line = self._engine.stdout.readline()
                if not line:
                    break
                # Fields may be empty (an exception without a message, an empty string): split on each space.
                kind, *fields = line.rstrip(b"\n").decode("ascii").split(" ")
                if kind == "DONE":
                    break
                values = [_decode(field) for field in fields]
                if kind in ("OUT", "ERR") and not silent:
                    self.send_response(self.iopub_socket, "stream", {"name": "stdout" if kind == "OUT" else "stderr", "text": values[0]})
                elif kind == "VALUE" and not silent:
                    self.send_response(
                        self.iopub_socket,
                        "execute_result",
                        {"execution_count": self.execution_count, "data": {"text/plain": values[0]}, "metadata": {}},
                    )
                elif kind == "ERROR":
                    outcome = values
        finally:
            signal.signal(signal.SIGINT, previous_handler)

        ended = not line or (outcome is not None and outcome[0] == "JavaExited")
        if ended and not self._shutting_down:
            status = self._engine.wait()
            self._stop_engine()
            self._start_engine()
            why = outcome[1] if outcome is not None else f"the Java engine ended (status {status})"
            return self._reply_error(
                "JavaExited", f"{why}; a new one was started, without the variables and classes of earlier runs"
            )
        if outcome is not None and not (interrupted and outcome[0] == "java.lang.ThreadDeath"):
            name, value, traceback = outcome
            if name == "SystemExit" and value == "0":
                return self._reply_ok()
            return self._reply_error(name, value, traceback.split("\n"))
        if interrupted:
            return self._reply_error("KeyboardInterrupt", "interrupted")
        return self._reply_ok()

    def _reply_ok(self):
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _reply_error(self, name, value, traceback=None):
        content = {"ename": name, "evalue": value, "traceback": traceback or [f"{name}: {value}"]}
        self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}

    def _stop_engine(self):
        # The engine leads a session of its own; the JVM that runs the code is its child there, and ends with it.
        try:
            os.killpg(self._engine.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._engine.wait()

    def do_shutdown(self, restart):
        self._shutting_down = True
        self._stop_engine()
        return super().do_shutdown(restart)


if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=JavaKernel)
