"""Crash safety: `docarchive ingest` killed with SIGKILL at several moments, then re-run.

The archive must end exactly as an uninterrupted run leaves it: every input file archived
once, the same documents, duplicates and removals, no orphan rows, every Parquet copy
readable. Only the ingest process itself is killed (as the OOM killer would); what it leaves
behind (its Prefect server, worker processes) is then killed with its process group.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.ops.conftest import (
    DOCARCHIVE, Processes, archive_problems, counts, group_alive, group_members, read_only, run_docarchive, snapshot,
)
from tests.ops.corpus import write_corpus

FILES = 400  # enough for the process pool (flows.ingest.MIN_FILES_FOR_PROCESSES) with 2 workers
BATCH = 10
INGEST_ARGS = ["--batch-size", str(BATCH), "--workers", "2"]
RESULTS = Path(os.environ.get("DOCARCHIVE_TEST_REPORT_DIR", "")) if os.environ.get("DOCARCHIVE_TEST_REPORT_DIR") else None


def _sources(warehouse: Path) -> int:
    """Rows in `sources` now, without waiting long for a writer (-1 while it cannot be read)."""
    if not (warehouse / "archive.duckdb").exists():
        return 0
    try:
        con = read_only(warehouse, timeout_s=0.2)
    except Exception:  # noqa: BLE001 — locked or not yet created: ask again
        return -1
    try:
        return con.execute("SELECT count(*) FROM sources").fetchone()[0]
    except Exception:  # noqa: BLE001 — tables not created yet
        return 0
    finally:
        con.close()


def _parquet_being_written(warehouse: Path) -> bool:
    parquet = warehouse / "parquet"
    return parquet.exists() and any(p.name.startswith(".") and ".tmp" in p.name for p in parquet.iterdir())


def _throttled(check, every_s: float = 0.05):
    """`check` asked at most every `every_s` (a read-only open of the archive delays the writer)."""
    last = [0.0, False]

    def ask(*args) -> bool:
        if time.monotonic() - last[0] >= every_s:
            last[0], last[1] = time.monotonic(), check(*args)
        return last[1]
    return ask


def _after(seconds: float):
    started = time.monotonic()
    return lambda warehouse, before: time.monotonic() - started >= seconds


def _after_batches(batches: int):
    return _throttled(lambda warehouse, before: _sources(warehouse) >= before + batches * BATCH)


def _at_the_end():
    """While the Parquet copies are written, or, failing to see that, once the last batch is stored."""
    all_stored = _throttled(lambda warehouse, before: _sources(warehouse) >= FILES, every_s=0.1)
    return lambda warehouse, before: _parquet_being_written(warehouse) or all_stored(warehouse, before)


# Each moment: a name, and a factory of its test (warehouse, rows in sources at start) -> kill now?
MOMENTS = [
    ("while the CLI starts (0.3 s)", lambda: _after(0.3)),
    ("while Prefect's server starts (2.5 s)", lambda: _after(2.5)),
    ("after 3 batches are stored", lambda: _after_batches(3)),
    ("mid-run, after 12 more batches", lambda: _after_batches(12)),
    ("at the end: last batch stored, run finishing, Parquet copies", _at_the_end),
]


def _kill_when(warehouse: Path, source: Path, log: Path, moment, timeout_s: float = 240) -> dict:
    before = max(_sources(warehouse), 0)
    processes = Processes()
    process = processes.start([*DOCARCHIVE, "ingest", str(source), "--warehouse", str(warehouse), *INGEST_ARGS], log)
    ready = moment()
    deadline = time.monotonic() + timeout_s
    killed = False
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if ready(warehouse, before):
                os.kill(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.005)
        process.wait(timeout=30)
        # What the killed process left running, once the orphans had time to notice (up to 15 s).
        settle = time.monotonic() + 15
        while time.monotonic() < settle and group_alive(process.pid):
            time.sleep(0.2)
        leftovers = group_members(process.pid)
    finally:
        processes.stop_all()  # the orphaned Prefect server and workers, if any
    return {"killed": killed, "exit": process.returncode, "left_processes": leftovers,
            "sources_before": before, "sources_after": max(_sources(warehouse), 0),
            "left_half_written_parquet": _parquet_being_written(warehouse)}


@pytest.mark.slow
def test_sigkill_at_any_moment_loses_and_duplicates_nothing(tmp_path):
    source = tmp_path / "source"
    write_corpus(source, FILES, seed=5)

    reference = tmp_path / "reference"
    started = time.monotonic()
    result = run_docarchive("ingest", str(source), "--warehouse", str(reference), *INGEST_ARGS)
    assert result.returncode == 0, result.stderr
    reference_seconds = time.monotonic() - started
    expected = snapshot(reference)
    assert counts(expected)["sources"] == FILES

    warehouse = tmp_path / "killed"
    rounds = []
    for name, moment in MOMENTS:
        outcome = _kill_when(warehouse, source, tmp_path / "kills.log", moment)
        rounds.append({"moment": name, **outcome})
        # Between kills the archive is always consistent: only whole batches, nothing dangling.
        if (warehouse / "archive.duckdb").exists():
            problems = [p for p in archive_problems(warehouse) if "running" not in p and "Parquet" not in p
                        and "parquet" not in p and "rows, the table" not in p]
            assert not problems, (name, problems)

    final = run_docarchive("ingest", str(source), "--warehouse", str(warehouse), *INGEST_ARGS)
    assert final.returncode == 0, final.stdout + final.stderr
    assert "Traceback" not in final.stdout + final.stderr

    got = snapshot(warehouse)
    report = {"files": FILES, "reference_seconds": round(reference_seconds, 1), "rounds": rounds,
              "kills": sum(r["killed"] for r in rounds), "reference": counts(expected), "after_kills": counts(got)}
    print(json.dumps(report, indent=1))
    if RESULTS:
        (RESULTS / "kill-test.json").write_text(json.dumps(report, indent=1))

    assert all(r["killed"] for r in rounds), rounds
    # The killed run's Prefect server and cleaning workers exit with it.
    assert [r["left_processes"] for r in rounds] == [[]] * len(rounds)
    assert archive_problems(warehouse) == []
    assert got == expected
    con = read_only(warehouse)
    try:
        statuses = dict(con.execute("SELECT status, count(*) FROM runs GROUP BY 1").fetchall())
        per_path = con.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM sources GROUP BY source_path)").fetchone()[0]
    finally:
        con.close()
    assert per_path == 1  # every input file archived exactly once
    assert statuses.get("running", 0) == 0
    # A run killed halfway through its files is recorded as interrupted (one killed after its
    # last batch may already have recorded itself 'ok').
    halfway = sum(1 for r in rounds if r["killed"] and r["sources_before"] < r["sources_after"] < FILES)
    assert statuses.get("interrupted", 0) >= halfway


def test_half_written_parquet_copies_of_a_killed_process_are_removed(tmp_path):
    """A copy killed mid-write stays under its temporary name; the next writer removes it."""
    from warehouse import Archive

    archive = Archive(tmp_path)
    archive.initialize()
    archive.parquet_dir.mkdir(parents=True)
    dead = _a_dead_pid()
    stale = archive.parquet_dir / f".documents.parquet.tmp-{dead}"
    stale.write_bytes(b"PAR1 half a file")
    live = archive.parquet_dir / f".sources.parquet.tmp-{os.getpid()}x"  # not a pid suffix: left alone
    live.write_bytes(b"")
    in_progress = archive.parquet_dir / f".runs.parquet.tmp-{os.getppid()}"  # a live process's: left alone
    in_progress.write_bytes(b"")
    archive.write_parquet_copies()
    assert not stale.exists()
    assert live.exists() and in_progress.exists()
    assert sorted(p.name for p in archive.parquet_dir.glob("*.parquet")) == [
        "documents.parquet", "removals.parquet", "runs.parquet", "sources.parquet"]


def _a_dead_pid() -> int:
    import subprocess

    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
