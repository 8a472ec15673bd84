"""The whole flow, measured stage by stage, beside the tools users would otherwise pick.

    python -m bench --files 10000 [--workers N] [--json PATH] [--workdir DIR] [--keep]
                    [--dedup-docs 100000] [--skip-e2e] [--skip-competitors] [--skip-startup]

1. Generates a corpus of --files files (`bench.corpus`: the seeds' genre of speeches in five
   HTML site templates and as text dumps, mixed encodings, ~10 % copies), or reuses the one
   already in --workdir.
2. Stages: the flow's work in one process without Prefect (`bench.stages.stage_loop`), CPU time
   charged to read, decode, extract, clean, split, dedup and store: docs/s, MB/s, share.
3. The same files through trafilatura.extract (HTML pages), charset-normalizer (every file)
   and datasketch MinHash + MinHashLSH (the clean documents), each in its own process: ratios.
4. End to end: `docarchive ingest` in a subprocess on the HTML pages and on the text dumps
   with one worker, and on everything with one and with --workers workers (default: all
   cores): wall time, CPU time of every process of the run, peak RSS.
5. Prefect's costs: its first start on a fresh machine (an empty PREFECT_HOME) and a second
   start, `ingest seeds/` then, and its cost per flow run and per task run.
6. With --dedup-docs N, `bench.dedup` on N labelled documents, docarchive against datasketch.

Docs/s are per CPU second of the process(es) doing the work unless labelled wall: the machine
may be shared, and CPU time does not move when other work runs beside. "Per core" figures are
documents over CPU seconds. Everything is also written as JSON (--json) for tracking.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import stages
from bench.corpus import read_manifest, write_corpus
from bench.stages import ROOT, STAGES, in_child

SEEDS = ROOT / "seeds"
# Idle seconds of the kept server in the runs that measure it (stopped right after them).
KEEP_SERVER_S = 120


# --------------------------------------------------------------------------------------------
# Running the measurements
# --------------------------------------------------------------------------------------------

def _corpus(workdir: Path, files: int, seed: int) -> Path:
    corpus = workdir / f"corpus-{files}-s{seed}"
    if not (corpus / "manifest.jsonl").exists():
        if corpus.exists():
            shutil.rmtree(corpus)
        started = time.perf_counter()
        write_corpus(corpus, files, seed)
        print(f"corpus: wrote {files} files to {corpus} in {time.perf_counter() - started:.0f} s", flush=True)
    return corpus


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT, timeout=10).stdout.strip() or None
    except OSError:
        return None


def _startup(workdir: Path) -> dict:
    """Prefect's start-up on a fresh machine (an empty PREFECT_HOME) and once its database exists:
    its own costs (`bench.prefect_cost`), then `docarchive ingest seeds/` the same two ways."""
    out = {}
    for name in ("prefect-fresh", "prefect-fresh-seeds"):
        if (workdir / name).exists():
            shutil.rmtree(workdir / name)
    out["first_cost"] = stages.prefect_task_overhead(workdir / "prefect-fresh", tasks=50)
    out["second_cost"] = stages.prefect_task_overhead(workdir / "prefect-fresh", tasks=50)
    out["seeds_first_run"] = stages.end_to_end(SEEDS, workdir / "wh-seeds", workdir / "prefect-fresh-seeds", workers=0)
    out["seeds_again"] = stages.end_to_end(SEEDS, workdir / "wh-seeds", workdir / "prefect-fresh-seeds", workers=0)
    try:
        out["seeds_again_server_kept"] = [
            stages.end_to_end(SEEDS, workdir / "wh-seeds", workdir / "prefect-fresh-seeds", workers=0,
                              keep_server=KEEP_SERVER_S) for _ in range(2)]
    finally:
        stages.stop_kept_server(workdir / "prefect-fresh-seeds")
    return out


def _end_to_end_runs(corpus: Path, workdir: Path, home: Path, workers: int, batch_size: int,
                     keep_server: float) -> dict:
    """`docarchive ingest` on the seeds, each kind of file alone, and everything with one and
    with `workers` workers; names end in `_server_kept` when the runs share a kept server."""
    suffix = "_server_kept" if keep_server else ""
    runs = {}
    # A first run creates Prefect's database (measured in 'startup', not here) or starts the kept
    # server; the next, on the five seeds, is a run's fixed cost: Prefect's start-up and the rest.
    stages.end_to_end(SEEDS, workdir / "wh-warm", home, workers=1, keep_server=keep_server)
    runs[f"seeds_workers_1{suffix}"] = stages.end_to_end(SEEDS, workdir / "wh-warm", home, workers=1,
                                                         keep_server=keep_server)
    for kind in ("html", "txt"):
        if (corpus / kind).is_dir():
            runs[f"{kind}_workers_1{suffix}"] = stages.end_to_end(corpus / kind, workdir / f"wh-e2e-{kind}", home,
                                                                  workers=1, batch_size=batch_size,
                                                                  keep_server=keep_server)
    for count in dict.fromkeys((1, workers)):
        runs[f"all_workers_{count}{suffix}"] = stages.end_to_end(corpus, workdir / f"wh-e2e-{count}", home,
                                                                 workers=count, batch_size=batch_size,
                                                                 keep_server=keep_server)
    return runs


def run(args: argparse.Namespace) -> dict:
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = _corpus(workdir, args.files, args.seed)
    manifest = read_manifest(corpus)
    workers = args.workers or os.cpu_count() or 1
    report: dict = {
        "bench": "docarchive", "version": 1, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _git_commit(), "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                              "platform": platform.platform(), "load_average": os.getloadavg()},
        "corpus": _describe(manifest, corpus, args),
        "time_basis": "docs/s and MB/s over CPU seconds (time.process_time of the working process, or "
                      "user+system of every process of a run) unless named wall",
    }

    print(f"stages: the flow's work in one process, {len(manifest)} files …", flush=True)
    shutil.rmtree(workdir / "wh-stages", ignore_errors=True)
    loop = in_child(stages.stage_loop, str(corpus), str(workdir / "wh-stages"))
    report["stages"] = _stage_rows(loop)
    report["stage_loop"] = loop

    if not args.skip_competitors:
        html = [corpus / f.path for f in manifest if f.kind == "html"]
        every = [corpus / f.path for f in manifest]
        print(f"competitors: trafilatura on {len(html)} pages, charset-normalizer on {len(every)} files, "
              "datasketch on the documents …", flush=True)
        report["competitors"] = {
            "trafilatura": in_child(stages.trafilatura_alone, html) if html else None,
            "charset_normalizer": in_child(stages.charset_normalizer_alone, every),
            "datasketch": in_child(stages.datasketch_alone, str(workdir / "wh-stages")),
            "parsers": in_child(stages.parsers_alone, html) if html else None,
        }

    if not args.skip_e2e:
        home = args.prefect_home or workdir / "prefect-home"
        print("end to end: docarchive ingest (Prefect) …", flush=True)
        e2e = _end_to_end_runs(corpus, workdir, home, workers, args.batch_size, keep_server=0)
        # The same with the server kept by the run before (the default when runs follow within
        # DOCARCHIVE_PREFECT_IDLE_SECONDS): the first run starts it, the measured ones find it.
        try:
            e2e.update(_end_to_end_runs(corpus, workdir, home, workers, args.batch_size, keep_server=KEEP_SERVER_S))
        finally:
            stages.stop_kept_server(home)
        report["end_to_end"] = e2e
        report["prefect"] = stages.prefect_task_overhead(home, tasks=50)

    if not args.skip_startup:
        print("Prefect start-up: a fresh PREFECT_HOME, then again …", flush=True)
        report["startup"] = _startup(workdir)

    if args.dedup_docs:
        from bench import dedup as dedup_bench

        print(f"dedup: bench.dedup on {args.dedup_docs} labelled documents …", flush=True)
        ours = dedup_bench._in_child(dedup_bench.run_docarchive, args.dedup_docs, 2024, 2000)
        theirs = dedup_bench._in_child(dedup_bench.run_datasketch, args.dedup_docs, 2024, 2000)
        report["dedup_at_scale"] = {"docarchive": ours, "datasketch": theirs,
                                    "speedup_cpu": theirs["cpu_seconds"] / ours["cpu_seconds"]}
    report["ratios"] = _ratios(report, workers)
    return report


def _describe(manifest, corpus: Path, args) -> dict:
    from collections import Counter

    kinds = Counter(f.kind for f in manifest)
    return {"path": str(corpus), "files": len(manifest), "seed": args.seed,
            "bytes": sum(f.bytes for f in manifest), "by_kind": dict(kinds),
            "bytes_by_kind": {k: sum(f.bytes for f in manifest if f.kind == k) for k in kinds},
            "copies": sum(1 for f in manifest if f.copy is not None),
            "codecs": dict(Counter(f.codec for f in manifest)),
            "templates": dict(Counter(f.template for f in manifest))}


def _stage_rows(loop: dict) -> dict:
    total = sum(loop["cpu_seconds"].get(s, 0.0) for s in STAGES)
    rows = {}
    for stage in STAGES:
        seconds = loop["cpu_seconds"].get(stage, 0.0)
        rows[stage] = {"cpu_seconds": seconds, "docs_per_s": loop["files"] / seconds if seconds else None,
                       "mb_per_s": loop["bytes"] / 2**20 / seconds if seconds else None,
                       "share": seconds / total if total else 0.0}
    rows["total"] = {"cpu_seconds": total, "docs_per_s": loop["files"] / total if total else None,
                     "mb_per_s": loop["bytes"] / 2**20 / total if total else None, "share": 1.0}
    for kind, seconds in loop["cpu_seconds_by_kind"].items():
        if kind in loop["files_by_kind"]:
            work = sum(seconds.values())
            rows[f"per_file_{kind}"] = {"cpu_seconds": work, "docs_per_s": loop["files_by_kind"][kind] / work,
                                        "mb_per_s": loop["bytes_by_kind"][kind] / 2**20 / work,
                                        "by_stage": seconds}
    return rows


def _ratio(a, b):
    return a / b if a and b else None


def _rate(count, seconds):
    return count / seconds if count and seconds else None


def _fixed(e2e: dict, suffix: str, measure: str = "cpu_seconds") -> float:
    """What every run pays whatever its size: a run on the five seeds (Prefect's server and
    client start-up, the flow run, the Parquet copies)."""
    seeds = e2e.get(f"seeds_workers_1{suffix}")
    return seeds[measure] if seeds else 0.0


def _ratios(report: dict, workers: int) -> dict:
    out = {}
    loop, comp, e2e = report["stage_loop"], report.get("competitors") or {}, report.get("end_to_end") or {}
    st = report["stages"]
    traf = comp.get("trafilatura")
    if traf:
        traf_rate = _rate(traf["files"], traf["cpu_seconds"])
        out["trafilatura_pages_per_cpu_s"] = traf_rate
        out["extract_vs_trafilatura"] = _ratio(_rate(loop["files_by_kind"].get("html"),
                                                     loop["cpu_seconds_by_kind"].get("html", {}).get("extract")), traf_rate)
        html_stage_rate = st.get("per_file_html", {}).get("docs_per_s")
        out["html_cleaning_vs_trafilatura"] = _ratio(html_stage_rate, traf_rate)
        for suffix in ("", "_server_kept"):
            run = e2e.get(f"html_workers_1{suffix}")
            if run:
                out[f"html_end_to_end_per_core_vs_trafilatura{suffix}"] = _ratio(
                    _rate(run["files_seen"], run["cpu_seconds"]), traf_rate)
                out[f"html_end_to_end_per_core_less_fixed_vs_trafilatura{suffix}"] = _ratio(
                    _rate(run["files_seen"], run["cpu_seconds"] - _fixed(e2e, suffix)), traf_rate)
    cn = comp.get("charset_normalizer")
    if cn:
        out["decode_vs_charset_normalizer"] = _ratio(st["decode"]["docs_per_s"], _rate(cn["files"], cn["cpu_seconds"]))
    ds = comp.get("datasketch")
    if ds:
        out["dedup_vs_datasketch"] = _ratio(_rate(loop["documents"], loop["cpu_seconds"]["dedup"]),
                                            _rate(ds["documents"], ds["cpu_seconds"]))
    for suffix in ("", "_server_kept"):
        run = e2e.get(f"txt_workers_1{suffix}")
        if run:
            out[f"txt_end_to_end_docs_per_cpu_s{suffix}"] = _rate(run["files_seen"], run["cpu_seconds"])
            out[f"txt_end_to_end_docs_per_cpu_s_less_fixed{suffix}"] = _rate(
                run["files_seen"], run["cpu_seconds"] - _fixed(e2e, suffix))
            out[f"txt_end_to_end_docs_per_wall_s{suffix}"] = _rate(run["files_seen"], run["wall_seconds"])
        one, many = e2e.get(f"all_workers_1{suffix}"), e2e.get(f"all_workers_{workers}{suffix}")
        if one and many and workers > 1:
            out[f"workers_{workers}_vs_1_wall{suffix}"] = _ratio(one["wall_seconds"], many["wall_seconds"])
            fixed = _fixed(e2e, suffix, "wall_seconds")
            out[f"workers_{workers}_vs_1_wall_less_fixed{suffix}"] = _ratio(one["wall_seconds"] - fixed,
                                                                           many["wall_seconds"] - fixed)
    if "dedup_at_scale" in report:
        out["dedup_at_scale_vs_datasketch"] = report["dedup_at_scale"]["speedup_cpu"]
    startup = report.get("startup")
    if startup:
        out["seeds_again_wall_s"] = startup["seeds_again"]["wall_seconds"]
        out["seeds_first_run_wall_s"] = startup["seeds_first_run"]["wall_seconds"]
        if "seeds_again_server_kept" in startup:
            out["seeds_again_server_kept_wall_s"] = startup["seeds_again_server_kept"][1]["wall_seconds"]
    return out


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------

def _f(value, digits=0, unit="") -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}{unit}"


def render(report: dict) -> str:
    c, loop = report["corpus"], report["stage_loop"]
    lines = [
        f"docarchive bench {report['when']} commit {report['commit']}; {report['machine']['cpus']} CPUs, "
        f"load average {report['machine']['load_average'][0]:.1f} at start; python {report['machine']['python']}",
        f"corpus: {c['files']:,} files, {c['bytes'] / 2**20:.1f} MiB ({', '.join(f'{k} {v:,}' for k, v in c['by_kind'].items())}; "
        f"{c['copies']:,} copies); codecs {', '.join(f'{k} {v}' for k, v in sorted(c['codecs'].items(), key=lambda kv: -kv[1]))}",
        "",
        f"Stages (one process, no Prefect; CPU time; docs = the {loop['files']:,} input files, "
        f"{loop['documents']:,} documents out, {loop['duplicates']:,} linked as copies, {loop['quarantined']} quarantined)",
        f"  {'stage':<10} {'CPU s':>8} {'docs/s':>10} {'MB/s':>8} {'share':>7}",
    ]
    for stage in (*STAGES, "total"):
        row = report["stages"][stage]
        lines.append(f"  {stage:<10} {row['cpu_seconds']:>8.2f} {_f(row['docs_per_s']):>10} {_f(row['mb_per_s'], 1):>8} "
                     f"{row['share'] * 100:>6.1f}%")
    for kind in ("html", "txt"):
        row = report["stages"].get(f"per_file_{kind}")
        if row:
            parts = ", ".join(f"{s} {v:.2f}" for s, v in row["by_stage"].items() if v)
            lines.append(f"  per {kind} file (read … dedup hash): {_f(row['docs_per_s'])} files/CPU-s, "
                         f"{_f(row['mb_per_s'], 1)} MB/s  [{parts} CPU s]")
    lines.append(f"  loop: {loop['total_cpu_seconds']:.1f} CPU s, {loop['wall_seconds']:.1f} s wall; "
                 f"peak RSS {loop['peak_rss_mb']:.0f} MB")

    comp = report.get("competitors")
    if comp:
        lines += ["", "The same files through the tools users would otherwise pick (CPU time, own process each)"]
        traf = comp.get("trafilatura")
        if traf:
            lines.append(f"  trafilatura.extract        {traf['files']:>7,} pages  {_f(traf['files'] / traf['cpu_seconds'], 1):>9} pages/s")
        cn = comp["charset_normalizer"]
        lines.append(f"  charset-normalizer         {cn['files']:>7,} files  {_f(cn['files'] / cn['cpu_seconds'], 1):>9} files/s")
        ds = comp["datasketch"]
        lines.append(f"  datasketch MinHash+LSH     {ds['documents']:>7,} docs   {_f(ds['documents'] / ds['cpu_seconds'], 1):>9} docs/s"
                     f"  (peak RSS +{ds['peak_rss_delta_mb']:.0f} MB)")
        parsers = comp.get("parsers")
        if parsers:
            lines.append(f"  HTML parsers on {parsers['pages']:,} of the pages (pages/s):")
            for name, rate in parsers["pages_per_cpu_s"].items():
                lines.append(f"    {name:<40} {rate:>9,.1f}")

    e2e = report.get("end_to_end")
    if e2e:
        lines += ["", "End to end: docarchive ingest, Prefect and all (CPU = every process of the run; peak RSS of the largest)"]
        lines.append(f"  {'run':<16} {'files':>7} {'wall s':>8} {'CPU s':>8} {'files/wall-s':>13} {'files/CPU-s':>12} {'peak MB':>8}")
        for name, r in e2e.items():
            lines.append(f"  {name:<16} {r.get('files_seen', 0):>7,} {r['wall_seconds']:>8.1f} {r['cpu_seconds']:>8.1f} "
                         f"{_f(_rate(r.get('files_seen'), r['wall_seconds']), 1):>13} {_f(_rate(r.get('files_seen'), r['cpu_seconds']), 1):>12} "
                         f"{r['peak_rss_mb']:>8.0f}")
        p = report.get("prefect")
        if p:
            lines.append(f"  Prefect (database exists): server ready {p['server_ready_seconds']:.1f} s, import {p['import_prefect_seconds']:.1f} s, "
                         f"a flow run {p['flow_run_seconds'] * 1000:.0f} ms, a task run {p['task_run_seconds'] * 1000:.1f} ms")

    startup = report.get("startup")
    if startup:
        f, s = startup["first_cost"], startup["second_cost"]
        lines += ["", "Prefect start-up (wall time)",
                  f"  fresh PREFECT_HOME: server ready {f['server_ready_seconds']:.1f} s, first flow run {f['first_flow_run_seconds']:.1f} s; "
                  f"database exists: server ready {s['server_ready_seconds']:.1f} s, first flow run {s['first_flow_run_seconds']:.1f} s",
                  f"  docarchive ingest seeds/: first run on a fresh machine {startup['seeds_first_run']['wall_seconds']:.1f} s, "
                  f"again (database exists) {startup['seeds_again']['wall_seconds']:.1f} s"]
        kept = startup.get("seeds_again_server_kept")
        if kept:
            lines.append(f"  again, Prefect's server kept by the run before: {kept[1]['wall_seconds']:.1f} s wall, "
                         f"{kept[1]['cpu_seconds']:.1f} CPU s (the run that started it: {kept[0]['wall_seconds']:.1f} s)")

    scale = report.get("dedup_at_scale")
    if scale:
        o, t = scale["docarchive"], scale["datasketch"]
        lines += ["", f"Dedup at scale (bench.dedup, {o['docs']:,} labelled documents, CPU time)",
                  f"  docarchive {o['cpu_seconds']:.1f} s ({o['docs_per_cpu_s']:,} docs/s, peak RSS +{o['peak_rss_delta_mb']:.0f} MB, "
                  f"P={o['precision']} R={o['recall']}); datasketch {t['cpu_seconds']:.1f} s ({t['docs_per_cpu_s']:,} docs/s, "
                  f"peak RSS +{t['peak_rss_delta_mb']:.0f} MB, P={t['precision']} R={t['recall']})"]

    r = report["ratios"]
    lines += ["", "Ratios (same run, same files)"]
    labels = {
        "html_end_to_end_per_core_vs_trafilatura": "HTML end to end per core / trafilatura.extract alone (target ≥ 3)",
        "html_end_to_end_per_core_less_fixed_vs_trafilatura": "  the same, less a run's fixed cost (a run on the 5 seeds)",
        "html_cleaning_vs_trafilatura": "HTML cleaning (read … dedup hash) / trafilatura.extract",
        "extract_vs_trafilatura": "extract stage / trafilatura.extract",
        "decode_vs_charset_normalizer": "decode stage / charset-normalizer",
        "dedup_vs_datasketch": "dedup stage / datasketch MinHash+LSH",
        "dedup_at_scale_vs_datasketch": "dedup at scale / datasketch (target ≥ 3)",
        "txt_end_to_end_docs_per_cpu_s": "text dumps end to end, docs per CPU s (target ≥ 2,000)",
        "txt_end_to_end_docs_per_cpu_s_less_fixed": "  the same, less a run's fixed cost (a run on the 5 seeds)",
        "txt_end_to_end_docs_per_wall_s": "text dumps end to end, docs per wall s, one worker",
        "seeds_again_wall_s": "ingest seeds/ again, database exists: wall s (target < 5)",
        "seeds_again_server_kept_wall_s": "ingest seeds/ again, Prefect's server kept by the run before (the default): wall s",
        "seeds_first_run_wall_s": "ingest seeds/ on a fresh machine: wall s",
    }
    for key, value in r.items():
        base = key.removesuffix("_server_kept") if key.startswith(("html_end", "txt_end", "workers_")) else key
        if base.startswith("workers_"):
            label = (f"{base.split('_')[1]} workers / 1 worker, wall time of the same run" + (
                ", less a run's fixed wall time (the 5 seeds)" if base.endswith("less_fixed") else " (target ≥ 1.7)"))
        else:
            label = labels.get(base) or base.replace("_", " ")
        if base != key:
            label += " [server kept]"
        lines.append(f"  {label:<86} {_f(value, 2)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="files in the generated corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=0, help="workers of the parallel end-to-end run (0: all cores)")
    parser.add_argument("--batch-size", type=int, default=0, help="files per task run (0: the flow's choice)")
    parser.add_argument("--workdir", type=Path, help="where the corpus and warehouses go (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    parser.add_argument("--json", type=Path, help="write the report as JSON here")
    parser.add_argument("--prefect-home", type=Path, help="PREFECT_HOME of the end-to-end runs (default: in the workdir)")
    parser.add_argument("--dedup-docs", type=int, default=0, help="also run bench.dedup on this many documents")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--skip-competitors", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args(argv)
    temporary = args.workdir is None
    if temporary:
        args.workdir = Path(tempfile.mkdtemp(prefix="docarchive-bench-"))
    try:
        report = run(args)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(args.workdir, ignore_errors=True)
    text = render(report)
    print()
    print(text)
    report["text"] = text
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"\nJSON: {args.json}")
    return report


if __name__ == "__main__":
    main()
    sys.exit(0)
