"""Benchmark duplicate detection: quality on the labelled corpus, speed and memory, vs datasketch.

    python -m bench.dedup [--sizes 10000,100000] [--batch 2000] [--no-datasketch]

For each size, the labelled corpus of `tests/dedup_corpus.py` (bases of 5–15 KB, ~10 KB on
average, with their copies, previews, compilations and revisions) is generated as a stream, a
batch at a time, so 100,000 documents never sit in memory. Each engine runs in its own forked
process on the same stream:

* docarchive: `find_duplicates` + `index.add` batch by batch; archived texts are fetched for
  confirmation from an SQLite file the batches are written to (as the caller reads DuckDB).
* datasketch: `MinHash(num_perm=128).update_batch` over the same 6-grams of the same folded
  text, `MinHashLSH(params=(32, 4))` query then insert, per document — candidates only, no
  confirmation and no containment, so it does less work than docarchive.

Time counts the engine only (generation excluded; docarchive's includes folding, signatures,
candidate search, fetching texts and confirmation), as CPU time of the process
(`time.process_time`: other work on the machine does not count) and as wall time; the speedup
is on CPU time. Memory is the peak resident set of the
process (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) minus its value before the first batch:
a delta of peak RSS, which includes one batch of texts and the engine's transient arrays; the
index's own arrays (`SignatureIndex.nbytes`) are reported beside it. Precision/recall are pairwise
over clusters against the corpus labels (for datasketch: clusters of its LSH candidates).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import resource
import sqlite3
import tempfile
import time
from collections import Counter

from cleaners.dedup import DEFAULT, DedupDoc, SignatureIndex, find_duplicates
from cleaners.fingerprint import dedup_form
from tests.dedup_corpus import iter_corpus, pairwise_scores, truth_labels

SIZE_KB = (5, 15)


def _stream(n_docs: int, seed: int, batch: int):
    """Batches of labelled documents, n_docs in all (bases are many more than needed)."""
    docs = itertools.islice(iter_corpus(n_docs, seed=seed, size_kb=SIZE_KB, block=500), n_docs)
    while chunk := list(itertools.islice(docs, batch)):
        yield chunk


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _labels(chunk, labels):
    labels.extend((d.doc_id, d.bases) for d in chunk)


class _Labelled:
    """Just enough of LabelledDoc for truth_labels: id and bases."""

    __slots__ = ("doc_id", "bases")

    def __init__(self, doc_id, bases):
        self.doc_id, self.bases = doc_id, bases


def _scores(pred: dict[str, str], labels) -> tuple[float, float]:
    truth = truth_labels([_Labelled(i, b) for i, b in labels])
    return pairwise_scores(pred, truth)


def run_docarchive(n_docs: int, seed: int, batch: int) -> dict:
    index = SignatureIndex()
    canonical: dict[str, str | None] = {}
    labels: list = []
    methods: Counter = Counter()
    fetched = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(os.path.join(tmp, "texts.sqlite"))
        db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, text TEXT)")

        def fetch(ids):
            nonlocal fetched
            fetched += len(ids)
            out = {}
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                q = f"SELECT id, text FROM t WHERE id IN ({','.join('?' * len(part))})"
                out.update(db.execute(q, part).fetchall())
            return out

        engine = cpu = 0.0
        base_rss = None
        for chunk in _stream(n_docs, seed, batch):
            base_rss = base_rss or _maxrss_mb()
            docs = [DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.order) for d in chunk]
            t0, c0 = time.perf_counter(), time.process_time()
            result = find_duplicates(docs, index, fetch)
            index.add(result)
            engine += time.perf_counter() - t0
            cpu += time.process_time() - c0
            db.executemany("INSERT INTO t VALUES (?, ?)", ((d.doc_id, d.text) for d in chunk))
            canonical.update(result.canonical)
            methods.update(m.method for m in result.matches)
            _labels(chunk, labels)
    precision, recall = _scores({k: v or k for k, v in canonical.items()}, labels)
    return {"engine": "docarchive", "docs": len(labels), "cpu_seconds": round(cpu, 2), "wall_seconds": round(engine, 2),
            "docs_per_cpu_s": round(len(labels) / cpu), "peak_rss_delta_mb": round(_maxrss_mb() - base_rss, 1),
            "index_mb": round(index.nbytes / 2**20, 1), "index_bytes_per_doc": round(index.nbytes / len(index)),
            "precision": round(precision, 5), "recall": round(recall, 5), "texts_fetched": fetched,
            "matches": dict(methods)}


def run_datasketch(n_docs: int, seed: int, batch: int) -> dict:
    from datasketch import MinHash, MinHashLSH

    n = DEFAULT.ngram
    lsh = MinHashLSH(num_perm=DEFAULT.num_perm, params=(DEFAULT.bands, DEFAULT.num_perm // DEFAULT.bands))
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    labels: list = []
    engine = cpu = 0.0
    base_rss = None
    for chunk in _stream(n_docs, seed, batch):
        base_rss = base_rss or _maxrss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        found = []
        for d in chunk:
            folded = dedup_form(d.text)
            m = MinHash(num_perm=DEFAULT.num_perm)
            m.update_batch([folded[i : i + n].encode("utf-8") for i in range(max(1, len(folded) - n + 1))])
            found.append((d.doc_id, lsh.query(m)))
            lsh.insert(d.doc_id, m)
        engine += time.perf_counter() - t0
        cpu += time.process_time() - c0
        for doc_id, others in found:
            for o in others:
                parent[find(doc_id)] = find(o)
        _labels(chunk, labels)
    precision, recall = _scores({i: find(i) for i, _ in labels}, labels)
    return {"engine": "datasketch", "docs": len(labels), "cpu_seconds": round(cpu, 2), "wall_seconds": round(engine, 2),
            "docs_per_cpu_s": round(len(labels) / cpu), "peak_rss_delta_mb": round(_maxrss_mb() - base_rss, 1),
            "precision": round(precision, 5), "recall": round(recall, 5)}


def _in_child(fn, *args) -> dict:
    """Run fn in a forked process: its own peak RSS, nothing left behind in this one."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=lambda: queue.put(fn(*args)))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-datasketch", action="store_true")
    args = parser.parse_args(argv)
    s = DEFAULT
    print(f"settings: ngram={s.ngram} num_perm={s.num_perm} bands={s.bands}x{s.num_perm // s.bands} "
          f"near_threshold={s.near_threshold} containment_threshold={s.containment_threshold} "
          f"sketch_scale={s.sketch_scale}; batches of {args.batch}; {os.cpu_count()} CPUs")
    rows = []
    for size in (int(x) for x in args.sizes.split(",")):
        ours = _in_child(run_docarchive, size, args.seed, args.batch)
        print(json.dumps(ours, ensure_ascii=False), flush=True)
        row = {"size": size, "docarchive": ours}
        if not args.no_datasketch:
            theirs = _in_child(run_datasketch, size, args.seed, args.batch)
            print(json.dumps(theirs, ensure_ascii=False), flush=True)
            row["datasketch"] = theirs
            row["speedup"] = round(theirs["cpu_seconds"] / ours["cpu_seconds"], 2)
        rows.append(row)
    print()
    print(f"{'docs':>8} {'engine':>11} {'CPU s':>8} {'wall s':>8} {'docs/CPU s':>10} {'peakΔMB':>8} {'index MB':>8} {'P':>7} {'R':>7}")
    for row in rows:
        for name in ("docarchive", "datasketch"):
            if name in row:
                r = row[name]
                print(f"{r['docs']:>8} {name:>11} {r['cpu_seconds']:>8} {r['wall_seconds']:>8} {r['docs_per_cpu_s']:>10} {r['peak_rss_delta_mb']:>8} "
                      f"{r.get('index_mb', '-'):>8} {r['precision']:>7} {r['recall']:>7}")
        if "speedup" in row:
            print(f"{'':>8} {'speedup':>11} {row['speedup']}x (datasketch CPU seconds / docarchive CPU seconds)")
    print(json.dumps({"bench": "dedup", "results": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
