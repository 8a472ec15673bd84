"""The measured pieces of `python -m bench`: the flow's stages one by one, the tools users would
otherwise pick on the same files, and the whole flow as the CLI runs it.

Every function here runs in a process of its own (`in_child`), so each reports its own CPU
time and peak memory, and nothing it imports or caches leaks into the next measurement.

* `stage_loop` — the work of `flows.ingest` (discover, `clean_batch`, `store_batch`) in one
  process, without Prefect, batch by batch as the flow does it, with CPU time charged to the
  stages of the issue: read (discover: hashing and reading the files), decode, extract,
  clean (page breaks, chrome, title, metadata), split (compilations), dedup (the exact-duplicate
  hash, signatures, linking) and store (rows, DuckDB, Parquet copies).
* `competitors` — trafilatura.extract on the HTML pages, charset-normalizer on every file,
  datasketch MinHash + MinHashLSH on the clean documents, each in its own process.
* `end_to_end` — `docarchive ingest` in a subprocess, timed from outside: wall time, CPU time
  of it and every process it started (Prefect's server, cleaning workers), their peak RSS.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

STAGES = ("read", "decode", "extract", "clean", "split", "dedup", "store")
ROOT = Path(__file__).resolve().parents[1]


def cpu() -> float:
    return time.process_time()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(fn, *args, **kwargs):
    """fn(*args) in a forked process: its own CPU time and peak RSS; exceptions come back."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()

    def target():
        try:
            queue.put(("ok", fn(*args, **kwargs)))
        except BaseException:  # noqa: BLE001 — reported in the parent
            queue.put(("error", traceback.format_exc()))

    proc = ctx.Process(target=target)
    proc.start()
    status, value = queue.get()
    proc.join()
    if status == "error":
        raise RuntimeError(f"{getattr(fn, '__name__', fn)} failed in its process:\n{value}")
    return value


# --------------------------------------------------------------------------------------------
# The stages, in one process
# --------------------------------------------------------------------------------------------

