"""The ingest flow: discover → clean (in parallel, by batches) → link duplicates → store.

Prefect tasks work on batches of files, not single files: a task run costs milliseconds of
bookkeeping, more than cleaning a small page. Cleaning runs on worker processes (the GIL makes
threads useless for it): a plain process pool without Prefect in it (`flows.cleaning`), fed by
task runs on threads of the flow's process, or a Dask cluster's workers. The flow's own
process is the single writer to DuckDB, and it stores
batches in submission order so that ingestion order, and with it every canonical choice, is
the same whatever the workers' timing.

This module imports Prefect; the CLI imports it only when a flow is about to run.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

# Imported here, not by the first flow run: the CLI imports this module while Prefect's server
# boots, so these ~140 modules load in time that is waited anyway. Prefect imports them lazily
# at the first flow run (parameters are encoded with fastapi's encoder; the task graph helpers
# import graphviz): 0.2-0.3 s on the path of every run.
import fastapi.encoders  # noqa: E402, F401
import prefect.flow_engine  # noqa: E402, F401
import prefect.task_engine  # noqa: E402, F401
import prefect.utilities.visualization  # noqa: E402, F401

from cleaners.pipeline import CleanConfig
from flows import progress
from flows.cleaning import CleanedBatch, clean_files, clean_found_file, cleaning_processes, exit_with_parent  # noqa: F401
from flows.discover import FoundFile, Plan, plan_files
from flows.linking import DuplicateLinker
from warehouse import Archive
from warehouse.store import Batch, SourceRow

# Below this many files to clean, worker processes cost more to start than they save.
MIN_FILES_FOR_PROCESSES = 400
# The writer links and stores about this many files (whole batches) in one transaction. Every
# commit ends in a DuckDB checkpoint that rewrites the table's last row group, a cost that grows
# with the archive: 5,000 bench text dumps, one worker, batches of 200, took 16.0 CPU s (all
# processes) in commits of 800 files and 13.4 in commits of 2,000. Batches under
# GROUPED_BATCH_FILES files commit one by one: whoever asks for small batches wants readers to
# see every one of them land.
COMMIT_FILES = 2000
GROUPED_BATCH_FILES = 100
AUTO_BATCH_MIN, AUTO_BATCH_MAX = GROUPED_BATCH_FILES, 500


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """One ingest run's settings; each default says why."""

    # Files per task run; 0: `batch_size_for` picks it from the run's size.
    batch_size: int = 0
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

    def batch_size_for(self, files: int) -> int:
        """The batch size asked for, else enough batches to keep every worker busy (4 each), of
        at most AUTO_BATCH_MAX files: a task run costs Prefect's server and client ~20 ms.

        >>> [IngestSettings(workers=2).batch_size_for(n) for n in (5, 1_000, 100_000)]
        [100, 125, 500]
        >>> IngestSettings(batch_size=10).batch_size_for(100_000)
        10
        """
        if self.batch_size:
            return self.batch_size
        return max(AUTO_BATCH_MIN, min(AUTO_BATCH_MAX, -(-files // (4 * self.worker_count))))


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


@task(name="clean-batch", cache_policy=NO_CACHE)
def clean_batch(files: list[FoundFile], config: CleanConfig, processes: Executor | None = None) -> CleanedBatch:
    """Clean a batch of files and sign its documents for duplicate detection: on one of the
    run's cleaning processes when there are any (the task run stays in the flow's process),
    else where the task runner runs it (a Dask worker, or a thread of the flow's process)."""
    if processes is None:
        return clean_files(files, config)
    return processes.submit(clean_files, files, config).result()


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


def batches_per_commit(batch_size: int) -> int:
    """How many consecutive batches of this size the writer stores in one transaction.

    >>> batches_per_commit(500), batches_per_commit(125), batches_per_commit(10)
    (4, 16, 1)
    """
    return max(1, COMMIT_FILES // batch_size) if batch_size >= GROUPED_BATCH_FILES else 1


def _task_runner(settings: IngestSettings, files_to_clean: int):
    """Dask's when asked; else threads of this process, one per cleaning worker: a task run on
    a thread costs ~10 ms, and the cleaning itself goes to the run's processes (`_processes`)."""
    if settings.dask:
        from prefect_dask import DaskTaskRunner

        if settings.dask == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": settings.worker_count, "threads_per_worker": 1})
        return DaskTaskRunner(address=settings.dask)
    return ThreadPoolTaskRunner(max_workers=settings.worker_count)


def _processes(settings: IngestSettings, files_to_clean: int):
    """The run's cleaning processes, or nothing (a context manager either way): none on Dask,
    with one worker, or for fewer files than MIN_FILES_FOR_PROCESSES."""
    from contextlib import nullcontext

    if settings.dask or settings.worker_count < 2 or files_to_clean < MIN_FILES_FOR_PROCESSES:
        return nullcontext(None)
    return cleaning_processes(settings.worker_count)


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
        size = settings.batch_size_for(len(files))
        batches = [files[i : i + size] for i in range(0, len(files), size)]
        # Workers keep cleaning while the writer waits for the batches of its next commit.
        per_commit = batches_per_commit(size)
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

        with _processes(settings, len(files)) as processes:
            for files_of_batch in batches:
                if settings.dask:  # Dask ships arguments its own way: a quote() arrives as a plain tuple
                    pending.append(clean_batch.submit(files_of_batch, config))
                else:
                    pending.append(clean_batch.submit(quote(files_of_batch), config, quote(processes)))
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
