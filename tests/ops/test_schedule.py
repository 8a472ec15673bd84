"""Scheduled runs: a real `prefect server`, `docarchive schedule --every 5`, files dropped between runs.

Everything runs as it does for a user: the server on loopback with its own PREFECT_HOME (its
first start creates its SQLite database), the schedule command in another process, the
archive read with `docarchive sql` while scheduled runs write to it. Both process groups are
stopped at the end, whatever happened.
"""

from __future__ import annotations

import json
import socket
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from tests.ops.conftest import DOCARCHIVE, docarchive_env, group_members, run_docarchive
from tests.ops.corpus import file_bytes, write_atomically, write_corpus

PREFECT = str(Path(sys.executable).parent / "prefect")
EVERY_S = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(url: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait_for(what: str, check, timeout_s: float, every_s: float = 1.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


@pytest.fixture
def prefect_server(tmp_path, processes):
    """`prefect server start` on a free loopback port, with its own PREFECT_HOME; its API URL."""
    home = tmp_path / "prefect-home"
    port = _free_port()
    env = docarchive_env(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false")
    log = tmp_path / "prefect-server.log"
    server = processes.start([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], log, env=env)
    api_url = f"http://127.0.0.1:{port}/api"

    def healthy():
        assert server.poll() is None, f"prefect server exited:\n{log.read_text()[-3000:]}"
        try:
            return _api(api_url, "/health") is True
        except OSError:
            return False

    _wait_for("the Prefect server to answer /api/health", healthy, timeout_s=180, every_s=0.5)
    return api_url, home


def _archived(warehouse: Path) -> dict:
    rows = json_rows(warehouse, "select count(*) filter (where superseded_at is null) as current, "
                                "count(*) filter (where superseded_at is not null) as superseded, "
                                "count(distinct source_path) as paths from sources")
    return rows[0] if rows else {"current": 0, "superseded": 0, "paths": 0}


READS: list[tuple[int, str]] = []  # every `docarchive sql` made while the schedule ran: (exit code, stderr)


def json_rows(warehouse: Path, query: str) -> list[dict]:
    if not (warehouse / "archive.duckdb").exists():
        return []
    result = run_docarchive("sql", query, "--warehouse", str(warehouse), "--format", "json", timeout=120)
    READS.append((result.returncode, result.stderr))
    return json.loads(result.stdout) if result.returncode == 0 else []


def _runs(warehouse: Path) -> list[dict]:
    return json_rows(warehouse, "select run_id, status, files_new, files_changed, documents_added, "
                                "started_at, finished_at from runs order by started_at")


@pytest.mark.slow
def test_scheduled_runs_archive_dropped_files_exactly_once(tmp_path, prefect_server, processes):
    api_url, home = prefect_server
    source, warehouse = tmp_path / "source", tmp_path / "warehouse"
    write_corpus(source, 5, seed=9)
    env = docarchive_env(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
                         PREFECT_RUNNER_POLL_FREQUENCY="2")
    env.pop("PREFECT_LOGGING_LEVEL", None)
    log = tmp_path / "schedule.log"
    served = processes.start([*DOCARCHIVE, "schedule", str(source), "--every", str(EVERY_S),
                              "--warehouse", str(warehouse)], log, env=env)
    READS.clear()
    started = time.monotonic()

    def arrived(current: int, superseded: int = 0):
        def check():
            assert served.poll() is None, f"docarchive schedule exited:\n{log.read_text()[-3000:]}"
            state = _archived(warehouse)
            return state if (state["current"], state["superseded"]) == (current, superseded) else None
        return check

    _wait_for("the first scheduled run to archive 5 files", arrived(5), timeout_s=120)
    first_arrival = time.monotonic() - started
    write_corpus(source, 10, seed=9, start=5)
    _wait_for("10 dropped files", arrived(15), timeout_s=90)
    write_corpus(source, 15, seed=9, start=15)
    changed_rel, changed_raw = file_bytes(2, seed=9)
    write_atomically(source / changed_rel, changed_raw + "补充说明:本文件已于今日更新,以此版本为准。\n".encode("utf-8"))
    _wait_for("15 more files and a changed one", arrived(30, 1), timeout_s=90)

    # Two more runs that find nothing new, then nothing may have changed.
    runs_now = len(_runs(warehouse))
    _wait_for("two more scheduled runs", lambda: len(_runs(warehouse)) >= runs_now + 2, timeout_s=90)
    state = _archived(warehouse)
    assert state == {"current": 30, "superseded": 1, "paths": 30}
    per_path = json_rows(warehouse, "select source_path, count(*) filter (where superseded_at is null) as n "
                                    "from sources group by 1 having n <> 1")
    assert per_path == []
    docs = json_rows(warehouse, "select count(*) as n, count(distinct doc_id) as ids, "
                                "count(*) filter (where superseded_at is null) as current from documents")[0]
    assert docs == {"n": 31, "ids": 31, "current": 30}

    runs = _runs(warehouse)
    assert {r["status"] for r in runs} == {"ok"}, runs
    assert sum(r["files_new"] for r in runs) == 30 and sum(r["files_changed"] for r in runs) == 1
    spans = sorted((datetime.fromisoformat(r["started_at"]), datetime.fromisoformat(r["finished_at"])) for r in runs)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:])), "two runs overlapped"

    # Every `docarchive sql` made while scheduled runs were writing succeeded.
    assert READS and all(code == 0 for code, _ in READS), [err for code, err in READS if code]

    # Prefect's side: completed flow runs, each with its ingest-summary artifact; a cancelled
    # run was cancelled for the concurrency limit.
    flow_runs = _api(api_url, "/flow_runs/filter", {"limit": 200})
    completed = [r for r in flow_runs if r["state_type"] == "COMPLETED"]
    assert {r["id"] for r in completed} >= {r["run_id"] for r in runs}
    for cancelled in (r for r in flow_runs if r["state_type"] == "CANCELLED"):
        assert "concurrency limit" in (cancelled["state"]["message"] or ""), cancelled["state"]
    artifacts = _api(api_url, "/artifacts/filter", {"artifacts": {"key": {"any_": ["ingest-summary"]}}, "limit": 200})
    by_run = {a["flow_run_id"]: a["data"] for a in artifacts}
    for run in runs:
        assert f"**documents_added**: {run['documents_added']}" in by_run[run["run_id"]]

    # Stopping: SIGTERM ends the command cleanly and pauses the schedule.
    processes.stop_group(served, grace_s=30)
    output = log.read_text()
    assert served.returncode == 0, output[-3000:]
    assert "stopped; the schedule is paused" in output and "Traceback" not in output, output[-3000:]
    assert group_members(served.pid) == []
    deployments = _api(api_url, "/deployments/filter", {})
    assert [d["paused"] for d in deployments] == [True]
    noted = output.count("the previous run of this schedule is still in progress, so it is cancelled")
    print(f"first scheduled run archived its files {first_arrival:.1f} s after `docarchive schedule` started; "
          f"{len(runs)} runs, {len(READS)} reads, {sum(r['state_type'] == 'CANCELLED' for r in flow_runs)} "
          f"overlapping runs cancelled ({noted} said so in the command's log)")
