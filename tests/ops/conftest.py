"""Helpers for the operations tests: real `docarchive` processes, cleaned up whatever happens.

Every process is started in its own session (its own process group), and the `processes`
fixture kills each group at teardown — SIGTERM, then SIGKILL — so a failing test leaves no
ingest, Prefect server or worker behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

DOCARCHIVE = [sys.executable, "-m", "flows.cli"]


def docarchive_env(**extra: str) -> dict[str, str]:
    """The environment of a `docarchive` subprocess: the test session's Prefect home, no API URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "DOCARCHIVE_WAREHOUSE")}
    env.update(extra)
    return env


class Processes:
    """Start processes in their own process groups; stop every group at the end."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, args: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.Popen:
        handle = open(log, "ab")
        try:
            process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=env or docarchive_env(), cwd=cwd, start_new_session=True)
        finally:
            handle.close()
        self.started.append(process)
        return process

    @staticmethod
    def stop_group(process: subprocess.Popen, grace_s: float = 10.0) -> None:
        """SIGTERM the process's group, then SIGKILL whatever is left of it."""
        for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and group_alive(process.pid):
                if process.poll() is None:
                    try:
                        process.wait(timeout=0.1)
                    except subprocess.TimeoutExpired:
                        pass
                else:
                    time.sleep(0.1)
            if not group_alive(process.pid):
                break
        if process.poll() is None:
            process.wait(timeout=5)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop_group(process)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Zombies of our own children count as gone.
    return any(_is_live_member(pid, pgid) for pid in _pids())


def group_members(pgid: int) -> list[str]:
    """Command lines of the live processes of a process group."""
    members = []
    for pid in _pids():
        if _is_live_member(pid, pgid):
            try:
                members.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
            except OSError:
                pass
    return members


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _is_live_member(pid: int, pgid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[0] != "Z" and int(fields[2]) == pgid


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


def run_docarchive(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`docarchive ARGS…` in a real process (its own group, killed on timeout)."""
    process = subprocess.Popen([*DOCARCHIVE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env or docarchive_env(), cwd=ROOT, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        Processes.stop_group(process, grace_s=2)
        out, err = process.communicate()
        raise AssertionError(f"docarchive {' '.join(args)} did not finish in {timeout} s:\n{out}\n{err}")
    finally:
        if group_alive(process.pid):
            Processes.stop_group(process, grace_s=2)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def sql_json(warehouse: Path, query: str) -> list[dict]:
    """Rows of QUERY through `docarchive sql` in a real process."""
    result = run_docarchive("sql", query, "--warehouse", str(warehouse), "--format", "json", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def read_only(warehouse: Path, timeout_s: float = 60.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the archive, retried while a writer holds it."""
    from warehouse import Archive

    return Archive(warehouse, lock_timeout_s=timeout_s)._open_with_retry(read_only=True)


def archive_problems(warehouse: Path) -> list[str]:
    """Everything wrong with an archive's integrity: orphans, dangling links, unreadable Parquet."""
    import pyarrow.parquet as pq

    problems = []
    checks = {
        "documents without their source version":
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sources s "
            "WHERE s.source_path = d.source_path AND s.sha256 = d.source_sha256)",
        "removals without their document":
            "SELECT count(*) FROM removals r WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = r.doc_id)",
        "ok sources without documents (and not a copy of archived bytes)":
            "SELECT count(*) FROM sources s WHERE s.status = 'ok' AND s.same_bytes_as IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM documents d WHERE d.source_path = s.source_path AND d.source_sha256 = s.sha256)",
        "quarantined sources with documents":
            "SELECT count(*) FROM sources s WHERE s.status = 'quarantined' AND EXISTS "
            "(SELECT 1 FROM documents d WHERE d.source_path = s.source_path AND d.source_sha256 = s.sha256)",
        "duplicate_of pointing at no document":
            "SELECT count(*) FROM documents d WHERE d.duplicate_of IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM documents c WHERE c.doc_id = d.duplicate_of)",
        "rows whose run is not in runs":
            "SELECT (SELECT count(*) FROM documents WHERE run_id NOT IN (SELECT run_id FROM runs)) + "
            "(SELECT count(*) FROM sources WHERE run_id NOT IN (SELECT run_id FROM runs))",
        "paths with more than one current version":
            "SELECT count(*) FROM (SELECT source_path FROM sources WHERE superseded_at IS NULL "
            "GROUP BY 1 HAVING count(*) > 1)",
        "runs still marked running":
            "SELECT count(*) FROM runs WHERE status = 'running'",
    }
    con = read_only(warehouse)
    try:
        for name, query in checks.items():
            count = con.execute(query).fetchone()[0]
            if count:
                problems.append(f"{count} {name}")
        tables = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "sources", "removals", "runs")}
    finally:
        con.close()
    parquet = warehouse / "parquet"
    for path in sorted(parquet.iterdir()) if parquet.exists() else []:
        if not path.name.endswith(".parquet") or path.name.startswith("."):
            problems.append(f"stray file in the Parquet copies: {path.name}")
            continue
        try:
            rows = pq.read_table(path).num_rows
        except Exception as error:  # noqa: BLE001
            problems.append(f"{path.name} is not readable: {error}")
            continue
        table = path.name.removesuffix(".parquet")
        if table in tables and rows != tables[table]:
            problems.append(f"{path.name} has {rows} rows, the table {tables[table]}")
    return problems


def snapshot(warehouse: Path) -> dict[str, object]:
    """What an archive holds, independent of when and in which runs it arrived."""
    con = read_only(warehouse)
    try:
        def rows(query: str) -> list[tuple]:
            return sorted(con.execute(query).fetchall(), key=repr)

        return {
            "sources": rows("SELECT source_path, sha256, status, error_code, same_bytes_as FROM sources"),
            "documents": rows("SELECT doc_id, source_path, part_index, duplicate_of, content_hash, char_count FROM documents"),
            "removals": rows("SELECT doc_id, seq, rule FROM removals"),
        }
    finally:
        con.close()


def counts(snap: dict[str, object]) -> dict[str, int]:
    docs = snap["documents"]
    return {"sources": len(snap["sources"]), "documents": len(docs), "removals": len(snap["removals"]),
            "duplicates": sum(1 for d in docs if d[3] is not None)}
