"""The Parquet copies under `<warehouse>/parquet/`: rewritten when their table changed, and
only then, always equal to the table they copy."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.sample_archive import invoke, sample_warehouse
from warehouse import Archive
from warehouse.store import EXPORTED_TABLES


@pytest.fixture
def archive(tmp_path, tmp_path_factory) -> Archive:
    copy = tmp_path / "warehouse"
    shutil.copytree(sample_warehouse(tmp_path_factory), copy)
    return Archive(copy)


def _copies_equal_tables(archive: Archive) -> None:
    con = duckdb.connect(str(archive.path), read_only=True)
    try:
        for table in EXPORTED_TABLES:
            order = {"documents": "doc_id", "sources": "source_path, sha256", "removals": "doc_id, seq", "runs": "run_id"}[table]
            expected = con.execute(f"SELECT * FROM {table} ORDER BY {order}").to_arrow_table()
            copied = con.execute(
                f"SELECT * FROM read_parquet('{archive.parquet_dir / (table + '.parquet')}') ORDER BY {order}"
            ).to_arrow_table()
            assert copied.equals(expected), table
    finally:
        con.close()


def test_unchanged_tables_are_not_rewritten(archive):
    archive.write_parquet_copies()
    before = {p.name: p.stat().st_ino for p in archive.parquet_dir.glob("*.parquet")}
    assert archive.write_parquet_copies() == []
    assert {p.name: p.stat().st_ino for p in archive.parquet_dir.glob("*.parquet")} == before


def test_a_run_that_finds_nothing_new_rewrites_only_the_runs_copy(archive, tmp_path):
    from tests.sample_archive import write_source

    source = write_source(tmp_path / "source")  # the files the sample archive was built from
    before = {p.name: p.stat().st_ino for p in archive.parquet_dir.glob("*.parquet")}
    result = invoke("ingest", source, "--warehouse", archive.warehouse)
    assert result.exit_code == 0, result.output
    after = {p.name: p.stat().st_ino for p in archive.parquet_dir.glob("*.parquet")}
    assert [name for name in sorted(before) if before[name] != after[name]] == ["runs.parquet"]
    _copies_equal_tables(archive)


def test_an_update_that_keeps_the_row_count_rewrites_the_copy(archive):
    """A relink or a superseded version changes rows in place: the count alone would miss it."""
    archive.write_parquet_copies()
    with archive.connect(read_only=False) as con:
        doc_id = con.execute("SELECT min(doc_id) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]
        other = con.execute("SELECT max(doc_id) FROM documents WHERE doc_id <> ?", [doc_id]).fetchone()[0]
        con.execute("UPDATE documents SET duplicate_of = ? WHERE doc_id = ?", [other, doc_id])
    written = archive.write_parquet_copies()
    assert [p.name for p in written] == ["documents.parquet"]
    _copies_equal_tables(archive)


@pytest.mark.parametrize("damage", ["missing", "foreign", "edited", "truncated"])
def test_a_copy_that_is_missing_foreign_or_damaged_is_written_again(archive, damage):
    archive.write_parquet_copies()
    copy = archive.parquet_dir / "sources.parquet"
    if damage == "missing":
        copy.unlink()
    elif damage == "foreign":  # without the recorded state, as older docarchives wrote them
        pq.write_table(pq.read_table(copy).replace_schema_metadata(None), copy)
    elif damage == "edited":  # rows dropped by another tool, which kept the file's metadata
        table = pq.read_table(copy)
        assert table.schema.metadata  # the state travels with it
        pq.write_table(table.slice(0, 1), copy)
    else:
        copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    assert [p.name for p in archive.write_parquet_copies()] == ["sources.parquet"]
    _copies_equal_tables(archive)
