"""Page-break repair: viewer page markers go, ordinary numbered lists stay."""

from __future__ import annotations

from cleaners.pages import join_numbered_pages
from tests.conftest import SEEDS


def test_pages_of_the_compilation_sample_are_joined_and_cut_words_repaired():
    lines = [l for l in (SEEDS / "004_84cd3a58cfc529e6.txt").read_text(encoding="utf-8").split("\n") if l.strip()]
    result = join_numbered_pages(lines)
    assert len(result.lines) == 2  # the sharing notice, then one joined text
    assert "继续保持全省第一" in result.lines[1]
    assert "超越的具体目标" in result.lines[1]
    assert [r.text for r in result.removals] == [f"{n}、" for n in range(1, 27)]
    assert {r.rule for r in result.removals} == {"page_marker"}


def test_a_numbered_list_whose_items_end_sentences_is_untouched():
    lines = ["要做好三件事:", "1、加强组织领导。", "2、强化责任落实;", "3、严格督查考核。", "谢谢大家!"]
    assert join_numbered_pages(lines).lines == lines


def test_two_items_are_never_pages():
    lines = ["1、会上,我市投入总量超亿元,继", "2、续保持全省第一。"]
    assert join_numbered_pages(lines).lines == lines


def test_numbering_that_skips_is_not_a_page_run():
    lines = ["1、会上我市投入总", "3、量超亿元继", "4、续保持全省第一"]
    assert join_numbered_pages(lines).lines == lines


def test_text_around_a_page_run_is_kept_in_place():
    lines = ["标题", "1、甲乙丙", "2、丁戊己", "3、庚辛。", "结尾。"]
    assert join_numbered_pages(lines).lines == ["标题", "甲乙丙丁戊己庚辛。", "结尾。"]
