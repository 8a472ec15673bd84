"""End to end: `docarchive ingest` over the samples plus bad files, re-runs, and `sql`."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import main
from tests.conftest import ROOT, SEEDS

DATA_TABLES = ("sources", "documents", "removals")


def _run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def _count(warehouse: Path, table: str) -> int:
    rows = json.loads(_run("sql", f"select count(*) as n from {table}", "--warehouse", str(warehouse), "--format", "json").output)
    return rows[0]["n"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """The samples plus an empty file and a file of random bytes, ingested once."""
    source = tmp_path_factory.mktemp("source")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, source / seed.name)
    (source / "empty.html").write_bytes(b"")
    (source / "random.html").write_bytes(random.Random(1).randbytes(5000))
    (source / "notes.md").write_text("not an input file")
    warehouse = tmp_path_factory.mktemp("warehouse")
    result = _run("ingest", str(source), "--warehouse", str(warehouse))
    return source, warehouse, result


def test_ingest_archives_the_samples_and_quarantines_bad_files(ingested):
    source, warehouse, result = ingested
    assert result.exit_code == 0, result.output
    assert "documents added          6" in result.output
    assert "quarantined              2" in result.output
    rows = json.loads(_run("sql", "select source_path, status, error from sources order by 1",
                           "--warehouse", str(warehouse), "--format", "json").output)
    status = {r["source_path"]: (r["status"], r["error"]) for r in rows}
    assert status["empty.html"] == ("quarantined", "the file is empty (or holds only whitespace)")
    assert status["random.html"][0] == "quarantined" and "binary" in status["random.html"][1]
    assert "notes.md" not in status
    assert sum(1 for s, _ in status.values() if s == "ok") == 5
    assert _count(warehouse, "documents") == 6


def test_rerun_adds_no_data_rows_and_records_the_run(ingested):
    source, warehouse, _ = ingested
    before = {t: _count(warehouse, t) for t in DATA_TABLES}
    runs_before = _count(warehouse, "runs")
    result = _run("ingest", str(source), "--warehouse", str(warehouse))
    assert result.exit_code == 0
    assert "documents added          0" in result.output
    assert {t: _count(warehouse, t) for t in DATA_TABLES} == before
    assert _count(warehouse, "runs") == runs_before + 1


def test_documents_follow_the_contract(ingested):
    _, warehouse, _ = ingested
    rows = json.loads(_run("sql", "select * from documents order by source_path, part_index",
                           "--warehouse", str(warehouse), "--format", "json").output)
    assert [(r["source_path"], r["part_index"]) for r in rows][-2:] == [
        ("004_84cd3a58cfc529e6.txt", 1), ("004_84cd3a58cfc529e6.txt", 2)]
    for row in rows:
        assert row["char_count"] == len(row["text"])
        assert row["encoding"] == "utf-8"
        assert row["duplicate_of"] is None
        assert "\n\n" not in row["text"]
    assert len({r["doc_id"] for r in rows}) == len(rows)
    assert {r["site"] for r in rows} >= {"777doc.com", "taowenge.com"}


def test_same_text_in_another_encoding_is_linked_as_a_duplicate(ingested, tmp_path):
    _, warehouse, _ = ingested
    copy = tmp_path / "copy"
    copy.mkdir()
    seed = SEEDS / "001_a92ca5ebc70222c7.txt"
    (copy / "gbk-copy.txt").write_bytes(seed.read_text(encoding="utf-8").encode("gbk"))
    result = _run("ingest", str(copy), "--warehouse", str(warehouse))
    assert "duplicates found         1" in result.output
    rows = json.loads(_run("sql", "select d.source_path, c.source_path as canonical from documents d "
                           "join documents c on d.duplicate_of = c.doc_id", "--warehouse", str(warehouse),
                           "--format", "json").output)
    assert rows == [{"source_path": "gbk-copy.txt", "canonical": "001_a92ca5ebc70222c7.txt"}]


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0] == "source_path,part_index"),
    ("jsonl", lambda out: json.loads(out.splitlines()[0])["part_index"] == 0),
    ("table", lambda out: "source_path" in out and "(6 rows)" in out),
])
def test_sql_formats(ingested, fmt, check):
    _, warehouse, _ = ingested
    out = _run("sql", "select source_path, part_index from documents where source_path like '0%' order by 1, 2",
               "--warehouse", str(warehouse), "--format", fmt).output
    assert check(out), out


def test_sql_is_read_only(ingested):
    _, warehouse, _ = ingested
    result = CliRunner().invoke(main, ["sql", "delete from documents", "--warehouse", str(warehouse)])
    assert result.exit_code != 0
    assert "read-only" in result.output.lower()


def test_sql_without_an_archive_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["sql", "select 1", "--warehouse", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "docarchive ingest" in result.output


def test_a_real_process_run_prints_no_traceback(tmp_path):
    """The installed command, in its own process, as a user runs it."""
    env = {**os.environ, "PREFECT_HOME": os.environ["PREFECT_HOME"]}
    command = [sys.executable, "-m", "flows.cli", "ingest", str(SEEDS), "--warehouse", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "documents added          6" in result.stdout
    assert (tmp_path / "parquet" / "documents.parquet").exists()


def test_a_damaged_page_is_archived_with_its_damage_counted(ingested, tmp_path):
    _, warehouse, _ = ingested
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    raw = (SEEDS / "002_758b7c7220e85592.txt").read_bytes()
    (damaged / "cut.txt").write_bytes(raw[: raw.rindex("谢谢".encode()) + 1])  # cut inside 谢
    assert _run("ingest", str(damaged), "--warehouse", str(warehouse)).exit_code == 0
    rows = json.loads(_run("sql", "select source_path, status, replacement_chars from sources "
                           "where source_path in ('cut.txt', '001_a92ca5ebc70222c7.txt') order by 1",
                           "--warehouse", str(warehouse), "--format", "json").output)
    assert rows == [{"source_path": "001_a92ca5ebc70222c7.txt", "status": "ok", "replacement_chars": 0},
                    {"source_path": "cut.txt", "status": "ok", "replacement_chars": 1}]
