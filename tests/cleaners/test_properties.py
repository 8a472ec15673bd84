"""Property tests: the cleaners never crash, are idempotent, and never lose body lines."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from cleaners.chrome import strip_chrome
from cleaners.errors import CleaningError
from cleaners.pipeline import clean_file, clean_text

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "seeds"
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SENTENCE = st.builds(lambda body, end: body + end, st.text(HANZI, min_size=8, max_size=60), st.sampled_from("。!?;"))
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map("".join)
TITLE = st.builds(lambda t, kind: t + kind, st.text(HANZI, min_size=4, max_size=20),
                  st.sampled_from(["讲话", "工作总结", "实施意见", "汇报发言"]))
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(st.text(max_size=3000))
def test_clean_text_raises_nothing_but_cleaning_errors(text):
    try:
        clean_text(text, "x.txt")
    except CleaningError:
        pass


@SLOW
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &;#!-[]pdivbrhtmlscript同志们:。\n\t")), max_size=2000))
def test_clean_text_survives_markup_soup(text):
    try:
        clean_text(text, "x.html", is_html=True)
    except CleaningError:
        pass


@SLOW
@given(st.binary(max_size=4000))
def test_clean_file_never_raises_on_any_bytes(raw):
    result = clean_file(raw, "x.html")
    assert result.quarantined == (not result.documents)
    if result.quarantined:
        assert result.error and result.error_code


@SLOW
@given(TITLE, st.lists(PARAGRAPH, min_size=1, max_size=12))
def test_a_body_with_no_chrome_loses_no_line(title, paragraphs):
    assert strip_chrome(paragraphs).lines == paragraphs
    [doc] = clean_text("\n".join([title] + paragraphs), "x.txt")
    assert doc.title == title
    assert doc.text.split("\n") == paragraphs


@SLOW
@given(TITLE, st.lists(PARAGRAPH, min_size=1, max_size=12))
def test_cleaning_is_idempotent(title, paragraphs):
    [once] = clean_text("\n".join([title] + paragraphs), "x.txt")
    [twice] = clean_text(once.title + "\n" + once.text, "x.txt")
    assert (twice.title, twice.text) == (once.title, once.text)


def test_cleaning_a_clean_sample_document_changes_nothing():
    for golden in sorted(GOLDEN.glob("*.json")):
        for doc in json.loads(golden.read_text(encoding="utf-8"))["documents"]:
            text = "\n".join(doc["text"])
            [again] = clean_text(doc["title"] + "\n" + text, "x.txt")
            assert (again.title, again.text) == (doc["title"], text)


_WIDE = st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.characters(min_codepoint=0xFF00, max_codepoint=0xFF60),
                          st.sampled_from("\u3000\n科")), max_size=2500)


@SLOW
@given(_WIDE)
def test_folding_a_long_text_by_array_is_folding_it_by_regex(text):
    """Long texts fold through NumPy, short ones through the regex: the same characters out."""
    from cleaners import width

    by_regex = width._FOLDABLE.sub(width._folded, text)
    assert width.fold_width(text) == by_regex
    assert width.fold_width(text + "。" * width._BY_ARRAY_CHARS) == by_regex + "。" * width._BY_ARRAY_CHARS
    lines = text.split("\n")
    assert width.fold_lines(lines) == by_regex.split("\n")
    assert width.fold_lines([text, "x"]) == [by_regex, "x"]


@SLOW
@given(st.lists(st.one_of(st.characters(exclude_categories=("Cs",)),
                          st.sampled_from(["\r", "\n", " ", "\t", "\u3000", "\xa0", "\u200b", "\u2028", "\x85", "\x0c",
                                           "科", ",", "\r\n", "\n\n\n", "e\u0301"])),
                max_size=1500).map("".join))
def test_normalizing_a_long_text_by_array_is_normalizing_it_by_regex(text):
    """Long texts are normalized through a code-point table, short ones by regexes: same output."""
    import unicodedata

    from cleaners import encoding

    def by_regex(value: str) -> str:
        value = encoding._SPACES.sub(" ", encoding._INVISIBLE.sub("", encoding._LINE_BREAKS.sub("\n", value)))
        out: list[str] = []
        for line in (line.strip() for line in value.split("\n")):
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip("\n")

    padded = text + "。" * encoding._BY_ARRAY_CHARS
    assert encoding.normalize_text(padded) == by_regex(unicodedata.normalize("NFC", padded))
    assert encoding.normalize_text(text) == by_regex(unicodedata.normalize("NFC", text))


_MIXED_BYTES = st.lists(st.one_of(
    st.text(HANZI, max_size=400).map(lambda t: t.encode("utf-8")),
    st.text(HANZI, max_size=400).map(lambda t: t.encode("gb18030")),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300).map(str.encode),
    st.binary(max_size=12),
), max_size=12).map(b"".join)


# Clean UTF-8, then damage, then clean UTF-8 again, in sizes around the decision's boundaries.
_DAMAGED_HEADS = st.builds(
    lambda before, bad, damage, after: "同".encode() * before + bad * damage + "科".encode() * after,
    st.integers(0, 400), st.sampled_from([b"\xff", "科".encode("gbk"), b"\xe7\xa7"]), st.integers(0, 300),
    st.integers(0, 9000),
)


@SLOW
@given(st.one_of(_MIXED_BYTES, _DAMAGED_HEADS))
def test_nearly_utf8_decides_as_decoding_the_whole_file_would(raw):
    """`_nearly_utf8` gives up after a damaged head only when the whole file would fail too."""
    from cleaners import encoding

    text = raw.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - damaged
    whole = text if damaged <= max(8, wide // 50) and wide >= 10 * damaged else None
    assert encoding._nearly_utf8(raw) == whole


# Common hanzi (的), rare ones outside GB2312 (丂) and other characters, in runs of any length:
# texts on both sides of the 90 % line, with their hanzi before and after the sample's end.
_HANZI_MIXES = st.lists(st.tuples(st.sampled_from(["的", "丂", "a", "。", "\U00020000"]), st.integers(0, 5000)),
                        max_size=6).map(lambda runs: "".join(char * count for char, count in runs))


@SLOW
@given(st.one_of(_HANZI_MIXES, st.text(st.one_of(HANZI, st.characters(min_codepoint=0x20, max_codepoint=0xFFFF,
                                                                          exclude_categories=("Cs",))), max_size=9000)))
def test_the_simplified_chinese_check_counts_as_the_gb2312_codec_does(text):
    """The code-point table agrees with asking the GB2312 codec about each hanzi."""
    from cleaners import encoding

    hanzi = [c for c in text[:8000] if "\u4e00" <= c <= "\u9fff"][:2000]
    expected = bool(hanzi) and sum(encoding._is_gb2312_hanzi(c) for c in hanzi) / len(hanzi) >= 0.9
    assert encoding.reads_as_simplified_chinese(text) == expected


@SLOW
@given(st.lists(st.lists(st.one_of(st.characters(exclude_categories=("Cs",)),
                                   st.sampled_from(["\r", "\n", " ", "\u3000", "\u200b", "\u0301", "科", "\u2028"])),
                         max_size=120).map("".join), max_size=30))
def test_an_html_pages_blocks_normalize_as_one_text_as_they_do_one_by_one(blocks):
    """`_extract_page` normalizes a page's blocks joined by line breaks, in one pass."""
    from cleaners.pipeline import _lines_of

    assert _lines_of("\n".join(blocks)) == [line for block in blocks for line in _lines_of(block)]


@SLOW
@given(st.lists(st.sampled_from(["&", "#", "x", "X", "0", "1", "2", "3", "9", "a", "f", ";", "\x00", "\x01", "\x1f",
                                 "\x7f", "\t", "\n", "科", "\ud800", "é", "\x85", "&#"]), max_size=40).map("".join))
def test_control_characters_leave_the_encoded_page_as_they_would_the_text(html):
    """`_parse` deletes C0 controls from the page's UTF-8 bytes, then references to them: the
    same bytes as deleting the characters from the text first (a control can join the two
    halves of a reference: "&#\\x001;")."""
    import re

    from cleaners import html as extractor

    controls = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    references = re.compile(extractor._CONTROL_REFERENCE.pattern.decode("ascii"))
    from_text = references.sub("", controls.sub("", html)).encode("utf-8", "replace")
    from_bytes = extractor._CONTROL_REFERENCE.sub(b"", html.encode("utf-8", "replace").translate(None, extractor._CONTROL_BYTES))
    assert from_bytes == from_text
