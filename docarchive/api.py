"""The Python API: read the archive from other projects.

Everything here reads; nothing writes documents. Connections go through
`warehouse.store.Archive`, which opens the DuckDB file read-only for one query at a time and
retries while an ingest holds it, so a long loop over `documents()` never blocks an ingest.
Prefect is never imported on this path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from warehouse.catalog import TableInfo, ensure_current_schema, table_info
from warehouse.export import CANONICAL, CURRENT
from warehouse.inspection import document_report, removals_of
from warehouse.store import DEFAULT_LOCK_TIMEOUT_S, Archive, ArchiveError, ArchiveMissingError

# Documents per page of `documents()`: ~500 × 15 KB keeps a page near 8 MB, and a page is one
# short read-only connection, so an ingest waits at most one page for the file.
DEFAULT_PAGE_SIZE = 500


class QueryError(ArchiveError):
    """A query (or a `where` condition) the archive could not run, with DuckDB's reason."""


@dataclass(frozen=True, slots=True)
class Document:
    """One clean document: the contract's columns of `documents`, then the archive's extras.

    What each field means: `ArchiveReader.schema("documents")`, or `docarchive schema documents`.
    """

    doc_id: str
    source_path: str
    part_index: int
    title: str
    text: str
    source_url: str | None
    site: str | None
    published_at: datetime | None
    encoding: str
    is_truncated: bool
    duplicate_of: str | None
    char_count: int
    # beyond the contract
    source_sha256: str
    content_hash: str
    split_note: str | None
    run_id: str
    ingested_at: datetime
    ingest_seq: int
    superseded_at: datetime | None

    @property
    def is_canonical(self) -> bool:
        """Not a duplicate of another document, and its source file not changed since."""
        return self.duplicate_of is None and self.superseded_at is None


@dataclass(frozen=True, slots=True)
class Removal:
    """Text a cleaning rule removed from a document: the answer to "why did this line disappear?"."""

    seq: int
    rule: str
    reason: str
    text: str


_DOCUMENT_COLUMNS = tuple(field.name for field in fields(Document))


def open_archive(warehouse: str | Path | None = None, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> ArchiveReader:
    """Open the archive in `warehouse` (default: `$DOCARCHIVE_WAREHOUSE`, else `./warehouse`) for reading.

    Raises ArchiveMissingError when there is no archive there yet. An archive written by an
    older docarchive is migrated to this version's schema first (one short write).
    """
    store = Archive(warehouse, lock_timeout_s=lock_timeout_s)
    if not store.path.exists():
        raise ArchiveMissingError(
            f"no archive at {store.path}: run `docarchive ingest SOURCE --warehouse {store.warehouse}` first"
        )
    ensure_current_schema(store)
    return ArchiveReader(store)


class ArchiveReader:
    """Read-only access to one archive: documents as typed records or Arrow, and SQL."""

    def __init__(self, store: Archive):
        self._store = store

    @property
    def path(self) -> Path:
        """The archive's DuckDB file."""
        return self._store.path

    def __repr__(self) -> str:
        return f"<ArchiveReader {self.path}>"

    def documents(self, where: str | None = None, params: Sequence[Any] | None = None, *,
                  include_duplicates: bool = False, limit: int | None = None,
                  page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Document]:
        """Yield documents one by one, in ingestion order, reading a page at a time.

        `where` is an SQL condition on the `documents` columns, with `?` for each of `params`
        (e.g. `where="site = ? AND char_count > 1000", params=["taowenge.com"]`). Canonical
        documents only unless `include_duplicates`; superseded versions never. The iteration
        sees the archive as it was when it started: documents added meanwhile are left out.
        """
        condition, values = self._condition(where, params, include_duplicates)
        newest = self._query("SELECT max(ingest_seq) AS newest FROM documents", []).column("newest")[0].as_py()
        if newest is None:
            return
        after, remaining = (-1, ""), limit
        query = (f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM documents WHERE ({condition}) AND ingest_seq <= ? "
                 "AND (ingest_seq > ? OR (ingest_seq = ? AND doc_id > ?)) ORDER BY ingest_seq, doc_id LIMIT ?")
        while remaining is None or remaining > 0:
            size = page_size if remaining is None else min(page_size, remaining)
            rows = self._query(query, [*values, newest, after[0], after[0], after[1], size]).to_pylist()
            for row in rows:
                yield Document(**row)
            if len(rows) < size:
                return
            after = (rows[-1]["ingest_seq"], rows[-1]["doc_id"])
            remaining = None if remaining is None else remaining - len(rows)

    def to_arrow(self, where: str | None = None, params: Sequence[Any] | None = None, *,
                 include_duplicates: bool = False, columns: Sequence[str] | None = None,
                 limit: int | None = None) -> pa.Table:
        """The matching documents as one Arrow table (all in memory), in ingestion order.

        Same `where`, `params` and `include_duplicates` as `documents()`; `columns` picks columns
        (default: every column of `documents`).
        """
        condition, values = self._condition(where, params, include_duplicates)
        selected = ", ".join(_identifier(name) for name in columns) if columns else "*"
        query = f"SELECT {selected} FROM documents WHERE ({condition}) ORDER BY ingest_seq, doc_id"
        if limit is not None:
            query += " LIMIT ?"
            values.append(limit)
        return self._query(query, values)

    def sql(self, query: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run one read-only SQL query and return its rows as Arrow.

        Every table and view is there (`canonical_documents`, `duplicate_clusters`, `rule_hits`,
        ...; see `docarchive schema`), with `?` for each of `params`.
        """
        return self._query(query, list(params or []))

    def document(self, doc_id: str) -> Document:
        """One document by id (or a unique prefix of one); DocumentNotFoundError when there is none."""
        row = document_report(self._store, doc_id).document
        return Document(**{name: row[name] for name in _DOCUMENT_COLUMNS})

    def removals(self, doc_id: str) -> list[Removal]:
        """What the cleaning rules removed from one document, in order."""
        return [Removal(**row) for row in removals_of(self._store, doc_id)]

    def schema(self, name: str = "documents") -> TableInfo:
        """A table or view's columns, types and meanings (KeyError for an unknown name)."""
        return table_info(name)

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _condition(where: str | None, params: Sequence[Any] | None, include_duplicates: bool) -> tuple[str, list]:
        condition = CURRENT if include_duplicates else CANONICAL
        if where:
            condition = f"{condition} AND ({where})"
        return condition, list(params or [])

    def _query(self, query: str, params: list) -> pa.Table:
        try:
            return self._store.query(query, params)
        except duckdb.Error as error:
            raise QueryError(f"the query failed: {error}") from error


def _identifier(name: str) -> str:
    """A column name quoted for SQL, so any name is read as a name and never as SQL."""
    return '"' + name.replace('"', '""') + '"'
