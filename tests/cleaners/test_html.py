"""cleaners/html.py: the generated site pages, page metadata, odd markup, and properties.

Full-width punctuation is written as escapes (COLON = "：" …) so the source says which is meant.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from cleaners.errors import NoMainContentError
from cleaners.html import SITE_PROFILES, ExtractedPage, extract_html, looks_like_html
from tests.htmlpages import generate

from cleaners.encoding import detect_and_decode

CASES = Path(generate.__file__).parent / "cases"
COLON, COMMA, LPAREN, RPAREN = "\uff1a", "\uff0c", "\uff08", "\uff09"
_WS = re.compile(r"\s+")


def char_f1(predicted: str, expected: str) -> tuple[float, float, float, int]:
    """Character-level precision, recall, F1 (LCS, whitespace removed) and the LCS length."""
    p, g = _WS.sub("", predicted), _WS.sub("", expected)
    if not p or not g:
        return (1.0, 1.0, 1.0, 0) if p == g else (0.0, 0.0, 0.0, 0)
    lcs = LCSseq.similarity(p, g)
    precision, recall = lcs / len(p), lcs / len(g)
    f1 = 2 * precision * recall / (precision + recall) if lcs else 0.0
    return precision, recall, f1, lcs


def case_names() -> list[str]:
    return sorted(p.name[: -len(".html")] for p in CASES.glob("*.html"))


def load_case(name: str) -> tuple[str, dict]:
    raw = (CASES / f"{name}.html").read_bytes()
    expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
    known = raw.decode(expected["encoding"])
    decoded = detect_and_decode(raw, is_html=True)
    assert decoded.text == known, f"{name}: cleaners.encoding decodes it differently from {expected['encoding']}"
    return decoded.text, expected


# --------------------------------------------------------------------------------------------
# The generated pages
# --------------------------------------------------------------------------------------------


def test_generator_reproduces_the_committed_cases_byte_for_byte():
    rendered = generate.render_all()
    on_disk = {p.name: p.read_bytes() for p in CASES.iterdir()}
    assert sorted(rendered) == sorted(on_disk), "run `python -m tests.htmlpages.generate` and commit the cases"
    drifted = [name for name, data in rendered.items() if on_disk[name] != data]
    assert not drifted, f"cases differ from the generator's output: {drifted[:5]}"


def test_cases_cover_templates_encodings_and_lying_declarations():
    expected = [json.loads((CASES / f"{n}.expected.json").read_text(encoding="utf-8")) for n in case_names()]
    assert {e["template"] for e in expected} == set(generate.TEMPLATES)
    assert {"utf-8", "gbk", "big5", "utf-16", "utf-8-sig"} <= {e["encoding"] for e in expected}
    lying = {(e["encoding"], e["declared_charset"]) for e in expected
             if e["declared_charset"] and e["declared_charset"] != e["encoding"]}
    assert ("gbk", "utf-8") in lying and ("utf-8", "gb2312") in lying
    assert any(e["is_truncated"] for e in expected) and not all(e["is_truncated"] for e in expected)


@pytest.mark.parametrize("name", case_names())
def test_case_metadata_and_body(name):
    html, expected = load_case(name)
    page = extract_html(html)
    published = page.published_at.isoformat() if page.published_at else None
    assert (page.title, page.source_url, page.site, published, page.is_truncated) == (
        expected["title"], expected["source_url"], expected["site"], expected["published_at"], expected["is_truncated"],
    )
    assert all(block and block == block.strip() for block in page.blocks)
    assert page.blocks[0] != expected["title"], "the page title is repeated as the first block"
    assert char_f1("\n".join(page.blocks), expected["text"])[2] >= 0.95


@pytest.mark.parametrize("template", generate.TEMPLATES)
def test_f1_per_template_is_at_least_098(template):
    scores = []
    for name in case_names():
        if name.startswith(template + "-"):
            html, expected = load_case(name)
            scores.append(char_f1("\n".join(extract_html(html).blocks), expected["text"])[2])
    assert len(scores) >= 15
    assert sum(scores) / len(scores) >= 0.98, f"{template}: mean F1 {sum(scores) / len(scores):.4f}"


# Lines the text-level chrome rules remove (cleaners/chrome.py), not the extractor.
IN_CONTENT_CHROME = ("下面是小编为大家整理的",)


@pytest.mark.parametrize("name", case_names())
def test_paragraphs_come_out_as_the_document_has_them(name):
    html, expected = load_case(name)
    blocks = [b for b in extract_html(html).blocks if not b.startswith(IN_CONTENT_CHROME)]
    lines = expected["text"].split("\n")
    if 'class="line"' in html:
        # Printed lines are joined into paragraphs; a sentence that ends exactly at the margin
        # ends the paragraph there (the text is whole either way).
        assert "".join(blocks) == "".join(lines) and len(blocks) <= 1.2 * len(lines)
    else:
        assert blocks == lines


def test_viewer_pages_are_joined_where_a_paragraph_ran_on():
    html, expected = load_case("wenku-seed004")
    page = extract_html(html)
    assert page.is_truncated
    assert "\n".join(page.blocks) == expected["text"]  # one paragraph, as the dump had it
    assert any(r.rule == "preview_notice" for r in page.removals)


# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------

BODY = f"<p>今年全市科技工作取得显著成绩{COMMA}高新技术企业数量增长两成。</p><p>下一步要继续加大研发投入。</p>"


def page_with(head: str = "", body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><div class='content'>{body}</div></body></html>"


@pytest.mark.parametrize("title_tag, expected", [
    ("在全市科技工作会议上的讲话_讲话稿_好范文网", "在全市科技工作会议上的讲话"),
    ("在全市科技工作会议上的讲话 - 新华网", "在全市科技工作会议上的讲话"),
    ("在全市科技工作会议上的讲话|人民网", "在全市科技工作会议上的讲话"),
    ("在全市科技工作会议上的讲话\uff5c人民网", "在全市科技工作会议上的讲话"),
    ("坚定信心——在全市科技工作会议上的讲话", "坚定信心——在全市科技工作会议上的讲话"),
    ("2023-2024学年第二学期工作计划", "2023-2024学年第二学期工作计划"),
    ("市科技局全年工作意见.docx-文档库", "市科技局全年工作意见"),
])
def test_title_from_title_tag_without_site_name(title_tag, expected):
    assert extract_html(page_with(f"<title>{title_tag}</title>")).title == expected


def test_title_prefers_an_h1_the_head_agrees_with_and_skips_the_logo_h1():
    html = ("<html><head><title>市科技局全年工作意见_工作意见_三七文档</title></head><body>"
            "<div class='logo'><h1><a href='/'>三七文档</a></h1></div>"
            f"<div class='article'><h1>市科技局全年工作意见</h1>{BODY}</div></body></html>")
    page = extract_html(html)
    assert page.title == "市科技局全年工作意见"
    assert page.blocks[0] != "市科技局全年工作意见"


def test_og_metadata_and_relative_canonical():
    head = ('<meta property="og:title" content="全市科技工作会议召开">'
            '<meta property="og:url" content="https://news.example.com/2024/05/1.html">'
            '<meta property="og:site_name" content="今日资讯"><link rel="canonical" href="/2024/05/1.html?from=rss">')
    page = extract_html(page_with(head))
    assert (page.title, page.site) == ("全市科技工作会议召开", "今日资讯")
    assert page.source_url == "https://news.example.com/2024/05/1.html?from=rss"


def test_site_is_the_domain_without_www_when_no_name_is_given():
    page = extract_html(page_with('<link rel="canonical" href="https://www.777doc.com/doc-12786173.html">'))
    assert (page.source_url, page.site) == ("https://www.777doc.com/doc-12786173.html", "777doc.com")
    assert extract_html(page_with(), url="http://fanwen.example.cn/a/1.html").site == "fanwen.example.cn"
    assert extract_html(page_with()).site is None


@pytest.mark.parametrize("head, expected", [
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", '
     '"datePublished": "2024-05-15T10:30:00+08:00"}]}</script>', datetime(2024, 5, 15, 10, 30)),
    ('<meta property="article:published_time" content="2023-12-01T08:05:09Z">', datetime(2023, 12, 1, 8, 5, 9)),
    ('<meta name="PubDate" content="2024-05-13 10:22">', datetime(2024, 5, 13, 10, 22)),
    ('<script type="application/ld+json">{not json</script>', None),
])
def test_published_at_from_json_ld_and_meta(head, expected):
    assert extract_html(page_with(head)).published_at == expected


@pytest.mark.parametrize("line, expected", [
    (f"发布时间{COLON}2022-05-08 11:47:00 来源{COLON}网友上传", datetime(2022, 5, 8, 11, 47)),
    ("时间:2022-05-08 11:47:00", datetime(2022, 5, 8, 11, 47)),
    (f"日期{COLON}2021年3月5日", datetime(2021, 3, 5)),
    ("发布于 2020/01/12 18:32", datetime(2020, 1, 12, 18, 32)),
])
def test_published_at_from_a_date_line_and_the_line_leaves_the_body(line, expected):
    html = f"<html><body><div class='info'>{line}</div><div class='content'>{BODY}</div></body></html>"
    page = extract_html(html)
    assert page.published_at == expected
    assert all(line not in block for block in page.blocks)


def test_a_meetings_own_time_line_stays_in_the_body():
    body = (f"<p>时间{COLON}2023年10月9日下午3:00</p><p>地点{COLON}社区居委会二楼会议室</p>"
            f"<p>会议听取了各网格第三季度工作情况汇报{COMMA}研究部署了第四季度重点工作。</p>")
    page = extract_html(page_with(body=body))
    assert page.blocks[0] == f"时间{COLON}2023年10月9日下午3:00"


@pytest.mark.parametrize("notice", [
    f"预览阅读已结束{COMMA}若您需要写相关文章{COMMA}请扫码联系老师写作!",
    f"还剩18页未读{COMMA}继续阅读",
    "试读结束",
    "剩余 5 页未读",
    "点击查看全文",
    "下载全文",
])
def test_preview_notices_mark_the_page_truncated_and_leave_the_body(notice):
    html = f"<html><body><div class='content'>{BODY}<p>{notice}</p></div><div class='footer'>关于我们</div></body></html>"
    page = extract_html(html)
    assert page.is_truncated
    assert notice not in page.blocks
    assert [r.rule for r in page.removals].count("preview_notice") == 1


def test_a_cut_off_element_after_the_content_marks_truncation():
    html = (f"<html><body><div class='reader'>{BODY}</div>"
            "<div class='preview-end'><div class='mask'></div><p>免费预览已结束</p><a>下载文档</a></div></body></html>")
    assert extract_html(html).is_truncated


def test_a_download_button_or_a_sentence_about_reading_is_no_truncation():
    html = (f"<html><body><div class='content'>{BODY}<p>我们要认真阅读全文件精神{COMMA}查看全文的说法不对。"
            "他说试读结束以后还要讨论很多问题,大家要继续深入学习,进一步理解文件精神和具体要求。</p></div>"
            "<a class='btn'>下载文档</a></body></html>")
    assert not extract_html(html).is_truncated


# --------------------------------------------------------------------------------------------
# Odd markup: the parser's business
# --------------------------------------------------------------------------------------------


def blocks_of(body: str) -> list[str]:
    return extract_html(f"<html><body>{body}</body></html>").blocks


def test_entities_nbsp_and_full_width_spaces():
    body = ("<p>&#12288;&#12288;&ldquo;十四五&rdquo;规划&mdash;&mdash;全市科技&nbsp;&nbsp;创新&#x5DE5;作取得显著成绩。</p>"
            "<p>\u3000\u3000下一步&amp;要继续加大研发投入。</p>")
    assert blocks_of(body) == ["“十四五”规划——全市科技 创新工作取得显著成绩。", "下一步&要继续加大研发投入。"]


def test_line_breaks_between_chinese_characters_vanish():
    assert blocks_of("<p>今年全市科技\n    工作取得显著成绩。</p><p>We keep\nour words.</p>") == [
        "今年全市科技工作取得显著成绩。", "We keep our words."]


def test_nested_and_unclosed_paragraphs_comments_and_cdata():
    body = ("<div><p>同志们:<p>今年<!-- 广告位 -->全市科技工作取得显著成绩。<![CDATA[ x ]]>"
            "<p>下一步要继续加大研发投入<b>确保完成任务。</div>")
    assert blocks_of(body) == ["同志们:", "今年全市科技工作取得显著成绩。", "下一步要继续加大研发投入确保完成任务。"]


def test_hidden_elements_scripts_and_styles_are_no_text():
    body = (f"<div>{BODY}<p style='display: none'>隐藏的广告文字不应出现在正文里面。</p>"
            "<p hidden>也不应该出现。</p><div style='visibility:hidden'>同样隐藏。</div>"
            "<script>document.write('脚本里的文字。')</script><style>p{color:red}</style><noscript>请开启脚本。</noscript></div>")
    assert "".join(blocks_of(body)) == _WS.sub("", "".join(blocks_of(BODY)))


def test_br_lines_become_paragraphs():
    body = "<div>东风吹过小河湾,<br>柳絮飞时燕子还。<br><br>最是一年春好处,<br/>桃花开遍远近山。</div>"
    assert blocks_of(body) == ["东风吹过小河湾,", "柳絮飞时燕子还。", "最是一年春好处,", "桃花开遍远近山。"]


def test_pre_and_bare_text_keep_their_lines():
    assert blocks_of(f"<p>{BODY}</p><pre>一盏灯\n  一本书\n\n窗外的雨声</pre>")[-3:] == ["一盏灯", "一本书", "窗外的雨声"]
    assert extract_html(f"同志们{COLON}\n今年全市科技工作取得显著成绩。\n下一步要继续加大研发投入。").blocks == [
        f"同志们{COLON}", "今年全市科技工作取得显著成绩。", "下一步要继续加大研发投入。"]


def test_lists_and_tables_keep_reading_order():
    body = (f"<div class='content'>{BODY}<ol><li>加强组织领导。</li><li>2. 落实工作责任。</li></ol>"
            "<table><tr><th>指标</th><th>完成数</th></tr><tr><td>地区生产总值</td><td>2856.3亿元</td></tr></table></div>")
    assert blocks_of(body)[-4:] == ["1. 加强组织领导。", "2. 落实工作责任。", "指标 完成数", "地区生产总值 2856.3亿元"]


def test_markup_nested_deeper_than_libxml2_allows_is_still_read():
    body = "<font>" * 400 + "<p>正文在最深处" + COMMA + "仍然要被读出来。</p>" + "</font>" * 400
    assert blocks_of(body) == [f"正文在最深处{COMMA}仍然要被读出来。"]


def test_an_xml_declaration_with_an_encoding_is_accepted():
    html = '<?xml version="1.0" encoding="gb2312"?><html><body>' + BODY + "</body></html>"
    assert extract_html(html).blocks[0].startswith("今年全市科技工作")


# --------------------------------------------------------------------------------------------
# Finding the main content
# --------------------------------------------------------------------------------------------


def test_chrome_around_the_content_is_dropped():
    links = "".join(f"<li><a href='/{n}'>栏目{n}</a></li>" for n in range(12))
    html = (f"<html><body><div class='nav'><ul>{links}</ul></div>"
            "<div class='breadcrumb'><a href='/'>首页</a> &gt; <a href='/jh'>讲话稿</a></div>"
            f"<div class='main'><div class='text'>{BODY}</div></div>"
            f"<div class='sidebar'><h3>热门文章</h3><ul>{links}</ul></div>"
            "<div id='footer'>Copyright &copy; 2024 好范文网 版权所有 京ICP备12345678号</div></body></html>")
    page = extract_html(html)
    assert page.blocks == [b for b in blocks_of(BODY)]
    assert "breadcrumb" in [r.rule for r in page.removals]


def test_teaser_lists_lose_to_a_short_article():
    teasers = "".join(
        f"<li><h3><a href='/{n}'>在全县第{n}次经济工作会议上的讲话</a></h3>"
        f"<p>今年以来{COMMA}在上级党委的坚强领导下{COMMA}我们认真贯彻落实各项决策部署{COMMA}各项工作取得了新进展……</p></li>"
        for n in range(10))
    html = f"<html><body><div class='article'>{BODY}</div><ul class='list'>{teasers}</ul></body></html>"
    assert extract_html(html).blocks == blocks_of(BODY)


def test_a_box_headed_related_reading_is_dropped():
    html = (f"<html><body><div class='article'><div class='text'>{BODY}</div>"
            "<div class='box'><h4>推荐阅读</h4><p>这是另一篇文章的摘要,它讲了很多别的事情,不属于本文。</p></div></div></body></html>")
    page = extract_html(html)
    assert page.blocks == blocks_of(BODY)
    assert "related_links" in [r.rule for r in page.removals]


def test_a_page_without_prose_keeps_its_list_of_lines():
    toc = "".join(f"<p>{t}</p>" for t in ["目录", "中国特色社会主义政治经济学视角下的中国式现代化道路", "张素峰",
                                           "坚持人民至上的观念认知制度支撑及运行机制", "陈家刚", "论发展全过程人民民主与新时代民生建设"])
    assert len(blocks_of(f"<div class='menu'><a href='/'>首页</a></div><div>{toc}</div>")) == 6


def test_a_site_profile_is_tried_first():
    profile = next(p for p in SITE_PROFILES if p.domain == "people.com.cn")
    sidebar = "<div class='box'>" + BODY * 6 + "</div>"
    html = (f"<html><body>{sidebar}<div class='rm_txt_con'><p>人民网北京5月10日电{COMMA}全国科技工作会议今天召开。</p></div>"
            "</body></html>")
    assert profile.content == "div.rm_txt_con"
    page = extract_html(html, url="http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html")
    assert page.blocks == [f"人民网北京5月10日电{COMMA}全国科技工作会议今天召开。"]
    assert extract_html(html).blocks != page.blocks  # the generic method picks the bigger box


@pytest.mark.parametrize("html", [
    "<html><body><ul>" + "".join(f"<li><a href='/{n}'>栏目{n}</a></li>" for n in range(30)) + "</ul></body></html>",
    "<html><body><div class='nav'><a href='/'>首页</a></div><p>页面不存在</p></body></html>",
    "<html><head><title>空页面</title></head><body></body></html>",
    "<html><body><script>var a = '一段很长的脚本文字,看起来像正文,但它不是正文。';</script></body></html>",
    "",
    "<!-- 只有注释 -->",
])
def test_no_main_content_raises_with_a_readable_reason(html):
    with pytest.raises(NoMainContentError) as caught:
        extract_html(html)
    assert caught.value.code == "no_content"
    assert re.match(r"^[a-z].{20,}", str(caught.value)) and "Traceback" not in str(caught.value)


# --------------------------------------------------------------------------------------------
# Interface and properties
# --------------------------------------------------------------------------------------------


def test_the_result_holds_plain_values_only():
    page = extract_html(page_with("<title>讲话稿</title>"))
    assert isinstance(page, ExtractedPage) and dataclasses.is_dataclass(page)
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.title = "x"  # type: ignore[misc]
    for field in dataclasses.fields(page):
        value = getattr(page, field.name)
        assert value is None or type(value).__module__ in ("builtins", "datetime", "cleaners.types") or isinstance(value, list)
    assert all(type(b) is str for b in page.blocks)


@pytest.mark.parametrize("head, expected", [
    ("<!DOCTYPE html><html><head><title>讲话稿</title>", True),
    ("<html>\n<body>", True),
    ("\n\n  <div class='content'><p>同志们", True),
    ("同志们:\n今年我们要在<重点领域>取得突破。", False),
    ("2023年工作总结\n一、主要成绩", False),
])
def test_looks_like_html(head, expected):
    assert looks_like_html(head) is expected


_TAGS = ["p", "div", "span", "a", "br", "table", "tr", "td", "li", "ul", "h1", "font", "b", "script", "style",
         "nav", "footer", "form", "iframe", "article"]
_markup = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    lambda inner: st.builds(
        lambda tag, attrs, children: f"<{tag}{attrs}>{''.join(children)}</{tag}>",
        st.sampled_from(_TAGS),
        st.sampled_from(["", " class='content'", " class='nav'", " style='display:none'", " hidden", " id='page1' class='page'"]),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)


def _check(html: str) -> None:
    try:
        page = extract_html(html)
    except NoMainContentError:
        return
    assert page.blocks and all(isinstance(b, str) and b and b == b.strip() for b in page.blocks)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_gives_blocks_or_no_main_content(text):
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup, st.sampled_from(["", "<html><head><title>标题</title></head><body>", "<?xml version='1.0'?>"]))
def test_any_markup_gives_blocks_or_no_main_content(markup, prefix):
    _check(prefix + markup)


# Chinese, latin, accented, full-width, astral (CJK extension B) and surrogate-free noise.
_weighed_text = st.text(st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x2FA1F, exclude_categories=("Cs",)),
                                  st.sampled_from("科技创新abcXYZ09éŽ，。𠀀豈")), max_size=1500)


@given(_weighed_text)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_long_and_short_texts_weigh_the_same_either_way(text):
    """Long texts are weighed with NumPy, short ones with regexes: both count alike."""
    from cleaners import html

    by_regex = round(len(html._NOT_CJK.sub("", text)) + html._LATIN_WEIGHT * len(html._NOT_LATIN.sub("", text)), 1)
    padded = text + " " * max(0, html._WEIGHT_BY_ARRAY_CHARS - len(text))
    assert html._weight(text) == by_regex
    assert html._weight(padded) == by_regex


@given(st.text(st.one_of(st.characters(max_codepoint=0x3100), st.sampled_from("科技\n\u3000\u200b\x1c\x85")), max_size=60))
def test_whitespace_collapses_as_the_regex_defines_it(text):
    """`_normalize_ws` joins `str.split()`: the same whitespace as the regex `\\s`."""
    from cleaners import html

    expected = re.sub(r"\s+", " ", html._CJK_LINE_BREAK.sub("", html._ZERO_WIDTH.sub("", text))).strip()
    assert html._normalize_ws(text) == expected
