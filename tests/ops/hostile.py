"""The hostile corpus: files a scraper's folder really ends up holding, each with what must happen.

Generated at test time into a temporary directory (the big ones are tens of MB: never
committed). Every case says what the archive must show for it: `quarantined` with one of the
given error codes, `ok` (cleaned into a document), or `either` (the input is ambiguous, e.g.
half GBK and half UTF-8: quarantined or cleaned are both right, crashing is not).

`python -m tests.ops.hostile DIR` writes the corpus to DIR, to try it by hand.
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.ops.corpus import document_text

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    path: str  # relative to SOURCE
    expect: str  # 'ok' | 'quarantined' | 'either'
    codes: tuple[str, ...] = ()  # acceptable error codes when quarantined
    why: str = ""


def _article(index: int = 0) -> tuple[str, str]:
    title, body = document_text(1000 + index, seed=77)
    return title, body


def _html(title: str, body_html: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body_html}</body></html>")


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{line}</p>" for line in body.split("\n"))


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(range(16)) * 3 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        title, body = _article(1)
        archive.writestr("word/document.xml", f"<w:document><w:body>{title}{body}</w:body></w:document>")
    return buffer.getvalue()


def unclosed_tags_page(levels: int) -> bytes:
    """A page whose text sits under `levels` x 3 formatting tags that are never closed."""
    title, body = _article()
    return _html(title, "<div><span><b>" * levels + body).encode()


def _chrome_only_html() -> str:
    return _html("讲话稿_范文网", (
        '<div class="nav">首页 &gt; 讲话稿 &gt; 领导讲话 &gt;</div>'
        '<div class="recommend">推荐访问:科技创新讲话 安全生产讲话 乡村振兴讲话</div>'
        '<div class="pager">上一篇:工作总结 下一篇:述职报告</div>'
        '<div class="share">分享到:微信 微博 QQ空间</div>'
        '<div class="footer">版权所有 © 2024 范文网 备案号:京ICP备12345678号</div>'))


def _chrome_only_text() -> str:
    return ("首页 > 讲话稿 > 领导讲话 >\n"
            "下面是小编为大家整理的领导讲话,供大家参考。\n"
            "推荐访问:科技创新讲话 安全生产讲话\n"
            "上一篇:工作总结\n下一篇:述职报告\n")


def write_hostile_corpus(root: Path, big: bool = True) -> list[Case]:
    """Write every hostile file under `root`; return the cases. `big=False` skips the 50 MB file."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2024)
    title, body = _article()
    page = _html(title, '<div class="article"><h1>' + title + "</h1>" + _paragraphs(body) + "</div>")
    cases: list[tuple[Case, bytes | None]] = []

    def add(path: str, raw: bytes | None, expect: str, codes: tuple[str, ...] = (), why: str = "") -> None:
        cases.append((Case(path, expect, codes, why), raw))

    # Nothing to read.
    add("empty.html", b"", "quarantined", ("empty",), "an empty file")
    add("whitespace.txt", b" \r\n\t\xe3\x80\x80\n  ", "quarantined", ("empty",), "only whitespace")
    # Not text at all.
    add("random-bytes.html", rng.randbytes(64 * 1024), "quarantined", ("binary", "undecodable"), "random bytes")
    add("image.html", _png(), "quarantined", ("binary",), "a PNG renamed .html")
    add("archive.html", _zip(), "quarantined", ("binary",), "a ZIP (.docx) renamed .html")
    add("nul-bytes-only.txt", b"\x00" * 4096, "quarantined", ("binary", "undecodable", "empty"), "only NUL bytes")
    # Broken markup.
    encoded = page.encode()
    whole = encoded[: encoded.rindex(b"</p>", 0, len(encoded) * 2 // 3) + 4]  # ends after a paragraph
    add("cut-mid-tag.html", whole + b"<p>\xe4\xbb\x8a\xe5\xb9\xb4</p><di", "ok", (), "HTML cut in the middle of a tag")
    add("cut-mid-character.html", whole + b"<p>\xe4\xbb\x8a\xe5", "ok", (),
        "HTML cut inside a UTF-8 character")
    nested = "<div>" * 100_000 + "<p>" + body.replace("\n", "</p><p>") + "</p>" + "</div>" * 100_000
    add("nested-divs.html", _html(title, nested).encode(), "ok", (),
        "100,000 nested <div>s around the text")
    # Bad bytes inside good text.
    text = f"{title}\n{body}\n"
    add("nul-bytes.txt", text.encode().replace("。".encode(), "。".encode() + b"\x00"), "ok", (),
        "NUL bytes between sentences")
    add("invalid-utf8.txt", text.encode()[:300] + b"\xff\xfe\xc3\x28" + text.encode()[300:], "ok", (),
        "invalid byte sequences inside UTF-8")
    half = len(text) // 2
    add("half-gbk-half-utf8.txt", text[:half].encode("gbk") + text[half:].encode("utf-8"), "either",
        ("undecodable", "binary"), "first half GBK, second half UTF-8")
    add("lying-charset.html", _html(title, _paragraphs(body)).replace("utf-8", "big5").encode("gbk"), "ok", (),
        "GBK bytes under a <meta charset=big5>")
    # Floods.
    add("entity-flood.html", _html(title, "<p>" + "&amp;&lt;&#20013;&#x56fd;&nbsp;" * 100_000 + "</p>"
                                   + _paragraphs(body)).encode(), "either", ("no_content",),
        "500,000 character entities")
    laughs = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                        for i in range(1, 10))
              + ']><html><body><p>&lol9;</p>' + _paragraphs(body) + "</body></html>")
    add("billion-laughs.xhtml", laughs.encode(), "either", ("no_content", "undecodable"),
        "XML entities that expand to a billion strings")
    add("one-long-line.html", ("<p>" + "同志们,今年全市经济运行稳中有进。" * 150_000 + "</p>").encode(), "either",
        ("no_content",), "a single 6.6 MB line of text")
    if big:
        add("huge-one-line.html", None, "quarantined", ("too_large",), "a single 50 MB line, above the size limit")
    # Nothing left after cleaning.
    add("only-chrome.html", _chrome_only_html().encode(), "quarantined", ("no_content",),
        "nothing but breadcrumbs, related links, pager and footer")
    add("only-chrome.txt", _chrome_only_text().encode("gbk"), "quarantined", ("no_content",),
        "a text dump of site chrome only")
    # A good document among them, as a control.
    add("good/article.html", page.encode(), "ok", (), "an ordinary page")

    for case, raw in cases:
        path = root / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if raw is None:  # the 50 MB line, written in pieces
            with open(path, "wb") as handle:
                handle.write(b"<html><body><p>")
                piece = "同志们,今年全市经济运行稳中有进。".encode() * 20_000
                while handle.tell() < 50 * MB:
                    handle.write(piece)
                handle.write(b"</p></body></html>")
        else:
            path.write_bytes(raw)
    out = [case for case, _ in cases]

    # The file system's own traps.
    (root / "loop").mkdir()
    os.symlink("loop-b.html", root / "loop" / "loop-a.html")
    os.symlink("loop-a.html", root / "loop" / "loop-b.html")
    out += [Case("loop/loop-a.html", "quarantined", ("unreadable",), "a symlink loop"),
            Case("loop/loop-b.html", "quarantined", ("unreadable",), "a symlink loop")]
    os.symlink("..", root / "loop" / "parent")  # a directory loop: must not be walked forever
    os.symlink("missing.html", root / "dangling.html")
    out.append(Case("dangling.html", "quarantined", ("unreadable",), "a symlink to nothing"))
    os.mkfifo(root / "pipe.html")
    out.append(Case("pipe.html", "quarantined", ("unreadable",), "a named pipe (reading it would block)"))
    locked = root / "no-permission.html"
    locked.write_bytes(page.encode())
    locked.chmod(0)
    # root reads any file whatever its mode: then it is simply archived.
    out.append(Case("no-permission.html", "ok" if os.geteuid() == 0 else "quarantined", ("unreadable",),
                    "a file without read permission"))
    return out


if __name__ == "__main__":
    for case in write_hostile_corpus(Path(sys.argv[1])):
        print(f"{case.path:28} {case.expect:12} {case.why}")
