"""Turn a cleaned file into the rows the archive stores, and name each document."""

from __future__ import annotations

import hashlib

from cleaners.pipeline import FileResult
from warehouse.store import DocumentRow, RemovalRow, SourceRow


def doc_id_for(source_sha256: str, part_index: int, content_hash: str) -> str:
    """A document's stable id: the same raw file and the same clean text give the same id.

    It names the text *and* the file version it came from, so that two files holding one text
    are two rows (each with its own path, site and URL) linked by `duplicate_of`, while
    re-ingesting the same bytes always yields the same id.

    >>> doc_id_for("ab" * 32, 0, "cd" * 16) == doc_id_for("ab" * 32, 0, "cd" * 16)
    True
    >>> len(doc_id_for("ab" * 32, 1, "cd" * 16))
    24
    """
    key = f"{source_sha256}:{part_index}:{content_hash}".encode("ascii")
    return hashlib.blake2b(key, digest_size=12).hexdigest()


def rows_for(result: FileResult, sha256: str, size_bytes: int, mtime_ns: int | None) -> tuple[SourceRow, list[DocumentRow], list[RemovalRow]]:
    """The `sources` row, `documents` rows and `removals` rows for one cleaned file."""
    source = SourceRow(
        source_path=result.source_path, sha256=sha256, size_bytes=size_bytes,
        status="quarantined" if result.quarantined else "ok",
        error=result.error, error_code=result.error_code, encoding=result.encoding, mtime_ns=mtime_ns,
        replacement_chars=result.replacement_chars if result.encoding else None,
    )
    documents, removals = [], []
    for doc in result.documents:
        doc_id = doc_id_for(sha256, doc.part_index, doc.content_hash)
        documents.append(DocumentRow(
            doc_id=doc_id, source_path=result.source_path, part_index=doc.part_index, title=doc.title,
            text=doc.text, source_url=doc.source_url, site=doc.site, published_at=doc.published_at,
            encoding=result.encoding or "unknown", is_truncated=doc.is_truncated, duplicate_of=None,
            char_count=doc.char_count, source_sha256=sha256, content_hash=doc.content_hash,
            split_note=doc.split_note,
        ))
        removals.extend(
            RemovalRow(doc_id, seq, r.rule, r.text, r.reason) for seq, r in enumerate(doc.removals)
        )
    return source, documents, removals
