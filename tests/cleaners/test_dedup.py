"""Duplicate detection: exact, near, containment, canonical choice, runs, storage, quality floor."""

from __future__ import annotations

import dataclasses

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from cleaners.dedup import (
    DEFAULT,
    DedupDoc,
    SignatureIndex,
    SignatureMismatchError,
    find_duplicates,
    signatures_for,
)
from cleaners.fingerprint import content_hash
from tests.dedup_corpus import make_corpus, pairwise_scores, truth_labels


def speech(seed: int) -> str:
    """A distinct generated speech body with `XX`/`202x` placeholders left in, ~2–5 K chars."""
    docs = make_corpus(40, seed=seed, use_seeds=False)
    return next(d.text for d in docs if d.kind == "base" and d.text.count("XX") >= 3 and d.char_count > 2000)


FULL = speech(1)
OTHER = speech(2)


class Archive:
    """The caller's side in miniature: texts by doc_id, the live index, duplicate_of."""

    def __init__(self, settings=DEFAULT):
        self.index = SignatureIndex(settings)
        self.texts: dict[str, str] = {}
        self.duplicate_of: dict[str, str | None] = {}
        self.order = 0
        self.settings = settings

    def doc(self, doc_id: str, text: str, truncated: bool = False) -> DedupDoc:
        self.order += 1
        return DedupDoc(doc_id, text, truncated, len(text), self.order)

    def ingest(self, docs: list[DedupDoc]):
        result = find_duplicates(docs, self.index, lambda ids: {i: self.texts[i] for i in ids}, self.settings)
        self.index.add(result)
        self.texts.update({d.doc_id: d.text for d in docs})
        self.duplicate_of.update(result.canonical)
        return result


# --- the three kinds of duplicate ------------------------------------------------------------

def test_exact_duplicate_ignores_width_punctuation_and_spacing():
    a = Archive()
    copy = "  " + FULL.replace("，", ",").replace("：", ":").replace("\n", "\n\n")
    r = a.ingest([a.doc("site1", FULL), a.doc("site2", copy)])
    assert [(m.doc_id, m.matched_doc_id, m.method) for m in r.matches] == [("site2", "site1", "exact")]
    assert r.canonical == {"site1": None, "site2": "site1"}
    assert r.signatures["content_hash"].to_pylist() == [content_hash(FULL), content_hash(copy)]


def test_near_duplicate_with_filled_placeholders_and_a_chrome_line():
    a = Archive()
    a.ingest([a.doc("orig", FULL)])
    edited = "下面是小编为大家整理的讲话，供大家参考。\n" + FULL.replace("XX", "南阳").replace("202x", "2024")
    assert "XX" in FULL
    r = a.ingest([a.doc("edited", edited)])
    assert [(m.doc_id, m.matched_doc_id, m.method) for m in r.matches] == [("edited", "orig", "near")]
    assert r.matches[0].similarity >= DEFAULT.near_threshold


def test_compilation_part_found_both_ways():
    whole = FULL + "\n" + OTHER  # a 合编 the splitter could not split
    a = Archive()
    a.ingest([a.doc("part", OTHER)])
    r = a.ingest([a.doc("whole", whole)])  # an archived part inside a new whole
    assert [(m.doc_id, m.matched_doc_id, m.method) for m in r.matches] == [("whole", "part", "containment")]
    assert r.canonical == {"part": "whole", "whole": None}

    b = Archive()
    b.ingest([b.doc("whole", whole)])
    r = b.ingest([b.doc("part", FULL)])  # a new part inside an archived whole
    assert [(m.doc_id, m.matched_doc_id, m.method) for m in r.matches] == [("part", "whole", "containment")]
    assert r.canonical == {"whole": None, "part": "whole"}


