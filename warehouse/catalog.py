"""What the archive's tables and columns are and mean, read from the schema's own COMMENTs.

The meanings are written once, as `COMMENT ON` statements in `schema.sql`; `docarchive schema`,
the export's schema description and the Python API all read them from here. The catalog is
built from `schema.sql` in an in-memory database, so it describes the schema this version of
docarchive creates, with or without an archive on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import duckdb

from warehouse.schema import SchemaDriftError, current_version, latest_version, migrations
from warehouse.store import Archive, ArchiveError

# The version of ../shared/ARCHIVE-CONTRACT.md this archive keeps to. Additions (tables,
# columns, views) do not change it: only a breaking change would, and the contract forbids those.
CONTRACT_VERSION = 1
# Tables in the order a reader wants them: the contract's first, bookkeeping last.
_TABLE_ORDER = ("documents", "sources", "removals", "runs", "schema_version")
# A view column without a COMMENT means what the same column of this table means.
_VIEW_COLUMNS_DEFAULT_TO = "documents"


class SchemaVersionError(ArchiveError):
    """The archive's schema is newer than this docarchive, or could not be brought up to date."""


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    name: str
    type: str
    nullable: bool
    meaning: str


@dataclass(frozen=True, slots=True)
class TableInfo:
    name: str
    kind: str  # "table" or "view"
    meaning: str
    columns: tuple[ColumnInfo, ...]

    def column(self, name: str) -> ColumnInfo:
        """The column called `name`; KeyError when the table has none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


@lru_cache(maxsize=1)
def describe_schema() -> tuple[TableInfo, ...]:
    """Every table, then every view, with its columns, types and meanings.

    >>> [t.name for t in describe_schema()][:2]
    ['documents', 'sources']
    >>> describe_schema()[0].column("duplicate_of").meaning.startswith("doc_id of the canonical")
    True
    """
    con = duckdb.connect(":memory:")
    try:
        for version in sorted(migrations()):
            con.execute(migrations()[version])
        return tuple(_tables(con, "table") + _tables(con, "view"))
    finally:
        con.close()


def table_info(name: str) -> TableInfo:
    """One table or view of the schema; KeyError (naming the known ones) when there is none."""
    for table in describe_schema():
        if table.name == name:
            return table
    known = ", ".join(t.name for t in describe_schema())
    raise KeyError(f"no table or view {name!r}; the archive has: {known}")


def _tables(con: duckdb.DuckDBPyConnection, kind: str) -> list[TableInfo]:
    catalog = "duckdb_tables()" if kind == "table" else "duckdb_views()"
    name_column = "table_name" if kind == "table" else "view_name"
    rows = con.execute(
        f"SELECT {name_column}, comment FROM {catalog} WHERE NOT internal AND schema_name = 'main'"
    ).fetchall()
    order = {name: index for index, name in enumerate(_TABLE_ORDER)}
    rows.sort(key=lambda row: (order.get(row[0], len(order)), row[0]))
    defaults = _column_comments(con, _VIEW_COLUMNS_DEFAULT_TO) if kind == "view" else {}
    return [TableInfo(name, kind, comment or "", _columns(con, name, defaults)) for name, comment in rows]


def _columns(con: duckdb.DuckDBPyConnection, table: str, defaults: dict[str, str]) -> tuple[ColumnInfo, ...]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE table_name = ? AND NOT internal AND schema_name = 'main' ORDER BY column_index",
        [table],
    ).fetchall()
    return tuple(
        ColumnInfo(name, data_type, nullable, comment or defaults.get(name, ""))
        for name, data_type, nullable, comment in rows
    )


def _column_comments(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ? AND comment IS NOT NULL", [table]
    ).fetchall()
    return dict(rows)


def ensure_current_schema(archive: Archive) -> int:
    """Bring an archive written by an older docarchive up to this version's schema.

    Readers need the views the newer sections add. The check is one read-only query; only an
    archive that is behind is opened for writing, for one short migration.
    """
    with archive.connect(read_only=True) as con:
        version = current_version(con)
    if version > latest_version():
        raise SchemaVersionError(
            f"the archive at {archive.path} is at schema version {version}, newer than this docarchive "
            f"knows ({latest_version()}): upgrade docarchive (pip install -U docarchive)"
        )
    if version < latest_version():
        try:
            archive.initialize()
        except (duckdb.Error, OSError, SchemaDriftError) as error:
            raise SchemaVersionError(
                f"the archive at {archive.path} is at schema version {version} and could not be migrated to "
                f"{latest_version()} ({error}): make it writable, or run `docarchive ingest` on it once"
            ) from error
    return latest_version()
