"""The archive on disk: the DuckDB file, its connections, every write, the Parquet copies.

DuckDB lets one process hold the file for writing, and while it does no other process can
open it at all. So nothing here keeps the file open: the writer opens it for one short
transaction per batch, readers open it read-only for one query, and both retry while the
other holds the lock.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.schema import migrate

ARCHIVE_FILE = "archive.duckdb"
# Held by the run that writes to the warehouse, for the whole run (see WriterLock).
WRITER_LOCK_FILE = "writer.lock"
PARQUET_DIR = "parquet"
EXPORTED_TABLES = ("documents", "sources", "removals", "runs")
# A batch commit holds the lock for well under a second; 60 s covers a long export too.
DEFAULT_LOCK_TIMEOUT_S = 60.0
# Nothing downloads at run time: DuckDB must not fetch an extension a query happens to name.
_NO_NETWORK = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# Rows per row group when writing (DuckDB's default is 122,880). Every commit ends in a
# checkpoint that rewrites the last, partly filled row group of each table, so with the default
# a commit's cost and memory grow with the archive until 122,880 documents (~1.5 GB of text):
# measured on 48,000 real texts in commits of 800, 28 -> 11 CPU s in all, 1.1 -> 0.6 GB of file.
# The size is an ATTACH option, not stored in the file: the writer attaches with it each time.
WRITE_ROW_GROUP_SIZE = 8192


_log = logging.getLogger("docarchive.warehouse")


class ArchiveError(RuntimeError):
    """A problem with the archive itself (missing, busy, damaged), with what to do about it."""


class ArchiveMissingError(ArchiveError):
    pass


class ArchiveBusyError(ArchiveError):
    pass


class WriterLock:
    """An exclusive lock on one warehouse, held by the run writing to it (flock on a file).

    DuckDB's own lock is taken per batch, so it cannot keep two runs apart: both would
    discover the same new files and store them twice. The kernel drops a flock when its
    holder dies, even by SIGKILL, so a killed run never leaves a stale lock behind. The
    file names the holder, for the message a waiting run gives.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, holder: str, on_wait: Callable[[str], object]) -> None:
        import fcntl

        if self._fd is not None:
            raise ArchiveError(f"{self.path} is already held by this process: a run cannot start twice")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                current = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another process"
                on_wait(f"another run is writing to the archive at {self.path.parent} ({current}); "
                        "this run waits for it to finish")
                started = time.monotonic()
                fcntl.flock(fd, fcntl.LOCK_EX)
                on_wait(f"the other run finished after {time.monotonic() - started:.1f} s; this run starts")
            note = f"{holder}, pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M:%S}".encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, note, 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor drops the flock


def default_warehouse() -> Path:
    """`$DOCARCHIVE_WAREHOUSE` when set, else `warehouse/` under the current directory."""
    return Path(os.environ.get("DOCARCHIVE_WAREHOUSE") or "warehouse")


@dataclass
class SourceRow:
    source_path: str
    sha256: str
    size_bytes: int
    status: str
    error: str | None
    error_code: str | None
    encoding: str | None
    mtime_ns: int | None
    same_bytes_as: str | None = None
    replacement_chars: int | None = None


@dataclass
class DocumentRow:
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
    source_sha256: str
    content_hash: str
    split_note: str | None
    # Ingestion order; the duplicate linker sets it (it is the canonical rule's tie-breaker),
    # otherwise the store numbers the batch after the archive's last document.
    ingest_seq: int | None = None


@dataclass
class RemovalRow:
    doc_id: str
    seq: int
    rule: str
    text: str
    reason: str


@dataclass
class Batch:
    """Everything one batch of files adds to the archive, written in one transaction."""

    sources: list[SourceRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    removals: list[RemovalRow] = field(default_factory=list)
    # Existing documents whose canonical copy changed: doc_id -> new duplicate_of (or None).
    relinks: dict[str, str | None] = field(default_factory=dict)
    # Extra tables the batch appends to (e.g. dedup signatures): table name -> Arrow table.
    extra: dict[str, pa.Table] = field(default_factory=dict)


_SOURCE_SCHEMA = pa.schema([
    ("source_path", pa.string()), ("sha256", pa.string()), ("size_bytes", pa.int64()),
    ("status", pa.string()), ("error", pa.string()), ("error_code", pa.string()),
    ("encoding", pa.string()), ("mtime_ns", pa.int64()), ("same_bytes_as", pa.string()),
    ("replacement_chars", pa.int32()),
])
_DOCUMENT_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("source_path", pa.string()), ("part_index", pa.int32()),
    ("title", pa.string()), ("text", pa.string()), ("source_url", pa.string()), ("site", pa.string()),
    ("published_at", pa.timestamp("us")), ("encoding", pa.string()), ("is_truncated", pa.bool_()),
    ("duplicate_of", pa.string()), ("char_count", pa.int32()), ("source_sha256", pa.string()),
    ("content_hash", pa.string()), ("split_note", pa.string()), ("ingest_seq", pa.int64()),
])
_REMOVAL_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("seq", pa.int32()), ("rule", pa.string()), ("text", pa.string()), ("reason", pa.string()),
])


