"""Export the archive's documents for other projects: Parquet or JSON Lines, plus a schema file.

An export is written under a temporary name inside the output directory and renamed into
place, so a reader never sees half of one. Beside the data goes `<data>.schema.json`: the
columns with their types and meanings (read from the schema's COMMENTs, see catalog.py), the
filter, the `--since` it started from, the row count, and what to pass as `--since` next time
to follow the archive incrementally.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

import duckdb

from warehouse.catalog import CONTRACT_VERSION, table_info
from warehouse.schema import current_version
from warehouse.store import Archive, ArchiveError

CANONICAL = "duplicate_of IS NULL AND superseded_at IS NULL"
CURRENT = "superseded_at IS NULL"
FORMATS = ("parquet", "jsonl")
# Hive-style directories `site=<site>/year=<year>/`: a consumer reads one site or year alone.
PARTITION_COLUMNS = ("site", "year")
# Rows per Parquet row group. A document is ~5,000 characters (~15 KB of UTF-8), so 2,048 rows
# (one DuckDB vector) make row groups of ~30 MB before compression: large enough to compress
# and scan well, small enough that a reader streaming row groups holds little in memory.
ROW_GROUP_ROWS = 2048
# `year` exists only in the Parquet export, as a partition key; every other column is the archive's.
YEAR_MEANING = "year of published_at (Parquet partition key); NULL when the publication time is unknown"
JSONL_BATCH_ROWS = 1000


class ExportError(ArchiveError):
    """The export could not be written as asked."""


class UnknownRunError(ExportError):
    """`--since` named a run the archive does not have."""


@dataclass(frozen=True, slots=True)
class Since:
    """Where an incremental export starts: after a run, or at a date/time of ingestion."""

    kind: str  # "run" or "date"
    value: str
    started_at: datetime | None = None  # of the run, for kind "run"

    def condition(self) -> tuple[str, list]:
        """The SQL condition on `documents` and its parameters."""
        if self.kind == "run":
            return "run_id IN (SELECT run_id FROM runs WHERE started_at > ?)", [self.started_at]
        return "ingested_at >= ?", [_parse_datetime(self.value)]

    def as_json(self) -> dict:
        if self.kind == "run":
            return {"kind": "run", "run_id": self.value, "run_started_at": self.started_at.isoformat(),
                    "means": "documents added by runs that started after this run"}
        return {"kind": "date", "value": self.value, "means": "documents with ingested_at at or after this time"}


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    rows: int
    schema_path: Path
    next_since: str | None


def _parse_datetime(text: str) -> datetime | None:
    """A date (`2024-05-01`) or ISO date-time (`2024-05-01T08:00:00`); None for anything else.

    >>> _parse_datetime("2024-05-01")
    datetime.datetime(2024, 5, 1, 0, 0)
    >>> _parse_datetime("5d756301-1974-4844-b680-8f7859f12837") is None
    True
    """
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def resolve_since(con: duckdb.DuckDBPyConnection, text: str) -> Since:
    """Read `--since`: a date or date-time compares with ingested_at; anything else is a run id."""
    if _parse_datetime(text) is not None:
        return Since("date", text)
    row = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [text]).fetchone()
    if row is None:
        raise UnknownRunError(
            f"--since {text!r} is neither a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS) nor a run in the archive; "
            "list the runs with: docarchive sql \"select run_id, started_at, status from runs order by started_at\""
        )
    return Since("run", text, row[0])


def export_documents(archive: Archive, out: Path, output_format: str, *, include_duplicates: bool = False,
                     since: str | None = None) -> Exported:
    """Write documents to `out/documents.parquet/` (partitioned) or `out/documents.jsonl`.

    Canonical documents only unless `include_duplicates`; with `since` (a date or a run id),
    only those that arrived since. Superseded versions are never exported.
    """
    if output_format not in FORMATS:
        raise ExportError(f"unknown export format {output_format!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        raise ExportError(f"--out {out} is a file, not a directory: give a directory to export into") from error
    final = out / f"documents.{output_format}"
    temporary = out / f".{final.name}.tmp-{uuid.uuid4().hex[:12]}"
    try:
        with archive.connect(read_only=True) as con:
            since_point = resolve_since(con, since) if since else None
            where, params = _where(include_duplicates, since_point)
            writer = _write_parquet if output_format == "parquet" else _write_jsonl
            rows, columns = writer(con, where, params, temporary)
            description = _description(con, archive, output_format, final, include_duplicates, since_point,
                                       where, rows, columns)
        _move_into_place(temporary, final)
    finally:
        _remove(temporary)
    schema_path = out / f"{final.name}.schema.json"
    _write_json_atomically(schema_path, description)
    return Exported(final, rows, schema_path, description["follow"]["next_since"])


def _where(include_duplicates: bool, since: Since | None) -> tuple[str, list]:
    where, params = (CURRENT if include_duplicates else CANONICAL), []
    if since is not None:
        condition, params = since.condition()
        where = f"{where} AND {condition}"
    return where, params


def _write_parquet(con: duckdb.DuckDBPyConnection, where: str, params: list, target: Path) -> tuple[int, list]:
    """COPY to hive partitions under `target`; return the row count and the columns as read back."""
    query = (f"SELECT *, CAST(year(published_at) AS INTEGER) AS year FROM documents "
             f"WHERE {where} ORDER BY ingest_seq")
    columns = con.execute(f"DESCRIBE {query}", params).fetchall()
    rows = con.execute(
        f"COPY ({query}) TO '{_sql_path(target)}' (FORMAT parquet, COMPRESSION zstd, "
        f"PARTITION_BY ({', '.join(PARTITION_COLUMNS)}), ROW_GROUP_SIZE {ROW_GROUP_ROWS})",
        params,
    ).fetchone()[0]
    target.mkdir(exist_ok=True)  # an export of no rows is an empty directory, not a missing one
    return rows, [(name, data_type) for name, data_type, *_ in columns]


def _write_jsonl(con: duckdb.DuckDBPyConnection, where: str, params: list, target: Path) -> tuple[int, list]:
    """One document per line, UTF-8 as is (no \\u escapes), timestamps in ISO 8601."""
    cursor = con.execute(f"SELECT * FROM documents WHERE {where} ORDER BY ingest_seq", params)
    names = [column[0] for column in cursor.description]
    columns = [(column[0], str(column[1])) for column in cursor.description]
    rows = 0
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        while chunk := cursor.fetchmany(JSONL_BATCH_ROWS):
            for values in chunk:
                record = dict(zip(names, map(_json_value, values)))
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            rows += len(chunk)
    return rows, columns


def _json_value(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _description(con: duckdb.DuckDBPyConnection, archive: Archive, output_format: str, final: Path,
                 include_duplicates: bool, since: Since | None, where: str, rows: int, columns: list) -> dict:
    """The schema description that travels with the export (`<data>.schema.json`)."""
    complete = _latest_complete_run(con)
    next_since = since.value if since is not None and since.kind == "run" else None
    if complete is not None and (since is None or since.kind == "date" or complete[1] > since.started_at):
        next_since = complete[0]
    return {
        "data": final.name,
        "format": output_format,
        "contract_version": CONTRACT_VERSION,
        "schema_version": current_version(con),
        "docarchive_version": _docarchive_version(),
        "exported_at": datetime.now().isoformat(),
        "archive": str(archive.path.resolve()),
        "documents": "all current documents, duplicates included" if include_duplicates
                     else "canonical documents only (no duplicates, no superseded versions)",
        "filter": where,
        "since": since.as_json() if since is not None else None,
        "rows": rows,
        "latest_complete_run": {"run_id": complete[0], "started_at": complete[1].isoformat()} if complete else None,
        "follow": {
            "next_since": next_since,
            "how": "export again with --since <next_since> to get only what arrived since this export; "
                   "upsert by doc_id (a run still running now may be exported again then)",
        },
        **_format_details(output_format),
        "columns": _column_descriptions(columns, output_format),
        "notes": [
            "duplicate_of of documents exported earlier can change when a better copy arrives later (the old "
            "canonical becomes a duplicate), and superseded_at is set when a source file changes: a consumer "
            "following incrementally should also re-read them for all documents, e.g. docarchive sql "
            "\"select doc_id, duplicate_of, superseded_at from documents\" --format jsonl",
        ],
    }


def _format_details(output_format: str) -> dict:
    if output_format == "jsonl":
        return {"encoding": "UTF-8, one JSON object per line, timestamps in ISO 8601 (local time, no zone)"}
    return {
        "compression": "zstd",
        "row_group_rows": ROW_GROUP_ROWS,
        "partitioning": {
            "style": "hive",
            "columns": {"site": "VARCHAR", "year": "INTEGER"},
            "layout": "documents.parquet/site=<site>/year=<year>/data_<n>.parquet; values URL-encoded; "
                      "NULL is __HIVE_DEFAULT_PARTITION__; site and year are in the directory names, not the files",
        },
        "read_with": {
            "pyarrow": "pyarrow.parquet.read_table('documents.parquet')",
            "duckdb": "select * from read_parquet('documents.parquet/**/*.parquet', hive_partitioning = true, "
                      "hive_types = {'site': VARCHAR, 'year': INTEGER})",
        },
    }


def _column_descriptions(columns: list, output_format: str) -> list[dict]:
    meanings = {column.name: column.meaning for column in table_info("documents").columns}
    described = []
    for name, data_type in columns:
        entry = {"name": name, "type": data_type, "meaning": YEAR_MEANING if name == "year" else meanings.get(name, "")}
        if output_format == "parquet" and name in PARTITION_COLUMNS:
            entry["partition_key"] = True
        described.append(entry)
    return described


def _latest_complete_run(con: duckdb.DuckDBPyConnection) -> tuple[str, datetime] | None:
    """The newest run such that it and every run started before it have ended.

    Documents of later runs may be partly in the archive; following from this run picks them
    up in full next time.
    """
    return con.execute(
        "SELECT run_id, started_at FROM runs WHERE started_at < coalesce("
        "(SELECT min(started_at) FROM runs WHERE status = 'running'), 'infinity'::TIMESTAMP) "
        "ORDER BY started_at DESC LIMIT 1"
    ).fetchone()


def _docarchive_version() -> str | None:
    try:
        return package_version("docarchive")
    except PackageNotFoundError:
        return None


def _move_into_place(new: Path, final: Path) -> None:
    """Rename `new` to `final`; an older export there is moved aside first, then deleted.

    A file replaces a file in one atomic rename. A directory cannot be renamed over a non-empty
    one, so the old one is renamed away just before: for that instant `final` is missing,
    never half written.
    """
    if not (final.is_dir() or new.is_dir()) or not final.exists():
        os.replace(new, final)
        return
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:12]}")
    os.rename(final, old)
    os.rename(new, final)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _write_json_atomically(path: Path, content: dict) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:12]}")
    temporary.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
