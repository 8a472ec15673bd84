"""Incremental runs: only new bytes are processed, changed files become versions, every run is recorded.

Also: a file changed back to earlier bytes, a file that stays unreadable, and two ingests
started at once into one archive (the writer lock makes the second wait).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.ops.conftest import DOCARCHIVE, Processes, read_only
from tests.ops.corpus import file_bytes, write_corpus

RUN_COLUMNS = ("status", "files_seen", "files_new", "files_changed", "files_quarantined", "documents_added",
               "duplicates_found", "error")


def _ingest(source: Path, warehouse: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["ingest", str(source), "--warehouse", str(warehouse), *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _rows(warehouse: Path, query: str) -> list[dict]:
    con = read_only(warehouse)
    try:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def _last_run(warehouse: Path) -> dict:
    return _rows(warehouse, f"SELECT run_id, started_at, finished_at, {', '.join(RUN_COLUMNS)} FROM runs "
                            "ORDER BY started_at DESC LIMIT 1")[0]


@pytest.fixture
def source(tmp_path) -> Path:
    root = tmp_path / "source"
    write_corpus(root, 3, seed=21)
    return root


def test_changed_files_become_versions_and_each_run_is_recorded(source, tmp_path):
    warehouse = tmp_path / "warehouse"
    _ingest(source, warehouse)
    first = _last_run(warehouse)
    assert {k: first[k] for k in RUN_COLUMNS} == {
        "status": "ok", "files_seen": 3, "files_new": 3, "files_changed": 0, "files_quarantined": 0,
        "documents_added": 3, "duplicates_found": 0, "error": None}
    assert first["finished_at"] >= first["started_at"]

    rel_a, raw_a = file_bytes(0, seed=21)
    rel_b, raw_b = file_bytes(1, seed=21)
    (source / rel_a).write_bytes(raw_a + "补充说明:本文已于今日更新,以此版本为准。\n".encode())
    write_corpus(source, 1, seed=21, start=3)                      # new
    (source / "copy-of-b.txt").write_bytes(raw_b)                  # new path, archived bytes
    (source / "empty.txt").write_bytes(b"")                        # quarantined
    _ingest(source, warehouse)
    second = _last_run(warehouse)
    assert {k: second[k] for k in RUN_COLUMNS} == {
        "status": "ok", "files_seen": 6, "files_new": 2, "files_changed": 1, "files_quarantined": 1,
        "documents_added": 2, "duplicates_found": 0, "error": None}

    versions = _rows(warehouse, f"SELECT sha256, superseded_at, run_id FROM sources WHERE source_path = '{rel_a}' "
                                "ORDER BY ingested_at")
    assert len(versions) == 2
    assert versions[0]["superseded_at"] is not None and versions[0]["run_id"] == first["run_id"]
    assert versions[1]["superseded_at"] is None and versions[1]["run_id"] == second["run_id"]
    docs = _rows(warehouse, f"SELECT source_sha256, superseded_at, text FROM documents WHERE source_path = '{rel_a}' "
                            "ORDER BY ingest_seq")
    assert [d["source_sha256"] for d in docs] == [v["sha256"] for v in versions]  # the old one is kept
    assert docs[0]["superseded_at"] is not None and docs[1]["superseded_at"] is None
    assert "补充说明" in docs[1]["text"] and "补充说明" not in docs[0]["text"]
    copy = _rows(warehouse, "SELECT status, same_bytes_as FROM sources WHERE source_path = 'copy-of-b.txt'")
    assert copy == [{"status": "ok", "same_bytes_as": rel_b}]

    # Nothing new: a run is still recorded, and Prefect is not even started.
    output = _ingest(source, warehouse)
    assert "nothing new: Prefect not started" in output
    third = _last_run(warehouse)
    assert (third["status"], third["files_seen"], third["files_new"], third["documents_added"]) == ("ok", 6, 0, 0)

    # Same bytes, new mtime: hashed again, found unchanged.
    os.utime(source / rel_b, ns=(time.time_ns(), time.time_ns()))
    before = _rows(warehouse, "SELECT count(*) AS n FROM sources")[0]["n"]
    _ingest(source, warehouse)
    assert _rows(warehouse, "SELECT count(*) AS n FROM sources")[0]["n"] == before
    assert _last_run(warehouse)["documents_added"] == 0


def test_a_file_changed_back_to_earlier_bytes_restores_that_version(source, tmp_path):
    warehouse = tmp_path / "warehouse"
    rel, raw = file_bytes(0, seed=21)
    _ingest(source, warehouse)
    (source / rel).write_bytes(raw + "补充说明:更新。\n".encode())
    _ingest(source, warehouse)
    (source / rel).write_bytes(raw)  # the scraper fetched the old page again
    _ingest(source, warehouse)
    assert _last_run(warehouse)["status"] == "ok"
    versions = _rows(warehouse, f"SELECT sha256, superseded_at IS NULL AS current FROM sources "
                                f"WHERE source_path = '{rel}' ORDER BY ingested_at")
    assert [v["current"] for v in versions] == [True, False]
    current_docs = _rows(warehouse, f"SELECT source_sha256 FROM documents WHERE source_path = '{rel}' "
                                    "AND superseded_at IS NULL")
    assert current_docs == [{"source_sha256": versions[0]["sha256"]}]


def test_an_unreadable_file_is_quarantined_once_and_later_runs_go_on(source, tmp_path):
    warehouse = tmp_path / "warehouse"
    os.symlink("nowhere.html", source / "dangling.html")
    _ingest(source, warehouse)
    assert "nothing new: Prefect not started" in _ingest(source, warehouse)
    rows = _rows(warehouse, "SELECT status, error FROM sources WHERE source_path = 'dangling.html'")
    assert rows == [{"status": "quarantined",
                     "error": "cannot read the file: it is a symbolic link to a file that does not exist"}]
    # The link now points at a real page: it is read and archived as the path's new version.
    shutil.copy(source / file_bytes(0, seed=21)[0], source / "nowhere.html")
    _ingest(source, warehouse)
    assert _rows(warehouse, "SELECT status FROM sources WHERE source_path = 'dangling.html' "
                            "AND superseded_at IS NULL") == [{"status": "ok"}]


def test_each_run_leaves_an_artifact_with_its_summary(source, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    warehouse = tmp_path / "warehouse"
    (source / "empty.html").write_bytes(b"")
    _ingest(source, warehouse)
    run = _last_run(warehouse)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["ingest-summary"]), flow_run_id=ArtifactFilterFlowRunId(any_=[run["run_id"]])))
    assert len(artifacts) == 1
    summary = artifacts[0].data
    for column in RUN_COLUMNS[1:-1]:
        assert f"**{column}**: {run[column]}" in summary, (column, summary)


@pytest.mark.slow
def test_two_ingests_at_once_write_one_after_the_other(tmp_path):
    source, warehouse = tmp_path / "source", tmp_path / "warehouse"
    write_corpus(source, 100, seed=22)
    processes = Processes()
    try:
        runs = [processes.start([*DOCARCHIVE, "ingest", str(source), "--warehouse", str(warehouse), "--batch-size", "10"],
                                tmp_path / f"ingest-{i}.log") for i in range(2)]
        for process in runs:
            process.wait(timeout=300)
    finally:
        processes.stop_all()
    logs = [(tmp_path / f"ingest-{i}.log").read_text() for i in range(2)]
    assert [p.returncode for p in runs] == [0, 0], logs
    recorded = _rows(warehouse, "SELECT status, files_new, documents_added, started_at, finished_at FROM runs "
                                "ORDER BY started_at")
    assert [r["status"] for r in recorded] == ["ok", "ok"]
    assert sorted(r["files_new"] for r in recorded) == [0, 100]
    assert recorded[0]["finished_at"] <= recorded[1]["started_at"]
    assert _rows(warehouse, "SELECT count(*) AS n, count(DISTINCT source_path) AS paths FROM sources") == [
        {"n": 100, "paths": 100}]
    waited = "\n".join(logs)
    # The second one said why it waited (unless the first had finished before it started).
    assert "another run is writing to the archive" in waited or recorded[0]["finished_at"] < recorded[1]["started_at"]


def test_a_failed_run_is_recorded_with_its_error_and_the_next_run_goes_on(source, tmp_path, monkeypatch):
    from warehouse.store import Archive

    warehouse = tmp_path / "warehouse"
    real_write = Archive.write_batch

    def broken_disk(self, run_id, batch):
        if batch.documents:
            raise OSError(28, "No space left on device")
        return real_write(self, run_id, batch)

    monkeypatch.setattr(Archive, "write_batch", broken_disk)
    result = CliRunner().invoke(main, ["ingest", str(source), "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert "Error: the run failed: OSError: [Errno 28] No space left on device" in result.output
    failed = _last_run(warehouse)
    assert failed["status"] == "failed" and "No space left on device" in failed["error"]
    assert failed["finished_at"] is not None

    monkeypatch.setattr(Archive, "write_batch", real_write)
    _ingest(source, warehouse)  # the writer lock was released: this run does not wait
    after = _last_run(warehouse)
    assert (after["status"], after["files_new"], after["documents_added"]) == ("ok", 3, 3)
