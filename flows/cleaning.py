"""What a cleaning worker runs: a batch of files in, its rows and signatures out. No Prefect.

The ingest flow's `clean-batch` task runs `clean_files` in a process of a plain
`ProcessPoolExecutor` (`cleaning_processes`), while the task run itself is tracked by Prefect
in the flow's process. Measured with no-op tasks on a 2-core machine, Prefect's
`ProcessPoolTaskRunner` cost each worker ~2.5 CPU s to start (it imports Prefect) and each
task run ~140 CPU ms in the worker (a fresh API client and settings context per run): as much
as cleaning 100 text dumps. A thread-pool task run costs ~10 ms; a worker that imports only
the cleaners starts in well under a second. On a Dask cluster the task itself runs on the
Dask workers and calls `clean_files` there.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import pyarrow as pa

from cleaners.dedup import DedupDoc, signatures_for
from cleaners.pipeline import CleanConfig, FileResult, clean_file, too_large_reason
from flows.discover import FoundFile
from warehouse.records import rows_for
from warehouse.store import Batch


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


def clean_files(files: list[FoundFile], config: CleanConfig) -> CleanedBatch:
    """Clean a batch of files and sign its documents for duplicate detection."""
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


@contextmanager
def cleaning_processes(workers: int) -> Iterator[ProcessPoolExecutor]:
    """`workers` cleaning processes for the length of a run (spawned: the flow's process has
    threads, which a forked child must not inherit)."""
    import multiprocessing

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with_parent)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
