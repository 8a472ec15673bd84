"""Repair the page breaks that document-sharing sites leave in their text dumps.

A 文库 viewer exports a 15-page document as 15 lines, each prefixed with its page number, and
the page boundary cuts wherever the page ended — often inside a word:

    1、……全社会R&D投入总量超亿元,继
    2、续保持全省第一。……

The markers are recognised as a *run of consecutive numbers 1, 2, 3 … at line starts whose
breaks mostly cut sentences*, not as any `N、`: an ordinary numbered list is also consecutive,
but its items end their sentences.
"""

from __future__ import annotations

import re

from cleaners.types import Cleaned, Removal
from cleaners.width import fold_width

_PAGE_MARKER = re.compile(r"^(\d{1,4})[、.]\s*")
# A sentence (or a list item) ends with one of these; a page break mostly does not.
_SENTENCE_END = tuple("。!?;:…”』」).")

MIN_PAGES = 3
# Share of the breaks inside a run that must cut a sentence for the run to count as pages.
MIN_CUT_SHARE = 0.5


def _marker_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each run of lines numbered 1, 2, 3 … in a row."""
    runs: list[tuple[int, int]] = []
    start = None
    expected = 1
    for i, line in enumerate(lines):
        # `\d` is any Unicode digit (full-width ones too): a line that does not start with one
        # has no marker, and is not folded (most lines; folding them all cost a tenth of the
        # time a text dump takes to clean)
        match = _PAGE_MARKER.match(fold_width(line)) if line[:1].isdecimal() else None
        number = int(match.group(1)) if match else None
        if number is not None and number == expected and (start is not None or number == 1):
            start = i if number == 1 else start
            expected += 1
            continue
        if start is not None and expected - 1 >= MIN_PAGES:
            runs.append((start, i - 1))
        start, expected = (i, 2) if number == 1 else (None, 1)
    if start is not None and expected - 1 >= MIN_PAGES:
        runs.append((start, len(lines) - 1))
    return runs


def _cuts_sentences(pages: list[str]) -> bool:
    breaks = pages[:-1]
    cut = sum(1 for page in breaks if not fold_width(page.rstrip()).endswith(_SENTENCE_END))
    return cut / len(breaks) >= MIN_CUT_SHARE


def join_numbered_pages(lines: list[str]) -> Cleaned:
    """Remove `N、` page markers and join the pages they cut, leaving numbered lists alone.

    >>> join_numbered_pages(["1、会上,我市投入总量超亿元,继", "2、续保持全省第一。高新技术企", "3、业发展迅速。"]).lines
    ['会上,我市投入总量超亿元,继续保持全省第一。高新技术企业发展迅速。']
    >>> join_numbered_pages(["1、加强领导。", "2、落实责任。", "3、强化考核。"]).lines
    ['1、加强领导。', '2、落实责任。', '3、强化考核。']
    """
    runs = [(a, b) for a, b in _marker_runs(lines) if _cuts_sentences(lines[a : b + 1])]
    if not runs:
        return Cleaned(list(lines))
    out: list[str] = []
    removals: list[Removal] = []
    cursor = 0
    for first, last in runs:
        out.extend(lines[cursor:first])
        pages = []
        for line in lines[first : last + 1]:
            marker = _PAGE_MARKER.match(fold_width(line))
            removals.append(Removal("page_marker", line[: marker.end()].strip(), "page number of a document viewer's text dump"))
            pages.append(line[marker.end() :])
        out.append("".join(pages))
        cursor = last + 1
    out.extend(lines[cursor:])
    return Cleaned(out, removals)
