"""One raw file in, its clean documents out: the cleaning steps composed in order.

    decode → (HTML: extract main content) → page-break repair → chrome → title/body → split → describe

One path for text dumps and HTML pages: after extraction, an HTML page's blocks are lines like
a text dump's, and every text-level rule applies to them unchanged. Pure: bytes and a path in,
records out; `flows/` reads the files and `warehouse/` stores the records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from cleaners import metadata
from cleaners.chrome import strip_chrome
from cleaners.compilation import split_compilation
from cleaners.encoding import detect_and_decode, normalize_text
from cleaners.errors import CleaningError, EmptyFileError, NoMainContentError, TooLargeError
from cleaners.fingerprint import content_hash
from cleaners.pages import join_numbered_pages
from cleaners.title import separate_title
from cleaners.types import Removal

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# A character that shows: not whitespace, not a control, zero-width or other invisible one.
_VISIBLE = re.compile("[^\\s\x00-\x1f\x7f-\xa0\xad\u200b-\u200f\u2028-\u202f\u2060-\u2064\u3000\ufeff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FIRST_CLAUSE = re.compile(r"^[^。!?;,,::\n]{1,40}")


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Settings of the cleaning steps; each default says why it is what it is."""

    # Scraped pages are rarely above 2 MB; 32 MiB admits any real page and keeps a worker's
    # memory bounded (a decoded page costs up to 4 bytes per character, plus the tree).
    max_file_bytes: int = 32 * 1024 * 1024


DEFAULT_CONFIG = CleanConfig()


@dataclass(frozen=True, slots=True)
class CleanDocument:
    """One clean document (a whole file, or one part of a compilation)."""

    part_index: int
    title: str
    text: str
    source_url: str | None
    site: str | None
    published_at: datetime | None
    is_truncated: bool
    content_hash: str
    removals: list[Removal] = field(default_factory=list)
    split_note: str | None = None  # set on a compilation that could not be split

    @property
    def char_count(self) -> int:
        return len(self.text)


@dataclass(frozen=True, slots=True)
class FileResult:
    """What cleaning one file produced: documents, or the reason it was quarantined."""

    source_path: str
    encoding: str | None
    documents: list[CleanDocument]
    error: str | None = None
    error_code: str | None = None
    replacement_chars: int = 0

    @property
    def quarantined(self) -> bool:
        return self.error is not None


@dataclass(frozen=True, slots=True)
class _Page:
    lines: list[str]
    title: str | None = None
    source_url: str | None = None
    site: str | None = None
    published_at: datetime | None = None
    is_truncated: bool = False
    removals: list[Removal] = field(default_factory=list)


def _may_be_html(raw: bytes, source_path: str) -> bool:
    """Before decoding: worth looking for a declared charset? (an HTML name, or markup bytes)"""
    return source_path.lower().endswith(HTML_SUFFIXES) or b"<" in raw[:2048]


def _is_html(text: str, source_path: str) -> bool:
    """After decoding: an HTML name, or markup at the top (scrapers save pages as .txt too)."""
    if source_path.lower().endswith(HTML_SUFFIXES):
        return True
    from cleaners.html import looks_like_html

    return looks_like_html(text)


def _lines_of(text: str) -> list[str]:
    return [line for line in normalize_text(text).split("\n") if line]


def _extract_page(text: str, is_html: bool) -> _Page:
    if not is_html:
        return _Page(_lines_of(text))
    from cleaners.html import extract_html  # imported here: text dumps never pay for lxml

    page = extract_html(text)
    # normalized as one text: a page's ~30 blocks one by one cost 3-4 times as much
    lines = _lines_of("\n".join(page.blocks))
    return _Page(lines, page.title, page.source_url, page.site, page.published_at, page.is_truncated, list(page.removals))


def _fallback_title(source_path: str, text: str) -> str:
    stem = PurePosixPath(source_path).stem
    if _CJK.search(stem):
        return metadata.clean_title(stem)
    match = _FIRST_CLAUSE.match(text)
    return match.group(0) if match else stem


