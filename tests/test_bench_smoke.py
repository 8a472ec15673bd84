"""`python -m bench` at a tiny size: it runs from end to end and reports every stage, every
tool beside it and every end-to-end run. Structure only: timings on a CI machine mean nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import read_manifest, write_corpus
from bench.stages import STAGES
from tests.conftest import ROOT

FILES = 30


def test_the_corpus_is_deterministic_and_mixed(tmp_path):
    first = write_corpus(tmp_path / "a", 200, seed=3)
    again = write_corpus(tmp_path / "b", 200, seed=3)
    assert first == again == read_manifest(tmp_path / "a")
    assert all((tmp_path / "a" / f.path).read_bytes() == (tmp_path / "b" / f.path).read_bytes() for f in first)
    kinds, codecs = Counter(f.kind for f in first), Counter(f.codec for f in first)
    assert kinds["html"] > 50 and kinds["txt"] > 50
    assert {"utf-8", "gbk"} <= set(codecs) and len(codecs) >= 4
    assert {f.template for f in first if f.kind == "html"} == {"portal", "wenku", "oldsite", "modern", "brlines"}
    copies = sum(1 for f in first if f.copy is not None)
    assert 5 <= copies <= 40  # ~10 %
    assert all(f.bytes == (tmp_path / "a" / f.path).stat().st_size for f in first)


@pytest.mark.slow
def test_the_bench_runs_and_reports_every_stage(tmp_path):
    report_path = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    command = [sys.executable, "-m", "bench", "--files", str(FILES), "--workers", "2", "--skip-startup",
               "--workdir", str(tmp_path / "work"), "--prefect-home", os.environ["PREFECT_HOME"],
               "--json", str(report_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))

    corpus = report["corpus"]
    assert corpus["files"] == FILES == sum(corpus["by_kind"].values())
    for stage in (*STAGES, "total"):
        row = report["stages"][stage]
        assert set(row) >= {"cpu_seconds", "docs_per_s", "mb_per_s", "share"}, stage
        assert row["cpu_seconds"] > 0, f"stage {stage} reported no work"
        assert stage in report["text"]
    assert abs(sum(report["stages"][s]["share"] for s in STAGES) - 1) < 1e-6
    loop = report["stage_loop"]
    assert loop["files"] == FILES and loop["documents"] >= FILES and loop["quarantined"] == 0

    competitors = report["competitors"]
    assert competitors["trafilatura"]["files"] == corpus["by_kind"]["html"]
    assert competitors["charset_normalizer"]["files"] == FILES
    assert competitors["datasketch"]["documents"] == loop["documents"]
    parsers = competitors["parsers"]["pages_per_cpu_s"]
    assert {"lxml.etree (cleaners.html._parse)", "bs4 (lxml builder) + get_text", "cleaners.html.extract_html, whole"} <= set(parsers)

    e2e = report["end_to_end"]
    runs = {"seeds_workers_1", "html_workers_1", "txt_workers_1", "all_workers_1", "all_workers_2"}
    assert set(e2e) == runs | {f"{name}_server_kept" for name in runs}
    for name, run in e2e.items():
        assert run["server_kept"] == name.endswith("server_kept")
        # A kept server's work during the run counts in the run's CPU time: it was not started by it.
        assert (run["kept_server_cpu_seconds"] > 0) == run["server_kept"], name
    assert not (Path(os.environ["PREFECT_HOME"]) / "docarchive-server.json").exists(), "the bench left its server running"
    assert e2e["all_workers_1"]["files_seen"] == e2e["all_workers_2"]["files_seen"] == FILES
    assert e2e["all_workers_1"]["documents_added"] == e2e["all_workers_2"]["documents_added"] == loop["documents"]
    for run in e2e.values():
        assert run["wall_seconds"] > 0 and run["cpu_seconds"] > 0 and run["peak_rss_mb"] > 0
    assert report["prefect"]["task_run_seconds"] > 0

    ratios = report["ratios"]
    for key in ("html_end_to_end_per_core_vs_trafilatura", "decode_vs_charset_normalizer", "dedup_vs_datasketch",
                "txt_end_to_end_docs_per_cpu_s", "txt_end_to_end_docs_per_cpu_s_server_kept", "workers_2_vs_1_wall",
                "workers_2_vs_1_wall_server_kept", "html_end_to_end_per_core_vs_trafilatura_server_kept"):
        assert ratios[key] is not None, key


def test_the_stage_loop_commits_as_the_flow_does(tmp_path):
    from bench.stages import stage_loop
    from flows.ingest import IngestSettings, batches_per_commit

    write_corpus(tmp_path / "corpus", 120, seed=4)
    loop = stage_loop(str(tmp_path / "corpus"), str(tmp_path / "warehouse"))
    size = IngestSettings(workers=1).batch_size_for(loop["files"])
    assert (loop["batch_size"], loop["batches_per_commit"]) == (size, batches_per_commit(size))
    assert loop["files"] == 120 and loop["quarantined"] == 0
