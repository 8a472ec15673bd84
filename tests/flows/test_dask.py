"""The ingest flow on a real Dask cluster: `docarchive ingest --dask tcp://…` against a
`distributed.LocalCluster` of two worker processes, as a user points it at their cluster.

The cleaning batches run on the cluster's workers; linking and storing stay in the flow's
process. Every file must arrive exactly once, and the archive must be the one a run without
Dask makes of the same files: the same documents with the same ids and the same duplicate links.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from tests.conftest import ROOT

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

FILES = 60
BATCH = 10  # 6 cleaning batches, spread over the two workers


def _ingest(source: Path, warehouse: Path, *extra: str) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the CLI starts its own server
    command = [sys.executable, "-m", "flows.cli", "ingest", str(source), "--warehouse", str(warehouse),
               "--batch-size", str(BATCH), *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=240)


def _rows(warehouse: Path, query: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "flows.cli", "sql", query, "--warehouse", str(warehouse),
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.mark.slow
def test_the_flow_runs_its_batches_on_a_dask_cluster_and_every_file_arrives_once(cluster, tmp_path):
    source = tmp_path / "source"
    files = write_corpus(source, FILES, seed=5)
    (source / "manifest.jsonl").unlink()  # not an input file; keep the source to the pages and dumps

    with distributed.Client(cluster) as client:
        before = sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())
        on_dask = _ingest(source, tmp_path / "dask", "--dask", cluster.scheduler_address)
        executed = sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values()) - before
    assert on_dask.returncode == 0, on_dask.stdout + on_dask.stderr
    assert "Traceback" not in on_dask.stdout + on_dask.stderr
    assert executed >= FILES // BATCH, f"only {executed} tasks ran on the cluster"

    sources = _rows(tmp_path / "dask", "select source_path, count(*) as n from sources group by 1")
    assert sorted(r["source_path"] for r in sources) == sorted(f.path for f in files)
    assert {r["n"] for r in sources} == {1}

    plain = _ingest(source, tmp_path / "plain", "--workers", "1")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    query = ("select source_path, part_index, doc_id, duplicate_of, content_hash, ingest_seq from documents "
             "order by ingest_seq")
    on_cluster, without = _rows(tmp_path / "dask", query), _rows(tmp_path / "plain", query)
    assert on_cluster == without
    assert len({r["doc_id"] for r in on_cluster}) == len(on_cluster) >= FILES
    assert any(r["duplicate_of"] for r in on_cluster), "the corpus holds copies: some must be linked"

    again = _ingest(source, tmp_path / "dask", "--dask", cluster.scheduler_address)
    assert again.returncode == 0 and "nothing new" in again.stdout