class _Clock:
    """CPU seconds charged to stages; `charge` wraps a module function for the run's length."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.by_kind: dict[str, Counter] = defaultdict(Counter)
        self.kind = "?"

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        self.by_kind[self.kind][stage] += seconds

    @contextmanager
    def charge(self, module, name: str, stage: str):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start = cpu()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(stage, cpu() - start)

        setattr(module, name, timed)
        try:
            yield
        finally:
            setattr(module, name, original)


def stage_loop(source: str, warehouse: str, batch_size: int = 0) -> dict:
    """The flow's work without Prefect, with each stage's CPU time; mirrors `flows.ingest` with
    one worker (batches of `batch_size` files, or the flow's choice for 0, cleaned and signed;
    `flows.ingest.batches_per_commit` of them linked and stored in one transaction)."""
    from contextlib import ExitStack

    import pyarrow as pa

    from cleaners import pipeline
    from cleaners.dedup import DedupDoc, signatures_for
    from flows.discover import plan_files
    from flows.ingest import IngestSettings
    from flows.ingest import batches_per_commit as flow_batches_per_commit
    from flows.linking import DuplicateLinker
    from warehouse import Archive
    from warehouse.records import rows_for
    from warehouse.store import Batch

    clock = _Clock()
    base_rss = peak_rss_mb()
    started_cpu, started_wall = cpu(), time.perf_counter()
    archive = Archive(warehouse)
    run_id = "bench-stage-loop"

    start = cpu()
    archive.start_run(run_id, source)
    plan = plan_files(Path(source), archive.archived_sources(), archive.archived_hashes())
    clock.add("read", cpu() - start)
    linker = DuplicateLinker(archive)
    files = plan.to_clean
    batch_size = IngestSettings(batch_size=batch_size, workers=1).batch_size_for(len(files))
    batches_per_commit = flow_batches_per_commit(batch_size)
    counts = Counter()
    bytes_by_kind: Counter = Counter()
    docs_by_kind: Counter = Counter()
    with ExitStack() as patches:
        patches.enter_context(clock.charge(pipeline, "detect_and_decode", "decode"))
        patches.enter_context(clock.charge(pipeline, "_extract_page", "extract"))
        patches.enter_context(clock.charge(pipeline, "split_compilation", "split"))
        patches.enter_context(clock.charge(pipeline, "content_hash", "dedup"))
        commit = batch_size * batches_per_commit
        for first in range(0, len(files), commit):
            batch, signatures = Batch(), []
            for index, found in enumerate(files[first : first + commit]):
                clock.kind = "html" if found.source_path.lower().endswith((".html", ".htm")) else "txt"
                start = cpu()
                raw = found.path.read_bytes()
                clock.add("read", cpu() - start)
                before = sum(clock.by_kind[clock.kind].values())
                start = cpu()
                result = pipeline.clean_file(raw, found.source_path)
                whole = cpu() - start
                clock.add("clean", whole - (sum(clock.by_kind[clock.kind].values()) - before))
                start = cpu()
                source_row, documents, removals = rows_for(result, found.sha256, found.size_bytes, found.mtime_ns)
                clock.add("store", cpu() - start)
                batch.sources.append(source_row)
                batch.documents.extend(documents)
                batch.removals.extend(removals)
                counts["quarantined"] += result.quarantined
                bytes_by_kind[clock.kind] += len(raw)
                docs_by_kind[clock.kind] += 1
                if (index + 1) % batch_size == 0 or first + index + 1 == min(len(files), first + commit):
                    # the end of a cleaning batch: its documents are signed (on the worker)
                    clock.kind = "batch"
                    start = cpu()
                    signed = sum(t.num_rows for t in signatures)
                    signatures.append(signatures_for([DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, 0)
                                                      for d in batch.documents[signed:]]))
                    clock.add("dedup", cpu() - start)
            clock.kind = "batch"
            start = cpu()
            counts["duplicates"] += linker.link(batch, pa.concat_tables(signatures), run_id)
            clock.add("dedup", cpu() - start)
            start = cpu()
            archive.write_batch(run_id, batch)
            clock.add("store", cpu() - start)
            start = cpu()
            linker.commit()
            clock.add("dedup", cpu() - start)
            counts["documents"] += len(batch.documents)
    start = cpu()
    archive.finish_run(run_id, "ok", {"files_seen": len(plan.files)})
    archive.write_parquet_copies()
    clock.add("store", cpu() - start)
    return {
        "files": len(files), "documents": counts["documents"], "quarantined": counts["quarantined"],
        "batch_size": batch_size, "batches_per_commit": batches_per_commit,
        "duplicates": counts["duplicates"], "bytes": sum(bytes_by_kind.values()),
        "files_by_kind": dict(docs_by_kind), "bytes_by_kind": dict(bytes_by_kind),
        "cpu_seconds": dict(clock.seconds), "cpu_seconds_by_kind": {k: dict(v) for k, v in clock.by_kind.items()},
        "total_cpu_seconds": cpu() - started_cpu, "wall_seconds": time.perf_counter() - started_wall,
        "peak_rss_mb": peak_rss_mb(), "peak_rss_delta_mb": peak_rss_mb() - base_rss,
    }


# --------------------------------------------------------------------------------------------
# What users would otherwise pick, on the same files
# --------------------------------------------------------------------------------------------

def _decoded_html(paths: list[Path]) -> list[str]:
    from cleaners.encoding import detect_and_decode
    from cleaners.errors import CleaningError

    pages = []
    for path in paths:
        try:
            pages.append(detect_and_decode(path.read_bytes(), is_html=True).text)
        except CleaningError:
            pass
    return pages


def trafilatura_alone(paths: list[Path]) -> dict:
    """trafilatura.extract on the HTML pages, decoded by us beforehand (not timed): its
    extraction alone, as `bench.extraction` calls it."""
    from bench.extraction import trafilatura_text

    pages = _decoded_html(paths)
    trafilatura_text(pages[0])  # imports, caches
    base = peak_rss_mb()
    start, wall = cpu(), time.perf_counter()
    extracted = sum(1 for page in pages if trafilatura_text(page))
    seconds = cpu() - start
    return {"tool": "trafilatura.extract", "files": len(pages), "cpu_seconds": seconds,
            "wall_seconds": time.perf_counter() - wall, "extracted": extracted,
            "peak_rss_delta_mb": peak_rss_mb() - base}


def parsers_alone(paths: list[Path], limit: int = 500) -> dict:
    """Pages per CPU second of building a tree on the same decoded HTML pages (the first
    `limit`): lxml.etree as `cleaners.html` parses, lxml.html, BeautifulSoup with the lxml
    builder (+ get_text), selectolax when it is installed; and our whole extract_html."""
    import bs4
    import lxml.html

    from cleaners.errors import CleaningError
    from cleaners.html import _parse, extract_html

    pages = _decoded_html(paths[:limit])

    def ours(page):
        try:
            return extract_html(page)
        except CleaningError:
            return None

    parsers = {
        "lxml.etree (cleaners.html._parse)": _parse,
        "lxml.html.document_fromstring": lxml.html.document_fromstring,
        "bs4 (lxml builder)": lambda page: bs4.BeautifulSoup(page, "lxml"),
        "bs4 (lxml builder) + get_text": lambda page: bs4.BeautifulSoup(page, "lxml").get_text(),
        "cleaners.html.extract_html, whole": ours,
    }
    try:
        from selectolax.lexbor import LexborHTMLParser

        parsers["selectolax (lexbor)"] = LexborHTMLParser
    except ImportError:
        pass
    out = {}
    for name, parse in parsers.items():
        parse(pages[0])
        start = cpu()
        for page in pages:
            parse(page)
        out[name] = len(pages) / (cpu() - start)
    return {"pages": len(pages), "pages_per_cpu_s": out}


def charset_normalizer_alone(paths: list[Path]) -> dict:
    """charset-normalizer's best guess and decoded text for every file, as a user calls it."""
    from charset_normalizer import from_bytes

    raws = [path.read_bytes() for path in paths]
    str(from_bytes(raws[0]).best())
    start, wall = cpu(), time.perf_counter()
    decoded = 0
    for raw in raws:
        best = from_bytes(raw).best()
        decoded += best is not None and bool(str(best))
    return {"tool": "charset-normalizer", "files": len(raws), "cpu_seconds": cpu() - start,
            "wall_seconds": time.perf_counter() - wall, "decoded": decoded}


