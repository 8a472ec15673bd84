"""`docarchive export`: Parquet read back with pyarrow, JSONL with the standard library, the schema
file, `--since`, and writes that never leave half an export."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.sample_archive import CHROME_ONLY, GBK_COPY, copy_archive, ingest_new_document, invoke, sample_warehouse
from warehouse import Archive
from warehouse.catalog import table_info
from warehouse.export import ROW_GROUP_ROWS

CONTRACT_COLUMNS = ["doc_id", "source_path", "part_index", "title", "text", "source_url", "site", "published_at",
                    "encoding", "is_truncated", "duplicate_of", "char_count"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory)


def _rows(warehouse: Path, query: str) -> list[dict]:
    return Archive(warehouse).query(query).to_pylist()


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {row["doc_id"]: row for row in rows}


def _export(warehouse: Path, out: Path, fmt: str, *extra: str) -> dict:
    result = invoke("export", "--format", fmt, "--out", out, "--warehouse", warehouse, *extra)
    assert result.exit_code == 0, result.output
    return json.loads((out / f"documents.{fmt}.schema.json").read_text(encoding="utf-8"))


def test_parquet_export_holds_the_canonical_documents_as_the_archive_has_them(warehouse, tmp_path):
    description = _export(warehouse, tmp_path, "parquet")
    table = pq.read_table(tmp_path / "documents.parquet")
    exported = _by_id(table.to_pylist())
    archived = _by_id(_rows(warehouse, "select * from documents where duplicate_of is null and superseded_at is null"))
    assert exported.keys() == archived.keys()
    assert GBK_COPY not in {row["source_path"] for row in exported.values()}
    for doc_id, row in archived.items():
        # site comes back from the directory name (URL-decoded, NULL from the default partition)
        assert {c: exported[doc_id][c] for c in CONTRACT_COLUMNS} == {c: row[c] for c in CONTRACT_COLUMNS}
        assert exported[doc_id]["year"] == (row["published_at"].year if row["published_at"] else None)
    assert description["rows"] == len(archived)


def test_parquet_export_is_partitioned_by_site_and_year_with_zstd(warehouse, tmp_path):
    _export(warehouse, tmp_path, "parquet")
    root = tmp_path / "documents.parquet"
    files = sorted(root.glob("site=*/year=*/*.parquet"))
    assert files and files == sorted(root.rglob("*.parquet"))
    sites = {row["site"] for row in _rows(warehouse, "select distinct site from canonical_documents")}
    assert {f.parent.parent.name for f in files} == {
        f"site={site}" if site else "site=__HIVE_DEFAULT_PARTITION__" for site in sites}
    for file in files:
        metadata = pq.ParquetFile(file).metadata
        assert "site" not in metadata.schema.names  # it is in the directory name
        for group in range(metadata.num_row_groups):
            assert metadata.row_group(group).num_rows <= ROW_GROUP_ROWS
            assert metadata.row_group(group).column(0).compression == "ZSTD"


def test_jsonl_export_reads_back_with_the_standard_library(warehouse, tmp_path):
    description = _export(warehouse, tmp_path, "jsonl", "--include-duplicates")
    raw = (tmp_path / "documents.jsonl").read_bytes()
    assert b"\\u" not in raw and "讲话".encode() in raw
    lines = raw.decode("utf-8").splitlines()
    exported = _by_id([json.loads(line) for line in lines])
    archived = _by_id(_rows(warehouse, "select * from documents where superseded_at is null"))
    assert exported.keys() == archived.keys() and len(lines) == len(archived) == description["rows"]
    assert GBK_COPY in {row["source_path"] for row in exported.values()}
    for doc_id, row in archived.items():
        back = exported[doc_id]
        assert datetime.fromisoformat(back["ingested_at"]) == row["ingested_at"]
        published = back["published_at"]
        assert (datetime.fromisoformat(published) if published else None) == row["published_at"]
        assert {c: back[c] for c in CONTRACT_COLUMNS if c != "published_at"} == {
            c: row[c] for c in CONTRACT_COLUMNS if c != "published_at"}


def test_the_schema_file_describes_every_column_with_the_catalogs_meaning(warehouse, tmp_path):
    description = _export(warehouse, tmp_path, "parquet")
    meanings = {column.name: column.meaning for column in table_info("documents").columns}
    columns = {column["name"]: column for column in description["columns"]}
    assert set(columns) == set(meanings) | {"year"}
    assert all(columns[name]["meaning"] == meanings[name] for name in meanings)
    assert columns["year"]["partition_key"] and columns["site"]["partition_key"]
    assert columns["published_at"]["type"] == "TIMESTAMP"
    assert description["contract_version"] == 1 and description["schema_version"] >= 2
    assert description["filter"] == "duplicate_of IS NULL AND superseded_at IS NULL"
    assert description["since"] is None
    last_run = _rows(warehouse, "select run_id from runs order by started_at desc limit 1")[0]["run_id"]
    assert description["follow"]["next_since"] == last_run
    assert any("duplicate_of" in note and "re-read" in note for note in description["notes"])


def test_since_follows_the_archive_run_by_run(warehouse, tmp_path):
    archive = copy_archive(warehouse, tmp_path / "warehouse")
    first = _export(archive, tmp_path / "first", "jsonl")
    ingest_new_document(archive, tmp_path / "more")
    since = first["follow"]["next_since"]
    second = _export(archive, tmp_path / "second", "jsonl", "--since", since)
    added = [json.loads(line) for line in (tmp_path / "second" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert [row["title"] for row in added] == ["在全县乡村振兴工作会议上的讲话"]
    assert second["since"]["run_id"] == since and second["rows"] == 1
    assert second["follow"]["next_since"] == added[0]["run_id"]
    third = _export(archive, tmp_path / "third", "parquet", "--since", second["follow"]["next_since"])
    assert third["rows"] == 0 and pq.read_table(tmp_path / "third" / "documents.parquet").num_rows == 0
    # the next --since stays where it was while nothing newer arrived
    assert third["follow"]["next_since"] == second["follow"]["next_since"]


def test_since_a_date_compares_with_ingested_at(warehouse, tmp_path):
    newest = _rows(warehouse, "select max(ingested_at) as t from documents")[0]["t"]
    everything = _export(warehouse, tmp_path / "all", "jsonl", "--since", newest.date().isoformat())
    nothing = _export(warehouse, tmp_path / "none", "jsonl", "--since", (newest + timedelta(days=1)).date().isoformat())
    canonical = _rows(warehouse, "select count(*) as n from canonical_documents")[0]["n"]
    assert (everything["rows"], nothing["rows"]) == (canonical, 0)
    assert everything["since"]["kind"] == "date"


def test_since_an_unknown_run_says_how_to_find_one_and_keeps_the_last_export(warehouse, tmp_path):
    _export(warehouse, tmp_path, "parquet")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = invoke("export", "--format", "parquet", "--out", tmp_path, "--warehouse", warehouse,
                    "--since", "no-such-run")
    assert result.exit_code == 1
    assert "no-such-run" in result.output and "select run_id" in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing half-written left


def test_exporting_again_replaces_the_last_export_whole(warehouse, tmp_path):
    (tmp_path / "documents.parquet").write_bytes(b"an export from an older docarchive was one file")
    _export(warehouse, tmp_path, "parquet")
    _export(warehouse, tmp_path, "parquet", "--include-duplicates")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["documents.parquet", "documents.parquet.schema.json"]
    assert GBK_COPY in pq.read_table(tmp_path / "documents.parquet").column("source_path").to_pylist()


def test_quarantined_files_are_never_exported(warehouse, tmp_path):
    _export(warehouse, tmp_path, "jsonl", "--include-duplicates")
    paths = {json.loads(line)["source_path"] for line in (tmp_path / "documents.jsonl").read_text("utf-8").splitlines()}
    assert CHROME_ONLY not in paths and "empty.html" not in paths


def test_out_must_be_a_directory(warehouse, tmp_path):
    (tmp_path / "file").write_text("x")
    result = invoke("export", "--format", "jsonl", "--out", tmp_path / "file", "--warehouse", warehouse)
    assert result.exit_code != 0
    assert "file" in result.output.lower()
