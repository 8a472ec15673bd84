"""Chrome rules: each kind removed with its rule name, and body text that merely mentions
the same words left alone (the negatives)."""

from __future__ import annotations

import pytest

from cleaners.chrome import strip_chrome

BODY = ["同志们:", "今年以来,全市科技工作取得显著成绩。", "谢谢大家!"]


def wide(text: str) -> str:
    """The same text with full-width punctuation, as most real pages write it (推荐访问：…)."""
    return "".join(chr(ord(c) + 0xFEE0) if c in ":,!?;()" else c for c in text)


HEAD_CASES = [
        ("首页 > 汇报范文 > 在全省会上的汇报发言 >", "breadcrumb"),
        ("当前位置:首页 > 办公文档 > 讲话", "breadcrumb"),
        ("您的位置: 网站首页 › 工作总结 › 正文", "breadcrumb"),
        ("您好,欢迎访问三七文档", "site_banner"),
        ("欢迎来到第一范文网!", "site_banner"),
        ("下面是小编为大家整理的在全市会议上的讲话,供大家参考。", "editor_intro"),
        ("以下是本站为您收集的工作总结范文,欢迎阅读!", "editor_intro"),
        ("时间:2022-05-08 11:47:00", "date_line"),
        ("发布日期:2023年5月8日", "date_line"),
        ("导语:本文来源于网友上传,不代表本站观点,欢迎参考。", "site_disclaimer"),
        ("来源:网络 作者:佚名 浏览:120次", "page_info"),
        ("《工作总结.docx》由会员分享,可在线阅读,更多相关《工作总结.docx(5页珍藏版)》请在xxx.com上搜索。", "share_notice"),
]
TAIL_CASES = [
        ("推荐访问:科技创新 讲话 工作", "related_links"),
        ("相关推荐:", "related_links"),
        ("- 上一篇:村级领导考察工作意见", "prev_next"),
        ("下一篇:在执行工作联席会议上总结讲话", "prev_next"),
        ("本文标题:在全市会议上的讲话", "article_footer"),
        ("链接地址:https://www.777doc.com/doc-1 .html", "article_footer"),
        ("预览阅读已结束,若您需要写相关文章,请扫码联系老师写作!", "preview_notice"),
        ("剩余3页未读,继续阅读", "preview_notice"),
        ("以上就是小编整理的全部内容。", "site_closing"),
]
WIDTHS = pytest.mark.parametrize("width", [str, wide], ids=["ascii-punctuation", "full-width-punctuation"])


@WIDTHS
@pytest.mark.parametrize("line, rule", HEAD_CASES)
def test_head_chrome_is_removed_with_its_rule(line, rule, width):
    body = [width(line) for line in BODY]
    result = strip_chrome(["在全市会议上的讲话", width(line)] + body)
    assert result.lines == ["在全市会议上的讲话"] + body
    assert [(r.rule, r.text) for r in result.removals] == [(rule, width(line))]


@WIDTHS
@pytest.mark.parametrize("line, rule", TAIL_CASES)
def test_tail_chrome_is_removed_with_its_rule(line, rule, width):
    body = [width(line) for line in BODY]
    result = strip_chrome(["在全市会议上的讲话"] + body + [width(line)])
    assert result.lines == ["在全市会议上的讲话"] + body
    assert [(r.rule, r.text) for r in result.removals] == [(rule, width(line))]


def test_tail_walk_steps_over_a_stray_punctuation_line():
    result = strip_chrome(BODY + [",", "推荐访问:科技创新", "下一篇:总结讲话"])
    assert result.lines == BODY
    assert sorted(r.rule for r in result.removals) == ["prev_next", "related_links", "stray_punctuation"]


@pytest.mark.parametrize(
    "body",
    [
        # a sentence that quotes the words of a tail rule
        ["同志们:", "上一篇文章我们讲了创新,下一篇:我们要讲落实。", "推荐访问基层是我们的工作方法。", "谢谢大家!"],
        # the words of head rules in the middle of a body
        ["同志们:", "今年工作取得成绩。", "时间:2022年是关键一年,首页工作要做好。", "欢迎访问我市的各位专家学者。", "谢谢!"],
        # numbered lists and short poem-like lines
        ["一、加强领导", "1、落实责任。", "2、强化考核。", "春风又绿江南岸", "明月何时照我还"],
    ],
    ids=["quoted-tail-words", "head-words-in-body", "lists-and-poems"],
)
def test_body_lines_that_mention_chrome_words_survive(body):
    assert strip_chrome(body).lines == body


def test_a_page_of_only_chrome_leaves_nothing():
    page = ["您好,欢迎访问三七文档", "首页 > 范文 >", "推荐访问:讲话", "下一篇:总结"]
    assert strip_chrome(page).lines == []


def test_a_long_body_line_that_quotes_a_disclaimer_is_not_chrome():
    """A viewer dump joined into one line can open with the site's 导语 disclaimer."""
    joined = "导语:本文来源于网友上传,不代表本站观点。" + "今年全市科技工作取得显著成绩,各项任务圆满完成。" * 40
    result = strip_chrome(["在全市会议上的讲话", joined])
    assert result.lines == ["在全市会议上的讲话", joined]


def test_meeting_minutes_keep_their_time_line():
    minutes = ["时间\uff1a2023年10月9日下午3:00", "地点\uff1a社区会议室", "会议纪要如下。"]
    assert strip_chrome(["社区居委会工作例会会议纪要"] + minutes).lines == ["社区居委会工作例会会议纪要"] + minutes
