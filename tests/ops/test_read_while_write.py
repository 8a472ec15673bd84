"""`docarchive sql` while `docarchive ingest` writes: two real processes, one DuckDB file.

DuckDB lets one process hold the file for writing, and then no other can open it at all. The
writer therefore opens it only to commit a batch, and both sides retry while the other holds
it. Here a reader process queries in a loop for the whole of a run of many small batches.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.ops.conftest import DOCARCHIVE, docarchive_env, run_docarchive
from tests.ops.corpus import write_corpus
from tests.conftest import ROOT
from warehouse import Archive, ArchiveBusyError

FILES = 400
BATCH = 5  # batches under GROUPED_BATCH_FILES commit one by one: 80 commits


def _sql(warehouse: Path, query: str) -> tuple[int, str, str, float]:
    started = time.monotonic()
    result = run_docarchive("sql", query, "--warehouse", str(warehouse), "--format", "csv", timeout=120)
    return result.returncode, result.stdout, result.stderr, time.monotonic() - started


@pytest.mark.slow
def test_sql_answers_while_an_ingest_writes(tmp_path, processes):
    source, warehouse = tmp_path / "source", tmp_path / "warehouse"
    write_corpus(source, 30, seed=11)
    assert run_docarchive("ingest", str(source), "--warehouse", str(warehouse)).returncode == 0
    write_corpus(source, FILES, seed=11, start=30)

    writer = processes.start([*DOCARCHIVE, "ingest", str(source), "--warehouse", str(warehouse),
                              "--batch-size", str(BATCH), "--workers", "1"], tmp_path / "ingest.log")
    reads, slow = [], None
    while writer.poll() is None:
        counted = _sql(warehouse, "select count(*) as n from sources")
        reads.append(counted)
        if slow is None and counted[0] == 0 and 30 < int(counted[1].split()[-1]) < 30 + FILES:
            # A long read in the middle of the run: the writer waits for it, then goes on.
            slow = _sql(warehouse, "select count(*) as n from sources, range(20000000)")
    log = (tmp_path / "ingest.log").read_text()
    assert writer.returncode == 0, log
    assert "Traceback" not in log

    failures = [(code, err) for code, _, err, _ in reads + [slow] if code != 0]
    assert failures == []
    counts = [int(out.split()[-1]) for _, out, _, _ in reads]
    assert counts == sorted(counts), "a reader saw the archive go backwards"
    during = [n for n in counts if 30 < n < 30 + FILES]
    # How many reads land mid-run depends on how fast this machine commits (one did on a fast CI
    # machine with 40 commits); one is what the property needs, and the long read needs it too.
    timings = [f"{n}:{r[3]:.2f}s" for n, r in zip(counts, reads)]
    assert len(during) >= 1, f"no read landed during the run (count:seconds): {timings}"
    assert slow is not None
    assert _sql(warehouse, "select count(*) as n from sources")[1].split()[-1] == str(30 + FILES)
    print(f"{len(reads)} reads during the run ({len(during)} saw it half done); slowest count "
          f"{max(r[3] for r in reads):.2f} s; the long read took {slow[3]:.2f} s")


def test_a_reader_gives_up_with_a_clear_message_when_the_file_stays_locked(tmp_path):
    """While another process holds the file for writing, a reader retries, then says what to do."""
    archive = Archive(tmp_path)
    archive.initialize()
    holder = subprocess.Popen(
        [*DOCARCHIVE[:1], "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
         "print('locked', flush=True); time.sleep(30)", str(archive.path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env=docarchive_env(), start_new_session=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(ArchiveBusyError, match="stayed locked by another process for 1 s"):
            Archive(tmp_path, lock_timeout_s=1.0).query("select 1")
        assert 1.0 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    assert Archive(tmp_path, lock_timeout_s=5.0).query("select count(*) as n from runs").to_pylist() == [{"n": 0}]


def test_a_read_only_connection_cannot_write(tmp_path):
    archive = Archive(tmp_path)
    archive.initialize()
    with pytest.raises(duckdb.Error, match="read-only"):
        archive.query("delete from runs")