def datasketch_alone(warehouse: str) -> dict:
    """datasketch MinHash(128) + MinHashLSH(32 bands × 4 rows) over the same 6-grams of the same
    folded text of the archived documents, in ingestion order, query then insert (as
    `bench.dedup.run_datasketch`): candidates only, no confirmation, no containment."""
    from datasketch import MinHash, MinHashLSH

    from cleaners.dedup import DEFAULT
    from cleaners.fingerprint import dedup_form
    from warehouse import Archive

    texts = Archive(warehouse).query("SELECT doc_id, text FROM documents ORDER BY ingest_seq").to_pylist()
    n = DEFAULT.ngram
    base = peak_rss_mb()
    start, wall = cpu(), time.perf_counter()
    lsh = MinHashLSH(num_perm=DEFAULT.num_perm, params=(DEFAULT.bands, DEFAULT.num_perm // DEFAULT.bands))
    candidates = 0
    for row in texts:
        folded = dedup_form(row["text"])
        sig = MinHash(num_perm=DEFAULT.num_perm)
        sig.update_batch([folded[i : i + n].encode("utf-8") for i in range(max(1, len(folded) - n + 1))])
        candidates += bool(lsh.query(sig))
        lsh.insert(row["doc_id"], sig)
    return {"tool": "datasketch MinHash+MinHashLSH", "documents": len(texts), "cpu_seconds": cpu() - start,
            "wall_seconds": time.perf_counter() - wall, "with_candidates": candidates,
            "peak_rss_delta_mb": peak_rss_mb() - base}


# --------------------------------------------------------------------------------------------
# The whole flow, as the CLI runs it
# --------------------------------------------------------------------------------------------

def measured_run(command: list[str], env: dict, cwd: Path | None = None, timeout: float = 3600) -> dict:
    """Run a command in a wrapper process that reports, for it and all its descendants, the
    CPU time (user + system) and the largest peak RSS: `python -m bench.measure`."""
    wrapper = [sys.executable, "-m", "bench.measure", "--", *command]
    result = subprocess.run(wrapper, capture_output=True, text=True, env={**env, "PYTHONPATH": str(ROOT)},
                            cwd=cwd or ROOT, timeout=timeout)
    report = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "{}"
    try:
        measured = json.loads(report)
    except json.JSONDecodeError:
        measured = {}
    if result.returncode != 0 or "wall_seconds" not in measured:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    measured["stdout"] = result.stdout
    return measured


def _docarchive_env(prefect_home: Path, keep_server: float = 0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, "PREFECT_HOME": str(prefect_home), "DOCARCHIVE_PREFECT_IDLE_SECONDS": str(keep_server)}


def end_to_end(source: Path, warehouse: Path, prefect_home: Path, workers: int, *, dask: str | None = None,
               batch_size: int = 0, keep_server: float = 0) -> dict:
    """`docarchive ingest SOURCE` into a fresh warehouse, timed from outside. With
    `keep_server` seconds, the run uses (or starts, and keeps) a kept Prefect server, whose CPU
    time during the run counts in the run's; with 0 it starts its own and stops it."""
    if warehouse.exists():
        shutil.rmtree(warehouse)
    env = _docarchive_env(prefect_home, keep_server)
    command = [sys.executable, "-m", "flows.cli", "ingest", str(source), "--warehouse", str(warehouse),
               "--workers", str(workers), "--batch-size", str(batch_size)]
    if dask:
        command += ["--dask", dask]
    run = measured_run(command, env)
    summary = _summary_numbers(run.pop("stdout"))
    return {**run, **summary, "workers": workers, "dask": dask, "server_kept": bool(keep_server)}


def stop_kept_server(prefect_home: Path) -> None:
    subprocess.run([sys.executable, "-m", "flows.cli", "stop-server"], env=_docarchive_env(prefect_home),
                   cwd=ROOT, capture_output=True, timeout=60)


def _summary_numbers(stdout: str) -> dict:
    """The counts the CLI prints at the end of a run."""
    out = {}
    for line in stdout.splitlines():
        label, _, rest = line.partition("  ")
        words = rest.split()
        if label.strip() in ("files seen", "documents added", "duplicates found", "quarantined") and words:
            out[label.strip().replace(" ", "_")] = int(words[0])
    return out


def prefect_task_overhead(prefect_home: Path, tasks: int = 50) -> dict:
    """Prefect's cost per task run and per flow run, measured on no-op tasks in a subprocess
    against the temporary server (as the CLI starts it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(prefect_home)
    command = [sys.executable, "-m", "bench.prefect_cost", str(tasks)]
    run = measured_run(command, env)
    return {**json.loads(run.pop("stdout").strip().splitlines()[-1]), "process": run}
