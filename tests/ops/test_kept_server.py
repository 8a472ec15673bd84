"""Prefect's local server kept warm between runs (`flows.prefect_server.KeptServer`).

Real `docarchive` processes against the test session's Prefect home; every test stops the
server it kept, whatever happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.prefect_daemon import ActivityTracker
from flows.prefect_server import KeptServer
from tests.conftest import SEEDS
from tests.ops.conftest import DOCARCHIVE, docarchive_env, run_docarchive, sql_json


def _home() -> Path:
    return Path(os.environ["PREFECT_HOME"])


def _state() -> dict | None:
    path = _home() / KeptServer.STATE_FILE
    return json.loads(path.read_text()) if path.exists() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def kept(request):
    """The environment of runs that keep their server; the kept server is stopped at the end."""
    run_docarchive("stop-server")  # none left by an earlier test
    yield docarchive_env(DOCARCHIVE_PREFECT_IDLE_SECONDS=getattr(request, "param", "60"))
    state = _state()
    run_docarchive("stop-server")
    if state and _alive(state["pid"]):
        os.kill(state["pid"], 9)


def _documents(warehouse: Path) -> list[dict]:
    return sql_json(warehouse, "select source_path, text from documents order by source_path, text")


def test_the_next_run_uses_the_kept_server_until_it_is_stopped(tmp_path, kept):
    first = run_docarchive("ingest", str(SEEDS), "--warehouse", str(tmp_path / "a"), env=kept)
    assert first.returncode == 0, first.stderr
    assert "Starting Prefect's local server" in first.stderr
    state = _state()
    assert state is not None and _alive(state["pid"]), "the server did not outlive the run that started it"
    assert os.getsid(state["pid"]) != os.getsid(os.getpid()), "the kept server must not share the run's session"

    second = run_docarchive("ingest", str(SEEDS), "--warehouse", str(tmp_path / "b"), env=kept)
    assert second.returncode == 0, second.stderr
    assert f"kept by an earlier run (pid {state['pid']})" in second.stderr
    assert _state() == state
    assert _documents(tmp_path / "b") == _documents(tmp_path / "a") != []

    stopped = run_docarchive("stop-server", env=kept)
    assert f"stopped Prefect's local server (pid {state['pid']})" in stopped.stdout
    assert _wait_gone(state["pid"], 10)
    assert _state() is None, "a stopped server must delete its state file"
    assert "no kept Prefect server" in run_docarchive("stop-server", env=kept).stdout


@pytest.mark.parametrize("kept", ["5"], indirect=True)
def test_a_kept_server_stops_itself_once_idle(tmp_path, kept):
    run = run_docarchive("ingest", str(SEEDS), "--warehouse", str(tmp_path / "a"), env=kept)
    assert run.returncode == 0, run.stderr
    pid = _state()["pid"]
    assert _alive(pid)
    assert _wait_gone(pid, 30), "the server was still running 30 s after its 5 s of idle time"
    assert _state() is None


def test_runs_started_together_share_one_server(tmp_path, kept):
    runs = [subprocess.Popen([*DOCARCHIVE, "ingest", str(SEEDS), "--warehouse", str(tmp_path / name)],
                             env=kept, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("a", "b")]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    errors = sorted(err for _, err in outputs)
    assert sum("Starting Prefect's local server" in err for err in errors) == 1, errors
    assert sum(f"kept by an earlier run (pid {_state()['pid']})" in err for err in errors) == 1, errors
    assert _documents(tmp_path / "a") == _documents(tmp_path / "b") != []


# --- which state files name a usable server (no server started) -------------------------------
def _write_state(home: Path, **fields) -> None:
    (home / KeptServer.STATE_FILE).write_text(json.dumps({"api_url": "http://127.0.0.1:9/api", **fields}))


def test_a_state_file_naming_a_dead_or_foreign_process_or_another_prefect_is_ignored(tmp_path):
    wanted = KeptServer.wanted_state()
    daemon = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "flows.prefect_daemon"])
    try:
        _write_state(tmp_path, pid=daemon.pid, **wanted)
        assert KeptServer.running(tmp_path).pid == daemon.pid
        _write_state(tmp_path, pid=daemon.pid, **{**wanted, "prefect": "0.0.1"})
        assert KeptServer.running(tmp_path) is None, "a server of another Prefect version must not be reused"
        _write_state(tmp_path, pid=os.getpid(), **wanted)
        assert KeptServer.running(tmp_path) is None, "a live process that is not a kept server was trusted"
    finally:
        daemon.kill()
        daemon.wait()
    _write_state(tmp_path, pid=daemon.pid, **wanted)
    assert KeptServer.running(tmp_path) is None, "a dead process was trusted"
    (tmp_path / KeptServer.STATE_FILE).write_text("{not json")
    assert KeptServer.running(tmp_path) is None


def test_an_unusable_idle_time_is_a_clear_error(tmp_path):
    run = run_docarchive("ingest", str(SEEDS), "--warehouse", str(tmp_path / "a"),
                         env=docarchive_env(DOCARCHIVE_PREFECT_IDLE_SECONDS="soon"))
    assert run.returncode == 1
    assert "DOCARCHIVE_PREFECT_IDLE_SECONDS='soon' is not a number of seconds" in run.stderr


# --- the idle clock -------------------------------------------------------------------------
def test_the_idle_clock_runs_only_while_no_request_or_websocket_is_open():
    entered, release = asyncio.Event(), asyncio.Event()

    async def app(scope, receive, send):
        entered.set()
        await release.wait()

    async def scenario():
        tracker = ActivityTracker(app)
        tracker.last_closed -= 100
        assert tracker.idle_seconds() >= 100
        for kind in ("websocket", "http"):
            entered.clear()
            release.clear()
            call = asyncio.create_task(tracker({"type": kind}, None, None))
            await entered.wait()
            assert tracker.idle_seconds() == 0 and tracker.open_connections == 1
            release.set()
            await call
            assert tracker.open_connections == 0 and tracker.idle_seconds() < 1
        tracker.last_closed -= 100
        release.set()
        await tracker({"type": "lifespan"}, None, None)
        assert tracker.idle_seconds() >= 100, "the app's start-up and shutdown are not requests"

    asyncio.run(scenario())
