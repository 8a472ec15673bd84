"""Bring an archive's schema up to date, step by step, and refuse a schema that drifted.

`schema.sql` holds one section per version; an archive records the versions it has applied in
`schema_version`. Each missing section runs in its own transaction, so a migration killed
midway leaves the archive at the previous version, never between two.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from importlib.resources import files

import duckdb

_SECTION = re.compile(r"^-- version: (\d+)\s*$", re.M)


class SchemaDriftError(RuntimeError):
    """The archive's tables do not have the columns this version of docarchive expects."""


@lru_cache(maxsize=1)
def migrations() -> dict[int, str]:
    """Every version's SQL, by version number, read from schema.sql."""
    sql = files("warehouse").joinpath("schema.sql").read_text(encoding="utf-8")
    marks = list(_SECTION.finditer(sql))
    return {
        int(mark.group(1)): sql[mark.end() : marks[i + 1].start() if i + 1 < len(marks) else len(sql)]
        for i, mark in enumerate(marks)
    }


def latest_version() -> int:
    return max(migrations())


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration above the archive's version; return the version it is now at."""
    version = current_version(con)
    if version > latest_version():
        raise SchemaDriftError(
            f"the archive is at schema version {version}, newer than this docarchive knows "
            f"({latest_version()}): upgrade docarchive before using this archive"
        )
    for target in sorted(v for v in migrations() if v > version):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migrations()[target])
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [target, datetime.now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = target
    check_no_drift(con)
    return version


@lru_cache(maxsize=1)
def expected_columns() -> dict[str, list[str]]:
    """The columns each table must have, as schema.sql builds them, from an in-memory copy."""
    con = duckdb.connect(":memory:")
    for version in sorted(migrations()):
        con.execute(migrations()[version])
    return _columns(con)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def check_no_drift(con: duckdb.DuckDBPyConnection) -> None:
    """Raise SchemaDriftError when a table lacks an expected column or has one in its place."""
    actual = _columns(con)
    for table, columns in expected_columns().items():
        if actual.get(table, [])[: len(columns)] != columns:
            raise SchemaDriftError(
                f"table {table!r} has columns {actual.get(table)} but docarchive expects {columns}: "
                "the archive was changed by hand or by another tool; restore it or export and re-ingest"
            )
