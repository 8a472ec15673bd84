"""Main-content extraction: an HTML page in, its body paragraphs and metadata out.

One public function, `extract_html(html, url=...)`, returns an `ExtractedPage` of plain
strings; no parser object leaves this module, so the tree underneath can change.
`looks_like_html` sniffs decoded text; `SITE_PROFILES` is data.

How the body is found
    1. Parse with libxml2 (lxml.etree's HTML parser). Entities, &nbsp;, unclosed tags, <p>
       inside <p>, comments and CDATA are the parser's business, never a regex's.
    2. Read what the page says about itself: <title>, og:*, canonical link, JSON-LD, <meta>
       dates (`_read_head`).
    3. Drop what is never text (script, style, iframe …) and what is hidden (display:none,
       `hidden`); drop chrome named by its tag (nav, header, footer, aside, form), its ARIA
       role, its class/id names (`_CHROME_TOKENS`, `_CHROME_WHOLE_NAMES`) or a heading like
       "相关阅读" (`_RELATED_HEADING`) — unless it holds half the page's text (a misnamed
       wrapper).
    4. Cut the page into text blocks at block-level tags and <br>. A block is worth its
       Chinese characters (a latin letter or digit 0.4), minus twice its link text; a short
       line without sentence punctuation costs 1; a link list costs its length; a teaser (a
       summary under a linked headline) is worth a fifth. The main content is the element
       whose blocks add up to the most (+15 for a name like "content" or "article"),
       narrowed to a part of it that holds nearly all its value when the rest is cheap text.
       A known site's profile (`SITE_PROFILES`: CSS selectors) is tried first.
    5. Keep that element's blocks in reading order, minus link lists, page numbers, labels
       repeated on every item, the title and byline at its head and what follows an
       article's closing line (责任编辑, 免责声明); rejoin a paragraph a document viewer cut
       at a page boundary (<div class="page">); flag a preview cut-off notice.
    A page where no element adds up to a sentence raises `NoMainContentError`. Position
    counts where chrome sits: bylines at the head of the content, notices and closing lines
    at its end.

Why lxml.etree and not BeautifulSoup — measured by `python -m bench.extraction` on the 77
real pages of zh-extraction-dev (200 KB on average), CPU time per page, best of 3 passes:
building the tree with lxml takes 1.6 ms; BeautifulSoup with the lxml builder 20 ms (21 ms
with get_text) — half of trafilatura's whole extraction (40 ms); ours, whole, 7.4 ms. So bs4
would triple our time for nothing its API gives here. lxml.html's element classes were
dropped too: they call back into Python for every element visited (8.7 against 7.0 ms).

Nor for pages nested too deep: libxml2 stops at 256 levels of nesting and silently drops the
rest of the page (old pages with hundreds of unclosed <font> tags do this). bs4 keeps every
level, but rebuilding such a page through it was quadratic (6,000 unclosed tags ~6 s, 24,000
~160 s). When the parser reports the limit, the page is instead re-serialized in one linear pass
over the standard library's tokenizer (`_flatten_deep`): formatting tags dropped, tags below
`MAX_REBUILT_DEPTH` levels dropped, their text kept.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import numpy as np
from lxml import etree

from cleaners.errors import NoMainContentError
from cleaners.metadata import FILE_EXTENSION
from cleaners.types import Removal

# --------------------------------------------------------------------------------------------
# Named data: which markup is chrome, which text is a notice. Grouped by meaning.
# --------------------------------------------------------------------------------------------

# Full-width punctuation is written as escapes: in many fonts and tools ，：；！？（）｜＞ are
# indistinguishable from (or silently folded into) their ASCII twins; the escape says which.
_COMMA, _COLON, _SEMICOLON = "\uff0c", "\uff1a", "\uff1b"
_EXCLAIM, _QUESTION, _LPAREN, _RPAREN = "\uff01", "\uff1f", "\uff08", "\uff09"
_BAR, _GREATER = "\uff5c", "\uff1e"

# Never text a reader sees.
_NEVER_TEXT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "frame",
    "frameset", "object", "embed", "applet", "audio", "video", "map", "select", "option",
    "textarea", "button", "input", "head", "title",
)
# HTML5 chrome tags; dropped unless they wrap most of the page (ASP.NET pages put the whole
# page inside one <form>; some CMS themes put the article inside <header>).
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu", "dialog"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog"})

# A class or id *part* (split at '-', '_', camelCase) that marks chrome wherever it appears:
# "article-footer", "relatedNews", "bdshare_box".
_CHROME_TOKENS: dict[str, tuple[str, ...]] = {
    # menus, breadcrumbs, pagers: every portal ("nav", "breadcrumb"); 面包屑 = mianbaoxie
    "navigation": ("nav", "navbar", "navigation", "menu", "menus", "submenu", "topnav", "breadcrumb",
                   "breadcrumbs", "crumb", "crumbs", "mianbaoxie", "pagination", "pager", "paging",
                   "fenye", "sitemap", "skip", "topbar", "toolbar"),
    # footers: "footer", "site-footer", "article_footer"
    "footer": ("footer",),
    # sidebars and related-article boxes: "sidebar", "related", 相关文章 = xgwz, 推荐 = tuijian
    "related": ("sidebar", "aside", "related", "relate", "relevant", "recommend", "recommended",
                "tuijian", "xgwz", "xiangguan", "hotnews", "hotlist", "ranking", "rank", "paihang",
                "guess"),
    # sharing widgets: baidu share ("bdshare"), jiathis, 分享 = fenxiang
    "share": ("share", "sharing", "social", "bdshare", "jiathis", "fenxiang", "qrcode", "erweima",
              "weixin", "wechat"),
    # advertising: "ad-box", "adsbygoogle", 广告 = guanggao
    "ads": ("ad", "ads", "advert", "adverts", "advertisement", "adsbygoogle", "guanggao", "sponsor",
            "promo", "promotion"),
    # log-in boxes, search boxes, pop-ups
    "widgets": ("login", "signin", "register", "search", "modal", "popup", "dialog", "cookie",
                "subscribe", "feedback", "gotop", "backtop", "pay", "reward", "dashang"),
    # video and audio players' controls (1905.com "playerBottom", video.js "vjs")
    "media": ("player", "vjs", "jwplayer", "dplayer", "xgplayer"),
}
# A *whole* class or id that marks chrome; as a part these words are too common
# ("position-relative", "top-content", "tags-wrap" are layout classes).
_CHROME_WHOLE_NAMES: dict[str, tuple[str, ...]] = {
    # 当前位置 boxes on Chinese CMS pages: <div class="position">, <div id="location">
    "navigation": ("position", "location", "weizhi", "dqwz", "site-path", "path", "crumb-nav"),
    "header": ("header", "head", "top", "logo", "site-header", "masthead"),
    # copyright lines and 备案号 boxes; as a part "copyright" also names zhihu's answer text
    # ("CopyrightRichText-richText"), so only the whole name counts
    "footer": ("foot", "bottom", "links", "friendlink", "flink", "youqing", "copyright", "copyrights",
               "icp", "beian"),
    "related": ("side", "hot", "tags", "tag", "keywords", "xgtj", "tjyd", "cnxh"),
    "ads": ("gg", "ggw", "banner"),
    "widgets": ("tool", "tools", "print", "fontsize", "font-size", "zihao"),
    # readers' comments under an article. Whole names only: as a part, "comment" also names
    # highlighted code ("hljs-comment") and forum posts ("CommentPost", the thread itself).
    "comments": ("comment", "comments", "comment-list", "commentlist", "comment-box", "comment-area",
                 "comments-area", "comment-wrap", "comment-container", "comment_list", "pinglun",
                 "disqus_thread", "respond", "reply-box"),
}
# First words of class names that state a feature of the page rather than the element's role:
# "has-sidebar", "no-comments", "disableAsideSection", "enableGAMAds" (Yahoo), "is-ad-free".
_STATE_PREFIXES = frozenset({"has", "is", "no", "not", "with", "without", "enable", "enabled", "disable",
                             "disabled", "show", "hide", "can", "allow", "use", "js", "lang"})

# Which chrome kinds are worth a Removal (the others are only counted away silently).
_RECORDED_KINDS = ("navigation", "related", "comments")

# Class/id parts and tags that name the main content ("article-content", "post_body",
# 正文 = zhengwen, 内容 = neirong); such an element gets `_CONTENT_NAME_BONUS`.
_CONTENT_NAMES = frozenset({
    "article", "articles", "content", "contents", "post", "entry", "main", "body", "text", "detail",
    "details", "story", "artibody", "markdown", "zhengwen", "neirong", "wenzhang", "txt",
})
_CONTENT_TAGS = frozenset({"article", "main"})

# Headings of a box of links to other pages: the box they head is chrome (people.com.cn,
# gmw.cn, news.cn, 范文 portals all title their teaser boxes like this).
_RELATED_HEADING = re.compile(
    r"^(?:相关|推荐|热门|热点|最新|最热|精彩|猜你|大家都在|延伸|编辑推荐|今日推荐|为你推荐|看了又看|"
    r"视觉焦点|图片新闻|热门排行|排行榜?|点击排行|(?:作者|TA|他|她)的?其他|更多)"
    r"(?:阅读|文章|新闻|推荐|资讯|范文|内容|搜索|专题|排行|喜欢|看|图片|视频|精彩)*[\s\W]{0,3}$"
)
# The end of a teaser: a cut summary and its "more" link ("……【详细】", "...[阅读全文]").
_TEASER_END = re.compile(
    rf"(?:\.{{3}}|…)\s*[\[【({_LPAREN}]?(?:详细|详情|全文|阅读全文|查看全文|更多|more)[\]】){_RPAREN}]?\s*(?:>>|»)?$|\.{{3}}$",
    re.I,
)

# Class names that hide an element (Bootstrap, Tailwind, WordPress screen-reader text).
_HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "sr-only", "visually-hidden", "screen-reader-text", "invisible"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Block-level tags: a text block ends where one starts or ends.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "legend",
})

# The parts of a page-shaped element in a document viewer: <div class="page">, "pdf-page",
# id="page3", "page_2" (wenku-style viewers: doc88, 淘文阁, 三七文档).
_PAGE_NAME = re.compile(r"(?:^|[-_\s])(?:page|pg)(?:[-_]?\d+)?(?:$|[-_\s])", re.I)
_NOT_PAGE_NAME = re.compile(r"pag(?:er|ing|ination)|page-?(?:nav|num|header|footer|head|foot|wrap|main|content|container|body|title)", re.I)

# The preview cut-off notices of document-sharing sites. Strong ones only ever mean a cut-off;
# weak ones also appear as ordinary links, so they count only right after the main content.
_PREVIEW_STRONG = re.compile(
    r"预览(?:阅读)?已?结束|试读(?:已)?结束|免费(?:预览|阅读)(?:已)?结束|"   # 预览阅读已结束 (fanwen sites)
    r"(?:剩余|还剩|剩下)\s*\d+\s*页|"                                      # 剩余18页未读 (wenku viewers)
    r"(?:仅|只)(?:提供|支持|可)?(?:部分|前\s*\d+\s*页)(?:内容)?(?:的)?(?:预览|试读|阅读)|"
    r"(?:完整|全部|全文)内容(?:请|需)(?:下载|购买|登录)"
)
# "下载文档" is not one: viewers show that button under whole documents too.
_PREVIEW_WEAK = re.compile(r"(?:查看|阅读|下载|展开)(?:完整|全部)?全文|查看完整(?:内容|文档)|继续阅读|点击(?:加载|阅读)更多")
# A notice is short and says it first: "预览阅读已结束,若您需要…", "还剩18页未读,继续阅读".
_NOTICE_MAX_CHARS = 80
_NOTICE_LEAD_CHARS = 10

# Lines that close a news article; what follows them is the site's (reactions, comments).
_END_MARKER = re.compile(
    rf"^[(\[{_LPAREN}【]?\s*(?:责任编辑|责编|编辑|值班编辑)\s*[:{_COLON}]"   # "(责任编辑:王明)" (news sites)
    rf"|^(?:免责声明|平台声明|版权声明|特别声明)\s*[:{_COLON}]"                       # sohu, 360kuai, toutiao
    r"|仅提供信息存储(?:空间)?服务"                                               # "本平台仅提供信息存储服务"
)
# Lines that are only a page number: "- 3 -", "第 3 页 共 8 页", "3/8".
_PAGE_NUMBER = re.compile(rf"^(?:[-—–\s]*\d{{1,4}}[-—–\s]*|第\s*\d+\s*页(?:\s*[,{_COMMA}/]?\s*共\s*\d+\s*页)?|\d{{1,4}}\s*/\s*\d{{1,4}})$")
# Footer lines that no document contains.
_FOOTER_LINE = re.compile(r"版权所有|copyright|©|ICP[备证]|公网安备|all rights reserved", re.I)
# The byline under a title: "发布时间:2024-05-08 来源:本站 作者:佚名 浏览:128"
# Labels only a site writes; a document's own "时间:" or "日期:" line is judged by `_head_rule`.
_BYLINE_LABEL = re.compile(
    r"(?:^|\s)(?:来源|作者|编辑|责任编辑|发布者|浏览|浏览次数|阅读|阅读量|点击|点击数|字号|字体|分享到|发布时间|"
    rf"发布日期|发表时间|上传时间|更新时间|发布于|发表于)\s*[:{_COLON}]"
)
# "地点:…", "主持人:…": a line of a document's list of fields.
_FIELD_LINE = re.compile(rf"^[\u4e00-\u9fff]{{2,6}}\s*[:{_COLON}]\s*\S")
_DATE_LABEL = re.compile(rf"(?:发布|发表|上传|录入|添加|创建|发文)?(?:时间|日期)\s*[:{_COLON}]|发表于|发布于")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT_-]*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{1,2})(?:\s*[:分]\s*(?P<S>\d{1,2}))?)?"
)
# <meta> names and properties that give the publication time, most specific first.
_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "published_time",
    "article:published", "datepublished", "pubdate", "publishdate", "publish_date", "publish-date",
    "pub_date", "firstpublishedtime", "dc.date.issued", "dcterms.created", "dc.date", "og:release_date",
    "sailthru.date", "bytedance:published_time", "weibo: article:create_at", "date",
)
# " - 新华网", "_三七文档", "|人民网": separators between a title and the site's name.
_TITLE_SEPARATOR = re.compile(rf"\s*(?:[_|{_BAR}]|\s[-–—·]\s|(?<=[^\d\s])-(?=[^\d\s]))\s*")
# How a site's name ends: "好范文网", "三七文档", "新浪新闻", "777doc.com".
_SITE_LIKE = re.compile(
    r"(?:网|网站|站|频道|文库|文档|在线|官网|门户|平台|新闻|资讯|首页|范文|社区|论坛|百科|博客|日报|晚报|"
    r"\.com|\.cn|\.net|\.org)$"
)
_BREADCRUMB = re.compile(rf"(?:首页|主页|位置)\s*(?:[>›»→/{_GREATER}]|&gt;)")
_HEADING_START = re.compile(
    rf"^(?:[一二三四五六七八九十]+[、.\uff0e]|[({_LPAREN}][一二三四五六七八九十\d]+[){_RPAREN}]|\d+[、.\uff0e]"
    r"|第[一二三四五六七八九十\d]+[章节条部分])"
)
# A line ends like a sentence, a clause or a poem's line.
_LINE_END = re.compile(rf"[。.!?;:,、{_EXCLAIM}{_QUESTION}{_SEMICOLON}{_COLON}{_COMMA}…”’」』》){_RPAREN}】\]~\uff5e]\s*$")
# A sentence is closed: "。", "!", "?", ";", ":", "……", maybe inside a closing quote; a closing
# quote alone is not enough ("擦亮“全国文明城”" goes on: "金字招牌,…").
_TERMINAL = re.compile(rf"[。!?;:{_EXCLAIM}{_QUESTION}{_SEMICOLON}{_COLON}…][”’」』》){_RPAREN}】\]]*\s*$")
_LIST_MARKER = re.compile(rf"^(?:\d+|[一二三四五六七八九十]+|[a-zA-Z])[、.\uff0e){_RPAREN}]")

# What is *not* a Chinese character, and not a latin letter or digit: `_weight` counts the
# characters that are by what deleting the rest leaves (one C pass and one string, against a
# list of one-character strings from findall: 2.3x faster).
_CJK_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_LATIN_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F))
_NOT_CJK = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_NOT_LATIN = re.compile(r"[^A-Za-z0-9\u00c0-\u024f]+")
# The regexes scan ~24 ns a character, NumPy ~3.5 but ~10 µs a call: a page's whole text
# (8,000 characters) weighs in 27 µs instead of 194; they break even near 450 characters.
_WEIGHT_BY_ARRAY_CHARS = 500
# "、" is left out: it ends the number of a heading ("一、加强领导") as often as it lists.
# ASCII ",;!?" count too (many pages and all the sample dumps use them in Chinese text), but
# not "," inside a number, nor ":" or "." unless a space or the end follows (times, decimals).
_SENTENCE_PUNCT = re.compile(rf"[。{_COMMA}{_EXCLAIM}{_QUESTION}{_SEMICOLON}{_COLON}]|[,;!?](?!\d)|[.:](?=\s|$)")
_CJK_LINE_BREAK = re.compile(
    r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef])[ \t\r\n]*\n[ \t\r\n]*(?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef])"
)
_SPACES = re.compile(r"\s+")
# C0 controls (but tab and line breaks) and DEL. In UTF-8 each is one byte that no other
# character's encoding holds, so deleting these bytes from the encoded page deletes exactly those
# characters: `bytes.translate` does it ~20x faster than a regex over the text (1 ms a real page).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# `&#1;`, `&#x1f`…: a character reference to a C0 control, which libxml2 decodes into the tree
# and lxml then refuses to store ("All strings must be XML compatible"): the page failed with
# an internal error. Controls are never text, so their references go with them.
_CONTROL_REFERENCE = re.compile(
    rb"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])(?![0-9])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NAME_PARTS = re.compile(r"[^a-z0-9]+")

# Weights of the block score (see the module docstring).
_LATIN_WEIGHT = 0.4      # a latin letter or digit, against one Chinese character
_LABEL_COST = 1.0        # a tiny block without punctuation: a button, a tab, a number
_LABEL_MIN_WEIGHT = 4    # below this a label is a button; above it, a line of a list or poem
_LABEL_SHARE = 0.25      # what an unpunctuated line is worth, against prose
_PROSE_MIN_WEIGHT = 40   # a block this long is prose even without punctuation
_LINK_HEAVY = 0.5        # a block whose text is more than half link text is a link list
_MIN_MAIN_WEIGHT = 12    # the main content must be worth at least a short sentence
_TEASER_DISCOUNT = 0.2   # what a teaser's summary is worth, against the same text in an article
_CONTENT_NAME_BONUS = 15 # an element named "content", "article" …: about one sentence
# The chosen element narrows to a part holding this share of its value when the rest adds
# less than this much value per character (teasers: 0.2 at most; an article's prose: ~1).
_CORE_SHARE = 0.8
_CORE_DENSITY = 0.25
_CORE_PROSE_SHARE = 0.25  # … and its prose outside the part is under this share of the part's
_FULL_LINE_SHARE = 0.8   # a printed line this share of the widest on its page is a full line
_REPEATED_LABEL_CHARS = 20   # a label this short that recurs …
_REPEATED_LABEL_TIMES = 3    # … this often in the main content is a button of each item
_DATA_LIKE = re.compile(rf"[0-9:{_COLON}]")
_MAX_REMOVAL_CHARS = 200


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Where a known site keeps its document: CSS selectors, tried before the generic method.

    `content` may match several elements (a viewer's pages): their text is joined in order.
    """

    domain: str            # the host, or a parent domain of it
    content: str           # CSS selector of the element(s) holding the document
    title: str | None = None
    date: str | None = None
    seen: str = ""         # where and when the selectors were checked


