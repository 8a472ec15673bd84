"""A realistic scraped corpus of any size, written to a directory: what `python -m bench` ingests.

    python -m bench.corpus OUT_DIR --files 10000 [--html-share 0.5] [--dup-share 0.1] [--seed 7]

Bodies are the speeches of `tests/dedup_corpus.py` (stock sentences, topic sentences and
content sentences: the seeds' genre), the five sample files' bodies first. Each file is either

* an HTML page: the body rendered by one of the five site templates of
  `tests/htmlpages/generate.py` (portal, wenku, oldsite, modern, brlines), in that template's
  encodings (UTF-8, GBK, GB18030, UTF-8 with a BOM, UTF-16, pages whose <meta charset> lies), or
* a text dump shaped like the files in `seeds/`: a title line and the site's chrome around the
  body (the editor's lead-in, a date line, a breadcrumb, 推荐访问, 上一篇/下一篇, a preview
  notice, 本文标题/链接地址), or a document viewer's pages numbered `1、 2、 …`; mostly UTF-8,
  some GBK, GB18030, UTF-16 and UTF-8 with a BOM.

About `dup_share` of the files are copies of an earlier body: the same text in another template
or encoding, or with the edits scraped copies show (`tests.dedup_corpus.EDITS`: punctuation
width, filled-in placeholders, a paragraph dropped or added, a title line, chrome), some of
them a truncated preview. Deterministic for a seed; HTML pages go under `html/`, text dumps
under `txt/`, and `manifest.jsonl` describes every file (kind, template, codec, copy of what).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tests import dedup_corpus as bodies
from tests.htmlpages import generate as sites
from tests.htmlpages.documents import Document

DEFAULT_SIZE_KB = (4.0, 20.0)  # UTF-8 size range of a body; the seeds are 6–22 KB
# Codec of a text dump, and how often (the seeds are UTF-8; scrapers on Windows save GBK).
TEXT_ENCODINGS = (("utf-8", 60), ("gbk", 20), ("gb18030", 5), ("utf-16", 5), ("utf-8-sig", 10))
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_REMEMBERED_BASES = 2000  # copies are drawn from the last bases written: memory stays bounded


@dataclass(frozen=True, slots=True)
class CorpusFile:
    path: str  # relative to the corpus directory
    kind: str  # 'html' | 'txt'
    template: str  # a site template, or the text dump's shape
    codec: str
    bytes: int
    base: int  # the body this file holds
    copy: str | None  # None for an original; else the edits that made the copy ('' for none)


def _blocks(lines: list[str]) -> list[tuple[str, object]]:
    return [("h" if _HEADING.match(line) and len(line) < 60 else "p", line) for line in lines]


def _copy(rng: random.Random, title: str, lines: list[str]) -> tuple[list[str], str]:
    """A scraped copy: the same text, or 1–2 of the edits copies show; sometimes a preview."""
    kinds = rng.sample(sorted(bodies.EDITS), rng.choice((0, 1, 1, 2)))
    for kind in kinds:
        lines = bodies.EDITS[kind](rng, title, lines)
    if rng.random() < 0.15:
        lines = bodies._truncate(rng, lines)
        kinds.append("truncated")
    return [line for line in lines if line], "+".join(kinds)


# --- text dumps, shaped like the samples ------------------------------------------------------

def _dump_lead(rng: random.Random, title: str, when: datetime) -> list[str]:
    site = rng.choice(("三七文档", "范文网", "淘文阁", "公文站"))
    return rng.choice((
        [f"{title}(全文)", f"下面是小编为大家整理的{title}(全文),供大家参考。"],
        [title, f"时间:{when:%Y-%m-%d %H:%M:%S}", f"导语:{title}一文来源于网友上传,不代表本站观点,欢迎参考。"],
        [f"首页 > 讲话范文 > {title} >", "", title, ""],
        [f"您好,欢迎访问{site}", f"当前位置:首页 > 办公文档 > 讲话稿 > {title}", title],
    ))


def _dump_tail(rng: random.Random, title: str) -> list[str]:
    other = rng.choice(sites.OTHER_TITLES)
    return rng.choice((
        [",", f"推荐访问:{title[-6:]} 讲话 工作 {title}", f"下一篇:{other}"],
        [f"- 上一篇:{other}", f"- 下一篇:{rng.choice(sites.OTHER_TITLES)}"],
        ["", "", "预览阅读已结束,若您需要写相关文章,请扫码联系老师写作!"],
        [f"本文标题:{title}", f"链接地址:https://www.777doc.com/doc-{rng.randrange(10**7, 10**8)} .html"],
    ))


def _viewer_dump(rng: random.Random, title: str, lines: list[str]) -> str:
    """A document viewer's text: a sharing notice, then pages `1、 2、 …` that cut words in two."""
    text = title + "".join(lines)
    size = rng.randrange(700, 1100)
    pages = [f"{n}、{text[i:i + size]}" for n, i in enumerate(range(0, len(text), size), start=1)]
    notice = (f"《{title}.docx》由会员分享,可在线阅读,更多相关《{title}.docx({len(pages)}页珍藏版)》"
              "请在淘文阁网上搜索。")
    return "\n".join([notice, *pages])