def test_truncated_preview_points_to_the_full_text_even_if_longer():
    a = Archive()
    preview = FULL[: len(FULL) // 3] + "\n预览阅读已结束，若您需要写相关文章，请扫码联系老师写作！" * 3
    r = a.ingest([a.doc("full", FULL), a.doc("preview", preview, truncated=True)])
    assert r.canonical == {"full": None, "preview": "full"}
    # a truncated copy longer than a non-truncated one still loses: truncation is worse
    b = Archive()
    r = b.ingest([b.doc("long-preview", FULL + "推荐访问：讲话", truncated=True), b.doc("full", FULL)])
    assert r.canonical["long-preview"] == "full"


def test_a_better_copy_arriving_later_moves_every_link():
    a = Archive()
    p1 = FULL[: len(FULL) // 2]
    a.ingest([a.doc("preview1", p1, truncated=True)])
    a.ingest([a.doc("preview2", p1.replace("，", ","), truncated=True)])
    assert a.duplicate_of == {"preview1": None, "preview2": "preview1"}
    r = a.ingest([a.doc("full", FULL)])
    assert r.canonical == {"preview1": "full", "preview2": "full", "full": None}
    assert r.changed == r.canonical  # both archived links moved, the new one is new
    r = a.ingest([a.doc("copy", FULL.rsplit("\n", 1)[0])])  # the closing line lost
    assert r.canonical["copy"] == "full" and r.canonical["full"] is None
    assert "preview1" not in r.changed  # unchanged links are not reported as changed


def test_the_canonical_stays_when_a_worse_copy_arrives():
    a = Archive()
    a.ingest([a.doc("first", FULL)])
    r = a.ingest([a.doc("second", FULL.replace("，", ","))])  # same length, later
    assert r.canonical == {"first": None, "second": "first"}
    assert r.changed == {"second": "first"}


def test_hard_negatives_of_one_genre_are_not_merged():
    docs = [d for d in make_corpus(60, seed=4, use_seeds=False) if d.kind in ("base", "revision")]
    a = Archive()
    r = a.ingest([DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.order) for d in docs])
    assert r.matches == []
    assert any(d.kind == "revision" for d in docs)  # reuses paragraphs of another base


def test_short_text_is_never_a_duplicate_by_containment():
    a = Archive()
    a.ingest([a.doc("speech", FULL)])
    closing = "同志们，做好今年的工作，任务艰巨，责任重大，使命光荣。谢谢大家！"
    r = a.ingest([a.doc("closing", closing)])
    assert r.matches == [] and r.canonical == {"closing": None}


# --- batches and runs ------------------------------------------------------------------------

def _final_links(docs, batch_size):
    a = Archive()
    dd = [DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.order) for d in docs]
    for i in range(0, len(dd), batch_size):
        a.ingest(dd[i : i + batch_size])
    return a.duplicate_of


def test_batch_after_batch_equals_all_at_once():
    docs = make_corpus(150, seed=9)
    whole = _final_links(docs, len(docs))
    assert _final_links(docs, 37) == whole
    assert _final_links(docs, 1) == whole
    assert sum(v is not None for v in whole.values()) > 30


def test_re_sending_an_archived_document_adds_nothing():
    a = Archive()
    a.ingest([a.doc("x", FULL)])
    r = a.ingest([DedupDoc("x", FULL, False, len(FULL), 99)])
    assert r.matches == [] and r.canonical == {} and r.signatures.num_rows == 0
    assert len(a.index) == 1


def test_a_stale_result_is_refused():
    a = Archive()
    r1 = find_duplicates([a.doc("x", FULL)], a.index, dict)
    r2 = find_duplicates([a.doc("y", OTHER)], a.index, dict)
    a.index.add(r1)
    with pytest.raises(ValueError, match="add each result"):
        a.index.add(r2)


def test_missing_archived_text_is_an_error_not_a_silent_miss():
    a = Archive()
    a.ingest([a.doc("x", FULL)])
    with pytest.raises(KeyError, match="no text"):
        find_duplicates([a.doc("y", FULL + "\n推荐访问：讲话 工作")], a.index, lambda ids: {})