SITE_PROFILES: tuple[SiteProfile, ...] = (
    SiteProfile("people.com.cn", "div.rm_txt_con", "h1", ".col-1-1, .channel .col-1-1",
                seen="人民网 article pages, 2024-05"),
    SiteProfile("news.cn", "#detail", "h1 .title, h1", ".header-time, .time",
                seen="新华网 article pages, 2024-05"),
    SiteProfile("gmw.cn", ".u-mainText", "h1.u-title", "#pubTime, .m-con-time",
                seen="光明网 article pages, 2024-05"),
    SiteProfile("sina.com.cn", "#artibody, #article", "h1.main-title", ".date",
                seen="新浪新闻 article pages, 2024-05"),
    SiteProfile("163.com", ".post_body", "h1.post_title", ".post_info",
                seen="网易 dy article pages, 2024-05"),
)


# --------------------------------------------------------------------------------------------
# The public interface
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What `extract_html` found on a page. Plain strings only: no parser objects."""

    blocks: list[str]               # main-content paragraphs in reading order, whitespace-normalized
    title: str | None
    source_url: str | None
    site: str | None
    published_at: datetime | None   # naive, as shown on the page
    is_truncated: bool
    removals: list[Removal]         # chrome worth recording: preview notice, breadcrumb, related links …


_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|br|table|span|font|center|article|section|h[1-6])[\s/>]",
    re.I,
)


def looks_like_html(text_head: str) -> bool:
    """Whether decoded text is HTML, from its first 2 KB.

    >>> looks_like_html('<!DOCTYPE html><html><head><title>讲话稿</title>')
    True
    >>> looks_like_html('同志们:\\n今年我们要在<重点领域>取得突破。')
    False
    """
    return bool(_HTML_SNIFF.search(text_head[:2048]))


def extract_html(html: str, *, url: str | None = None) -> ExtractedPage:
    """The main content of an HTML page and its metadata.

    Raises `NoMainContentError` when no part of the page reads as a document.

    >>> page = extract_html('''<html><head><title>在全市科技工作会议上的讲话_范文网</title></head><body>
    ... <div class="nav"><a href="/">首页</a> <a href="/jh">讲话稿</a></div>
    ... <div class="content"><h1>在全市科技工作会议上的讲话</h1><p>同志们:</p>
    ... <p>今年全市科技工作取得显著成绩,高新技术企业数量增长两成。</p></div>
    ... <div class="footer">版权所有 © 范文网</div></body></html>''')
    >>> page.title, page.blocks
    ('在全市科技工作会议上的讲话', ['同志们:', '今年全市科技工作取得显著成绩,高新技术企业数量增长两成。'])
    """
    return _extract_with(html, url, SITE_PROFILES)


def _extract_with(html: str, url: str | None, profiles: tuple[SiteProfile, ...]) -> ExtractedPage:
    """`extract_html` with a given set of site profiles (the bench measures it with none).

    >>> _extract_with('<div style="display:none"><p>由脚本显示的正文,全市科技工作取得显著成绩。</p></div>', None, ()).blocks
    ['由脚本显示的正文,全市科技工作取得显著成绩。']
    """
    try:
        return _extract(html, url, profiles, drop_hidden=True)
    except NoMainContentError:
        # A few sites ship the article hidden and reveal it by script: look again with it.
        if not _HIDDEN_STYLE.search(html) and " hidden" not in html:
            raise
        return _extract(html, url, profiles, drop_hidden=False)


# --------------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------------


class _Block:
    """One run of text between block boundaries, with what scoring needs to know about it."""

    __slots__ = ("text", "owner", "chain", "weight", "link_weight", "value", "list_value", "teaser")

    def __init__(self, text: str, owner: etree._Element, link_text: str, weights: tuple[float, float] | None = None):
        self.text = text
        self.owner = owner
        self.chain: list[etree._Element] = []
        # `weights`: (_weight(text), _weight(link_text)) when the caller weighed many at once
        self.weight, link_weight = weights or (_weight(text), _weight(link_text) if link_text else 0.0)
        self.link_weight = min(link_weight, self.weight) if link_text else 0.0
        self.value = 0.0
        self.list_value = 0.0
        self.teaser = False

    @property
    def link_heavy(self) -> bool:
        """More than half of the block's text is link text."""
        return self.weight > 0 and self.link_weight > _LINK_HEAVY * self.weight

    def __repr__(self) -> str:
        return f"_Block({self.text[:20]!r}, {self.owner.tag}, v={self.value:.1f})"