def clean_text(text: str, source_path: str, *, is_html: bool = False) -> list[CleanDocument]:
    """Clean decoded text (a text dump or an HTML page) into its documents.

    >>> docs = clean_text("首页 > 讲话 > 在全市会议上的讲话 >\\n在全市会议上的讲话\\n同志们:\\n今年成绩显著。\\n下一篇:工作总结", "a.txt")
    >>> [(d.title, d.text) for d in docs]
    [('在全市会议上的讲话', '同志们:\\n今年成绩显著。')]
    """
    page = _extract_page(text, is_html)
    joined = join_numbered_pages(page.lines)
    chrome = strip_chrome(joined.lines)
    removals = page.removals + joined.removals + chrome.removals
    hints = ([metadata.clean_title(page.title)] if page.title else []) + metadata.title_hints(removals)
    titled = separate_title(chrome.lines, hints)
    removals += titled.removals
    if not "".join(titled.lines).strip():
        raise NoMainContentError("nothing is left after removing the site's chrome: the page holds no document text")

    url = page.source_url or metadata.source_url(removals)
    site = page.site or metadata.site_name(removals, url)
    published = page.published_at or metadata.published_at(removals)
    truncated = page.is_truncated or metadata.is_truncated(removals)
    body_text = "\n".join(titled.lines)
    title = titled.title or _fallback_title(source_path, body_text)

    def document(part_index: int, part_title: str, lines: list[str], part_truncated: bool, note: str | None = None) -> CleanDocument:
        part_text = "\n".join(lines)
        return CleanDocument(
            part_index, part_title, part_text, url, site, published, part_truncated,
            content_hash(part_text), list(removals), note,
        )

    split = split_compilation(title, titled.lines)
    if not split.parts:
        return [document(0, title, titled.lines, truncated, split.split_note)]
    last = len(split.parts)
    # A preview cut-off cuts the compilation's last part; the parts before it are whole.
    return [
        document(index, metadata.clean_title(part.title), part.lines, truncated and index == last)
        for index, part in enumerate(split.parts, start=1)
    ]


def too_large_reason(size_bytes: int, config: CleanConfig) -> str:
    return (
        f"the file is {size_bytes / 1048576:.1f} MiB, above the {config.max_file_bytes / 1048576:.0f} MiB "
        "limit for one page (raise --max-file-mb if it is a real document)"
    )


def clean_file(raw: bytes, source_path: str, config: CleanConfig = DEFAULT_CONFIG) -> FileResult:
    """Clean one raw file. A file that cannot be cleaned comes back quarantined, with the reason.

    Never raises for bad input: every `CleaningError` becomes the quarantine reason, and so
    does any other exception (a bug, reported with its type so it can be found).

    >>> clean_file(b"", "empty.txt").error
    'the file is empty (or holds only whitespace)'
    >>> clean_file("\\u3000\\x00\\u200b\\n".encode(), "blank.txt").error_code
    'empty'
    >>> clean_file(b'<div>&#1;<div class="nav"><div/><p></div></p>&amp;', "x.html").error_code != "internal_error"
    True
    >>> [d.title for d in clean_file("在全市会议上的讲话\\n同志们:\\n今年成绩显著。".encode("gbk"), "a.txt").documents]
    ['在全市会议上的讲话']
    """
    encoding = None
    try:
        if len(raw) > config.max_file_bytes:
            raise TooLargeError(too_large_reason(len(raw), config))
        decoded = detect_and_decode(raw, is_html=_may_be_html(raw, source_path))
        encoding = decoded.encoding
        if not _VISIBLE.search(decoded.text):
            raise EmptyFileError("the file holds no text: only whitespace or invisible characters (such as NUL bytes)")
        documents = clean_text(decoded.text, source_path, is_html=_is_html(decoded.text, source_path))
        return FileResult(source_path, encoding, documents, replacement_chars=decoded.replacement_count)
    except CleaningError as error:
        return FileResult(source_path, encoding, [], error.reason, error.code)
    except RecursionError:
        return FileResult(source_path, encoding, [], "the page's markup is nested too deeply to read", "too_deep")
    except Exception as error:  # noqa: BLE001 — one bad file must never stop a run
        return FileResult(
            source_path, encoding, [],
            f"an internal error stopped cleaning this file ({type(error).__name__}: {error}); this is a docarchive bug",
            "internal_error",
        )
