"""Title/body separation and compilation splitting."""

from __future__ import annotations

from cleaners.compilation import is_compilation_title, named_parts, split_compilation
from cleaners.title import separate_title


def test_title_line_then_body():
    titled = separate_title(["关于加强科技创新的实施意见", "为深入贯彻落实……,提出如下意见。"], [])
    assert titled.title == "关于加强科技创新的实施意见"
    assert titled.lines == ["为深入贯彻落实……,提出如下意见。"]


def test_a_section_heading_is_not_a_title():
    titled = separate_title(["一、总体要求", "坚持创新驱动。"], [])
    assert titled.title is None
    assert titled.lines == ["一、总体要求", "坚持创新驱动。"]


def test_a_salutation_is_not_a_title_and_is_split_from_glued_text():
    titled = separate_title(["同志们:今天的会议很重要。", "谢谢大家!"], [])
    assert titled.title is None
    assert titled.lines == ["同志们:", "今天的会议很重要。", "谢谢大家!"]


def test_first_line_that_disagrees_with_the_page_title_is_kept_as_body():
    titled = separate_title(["春风又绿江南岸", "明月何时照我还。"], ["王安石诗词赏析"])
    assert titled.title == "王安石诗词赏析"
    assert titled.lines == ["春风又绿江南岸", "明月何时照我还。"]


def test_repeated_title_with_a_different_year_spelling_is_removed():
    titled = separate_title(["在2024年全省会上的汇报发言", "在202X年全省会上的汇报发言", "尊敬的各位领导:"], [])
    assert titled.lines == ["尊敬的各位领导:"]
    assert [r.rule for r in titled.removals] == ["repeated_title"]


def test_compilation_titles():
    assert is_compilation_title("2023年工作总结范文汇编")
    assert is_compilation_title("主题教育党课讲稿合集")
    assert is_compilation_title("在全市会议上的讲话和在全县会议上的发言")
    assert not is_compilation_title("关于科技创新和人才工作的实施意见")
    assert named_parts("主题教育党课讲稿合集") == []


def test_compilation_split_at_titles_followed_by_salutations():
    body = ["在全市科技大会上的讲话同志们:今年工作很好。谢谢!在全县教育大会上的发言各位领导、同志们:教育是根本。谢谢!"]
    split = split_compilation("讲话稿合集", body)
    assert [(p.title, p.lines) for p in split.parts] == [
        ("在全市科技大会上的讲话", ["同志们:", "今年工作很好。谢谢!"]),
        ("在全县教育大会上的发言", ["各位领导、同志们:", "教育是根本。谢谢!"]),
    ]


def test_compilation_whose_parts_cannot_be_found_stays_whole_and_says_so():
    split = split_compilation("2021年工作会议讲话稿和党课稿合编", ["今年工作很好,我们要继续努力。"])
    assert split.parts == [] and split.is_compilation
    assert "left whole" in split.split_note


def test_text_before_the_first_part_title_keeps_the_compilation_whole():
    body = ["编者按:本书收录两篇讲话。在全市科技大会上的讲话同志们:今年很好。在全县教育大会上的发言同志们:教育是根本。"]
    split = split_compilation("讲话合集", body)
    assert split.parts == [] and "left whole" in split.split_note


def test_not_a_compilation_is_not_split():
    assert split_compilation("在全市会议上的讲话", ["同志们:", "今年很好。"]).parts == []


def test_a_first_line_that_is_only_part_of_the_page_title_stays_in_the_body():
    titled = separate_title(["春日即景", "东风吹绿柳,细雨润桃花。"], ["春日即景(外二首)"])
    assert titled.title == "春日即景(外二首)"
    assert titled.lines == ["春日即景", "东风吹绿柳,细雨润桃花。"]