def test_precomputed_signatures_give_the_same_result():
    a, b = Archive(), Archive()
    for arch in (a, b):
        arch.ingest([arch.doc("x", FULL)])
    docs = [a.doc("y", FULL + "\n推荐访问：讲话 工作")]
    r1 = find_duplicates(docs, a.index, lambda ids: {"x": FULL})
    r2 = find_duplicates(docs, b.index, lambda ids: {"x": FULL}, signatures=signatures_for(docs))
    assert (r1.matches, r1.canonical) == (r2.matches, r2.canonical)


# --- signatures in the archive ---------------------------------------------------------------

def _archive(docs):
    a = Archive()
    a.ingest([DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.order) for d in docs])
    return a


def test_signatures_round_trip_through_arrow():
    a = _archive(make_corpus(30, seed=5))
    table = a.index.to_arrow()
    again = SignatureIndex.from_arrow(table).to_arrow()
    assert again.equals(table)
    assert table.column("duplicate_of").to_pylist() == [a.duplicate_of[i] for i in table["doc_id"].to_pylist()]
    sub = a.index.to_arrow(doc_ids=table["doc_id"].to_pylist()[:3])
    assert sub.num_rows == 3


def test_an_index_reloaded_from_duckdb_matches_like_the_live_one():
    docs = make_corpus(40, seed=6)
    first, later = docs[: len(docs) // 2], docs[len(docs) // 2 :]
    live = _archive(first)
    con = duckdb.connect()
    sig = live.index.to_arrow().drop_columns(["duplicate_of"])
    con.register("sig_arrow", sig)
    con.execute("CREATE TABLE signatures AS SELECT * FROM sig_arrow")
    links = pa.table({"doc_id": list(live.duplicate_of), "duplicate_of": list(live.duplicate_of.values())})
    con.register("links", links)
    stored = con.execute(
        "SELECT s.*, l.duplicate_of FROM signatures s JOIN links l USING (doc_id) ORDER BY random()"
    ).arrow()
    if isinstance(stored, pa.RecordBatchReader):
        stored = stored.read_all()
    assert pa.types.is_binary(stored.schema.field("minhash").type)  # DuckDB BLOB, not fixed-size
    reloaded = SignatureIndex.from_arrow(stored)
    assert len(reloaded) == len(live.index)
    batch = [DedupDoc(d.doc_id, d.text, d.is_truncated, d.char_count, d.order) for d in later]
    fetch = lambda ids: {i: live.texts[i] for i in ids}  # noqa: E731
    r_live = find_duplicates(batch, live.index, fetch)
    r_reloaded = find_duplicates(batch, reloaded, fetch)
    assert (r_reloaded.matches, r_reloaded.canonical) == (r_live.matches, r_live.canonical)


def test_signatures_of_other_settings_are_refused():
    table = signatures_for([DedupDoc("x", FULL, False, len(FULL), 0)])
    other = dataclasses.replace(DEFAULT, ngram=5)
    with pytest.raises(SignatureMismatchError, match="signatures_for"):
        SignatureIndex.from_arrow(table, other)


def test_memory_is_the_signatures_only():
    a = _archive(make_corpus(100, seed=8, size_kb=(8, 12)))
    per_doc = a.index.nbytes / len(a.index)
    assert per_doc < 3000  # ~10 KB of text per document is never held


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=6))
def test_any_text_gets_signatures_and_its_exact_copy_is_found(texts):
    a = Archive()
    docs = [a.doc(f"d{i}", t) for i, t in enumerate(texts)]
    r = a.ingest(docs)
    assert r.signatures.num_rows == len(docs)
    r = a.ingest([a.doc("copy", texts[0])])
    assert r.matches[0].method == "exact" and r.matches[0].matched_doc_id in {d.doc_id for d in docs}


# --- the quality floor -----------------------------------------------------------------------

@pytest.mark.parametrize("stock_share", [0.15, 0.4])
def test_labelled_corpus_precision_and_recall(stock_share):
    docs = make_corpus(700, seed=21, stock_share=stock_share)
    links = _final_links(docs, 400)
    pred = {k: v or k for k, v in links.items()}
    precision, recall = pairwise_scores(pred, truth_labels(docs))
    assert precision >= 0.995, precision
    assert recall >= 0.97, recall