def _extract(html: str, url: str | None, profiles: tuple[SiteProfile, ...], *, drop_hidden: bool) -> ExtractedPage:
    """The steps of the module docstring, in order."""
    root = _parse(html)
    body = _body(root)
    if body is None:
        raise NoMainContentError("the page has no <body>: there is no text to archive on it")
    meta = _read_head(root)
    source_url, host, site = _page_identity(meta, url)
    h1s = [_normalize_ws(_text(h)) for h in body.iter("h1")][:3]
    _drop_never_text(body, drop_hidden)

    profile = _profile_for(host, profiles)
    profiled = [el for el in (_select(body, profile.content) if profile else []) if _weight(_text(el)) >= _MIN_MAIN_WEIGHT]
    removals, preview_in_chrome = _prune_chrome(body, {a for el in profiled for a in (el, *el.iterancestors())})

    blocks = _join_printed_lines(_segment(body))
    _score(blocks)
    containers = profiled or [_best_container(blocks)]
    inside = [b for b in blocks if any(c in b.chain for c in containers)]
    before, after = _outside(blocks, inside)
    title = (_first_text(body, profile.title) if profile and profile.title else None) or _choose_title(meta, h1s, site)

    kept, head_removals = _keep_body_blocks(_drop_repeated_labels(inside), title)
    truncated, notice_removals, kept = _find_preview_notice(kept, after)
    kept, end_removals = _cut_at_end_marker(kept)
    texts = [line for text in _merge_table_rows(_join_viewer_pages(kept)) for line in text.split("\n")]
    if not texts:
        raise NoMainContentError("the page holds only navigation, links and site chrome: no document text was found")

    published = _published_from_meta(meta)
    if published is None and profile and profile.date:
        published = _parse_date(_first_text(body, profile.date) or "")
    if published is None:
        # The nearest date line above the body first, then the byline removed from its head.
        near = [b.text for b in before[::-1]] + [r.text for r in head_removals if r.rule in ("date_line", "page_info")]
        published = _published_from_lines(near + [b.text for b in after])

    return ExtractedPage(
        blocks=texts,
        title=title,
        source_url=source_url,
        site=site,
        published_at=published,
        is_truncated=truncated or preview_in_chrome,
        removals=removals + head_removals + notice_removals + end_removals,
    )


def _page_identity(meta: dict[str, str], url: str | None) -> tuple[str | None, str, str | None]:
    """The page's URL (canonical, og:url, else the one given), its host, and the site's name
    (og:site_name, else the host without "www."). A canonical link to the site's home page is
    a template's mistake, not the page's address.

    >>> _page_identity({"canonical": "/a/1.html", "og:url": "https://www.777doc.com/x"}, None)
    ('https://www.777doc.com/a/1.html', 'www.777doc.com', '777doc.com')
    >>> _page_identity({"canonical": "http://www.china.com.cn/"}, None)[0] is None
    True
    """
    base = url or meta.get("og:url")
    canonical = _absolute_url(meta.get("canonical"), base)
    if canonical and urlsplit(canonical).path in ("", "/") and not urlsplit(canonical).query:
        canonical = None
    source_url = canonical or _absolute_url(meta.get("og:url"), url) or _absolute_url(url, None)
    host = (urlsplit(source_url or url or "").hostname or "").lower()
    site = meta.get("og:site_name") or host.removeprefix("www.")
    return source_url, host, site or None


