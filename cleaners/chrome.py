"""Strip the site chrome that scraped text dumps carry around the document.

Each rule is named data (`ChromeRule`): a pattern, a scope and the reason the text is not part
of the document. The scope keeps a rule from eating a body sentence that merely mentions its
words:

- `head` rules only fire in the lines before the body starts (banners, breadcrumbs, the
  "下面是小编为大家整理的…" lead-in, date and disclaimer lines);
- `tail` rules only fire in the lines after the body ends (推荐访问, 上一篇/下一篇, 本文标题,
  链接地址, preview notices);
- `anywhere` rules are whole-line patterns distinctive enough to drop wherever they stand
  (a sharing-site notice, a punctuation-only line).

Rules are written with ASCII punctuation and matched against the width-folded line
(`cleaners.width`), so `推荐访问:` and `推荐访问：` are one rule. The head is walked from the top, skipping over title-like lines, until the first line that is
neither chrome nor a title; the tail is walked from the bottom until the first line that is
not chrome. Everything removed is returned as a `Removal`, which `cleaners.metadata` reads for
the publication time, the URL and title hints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from cleaners.types import Cleaned, Removal
from cleaners.width import fold_lines, fold_width

Scope = Literal["head", "tail", "anywhere"]

# How many lines from each end a head/tail walk may look at; chrome never runs longer.
MAX_HEAD_LINES = 12
MAX_TAIL_LINES = 20
# A short line without sentence punctuation may be the title; the head walk steps over it.
MAX_TITLE_CHARS = 80


@dataclass(frozen=True, slots=True)
class ChromeRule:
    name: str
    scopes: frozenset[Scope]
    pattern: re.Pattern[str]
    reason: str
    # The rule only applies to lines at most this long: chrome is a line, never a document.
    # (A viewer dump joined into one 8,000-character line once lost itself to a disclaimer
    # rule because its first page opened with 导语:…不代表本站观点.)
    max_chars: int = 400


def _rule(name: str, scopes: str, pattern: str, reason: str, max_chars: int = 400) -> ChromeRule:
    """A rule; `scopes` names where it applies, e.g. "head" or "head tail"."""
    return ChromeRule(name, frozenset(scopes.split()), re.compile(pattern), reason, max_chars)


_NAV_ARROW = r"\s*(?:>|›|»|→|/|-&gt;|&gt;)"
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}"
_DATE_LINE = (
    r"^(?:(?:发布|更新|发表|上传|编辑)(?:时间|日期)\s*:\s*" + _DATE
    + r"|(?:时间|日期)\s*:\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$)"
)

CHROME_RULES: tuple[ChromeRule, ...] = (
    # --- the top of the page ---------------------------------------------------------------
    # "您好,欢迎访问三七文档" (777doc.com); "欢迎来到XX范文网"
    _rule("site_banner", "head", r"^(?:您好|你好|hi|Hi)?[,!\s]*欢迎(?:您)?(?:访问|来到|光临|登录|进入)",
          "the site's welcome banner", max_chars=40),
    # "首页 > 汇报范文 > …", "当前位置:首页 > 办公文档 > …", "您的位置: 网站首页 > …"
    _rule("breadcrumb", "head tail",
          r"^(?:(?:当前|您的|你的|您现在的|所在)?位置\s*[:]\s*)?(?:网站)?(?:首页|主页|Home|HOME)" + _NAV_ARROW,
          "the site's breadcrumb navigation"),
    # "下面是小编为大家整理的…,供大家参考。", "以下是本站为您收集的…,欢迎阅读!"
    _rule("editor_intro", "head",
          r"^(?:下面|以下|这)(?:是|就是|为)[^。!?]{0,12}(?:小编|本站|编辑|笔者|网友|我们)"
          r"[^。!?]{0,8}(?:为|给|帮)(?:大家|你|您|各位)",
          "the site editor's lead-in sentence"),
    _rule("editor_intro", "head",
          r"^(?:下面|以下)是[^。!?]{0,120}(?:供大家参考|供您参考|仅供参考|欢迎阅读|欢迎借鉴|希望对(?:你|您|大家)有)",
          "the site editor's lead-in sentence"),
    # "时间:2022-05-08 11:47:00", "发布日期:2023年5月8日"
    # A bare "时间:" is chrome only with a machine timestamp and nothing after it: meeting
    # minutes open with "时间:2023年10月9日下午3:00", which is their text.
    _rule("date_line", "head tail", _DATE_LINE, "the page's date line (kept as published_at)", max_chars=60),
    # "来源:网络 作者:佚名 浏览:120" — several page-info fields on one line
    _rule("page_info", "head",
          r"^(?:来源|作者|编辑|责任编辑|浏览|阅读|点击|字数|分类|栏目)\s*[:][^。]{0,40}"
          r"(?:来源|作者|编辑|浏览|阅读|点击|字数|时间|日期|分类|栏目)\s*[:]",
          "the page's information line (source, author, views)", max_chars=120),
    # --- anywhere a disclaimer or sharing notice stands on its own line ----------------------
    # "导语:…一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。"
    _rule("site_disclaimer", "head tail",
          r"不代表本站(?:观点|立场)|来源于网友(?:上传|投稿|分享)|版权归原作者|如有侵权|仅供学习(?:参考|交流)|转载请注明",
          "the site's disclaimer about uploaded content", max_chars=200),
    # "《X.docx》由会员分享,可在线阅读,更多相关《X(15页珍藏版)》请在taowenge.com淘文阁网|…上搜索。"
    _rule("share_notice", "anywhere",
          r"由(?:会员|用户|网友)\S{0,20}分享.{0,10}在线阅读|更多相关.{0,200}请在.{0,300}上搜索",
          "the document-sharing site's notice about the uploaded file"),
    # --- the bottom of the page ------------------------------------------------------------
    # "推荐访问:科技创新 讲话 工作 …", "相关推荐:", "猜你喜欢:"
    _rule("related_links", "tail",
          r"^(?:推荐访问|相关推荐|相关文章|热门推荐|猜你喜欢|推荐阅读|相关阅读|延伸阅读|热门文章|最新文章|"
          r"相关范文|精选范文|热门范文|相关搜索|相关标签|标签|关键词|TAGS?|Tags?)\s*[:]",
          "links to other pages of the site"),
    # "- 上一篇:村级领导考察工作意见", "下一篇:在执行工作联席会议上总结讲话"
    _rule("prev_next", "tail",
          r"^[\-–—•·*\s]*(?:上一篇|下一篇|上一页|下一页|上篇|下篇|前一篇|后一篇)(?:文章)?\s*[:]",
          "the previous/next article links"),
    # "本文标题:…", "链接地址:https://www.777doc.com/doc-12786173 .html"
    _rule("article_footer", "tail",
          r"^(?:本文标题|本文链接|本文地址|原文链接|原文地址|链接地址|文章链接|文章地址|网址|文章来源|"
          r"转载请保留|转载请注明|本文来源)\s*[:]",
          "the article footer repeating the title and URL (URL kept as source_url)"),
    # "预览阅读已结束,若您需要写相关文章,请扫码联系老师写作!", "剩余3页未读,继续阅读"
    _rule("preview_notice", "tail",
          r"预览(?:阅读)?已?结束|试读(?:已)?结束|剩余\s*\d*\s*页未读|还剩\s*\d+\s*页未读|"
          r"(?:阅读|查看|下载)(?:完整|全部|全)文|(?:免费)?下载(?:完整|全文)|内容(?:已)?(?:被)?(?:折叠|隐藏)",
          "the preview cut-off notice (the page showed only part of the document)", max_chars=120),
    _rule("preview_notice", "anywhere",
          r"^.{0,10}(?:预览(?:阅读)?已?结束|试读(?:已)?结束|剩余\s*\d*\s*页未读|还剩\s*\d+\s*页未读)",
          "the preview cut-off notice (the page showed only part of the document)", max_chars=120),
    # "请扫码联系老师写作", "扫一扫关注公众号", "客服微信:…"
    _rule("contact_ad", "anywhere",
          r"(?:扫码|扫一扫|二维码|微信扫).{0,20}(?:联系|关注|下载|写作|咨询|阅读)|(?:客服|老师)\s*(?:微信|QQ|qq|电话)\s*[:]",
          "an advertisement for the site's services", max_chars=80),
    _rule("site_closing", "tail",
          r"^以上(?:就)?是[^。]{0,12}(?:小编|本站|编辑)",
          "the site editor's closing sentence", max_chars=200),
)

# A line with no letter, digit or CJK character carries no text: ",", "——", "* * *".
_HAS_TEXT = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_SENTENCE_PUNCT = re.compile(r"[。!?;]")
_SALUTATION_END = re.compile(r"[:]$")


def _matching_rule(line: str, scope: Scope) -> ChromeRule | None:
    line = fold_width(line)
    for rule in CHROME_RULES:
        if scope not in rule.scopes and "anywhere" not in rule.scopes:
            continue
        if len(line) > rule.max_chars:
            continue
        if rule.pattern.search(line):
            return rule
    return None


def is_title_like(line: str) -> bool:
    """A short line without sentence punctuation that does not open a speech: maybe a title.

    >>> is_title_like("2023年在全市科技创新工作会议上讲话(全文)")
    True
    >>> is_title_like("同志们:"), is_title_like("今年工作取得显著成绩。")
    (False, False)
    """
    folded = fold_width(line)
    return (
        0 < len(line) <= MAX_TITLE_CHARS
        and not _SENTENCE_PUNCT.search(folded)
        and not _SALUTATION_END.search(folded)
    )


def strip_punctuation_lines(lines: list[str]) -> Cleaned:
    """Drop lines that hold no letter, digit or CJK character at all.

    >>> strip_punctuation_lines(["谢谢大家!", ",", "——"]).lines
    ['谢谢大家!']
    """
    kept, removals = [], []
    for line in lines:
        if _HAS_TEXT.search(line):
            kept.append(line)
        elif line.strip():
            removals.append(Removal("stray_punctuation", line, "a line of punctuation only, no text"))
    return Cleaned(kept, removals)


def strip_head_chrome(lines: list[str]) -> Cleaned:
    """Remove chrome lines above the body, stepping over title-like lines.

    >>> strip_head_chrome(["首页 > 汇报范文 > 在全省会上的汇报 >", "在全省会上的汇报", "同志们:", "今年……"]).lines
    ['在全省会上的汇报', '同志们:', '今年……']
    """
    kept: list[str] = []
    removals: list[Removal] = []
    for index, line in enumerate(lines):
        rule = _matching_rule(line, "head") if index < MAX_HEAD_LINES else None
        if rule is not None:
            removals.append(Removal(rule.name, line, rule.reason))
            continue
        kept.append(line)
        if index >= MAX_HEAD_LINES or not is_title_like(line):
            kept.extend(lines[index + 1 :])
            break
    return Cleaned(kept, removals)


def strip_tail_chrome(lines: list[str]) -> Cleaned:
    """Remove chrome lines below the body, from the last line up to the first body line.

    >>> strip_tail_chrome(["谢谢大家!", "推荐访问:科技创新 讲话", "下一篇:在执行工作联席会议上总结讲话"]).lines
    ['谢谢大家!']
    """
    end = len(lines)
    removals: list[Removal] = []
    while end > 0 and len(lines) - end < MAX_TAIL_LINES:
        line = lines[end - 1]
        rule = _matching_rule(line, "tail")
        if rule is None:
            break
        removals.append(Removal(rule.name, line, rule.reason))
        end -= 1
    removals.reverse()
    return Cleaned(lines[:end], removals)


def strip_anywhere_chrome(lines: list[str]) -> Cleaned:
    """Remove whole lines that only a site writes, wherever they stand.

    >>> strip_anywhere_chrome(["一、加强领导", "请扫码联系老师写作!", "二、落实责任"]).lines
    ['一、加强领导', '二、落实责任']
    """
    kept, removals = [], []
    for line, folded in zip(lines, fold_lines(lines)):
        rule = next(
            (r for r in CHROME_RULES if "anywhere" in r.scopes
             and len(line) <= r.max_chars and r.pattern.search(folded)),
            None,
        )
        if rule is None:
            kept.append(line)
        else:
            removals.append(Removal(rule.name, line, rule.reason))
    return Cleaned(kept, removals)


def strip_chrome(lines: list[str]) -> Cleaned:
    """All chrome rules in order: punctuation-only lines, tail, head, then anywhere-rules.

    The tail goes first so that a stray "," between the body and 推荐访问 does not stop the
    tail walk; anywhere-rules last, so they never decide where the body starts.

    >>> page = ["2023年在全市科技创新工作会议上讲话(全文)",
    ...         "下面是小编为大家整理的2023年在全市科技创新工作会议上讲话(全文),供大家参考。",
    ...         "同志们:", "今年工作取得显著成绩。", ",", "推荐访问:科技创新 讲话", "下一篇:在执行工作联席会议上总结讲话"]
    >>> strip_chrome(page).lines
    ['2023年在全市科技创新工作会议上讲话(全文)', '同志们:', '今年工作取得显著成绩。']
    >>> [r.rule for r in strip_chrome(page).removals]
    ['stray_punctuation', 'related_links', 'prev_next', 'editor_intro']
    """
    removals: list[Removal] = []
    for step in (strip_punctuation_lines, strip_tail_chrome, strip_head_chrome, strip_anywhere_chrome):
        result = step(lines)
        lines = result.lines
        removals.extend(result.removals)
    return Cleaned(lines, removals)
