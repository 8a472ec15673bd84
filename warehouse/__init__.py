"""The archive's storage: schema (schema.sql, versioned), the DuckDB connection, writes,
Parquet copies. All storage code lives here; the default archive file lives here too
(`warehouse/archive.duckdb`, git-ignored)."""

from warehouse.store import Archive, ArchiveBusyError, ArchiveError, ArchiveMissingError, default_warehouse

__all__ = ["Archive", "ArchiveBusyError", "ArchiveError", "ArchiveMissingError", "default_warehouse"]
