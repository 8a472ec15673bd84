"""Golden tests: each sample's clean archive rows, compared whole against reviewed files."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.golden.regenerate import golden_rows

GOLDEN = Path(__file__).parent / "golden" / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _expected(name: str) -> dict:
    return json.loads((GOLDEN / f"{Path(name).stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SEED_NAMES)
def test_sample_gives_its_golden_rows(name):
    assert golden_rows((SEEDS / name).read_bytes(), name) == _expected(name)


@pytest.mark.parametrize("name", SEED_NAMES)
@pytest.mark.parametrize(
    "encode, codec",
    [
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ],
    ids=["gb18030", "gbk", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom"],
)
def test_reencoded_sample_gives_the_same_documents(name, encode, codec):
    text = (SEEDS / name).read_text(encoding="utf-8")
    rows = golden_rows(encode(text), name)
    expected = _expected(name)
    assert rows["encoding"] == codec
    assert rows["documents"] == expected["documents"]


def _wide(text: str) -> str:
    """Full-width punctuation, as most real pages write it; a URL's "://" stays ASCII."""
    text = re.sub(r":(?!//)", "\uff1a", text)
    return "".join(chr(ord(c) + 0xFEE0) if c in ",!?;()" else c for c in text)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_sample_with_full_width_punctuation_gives_the_same_documents(name):
    """The samples were saved with ASCII punctuation; the rules must not depend on it."""
    rows = golden_rows(_wide((SEEDS / name).read_text(encoding="utf-8")).encode("utf-8"), name)
    expected = _expected(name)["documents"]
    assert len(rows["documents"]) == len(expected)
    for got, want in zip(rows["documents"], expected):
        assert got["title"] == _wide(want["title"])
        assert got["text"] == [_wide(line) for line in want["text"]]
        for key in ("part_index", "source_url", "site", "published_at", "is_truncated", "char_count"):
            assert got[key] == want[key], key


def test_samples_give_six_documents_with_the_compilation_in_two_parts():
    parts = {name: [d["part_index"] for d in _expected(name)["documents"]] for name in SEED_NAMES}
    assert sum(len(p) for p in parts.values()) == 6
    assert parts["004_84cd3a58cfc529e6.txt"] == [1, 2]


CHROME_FRAGMENTS = [
    "首页 >", "当前位置", "欢迎访问", "下面是小编", "供大家参考", "时间:2022", "导语:", "不代表本站观点",
    "推荐访问", "上一篇", "下一篇", "本文标题", "链接地址", "由会员分享", "可在线阅读", "预览阅读已结束",
    "taowenge.com", "请扫码",
]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_listed_chrome_survives(name):
    for doc in _expected(name)["documents"]:
        text = "\n".join(doc["text"])
        assert not [f for f in CHROME_FRAGMENTS if f in text], doc["title"]
        assert not text.startswith(doc["title"])
        lines = doc["text"]
        assert all(line.strip() == line and line for line in lines)