def _first_text(body: etree._Element, selector: str) -> str | None:
    """The text of the first element a profile's selector matches that has any.

    >>> _first_text(_body(_parse('<h1> </h1><h1>市科技局全年工作意见</h1>')), "h1")
    '市科技局全年工作意见'
    """
    return next((text for el in _select(body, selector) if (text := _normalize_ws(_text(el)))), None)


def _parse(html: str) -> etree._Element:
    """The page's element tree; entities, unclosed tags and comments handled by libxml2.

    >>> root = _parse('<p>同志们&nbsp;:<p>今年<!-- 广告 -->成绩显著')
    >>> [_text(p) for p in root.iter("p")]
    ['同志们\\xa0:', '今年成绩显著']
    >>> _text(_parse('<p>&#1;同志们&#x1f</p>'))
    '同志们'
    """
    # Control characters are never text, and lxml refuses them in any text it is given back.
    data = _CONTROL_REFERENCE.sub(b"", html.encode("utf-8", "replace").translate(None, _CONTROL_BYTES))
    # Plain etree elements: lxml.html's element classes cost a Python call per element visited.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              collect_ids=False, default_doctype=False)
    root = etree.fromstring(data, parser) if data.strip() else None
    if root is None:
        raise NoMainContentError("the page is empty: it holds no markup and no text")
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        root = _parse_deep(html, parser)
    return root


def _parse_deep(html: str, parser: etree.HTMLParser) -> etree._Element:
    """Parse a page nested deeper than libxml2 allows, through `_flatten_deep`.

    >>> root = _parse('<body>' + '<font>' * 300 + '<p>正文在最深处。</p></body>')
    >>> root.findtext('.//p')
    '正文在最深处。'
    >>> root = _parse('<body>' + '<div>' * 5000 + '<p>正文在最深处。</p>' + '</div>' * 5000 + '</body>')
    >>> root.findtext('.//p')
    '正文在最深处。'
    """
    return etree.fromstring(_flatten_deep(html).encode("utf-8", "replace"), parser)


# Inline formatting: dropping these tags changes no block and no text.
_FORMATTING_TAGS = frozenset(
    "font b i u em strong small big span s strike sup sub tt code abbr cite dfn kbd mark q samp var".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Deeper than this, tags are dropped and their text joins their ancestor at this depth; it
# leaves room below libxml2's limit of 256 for <html>, <body> and what the parser adds.
MAX_REBUILT_DEPTH = 200
# ... except the tags that make paragraphs, which rarely nest: they get a few levels more.
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd tr td th pre".split())
_PARAGRAPH_SLACK = 16


class _DepthCapper(HTMLParser):
    """Re-serializes HTML with formatting tags dropped and nesting cut at a depth, in one pass.

    Unclosed tags are closed when an ancestor closes, as browsers do; each tag is pushed and
    popped once, so the pass is linear in the size of the page whatever its depth.
    """

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, written to the output)
        self.open_count: Counter[str] = Counter()
        self.written_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _FORMATTING_TAGS:
            return
        if tag in _VOID_TAGS:
            self.out.append(self.get_starttag_text())
            return
        limit = self.max_depth + (_PARAGRAPH_SLACK if tag in _PARAGRAPH_TAGS else 0)
        written = self.written_depth < limit
        if written:
            self.out.append(self.get_starttag_text())
            self.written_depth += 1
        self.open.append((tag, written))
        self.open_count[tag] += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in _FORMATTING_TAGS:
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count[tag]:
            return  # a stray end tag, or a formatting tag's
        while self.open:
            name, written = self.open.pop()
            self.open_count[name] -= 1
            if written:
                self.out.append(f"</{name}>")
                self.written_depth -= 1
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def close(self) -> None:
        super().close()
        self.out.extend(f"</{name}>" for name, written in reversed(self.open) if written)


def _flatten_deep(html: str, max_depth: int = MAX_REBUILT_DEPTH) -> str:
    """The page with formatting tags dropped and its nesting cut at `max_depth` levels.

    >>> _flatten_deep('<div><font><b>同志们</b></font><div><p>今年</div>', max_depth=1)
    '<div>同志们<p>今年</p></div>'
    """
    capper = _DepthCapper(max_depth)
    capper.feed(html)
    capper.close()
    return "".join(capper.out)


def _read_head(root: etree._Element) -> dict[str, str]:
    """The page's own statements about itself: <meta>, canonical link, <title>, JSON-LD.

    >>> meta = _read_head(_parse('<head><title>讲话稿 - 范文网</title><meta property="og:site_name" content="范文网">'
    ...     '<link rel="canonical" href="https://fanwen.example.com/a/1.html"></head>'))
    >>> meta["title"], meta["og:site_name"], meta["canonical"]
    ('讲话稿 - 范文网', '范文网', 'https://fanwen.example.com/a/1.html')
    """
    meta: dict[str, str] = {}
    for el in root.iter("meta", "link", "title", "script"):
        if el.tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            value = _normalize_ws(el.get("content") or "")
            if key and value:
                meta.setdefault(key, value)
        elif el.tag == "link":
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                meta.setdefault("canonical", el.get("href").strip())
        elif el.tag == "title":
            meta.setdefault("title", _normalize_ws(_text(el)))
        elif (el.get("type") or "").lower() == "application/ld+json" and el.text:
            for key, value in _json_ld(el.text).items():
                meta.setdefault(key, value)
    for el in root.iter():
        if el.get("itemprop") == "datePublished" or (el.tag == "time" and el.get("pubdate") is not None):
            meta.setdefault("datepublished", el.get("content") or el.get("datetime") or _text(el))
            break
    return meta


def _json_ld(text: str) -> dict[str, str]:
    """The JSON-LD fields the page's metadata needs (datePublished, dateCreated, headline).

    >>> _json_ld('{"@type": "NewsArticle", "headline": "全市科技工作会议召开", "datePublished": "2024-05-15T10:30:00+08:00"}')
    {'ld:datepublished': '2024-05-15T10:30:00+08:00', 'ld:headline': '全市科技工作会议召开'}
    """
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return {}
    found: dict[str, str] = {}
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k == "@graph")
            for key in ("datePublished", "dateCreated", "headline"):
                if isinstance(item.get(key), str):
                    found.setdefault("ld:" + key.lower(), item[key].strip())
    return found


def _drop_never_text(body: etree._Element, drop_hidden: bool) -> None:
    """Remove scripts, styles, embedded frames and (optionally) hidden elements, keeping tails.

    >>> body = _body(_parse('<p>同志们:<script>var a=1;</script>今年<span style="display:none">隐藏</span>成绩显著</p>'))
    >>> _drop_never_text(body, True); _text(body)
    '同志们:今年成绩显著'
    """
    doomed = [el for el in body.iter(*_NEVER_TEXT_TAGS)]
    if drop_hidden:
        doomed += [el for el in body.iter() if _is_hidden(el)]
    for el in doomed:
        if el.getparent() is not None:
            _remove_keep_tail(el)


def _is_hidden(el: etree._Element) -> bool:
    """Whether the page hides an element from its readers.

    >>> _is_hidden(_body(_parse('<div style="display: none">广告</div>'))[0])
    True
    >>> _is_hidden(_body(_parse('<div class="overflow-hidden">正文</div>'))[0])
    False
    """
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = el.get("class")
    return bool(classes) and not _HIDDEN_CLASSES.isdisjoint(classes.lower().split())


def _remove_keep_tail(el: etree._Element) -> None:
    """Take an element out of the tree; the text after it stays where it was.

    >>> p = _body(_parse('<p>同志们<span>广告</span>:今年</p>'))[0]
    >>> _remove_keep_tail(p[0]); _text(p)
    '同志们:今年'
    """
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _names_of(classes: str | None, ident: str | None) -> tuple[dict[str, None], dict[str, None]]:
    """An element's class and id names: whole (lower-cased) and split into parts, each in the
    order they appear (dicts, not sets: the first name that tells a kind decides it, the same
    on every run whatever the string hash seed). A name that states a feature ("has-sidebar",
    "disableAsideSection", "no-ads") says nothing about the element's own role and is left out.

    >>> whole, parts = _names_of("relatedNews box", "side_bar")
    >>> sorted(whole), sorted(parts)
    (['box', 'relatednews', 'side_bar'], ['bar', 'box', 'news', 'related', 'side'])
    >>> _names_of("caas disableAsideSection enableGAMAds", None)
    ({'caas': None}, {'caas': None})
    """
    whole: dict[str, None] = {}
    parts: dict[str, None] = {}
    for name in f"{classes or ''} {ident or ''}".split():
        split = [part for part in _NAME_PARTS.split(_CAMEL.sub("-", name).lower()) if part]
        if split and split[0] in _STATE_PREFIXES and len(split) > 1:
            continue
        whole[name.lower()] = None
        parts.update(dict.fromkeys(split))
    return whole, parts


_PART_KIND = {token: kind for kind, tokens in _CHROME_TOKENS.items() for token in tokens}
_WHOLE_KIND = {name: kind for kind, names in _CHROME_WHOLE_NAMES.items() for name in names}


def _chrome_kind(el: etree._Element) -> str | None:
    """Which kind of chrome an element is by its tag, role or class/id names, or None.

    >>> _chrome_kind(_body(_parse('<div class="article-share">分享到</div>'))[0])
    'share'
    >>> _chrome_kind(_body(_parse('<div class="position">当前位置:首页</div>'))[0])
    'navigation'
    >>> _chrome_kind(_body(_parse('<div class="article-content">正文</div>'))[0]) is None
    True
    """
    if el.tag in _CHROME_TAGS:
        return {"nav": "navigation", "menu": "navigation", "aside": "related"}.get(el.tag, el.tag)
    if el.get("role") in _CHROME_ROLES:
        return "navigation"
    classes, ident = el.get("class"), el.get("id")
    if classes is None and ident is None:
        return None
    return _kind_of_names(classes, ident)


