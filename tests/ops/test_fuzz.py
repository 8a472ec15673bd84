"""Fuzzing: raw bytes through decode → extract → clean; any exception but a CleaningError is a bug.

Hypothesis builds pages from the pieces hostile scrapes are made of — tags, attributes,
entities (good and broken), Chinese text in several encodings, byte-order marks, lying
charset declarations, NUL and random bytes, page markers, site chrome — and from plain
random bytes. Each stage is called on its own (so a bug is pinned to its stage), then the
whole `clean_file`, which must never report an internal error.

The budget is set by `DOCARCHIVE_FUZZ_EXAMPLES` (examples per test, default 1000: about 30 s
in all); run with e.g. 20000 to fuzz for longer.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from cleaners.encoding import detect_and_decode
from cleaners.errors import CleaningError
from cleaners.pipeline import CleanConfig, clean_file, clean_text

EXAMPLES = int(os.environ.get("DOCARCHIVE_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("DOCARCHIVE_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

HANZI = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=40)
PUNCT = st.sampled_from(list(",。:;!?、“”()《》—…") + ["", "\n", " ", "\u3000", "\xa0", "\u200b"])
PHRASES = st.sampled_from([
    "首页 > 讲话稿 > ", "上一篇:", "下一篇:", "推荐访问:", "下面是小编为大家整理的", "预览阅读已结束",
    "由会员分享,可在线阅读", "同志们:", "1、", "2、", "3、", "合编", "汇编", "202x年", "(全文)",
    "发布时间:2024-03-01 10:00", "来源:http://www.example.com/a/1.html", "版权所有 ©",
])
TEXT = st.lists(st.one_of(HANZI, PUNCT, PHRASES), max_size=30).map("".join)
ENCODING = st.sampled_from(["utf-8", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
TAG = st.sampled_from(["div", "p", "span", "b", "font", "table", "tr", "td", "br", "h1", "title", "script", "style",
                       "a", "ul", "li", "pre", "html", "body", "head", "meta", "!--", "![CDATA[", "?xml", "!DOCTYPE html"])
ATTR = st.sampled_from(['', ' class="content"', ' class="nav"', ' id="article"', ' charset="gb2312"',
                        ' http-equiv="Content-Type" content="text/html; charset=big5"', ' href="/a/1.html"',
                        ' style="display:none"', ' class="footer copyright"', " a='", ' b="'])
ENTITY = st.sampled_from(["&amp;", "&lt;", "&nbsp;", "&#20013;", "&#x56fd;", "&#0;", "&#xD800;", "&#99999999;",
                          "&bogus;", "&", "&#", "&amp", "&#x;"])


@st.composite
def markup(draw) -> bytes:
    """A page-like byte string: tags, text in one encoding per piece, entities, raw bytes."""
    pieces: list[bytes] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 7))
        if kind <= 1:
            name, attrs = draw(TAG), draw(ATTR)
            pieces.append(draw(st.sampled_from([f"<{name}{attrs}>", f"</{name}>", f"<{name}{attrs}/>", f"<{name}"]))
                          .encode())
        elif kind <= 4:
            text = draw(TEXT)
            pieces.append(text.encode(draw(ENCODING), errors="replace"))
        elif kind == 5:
            pieces.append(draw(ENTITY).encode())
        elif kind == 6:
            pieces.append(draw(st.binary(max_size=16)))
        else:
            pieces.append(draw(st.sampled_from([b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\r\n", b"\r", b"\x1b[0m",
                                                b"\xe5\x90", b"\x80", b"\xa1\xa1" * 3])))
    return b"".join(pieces)


RAW = st.one_of(markup(), st.binary(max_size=3000))
PATH = st.sampled_from(["page.html", "page.htm", "dump.txt", "page.xhtml", "noext.txt"])


@FUZZ
@given(RAW, st.booleans())
def test_decode_raises_only_cleaning_errors(raw, is_html):
    try:
        decoded = detect_and_decode(raw, is_html=is_html)
    except CleaningError as error:
        assert error.reason and error.code
        return
    assert isinstance(decoded.text, str) and decoded.encoding
    decoded.text.encode("utf-8")  # no lone surrogates
    assert decoded.replacement_count == decoded.text.count("\ufffd")


@FUZZ
@given(RAW)
def test_extract_raises_only_cleaning_errors(raw):
    """The extraction step as the pipeline runs it (`_extract_page`: HTML → lines and metadata)."""
    from cleaners.pipeline import _extract_page

    try:
        text = detect_and_decode(raw, is_html=True).text
    except CleaningError:
        text = raw.decode("utf-8", errors="replace")
    try:
        page = _extract_page(text, True)
    except CleaningError:
        return
    assert all(isinstance(line, str) and line for line in page.lines)


def test_extract_html_itself_takes_references_to_control_characters():
    """Found by fuzzing: libxml2 decoded '&#1' into the tree and lxml refused to move that text."""
    from cleaners.html import extract_html

    try:
        extract_html('<div>&#1N<div class="nav"><div/><p></div></p>&amp;')
    except CleaningError:
        pass


@FUZZ
@given(RAW, st.booleans())
def test_clean_text_raises_only_cleaning_errors(raw, is_html):
    text = raw.decode("utf-8", errors="replace")
    try:
        documents = clean_text(text, "x.html" if is_html else "x.txt", is_html=is_html)
    except CleaningError:
        return
    assert documents


@FUZZ
@given(RAW, PATH)
def test_clean_file_never_fails_inside(raw, path):
    result = clean_file(raw, path, CleanConfig(max_file_bytes=2048 if len(raw) % 7 == 0 else 32 * 1024 * 1024))
    assert result.error_code != "internal_error", result.error
    assert result.quarantined == (not result.documents)
    if result.quarantined:
        assert len(result.error) >= 20, result.error
        return
    for doc in result.documents:
        assert doc.text.strip() and doc.char_count == len(doc.text)
        assert not _CONTROL.search(doc.text + doc.title), (doc.title, doc.text)
        (doc.title + doc.text).encode("utf-8")
