"""Bytes to clean Unicode text: find the encoding, decode, normalize.

The order is chosen for correctness first and speed second (most scraped pages are UTF-8):

1. a byte-order mark (UTF-8, UTF-16, UTF-32) settles it;
2. strict UTF-8, the common case, nearly free;
3. the charset the page declares (`<meta charset>`, `http-equiv`, `<?xml encoding?>`), but only
   if the bytes decode cleanly with it and read as text in that script — declarations lie;
4. UTF-8 with a few damaged bytes (a page cut mid-character), the damage kept as U+FFFD;
5. GB18030 when it decodes strictly *and* reads like real simplified Chinese (Big5 bytes also
   decode as GB18030 without error, but into rare characters: the check rejects them);
6. charset-normalizer for everything else.

GB2312 and GBK are read as GB18030 (a superset: pages labelled GB2312 routinely use GBK
characters), Big5 as Big5-HKSCS for the same reason. After decoding: NFC (not NFKC, which
would turn Chinese full-width punctuation `，：` into ASCII), one newline convention, no
zero-width or control characters. U+FFFD is kept but counted, as a sign of a damaged page.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from cleaners.errors import BinaryFileError, EmptyFileError, UndecodableError

# Python codec for each charset label pages use; the keys are lower-case labels.
_SUPERSET_CODECS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big-5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    # WHATWG: a page that says latin-1 is decoded as windows-1252.
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_BOMS = (  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# File signatures of formats that are never a text page (seen renamed to .html by scrapers).
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a Linux executable"),
    (b"MZ", "a Windows executable"),
)

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""",
    re.IGNORECASE,
)

