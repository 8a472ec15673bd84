"""Prefect's temporary local API server, started early and shared by every process of a run.

With no `PREFECT_API_URL`, Prefect's client starts a temporary server in each process that
needs one (`SubprocessASGIServer`): ~3 s of server boot plus ~2.6 s of importing the server
package into the *client* process, and once more in every worker process of a process pool.
Here the CLI launches the very same server command itself, before it imports Prefect, so the
server boots while the CLI imports the flow; its URL goes into the environment, where Prefect's
settings and the worker processes find it.

The server runs as a child that dies with its parent (Linux `PR_SET_PDEATHSIG`), so a run
killed with SIGKILL leaves no server behind.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class ServerStartError(RuntimeError):
    """Prefect's temporary server did not come up; the message says what it printed."""


def _prefect_package_parent() -> Path:
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise ServerStartError("Prefect is not installed in this environment: reinstall docarchive")
    return Path(spec.origin).parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the atexit handler still stops the server on a normal exit


class TemporaryServer:
    """`prefect.server.api.server:create_app` under uvicorn on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def launch(self) -> None:
        """Start the server process and return at once; `wait_ready` waits for it."""
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
               # The ingest flow uses no blocks: registering Prefect's block types (and importing
               # every installed collection to check whether they changed) made the server
               # answer in 3.4 s instead of 3.0, and 9.1 s instead of 8.3 with an empty
               # PREFECT_HOME (2-core machine, 3 starts each).
               "PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
        env.pop("PREFECT_API_URL", None)
        # A file, not a pipe: a chatty server must never block on a full pipe buffer.
        self.log_path = Path(os.environ.get("PREFECT_HOME", ".")) / "temporary-server.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(_prefect_package_parent()), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        log.close()  # the child holds its own handle
        atexit.register(self.stop)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise ServerStartError(
                    f"Prefect's temporary server exited with code {self.process.returncode} "
                    f"(its log: {self.log_path}): {output}"
                )
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise ServerStartError(f"Prefect's temporary server did not answer within {timeout_s:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
