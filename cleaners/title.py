"""Separate a document's title from its body.

Pages show the title in several places at once (the page's own title line, a breadcrumb, the
footer's 本文标题, the body's first line) and sometimes glue it to the body's first sentence
(`…现场会上的讲话同志们:这次…`). Titles are compared by a *title key* that ignores
punctuation, width and the digits of a year (`202x` and `2024` are the same title on two sites).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaners.chrome import MAX_TITLE_CHARS, is_title_like
from cleaners.fingerprint import dedup_form
from cleaners.metadata import clean_title
from cleaners.types import Removal
from cleaners.width import fold_width

# Section headings open a body, they are not a document's title: "一、", "(一)", "第一章", "1."
_SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|第[一二三四五六七八九十\d]+[章节部条]|\d+[、.])")
# Who a speech addresses, closed by a colon: "同志们:", "尊敬的各位领导、同志们:"
SALUTATION = re.compile(
    r"^(?:尊敬的|亲爱的|各位)?[^,。!?:\n]{0,24}"
    r"(?:同志们|同事们|朋友们|女士们|先生们|老师们|同学们|领导|来宾|代表|嘉宾|委员|家长们|乡亲们|战友们)"
    r"[^。!?:\n]{0,16}:"
)
_YEAR_DIGITS = re.compile(r"[0-9x]")


def title_key(text: str) -> str:
    """What two spellings of one title share: folded, punctuation dropped, digits and x as 0.

    >>> title_key("在202x年全省科技创新工作推进会上的汇报发言") == title_key("在2024年全省科技创新工作推进会上的汇报发言")
    True
    """
    return _YEAR_DIGITS.sub("0", dedup_form(text))


def _glued_prefix_end(line: str, key: str) -> int | None:
    """Index in `line` just after the characters whose title key is `key`, if the line starts so."""
    built = ""
    for index, char in enumerate(line):
        built += title_key(char)
        if len(built) >= len(key):
            return index + 1 if built == key else None
        if not key.startswith(built):
            return None
    return None


def split_salutation(line: str) -> list[str]:
    """Put a salutation glued to the first sentence of a speech on its own line.

    >>> split_salutation("同志们:这次会议十分重要。")
    ['同志们:', '这次会议十分重要。']
    >>> split_salutation("同志们:")
    ['同志们:']
    """
    match = SALUTATION.match(fold_width(line))
    if match and match.end() < len(line):
        return [line[: match.end()], line[match.end() :].lstrip()]
    return [line]


@dataclass(frozen=True, slots=True)
class Titled:
    title: str | None
    lines: list[str]
    removals: list[Removal] = field(default_factory=list)


def separate_title(lines: list[str], hints: list[str]) -> Titled:
    """Take the title off the body: a title line, a repeat of it, or a title glued to the body.

    `hints` are titles the page states elsewhere (breadcrumb, footer, `<title>`); without hints
    a title-like first line is the title; with hints, the first line must match one of them.

    >>> t = separate_title(["在2024年全省会上的汇报发言", "在202x年全省会上的汇报发言", "尊敬的各位领导,同志们:", "现将工作汇报如下:"], [])
    >>> t.title, t.lines
    ('在2024年全省会上的汇报发言', ['尊敬的各位领导,同志们:', '现将工作汇报如下:'])
    >>> t = separate_title(["市委常委、副市长在现场会上的讲话同志们:这次会议十分重要。"], ["市委常委副市长在现场会上的讲话"])
    >>> t.title, t.lines
    ('市委常委、副市长在现场会上的讲话', ['同志们:', '这次会议十分重要。'])
    """
    lines = list(lines)
    removals: list[Removal] = []
    hint_keys = {title_key(h): h for h in hints if title_key(h)}
    title: str | None = None

    if lines and is_title_like(lines[0]) and not _SECTION_HEADING.match(fold_width(lines[0])) and len(lines) > 1:
        first_key = title_key(lines[0])
        # The first line may decorate a stated title ("…讲话(全文)"), not be a piece of it:
        # a poem page titled 春日即景(外二首) opens with its first poem's title, 春日即景.
        if not hint_keys or any(k in first_key for k in hint_keys):
            title = lines.pop(0)
    keys = ([title_key(title)] if title else []) + list(hint_keys)

    while lines:
        first = lines[0]
        # A line much longer than any title cannot repeat it (and keying an 8,000-character line costs).
        if len(first) <= 2 * MAX_TITLE_CHARS and title_key(first) in keys and len(lines) > 1:
            removals.append(Removal("repeated_title", first, "the title repeated as the body's first line"))
            lines.pop(0)
            title = title or first
            continue
        glued = next((end for key in keys if (end := _glued_prefix_end(first, key))), None)
        if glued and glued < len(first):
            title = title or first[:glued]
            if title_key(first[:glued]) == title_key(title):
                removals.append(Removal("repeated_title", first[:glued], "the title glued to the body's first sentence"))
            lines[0] = first[glued:].lstrip()
            continue
        break

    if lines:
        lines[:1] = split_salutation(lines[0])
    if title is None and hints:
        title = hints[0]
    return Titled(clean_title(title) if title else None, lines, removals)
