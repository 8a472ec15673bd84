"""The ingest flow: discover → clean (in parallel, by batches) → link duplicates → store.

Prefect tasks work on batches of files, not single files: a task run costs milliseconds of
bookkeeping, more than cleaning a small page. Cleaning runs on worker processes (the GIL makes
threads useless for it); the flow's own process is the single writer to DuckDB, and it stores
batches in submission order so that ingestion order, and with it every canonical choice, is
the same whatever the workers' timing.

This module imports Prefect; the CLI imports it only when a flow is about to run.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import pyarrow as pa

from cleaners.dedup import DedupDoc, signatures_for
from cleaners.pipeline import CleanConfig, FileResult, clean_file, too_large_reason
from flows import progress
from flows.discover import FoundFile, Plan, plan_files
from flows.linking import DuplicateLinker
from warehouse import Archive
from warehouse.records import rows_for
from warehouse.store import Batch, SourceRow

# Below this many files to clean, worker processes cost more to start than they save.
MIN_FILES_FOR_PROCESSES = 400
# The writer links and stores this many consecutive batches in one transaction. Every commit
# ends in a DuckDB checkpoint that rewrites the table's last row group, a cost that grows with
# the archive: on 2,000 bench text dumps, storing took 0.94 CPU ms a file in commits of 200
# files, 0.35 in commits of 1,000. Batches under GROUPED_BATCH_FILES files commit one by one:
# whoever asks for small batches wants readers to see every one of them land.
BATCHES_PER_COMMIT = 4
GROUPED_BATCH_FILES = 100


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """One ingest run's settings; each default says why."""

    # Files per task run: large enough that Prefect's per-task cost (~20 ms) is noise,
    # small enough that a commit (BATCHES_PER_COMMIT batches of this size) takes well under a
    # second and progress moves.
    batch_size: int = 200
    # Worker processes for cleaning; 0 means one per core.
    workers: int = 0
    max_file_mb: int = 32
    # Hash every file even when size and mtime match the archived version.
    rehash: bool = False
    # A Dask scheduler address ("tcp://host:8786"), or "local" for a local cluster; None: processes.
    dask: str | None = None

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass
class RunCounts:
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_quarantined: int = 0
    documents_added: int = 0
    duplicates_found: int = 0
    quarantine_reasons: Counter = field(default_factory=Counter)

    def as_run_row(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if k != "quarantine_reasons"}


@dataclass
class CleanedBatch:
    """What a worker hands the writer: the batch's rows, its documents' signatures, and the
    quarantine codes, so the writer only links and stores."""

    batch: Batch
    signatures: pa.Table
    quarantined: Counter
    files: int

    @classmethod
    def merged(cls, parts: list[CleanedBatch]) -> CleanedBatch:
        """Consecutive batches as one, in their order (rows not yet linked or stored)."""
        if len(parts) == 1:
            return parts[0]
        batch = Batch()
        for part in parts:
            batch.sources.extend(part.batch.sources)
            batch.documents.extend(part.batch.documents)
            batch.removals.extend(part.batch.removals)
        return cls(batch, pa.concat_tables([p.signatures for p in parts]), sum((p.quarantined for p in parts), Counter()),
                   sum(p.files for p in parts))


def clean_found_file(found: FoundFile, config: CleanConfig) -> FileResult:
    """Read and clean one file; reading problems become a quarantine, never an exception."""
    if found.size_bytes > config.max_file_bytes:
        # Not even read: the size limit exists to keep memory bounded.
        return FileResult(found.source_path, None, [], too_large_reason(found.size_bytes, config), "too_large")
    try:
        raw = found.path.read_bytes()
    except OSError as error:
        return FileResult(found.source_path, None, [], f"cannot read the file: {error.strerror or error}", "unreadable")
    return clean_file(raw, found.source_path, config)


@task(name="clean-batch", cache_policy=NO_CACHE)
def clean_batch(files: list[FoundFile], config: CleanConfig) -> CleanedBatch:
    """Clean a batch of files and sign its documents for duplicate detection (on a worker)."""
    batch = Batch()
    quarantined: Counter = Counter()
    for found in files:
        result = clean_found_file(found, config)
        source, documents, removals = rows_for(result, found.sha256, found.size_bytes, found.mtime_ns)
        batch.sources.append(source)
        batch.documents.extend(documents)
        batch.removals.extend(removals)
        if result.quarantined:
            quarantined[result.error_code or "unknown"] += 1
    signatures = signatures_for([DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, 0) for d in batch.documents])
    return CleanedBatch(batch, signatures, quarantined, len(files))


@task(name="discover", cache_policy=NO_CACHE)
def discover(source: str, warehouse: str, rehash: bool) -> Plan:
    archive = Archive(warehouse)
    return plan_files(Path(source), archive.archived_sources(), archive.archived_hashes(), rehash=rehash)


def _quarantine_row(found: FoundFile, reason: str, code: str) -> SourceRow:
    return SourceRow(found.source_path, found.sha256 or "unreadable", found.size_bytes, "quarantined",
                     reason, code, None, found.mtime_ns)


