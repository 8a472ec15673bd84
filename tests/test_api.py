"""The Python API (`docarchive.open_archive`) on the sample archive."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pyarrow as pa
import pytest

import docarchive
from docarchive import ArchiveMissingError, Document, DocumentNotFoundError, QueryError, Removal, open_archive
from tests.sample_archive import DUPLICATED_SEED, GBK_COPY, copy_archive, ingest_new_document, sample_warehouse
from warehouse import Archive


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory)


@pytest.fixture(scope="module")
def archive(warehouse):
    return open_archive(warehouse)


def _rows(warehouse: Path, query: str) -> list[dict]:
    return Archive(warehouse).query(query).to_pylist()


def test_documents_yields_typed_canonical_records_equal_to_the_archive(archive, warehouse):
    documents = list(archive.documents())
    assert all(isinstance(doc, Document) and doc.is_canonical for doc in documents)
    expected = _rows(warehouse, "select * from canonical_documents order by ingest_seq, doc_id")
    assert [dataclasses.asdict(doc) for doc in documents] == [
        {name: row[name] for name in (f.name for f in dataclasses.fields(Document))} for row in expected]
    assert GBK_COPY not in {doc.source_path for doc in documents}


def test_documents_pages_through_the_archive_whatever_the_page_size(archive):
    everything = [doc.doc_id for doc in archive.documents(include_duplicates=True)]
    assert len(everything) == len(set(everything)) > 3
    assert [doc.doc_id for doc in archive.documents(include_duplicates=True, page_size=2)] == everything
    assert [doc.doc_id for doc in archive.documents(include_duplicates=True, limit=3, page_size=2)] == everything[:3]
    assert GBK_COPY in {doc.source_path for doc in archive.documents(include_duplicates=True)}


def test_documents_filters_with_where_and_params(archive, warehouse):
    sites = [doc.site for doc in archive.documents(where="site = ?", params=["taowenge.com"])]
    assert sites == ["taowenge.com"] * _rows(
        warehouse, "select count(*) as n from canonical_documents where site = 'taowenge.com'")[0]["n"]
    assert sites
    long = list(archive.documents(where="char_count > ? AND part_index = 0", params=[5000]))
    assert long and all(doc.char_count > 5000 and doc.part_index == 0 for doc in long)


def test_documents_sees_the_archive_as_it_was_and_never_blocks_an_ingest(warehouse, tmp_path):
    copy = copy_archive(warehouse, tmp_path / "warehouse")
    reader = open_archive(copy)
    iteration = reader.documents(page_size=1)
    first = next(iteration)
    ingest_new_document(copy, tmp_path / "more")  # would time out if the iteration held the file
    rest = list(iteration)
    titles = {doc.title for doc in [first, *rest]}
    assert "在全县乡村振兴工作会议上的讲话" not in titles
    assert len(rest) + 1 == _rows(warehouse, "select count(*) as n from canonical_documents")[0]["n"]
    assert "在全县乡村振兴工作会议上的讲话" in {doc.title for doc in reader.documents()}


def test_to_arrow_returns_the_chosen_columns(archive, warehouse):
    table = archive.to_arrow(columns=["doc_id", "title"], include_duplicates=True)
    assert isinstance(table, pa.Table) and table.column_names == ["doc_id", "title"]
    assert table.num_rows == _rows(warehouse, "select count(*) as n from documents")[0]["n"]
    one = archive.to_arrow(where="source_path = ?", params=[DUPLICATED_SEED])
    assert one.num_rows == 1 and one.column("duplicate_of").to_pylist() == [None]
    assert archive.to_arrow(limit=2).num_rows == 2


def test_sql_reads_views_and_refuses_to_write(archive):
    rows = archive.sql("select rule, hits from rule_hits where rule = ?", ["page_marker"]).to_pylist()
    assert rows and rows[0]["hits"] > 10
    with pytest.raises(QueryError, match="read-only"):
        archive.sql("delete from documents")
    with pytest.raises(QueryError):
        list(archive.documents(where="no_such_column = 1"))


def test_document_and_its_removals(archive, warehouse):
    doc_id = _rows(warehouse, f"select doc_id from documents where source_path = '{DUPLICATED_SEED}'")[0]["doc_id"]
    document = archive.document(doc_id[:8])
    assert document.doc_id == doc_id and document.source_path == DUPLICATED_SEED
    removals = archive.removals(doc_id)
    assert removals and all(isinstance(r, Removal) for r in removals)
    assert [(r.seq, r.rule, r.text) for r in removals] == [
        (row["seq"], row["rule"], row["text"]) for row in
        _rows(warehouse, f"select * from removals where doc_id = '{doc_id}' order by seq")]
    with pytest.raises(DocumentNotFoundError):
        archive.document("0000000000000000deadbeef")


def test_records_are_frozen(archive):
    doc = next(archive.documents())
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "changed"  # type: ignore[misc]


def test_schema_gives_meanings(archive):
    assert archive.schema("documents").column("char_count").meaning == "characters in text"
    assert [c.name for c in archive.schema("rule_hits").columns][:3] == ["rule", "documents", "hits"]


def test_open_archive_defaults_to_the_environment_and_says_when_there_is_none(warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCARCHIVE_WAREHOUSE", str(warehouse))
    assert open_archive().path == warehouse / "archive.duckdb"
    with pytest.raises(ArchiveMissingError, match="docarchive ingest"):
        open_archive(tmp_path / "none")


def test_the_package_is_typed_and_exports_its_names():
    assert files("docarchive").joinpath("py.typed").is_file()
    assert all(hasattr(docarchive, name) for name in docarchive.__all__)
    assert docarchive.open_archive.__doc__ and docarchive.ArchiveReader.documents.__doc__


def test_the_api_does_not_import_prefect(warehouse, tmp_path):
    code = ("import sys; from docarchive import open_archive; a = open_archive(sys.argv[1]); "
            "list(a.documents()); a.sql('select 1'); print('prefect' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True,
                            cwd=tmp_path, env={**os.environ}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
