"""Look inside the archive: one document with everything removed from it, and the archive's counts.

Library code for `docarchive show` / `docarchive stats` and the Python API: it returns rows
and raises typed errors; printing them is the CLI's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from warehouse.catalog import ensure_current_schema
from warehouse.store import Archive, ArchiveError

# A doc_id prefix shorter than this matches too much to be meant as one document.
MIN_PREFIX_LENGTH = 6
# How to find an id, for the messages of the errors below.
_FIND_IDS = "find ids with: docarchive sql \"select doc_id, title from documents where title like '%WORD%'\""


class DocumentNotFoundError(ArchiveError):
    """No document has this id (or an id starting with it)."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        super().__init__(f"no document with id {doc_id!r} in the archive; {_FIND_IDS}")


class AmbiguousDocumentIdError(ArchiveError):
    """The id prefix matches several documents."""

    def __init__(self, prefix: str, matches: list[str]):
        self.prefix = prefix
        self.matches = matches
        super().__init__(f"{prefix!r} starts {len(matches)} document ids ({', '.join(matches[:5])}"
                         f"{', …' if len(matches) > 5 else ''}): give more characters of the id")


@dataclass(frozen=True)
class DocumentReport:
    """One document and everything known about it, as rows (column name -> value)."""

    document: dict
    source: dict | None
    removals: list[dict]
    # The canonical copy this document duplicates (doc_id, title, source_path), when it is one.
    canonical: dict | None = None
    # The documents that are copies of this one, when it is canonical.
    copies: list[dict] = field(default_factory=list)


def resolve_doc_id(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    """The full id for `doc_id`, which may be a unique prefix of one (like a git commit id)."""
    if con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone():
        return doc_id
    if len(doc_id) < MIN_PREFIX_LENGTH:
        raise DocumentNotFoundError(doc_id)
    matches = [row[0] for row in con.execute(
        "SELECT doc_id FROM documents WHERE starts_with(doc_id, ?) ORDER BY doc_id LIMIT 20", [doc_id]).fetchall()]
    if not matches:
        raise DocumentNotFoundError(doc_id)
    if len(matches) > 1:
        raise AmbiguousDocumentIdError(doc_id, matches)
    return matches[0]


def document_report(archive: Archive, doc_id: str) -> DocumentReport:
    """The document `doc_id` (or a unique prefix of it), its source file, removals and cluster."""
    with archive.connect(read_only=True) as con:
        doc_id = resolve_doc_id(con, doc_id)
        document = _one(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])
        source = _one(con, "SELECT * FROM sources WHERE source_path = ? AND sha256 = ?",
                      [document["source_path"], document["source_sha256"]])
        removals = _all(con, "SELECT seq, rule, reason, text FROM removals WHERE doc_id = ? ORDER BY seq", [doc_id])
        canonical = None
        if document["duplicate_of"] is not None:
            canonical = _one(con, "SELECT doc_id, title, source_path FROM documents WHERE doc_id = ?",
                             [document["duplicate_of"]])
        copies = _all(con, "SELECT doc_id, source_path, site, superseded_at FROM documents "
                           "WHERE duplicate_of = ? ORDER BY ingest_seq", [doc_id])
    return DocumentReport(document, source, removals, canonical, copies)


def removals_of(archive: Archive, doc_id: str) -> list[dict]:
    """Everything the cleaning rules removed from one document, in order (seq, rule, reason, text)."""
    with archive.connect(read_only=True) as con:
        doc_id = resolve_doc_id(con, doc_id)
        return _all(con, "SELECT seq, rule, reason, text FROM removals WHERE doc_id = ? ORDER BY seq", [doc_id])


# Each section of `docarchive stats`: a title and the query that fills it. Counts are over the
# archive as it stands now: superseded versions of changed files are left out.
STATS_QUERIES: dict[str, str] = {
    "overview": """
        SELECT 'documents' AS measure, count(*) AS value FROM documents WHERE superseded_at IS NULL
        UNION ALL SELECT 'canonical documents', count(*) FROM canonical_documents
        UNION ALL SELECT 'duplicates', count(*) FROM documents WHERE superseded_at IS NULL AND duplicate_of IS NOT NULL
        UNION ALL SELECT 'duplicate clusters', count(*) FROM duplicate_clusters
        UNION ALL SELECT 'superseded documents', count(*) FROM documents WHERE superseded_at IS NOT NULL
        UNION ALL SELECT 'source files', count(*) FROM sources WHERE superseded_at IS NULL
        UNION ALL SELECT 'quarantined files', count(*) FROM sources WHERE superseded_at IS NULL AND status = 'quarantined'
        UNION ALL SELECT 'runs', count(*) FROM runs""",
    "documents by site": """
        SELECT site, count(*) AS documents, count(*) FILTER (WHERE duplicate_of IS NULL) AS canonical,
               count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates, CAST(sum(char_count) AS BIGINT) AS characters
        FROM documents WHERE superseded_at IS NULL GROUP BY site ORDER BY documents DESC, site NULLS LAST""",
    "documents by encoding": """
        SELECT encoding, count(*) AS documents, count(*) FILTER (WHERE duplicate_of IS NULL) AS canonical
        FROM documents WHERE superseded_at IS NULL GROUP BY encoding ORDER BY documents DESC, encoding""",
    "documents by year published": """
        SELECT CAST(year(published_at) AS INTEGER) AS year, count(*) AS documents,
               count(*) FILTER (WHERE duplicate_of IS NULL) AS canonical
        FROM documents WHERE superseded_at IS NULL GROUP BY 1 ORDER BY 1 NULLS LAST""",
    "largest duplicate clusters": """
        SELECT canonical_doc_id, title, copies FROM duplicate_clusters
        ORDER BY copies DESC, canonical_doc_id LIMIT 10""",
    "quarantine reasons": """
        SELECT error_code, count(*) AS files, mode(error) AS reason FROM sources
        WHERE superseded_at IS NULL AND status = 'quarantined' GROUP BY error_code ORDER BY files DESC, error_code""",
    "quarantined files": """
        SELECT source_path, error_code, error FROM sources
        WHERE superseded_at IS NULL AND status = 'quarantined' ORDER BY source_path LIMIT ?""",
    "cleaning rules": """
        SELECT rule, hits, documents, reason FROM rule_hits ORDER BY hits DESC, rule""",
}


def archive_stats(archive: Archive, quarantined_files_limit: int | None = 20) -> dict[str, pa.Table]:
    """Every section of `docarchive stats`, by title, as Arrow tables (one read-only connection)."""
    ensure_current_schema(archive)
    limit = quarantined_files_limit if quarantined_files_limit is not None else 2**62
    with archive.connect(read_only=True) as con:
        return {
            title: con.execute(query, [limit] if "LIMIT ?" in query else []).to_arrow_table()
            for title, query in STATS_QUERIES.items()
        }


def _one(con: duckdb.DuckDBPyConnection, query: str, params: list) -> dict | None:
    rows = _all(con, query, params)
    return rows[0] if rows else None


def _all(con: duckdb.DuckDBPyConnection, query: str, params: list) -> list[dict]:
    cursor = con.execute(query, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]
