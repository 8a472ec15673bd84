"""Render the clean documents of `documents.py` into scraped-looking HTML pages, with the
expected extraction next to each page.

    python -m tests.htmlpages.generate          # rewrites tests/htmlpages/cases/

Five site templates, each with the chrome its kind of site adds:

    portal   a 范文 portal: top bar, logo, search, menu, breadcrumb "首页 > …", date line,
             the editor's lead-in, 推荐访问 tags, 上一篇/下一篇, related teasers, sidebars, footer
    wenku    a document viewer: the text cut into <div class="page"> blocks (a paragraph runs on
             across a page break), page numbers, adverts between pages, and for longer
             documents a preview cut-off ("还剩N页未读") after the first pages; every third
             viewer renders printed lines (<div class="line">) instead of paragraphs
    oldsite  an old table-layout site in GB2312: nested tables, <font>, <br> lines, upper-case
             and unclosed tags, entities, "您现在的位置", 打印本页/关闭窗口
    modern   an HTML5 <article> page: og:*, JSON-LD datePublished, share bar, tags, comments,
             a sidebar; <h2>, <ol>, <table> and <blockquote> inside the article
    brlines  a bare page of <br>-separated lines (a personal page or a BBS export)

Encodings rotate per template, including pages whose <meta charset> lies (says UTF-8, is GBK;
says GB2312, is UTF-8), UTF-8 with a BOM, UTF-16 and Big5 (the traditional-Chinese documents).
Everything is deterministic: `random.Random` is seeded with the page's name, so the committed
cases are reproduced byte for byte (`tests/cleaners/test_html.py` checks it).

`<name>.expected.json` holds: title, text (paragraphs joined by "\\n"), source_url, site,
published_at (ISO, as the page shows it), is_truncated, encoding (the codec the bytes are in),
declared_charset (what the page claims), template.
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import datetime
from html import escape
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.htmlpages.documents import Document, all_documents, block_lines, zh_punct

CASES = Path(__file__).resolve().parent / "cases"
TEMPLATES = ("portal", "wenku", "oldsite", "modern", "brlines")

# (codec the bytes are in, charset the page declares); rotated over the documents of a template.
ENCODINGS = {
    "portal": [("utf-8", "utf-8"), ("gbk", "gbk"), ("gbk", "utf-8"), ("utf-8", "gb2312")],
    "wenku": [("gbk", "gbk"), ("utf-8", "utf-8"), ("gb18030", "gb2312")],
    "oldsite": [("gbk", "gb2312"), ("gbk", "gb2312"), ("gbk", "utf-8")],
    "modern": [("utf-8", "utf-8"), ("utf-8-sig", "utf-8")],
    "brlines": [("gb18030", "gbk"), ("utf-16", None), ("utf-8", None)],
}
TRADITIONAL_ENCODING = ("big5", "big5")

COLUMNS = ["讲话稿", "工作总结", "工作计划", "通知公告", "心得体会", "规章制度", "述职报告", "实施方案",
           "诗歌散文", "会议纪要", "倡议书", "致辞"]
OTHER_TITLES = [
    "2024年党风廉政建设工作总结", "在全县经济工作会议上的讲话", "关于开展安全生产大检查的通知",
    "2023年度民主生活会个人对照检查材料", "社区党支部书记述职报告", "学校2024年春季开学工作方案",
    "在庆祝建党103周年大会上的讲话", "2024年乡村振兴工作计划", "关于加强机关作风建设的实施意见",
    "优化营商环境工作情况汇报", "主题教育专题党课讲稿", "2024年妇联工作要点",
]
TEASER = ("今年以来,在上级党委的坚强领导下,我们坚持以习近平新时代中国特色社会主义思想为指导,"
          "认真贯彻落实各项决策部署,各项工作取得了新进展。现将有关情况报告如下")


def expected_text(doc: Document) -> str:
    return "\n".join(line for block in doc.blocks for line in block_lines(block))


def _indent(rng: random.Random) -> str:
    return rng.choice(["", "&nbsp;&nbsp;&nbsp;&nbsp;", "\u3000\u3000", "&#12288;&#12288;"])


def _block_html(block, rng: random.Random, *, p: str = "p", h: str = "h3") -> str:
    """One document block as ordinary HTML (portal, modern, wenku)."""
    kind, value = block
    if kind == "p":
        return f"<{p}>{_indent(rng)}{escape(value, quote=False)}</{p}>"
    if kind == "h":
        return f"<{h}>{escape(value, quote=False)}</{h}>" if rng.random() < 0.5 else f"<p><strong>{escape(value, quote=False)}</strong></p>"
    if kind in ("ol", "ul"):
        items = "".join(f"<li>{escape(item, quote=False)}</li>" for item in value)
        return f"<{kind}>{items}</{kind}>"
    if kind == "table":
        head, *rows = value
        th = "".join(f"<th>{escape(c, quote=False)}</th>" for c in head)
        trs = "".join("<tr>" + "".join(f"<td>{escape(c, quote=False)}</td>" for c in row) + "</tr>" for row in rows)
        return f'<table class="data" border="1" cellspacing="0"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'
    lines = "<br>\n".join(escape(line, quote=False) for line in value)
    return f"<p>{lines}</p>"


def _related_items(rng: random.Random, n: int, with_summary: bool) -> str:
    items = []
    for title in rng.sample(OTHER_TITLES, n):
        href = f"/article/{rng.randrange(10000, 99999)}.html"
        summary = f"<p>{TEASER[: rng.randrange(40, 80)]}……</p>" if with_summary else ""
        items.append(f'<li><a href="{href}" target="_blank">{title}</a>{summary}</li>')
    return "".join(items)


# --------------------------------------------------------------------------------------------
# (1) 范文 portal
# --------------------------------------------------------------------------------------------

PORTALS = [("好范文网", "www.haofanwen.example.com"), ("第一范文网", "www.diyifanwen.example.cn"),
           ("公文写作网", "gongwen.example.net")]


def render_portal(doc: Document, index: int, rng: random.Random, charset: str | None) -> tuple[str, dict]:
    site_name, host = PORTALS[index % len(PORTALS)]
    column = COLUMNS[index % len(COLUMNS)]
    url = f"https://{host}/{'fw'}{index % 7 + 1}/{rng.randrange(100000, 999999)}.html"
    has_og_site = index % 3 == 0
    content_class = rng.choice(["content", "article-content", "neirong", "con_txt"])
    date = doc.date
    title_tag = rng.choice([f"{doc.title}_{column}_{site_name}", f"{doc.title} - {site_name}", f"{doc.title}|{site_name}"])
    logo = (f'<h1 class="logo"><a href="/">{site_name}</a></h1>' if index % 2
            else f'<div class="logo"><a href="/"><img src="/static/logo.png" alt="{site_name}"></a></div>')
    nav = "".join(f'<li><a href="/c{n}/">{c}</a></li>' for n, c in enumerate(COLUMNS[:9]))
    body = "\n".join(_block_html(b, rng) for b in doc.blocks)
    lead_in = (f"<p>下面是小编为大家整理的{escape(doc.title)},供大家参考。</p>\n"
               if doc.key.startswith("seed") and index % 2 == 0 else "")
    notice = ""
    truncated = False
    if doc.key == "seed002":  # the sample dump ends with this notice, though the text is whole
        notice = '<div class="yulan"><p>预览阅读已结束,若您需要写相关文章,请扫码联系老师写作!</p><img src="/qr.png"></div>'
        truncated = True
    prev_title, next_title = rng.sample(OTHER_TITLES, 2)
    # Every third page has a box of teasers inside the article, under a plain class name.
    in_article = (f'<div class="list-box"><h3>相关范文推荐</h3><ul>{_related_items(rng, 4, with_summary=True)}</ul></div>'
                  if index % 3 == 1 else "")
    head_meta = f'<meta property="og:site_name" content="{site_name}">' if has_og_site else ""
    # The sidebar comes before the article in the markup on every other page (a left column).
    sidebar = (f'<div class="right">\n<div class="box"><div class="tit">热门文章</div><ul>{_related_items(rng, 8, with_summary=False)}</ul></div>\n'
               f'<div class="box"><div class="tit">最新更新</div><ul>{_related_items(rng, 8, with_summary=False)}</ul></div>\n'
               '<div class="ad"><a href="/vip"><img src="/ad.gif" alt="开通会员 免费下载"></a></div>\n</div>')
    charset_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{charset_meta}
<title>{escape(title_tag)}</title>
<meta name="keywords" content="{escape(doc.title)},{column},范文">
<meta name="description" content="{escape(expected_text(doc)[:70])}">
{head_meta}
<link rel="canonical" href="{url}">
<link href="/static/css/style.css" rel="stylesheet" type="text/css">
<script src="/static/js/jquery.min.js"></script>
<script>var _hmt = _hmt || [];(function() {{var hm = document.createElement("script");hm.src = "https://hm.example.com/hm.js?abc";}})();</script>
</head>
<body>
<div class="topbar"><div class="wrap">您好,欢迎访问{site_name}! <a href="/login">登录</a> | <a href="/reg">注册</a> <a href="/vip">开通VIP</a></div></div>
<div class="header wrap">{logo}
<div class="search"><form action="/search" method="get"><input type="text" name="q" placeholder="搜索范文"><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="main wrap">
{sidebar if index % 2 else ""}
<div class="left">
<div class="position">当前位置:<a href="/">首页</a> &gt; <a href="/c{index % 9}/">{column}</a> &gt; {escape(doc.title)}</div>
<div class="article">
<h1>{escape(doc.title)}</h1>
<div class="info">时间:{date:%Y-%m-%d %H:%M:%S} 来源:网友投稿 浏览:<span id="hits">{rng.randrange(100, 9999)}</span>次 <a href="/fav">收藏本文</a></div>
<div class="{content_class}">
{lead_in}{body}
</div>
{notice}
{in_article}
<div class="tags">推荐访问:<a href="/tag/1">{column}</a> <a href="/tag/2">工作</a> <a href="/tag/3">范文</a></div>
<div class="prenext"><p>上一篇:<a href="/a/1.html">{prev_title}</a></p><p>下一篇:<a href="/a/2.html">{next_title}</a></p></div>
</div>
<div class="xgwz"><h3>相关范文</h3><ul>{_related_items(rng, 6, with_summary=True)}</ul></div>
</div>
{"" if index % 2 else sidebar}
</div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/mianze">免责声明</a> | <a href="/sitemap.html">网站地图</a></p>
<p>Copyright &copy; 2015-2024 {host.removeprefix("www.")} 版权所有 京ICP备12345678号-1</p></div>
<script>document.getElementById("hits").innerHTML = "{rng.randrange(100, 9999)}";</script>
</body>
</html>
"""
    meta = {"title": doc.title, "source_url": url, "site": site_name if has_og_site else host.removeprefix("www."),
            "published_at": date, "is_truncated": truncated, "text": expected_text(doc)}
    return html, meta


