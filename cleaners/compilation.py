"""Split a compilation ("合编", "汇编", "合集", "大全", or a title naming several documents)
into the documents it merges.

Part boundaries are found, in order of trust:

1. the part titles the compilation's title names (`…讲话稿和…党课稿合编` names two), looked
   for in the body allowing the decorations sites insert (`讲话范文稿` for `讲话稿`, a year
   in front);
2. title-like spans (ending in 讲话/发言/报告/稿/体会…) directly followed by a salutation
   (`…党课范文稿同志们:`).

A compilation whose parts cannot be found stays whole and says why (`split_note`); it is
never cut at random.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaners.title import SALUTATION, split_salutation
from cleaners.width import fold_width

# Words that end the title of a speech, report or plan.
DOC_TYPE_ENDINGS = (
    "讲话稿", "讲话", "发言稿", "发言", "致辞", "报告", "汇报", "意见", "方案", "计划", "规划", "总结",
    "体会", "心得", "党课稿", "党课", "稿", "材料", "提纲", "通知", "决定", "办法", "纲要", "演讲",
)
_DOC_TYPE_END = "(?:" + "|".join(sorted(map(re.escape, DOC_TYPE_ENDINGS), key=len, reverse=True)) + ")"
_COMPILATION_MARK = re.compile(r"(?:合编|汇编|合集|大全|集锦|选编|汇总|(?:范文|通用|精选|优秀)?\d+篇)$")
_TITLE_JOINERS = re.compile(r"(?:和|与|及|以及|、|&|\+)")
_YEAR_PREFIX = re.compile(r"(?:(?:19|20)[0-9xX]{2}|[xX]{4})年(?:度)?$")
# Characters a site may insert into a part title (`讲话范文稿`), counted against this budget.
MAX_INSERTED = 4
# Where a salutation-led part title may start: after a sentence end or at a line start.
_SALUTED_TITLE = re.compile(
    r"(?:(?<=[。!?\n])|^)([^。!?:\n]{6,48}?" + _DOC_TYPE_END + r")(?=" + SALUTATION.pattern.lstrip("^") + ")",
    re.M,
)


@dataclass(frozen=True, slots=True)
class Part:
    title: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Split:
    parts: list[Part]  # empty when the document is not split
    is_compilation: bool
    split_note: str | None  # why a compilation stayed whole


def is_compilation_title(title: str) -> bool:
    """True when a title says it merges several documents.

    >>> is_compilation_title("2021年全市科技工作会议讲话稿和共享全国文明城党课稿合编")
    True
    >>> is_compilation_title("在全市科技创新工作会议上的讲话")
    False
    """
    return bool(_COMPILATION_MARK.search(fold_width(title))) or len(named_parts(title)) >= 2


def named_parts(title: str) -> list[str]:
    """The part titles a compilation's title names, each ending in a document-type word.

    >>> named_parts("2021年全市科技工作会议讲话稿和共享全国文明城党课稿合编")
    ['2021年全市科技工作会议讲话稿', '共享全国文明城党课稿']
    >>> named_parts("关于科技创新和人才工作的实施意见")
    []
    """
    core = _COMPILATION_MARK.sub("", fold_width(title))
    pieces = [p for p in _TITLE_JOINERS.split(core) if p]
    if len(pieces) < 2 or not all(re.search(_DOC_TYPE_END + "$", p) and len(p) >= 4 for p in pieces):
        return []
    return pieces


def find_fuzzy(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Where `name` occurs in `text` from `start`, allowing a few inserted characters.

    Returns (begin, end) of the span; a year written just before it belongs to the span.
    Both are compared width-folded, so `２０２１年` in the text matches `2021年` in the name.

    >>> text = "……奋力开创新局面!2021年共享全国文明城党课范文稿同志们:在……"
    >>> b, e = find_fuzzy(text, "共享全国文明城党课稿"); text[b:e]
    '2021年共享全国文明城党课范文稿'
    >>> find_fuzzy("我们要共享发展成果,全国上下文明城市建设", "共享全国文明城党课稿") is None
    True
    """
    text, name = fold_width(text), fold_width(name)
    anchor = name[:2]
    position = text.find(anchor, start)
    while position != -1:
        end = _match_with_insertions(text, position, name)
        if end is not None:
            year = _YEAR_PREFIX.search(text[max(0, position - 8) : position])
            begin = position - (len(year.group(0)) if year else 0)
            return begin, end
        position = text.find(anchor, position + 1)
    return None


def _match_with_insertions(text: str, position: int, name: str) -> int | None:
    inserted = 0
    cursor = position
    for char in name:
        while cursor < len(text) and text[cursor] != char:
            if text[cursor] in "。!?\n" or inserted >= MAX_INSERTED:
                return None
            inserted += 1
            cursor += 1
        if cursor >= len(text):
            return None
        cursor += 1
    return cursor


def _boundaries_from_named_parts(text: str, names: list[str]) -> list[tuple[int, int]] | None:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for name in names:
        span = find_fuzzy(text, name, cursor)
        if span is None:
            return None
        spans.append(span)
        cursor = span[1]
    return spans


def _boundaries_from_salutations(text: str) -> list[tuple[int, int]]:
    return [(m.start(1), m.end(1)) for m in _SALUTED_TITLE.finditer(fold_width(text))]


def split_compilation(title: str | None, lines: list[str]) -> Split:
    """Split the body of a compilation into its parts, each with its own title.

    >>> body = ["2021年全市科技工作会议讲话范文稿市委决定召开全市科技工作会议。……新局面!2021年共享全国文明城党课范文稿同志们:在市委的领导下……"]
    >>> split = split_compilation("2021年全市科技工作会议讲话稿和共享全国文明城党课稿合编", body)
    >>> [(p.title, p.lines) for p in split.parts]
    [('2021年全市科技工作会议讲话范文稿', ['市委决定召开全市科技工作会议。……新局面!']), ('2021年共享全国文明城党课范文稿', ['同志们:', '在市委的领导下……'])]
    """
    if not title or not is_compilation_title(title):
        return Split([], False, None)
    text = "\n".join(lines)
    names = named_parts(title)
    spans = _boundaries_from_named_parts(text, names) if names else None
    if spans is None:
        spans = _boundaries_from_salutations(text)
    if spans and text[: spans[0][0]].strip():
        # Text before the first part title belongs to no part we found: splitting would lose it.
        spans = []
    if len(spans) < 2:
        how = "the part titles its title names" if names else "part titles followed by a salutation"
        return Split([], True, f"a compilation, left whole: could not find {how} in its body")

    parts = []
    for index, (begin, end) in enumerate(spans):
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        part_lines = [line.strip() for line in text[end:stop].split("\n") if line.strip()]
        if part_lines:
            part_lines[:1] = split_salutation(part_lines[0])
        parts.append(Part(text[begin:end].strip(), part_lines))
    if any(not part.lines for part in parts):
        return Split([], True, "a compilation, left whole: a part title was found with no text after it")
    return Split(parts, True, None)