@lru_cache(maxsize=4096)
def _kind_of_names(classes: str | None, ident: str | None) -> str | None:
    """The chrome kind a class and id name; cached, as pages repeat a few hundred names.

    >>> _kind_of_names("bdshare_box", None), _kind_of_names("content", "zhengwen")
    ('share', None)
    """
    whole, parts = _names_of(classes, ident)
    for name in whole:
        if name in _WHOLE_KIND:
            return _WHOLE_KIND[name]
    for part in parts:
        if part in _PART_KIND:
            return _PART_KIND[part]
    return None


def _prune_chrome(body: etree._Element, protected: set) -> tuple[list[Removal], bool]:
    """Remove chrome elements, except any that holds half the page's text (a misnamed wrapper).

    Returns the removals worth recording and whether a removed element was a preview notice.

    >>> body = _body(_parse('<div class="breadcrumb">首页 > 讲话稿</div><div class="main">同志们:今年成绩显著。</div>'
    ...               '<ul class="related"><li>相关范文一</li></ul>'))
    >>> removals, _ = _prune_chrome(body, set())
    >>> _text(body), [r.rule for r in removals]
    ('同志们:今年成绩显著。', ['breadcrumb', 'related_links'])
    """
    page_weight = _weight(_text(body))
    doomed: list[tuple[etree._Element, str]] = []
    iterator = body.iterdescendants()
    skip_under: etree._Element | None = None
    for el in iterator:
        if skip_under is not None:
            if skip_under in el.iterancestors():
                continue
            skip_under = None
        kind = _chrome_kind(el) if isinstance(el.tag, str) else None
        if kind is None or el in protected:
            continue
        doomed.append((el, kind))
        skip_under = el
    doomed += [(el, "related") for el in _related_boxes(body) if el not in protected]
    removals: list[Removal] = []
    preview = False
    for el, kind in doomed:
        if body not in el.iterancestors():
            continue  # inside a box removed already
        text = _normalize_ws(_text(el))
        if _weight(text) > 0.5 * page_weight:
            continue
        if _is_preview_notice(text, near_end=False):
            preview = True
            removals.append(Removal("preview_notice", text, _REASONS["preview_notice"]))
        elif kind in _RECORDED_KINDS and text and len(removals) < 8:
            rule = {"navigation": "breadcrumb" if _looks_like_breadcrumb(text) else "site_navigation",
                    "related": "related_links", "comments": "comments"}[kind]
            if rule != "site_navigation":
                removals.append(Removal(rule, text[:_MAX_REMOVAL_CHARS], _REASONS[rule]))
        _remove_keep_tail(el)
    return removals, preview


def _related_boxes(body: etree._Element) -> list[etree._Element]:
    """Boxes that a heading like "相关阅读" or "推荐阅读" opens: the heading and what it heads.

    >>> body = _body(_parse('<div id="main"><p>今年成绩显著。</p></div>'
    ...               '<div id="box"><div class="t"><h3>推荐阅读</h3><a>更多>></a></div><ul><li>某某讲话稿</li></ul></div>'))
    >>> [el.get("id") for el in _related_boxes(body)]
    ['box']
    """
    boxes = []
    for el in body.iter():
        text = el.text
        if not text or len(text) > 24 or not _RELATED_HEADING.match(text.strip()):
            continue
        heading_weight = _weight(text)
        node = el
        parent = node.getparent()
        while parent is not None and parent is not body and _weight(_text(parent)) <= heading_weight + 8:
            node, parent = parent, parent.getparent()
        if parent is None or parent is body or parent.tag == "html":
            continue
        opens_box = not (parent.text or "").strip() and all(
            not _normalize_ws(_text(sibling)) for sibling in node.itersiblings(preceding=True)
        )
        if opens_box and parent not in boxes:
            boxes.append(parent)
    return boxes


_REASONS = {
    "article_end": "the line that closes a published article (editor, disclaimer) and what follows it",
    "preview_notice": "the preview cut-off notice (the page showed only part of the document)",
    "breadcrumb": "the site's breadcrumb navigation (HTML)",
    "related_links": "links to other pages of the site (HTML sidebar or related box)",
    "comments": "readers' comments under the page, not part of the document",
    "page_title": "the page title repeated above the body",
    "date_line": "the page's date line (kept as published_at)",
    "page_info": "the page's information line (source, author, views)",
    "page_number": "a page number of the document viewer",
    "link_list": "a block of links inside the content area",
    "site_footer": "the site's copyright footer",
}


def _looks_like_breadcrumb(text: str) -> bool:
    """Whether a navigation text reads as a breadcrumb trail.

    >>> _looks_like_breadcrumb("当前位置:首页 > 办公文档 > 讲话稿"), _looks_like_breadcrumb("首页 新闻 范文")
    (True, False)
    """
    return bool(_BREADCRUMB.search(text))


def _segment(body: etree._Element) -> list[_Block]:
    """Cut the body into text blocks at block-level tags and <br>, in reading order. Inside
    <pre>, and in a page of bare text without any tag, a block keeps its line breaks.

    >>> [(b.text, b.owner.tag) for b in _segment(_body(_parse('<div>同志们:<br>今年<b>成绩</b>显著。<p>谢谢大家!</p></div>')))]
    [('同志们:', 'div'), ('今年成绩显著。', 'div'), ('谢谢大家!', 'p')]
    >>> [b.text for b in _segment(_body(_parse('<pre>一盏灯\\n  一本书</pre>')))]
    ['一盏灯\\n一本书']
    """
    found: list[tuple[str, etree._Element, str]] = []  # (text, owner, link text), made blocks at the end
    parts: list[str] = []
    link_parts: list[str] = []
    owners: list[etree._Element] = []
    in_link = 0
    in_pre = 1 if len(body) == 0 else 0
    keep_lines = False

    def flush() -> None:  # called only with parts to flush
        nonlocal keep_lines
        raw = "".join(parts)
        text = "\n".join(filter(None, map(_normalize_ws, raw.split("\n")))) if keep_lines else _normalize_ws(raw)
        if text:
            found.append((text, owners[-1], "".join(link_parts)))
        parts.clear()
        link_parts.clear()
        keep_lines = False

    # The loop runs for every element of the page: adding a text is written out in it, not
    # called (a fifth of the function's time went to calls).
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                if parts:
                    flush()
                if tag == "br":
                    continue
                owners.append(el)
            if tag == "a":
                in_link += 1
            elif tag == "pre":
                in_pre += 1
            text = el.text
        else:
            if tag in _BLOCK_TAGS:
                if parts:
                    flush()
                owners.pop()
            if tag == "a":
                in_link -= 1
            elif tag == "pre":
                in_pre -= 1
            text = el.tail if el is not body else None
        if text:
            parts.append(text)
            if in_pre:
                keep_lines = True
            if in_link:
                link_parts.append(text)
    if parts:
        flush()
    weights = _weights([text for text, _, _ in found] + [link for _, _, link in found])
    return [_Block(text, owner, link, (weight, link_weight))
            for (text, owner, link), weight, link_weight in zip(found, weights, weights[len(found):])]


def _join_printed_lines(blocks: list[_Block]) -> list[_Block]:
    """Join the printed lines of a document viewer's page into paragraphs: sibling elements of
    one kind, where a line as wide as the page's widest and not closing a sentence goes on in
    the next one.

    >>> lines = "".join(f'<div class="line">{t}</div>' for t in ["一、加强领导", "全市科技系统要深入学习贯彻",
    ...                 "落实好会议精神,提高认识。", "谢谢大家!"])
    >>> [b.text for b in _join_printed_lines(_segment(_body(_parse(f'<div class="page">{lines}</div>'))))]
    ['一、加强领导', '全市科技系统要深入学习贯彻落实好会议精神,提高认识。', '谢谢大家!']
    """
    widest: dict[etree._Element, int] = {}
    pages: dict[etree._Element, etree._Element | None] = {}
    for block in blocks:
        parent = block.owner.getparent()
        if parent is not None:
            widest[parent] = max(widest.get(parent, 0), len(block.text))
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and _next_printed_line(prev, block, widest, pages):
            prev.text += block.text
            prev.weight += block.weight
            prev.link_weight += block.link_weight
            continue
        out.append(block)
    return out


def _next_printed_line(prev: _Block, block: _Block, widest: dict, pages: dict) -> bool:
    """Whether `block` is the next printed line of the paragraph `prev` ends with: `prev` is
    as wide as the page's lines and leaves its sentence open, and `block` opens no heading or
    list item. (A sentence that ends at the margin ends the paragraph here: splitting a
    paragraph loses less than gluing two together.) Example: `_join_printed_lines`."""
    owner, before = block.owner, prev.owner
    parent = owner.getparent()
    if (owner is before or parent is None or before.getparent() is not parent or owner.tag != before.tag
            or owner.get("class") != before.get("class") or len(prev.text) < _FULL_LINE_SHARE * widest[parent]):
        return False
    if _page_of(parent, pages) is None or _HEADING_START.match(block.text) or _LIST_MARKER.match(block.text):
        return False
    return not _TERMINAL.search(prev.text)