# --------------------------------------------------------------------------------------------
# (2) document viewer (wenku style)
# --------------------------------------------------------------------------------------------

VIEWERS = [("文档库", "wenku.example.com", "page"), ("淘文档", "www.taowendang.example.com", "pdf-page"),
           ("易文库", "doc.example.org", "page-box")]
PAGE_CHARS = 900  # characters per viewer page when the document has no page breaks of its own
LINE_CHARS = 38   # characters per printed line in a viewer that renders lines


def _paginate(doc: Document) -> list[list[tuple[str, str]]]:
    """The document's lines cut into pages; a line that crosses a page end is split there."""
    if doc.pages:
        return [[("p", page)] for page in doc.pages]
    pages: list[list[tuple[str, str]]] = [[]]
    room = PAGE_CHARS
    for block in doc.blocks:
        kind = "h" if block[0] == "h" else "p"
        for line in block_lines(block):
            while len(line) > room and room > 0:
                pages[-1].append((kind, line[:room]))
                pages.append([])
                line, room = line[room:], PAGE_CHARS
            if line:
                pages[-1].append((kind, line))
                room -= len(line)
            if room <= 0:
                pages.append([])
                room = PAGE_CHARS
    return [page for page in pages if page]


def render_wenku(doc: Document, index: int, rng: random.Random, charset: str | None) -> tuple[str, dict]:
    site_name, host, page_class = VIEWERS[index % len(VIEWERS)]
    pages = _paginate(doc)
    shown = len(pages) if len(pages) <= 2 else max(2, math.ceil(len(pages) * 0.6))
    truncated = shown < len(pages)
    doc_id = rng.randrange(1000000, 9999999)
    url = f"https://{host}/doc-{doc_id}.html"
    ext = rng.choice([".docx", ".doc", ".pdf"])
    page_divs = []
    as_lines = index % 3 == 2  # a PDF-to-HTML viewer: one element per printed line
    for n, page in enumerate(pages[:shown], start=1):
        if as_lines:
            lines = "\n".join(f'<div class="line" style="top:{18 * k}px">{escape(text[i:i + LINE_CHARS], quote=False)}</div>'
                              for k, (kind, text) in enumerate(page) for i in range(0, len(text), LINE_CHARS))
        else:
            lines = "\n".join(f"<p class=\"{'title' if kind == 'h' else 'txt'}\">{escape(text, quote=False)}</p>" for kind, text in page)
        page_divs.append(f'<div class="{page_class}" id="pageContainer{n}" data-page-no="{n}">'
                         f'<div class="page-inner">\n{lines}\n</div><div class="page-num">- {n} -</div></div>')
        if n == 1 and shown > 1:
            page_divs.append('<div class="ad-between"><a href="/vip">开通VIP会员,免费下载本文档</a></div>')
    if truncated:
        notice = rng.choice([f"还剩{len(pages) - shown}页未读,继续阅读", f"剩余{len(pages) - shown}页未读,点击继续阅读",
                             "试读已结束,如需阅读全文请下载", f"免费预览已结束,剩余{len(pages) - shown}页可下载查看"])
        cutoff = (f'<div class="preview-end"><div class="mask"></div><p class="tip">{zh_punct(notice)}</p>'
                  f'<a class="btn-download" href="/down/{doc_id}">下载文档</a></div>')
    else:
        cutoff = f'<div class="doc-end"><a class="btn-download" href="/down/{doc_id}">下载文档</a></div>'
    og = f'<meta property="og:title" content="{escape(doc.title)}">' if index % 2 == 0 else ""
    charset_meta = f'<meta charset="{charset}">' if charset else ""
    info = zh_punct(f"上传时间:{doc.date:%Y-%m-%d} 页数:{len(pages)}页 大小:{rng.randrange(20, 900)}KB 下载:{rng.randrange(0, 500)}次")
    html = f"""<!DOCTYPE html>
<html>
<head>
{charset_meta}
<title>{escape(doc.title)}{ext}-{site_name}</title>
{og}
<link rel="canonical" href="{url}">
<script>window.pageConfig = {{docId: "{doc_id}", pageCount: {len(pages)}, freePage: {shown}}};</script>
<style>.{page_class}{{width:800px;margin:0 auto 10px;background:#fff}}</style>
</head>
<body>
<div class="header"><a class="logo" href="/">{site_name}</a><ul class="menu"><li><a href="/">首页</a></li><li><a href="/c/1">办公文档</a></li><li><a href="/c/2">教育文档</a></li><li><a href="/c/3">行业资料</a></li></ul>
<a href="/upload">上传文档</a> <a href="/login">登录</a></div>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/c/1">办公文档</a> &gt; <a href="/c/1/3">{COLUMNS[index % len(COLUMNS)]}</a></div>
<div class="doc-main">
<div class="doc-head"><h1 class="doc-title">{escape(doc.title)}{ext}</h1><div class="doc-info">{info}</div></div>
<div class="reader" id="reader">
{chr(10).join(page_divs)}
</div>
{cutoff}
<div class="related-docs"><h3>相关文档</h3><ul>{_related_items(rng, 6, with_summary=False)}</ul></div>
</div>
<div class="footer">{site_name} 版权所有 &copy; 2024 客服QQ:800000000</div>
</body>
</html>
"""
    visible = "".join(text for page in pages[:shown] for _, text in page) if doc.pages else None
    text = visible if visible is not None else _visible_text(doc, pages[:shown])
    meta = {"title": doc.title, "source_url": url, "site": host.removeprefix("www."),
            "published_at": datetime(doc.date.year, doc.date.month, doc.date.day),
            "is_truncated": truncated, "text": text}
    return html, meta


