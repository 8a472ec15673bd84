"""A deterministic corpus of ordinary scraped documents, for the operations tests.

Documents in the style of the samples: a title, a salutation, paragraphs made of the samples'
own sentences in a per-document order, and one sentence no other document has, so every
document is distinct. Every `dup_every`-th file repeats an earlier file's text in another
encoding (an exact duplicate to link); files are .txt dumps in UTF-8 or GBK, or small HTML
pages.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     paths = write_corpus(Path(tmp), 12, seed=3)
...     again = write_corpus(Path(tmp), 12, seed=3)
...     len(paths), len({p.read_bytes() for p in paths}), again == paths
(12, 12, True)
"""

from __future__ import annotations

import os

import random
import re
from functools import lru_cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_SENTENCE = re.compile(r"[^。!?]{12,120}[。!?]")
_TOPICS = ("科技创新", "安全生产", "乡村振兴", "营商环境", "生态环保", "教育工作", "招商引资", "民生保障")
_KINDS = ("工作会议上的讲话", "工作总结", "实施意见", "推进会上的汇报发言")
_CITIES = ("临江市", "青山县", "河西区", "东湖市", "北原县", "南岭市")


@lru_cache(maxsize=1)
def _sentences() -> tuple[str, ...]:
    found: list[str] = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            found.extend(s.strip() for s in _SENTENCE.findall(line) if "XX" not in s)
    return tuple(dict.fromkeys(found))


def document_text(index: int, seed: int = 0) -> tuple[str, str]:
    """(title, body) of document `index`: distinct for every index."""
    rng = random.Random(f"{seed}:{index}")
    title = f"{rng.choice(_CITIES)}2024年{rng.choice(_TOPICS)}{rng.choice(_KINDS)}(第{index}号)"
    sentences = rng.sample(_sentences(), 9)
    unique = f"本次会议确定的第{index}项重点任务由{rng.choice(_CITIES)}牵头,{rng.randint(2, 12)}月底前完成。"
    paragraphs = ["".join(sentences[i : i + 3]) for i in range(0, 9, 3)]
    paragraphs.insert(1, unique)
    return title, "同志们:\n" + "\n".join(paragraphs) + "\n谢谢大家!"


def _as_html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in body.split("\n"))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_范文网</title></head>'
            f'<body><div class="nav">首页 &gt; 讲话稿 &gt; {title}</div>'
            f'<div class="article"><h1>{title}</h1>\n{paragraphs}</div>'
            f'<div class="footer">上一篇:工作计划 下一篇:述职报告</div></body></html>')


def file_bytes(index: int, seed: int = 0, dup_every: int = 10) -> tuple[str, bytes]:
    """(relative path, raw bytes) of file `index` of the corpus."""
    source_index = index - 3 if dup_every and index % dup_every == dup_every - 1 and index >= 3 else index
    title, body = document_text(source_index, seed)
    kind = index % 4
    stem = f"d{index // 100:02d}/doc{index:05d}"
    if kind == 3:
        return f"{stem}.html", _as_html(title, body).encode("utf-8")
    text = f"{title}\n{body}\n"
    if kind == 1:
        return f"{stem}.txt", text.encode("gb18030")
    if source_index != index:  # a duplicate: same text, other bytes than its original
        return f"{stem}.txt", ("\ufeff" + text).encode("utf-8")
    return f"{stem}.txt", text.encode("utf-8")


def write_corpus(root: Path, count: int, seed: int = 0, start: int = 0, dup_every: int = 10) -> list[Path]:
    """Write files `start` .. `start + count - 1` of the corpus under `root`; return their paths."""
    paths = []
    for index in range(start, start + count):
        rel, raw = file_bytes(index, seed, dup_every)
        path = root / rel
        write_atomically(path, raw)
        paths.append(path)
    return paths


def write_atomically(path: Path, raw: bytes) -> None:
    """Write as a well-behaved scraper does: to a temporary name, then rename. A scheduled run
    that lists the folder mid-write would otherwise archive half a file (superseded by the
    next run, but counted as a version)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_bytes(raw)
    os.replace(temporary, path)
