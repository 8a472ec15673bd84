"""Export the archive's documents for other projects."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from warehouse.store import Archive

CANONICAL = "duplicate_of IS NULL AND superseded_at IS NULL"


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    rows: int


def export_documents(archive: Archive, out: Path, output_format: str, *, include_duplicates: bool = False) -> Exported:
    """Write documents to `out/documents.parquet` or `out/documents.jsonl`, atomically."""
    out.mkdir(parents=True, exist_ok=True)
    where = "superseded_at IS NULL" if include_duplicates else CANONICAL
    query = f"SELECT * FROM documents WHERE {where} ORDER BY ingest_seq"
    final = out / f"documents.{output_format}"
    temporary = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    with archive.connect(read_only=True) as con:
        if output_format == "parquet":
            con.execute(f"COPY ({query}) TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)")
            rows = con.execute(f"SELECT count(*) FROM documents WHERE {where}").fetchone()[0]
        else:
            rows = 0
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description]
            with open(temporary, "w", encoding="utf-8") as handle:
                while chunk := cursor.fetchmany(1000):
                    for values in chunk:
                        record = {c: (v.isoformat() if hasattr(v, "isoformat") else v) for c, v in zip(columns, values)}
                        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                        rows += 1
    os.replace(temporary, final)
    return Exported(final, rows)