def _arrow(rows: list, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist([vars(row) for row in rows], schema=schema)


class Archive:
    """One warehouse directory: `archive.duckdb` and its Parquet copies."""

    def __init__(self, warehouse: Path | str | None = None, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S):
        self.warehouse = Path(warehouse) if warehouse is not None else default_warehouse()
        self.path = self.warehouse / ARCHIVE_FILE
        self.parquet_dir = self.warehouse / PARQUET_DIR
        self.lock_timeout_s = lock_timeout_s
        self._writer_lock = WriterLock(self.warehouse / WRITER_LOCK_FILE)

    # --- connections ---------------------------------------------------------------------
    @contextmanager
    def connect(self, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection held only for the `with` block, retried while another process holds the file."""
        if read_only and not self.path.exists():
            raise ArchiveMissingError(
                f"no archive at {self.path}: run `docarchive ingest SOURCE --warehouse {self.warehouse}` first"
            )
        if not read_only:
            self.warehouse.mkdir(parents=True, exist_ok=True)
        con = self._open_with_retry(read_only)
        try:
            yield con
        finally:
            con.close()

    def _open_with_retry(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.02
        while True:
            try:
                return self._open(read_only)
            except duckdb.IOException as error:
                if "lock" not in str(error).lower():
                    raise ArchiveError(f"cannot open the archive at {self.path}: {error}") from error
                if time.monotonic() >= deadline:
                    raise ArchiveBusyError(
                        f"the archive at {self.path} stayed locked by another process for "
                        f"{self.lock_timeout_s:.0f} s ({error}); try again when that process has finished"
                    ) from error
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        if read_only:
            return duckdb.connect(str(self.path), read_only=True, config=_NO_NETWORK)
        con = duckdb.connect(config=_NO_NETWORK)
        try:
            path = str(self.path).replace("'", "''")
            con.execute(f"ATTACH '{path}' AS archive (ROW_GROUP_SIZE {WRITE_ROW_GROUP_SIZE})")
            con.execute("USE archive")
        except BaseException:
            con.close()
            raise
        return con

    def initialize(self) -> None:
        """Create the archive if needed and migrate its schema to this version of docarchive."""
        with self.connect(read_only=False) as con:
            migrate(con)

    # --- reads ---------------------------------------------------------------------------
    def query(self, sql: str, params: list | None = None) -> pa.Table:
        """Run one read-only query and return its rows as an Arrow table."""
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).to_arrow_table()

    def archived_sources(self) -> dict[str, tuple[str, int, int | None]]:
        """Current (not superseded) version of every archived path: path -> (sha256, size, mtime_ns)."""
        if not self.path.exists():
            return {}
        rows = self.query(
            "SELECT source_path, sha256, size_bytes, mtime_ns FROM sources WHERE superseded_at IS NULL"
        ).to_pylist()
        return {r["source_path"]: (r["sha256"], r["size_bytes"], r["mtime_ns"]) for r in rows}

    def archived_hashes(self) -> dict[str, str]:
        """sha256 -> a path that holds those bytes, for every archived file version."""
        if not self.path.exists():
            return {}
        rows = self.query("SELECT sha256, min(source_path) AS path FROM sources GROUP BY sha256").to_pylist()
        return {r["sha256"]: r["path"] for r in rows}

    # --- runs ----------------------------------------------------------------------------
    def start_run(self, run_id: str, source: str, flow_run_id: str | None = None,
                  on_wait: Callable[[str], object] | None = None) -> None:
        """Record a run as started; runs left 'running' by a killed process become 'interrupted'.

        First takes the archive's writer lock, held until `finish_run`: two runs on one
        archive never write at once, the second waits (saying so through `on_wait`). Only
        then is a run still marked 'running' known to be dead.
        """
        self._writer_lock.acquire(f"run {run_id} of {source}", on_wait or _log.warning)
        try:
            with self.connect(read_only=False) as con:
                migrate(con)
                con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
                con.execute(
                    "INSERT INTO runs (run_id, started_at, status, source, flow_run_id) VALUES (?, ?, 'running', ?, ?)",
                    [run_id, datetime.now(), source, flow_run_id],
                )
        except BaseException:
            self._writer_lock.release()
            raise

    def finish_run(self, run_id: str, status: str, counts: dict[str, int], error: str | None = None) -> None:
        """Record how a run ended, and let the next run in (release the writer lock)."""
        assignments = ", ".join(f"{name} = ?" for name in counts)
        try:
            with self.connect(read_only=False) as con:
                con.execute(
                    f"UPDATE runs SET finished_at = ?, status = ?, error = ?{', ' if counts else ''}{assignments} WHERE run_id = ?",
                    [datetime.now(), status, error, *counts.values(), run_id],
                )
        finally:
            self._writer_lock.release()

    # --- writes --------------------------------------------------------------------------
    def write_batch(self, run_id: str, batch: Batch) -> None:
        """Store one batch in a single transaction: all of it lands, or none of it."""
        now = datetime.now()
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                restored = self._restore_known_versions(con, batch.sources)
                self._insert(con, "sources", _arrow([s for s in batch.sources if (s.source_path, s.sha256) not in restored],
                                                    _SOURCE_SCHEMA), {"run_id": run_id, "ingested_at": now})
                self._supersede_older_versions(con, batch.sources, now)
                if batch.documents:
                    if any(d.ingest_seq is None for d in batch.documents):
                        next_seq = con.execute("SELECT coalesce(max(ingest_seq), 0) + 1 FROM documents").fetchone()[0]
                        for offset, doc in enumerate(batch.documents):
                            doc.ingest_seq = next_seq + offset
                    docs = _arrow(batch.documents, _DOCUMENT_SCHEMA)
                    self._insert(con, "documents", docs, {"run_id": run_id, "ingested_at": now})
                self._insert(con, "removals", _arrow(batch.removals, _REMOVAL_SCHEMA), {})
                for table, rows in batch.extra.items():
                    self._insert(con, table, rows, {})
                if batch.relinks:
                    relinks = pa.table({"doc_id": list(batch.relinks), "duplicate_of": list(batch.relinks.values())},
                                       schema=pa.schema([("doc_id", pa.string()), ("duplicate_of", pa.string())]))
                    con.register("relinks", relinks)
                    con.execute("UPDATE documents SET duplicate_of = r.duplicate_of FROM relinks r WHERE documents.doc_id = r.doc_id")
                    con.execute("UPDATE duplicates SET cluster_id = coalesce(r.duplicate_of, r.doc_id) "
                                "FROM relinks r WHERE duplicates.doc_id = r.doc_id")
                    con.unregister("relinks")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, constants: dict) -> None:
        if rows.num_rows == 0:
            return
        for name, value in constants.items():
            rows = rows.append_column(name, pa.array([value] * rows.num_rows))
        con.register("incoming", rows)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")

    @staticmethod
    def _restore_known_versions(con: duckdb.DuckDBPyConnection, sources: list[SourceRow]) -> set[tuple[str, str]]:
        """Versions the archive already holds for the same path become current again.

        A file back to bytes it had before (a scraper re-fetched an older page), or a file
        still unreadable: its (path, sha256) row exists, maybe superseded. Inserting it again
        would break the primary key and fail every later run; instead that row and its
        documents are made current, and `_supersede_older_versions` retires the others.
        """
        if not sources:
            return set()
        incoming = pa.table({"source_path": [s.source_path for s in sources], "sha256": [s.sha256 for s in sources]})
        con.register("incoming_versions", incoming)
        try:
            known = set(con.execute(
                "SELECT s.source_path, s.sha256 FROM sources s JOIN incoming_versions i "
                "ON s.source_path = i.source_path AND s.sha256 = i.sha256").fetchall())
            if known:
                con.execute("UPDATE sources SET superseded_at = NULL FROM incoming_versions i "
                            "WHERE sources.source_path = i.source_path AND sources.sha256 = i.sha256")
                con.execute("UPDATE documents SET superseded_at = NULL FROM incoming_versions i "
                            "WHERE documents.source_path = i.source_path AND documents.source_sha256 = i.sha256")
        finally:
            con.unregister("incoming_versions")
        return known

    @staticmethod
    def _supersede_older_versions(con: duckdb.DuckDBPyConnection, sources: list[SourceRow], now: datetime) -> None:
        changed = pa.table({"source_path": [s.source_path for s in sources], "sha256": [s.sha256 for s in sources]})
        if changed.num_rows == 0:
            return
        con.register("changed", changed)
        con.execute(
            "UPDATE sources SET superseded_at = ? FROM changed c "
            "WHERE sources.source_path = c.source_path AND sources.sha256 <> c.sha256 AND sources.superseded_at IS NULL",
            [now],
        )
        con.execute(
            "UPDATE documents SET superseded_at = ? FROM changed c "
            "WHERE documents.source_path = c.source_path AND documents.source_sha256 <> c.sha256 "
            "AND documents.superseded_at IS NULL",
            [now],
        )
        # A superseded document leaves its duplicate cluster: copies that pointed to it stand
        # on their own again (the batch's relinks, applied after this, may join them anew).
        con.execute(
            "UPDATE documents SET duplicate_of = NULL FROM documents c "
            "WHERE documents.duplicate_of = c.doc_id AND c.superseded_at = ? AND documents.superseded_at IS NULL",
            [now],
        )
        con.unregister("changed")

    # --- Parquet copies ------------------------------------------------------------------
    def write_parquet_copies(self) -> list[Path]:
        """Snapshot every table to `<warehouse>/parquet/<table>.parquet`, atomically per file;
        return the files written.

        Each file is written under a temporary name and renamed over the old one, so a reader
        (or a kill) never sees half a file. A copy whose table has not changed since it was
        written stays as it is: each file records its table's state (`_table_state`) in its
        footer, and a scheduled run that finds nothing new rewrites only `runs.parquet`
        instead of the whole archive.
        """
        self.parquet_dir.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temporaries()
        written = []
        with self.connect(read_only=True) as con:
            for table in EXPORTED_TABLES:
                final = self.parquet_dir / f"{table}.parquet"
                state = _table_state(con, table)
                if _recorded_state(con, final) == state:
                    continue
                temporary = final.with_name(f".{table}.parquet.tmp-{os.getpid()}")
                con.execute(
                    f"COPY (SELECT * FROM {table}) TO '{temporary}' "
                    f"(FORMAT parquet, COMPRESSION zstd, KV_METADATA {{{_STATE_KEY}: '{state}'}})"
                )
                os.replace(temporary, final)
                written.append(final)
        return written

    def _remove_stale_temporaries(self) -> None:
        """Delete half-written copies left by a process killed while writing them (its pid is gone)."""
        for path in self.parquet_dir.glob(".*.parquet.tmp-*"):
            pid = path.name.rpartition("-")[2]
            if pid.isdigit() and not _process_exists(int(pid)):
                path.unlink(missing_ok=True)


_STATE_KEY = "docarchive_table_state"


def _table_state(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """What a table holds, in a few bytes: its columns, its row count and a hash of its rows.

    Rows are hashed without `text`: a document's text never changes once stored (its doc_id
    names it), and leaving it out keeps the check at milliseconds for a large archive.
    """
    columns = [row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]
    hashed = "* EXCLUDE (text)" if "text" in columns else "*"
    rows, digest = con.execute(f"SELECT count(*), coalesce(bit_xor(hash(*COLUMNS({hashed}))), 0) FROM {table}").fetchone()
    return f"v1 {rows} {digest} {','.join(columns)}"


def _recorded_state(con: duckdb.DuckDBPyConnection, copy: Path) -> str | None:
    """The table state a Parquet copy was written from, or None: no copy, an older or damaged
    one, or one whose row count is no longer the state's (rewritten by another tool)."""
    if not copy.exists():
        return None
    try:
        found = con.execute("SELECT value FROM parquet_kv_metadata(?) WHERE key = ?", [str(copy), _STATE_KEY]).fetchone()
        rows = con.execute("SELECT num_rows FROM parquet_file_metadata(?)", [str(copy)]).fetchone()[0]
    except duckdb.Error:
        return None
    state = found[0].decode("utf-8", "replace") if found else ""
    return state if state.split(" ")[1:2] == [str(rows)] else None


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