def render_dump(rng: random.Random, title: str, lines: list[str], when: datetime) -> tuple[str, str]:
    """(text, shape) of one text dump."""
    if rng.random() < 0.15:
        return _viewer_dump(rng, title, lines), "viewer"
    indent = "  " if rng.random() < 0.3 else ""
    body = [indent + line for line in lines]
    return "\n".join([*_dump_lead(rng, title, when), *body, *_dump_tail(rng, title)]) + "\n", "dump"


def _encode_dump(rng: random.Random, text: str) -> tuple[bytes, str]:
    codec = rng.choices([c for c, _ in TEXT_ENCODINGS], weights=[w for _, w in TEXT_ENCODINGS])[0]
    try:
        return text.encode(codec), codec
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


# --- HTML pages -------------------------------------------------------------------------------

def render_page(rng: random.Random, number: int, base: int, title: str, lines: list[str],
                when: datetime) -> tuple[bytes, str, str]:
    """(bytes, template, codec) of one HTML page, by the fixture generator's templates."""
    template = sites.TEMPLATES[number % len(sites.TEMPLATES)]
    doc = Document(f"b{base:07d}", title, when, _blocks(lines))
    choices = sites.ENCODINGS[template]
    codec, declared = choices[(number // len(sites.TEMPLATES)) % len(choices)]
    html, _ = sites.RENDERERS[template](doc, number, rng, declared)
    try:
        return html.encode(codec), template, codec
    except UnicodeEncodeError:  # a character the codec lacks: saved as UTF-8, as a scraper would
        return html.encode("utf-8"), template, "utf-8"


# --- the corpus -------------------------------------------------------------------------------

def iter_files(n_files: int, seed: int = 7, html_share: float = 0.5, dup_share: float = 0.1,
               size_kb: tuple[float, float] = DEFAULT_SIZE_KB):
    """Yield (CorpusFile, bytes) for n_files files, in file order; memory stays bounded."""
    rng = random.Random(seed)
    seeds = bodies._seed_bases()
    remembered: list[tuple[int, str, list[str]]] = []
    start = datetime(2019, 1, 1)
    n_bases = 0
    for number in range(n_files):
        when = start + timedelta(minutes=rng.randrange(6 * 365 * 24 * 60))
        if remembered and rng.random() < dup_share:
            base, title, lines = rng.choice(remembered)
            lines, edits = _copy(rng, title, lines)
        else:
            base, edits = n_bases, None
            if base < len(seeds):
                title, lines = seeds[base]
            else:
                title, lines = bodies._base_lines(rng, int(rng.uniform(*size_kb) * 1024 / 3))
            n_bases += 1
            remembered.append((base, title, lines))
            if len(remembered) > _REMEMBERED_BASES:
                remembered.pop(rng.randrange(len(remembered)))
        if rng.random() < html_share:
            raw, template, codec = render_page(rng, number, base, title, lines, when)
            name = f"html/{number // 1000:03d}/p{number:07d}.html"
            kind = "html"
        else:
            text, template = render_dump(rng, title, lines, when)
            raw, codec = _encode_dump(rng, text)
            name = f"txt/{number // 1000:03d}/d{number:07d}.txt"
            kind = "txt"
        yield CorpusFile(name, kind, template, codec, len(raw), base, edits), raw


def write_corpus(out: Path, n_files: int, seed: int = 7, html_share: float = 0.5, dup_share: float = 0.1,
                 size_kb: tuple[float, float] = DEFAULT_SIZE_KB) -> list[CorpusFile]:
    """Write the corpus under `out` (html/, txt/, manifest.jsonl) and return its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as listing:
        for meta, raw in iter_files(n_files, seed, html_share, dup_share, size_kb):
            path = out / meta.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
            listing.write(json.dumps(asdict(meta), ensure_ascii=False) + "\n")
            manifest.append(meta)
    return manifest


def read_manifest(out: Path) -> list[CorpusFile]:
    with open(out / "manifest.jsonl", encoding="utf-8") as listing:
        return [CorpusFile(**json.loads(line)) for line in listing if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--html-share", type=float, default=0.5)
    parser.add_argument("--dup-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    files = write_corpus(args.out, args.files, args.seed, args.html_share, args.dup_share)
    total = sum(f.bytes for f in files)
    print(f"wrote {len(files)} files ({total / 2**20:.1f} MiB) to {args.out}")


if __name__ == "__main__":
    main()
