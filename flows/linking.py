"""Link each new document to the canonical copy of its duplicate cluster, across runs.

Orchestration only: the matching rules live in `cleaners/dedup.py`. This module loads the
archive's stored signatures into a `SignatureIndex` once per run, asks the engine about each
batch (fetching archived texts only for candidates), and turns its answer into the batch's
`duplicate_of` values, the relinks of archived documents whose canonical copy changed, and the
rows of the `signatures` and `duplicates` tables.
"""

from __future__ import annotations

import pyarrow as pa

from cleaners.dedup import DedupDoc, DedupResult, SignatureIndex, find_duplicates
from warehouse import Archive
from warehouse.store import Batch

_DUPLICATE_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("cluster_id", pa.string()), ("matched_doc_id", pa.string()),
    ("method", pa.string()), ("similarity", pa.float64()), ("run_id", pa.string()),
])


class DuplicateLinker:
    """The run's view of every archived document's signatures, grown batch after batch.

    `changing_paths` are the paths whose current version this run replaces: their documents
    are left out of the index, so a file's new version is never filed as a copy of the old
    one it supersedes.
    """

    def __init__(self, archive: Archive, changing_paths: set[str] = frozenset()):
        self.archive = archive
        self._pending: DedupResult | None = None
        stored = archive.query(
            "SELECT s.*, d.duplicate_of, d.source_path FROM signatures s JOIN documents d USING (doc_id) "
            "WHERE d.superseded_at IS NULL"
        ) if archive.path.exists() else None
        if stored is not None and changing_paths:
            keep = [path not in changing_paths for path in stored.column("source_path").to_pylist()]
            stored = stored.filter(pa.array(keep, pa.bool_()))
        self.index = SignatureIndex.from_arrow(stored.drop_columns(["source_path"])) if stored is not None else SignatureIndex()
        self._next_order = archive.query("SELECT coalesce(max(ingest_seq), 0) + 1 AS n FROM documents").column("n")[0].as_py() \
            if archive.path.exists() else 1

    def link(self, batch: Batch, signatures: pa.Table, run_id: str) -> int:
        """Set the batch's `duplicate_of`, relinks and signature/duplicate rows; return how many
        of its documents are copies. Call `commit()` once the batch is stored."""
        orders = list(range(self._next_order, self._next_order + len(batch.documents)))
        self._next_order += len(batch.documents)
        for doc, order in zip(batch.documents, orders):
            doc.ingest_seq = order
        signatures = signatures.set_column(
            signatures.schema.get_field_index("order"), "order", pa.array(orders, pa.int64()))
        docs = [DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.ingest_seq) for d in batch.documents]
        result = find_duplicates(docs, self.index, self._fetch_texts, signatures=signatures)

        in_batch = {doc.doc_id: doc for doc in batch.documents}
        for doc_id, canonical in result.canonical.items():
            if doc_id in in_batch:
                in_batch[doc_id].duplicate_of = canonical
        batch.relinks.update({doc_id: to for doc_id, to in result.changed.items() if doc_id not in in_batch})
        batch.extra["signatures"] = result.signatures
        batch.extra["duplicates"] = pa.Table.from_pylist(
            [{"doc_id": m.doc_id, "cluster_id": result.canonical.get(m.doc_id) or m.doc_id,
              "matched_doc_id": m.matched_doc_id, "method": m.method, "similarity": m.similarity, "run_id": run_id}
             for m in result.matches],
            schema=_DUPLICATE_SCHEMA,
        )
        self._pending = result
        return sum(1 for doc in batch.documents if doc.duplicate_of is not None)

    def commit(self) -> None:
        """The batch was stored: its signatures and moved links join the index."""
        if self._pending is not None:
            self.index.add(self._pending)
            self._pending = None

    def _fetch_texts(self, doc_ids: list[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        rows = self.archive.query("SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT unnest(?))", [doc_ids])
        return dict(zip(rows.column("doc_id").to_pylist(), rows.column("text").to_pylist()))