# Zero-width characters, the BOM inside text, soft hyphen, and C0/C1 controls except \t \n \r.
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
# U+3000 (ideographic space), NBSP and the other Unicode spaces become one ASCII space.
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the Python codec that produced it, and how it was chosen."""

    text: str
    encoding: str
    method: str  # 'bom' | 'utf-8' | 'declared' | 'utf-8-repaired' | 'gb18030' | 'detected'
    replacement_count: int = 0  # U+FFFD in the decoded text: a damaged page


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, as a lower-case label, or None.

    >>> declared_charset(b'<html><head><meta charset="gb2312"><title>')
    'gb2312'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">')
    'gbk'
    >>> declared_charset("同志们：".encode("utf-8")) is None
    True
    """
    match = _DECLARED_CHARSET.search(raw[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").lower()


def python_codec(label: str) -> str | None:
    """The Python codec to decode a charset label with (supersets for GB2312/GBK/Big5).

    >>> python_codec("GB2312"), python_codec("utf8"), python_codec("no-such-charset")
    ('gb18030', 'utf-8', None)
    """
    label = label.strip().lower()
    if label in _SUPERSET_CODECS:
        return _SUPERSET_CODECS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def sniff_binary(raw: bytes) -> str | None:
    """Name the binary format of `raw` if it is one (by its signature), else None.

    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n....")
    'a PNG image'
    >>> sniff_binary("<p>同志们</p>".encode()) is None
    True
    """
    for signature, name in _BINARY_SIGNATURES:
        if raw.startswith(signature):
            return name
    return None


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_gb2312_hanzi(char: str) -> bool:
    try:
        return len(char.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return False


_gb2312_hanzi: np.ndarray | None = None


def _common_hanzi() -> np.ndarray:
    """Per BMP code point: is it one of the hanzi of U+4E00–U+9FFF that GB2312 has? Found
    once by `_is_gb2312_hanzi`; then a text's hanzi are counted by one lookup, not an encode
    (and an exception for each rare one) per character."""
    global _gb2312_hanzi
    if _gb2312_hanzi is None:
        table = np.zeros(0x10000, bool)
        table[[cp for cp in range(0x4E00, 0xA000) if _is_gb2312_hanzi(chr(cp))]] = True
        _gb2312_hanzi = table
    return _gb2312_hanzi


def reads_as_simplified_chinese(text: str, sample: int = 2000) -> bool:
    """True when the CJK characters of `text` are mostly the 6,763 common GB2312 hanzi.

    Big5 (traditional) bytes decode as GB18030 without any error, but into a soup of rare
    characters; real GBK text keeps well over 90 % of its hanzi inside GB2312. The first
    `sample` hanzi of the text's first `4 * sample` characters decide.

    >>> reads_as_simplified_chinese("同志们：今年全市科技工作取得显著成绩。")
    True
    >>> reads_as_simplified_chinese("同志們：今年全市科技工作取得顯著成績。".encode("big5").decode("gb18030"))
    False
    """
    # An array, not a regex that deletes the rest: 8,000 characters in ~20 µs instead of ~230.
    codes = np.frombuffer(text[: sample * 4].encode("utf-32-le"), np.uint32)
    hanzi = codes[(codes >= 0x4E00) & (codes <= 0x9FFF)][:sample]
    if hanzi.size == 0:
        return False
    return bool(np.count_nonzero(_common_hanzi()[hanzi]) / hanzi.size >= 0.9)


def _looks_like_utf16_or_32(raw: bytes) -> str | None:
    """Guess BOM-less UTF-16/32 from where the zero bytes fall (ASCII-heavy text)."""
    head = raw[:4000]
    if len(head) < 8 or b"\x00" not in head:
        return None
    for codec, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(raw) % width:
            continue
        text = _strict(raw, codec)
        if text is not None and "\x00" not in text and _mostly_printable(text):
            return codec
    return None


def _mostly_printable(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs") and c not in "\r\n\t")
    return bad / len(sample) < 0.01


def detect_and_decode(raw: bytes, *, is_html: bool = False) -> Decoded:
    """Decode raw bytes of a scraped page by the order in the module docstring.

    Raises `EmptyFileError`, `BinaryFileError` or `UndecodableError`, each with a reason a
    person understands.

    >>> detect_and_decode("同志们：".encode("gbk")).encoding
    'gb18030'
    >>> detect_and_decode('<meta charset="utf-8"><p>同志们</p>'.encode("gbk"), is_html=True).text
    '<meta charset="utf-8"><p>同志们</p>'
    """
    if not raw.strip():
        raise EmptyFileError("the file is empty (or holds only whitespace)")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            return Decoded(text, codec, "bom", text.count("\ufffd"))
    binary = sniff_binary(raw)
    if binary:
        raise BinaryFileError(f"this is {binary}, not a text or HTML page")

    text = _strict(raw, "utf-8")
    # ASCII-range UTF-16/32 without a BOM is valid UTF-8 full of NULs: look at the NULs first.
    wide = _looks_like_utf16_or_32(raw) if text is None or "\x00" in text else None
    if wide:
        return Decoded(raw.decode(wide), wide, "detected")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")

    label = declared_charset(raw) if is_html or raw[:5] == b"<?xml" else None
    codec = python_codec(label) if label else None
    if codec and codec != "utf-8":
        text = _strict(raw, codec)
        if text is not None and (codec != "gb18030" or reads_as_simplified_chinese(text)):
            return Decoded(text, codec, "declared")

    text = _nearly_utf8(raw)
    if text is not None:
        return Decoded(text, "utf-8", "utf-8-repaired", text.count("\ufffd"))

    text = _strict(raw, "gb18030")
    if text is not None and reads_as_simplified_chinese(text):
        return Decoded(text, "gb18030", "gb18030")

    return _decode_with_charset_normalizer(raw)


_NEARLY_UTF8_HEAD = 1024


def _nearly_utf8(raw: bytes) -> str | None:
    """UTF-8 with a few damaged bytes (a page cut mid-character, a stray byte), or None.

    The damage becomes U+FFFD, counted by the caller; text in another encoding fails the
    test, since nearly all of its non-ASCII bytes are invalid UTF-8.

    >>> _nearly_utf8("同志们:今年全市科技工作取得显著成绩。".encode("utf-8")[:-1])
    '同志们:今年全市科技工作取得显著成绩\ufffd'
    >>> _nearly_utf8("同志们:今年全市科技工作取得显著成绩。".encode("gbk")) is None
    True
    """
    # Text in another encoding is damage from its first bytes on, and decoding all of it with
    # replacements costs ~20 µs a KB: a head too damaged for the whole file ever to pass ends
    # it, counting every byte after the head as if it were clean two-byte UTF-8.
    # (A character cut at the head's end is left out of it, not counted as damage.)
    head = codecs.getincrementaldecoder("utf-8")("replace").decode(raw[:_NEARLY_UTF8_HEAD], final=False)
    damaged = head.count("\ufffd")
    rest = max(0, len(raw) - _NEARLY_UTF8_HEAD)
    wide_at_most = len(head) - len(head.encode("ascii", "ignore")) - damaged + rest // 2 + 1
    if damaged > max(8, wide_at_most // 50) or wide_at_most < 10 * damaged:
        return None
    text = raw.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    # characters above U+007F: all but the ASCII ones (counted in C, not one by one in Python)
    wide = len(text) - len(text.encode("ascii", "ignore")) - damaged
    # A few bad bytes in much good UTF-8; GBK or Big5 read as UTF-8 is nearly all damage.
    return text if damaged <= max(8, wide // 50) and wide >= 10 * damaged else None


def _decode_with_charset_normalizer(raw: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        if b"\x00" in raw:
            raise BinaryFileError(
                "the file holds NUL bytes and no text encoding fits it: it looks like binary data, not a page"
            )
        raise UndecodableError(
            "no text encoding decodes this file credibly (tried UTF-8, UTF-16/32, the declared "
            "charset, GB18030 and charset-normalizer's detection): it is probably binary or corrupt"
        )
    codec = python_codec(best.encoding) or best.encoding
    text = raw.decode(codec, errors="replace")
    if not _mostly_printable(text):
        raise BinaryFileError(
            f"the best guess ({codec}) decodes this file into mostly control characters: it looks like binary data, not a page"
        )
    return Decoded(text, codec, "detected", text.count("\ufffd"))


# A whole text is normalized through a table of code points instead of three regexes that scan
# ~15 ns a character: a 4,300-character dump in 51 µs instead of 92. Under ~1,000 characters the
# array's fixed cost loses.
_BY_ARRAY_CHARS = 1000
_DROPPED = 0xFFFFFFFF
_character_map: np.ndarray | None = None


def _map_characters(text: str) -> str:
    """The regexes' work on a text without \\r: separators to \\n, invisibles out, spaces to " ",
    and a run of spaces to one (in the array too: a regex for the runs cost more than the rest)."""
    global _character_map
    if _character_map is None:
        table = np.arange(0x10000, dtype=np.uint32)
        for cp in range(0x10000):
            char = chr(cp)
            if _LINE_BREAKS.fullmatch(char):
                table[cp] = 0x0A
            elif _INVISIBLE.fullmatch(char):
                table[cp] = _DROPPED
            elif _SPACES.fullmatch(char):
                table[cp] = 0x20
        _character_map = table
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    if codes.size and codes.max() >= 0x10000:  # astral characters are none of those: kept
        mapped = codes.copy()
        bmp = codes < 0x10000
        mapped[bmp] = _character_map[codes[bmp]]
    else:
        mapped = _character_map[codes]
    mapped = mapped[mapped != _DROPPED]
    after_space = (mapped[1:] == 0x20) & (mapped[:-1] == 0x20)
    return mapped[np.concatenate(([True], ~after_space))[: mapped.size]].tobytes().decode("utf-32-le")


def normalize_text(text: str) -> str:
    """NFC, one newline convention, spaces collapsed, invisible characters removed.

    U+3000 indentation and NBSP become plain spaces, then each line is stripped; blank lines
    collapse into one. Full-width punctuation is kept (NFC, not NFKC).

    >>> normalize_text("\\u3000\\u3000同志们：\\r\\n\\r\\n\\r\\n今年\\u200b工作，\\xa0成绩显著。  ")
    '同志们：\\n\\n今年工作， 成绩显著。'
    """
    text = unicodedata.normalize("NFC", text)
    if len(text) >= _BY_ARRAY_CHARS:
        text = _map_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    else:
        text = _LINE_BREAKS.sub("\n", text)
        text = _INVISIBLE.sub("", text)
        text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")
