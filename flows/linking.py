"""Link each new document to the canonical copy of its duplicate cluster, across runs.

Orchestration only: the matching rules live in `cleaners/dedup.py`; this module feeds them the
archive's stored state and turns their answer into the batch's `duplicate_of` values and the
relinks of archived documents whose canonical copy changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse import Archive
from warehouse.store import Batch


@dataclass
class _Canonical:
    doc_id: str
    is_truncated: bool
    char_count: int
    order: int


def _better(a: _Canonical, b: _Canonical) -> bool:
    """True when `a` should be the canonical copy rather than `b`: whole, longer, earlier."""
    return (a.is_truncated, -a.char_count, a.order) < (b.is_truncated, -b.char_count, b.order)


class DuplicateLinker:
    """Exact duplicates by content hash, against the archive and within the run."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self._canonical: dict[str, _Canonical] = {}
        self._staged: dict[str, _Canonical] = {}
        self._next_order = 0
        if archive.path.exists():
            rows = archive.query(
                "SELECT content_hash, doc_id, is_truncated, char_count, ingest_seq FROM documents "
                "WHERE duplicate_of IS NULL AND superseded_at IS NULL"
            ).to_pylist()
            for row in rows:
                self._canonical[row["content_hash"]] = _Canonical(
                    row["doc_id"], row["is_truncated"], row["char_count"], row["ingest_seq"]
                )
                self._next_order = max(self._next_order, row["ingest_seq"] + 1)

    def link(self, batch: Batch) -> int:
        """Set `duplicate_of` on the batch's documents; return how many are duplicates."""
        self._staged = {}
        duplicates = 0
        for doc in batch.documents:
            candidate = _Canonical(doc.doc_id, doc.is_truncated, doc.char_count, self._next_order)
            self._next_order += 1
            current = self._staged.get(doc.content_hash) or self._canonical.get(doc.content_hash)
            if current is None:
                self._staged[doc.content_hash] = candidate
                continue
            duplicates += 1
            if _better(candidate, current):
                self._staged[doc.content_hash] = candidate
                self._relink(batch, current.doc_id, candidate.doc_id)
            else:
                doc.duplicate_of = current.doc_id
        return duplicates

    def _relink(self, batch: Batch, old: str, new: str) -> None:
        for doc in batch.documents:
            if doc.doc_id == old or doc.duplicate_of == old:
                doc.duplicate_of = None if doc.doc_id == new else new
        if self.archive.path.exists():
            members = self.archive.query(
                "SELECT doc_id FROM documents WHERE doc_id = ? OR duplicate_of = ?", [old, old]
            ).column("doc_id").to_pylist()
            batch.relinks.update({member: new for member in members})

    def commit(self) -> None:
        """The batch was written: its canonical copies join the index."""
        self._canonical.update(self._staged)
        self._staged = {}
