"""`docarchive show`, `stats`, `schema`, and the views, on the sample archive."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.sample_archive import CHROME_ONLY, DUPLICATED_SEED, EMPTY, GBK_COPY, invoke, sample_warehouse
from warehouse import Archive
from warehouse.inspection import AmbiguousDocumentIdError, DocumentNotFoundError, resolve_doc_id
from warehouse.schema import latest_version, migrations


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return sample_warehouse(tmp_path_factory)


def _rows(warehouse: Path, query: str, params: list | None = None) -> list[dict]:
    return Archive(warehouse).query(query, params).to_pylist()


def _doc_id(warehouse: Path, source_path: str) -> str:
    return _rows(warehouse, "select doc_id from documents where source_path = ? and part_index = 0",
                 [source_path])[0]["doc_id"]


# --- show ----------------------------------------------------------------------------------
def test_show_prints_metadata_text_and_every_removal_with_its_rule(warehouse):
    doc_id = _doc_id(warehouse, DUPLICATED_SEED)
    result = invoke("show", doc_id, "--warehouse", warehouse)
    assert result.exit_code == 0, result.output
    document = _rows(warehouse, "select * from documents where doc_id = ?", [doc_id])[0]
    removals = _rows(warehouse, "select * from removals where doc_id = ? order by seq", [doc_id])
    assert removals, "the seed has chrome, so the test shows removals"
    assert document["title"] in result.output and document["text"] in result.output
    assert document["published_at"].strftime("%Y-%m-%d") in result.output
    for removal in removals:
        assert f"{removal['seq']:>3}  {removal['rule']}: {removal['reason']}" in result.output
        assert all(line in result.output for line in removal["text"].splitlines())
    copy_id = _doc_id(warehouse, GBK_COPY)
    assert f"canonical; 1 copy: {copy_id} ({GBK_COPY})" in result.output


def test_show_a_duplicate_names_its_canonical_copy_and_takes_a_prefix(warehouse):
    copy_id = _doc_id(warehouse, GBK_COPY)
    result = invoke("show", copy_id[:10], "--warehouse", warehouse, "--no-text")
    assert result.exit_code == 0, result.output
    assert f"duplicate of {_doc_id(warehouse, DUPLICATED_SEED)} ({DUPLICATED_SEED}:" in result.output
    assert "encoding gb18030" in result.output
    assert "── text" not in result.output


def test_show_json_carries_the_same_rows_as_the_archive(warehouse):
    doc_id = _doc_id(warehouse, DUPLICATED_SEED)
    shown = json.loads(invoke("show", doc_id, "--warehouse", warehouse, "--format", "json").output)
    removals = _rows(warehouse, "select seq, rule, reason, text from removals where doc_id = ? order by seq", [doc_id])
    assert shown["removals"] == removals
    assert shown["document"]["doc_id"] == doc_id and shown["source"]["status"] == "ok"
    assert datetime.fromisoformat(shown["document"]["ingested_at"])
    assert [copy["source_path"] for copy in shown["copies"]] == [GBK_COPY]


def test_show_an_unknown_id_says_how_to_find_one(warehouse):
    result = invoke("show", "0000000000000000deadbeef", "--warehouse", warehouse)
    assert result.exit_code == 1
    assert "no document with id '0000000000000000deadbeef'" in result.output
    assert "docarchive sql" in result.output and "Traceback" not in result.output


def test_a_short_or_shared_prefix_is_refused():
    con = duckdb.connect()
    con.execute("create table documents (doc_id varchar)")
    con.execute("insert into documents values ('abcdef111111'), ('abcdef222222')")
    assert resolve_doc_id(con, "abcdef1") == "abcdef111111"
    with pytest.raises(AmbiguousDocumentIdError, match="give more characters"):
        resolve_doc_id(con, "abcdef")
    with pytest.raises(DocumentNotFoundError):
        resolve_doc_id(con, "abc")  # too short to be taken as a prefix


def test_show_without_an_archive_says_to_ingest(tmp_path):
    result = invoke("show", "abc", "--warehouse", tmp_path / "none")
    assert result.exit_code == 1 and "docarchive ingest" in result.output


# --- stats ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stats(warehouse) -> dict:
    result = invoke("stats", "--warehouse", warehouse, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_stats_counts_documents_by_site_encoding_and_year(warehouse, stats):
    by_site = {row["site"]: row["documents"] for row in stats["documents by site"]}
    assert by_site == {row["site"]: row["n"] for row in _rows(
        warehouse, "select site, count(*) as n from documents group by 1")}
    by_encoding = {row["encoding"]: (row["documents"], row["canonical"]) for row in stats["documents by encoding"]}
    assert by_encoding["gb18030"] == (1, 0)  # the GBK copy, a duplicate
    by_year = {row["year"]: row["documents"] for row in stats["documents by year published"]}
    assert by_year[2022] == 2  # the seed that shows its date, and its copy
    assert sum(by_year.values()) == _rows(warehouse, "select count(*) as n from documents")[0]["n"]


def test_stats_counts_duplicates_and_quarantines_with_reasons(stats):
    overview = {row["measure"]: row["value"] for row in stats["overview"]}
    assert overview["duplicates"] == 1 and overview["duplicate clusters"] == 1
    assert overview["canonical documents"] == overview["documents"] - 1
    assert overview["quarantined files"] == 2
    assert stats["largest duplicate clusters"][0]["copies"] == 1
    quarantined = {row["source_path"]: row["error_code"] for row in stats["quarantined files"]}
    assert quarantined == {CHROME_ONLY: "no_content", EMPTY: "empty"}
    assert {row["error_code"]: row["files"] for row in stats["quarantine reasons"]} == {"no_content": 1, "empty": 1}


def test_stats_counts_how_often_each_rule_fired(warehouse, stats):
    expected = {row["rule"]: row["n"] for row in _rows(warehouse, "select rule, count(*) as n from removals group by 1")}
    assert {row["rule"]: row["hits"] for row in stats["cleaning rules"]} == expected
    assert expected["page_marker"] > 10


def test_stats_as_tables_names_every_section_and_limits_the_quarantine_list(warehouse):
    result = invoke("stats", "--warehouse", warehouse, "--limit", "1")
    assert result.exit_code == 0, result.output
    for title in ("overview", "documents by site", "documents by encoding", "documents by year published",
                  "quarantine reasons", "quarantined files", "cleaning rules"):
        assert f"── {title} ──" in result.output
    assert f"… 1 more: docarchive stats --limit 0 --warehouse {warehouse}" in result.output


# --- schema --------------------------------------------------------------------------------
def test_schema_lists_every_table_and_column_of_the_archive_with_a_meaning(warehouse):
    described = json.loads(invoke("schema", "--format", "json").output)
    actual = {}
    for row in _rows(warehouse, "select table_name, column_name from information_schema.columns "
                                "where table_schema = 'main' order by table_name, ordinal_position"):
        actual.setdefault(row["table_name"], []).append(row["column_name"])
    assert {t["name"]: [c["name"] for c in t["columns"]] for t in described} == actual
    assert all(t["meaning"] and all(c["meaning"] for c in t["columns"]) for t in described)


def test_schema_of_one_table_as_text(warehouse):
    result = invoke("schema", "documents")
    assert result.exit_code == 0
    assert result.output.startswith("documents (table): ")
    assert "duplicate_of   VARCHAR    doc_id of the canonical document" in result.output
    assert "rule_hits" not in result.output


def test_schema_of_an_unknown_table_names_the_known_ones():
    result = invoke("schema", "nope")
    assert result.exit_code == 1 and "canonical_documents" in result.output


# --- views ---------------------------------------------------------------------------------
def test_canonical_documents_leaves_out_duplicates(warehouse):
    paths = {row["source_path"] for row in _rows(warehouse, "select source_path from canonical_documents")}
    assert DUPLICATED_SEED in paths and GBK_COPY not in paths


def test_duplicate_clusters_has_one_row_per_cluster_with_its_copies(warehouse):
    assert _rows(warehouse, "select canonical_doc_id, source_path, copies, duplicate_doc_ids, duplicate_source_paths "
                            "from duplicate_clusters") == [{
        "canonical_doc_id": _doc_id(warehouse, DUPLICATED_SEED), "source_path": DUPLICATED_SEED, "copies": 1,
        "duplicate_doc_ids": [_doc_id(warehouse, GBK_COPY)], "duplicate_source_paths": [GBK_COPY]}]


def test_rule_hits_counts_documents_and_hits_with_an_example(warehouse):
    hits = {row["rule"]: row for row in _rows(warehouse, "select * from rule_hits")}
    marker = _rows(warehouse, "select count(*) as hits, count(distinct doc_id) as docs from removals "
                              "where rule = 'page_marker'")[0]
    assert (hits["page_marker"]["hits"], hits["page_marker"]["documents"]) == (marker["hits"], marker["docs"])
    example = hits["related_links"]["example"]
    assert _rows(warehouse, "select count(*) as n from removals where rule = 'related_links' and text = ?",
                 [example])[0]["n"] >= 1


def test_an_archive_from_before_the_views_is_migrated_when_read(tmp_path):
    con = duckdb.connect(str(tmp_path / "archive.duckdb"))
    con.execute(migrations()[1])
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.close()
    result = invoke("stats", "--warehouse", tmp_path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert _rows(tmp_path, "select max(version) as v from schema_version")[0]["v"] == latest_version()