def _visible_text(doc: Document, pages: list[list[tuple[str, str]]]) -> str:
    """The document's lines as far as the shown pages go (a cut line ends where the page did)."""
    shown = "".join(text for page in pages for _, text in page)
    lines, used = [], 0
    for block in doc.blocks:
        for line in block_lines(block):
            if used >= len(shown):
                return "\n".join(lines)
            lines.append(line[: len(shown) - used])
            used += len(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# (3) old table-layout site
# --------------------------------------------------------------------------------------------

OLD_SITES = ["XX市科学技术局", "XX县人民政府网", "XX区教育信息网"]
_ENTITIES = {"“": "&ldquo;", "”": "&rdquo;", "—": "&mdash;", "…": "&hellip;", "·": "&middot;"}


def _old_escape(text: str) -> str:
    text = escape(text, quote=False)
    for char, entity in _ENTITIES.items():
        text = text.replace(char, entity)
    return text


def render_oldsite(doc: Document, index: int, rng: random.Random, charset: str | None) -> tuple[str, dict]:
    site_name = OLD_SITES[index % len(OLD_SITES)]
    rows = []
    for kind, value in doc.blocks:
        if kind == "table":
            cells = "".join("<TR>" + "".join(f"<TD align=center>{_old_escape(c)}</TD>" for c in row) + "</TR>" for row in value)
            rows.append(f"<TABLE border=1 cellSpacing=0 cellPadding=2 width=\"90%\" align=center>{cells}</TABLE>")
        elif kind == "h":
            rows.append(f"<B>{_old_escape(value)}</B><BR>")
        else:
            rows.extend(f"&nbsp;&nbsp;&nbsp;&nbsp;{_old_escape(line)}<BR>" for line in block_lines((kind, value)))
    body = "\n".join(rows)
    charset_meta = f'<META http-equiv=Content-Type content="text/html; charset={charset}">' if charset else ""
    date_line = zh_punct(f"发布日期:{doc.date.year}年{doc.date.month}月{doc.date.day}日")
    related = "".join(f'&middot; <A href="show.asp?id={n}" target=_blank>{tl}</A><BR>' for n, tl in enumerate(rng.sample(OTHER_TITLES, 3)))
    links = "".join(f"<TR><TD height=24>&middot; <A href=\"list.asp?id={n}\">{c}</A></TD></TR>" for n, c in enumerate(COLUMNS[:8]))
    html = f"""<HTML>
<HEAD>
<TITLE>{_old_escape(doc.title)}-{site_name}</TITLE>
{charset_meta}
<LINK href="css/css.css" type=text/css rel=stylesheet>
<SCRIPT language=javascript src="js/menu.js"></SCRIPT>
</HEAD>
<BODY leftMargin=0 topMargin=0>
<TABLE width=778 border=0 align=center cellPadding=0 cellSpacing=0>
<TR><TD><IMG height=120 src="images/banner.jpg" width=778></TD></TR></TABLE>
<TABLE width=778 border=0 align=center cellPadding=0 cellSpacing=0 bgColor=#0066cc>
<TR><TD height=28 align=center><A href="index.asp"><FONT color=#ffffff>首 页</FONT></A> | <A href="list.asp?id=1"><FONT color=#ffffff>机构设置</FONT></A> | <A href="list.asp?id=2"><FONT color=#ffffff>政务公开</FONT></A> | <A href="list.asp?id=3"><FONT color=#ffffff>通知公告</FONT></A> | <A href="list.asp?id=4"><FONT color=#ffffff>办事指南</FONT></A></TD></TR></TABLE>
<TABLE width=778 border=0 align=center cellPadding=0 cellSpacing=0>
<TR>
<TD vAlign=top width=190 bgColor=#f0f6ff>
<TABLE width="100%"><TR><TD class=title height=30><B>栏目导航</B></TD></TR>{links}</TABLE>
<TABLE width="100%"><TR><TD height=30><B>友情链接</B></TD></TR><TR><TD><SELECT onchange="window.open(this.value)"><OPTION selected>--政府网站--</OPTION><OPTION value="http://www.gov.example.cn">中国政府网</OPTION></SELECT></TD></TR></TABLE>
</TD>
<TD vAlign=top width=588>
<TABLE width="100%" border=0><TR><TD height=30>&nbsp;您现在的位置:<A href="index.asp">首页</A> &gt;&gt; <A href="list.asp?id=3">通知公告</A> &gt;&gt; 正文</TD></TR></TABLE>
<TABLE width="96%" align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD align=center height=50><FONT style="FONT-SIZE: 18px" color=#cc0000><B>{_old_escape(doc.title)}</B></FONT></TD></TR>
<TR><TD align=center height=26 bgColor=#eeeeee>{date_line}&nbsp;&nbsp;点击数:<SCRIPT src="count.asp?id={index}"></SCRIPT>&nbsp;&nbsp;【<A href="javascript:window.print()">打印本页</A>】【<A href="javascript:window.close()">关闭窗口</A>】</TD></TR>
<TR><TD class=content style="LINE-HEIGHT: 200%"><FONT style="FONT-SIZE: 14px">
<P>
{body}
</FONT></TD></TR>
<TR><TD height=30><B>相关信息:</B><BR>{related}</TD></TR>
</TABLE>
</TD></TR></TABLE>
<TABLE width=778 border=0 align=center bgColor=#0066cc><TR><TD align=center height=60><FONT color=#ffffff>主办:{site_name} 地址:XX市人民路88号 电话:0123-1234567<BR>
Copyright &copy; 2006 All Rights Reserved 备案序号:X ICP备05001234号</FONT></TD></TR></TABLE>
</BODY>
</HTML>
"""
    meta = {"title": doc.title, "source_url": None, "site": None,
            "published_at": datetime(doc.date.year, doc.date.month, doc.date.day),
            "is_truncated": False, "text": expected_text(doc)}
    return html, meta


# --------------------------------------------------------------------------------------------
# (4) modern <article> page
# --------------------------------------------------------------------------------------------

MODERN_SITES = [("今日资讯", "news.example.com"), ("城市周报", "www.citynews.example.cn")]
MODERN_TRAD = [("社區週報", "www.community.example.hk")]
CHROME_TEXT = {
    False: {"home": "首页", "share": "分享到:", "wechat": "微信", "weibo": "微博", "tags": "标签:", "comments": "评论",
            "reply": "回复", "related": "相关阅读", "author": "作者", "rights": "版权所有", "login": "登录",
            "comment1": "写得很好,很有启发,学习了!", "comment2": "支持,期待更多这样的好文章。",
            "reporter": "本报记者", "user1": "网友甲", "user2": "网友乙", "tag": "社区",
            "nav": "要闻 政务 社会 文化 专题"},
    True: {"home": "首頁", "share": "分享到:", "wechat": "微信", "weibo": "微博", "tags": "標籤:", "comments": "評論",
           "reply": "回覆", "related": "相關閱讀", "author": "作者", "rights": "版權所有", "login": "登入",
           "comment1": "寫得很好,很有啟發,學習了!", "comment2": "支持,期待更多這樣的好文章。",
           "reporter": "本報記者", "user1": "網友甲", "user2": "網友乙", "tag": "社區",
           "nav": "要聞 政務 社會 文化 專題"},
}


def render_modern(doc: Document, index: int, rng: random.Random, charset: str | None) -> tuple[str, dict]:
    t = {k: zh_punct(v) for k, v in CHROME_TEXT[doc.traditional].items()}
    site_name, host = (MODERN_TRAD if doc.traditional else MODERN_SITES)[index % (1 if doc.traditional else 2)]
    path = f"/{doc.date:%Y/%m}/{rng.randrange(100000, 999999)}.html"
    url = f"https://{host}{path}"
    published = doc.date.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": doc.title,
                     "datePublished": published, "author": {"@type": "Person", "name": t["reporter"]},
                     "publisher": {"@type": "Organization", "name": site_name}}, ensure_ascii=False)
    canonical = f'<link rel="canonical" href="{path}">' if index % 2 else ""
    parts = []
    for kind, value in doc.blocks:
        if kind == "p" and len(value) < 200 and rng.random() < 0.15:
            parts.append(f"<blockquote><p>{escape(value, quote=False)}</p></blockquote>")
        else:
            parts.append(_block_html((kind, value), rng, h="h2"))
    article = "\n".join(parts)
    nav = "".join(f'<li><a href="/c/{n}">{c}</a></li>' for n, c in enumerate(t["nav"].split()))
    others = [d.title for d in all_documents() if d.traditional == doc.traditional and d.key != doc.key]
    related = "".join(f'<li><a href="/a/{n}.html">{escape(tl)}</a></li>' for n, tl in enumerate(rng.sample(others, min(4, len(others)))))
    charset_meta = f'<meta charset="{charset}">' if charset else ""
    # Every fourth page has a longer discussion under the article.
    said = [t["comment1"], t["comment2"]] + ([t["comment2"] + t["comment1"]] * 4 if index % 4 == 0 else [])
    comments = [f'<div class="comment"><span class="user">{t["user1"] if n % 2 == 0 else t["user2"]}</span>'
                f'<p>{text}</p><a href="#">{t["reply"]}</a></div>\n' for n, text in enumerate(said)]
    html = f"""<!doctype html>
<html lang="{'zh-Hant' if doc.traditional else 'zh-CN'}">
<head>
{charset_meta}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(doc.title)} | {site_name}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(doc.title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{site_name}">
{canonical}
<script type="application/ld+json">{ld}</script>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="post-template">
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><a class="brand" href="/">{site_name}</a><nav class="site-nav"><ul><li><a href="/">{t['home']}</a></li>{nav}</ul></nav><a class="login" href="/login">{t['login']}</a></header>
<main id="main" class="site-main">
<article class="post">
<header class="post-header"><h1 class="post-title">{escape(doc.title)}</h1>
<div class="post-meta"><time datetime="{published}">{doc.date:%Y-%m-%d %H:%M}</time> <span class="byline">{t['author']}:{t['reporter']}</span></div></header>
<div class="post-content">
{article}
</div>
<footer class="post-footer"><div class="share">{t['share']}<a href="#">{t['wechat']}</a> <a href="#">{t['weibo']}</a></div>
<div class="post-tags">{t['tags']}<a href="/tag/1">{t['tag']}</a></div></footer>
</article>
<section class="comments" id="comments"><h3>{t['comments']}({len(comments)})</h3>
{"".join(comments)}</section>
<aside class="sidebar"><h3>{t['related']}</h3><ul>{related}</ul></aside>
</main>
<footer class="site-footer"><p>&copy; 2024 {site_name} {t['rights']}</p></footer>
<div hidden class="modal"><p>{t['login']}</p></div>
<script>window.__INITIAL_STATE__ = {{"article": {{"id": {index}}}}};</script>
</body>
</html>
"""
    meta = {"title": doc.title, "source_url": url, "site": site_name, "published_at": doc.date.replace(second=0),
            "is_truncated": False, "text": expected_text(doc)}
    return html, meta


