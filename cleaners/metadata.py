"""Describe a document from the chrome that was cut off it: time, URL, site, title hints.

The chrome rules keep every line they remove (`Removal`); the page's date line, its footer
URL, its breadcrumb and its sharing notice are exactly where a page states its metadata.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from cleaners.types import Removal
from cleaners.width import fold_width, split_folded, sub_folded

_DATE_TIME = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{1,2})(?:\s*[:分]\s*(?P<S>\d{1,2}))?)?"
)
_URL = re.compile(r"https?\s*:\s*/\s*/[^\s<>\"'\u3000-\u303f\uff01-\uff5e\u4e00-\u9fff]+(?:\s+[^\s<>\"'\u4e00-\u9fff]+)*")
# ASCII boundaries: a domain is often glued to the site's Chinese name ("taowenge.com淘文阁网").
_DOMAIN = re.compile(
    r"(?<![a-z0-9.-])((?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|info|cc|top|vip|xyz|site|wang)(?:\.cn)?)(?![a-z0-9-])",
    re.I,
)
_BOOK_TITLE = re.compile(r"《([^《》]{2,120})》")
# "讲话稿.docx": document-sharing sites show the uploaded file's name as the title.
FILE_EXTENSION = re.compile(r"\.(?:docx?|pdf|txt|pptx?|xlsx?|wps|rtf|html?)$", re.I)
# "(15页珍藏版)", "(全文)", "【精选】" — what sites add to a document's title
_TITLE_DECORATION = re.compile(
    r"[(\[【](?:\d+页)?(?:全文|完整版|珍藏版|精选|精品|最新|范文|优秀|推荐|原创|word版|可编辑|通用|"
    r"必备|热门|参考|\d+页珍藏版|\d+篇)[^)\]】]{0,8}[)\]】]"
)
_SITE_SUFFIX = re.compile(r"\s*(?:[-_|–—]+|\s-\s)\s*[^-_|–—]{2,20}(?:网|站|文库|文档|范文|在线|首页)$")
_EDITOR_INTRO_TITLE = re.compile(r"(?:整理|收集|搜集|准备|带来|分享|推荐)的(.{4,80}?)[,。](?:供|希望|欢迎|仅供)")
_FOOTER_TITLE = re.compile(r"^(?:本文标题|文章标题|标题)\s*:")
_COLON = re.compile(":")
_CRUMB_SEPARATOR = re.compile(r">|›|»|→")
_BANNER_SITE = re.compile(r"欢迎(?:您)?(?:访问|来到|光临|登录|进入)(.{2,20}?)[!。]?$")


def parse_datetime(text: str) -> datetime | None:
    """The first date (and time, if given) written in `text`, or None.

    >>> parse_datetime("时间:2022-05-08 11:47:00")
    datetime.datetime(2022, 5, 8, 11, 47)
    >>> parse_datetime("发布日期:2023年5月8日")
    datetime.datetime(2023, 5, 8, 0, 0)
    >>> parse_datetime("时间:2022-13-45") is None
    True
    """
    match = _DATE_TIME.search(fold_width(text))
    if not match:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return datetime(parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0))
    except ValueError:
        return None


def find_url(text: str) -> str | None:
    """The URL written in `text`, with the spaces scrapers leave inside it removed.

    >>> find_url("链接地址:https://www.777doc.com/doc-12786173 .html")
    'https://www.777doc.com/doc-12786173.html'
    >>> find_url("本文标题:在全市会议上的讲话") is None
    True
    """
    match = _URL.search(text)
    if not match:
        return None
    url = re.sub(r"\s+", "", match.group(0))
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and "." in parts.netloc else None


def site_of_url(url: str) -> str | None:
    """The site's domain, without `www.`.

    >>> site_of_url("https://www.777doc.com/doc-12786173.html")
    '777doc.com'
    """
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host or None


def clean_title(title: str) -> str:
    """A document's own title: no file extension, no site decoration, no site-name suffix.

    >>> clean_title("2021年全市科技工作会议讲话稿和党课稿合编.docx")
    '2021年全市科技工作会议讲话稿和党课稿合编'
    >>> clean_title("2023年在全市科技创新工作会议上讲话(全文)")
    '2023年在全市科技创新工作会议上讲话'
    >>> clean_title("关于加强科技创新的实施意见(试行)_XX范文网")
    '关于加强科技创新的实施意见(试行)'
    """
    title = title.strip()
    for _ in range(3):
        before = title
        title = sub_folded(_SITE_SUFFIX, "", title)
        title = sub_folded(_TITLE_DECORATION, "", title).strip()
        title = sub_folded(FILE_EXTENSION, "", title).strip()
        if title == before:
            break
    return title


def title_hints(removals: list[Removal]) -> list[str]:
    """Titles that the removed chrome names: footer, breadcrumb, sharing notice, lead-in.

    >>> title_hints([Removal("breadcrumb", "首页 > 汇报范文 > 在全省会上的汇报发言 >", ""),
    ...              Removal("article_footer", "本文标题:在全省会上的汇报发言", "")])
    ['在全省会上的汇报发言', '在全省会上的汇报发言']
    """
    hints: list[str] = []
    for removal in removals:
        text = removal.text
        if removal.rule == "article_footer" and _FOOTER_TITLE.match(fold_width(text)):
            hints.append(clean_title(split_folded(_COLON, text, maxsplit=1)[1]))
        elif removal.rule == "breadcrumb":
            crumbs = [c.strip() for c in split_folded(_CRUMB_SEPARATOR, text) if c.strip()]
            if len(crumbs) >= 2:
                hints.append(clean_title(crumbs[-1]))
        elif removal.rule == "share_notice":
            match = _BOOK_TITLE.search(text)
            if match:
                hints.append(clean_title(match.group(1)))
        elif removal.rule == "editor_intro":
            match = _EDITOR_INTRO_TITLE.search(fold_width(text))
            if match:
                hints.append(clean_title(text[match.start(1) : match.end(1)]))
    return [hint for hint in hints if hint]


def published_at(removals: list[Removal]) -> datetime | None:
    """The time on the page's date line, if one was removed."""
    for removal in removals:
        if removal.rule in ("date_line", "page_info"):
            found = parse_datetime(removal.text)
            if found:
                return found
    return None


def source_url(removals: list[Removal]) -> str | None:
    """The URL the page's footer shows, if one was removed."""
    for removal in removals:
        if removal.rule in ("article_footer", "share_notice"):
            url = find_url(removal.text)
            if url:
                return url
    return None


def site_name(removals: list[Removal], url: str | None) -> str | None:
    """The site: the URL's domain, else a domain the sharing notice names, else the banner's name.

    >>> site_name([Removal("share_notice", "…请在taowenge.com淘文阁网|CAD图纸上搜索。", "")], None)
    'taowenge.com'
    >>> site_name([Removal("site_banner", "您好,欢迎访问三七文档", "")], None)
    '三七文档'
    """
    if url:
        return site_of_url(url)
    for removal in removals:
        if removal.rule == "share_notice":
            match = _DOMAIN.search(removal.text)
            if match:
                return match.group(1).lower().removeprefix("www.")
    for removal in removals:
        if removal.rule == "site_banner":
            match = _BANNER_SITE.search(fold_width(removal.text))
            if match:
                return removal.text[match.start(1) : match.end(1)].strip()
    return None


def is_truncated(removals: list[Removal]) -> bool:
    """True when a preview cut-off notice was removed: the page held only part of the document."""
    return any(removal.rule == "preview_notice" for removal in removals)