def _score(blocks: list[_Block]) -> None:
    """Give every block its value: prose counts for its length, labels cost a little, link
    lists cost their length; and record the chain of elements each block lies in.

    A teaser — a summary under a linked headline, or one cut off with "……【详细】" — is
    worth a fifth: a list of them is a portal's index, not a document.

    >>> blocks = _segment(_body(_parse('<p>今年全市科技工作取得显著成绩。</p><p>一、加强领导</p><p><a href="/">首页</a></p>'
    ...     '<li><h3><a href="/1">科技局召开会议</a></h3><p>5月8日,市科技局召开全体干部会议,部署全年重点工作。</p></li>')))
    >>> _score(blocks); [b.value for b in blocks]
    [14.0, -1.0, -2.0, -7.0, 4.6]
    """
    previous = None
    for block in blocks:
        block.chain = [block.owner, *block.owner.iterancestors()]
        block.value = _block_value(block)
        if block.value > 0 and (_TEASER_END.search(block.text) or _follows_headline(block, previous)):
            block.value = round(block.value * _TEASER_DISCOUNT, 1)
            block.teaser = True
        block.list_value = _list_value(block)
        previous = block


def _follows_headline(block: _Block, previous: _Block | None) -> bool:
    """Whether a block comes right under a linked headline of the same list item or box.

    >>> blocks = _segment(_body(_parse('<li><a href="/1">科技局召开会议</a><p>市科技局召开全体干部会议。</p></li>')))
    >>> _score(blocks); _follows_headline(blocks[1], blocks[0])
    True
    """
    if previous is None or not previous.link_heavy or not 4 <= previous.weight <= 60:
        return False
    item = previous.owner if previous.owner.tag in ("li", "dt", "dd") else previous.owner.getparent()
    return item is not None and item in block.chain[:3] and item.tag not in ("body", "html")


def _block_value(block: _Block) -> float:
    """The value a block adds to the element that contains it (see `_score`).

    >>> _block_value(_Block("版权所有 © 2024 范文网 京ICP备12345678号", None, ""))
    -16.0
    """
    weight, text = block.weight, block.text
    if weight == 0:
        return 0.0
    if block.link_heavy:
        return -weight
    if len(text) < 100 and _FOOTER_LINE.search(text):
        return -weight
    # A short line is prose when it is punctuated and ends like a sentence (or a poem's line);
    # a headline has commas inside but ends bare: "越南河内一建筑起火,已致14死".
    if weight >= _PROSE_MIN_WEIGHT or (_SENTENCE_PUNCT.search(text) and _LINE_END.search(text)):
        return round(weight - 2 * block.link_weight, 1)
    return -_LABEL_COST


def _list_value(block: _Block) -> float:
    """A block's value on a page without prose: there a run of short unpunctuated lines (a
    table of contents, a list of names, an unpunctuated modern poem) is the text.

    >>> line = _Block("中国特色社会主义政治经济学视角下的中国式现代化道路", None, "")
    >>> line.value = _block_value(line); line.value, _list_value(line)
    (-1.0, 6.2)
    """
    if block.value != -_LABEL_COST or block.weight < _LABEL_MIN_WEIGHT:
        return block.value
    return round(_LABEL_SHARE * block.weight, 1)


def _best_container(blocks: list[_Block]) -> etree._Element:
    """The element whose blocks add up to the most; among equals, the deepest. On a page
    without a sentence of prose, the lines of a list count (`_list_value`).

    >>> body = _body(_parse('<div id="nav"><a href="/">首页</a><br><a href="/a">范文</a></div>'
    ...               '<div id="main"><p>同志们:</p><p>今年全市科技工作取得显著成绩。</p></div>'))
    >>> blocks = _segment(body); _score(blocks); _best_container(blocks).get("id")
    'main'
    """
    for attribute in ("value", "list_value"):
        scores, sums = _element_scores(blocks, attribute)
        best = max(scores.values(), default=0.0)
        if best >= _MIN_MAIN_WEIGHT:
            tied = [el for el, score in scores.items() if score >= best - 1e-6]
            chosen = max(tied, key=_depth)
            return _dense_core(chosen, scores, sums)
    raise NoMainContentError(
        "the page holds only navigation, links and site chrome: no part of it reads as a document"
    )


def _dense_core(chosen: etree._Element, scores: dict, sums: dict) -> etree._Element:
    """The part of the chosen element that holds nearly all its value, when the rest of it is
    a lot of text worth little (a stream of teasers under a short article) and holds no
    prose of note (a thread's replies, a second section of the article).

    >>> teasers = "".join(f'<li><a href="/{n}">第{n}篇相关文章</a><p>别的文章的摘要,写了很多别的事情,并不属于本文。</p></li>'
    ...                   for n in range(9))
    >>> body = _body(_parse(f'<div id="page"><div id="text"><p>今年全市科技工作取得显著成绩,高新技术企业数量增长两成。</p></div>'
    ...               f'<ul>{teasers}</ul></div>'))
    >>> blocks = _segment(body); _score(blocks); _best_container(blocks).get("id")
    'text'
    """
    best_inner = max(
        (el for el, score in scores.items() if score >= _CORE_SHARE * scores[chosen] and el is not chosen
         and chosen in el.iterancestors()),
        key=lambda el: (scores[el], _depth(el)), default=None,
    )
    if best_inner is None:
        return chosen
    extra_value = scores[chosen] - scores[best_inner]
    extra_weight = sums[chosen][0] - sums[best_inner][0]
    extra_prose = sums[chosen][1] - sums[best_inner][1]
    if extra_weight > 0 and extra_value < _CORE_DENSITY * extra_weight and extra_prose < _CORE_PROSE_SHARE * scores[best_inner]:
        return best_inner
    return chosen


def _depth(el: etree._Element) -> int:
    """How many elements an element lies in (<html> counts)."""
    return sum(1 for _ in el.iterancestors())


def _element_scores(blocks: list[_Block], attribute: str) -> tuple[dict, dict]:
    """Each element's sum of its blocks' values (plus the bonus of a content name), and the
    sums of its blocks' weights and of its prose (the value of positive blocks not teasers).

    >>> blocks = _segment(_body(_parse('<div class="content"><p>今年成绩显著。</p><p>一、加强领导</p></div>')))
    >>> _score(blocks); scores, sums = _element_scores(blocks, "value")
    >>> [(el.tag, scores[el], sums[el]) for el in blocks[0].chain[1:3]]
    [('div', 20.0, [11.0, 6.0]), ('body', 5.0, [11.0, 6.0])]
    """
    scores: dict[etree._Element, float] = {}
    sums: dict[etree._Element, list[float]] = {}
    for block in blocks:
        value = getattr(block, attribute)
        prose = value if value > 0 and not block.teaser else 0.0
        for el in block.chain:
            if el.tag == "html":
                break
            scores[el] = scores.get(el, 0.0) + value
            total = sums.setdefault(el, [0.0, 0.0])
            total[0] += block.weight
            total[1] += prose
    for el, score in scores.items():
        if score > 0 and _has_content_name(el):
            scores[el] = score + _CONTENT_NAME_BONUS
    return scores, sums


def _has_content_name(el: etree._Element) -> bool:
    """Whether an element's tag or class/id names it as the main content.

    >>> _has_content_name(_body(_parse('<div id="article_content">正文</div>'))[0])
    True
    """
    if el.tag in _CONTENT_TAGS or el.get("itemprop") == "articleBody":
        return True
    if el.get("class") is None and el.get("id") is None:
        return False
    return not _CONTENT_NAMES.isdisjoint(_names_of(el.get("class"), el.get("id"))[1])


