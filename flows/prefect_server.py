"""Prefect's local API server for a run: kept warm between runs, or temporary.

With no `PREFECT_API_URL`, Prefect's client starts a temporary server in each process that
needs one (`SubprocessASGIServer`): ~3 s of server boot plus ~2.6 s of importing the server
package into the *client* process, and once more in every worker process of a process pool.
Here the CLI launches the very same server app itself, before it imports Prefect, so the
server boots while the CLI imports the flow; its URL goes into the environment, where Prefect's
settings and the worker processes find it.

Two ways to run it:
- `KeptServer` (the default): the server outlives the run and stops itself after
  `idle_seconds` without a request (`flows.prefect_daemon`); the next run within that time
  finds it through a state file in PREFECT_HOME and starts in ~2 s instead of ~5.
- `TemporaryServer` (idle time 0): a child that dies with its parent (Linux
  `PR_SET_PDEATHSIG`), so a run killed with SIGKILL leaves no server behind.
"""

from __future__ import annotations

import atexit
import fcntl
import importlib.metadata
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class ServerStartError(RuntimeError):
    """Prefect's local server did not come up; the message says what it printed."""


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


def _home() -> Path:
    from flows.prefect_env import prefect_home

    return prefect_home()


def _server_env() -> dict[str, str]:
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
           # The ingest flow uses no blocks: registering Prefect's block types (and importing
           # every installed collection to check whether they changed) made the server
           # answer in 3.4 s instead of 3.0, and 9.1 s instead of 8.3 with an empty
           # PREFECT_HOME (2-core machine, 3 starts each).
           "PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
    env.pop("PREFECT_API_URL", None)
    return env


def _answers(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_answers(api_url: str, alive, log_path: Path, timeout_s: float) -> None:
    """Poll the server's health until it answers; fail with its log if `alive()` turns false."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not alive():
            output = log_path.read_text(encoding="utf-8", errors="replace")[-2000:] if log_path.exists() else ""
            raise ServerStartError(f"Prefect's local server exited before answering (its log: {log_path}): {output}")
        if _answers(api_url):
            return
        time.sleep(0.05)
    raise ServerStartError(f"Prefect's local server did not answer within {timeout_s:.0f} s (its log: {log_path})")


class TemporaryServer:
    """`prefect.server.api.server:create_app` under uvicorn on a free loopback port, for one run."""

    reused = False

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = None
        self.log_path = _home() / "temporary-server.log"

    def launch(self) -> None:
        """Start the server process and return at once; `wait_ready` waits for it."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # A file, not a pipe: a chatty server must never block on a full pipe buffer.
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--app-dir", str(_prefect_package_parent()), "--factory",
                 "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                 "--log-level", "error", "--lifespan", "on"],
                env=_server_env(), stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        atexit.register(self.stop)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        try:
            _wait_until_answers(self.api_url, lambda: self.process.poll() is None, self.log_path, timeout_s)
        except ServerStartError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) answers kill(0) too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _runs_daemon(pid: int) -> bool:
    """Whether process `pid` is a kept server (not another process that got its pid since)."""
    try:
        return b"flows.prefect_daemon" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return not Path("/proc").is_dir()  # no /proc to ask: trust the state file


class KeptServer:
    """A local server that outlives the run by `idle_seconds` and serves the runs that follow.

    Its address, process and versions are in PREFECT_HOME/docarchive-server.json. A run uses
    the server named there when that process is alive and runs this Python with this Prefect
    (an upgrade gets a new server); else it launches one. Finding and launching happen under a
    file lock, so two runs starting together share one server.
    """

    STATE_FILE = "docarchive-server.json"

    def __init__(self, state: dict, process: subprocess.Popen | None, home: Path) -> None:
        self.state = state
        self.api_url: str = state["api_url"]
        self.pid: int = state["pid"]
        self.process = process
        self.reused = process is None
        self.log_path = home / "docarchive-server.log"

    @staticmethod
    def wanted_state() -> dict:
        return {"python": sys.executable, "prefect": importlib.metadata.version("prefect")}

    @classmethod
    def running(cls, home: Path | None = None) -> KeptServer | None:
        """The server a run may use, from the state file, or None."""
        home = home or _home()
        try:
            state = json.loads((home / cls.STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or not {"pid", "api_url"} <= state.keys():
            return None
        if not _alive(state["pid"]) or not _runs_daemon(state["pid"]):
            return None
        if any(state.get(k) != v for k, v in cls.wanted_state().items()):
            return None
        return cls(state, None, home)

    @classmethod
    def find_or_launch(cls, idle_seconds: float) -> KeptServer:
        """The running server (its idle clock restarted by a request), else a new one."""
        home = _home()
        home.mkdir(parents=True, exist_ok=True)
        with open(home / "docarchive-server.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            found = cls.running(home)
            if found is not None:
                _answers(found.api_url)  # a request: its idle clock restarts now
                return found
            return cls._launch(home, idle_seconds)

    @classmethod
    def _launch(cls, home: Path, idle_seconds: float) -> KeptServer:
        port = _free_port()
        state_file = home / cls.STATE_FILE
        with open(home / "docarchive-server.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flows.prefect_daemon", "--port", str(port), "--idle-seconds", str(idle_seconds),
                 "--state-file", str(state_file)],
                env=_server_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # not stopped by the terminal's Ctrl-C or hang-up meant for the run
            )
        state = {"pid": process.pid, "api_url": f"http://127.0.0.1:{port}/api", "idle_seconds": idle_seconds,
                 "started_at": time.time(), **cls.wanted_state()}
        partial = state_file.with_suffix(".tmp")
        partial.write_text(json.dumps(state), encoding="utf-8")
        os.replace(partial, state_file)
        return cls(state, process, home)

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        alive = (lambda: self.process.poll() is None) if self.process is not None else (lambda: _alive(self.pid))
        _wait_until_answers(self.api_url, alive, self.log_path, timeout_s)

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Ask the server to stop (SIGTERM) and wait for it; True if it is gone."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if (self.process.poll() is not None) if self.process is not None else not _alive(self.pid):
                return True
            time.sleep(0.05)
        return False


def server_for_run(idle_seconds: float) -> TemporaryServer | KeptServer:
    """The server a CLI run uses, launched if need be; call `wait_ready()` before using it."""
    if idle_seconds <= 0:
        server = TemporaryServer()
        server.launch()
        return server
    return KeptServer.find_or_launch(idle_seconds)
