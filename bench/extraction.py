"""How well and how fast `cleaners.html.extract_html` finds the main text, beside trafilatura
and readability-lxml.

    python -m bench.extraction [--dev DIR] [--repeat N]

1. The generated fixture pages (tests/htmlpages/cases): character-level precision, recall
   and F1 per template, for ours and for `trafilatura.extract` on the same pages; pages/s.
2. The 77 real pages of ../shared/zh-extraction-dev (or --dev DIR, or $DOCARCHIVE_ZH_DEV):
   the same figures per page type, mean and micro-average, beside trafilatura and
   readability-lxml; ours also with the site profiles switched off (the generic method
   alone, as on a site nobody has seen). Skipped with a message when the directory is absent.
3. Parser cost on the real pages: lxml.html against BeautifulSoup with the lxml builder.

Scoring (the dev set's README): remove all whitespace from both texts; precision and recall
from the longest common subsequence (rapidfuzz LCSseq); F1 per page; mean over pages, and
micro-averaged over the summed lengths. A page whose gold is empty scores 1 when nothing is
extracted (NoMainContentError), else 0. Ours is scored on "\\n".join(page.blocks); when
`cleaners.pipeline.clean_file` exists, the full pipeline's text (every part, joined) is
scored too. The last line printed is JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import LCSseq

from cleaners.errors import CleaningError
from cleaners.html import SITE_PROFILES, _extract_with, extract_html

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "htmlpages" / "cases"
DEV_DEFAULT = ROOT.parent / "shared" / "zh-extraction-dev"
_WS = re.compile(r"\s+")

try:
    from cleaners.pipeline import clean_file
except ImportError:  # the pipeline is not there yet
    clean_file = None
try:
    from cleaners.encoding import detect_and_decode
except ImportError:
    detect_and_decode = None


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def score(predicted: str, gold: str) -> tuple[int, int, int]:
    """(LCS length, predicted length, gold length), whitespace removed."""
    p, g = _WS.sub("", predicted or ""), _WS.sub("", gold)
    return (LCSseq.similarity(p, g) if p and g else 0), len(p), len(g)


def prf(lcs: int, pred: int, gold: int) -> tuple[float, float, float]:
    if gold == 0:
        return (1.0, 1.0, 1.0) if pred == 0 else (0.0, 1.0, 0.0)
    if pred == 0 or lcs == 0:
        return 0.0, 0.0, 0.0
    p, r = lcs / pred, lcs / gold
    return p, r, 2 * p * r / (p + r)


def summarize(rows: list[tuple[int, int, int]]) -> dict[str, float]:
    """Mean P/R/F1 over pages and micro-averaged P/R/F1 over summed lengths."""
    per_page = [prf(*row) for row in rows]
    lcs, pred, gold = (sum(col) for col in zip(*rows))
    micro = prf(lcs, pred, gold)
    with_gold = [f for (_, _, f), row in zip(per_page, rows) if row[2]]
    return {
        "pages": len(rows),
        "P": statistics.fmean(p for p, _, _ in per_page), "R": statistics.fmean(r for _, r, _ in per_page),
        "F1": statistics.fmean(f for _, _, f in per_page),
        "F1_pages_with_gold_text": statistics.fmean(with_gold) if with_gold else 0.0,
        "micro_P": micro[0], "micro_R": micro[1], "micro_F1": micro[2],
    }


# --------------------------------------------------------------------------------------------
# The extractors, each text in, text out
# --------------------------------------------------------------------------------------------


def ours(html: str) -> str:
    try:
        return "\n".join(extract_html(html).blocks)
    except CleaningError:
        return ""


def ours_generic(html: str) -> str:
    try:
        return "\n".join(_extract_with(html, None, ()).blocks)
    except CleaningError:
        return ""


def trafilatura_text(html: str) -> str:
    import trafilatura

    # Tables are text in these documents; comments are not. Default precision/recall balance.
    return trafilatura.extract(html, include_tables=True, include_comments=False, include_images=False) or ""


def readability_text(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def pipeline_text(raw: bytes, name: str) -> str:
    result = clean_file(raw, name)
    return "\n".join(doc.text for doc in result.documents)


def run(extract: Callable[[str], str], pages: list[str], repeat: int) -> tuple[list[str], float]:
    """Outputs and pages per CPU second (the best of `repeat` passes). CPU time of this
    process, not wall time: every system here is single-threaded, and CPU time does not move
    when other work shares the machine."""
    outputs = [extract(html) for html in pages[:3]]  # warm-up: imports, caches
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        outputs = [extract(html) for html in pages]
        best = min(best, time.process_time() - start)
    return outputs, len(pages) / best


def _line(label: str, s: dict[str, float], rate: float | None = None) -> str:
    speed = f"  {rate:7.1f} pages/CPU-s" if rate is not None else ""
    return (f"  {label:<26} P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f}   "
            f"micro P={s['micro_P']:.3f} R={s['micro_R']:.3f} F1={s['micro_F1']:.3f}{speed}")


# --------------------------------------------------------------------------------------------
# 1. Fixtures
# --------------------------------------------------------------------------------------------


def bench_fixtures(repeat: int) -> dict:
    names = sorted(p.name[: -len(".html")] for p in CASES.glob("*.html"))
    raws = [(CASES / f"{n}.html").read_bytes() for n in names]
    expected = [json.loads((CASES / f"{n}.expected.json").read_text(encoding="utf-8")) for n in names]
    pages = [raw.decode(e["encoding"]) for raw, e in zip(raws, expected)]
    golds = [e["text"] for e in expected]
    templates = sorted({e["template"] for e in expected}, key=["portal", "wenku", "oldsite", "modern", "brlines"].index)

    systems = {"ours": ours, "trafilatura": trafilatura_text}
    results = {name: run(fn, pages, repeat) for name, fn in systems.items()}
    if clean_file is not None:
        start = time.process_time()
        outs = [pipeline_text(raw, f"{n}.html") for raw, n in zip(raws, names)]
        results["ours: full pipeline"] = (outs, len(pages) / (time.process_time() - start))

    print(f"\n== Generated fixture pages: {len(pages)} pages, {len(templates)} templates ({CASES.relative_to(ROOT)})")
    report: dict = {"pages": len(pages), "templates": {}, "pages_per_cpu_s": {}}
    for template in templates:
        print(f" {template}")
        report["templates"][template] = {}
        for system, (outs, _) in results.items():
            rows = [score(o, g) for o, g, e in zip(outs, golds, expected) if e["template"] == template]
            s = summarize(rows)
            report["templates"][template][system] = s
            print(_line(system, s))
    print(" all templates")
    for system, (outs, rate) in results.items():
        s = summarize([score(o, g) for o, g in zip(outs, golds)])
        report.setdefault("all", {})[system] = s
        report["pages_per_cpu_s"][system] = rate
        print(_line(system, s, rate))
    return report


# --------------------------------------------------------------------------------------------
# 2. Real pages
# --------------------------------------------------------------------------------------------


def bench_dev(dev: Path, repeat: int) -> dict | None:
    if not (dev / "pages").is_dir():
        print(f"\n== Real pages: skipped, {dev} is not present (pass --dev DIR or set DOCARCHIVE_ZH_DEV)")
        return None
    manifest = [json.loads(line) for line in (dev / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line]
    ids = [m["id"] for m in manifest]
    kinds = {m["id"]: m.get("page_type", "page") for m in manifest}
    raws = [(dev / "pages" / f"{i}.html").read_bytes() for i in ids]
    pages = [raw.decode("utf-8") for raw in raws]  # the benchmark stored every page as UTF-8
    golds = [(dev / "gold" / f"{i}.txt").read_text(encoding="utf-8") for i in ids]

    systems = {"ours": ours, "ours, generic only": ours_generic, "trafilatura": trafilatura_text,
               "readability-lxml": readability_text}
    results = {name: run(fn, pages, repeat) for name, fn in systems.items()}
    if clean_file is not None:
        start = time.process_time()
        outs = [pipeline_text(raw, f"{i}.html") for raw, i in zip(raws, ids)]
        results["ours: full pipeline"] = (outs, len(pages) / (time.process_time() - start))

    kb = sum(len(r) for r in raws) / len(raws) / 1024
    print(f"\n== Real pages: {len(pages)} pages ({kb:.0f} KB on average) from {dev}")
    profiled = sum(1 for p in pages if _profiled(p))
    print(f"   ({profiled} of them are on a site with a profile; 'generic only' switches profiles off)")
    report: dict = {"pages": len(pages), "by_type": {}, "all": {}, "pages_per_cpu_s": {}, "per_page_F1": {}}
    for kind in sorted(set(kinds.values())):
        print(f" {kind} pages")
        report["by_type"][kind] = {}
        for system, (outs, _) in results.items():
            rows = [score(o, g) for o, g, i in zip(outs, golds, ids) if kinds[i] == kind]
            s = summarize(rows)
            report["by_type"][kind][system] = s
            print(_line(system, s))
    print(" all pages")
    for system, (outs, rate) in results.items():
        rows = [score(o, g) for o, g in zip(outs, golds)]
        s = summarize(rows)
        report["all"][system] = s
        report["pages_per_cpu_s"][system] = rate
        report["per_page_F1"][system] = {i: round(prf(*row)[2], 4) for i, row in zip(ids, rows)}
        print(_line(system, s, rate))
    empty = sum(1 for g in golds if not _WS.sub("", g))
    if empty:
        print(f" the same, leaving out the {empty} page(s) whose gold is empty (a list page: nothing to extract)")
        for system, s in report["all"].items():
            print(f"  {system:<26} F1={s['F1_pages_with_gold_text']:.3f}")
    report["parsers"] = bench_parsers(pages, raws, repeat)
    return report


def _profiled(html: str) -> bool:
    head = html[:20000]
    return any(p.domain in head for p in SITE_PROFILES)


# --------------------------------------------------------------------------------------------
# 3. Parsers
# --------------------------------------------------------------------------------------------


def bench_parsers(pages: list[str], raws: list[bytes], repeat: int) -> dict:
    """CPU milliseconds per page to build a tree (and get its text) with lxml and with bs4."""
    import bs4
    import lxml.html
    from lxml import etree

    def lxml_parse(i: int):
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False, default_doctype=False)
        return etree.fromstring(raws[i], parser)

    def lxml_html_walk(i: int):
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False, default_doctype=False)
        return sum(1 for _ in lxml.html.document_fromstring(raws[i], parser=parser).iter())

    timings = {
        "lxml.etree parse": lxml_parse,
        "lxml.etree parse + text": lambda i: etree.tostring(lxml_parse(i), method="text", encoding="unicode"),
        "lxml.etree parse + visit every element": lambda i: sum(1 for _ in lxml_parse(i).iter()),
        "lxml.html parse + visit every element": lxml_html_walk,
        "bs4 (lxml builder) parse": lambda i: bs4.BeautifulSoup(pages[i], "lxml"),
        "bs4 (lxml builder) parse + get_text": lambda i: bs4.BeautifulSoup(pages[i], "lxml").get_text(),
        "ours: extract_html, whole": lambda i: ours(pages[i]),
        "trafilatura.extract, whole": lambda i: trafilatura_text(pages[i]),
    }
    print(f"\n== Parser cost on the same real pages (CPU ms per page, best of {repeat} passes)")
    out = {}
    for label, fn in timings.items():
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            for i in range(len(pages)):
                fn(i)
            best = min(best, time.process_time() - start)
        out[label] = best * 1000 / len(pages)
        print(f"  {label:<40} {out[label]:7.2f} ms")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=Path(os.environ.get("DOCARCHIVE_ZH_DEV", DEV_DEFAULT)),
                        help="the zh-extraction-dev directory (pages/, gold/, manifest.jsonl)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per system; the best counts")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}; pipeline {'found' if clean_file else 'not found'}")
    report = {"fixtures": bench_fixtures(args.repeat), "real_pages": bench_dev(args.dev, args.repeat)}
    print(json.dumps(report, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