def _outside(blocks: list[_Block], inside: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """The 30 blocks before the main content (where its date line is) and the 30 after it
    (where a preview notice is).

    >>> blocks = _segment(_body(_parse('<p>时间:2024-05-08</p><p>正文。</p><p>试读结束</p>')))
    >>> [[b.text for b in part] for part in _outside(blocks, blocks[1:2])]
    [['时间:2024-05-08'], ['试读结束']]
    """
    if not inside:
        return blocks[-30:], []
    first, last = blocks.index(inside[0]), blocks.index(inside[-1])
    return blocks[max(0, first - 30):first], blocks[last + 1 : last + 31]


def _keep_body_blocks(inside: list[_Block], title: str | None) -> tuple[list[_Block], list[Removal]]:
    """The main content's blocks minus link lists, footers, page numbers, and — at its head —
    the repeated title and the byline.

    >>> blocks = _segment(_body(_parse('<div><h1>在全市会议上的讲话</h1><p>发布时间:2024-05-08 来源:本站</p>'
    ...                           '<p>同志们:</p><p>- 2 -</p><p>今年成绩显著。</p></div>')))
    >>> kept, removals = _keep_body_blocks(blocks, "在全市会议上的讲话")
    >>> [b.text for b in kept], [r.rule for r in removals]
    (['同志们:', '今年成绩显著。'], ['page_title', 'date_line'])
    """
    kept: list[_Block] = []
    removals: list[Removal] = []
    at_head = True
    for index, block in enumerate(inside):
        text = block.text
        rule = None
        if block.link_heavy and block.weight < 200:
            rule = "link_list"
        elif len(text) < 100 and _FOOTER_LINE.search(text):
            rule = "site_footer"
        elif _PAGE_NUMBER.match(text) and block.owner.tag not in ("td", "th"):
            rule = "page_number"
        elif at_head:
            following = inside[index + 1].text if index + 1 < len(inside) else ""
            rule = _head_rule(text, following, title)
        if rule is None:
            kept.append(block)
            # The head ends at the first paragraph of prose (or after a few short lines).
            at_head = at_head and block.value <= 0 and len(kept) < 3
            continue
        if rule in ("page_title", "date_line", "page_info") or (rule == "link_list" and _looks_like_breadcrumb(text)):
            rule = "breadcrumb" if rule == "link_list" else rule
            removals.append(Removal(rule, text[:_MAX_REMOVAL_CHARS], _REASONS[rule]))
    return kept, removals


def _head_rule(text: str, following: str, title: str | None) -> str | None:
    """Which chrome a line at the head of the main content is: the title repeated, the date
    line, the byline — or None for a line of the document.

    A bare "时间:…" line is the page's date line, unless a short "label:" line without a date
    follows it: then it opens the document's own list of fields (a meeting's 时间/地点/主持).

    >>> _head_rule("发布时间:2024-05-08 来源:本站 浏览:120次", "同志们:", None)
    'date_line'
    >>> _head_rule("时间:2022-05-08 11:47:00", "年是中国共产党成立90周年……", None)
    'date_line'
    >>> _head_rule("时间:2023年10月9日下午3:00", "地点:社区居委会二楼会议室", None) is None
    True
    """
    if title and FILE_EXTENSION.sub("", _squash(text)) == _squash(title):
        return "page_title"
    if len(text) <= 120 and _BYLINE_LABEL.search(text):
        return "date_line" if _DATE.search(text) else "page_info"
    opens_fields = len(following) <= 60 and _FIELD_LINE.match(following) and not _DATE.search(following)
    if len(text) <= 40 and _DATE.search(text) and not opens_fields:
        rest = _DATE_LABEL.sub("", _DATE.sub("", text))
        if not _SENTENCE_PUNCT.search(rest):
            return "date_line"
    return None


def _cut_at_end_marker(blocks: list[_Block]) -> tuple[list[_Block], list[Removal]]:
    """Cut the main content at the line that closes a published article — "责任编辑:…",
    "免责声明:…", "…仅提供信息存储服务" — with what follows it (reactions, comments), provided
    it stands in the last half of the content and less prose follows it than precedes it.

    >>> blocks = _segment(_body(_parse('<p>今年全市科技工作取得显著成绩。</p><p>下一步要继续加大研发投入。</p>'
    ...                          '<p>(责任编辑:王明)</p><p>网友甲:写得很好,很有启发。</p>')))
    >>> _score(blocks); kept, removals = _cut_at_end_marker(blocks)
    >>> [b.text for b in kept], removals[0].rule
    (['今年全市科技工作取得显著成绩。', '下一步要继续加大研发投入。'], 'article_end')
    """
    for index in range(len(blocks) // 2, len(blocks)):
        text = blocks[index].text
        if len(text) <= _NOTICE_MAX_CHARS * 2 and _END_MARKER.search(text):
            before = sum(max(b.value, 0) for b in blocks[:index])
            after = sum(max(b.value, 0) for b in blocks[index + 1 :])
            if after < before:
                dropped = len(blocks) - index - 1
                note = text[:_MAX_REMOVAL_CHARS] + (f" (and {dropped} blocks after it)" if dropped else "")
                return blocks[:index], [Removal("article_end", note, _REASONS["article_end"])]
            break
    return blocks, []


def _drop_repeated_labels(blocks: list[_Block]) -> list[_Block]:
    """Drop short unpunctuated lines that recur three times or more: the buttons and labels
    every item of a thread carries ("举报", "关注", "展开全部"). Lines with a number or a
    "label:" and table cells are data ("成人票原价:30元", "亿元") and stay.

    >>> blocks = _segment(_body(_parse('<p>第一个回答写得很详细。</p><p>举报</p><p>第二个回答也不错。</p><p>举报</p>'
    ...                          '<p>第三个回答。</p><p>举报</p>')))
    >>> _score(blocks); [b.text for b in _drop_repeated_labels(blocks)]
    ['第一个回答写得很详细。', '第二个回答也不错。', '第三个回答。']
    """
    counts: dict[str, int] = {}
    for block in blocks:
        if (block.value <= 0 and len(block.text) <= _REPEATED_LABEL_CHARS and block.owner.tag not in ("td", "th")
                and not _DATA_LIKE.search(block.text)):
            counts[block.text] = counts.get(block.text, 0) + 1
    return [b for b in blocks if counts.get(b.text, 0) < _REPEATED_LABEL_TIMES]


def _find_preview_notice(kept: list[_Block], after: list[_Block]) -> tuple[bool, list[Removal], list[_Block]]:
    """Whether the page shows a preview cut-off notice; the notice leaves the body.

    >>> blocks = _segment(_body(_parse('<p>今年成绩显著。</p><p>预览阅读已结束,若您需要写相关文章,请扫码联系老师写作!</p>')))
    >>> truncated, removals, kept = _find_preview_notice(blocks, [])
    >>> truncated, [b.text for b in kept]
    (True, ['今年成绩显著。'])
    """
    removals: list[Removal] = []
    body: list[_Block] = []
    tail_start = max(0, len(kept) - 3)
    for index, block in enumerate(kept):
        if _is_preview_notice(block.text, near_end=index >= tail_start):
            removals.append(Removal("preview_notice", block.text, _REASONS["preview_notice"]))
        else:
            body.append(block)
    for block in after[:6]:
        if _is_preview_notice(block.text, near_end=True):
            removals.append(Removal("preview_notice", block.text, _REASONS["preview_notice"]))
    return bool(removals), removals, body


def _is_preview_notice(text: str, *, near_end: bool) -> bool:
    """Whether a line is a preview cut-off notice; "查看全文"-like ones only count at the end.

    >>> _is_preview_notice("还剩18页未读,继续阅读", near_end=False), _is_preview_notice("点击查看全文", near_end=False)
    (True, False)
    >>> _is_preview_notice("会议指出,大家要继续深入学习,他说试读结束以后还要讨论。", near_end=True)
    False
    """
    if len(text) > _NOTICE_MAX_CHARS:
        return False
    strong = _PREVIEW_STRONG.search(text)
    if strong and strong.start() <= _NOTICE_LEAD_CHARS:
        return True
    return near_end and len(text) <= 40 and bool(_PREVIEW_WEAK.search(text))


def _page_of(el: etree._Element, known: dict | None = None) -> etree._Element | None:
    """The document-viewer page an element lies on (`<div class="page">`), or None; `known`
    remembers the answer for every element passed on the way up.

    >>> root = _parse('<div class="reader"><div class="page" id="p1"><p>第一页</p></div></div>')
    >>> _page_of(root.find('.//p')).get("id")
    'p1'
    """
    known = {} if known is None else known
    passed = []
    page = None
    for node in (el, *el.iterancestors()):
        if node in known:
            page = known[node]
            break
        passed.append(node)
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if _PAGE_NAME.search(names) and not _NOT_PAGE_NAME.search(names):
            page = node
            break
    for node in passed:
        known[node] = page
    return page


def _join_viewer_pages(blocks: list[_Block]) -> list[_Block]:
    """Rejoin a paragraph that a document viewer cut at a page boundary.

    >>> html = ('<div class="page"><p>一、加强领导</p><p>全市科技系统要继</p></div>'
    ...         '<div class="page"><p>续保持全省第一。</p></div>')
    >>> [b.text for b in _join_viewer_pages(_segment(_body(_parse(html))))]
    ['一、加强领导', '全市科技系统要继续保持全省第一。']
    """
    out: list[_Block] = []
    pages = {}
    for block in blocks:
        page = _page_of(block.owner, pages)
        if out and page is not None:
            prev = out[-1]
            prev_page = pages[prev.owner]
            if (prev_page is not None and prev_page is not page and prev_page.tag == page.tag
                    and prev_page.get("class") == page.get("class") and _continues(prev.text, block.text)):
                prev.text = prev.text + (" " if prev.text[-1:].isascii() and block.text[:1].isascii() else "") + block.text
                continue
        out.append(block)
    return out


def _continues(before: str, after: str) -> bool:
    """Whether `after` goes on with the sentence that `before` leaves open.

    >>> _continues("全市科技系统要继", "续保持全省第一。"), _continues("一、加强领导", "全市要……")
    (True, False)
    """
    if _TERMINAL.search(before) or _HEADING_START.match(after) or _LIST_MARKER.match(after):
        return False
    return not (_HEADING_START.match(before) and len(before) <= 40)


def _merge_table_rows(blocks: list[_Block]) -> list[str]:
    """The blocks' texts, with a data table's cells joined into one line per row.

    >>> html = '<table><tr><td>项目</td><td>2023年</td></tr><tr><td>研发投入</td><td>10亿元</td></tr></table>'
    >>> _merge_table_rows(_segment(_body(_parse(html))))
    ['项目 2023年', '研发投入 10亿元']
    """
    per_owner: dict[etree._Element, int] = {}
    for block in blocks:
        per_owner[block.owner] = per_owner.get(block.owner, 0) + 1
    texts: list[str] = []
    previous: _Block | None = None
    for block in blocks:
        owner = block.owner
        if (previous is not None and owner.tag in ("td", "th") and previous.owner.tag in ("td", "th")
                and owner.getparent() is previous.owner.getparent() and owner is not previous.owner
                and per_owner[owner] == 1 and per_owner[previous.owner] == 1):
            texts[-1] += " " + block.text
        else:
            texts.append(_numbered(block))
        previous = block
    return texts


def _numbered(block: _Block) -> str:
    """A block's text, with the number a browser shows before an <ol> item.

    >>> _numbered(_segment(_body(_parse('<ol><li>加强领导</li><li>落实责任</li></ol>')))[1])
    '2. 落实责任'
    """
    owner = block.owner
    parent = owner.getparent()
    if owner.tag != "li" or parent is None or parent.tag != "ol" or _LIST_MARKER.match(block.text) or _HEADING_START.match(block.text):
        return block.text
    try:
        start = int(parent.get("start") or 1)
    except ValueError:
        start = 1
    return f"{start + sum(1 for s in owner.itersiblings(preceding=True) if s.tag == 'li')}. {block.text}"


# --------------------------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------------------------


def _choose_title(meta: dict[str, str], h1s: list[str], site: str | None) -> str | None:
    """The document's title: an <h1> the head agrees with, else og:title, <title> or the
    JSON-LD headline, with the site name taken off.

    >>> _choose_title({"title": "市科技局全年工作意见_工作意见_范文网"}, ["范文网", "市科技局全年工作意见"], None)
    '市科技局全年工作意见'
    >>> _choose_title({"og:title": "全市科技工作会议召开 | 新华网"}, [], "新华网")
    '全市科技工作会议召开'
    """
    stated = [FILE_EXTENSION.sub("", _strip_site_name(meta[k], site)) for k in ("og:title", "title", "ld:headline") if meta.get(k)]
    stated = [t for t in stated if t]
    h1s = [FILE_EXTENSION.sub("", h) for h in h1s]
    for h1 in h1s:
        if h1 and 2 <= len(h1) <= 150 and h1 != site and any(
            _squash(h1) == _squash(t) or (len(h1) >= 4 and _squash(t).startswith(_squash(h1))) for t in stated
        ):
            return h1
    if stated:
        return stated[0]
    return next((h for h in h1s if 4 <= len(h) <= 150 and h != site), None)


def _strip_site_name(title: str, site: str | None) -> str:
    """A page title without the site's name and the section names around it: the first part
    that is not a site's name ("…网", "…文库", the og:site_name). Empty when only the site's
    name is left.

    >>> _strip_site_name("在全省科技创新工作推进会上的汇报发言_汇报范文_好范文网", None)
    '在全省科技创新工作推进会上的汇报发言'
    >>> _strip_site_name("坚定信心——在全市大会上的讲话", None)
    '坚定信心——在全市大会上的讲话'
    >>> _strip_site_name("新华网 - 全市科技工作会议召开", "新华网"), _strip_site_name("雄安新区 - 维基百科,自由的百科全书", None)
    ('全市科技工作会议召开', '雄安新区')
    >>> _strip_site_name("-铜雀历史网", None)
    ''
    """
    segments = [s for s in _TITLE_SEPARATOR.split(title.strip()) if s]
    return next((s for s in segments if s != site and not (len(s) <= 30 and _SITE_LIKE.search(s))), "")


def _absolute_url(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL from a link, resolved against the page's URL when relative.

    >>> _absolute_url("/doc-123.html", "https://www.777doc.com/x.html"), _absolute_url("/doc-123.html", None)
    ('https://www.777doc.com/doc-123.html', None)
    """
    if not href:
        return None
    href = href.strip()
    if base and not href.startswith(("http://", "https://")):
        href = urljoin(base, href)
    parts = urlsplit(href)
    return href if parts.scheme in ("http", "https") and parts.netloc else None


def _parse_date(text: str) -> datetime | None:
    """The first date (and time) written in a text, naive, as shown; None if there is none.

    >>> _parse_date("2024-05-15T10:30:00+08:00"), _parse_date("发布时间:2022年5月8日")
    (datetime.datetime(2024, 5, 15, 10, 30), datetime.datetime(2022, 5, 8, 0, 0))
    """
    match = _DATE.search(text or "")
    if not match:
        return None
    f = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return datetime(f["y"], f["m"], f["d"], f.get("H", 0), f.get("M", 0), f.get("S", 0))
    except ValueError:
        return None


def _published_from_meta(meta: dict[str, str]) -> datetime | None:
    """The publication time the page's JSON-LD or <meta> tags state.

    >>> _published_from_meta({"article:published_time": "2024-05-15T10:30:00+08:00"})
    datetime.datetime(2024, 5, 15, 10, 30)
    """
    for key in ("ld:datepublished", *_DATE_META, "ld:datecreated"):
        if meta.get(key):
            found = _parse_date(meta[key])
            if found:
                return found
    return None


def _published_from_lines(texts: list[str]) -> datetime | None:
    """The time on a date line near the body: "发布时间:…", "时间:…", "日期:…".

    >>> _published_from_lines(["首页 > 工作意见", "时间:2022-05-08 11:47:00 来源:网友上传"])
    datetime.datetime(2022, 5, 8, 11, 47)
    """
    for text in texts:
        if len(text) <= 120 and _DATE_LABEL.search(text):
            found = _parse_date(text[_DATE_LABEL.search(text).start():])
            if found:
                return found
    for text in texts:
        if len(text) <= 40:
            found = _parse_date(text)
            if found:
                return found
    return None


# --------------------------------------------------------------------------------------------
# Site profiles
# --------------------------------------------------------------------------------------------


def _profile_for(host: str, profiles: tuple[SiteProfile, ...]) -> SiteProfile | None:
    """The profile of the site a host belongs to.

    >>> _profile_for("health.people.com.cn", SITE_PROFILES).domain
    'people.com.cn'
    """
    for profile in profiles:
        if host == profile.domain or host.endswith("." + profile.domain):
            return profile
    return None


@lru_cache(maxsize=256)
def _compiled(selector: str) -> etree.XPath:
    """A profile's CSS selector as compiled XPath (cssselect), once per selector."""
    from cssselect import HTMLTranslator  # only pages of a profiled site need it

    return etree.XPath(HTMLTranslator().css_to_xpath(selector))


def _select(body: etree._Element, selector: str) -> list[etree._Element]:
    """The elements a CSS selector matches, outermost only, in document order.

    >>> body = _body(_parse('<div class="rm_txt_con"><p>正文</p></div>'))
    >>> [el.get("class") for el in _select(body, "div.rm_txt_con, p")]
    ['rm_txt_con']
    """
    found = _compiled(selector)(body)
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def _body(root: etree._Element) -> etree._Element | None:
    """The page's <body> (libxml2 makes one for any page that has text).

    >>> _body(_parse("同志们好")).tag
    'body'
    """
    return root.find("body") if root.tag == "html" else None


def _text(el: etree._Element) -> str:
    """All the text inside an element, as it stands in the markup.

    >>> _text(_body(_parse("<p>同志们<b>好</b>!</p>")))
    '同志们好!'
    """
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _normalize_ws(text: str) -> str:
    """Collapse whitespace; a line break between two Chinese characters disappears.

    >>> _normalize_ws("\\u3000\\u3000全市科技\\n  创新工作\\xa0 会议 ")
    '全市科技创新工作 会议'
    """
    text = _ZERO_WIDTH.sub("", text)
    if "\n" in text:  # the look-behind scan costs 4 µs on a 150-character line without one
        text = _CJK_LINE_BREAK.sub("", text)
    return " ".join(text.split())  # str.split() and regex \s agree on what whitespace is


def _weight(text: str) -> float:
    """How much text a string holds: Chinese characters count 1, latin letters and digits 0.4.

    >>> _weight("2024年科技工作 plan")
    8.2
    """
    if len(text) >= _WEIGHT_BY_ARRAY_CHARS:
        return _weights([text])[0]
    return round(len(_NOT_CJK.sub("", text)) + _LATIN_WEIGHT * len(_NOT_LATIN.sub("", text)), 1)


def _weights(texts: list[str]) -> list[float]:
    """`_weight` of each text, counted in one NumPy pass over all of them: a page's ~90 block
    and link texts of ~50 characters cost ~5 µs each through the regexes, ~0.05 ms in all here.

    >>> _weights(["2024年科技工作 plan", "", "首页"]) == [_weight("2024年科技工作 plan"), 0.0, _weight("首页")]
    True
    """
    if not texts:
        return []
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    ends = np.cumsum(lengths)
    starts = ends - lengths

    def counts(ranges: tuple[tuple[int, int], ...]) -> list[int]:
        running = np.concatenate(([0], np.cumsum(_in_ranges(codes, ranges), dtype=np.int64)))
        return (running[ends] - running[starts]).tolist()

    return [round(cjk + _LATIN_WEIGHT * latin, 1) for cjk, latin in zip(counts(_CJK_RANGES), counts(_LATIN_RANGES))]


def _in_ranges(codes: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    inside = np.zeros(codes.shape, bool)
    for first, last in ranges:
        inside |= (codes >= first) & (codes <= last)
    return inside


def _squash(text: str) -> str:
    """Text without whitespace, for comparing a heading with a title.

    >>> _squash(" 在全市 会议上的讲话 ")
    '在全市会议上的讲话'
    """
    return _SPACES.sub("", text)