@task(name="store-batch", cache_policy=NO_CACHE)
def store_batch(archive: Archive, run_id: str, cleaned: CleanedBatch, linker: DuplicateLinker) -> int:
    """Link the batch's documents to their duplicates and write it in one transaction."""
    duplicates = linker.link(cleaned.batch, cleaned.signatures, run_id)
    archive.write_batch(run_id, cleaned.batch)
    linker.commit()
    return duplicates


@task(name="write-parquet-copies", cache_policy=NO_CACHE)
def write_parquet_copies(archive: Archive) -> None:
    archive.write_parquet_copies()


def exit_with_parent() -> None:
    """Worker initializer: a cleaning worker exits when the run that started it dies.

    Without it, a run killed with SIGKILL leaves its pool's workers running, forever idle.
    """
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _task_runner(settings: IngestSettings, files_to_clean: int):
    if settings.dask:
        from prefect_dask import DaskTaskRunner

        if settings.dask == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": settings.worker_count, "threads_per_worker": 1})
        return DaskTaskRunner(address=settings.dask)
    if settings.worker_count > 1 and files_to_clean >= MIN_FILES_FOR_PROCESSES:
        return ProcessPoolTaskRunner(max_workers=settings.worker_count, initializer=exit_with_parent)
    return ThreadPoolTaskRunner(max_workers=1)


@flow(name="docarchive-ingest")
def ingest_flow(source: str, warehouse: str, settings: IngestSettings = IngestSettings()) -> dict:
    """Clean every new or changed file under `source` and add it to the archive at `warehouse`."""
    logger = get_run_logger()
    started = time.monotonic()
    run_id = str(flow_run.id or f"local-{int(time.time())}")
    archive = Archive(warehouse)
    archive.start_run(run_id, source, flow_run_id=str(flow_run.id) if flow_run.id else None, on_wait=logger.warning)
    counts = RunCounts()
    try:
        plan = discover(source, warehouse, settings.rehash)
        counts.files_seen = len(plan.files)
        counts.files_new = len(plan.by_status("new"))
        counts.files_changed = len(plan.by_status("changed"))
        progress.report_total(len(plan.to_clean))
        linker = DuplicateLinker(archive, changing_paths={f.source_path for f in plan.by_status("changed", "same_bytes")})

        # Files that need no cleaning still get a sources row: a copy of archived bytes, or
        # a file that cannot be read (quarantined with the reason).
        side = Batch()
        for found in plan.by_status("same_bytes"):
            side.sources.append(SourceRow(found.source_path, found.sha256, found.size_bytes, "ok", None, None,
                                          None, found.mtime_ns, same_bytes_as=found.same_bytes_as))
        for found in plan.by_status("unreadable"):
            side.sources.append(_quarantine_row(found, found.error, "unreadable"))
            counts.files_quarantined += 1
            counts.quarantine_reasons["unreadable"] += 1
        if side.sources:
            archive.write_batch(run_id, side)

        config = CleanConfig(max_file_bytes=settings.max_file_mb * 1024 * 1024)
        files = plan.to_clean
        batches = [files[i : i + settings.batch_size] for i in range(0, len(files), settings.batch_size)]
        # Workers keep cleaning while the writer waits for the batches of its next commit.
        per_commit = BATCHES_PER_COMMIT if settings.batch_size >= GROUPED_BATCH_FILES else 1
        window = max(2, 2 * settings.worker_count) + per_commit
        pending: deque = deque()

        def store_next() -> None:
            ready = [pending.popleft().result() for _ in range(min(per_commit, len(pending)))]
            cleaned = CleanedBatch.merged(ready)
            counts.files_quarantined += sum(cleaned.quarantined.values())
            counts.quarantine_reasons.update(cleaned.quarantined)
            counts.duplicates_found += store_batch(archive, run_id, quote(cleaned), quote(linker))
            counts.documents_added += len(cleaned.batch.documents)
            progress.report_done(cleaned.files)

        for files_of_batch in batches:
            pending.append(clean_batch.submit(quote(files_of_batch), config))
            if len(pending) >= window:
                store_next()
        while pending:
            store_next()
    except BaseException as error:
        archive.finish_run(run_id, "failed", counts.as_run_row(), error=f"{type(error).__name__}: {error}")
        raise
    archive.finish_run(run_id, "ok", counts.as_run_row())
    write_parquet_copies(archive)
    elapsed = time.monotonic() - started
    summary = {**counts.as_run_row(), "run_id": run_id, "seconds": round(elapsed, 2),
               "files_unchanged": len(plan.by_status("unchanged", "same_bytes")),
               "files_ignored": plan.ignored, "quarantine_reasons": dict(counts.quarantine_reasons)}
    create_markdown_artifact(
        key="ingest-summary",
        markdown="\n".join(f"- **{k}**: {v}" for k, v in summary.items()),
        description=f"docarchive ingest of {source}",
    )
    logger.info("ingest finished: %s", summary)
    return summary


def run_ingest(source: Path, warehouse: Path, settings: IngestSettings, files_to_clean: int, verbose: bool = False) -> dict:
    """Run the ingest flow in this process with the task runner the workload calls for."""
    from flows.prefect_env import quiet_loggers, run_settings

    quiet_loggers(verbose)
    runner = _task_runner(settings, files_to_clean)
    with run_settings():
        return ingest_flow.with_options(task_runner=runner)(str(source), str(warehouse), settings)
