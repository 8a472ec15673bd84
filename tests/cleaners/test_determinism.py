"""The same bytes clean to the same documents in every process, whatever Python's string hash
seed: nothing in the cleaners may depend on the iteration order of a set of strings.

Each page below is cleaned in subprocesses run with different PYTHONHASHSEED values, and their
outputs (documents, titles, removals with rule and text) must be identical. A class attribute
with names of several chrome kinds ("nav recommend": navigation, which is not recorded, and
related links, which are) is the case that once came out differently from run to run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CASES = ROOT / "tests" / "htmlpages" / "cases"
DEV_PAGES = ROOT.parent / "shared" / "zh-extraction-dev" / "pages"

_MIXED_NAMES = """<html><head><title>关于加强科技创新工作的意见</title></head><body>
<div class="ad-feedback widthAd topQrcode">扫一扫下载客户端,领取会员福利</div>
<div id="hotlist_ad_1">热门推荐:某某讲话稿全文</div>
<div class="article-content">
<h1>关于加强科技创新工作的意见</h1>
<p>各区县人民政府,市政府各部门:为深入实施创新驱动发展战略,现就加强全市科技创新工作提出如下意见。</p>
<p>一、总体要求。坚持需求导向和问题导向,着力提升自主创新能力,加快建设创新型城市。</p>
<p>二、重点任务。培育创新主体,建设创新平台,集聚创新人才,优化创新生态。</p>
</div>
<div class="nav recommend">推荐阅读:2024年全市科技工作会议讲话稿</div>
<div class="ad hotnews">热点:某地科技创新大会召开</div>
<div class="share relate">相关文章:科技局年度工作总结</div>
<div class="pager rank">排行榜:科技工作汇报发言</div>
<div class="comment-list related-news">网友评论:写得很好,收藏了</div>
<div class="share-bar footer">分享到微信 | 微博 版权所有</div>
</body></html>"""

_SCRIPT = """
import json, sys
from pathlib import Path
from cleaners.pipeline import clean_file

out = []
for path in sys.argv[1:]:
    raw = Path(path).read_bytes()
    result = clean_file(raw, Path(path).name)
    out.append([result.error_code, [[d.title, d.text, d.is_truncated, [[r.rule, r.text] for r in d.removals]]
                                    for d in result.documents]])
print(json.dumps(out, ensure_ascii=False))
"""


def _clean_with_seed(paths: list[Path], seed: int) -> list:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    result = subprocess.run([sys.executable, "-c", _SCRIPT, *map(str, paths)], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=300, check=True)
    return json.loads(result.stdout)


def test_cleaning_does_not_depend_on_the_hash_seed(tmp_path):
    mixed = tmp_path / "mixed-names.html"
    mixed.write_text(_MIXED_NAMES, encoding="utf-8")
    pages = [mixed, *sorted(CASES.glob("*.html")), *sorted((ROOT / "seeds").glob("*.txt"))]
    if DEV_PAGES.is_dir():
        pages += sorted(DEV_PAGES.glob("*.html"))
    first = _clean_with_seed(pages, 1)
    assert first[0][1], "the page with mixed class names should give a document"
    for seed in (2, 3, 4):
        again = _clean_with_seed(pages, seed)
        differing = [str(path) for path, a, b in zip(pages, first, again) if a != b]
        assert differing == [], f"PYTHONHASHSEED={seed} changed the output of {differing}"