# --------------------------------------------------------------------------------------------
# (5) <br>-lines page
# --------------------------------------------------------------------------------------------


def render_brlines(doc: Document, index: int, rng: random.Random, charset: str | None) -> tuple[str, dict]:
    gap = "<br>\n" if index % 2 else "<br><br>\n"
    lines = [escape(line, quote=False) for block in doc.blocks for line in block_lines(block)]
    dated = index % 3 == 0
    date_line = zh_punct(f"日期:{doc.date:%Y-%m-%d}") + "<br>\n" if dated else ""
    back = "返回目錄" if doc.traditional else "返回目录"
    top = "回到頂部" if doc.traditional else "回到顶部"
    charset_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n' if charset else ""
    html = (f"<html>\n<head>\n{charset_meta}<title>{escape(doc.title)}</title>\n</head>\n"
            f'<body bgcolor="#FFFFFF" text="#000000">\n<a name="top"></a>\n'
            f"<center><b>{escape(doc.title)}</b></center>\n<hr size=1>\n{date_line}"
            + gap.join(lines) + "<br>\n"
            + f'<hr size=1>\n<center><a href="index.htm">{back}</a> | <a href="#top">{top}</a></center>\n'
            "</body>\n</html>\n")
    meta = {"title": doc.title, "source_url": None, "site": None,
            "published_at": datetime(doc.date.year, doc.date.month, doc.date.day) if dated else None,
            "is_truncated": False, "text": expected_text(doc)}
    return html, meta


