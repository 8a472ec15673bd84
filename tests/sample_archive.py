"""An archive built once per test session from `seeds/` plus generated pages, for the read side.

The generated pages give every read feature something to show: a GBK copy of a seed (a
duplicate cluster), a page of nothing but site chrome and an empty file (two quarantines with
different reasons). Tests that change the archive work on a copy (`copy_archive`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from flows.cli import main
from tests.conftest import SEEDS

DUPLICATED_SEED = "001_a92ca5ebc70222c7.txt"
GBK_COPY = "copies/科技局工作意见-副本.txt"
CHROME_ONLY = "chrome-only.txt"
EMPTY = "empty.html"
# Breadcrumb, previous/next and related links: every line is a chrome rule's.
CHROME_ONLY_TEXT = "首页 > 范文 > 讲话稿 >\n上一篇:在全市工作会议上的讲话\n下一篇:工作总结\n推荐访问:讲话 工作\n"
# A document that is in no seed, for runs after the first.
NEW_DOCUMENT_TEXT = (
    "在全县乡村振兴工作会议上的讲话\n同志们:\n今天召开全县乡村振兴工作会议,主要任务是总结工作、部署任务。\n"
    "一、提高认识,增强做好乡村振兴工作的责任感\n过去一年,全县上下齐心协力,各项工作取得新进展。\n"
    "二、突出重点,扎实推进各项工作\n要抓好产业发展,抓好人才培养,抓好基层治理。\n"
)

_built: dict[str, Path] = {}


def invoke(*args: str):
    """Run `docarchive ARGS` in-process; the result has exit_code and output."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def write_source(directory: Path) -> Path:
    """The seeds plus the generated pages, under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, directory / seed.name)
    (directory / "copies").mkdir(exist_ok=True)
    (directory / GBK_COPY).write_bytes((SEEDS / DUPLICATED_SEED).read_text(encoding="utf-8").encode("gbk"))
    (directory / CHROME_ONLY).write_text(CHROME_ONLY_TEXT, encoding="utf-8")
    (directory / EMPTY).write_bytes(b"")
    return directory


def sample_warehouse(tmp_path_factory) -> Path:
    """The shared archive's warehouse directory (built on first use). Do not change it."""
    if "warehouse" not in _built:
        source = write_source(tmp_path_factory.mktemp("sample-source"))
        warehouse = tmp_path_factory.mktemp("sample-warehouse")
        result = invoke("ingest", source, "--warehouse", warehouse)
        assert result.exit_code == 0, result.output
        _built["warehouse"] = warehouse
    return _built["warehouse"]


def copy_archive(warehouse: Path, destination: Path) -> Path:
    """A private copy of an archive, for a test that adds to it."""
    shutil.copytree(warehouse, destination)
    return destination


def ingest_new_document(warehouse: Path, source: Path, name: str = "县乡村振兴讲话.txt") -> None:
    """A second run that adds one document no seed holds."""
    source.mkdir(parents=True, exist_ok=True)
    (source / name).write_text(NEW_DOCUMENT_TEXT, encoding="utf-8")
    result = invoke("ingest", source, "--warehouse", warehouse)
    assert result.exit_code == 0, result.output