RENDERERS = {"portal": render_portal, "wenku": render_wenku, "oldsite": render_oldsite,
             "modern": render_modern, "brlines": render_brlines}


def render_all() -> dict[str, bytes]:
    """Every case file, name -> bytes, in a stable order."""
    files: dict[str, bytes] = {}
    docs = all_documents()
    for template in TEMPLATES:
        eligible = [d for d in docs if not d.traditional or template in ("modern", "brlines")]
        for index, doc in enumerate(eligible):
            name = f"{template}-{doc.key}"
            rng = random.Random(name)
            codec, declared = TRADITIONAL_ENCODING if doc.traditional else ENCODINGS[template][index % len(ENCODINGS[template])]
            html, meta = RENDERERS[template](doc, index, rng, declared)
            files[f"{name}.html"] = html.encode(codec)  # strict: a character the codec lacks is a bug here
            published = meta["published_at"]
            expected = {
                "title": meta["title"], "text": meta["text"], "source_url": meta["source_url"], "site": meta["site"],
                "published_at": published.isoformat() if published else None, "is_truncated": meta["is_truncated"],
                "encoding": codec, "declared_charset": declared, "template": template,
            }
            files[f"{name}.expected.json"] = (json.dumps(expected, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def main() -> None:
    CASES.mkdir(exist_ok=True)
    files = render_all()
    for old in CASES.iterdir():
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (CASES / name).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files) // 2} pages ({total / 1024:.0f} KB) to {CASES}")


if __name__ == "__main__":
    main()
