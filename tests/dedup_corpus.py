"""A deterministic, labelled corpus for measuring duplicate detection.

Base documents are official speeches in the style of the 范文 sites: built from a bank of stock
sentences (shared by every document — "these speeches all sound alike"), topic stock sentences
(shared by every document of one topic) and content sentences filled with varied names, numbers
and projects. Different bases are therefore hard negatives: they share long stock phrases.

Each base may get copies with the edits scraped copies really show (a paragraph dropped or
added, `202x`→`2024`, `XX市`→ a city, a title line left in, half-/full-width punctuation, site
chrome left on, a truncated preview, a compilation of two bases), and some get a *revision*: a
different document that reuses under half of the base's paragraphs (the next year's speech) — a
harder negative still.

Labels: every document carries the base ids it contains (`bases`); the true clusters join bases
that a compilation holds together, since the dedup rule ("a document contained in another is a
duplicate of it") makes a compilation the canonical copy of both its parts.

>>> docs = make_corpus(40, seed=1)
>>> len({d.doc_id for d in docs}) == len(docs)
True
>>> docs == make_corpus(40, seed=1)
True
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"

# Global stock sentences: said in nearly every speech, whatever its topic.
GLOBAL_STOCK = (
    "以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党的二十大和二十届二中、三中全会精神",
    "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局",
    "在市委、市政府的坚强领导下，全市上下团结一心、攻坚克难，各项工作取得了显著成绩",
    "成绩来之不易，这是市委、市政府正确领导的结果，是各级各部门和广大干部群众共同努力的结果",
    "在肯定成绩的同时，我们也要清醒地看到存在的问题和不足",
    "各级各部门要进一步提高政治站位，切实增强做好工作的责任感和紧迫感",
    "要坚持问题导向，聚焦重点难点，拿出过硬举措，确保各项任务落地见效",
    "要强化组织领导，压紧压实工作责任，形成一级抓一级、层层抓落实的工作格局",
    "要加强督促检查，对工作不力、进展缓慢的，要严肃追责问责",
    "要大力弘扬求真务实、真抓实干的工作作风，以钉钉子精神抓好各项工作落实",
    "同志们，做好今年的工作，任务艰巨，责任重大，使命光荣",
    "让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力谱写中国式现代化建设的新篇章",
    "以更加饱满的热情、更加昂扬的斗志、更加务实的作风，推动各项工作迈上新台阶",
    "刚才，几位同志作了很好的交流发言，讲得都很好，我都同意",
    "请大家按照会议要求，结合各自实际，认真抓好贯彻落实",
    "这次会议是经市委、市政府同意召开的一次十分重要的会议",
    "主要任务是总结过去一年的工作，分析当前面临的形势，安排部署今年的重点任务",
    "当前，我们正处在爬坡过坎、转型升级的关键时期，机遇与挑战并存",
    "我们必须保持战略定力，坚定发展信心，善于在危机中育新机、于变局中开新局",
    "要坚持以人民为中心的发展思想，着力解决群众急难愁盼问题",
    "要树牢底线思维，统筹发展和安全，坚决守住不发生系统性风险的底线",
    "要加强干部队伍建设，不断提高干部队伍的政治素质和业务能力",
    "要持之以恒正风肃纪，驰而不息纠治“四风”，营造风清气正的政治生态",
    "要加强统筹协调，建立健全部门协同、上下联动的工作机制",
    "要加大宣传力度，及时总结推广好经验好做法，营造良好的社会氛围",
    "一分部署，九分落实，再好的蓝图也要靠实干来实现",
    "希望同志们珍惜荣誉、再接再厉，在新的起点上创造新的更大业绩",
    "今年是全面贯彻落实党的二十大精神的关键之年，做好今年的工作意义重大",
    "站在新的起点上，我们要以更高的标准、更实的举措、更严的作风推动工作",
    "下面，我讲几点意见",
)

OPENINGS = ("同志们：", "尊敬的各位领导，同志们：", "各位代表，同志们：", "同志们，朋友们：")
CLOSINGS = ("谢谢大家！", "我就讲这些，谢谢大家！", "今天我就讲这些。", "以上汇报，不妥之处请批评指正。")

TOPICS = (
    ("科技创新", ("高新技术企业", "科技型中小企业", "研发投入", "创新平台", "科技成果转化", "众创空间", "产学研合作", "关键核心技术")),
    ("安全生产", ("隐患排查治理", "危险化学品", "道路交通安全", "建筑施工安全", "消防安全", "应急救援队伍", "安全生产责任制", "重大危险源")),
    ("教育", ("义务教育", "学前教育", "职业教育", "教师队伍", "校舍改造", "课后服务", "教育质量", "集团化办学")),
    ("乡村振兴", ("高标准农田", "农村人居环境", "特色产业", "农民收入", "村集体经济", "脱贫人口", "农产品加工", "乡村治理")),
    ("招商引资", ("签约项目", "到位资金", "产业链招商", "重点客商", "投资环境", "项目落地", "招商队伍", "外资企业")),
    ("生态环境保护", ("大气污染防治", "水污染防治", "土壤污染防治", "河长制", "空气质量优良天数", "污水处理", "固体废物", "生态修复")),
    ("党风廉政建设", ("主体责任", "监督责任", "作风建设", "廉政教育", "巡察整改", "问题线索", "基层微腐败", "政治监督")),
    ("卫生健康", ("医共体", "公共卫生", "家庭医生签约", "分级诊疗", "基层医疗机构", "疾病预防控制", "健康城市", "医疗服务能力")),
    ("文化旅游", ("旅游接待人次", "旅游收入", "文化遗产保护", "公共文化服务", "景区提升", "文旅融合", "全域旅游", "文艺精品")),
    ("营商环境", ("审批事项", "一网通办", "市场主体", "减税降费", "政务服务", "信用体系", "涉企收费", "办事效率")),
    ("水利", ("水库除险加固", "农田水利", "防汛抗旱", "河道治理", "饮水安全", "水资源管理", "灌区改造", "堤防建设")),
    ("工业经济", ("规上工业增加值", "技术改造", "专精特新企业", "工业园区", "数字化转型", "产业集群", "制造业投资", "龙头企业")),
    ("统计", ("统计数据质量", "经济普查", "统计执法", "统计监测", "基层统计基础", "统计服务", "数据共享", "统计信息化")),
    ("民政", ("社会救助", "养老服务", "儿童福利", "社区治理", "殡葬改革", "社会组织", "慈善事业", "婚姻登记")),
    ("交通运输", ("公路建设", "农村公路", "公交优先", "物流体系", "交通执法", "治超工作", "港口建设", "运输服务")),
    ("政法", ("平安建设", "扫黑除恶", "矛盾纠纷化解", "执法司法", "网格化管理", "法治宣传", "社会治安", "信访工作")),
)

# Topic stock: every speech on one topic says these; `{t}` is the topic.
TOPIC_STOCK = (
    "{t}工作事关全局、事关长远，是推动高质量发展的重要支撑",
    "要把{t}工作摆在更加突出的位置，纳入重要议事日程，定期研究部署",
    "过去一年，全市{t}工作取得了新进展、新成效，为全市发展大局作出了积极贡献",
    "当前{t}工作还存在一些短板弱项，与上级要求和群众期盼相比还有差距",
    "要深刻认识做好新时代{t}工作的重大意义，切实把思想和行动统一到上级决策部署上来",
    "要健全{t}工作责任体系，把各项任务分解到单位、落实到岗位、明确到个人",
    "要推动{t}工作再上新台阶，努力在全省争先进位",
    "各级领导干部要带头研究{t}工作，亲自部署重要工作、亲自过问重大问题",
)

CITIES = ("南阳", "洛阳", "襄阳", "宜昌", "绵阳", "赣州", "潍坊", "临沂", "盐城", "泉州", "柳州", "遵义", "曲靖", "天水", "榆林", "衡阳")
PLACES = ("城关区", "开发区", "高新区", "东城区", "西城区", "北湖区", "南山县", "清河县", "青山镇", "XX县", "XX区", "XX镇")
ORGS = ("市发改委", "市财政局", "市工信局", "市住建局", "市农业农村局", "市商务局", "市人社局", "市自然资源局", "市市场监管局", "市应急管理局", "市数据局", "市文旅局")
COMPANIES = ("宏达", "恒信", "华泰", "金鼎", "瑞丰", "中联", "天元", "东方", "鑫源", "新华", "永安", "长城", "蓝天", "正大")
INDUSTRY = ("新材料", "电子信息", "生物医药", "装备制造", "绿色食品", "新能源汽车", "纺织服装", "现代物流", "精细化工", "光伏")
PERSONS = ("王建国", "李红梅", "张伟", "刘志强", "陈晓燕", "赵立军", "孙海涛", "周文斌", "吴丽华", "郑国庆", "XX")
VERBS = ("加快推进", "着力抓好", "深入实施", "持续深化", "大力推动", "全面落实", "扎实开展", "不断完善", "统筹推进", "加大")
RESULTS = ("提质增效", "走深走实", "取得突破", "提档升级", "见行见效", "全面起势", "量质齐升", "再上台阶")
ADJ = ("可复制、可推广", "行之有效", "特色鲜明", "群众满意", "具有示范意义")
STATUS = ("竣工投产", "开工建设", "完成主体工程", "进入设备安装阶段", "签订正式合同")
UNITS = ("家", "个", "项", "万元", "亿元", "人次", "公里", "亩")
NUMERALS = "一二三四五六七八九十"

# Word pools for content sentences. Real speeches of one genre share well under 2 % of their
# 6-grams (measured on the samples in seeds/); content drawn from big pools of short words keeps
# generated speeches near that, and the stock sentences above make the hard-negative tail.
W_NOUN = tuple(
    "产业 项目 企业 园区 平台 人才 资金 技术 服务 环境 质量 效益 结构 机制 体系 能力 水平 基础 设施 民生 "
    "就业 医疗 养老 住房 生态 文化 农业 农村 工业 商贸 物流 金融 财政 税收 投资 消费 出口 市场 主体 要素 "
    "资源 能源 数据 信息 网络 应用 场景 载体 品牌 标准 规划 布局 功能 品质 形象 治理 信用 风险 隐患 矛盾 "
    "群众 干部 队伍 作风 纪律 制度 政策 措施 任务 目标 指标 考核 督查 责任 改革 开放 转型 融合 协同 集群 "
    "龙头 骨干 示范 试点 样板 特色 优势 短板 瓶颈 难题 堵点 社区 街道 乡镇 村庄 学校 医院 道路 管网 河道 "
    "土地 厂房 仓储 园林 绿地 景区 窗口 热线 档案 统计 审批 执法 监管 预警 应急 储备 保供 价格 收入 订单".split()
)
W_VERB = tuple(
    "推进 推动 加快 强化 深化 优化 完善 健全 提升 提高 扩大 壮大 培育 发展 建设 打造 构建 落实 实施 开展 "
    "抓好 做好 用好 盘活 整合 激发 释放 夯实 巩固 拓展 延伸 补齐 破解 化解 防范 整治 规范 引导 支持 鼓励 "
    "保障 对接 引进 招引 储备 谋划 争取 申报 完成 实现 突破 压实 细化 统筹 协调 衔接 跟踪 督促 排查 清理".split()
)
W_ADV = ("切实", "全面", "持续", "着力", "大力", "积极", "稳步", "有序", "扎实", "深入", "不断", "进一步", "全力", "重点", "加快", "")
W_RESULT = ("取得明显成效", "实现新突破", "迈出新步伐", "呈现良好态势", "稳中有进", "好于预期", "位居全省前列", "走在全市前列",
            "群众满意度明显提升", "短板加快补齐", "基础更加牢固", "活力持续增强")
NAME_CHARS = "国建华明志伟军红梅丽强平海涛文斌立新春秋林峰宇晓燕芳敏静磊洋超勇杰涛鹏飞辉刚健凯"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
PLACE_CHARS = "东西南北中清河山阳城桥湖溪泉石岭坪塘庄湾川源安平宁兴隆丰和顺新长永富康乐福盛"

# Content sentences: filled with random names and numbers, so each is (nearly) unique.
CONTENT = (
    "{year}年，全市{noun}完成{num}{unit}，同比增长{pct}%",
    "{place}{company}投资{num}亿元的{industry}项目已{status}",
    "全年共{verb}{noun}{num}{unit}，{verb2}{noun2}{num2}个",
    "{person}同志带领{org}{verb}{noun}，形成了{adj}的工作经验",
    "要{verb}{noun}，{verb2}{noun2}，推动{noun3}{result}",
    "截至{month}月底，已累计{verb}{noun}{num}{unit}，完成年度目标任务的{pct}%",
    "{place}积极探索{noun}新模式，{verb}{noun2}，{noun3}{result}",
    "争取全年{noun}达到{num}{unit}，{noun2}突破{num2}亿元",
    "下一步，要重点抓好{noun}、{noun2}和{noun3}等工作，确保{month}月底前全面完成",
    "{org}牵头制定了《{city}市{noun}三年行动方案》，明确了{num2}项重点任务",
    "{company}集团{industry}产业园一期投产后，可实现年产值{num}亿元、税收{num2}亿元",
    "在{year}年全省{noun}考核中，我市位列第{rank}位，较上年前移{rank2}位",
    "{place}新建{noun}示范点{num2}个，带动{noun2}增加{num}{unit}",
    "针对{noun}中发现的{num2}个问题，{org}逐项建立台账，已整改{num3}个",
    "{person}主持召开{noun}专题会议{num3}次，协调解决{noun2}难题{num2}个",
    "{verb}{w1}{w2}，{v1}{w3}{w4}，{v2}{w5}{w6}，{result}",
    "{place}坚持{w1}{w2}与{w3}{w4}并重，{verb}{noun}，全年{v1}{w5}{num}{unit}",
    "围绕{noun}，{verb}{w1}{w2}{num2}项、{w3}{w4}{num3}个，{noun2}{result}",
    "{company}{verb}{w1}{w2}，{v1}{w3}{w4}投资{num}万元，{result}",
    "{person}反映的{w1}{w2}问题，{org}在{num3}个工作日内{v1}{w3}，{v2}{w4}{w5}",
    "{month}月以来，{place}{verb}{noun}，{v1}{w1}{w2}{num2}处，{v2}{w3}{w4}{num}{unit}",
    "对{w1}{w2}、{w3}{w4}、{w5}{w6}等{num2}类问题，{verb}{w1}{w3}，做到{v1}{w4}、{v2}{w2}",
    "要把{w1}{w2}作为{w3}{w4}的{w5}{w6}，{verb}{noun}，{v1}{noun2}",
)

HEADINGS = (
    "{n}、{verb}{noun}，推动{t}工作{result}",
    "{n}、聚焦{noun}，着力{verb}{noun2}",
    "{n}、坚持{noun}与{noun2}并重，{result}",
    "{n}、强化{noun}保障，确保{t}各项任务{result}",
)

CHROME_HEAD = ("下面是小编为大家整理的{title}，供大家参考。", "导语：{title}一文来源于网友上传，不代表本站观点，欢迎参考。")
CHROME_TAIL = ("推荐访问：{t} 讲话 工作 {title}", "本文标题：{title}\n链接地址：https://www.example{n}.com/doc-{n2}.html", "预览阅读已结束，若您需要写相关文章，请扫码联系老师写作！")

_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）", "%": "％"})
_FULL_TO_HALF = str.maketrans({v: k for k, v in {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}.items()})


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """One document of the corpus and its label: the base documents its text holds."""

    doc_id: str
    text: str
    is_truncated: bool
    char_count: int
    order: int
    bases: tuple[int, ...]
    kind: str  # base | revision | copy kinds joined by '+' | truncated | compilation


class _Slots(dict):
    """Fills a template's named slots lazily: only the slots a template names cost a draw."""

    def __init__(self, rng: random.Random, topic: int, year: int, placeholders: bool, stock_share: float = 0.15):
        super().__init__(t=TOPICS[topic][0])
        self.rng, self.topic, self.year, self.placeholders = rng, topic, year, placeholders
        self.stock_share = stock_share

    def __missing__(self, key: str) -> str:
        r = self.rng
        nouns = TOPICS[self.topic][1]
        if key.startswith("noun"):
            value = r.choice(nouns) if r.random() < 0.3 else r.choice(W_NOUN) + r.choice(W_NOUN)
        elif key.startswith("w"):  # w1, w2 …: a short generic noun
            value = r.choice(W_NOUN)
        elif key == "year":
            value = "202x" if self.placeholders and r.random() < 0.4 else str(self.year - r.randint(0, 1))
        elif key == "place":
            if self.placeholders and r.random() < 0.4:
                value = r.choice(("XX市", "XX县", "XX区"))
            else:
                value = r.choice(PLACE_CHARS) + r.choice(PLACE_CHARS) + r.choice(("县", "区", "镇", "乡", "街道"))
        elif key in ("num", "num2", "num3"):
            value = str(r.randint(2, 999 if key == "num" else 60))
        elif key == "pct":
            value = f"{r.randint(1, 99)}.{r.randint(0, 9)}"
        elif key in ("rank", "rank2", "month"):
            value = str(r.randint(1, 12))
        elif key in ("verb", "verb2"):
            value = r.choice(W_ADV) + r.choice(W_VERB) if r.random() < 0.5 else r.choice(VERBS)
        elif key.startswith("v"):  # v1, v2 …: a bare two-character verb
            value = r.choice(W_VERB)
        elif key == "person":
            value = "XX" if self.placeholders and r.random() < 0.2 else (
                r.choice(SURNAMES) + "".join(r.choice(NAME_CHARS) for _ in range(r.randint(1, 2))))
        elif key == "company":
            value = r.choice(PLACE_CHARS) + r.choice(NAME_CHARS) + r.choice(("", "科技", "实业", "集团", "股份"))
        elif key == "result":
            value = r.choice(RESULTS) if r.random() < 0.5 else r.choice(W_RESULT)
        else:
            value = r.choice(
                {"unit": UNITS, "org": ORGS, "company": COMPANIES, "industry": INDUSTRY, "person": PERSONS,
                 "result": RESULTS, "adj": ADJ, "status": STATUS, "city": CITIES}[key]
            )
        return value  # not stored: each use of a slot draws afresh


def _sentence(rng: random.Random, slots: _Slots) -> str:
    roll = rng.random() / slots.stock_share
    if roll < 0.5:
        return rng.choice(GLOBAL_STOCK)
    if roll < 1:
        return rng.choice(TOPIC_STOCK).format_map(slots)
    return rng.choice(CONTENT).format_map(slots)


def _paragraph(rng: random.Random, slots: _Slots) -> str:
    body = "。".join(_sentence(rng, slots) for _ in range(rng.randint(3, 7)))
    return body + "。"


def _base_lines(rng: random.Random, target_chars: int, stock_share: float = 0.15) -> tuple[str, list[str]]:
    """A title and the body lines of one new speech of about `target_chars` characters."""
    topic = rng.randrange(len(TOPICS))
    year = rng.randint(2019, 2024)
    slots = _Slots(rng, topic, year, placeholders=rng.random() < 0.6, stock_share=stock_share)
    title = f"在{year}年全市{TOPICS[topic][0]}工作会议上的讲话"
    lines = [rng.choice(OPENINGS), _paragraph(rng, slots)]
    size, section = len(lines[1]), 0
    while size < target_chars - 150:
        if section < 9 and (section == 0 or rng.random() < 0.3):
            slots["n"] = NUMERALS[section]
            lines.append(rng.choice(HEADINGS).format_map(slots))
            section += 1
        par = _paragraph(rng, slots)
        lines.append(par)
        size += len(par)
    lines.append("。".join((rng.choice(GLOBAL_STOCK[10:13]), rng.choice(CLOSINGS))))
    return title, lines


def _seed_bases() -> list[tuple[str, list[str]]]:
    """The sample files' bodies as bases: their first line is the title; chrome lines dropped."""
    chrome = ("下面是小编", "推荐访问", "上一篇", "下一篇", "导语", "时间:", "本文标题", "链接地址", "预览阅读",
              "首页 >", "当前位置", "您好,欢迎", "由会员分享")
    out = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        raw = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        body = [ln for ln in raw[1:] if len(ln) > 1 and not any(c in ln for c in chrome)]
        out.append((raw[0], body))
    return out


# --- edits a scraped copy shows -------------------------------------------------------------

def _edit_punct(rng, title, lines):
    table = _FULL_TO_HALF if rng.random() < 0.5 else _HALF_TO_FULL
    return ["  " + ln.translate(table) if rng.random() < 0.5 else ln.translate(table) for ln in lines]


def _edit_fill(rng, title, lines):
    city = rng.choice(CITIES)
    return [ln.replace("202x", "2024").replace("XX市", city + "市").replace("XX", city) for ln in lines]


def _edit_chrome(rng, title, lines):
    head = rng.choice(CHROME_HEAD).format(title=title)
    tail = rng.choice(CHROME_TAIL).format(title=title, t=title[-6:], n=rng.randint(1, 9), n2=rng.randint(10**6, 10**7))
    if rng.random() < 0.5:
        return [head, *lines]
    return [*lines, *tail.split("\n")]


def _edit_title(rng, title, lines):
    return [title + rng.choice(("", "（全文）", "范文", "讲话稿", "（3篇）")), *lines]


def _edit_drop(rng, title, lines):
    # a site drops a short paragraph, not a third of a short speech
    limit = 0.2 * sum(map(len, lines))
    small = [i for i in range(2, len(lines) - 1) if len(lines[i]) <= limit]
    if not small:
        return lines
    i = rng.choice(small)
    return lines[:i] + lines[i + 1:]


def _edit_add(rng, title, lines):
    slots = _Slots(rng, rng.randrange(len(TOPICS)), 2024, placeholders=False)
    i = rng.randint(1, len(lines))
    added = "。".join(_sentence(rng, slots) for _ in range(rng.randint(1, 4))) + "。"
    return lines[:i] + [added] + lines[i:]


EDITS = {"punct": _edit_punct, "fill": _edit_fill, "chrome": _edit_chrome, "title": _edit_title,
         "drop": _edit_drop, "add": _edit_add}


def _truncate(rng: random.Random, lines: list[str]) -> list[str]:
    """The first 30–60 % of the text, cut anywhere — as a preview page shows it."""
    text = "\n".join(lines)
    cut = int(len(text) * rng.uniform(0.3, 0.6))
    return text[:cut].split("\n")


def _revision(rng: random.Random, lines: list[str], target_chars: int, stock_share: float) -> list[str]:
    """A different speech that reuses at most 40 % of the body of `lines`, never two in a row."""
    _, fresh = _base_lines(rng, target_chars, stock_share)
    body = lines[2:-1]
    budget, out, prev_kept = int(0.4 * len(body)), [fresh[0], fresh[1]], True
    for i, ln in enumerate(body):
        keep = budget > 0 and not prev_kept and rng.random() < 0.8
        budget -= keep
        out.append(ln if keep else fresh[2 + i % max(1, len(fresh) - 3)])
        prev_kept = keep
    return out + [fresh[-1]]


def iter_corpus(n_bases: int, seed: int = 0, size_kb: tuple[float, float] = (2, 15),
                block: int = 200, use_seeds: bool = True, stock_share: float = 0.15) -> Iterator[LabelledDoc]:
    """Yield the labelled documents of `n_bases` bases in ingestion order, a block at a time.

    Memory stays at one block of bases. Within a block the documents arrive shuffled, so a
    truncated preview often arrives before its full text; one copy in ten waits for the next
    block. `size_kb` is the UTF-8 size range of a base (3 bytes a character). `stock_share` is
    the share of stock sentences: 0.15 puts the median pair of bases at 10 % shared 6-grams
    (the samples share under 2 %), 0.4 at 25 %, a stress test for candidate filtering.
    """
    rng = random.Random(seed)
    seeds = _seed_bases() if use_seeds else []
    order, delayed, base_id = 0, [], 0
    while base_id < n_bases:
        pending: list[tuple[list[str], bool, tuple[int, ...], str]] = []
        bases: list[tuple[int, str, list[str]]] = []
        for _ in range(min(block, n_bases - base_id)):
            target = int(rng.uniform(*size_kb) * 1024 / 3)
            title, lines = seeds[base_id] if base_id < len(seeds) else _base_lines(rng, target, stock_share)
            bases.append((base_id, title, lines))
            pending.append((lines, False, (base_id,), "base"))
            base_id += 1
            if rng.random() < 0.06 and base_id < n_bases:  # a revision: a hard negative
                pending.append((_revision(rng, lines, target, stock_share), False, (base_id,), "revision"))
                base_id += 1
        for bid, title, lines in bases:
            for _ in range(rng.choices((0, 1, 2, 3, 5), weights=(55, 20, 12, 8, 5))[0]):
                kinds = rng.sample(sorted(EDITS), rng.randint(1, 3))
                copy = lines
                for kind in kinds:
                    copy = EDITS[kind](rng, title, copy)
                truncated = rng.random() < 0.15
                if truncated:
                    copy = _truncate(rng, copy)
                    kinds.append("truncated")
                item = (copy, truncated, (bid,), "+".join(kinds))
                (delayed if rng.random() < 0.1 else pending).append(item)
        for _ in range(len(bases) // 25):  # compilations: two bases of the block in one file
            (ia, ta, la), (ib, tb, lb) = rng.sample(bases, 2)
            pending.append(([f"{ta}和{tb}合编", ta, *la, tb, *lb], False, (ia, ib), "compilation"))
        if base_id >= n_bases:
            pending += delayed
            delayed = []
        else:
            delayed, carry = [], delayed
            pending += carry
        rng.shuffle(pending)
        for lines, truncated, bases_of, kind in pending:
            text = "\n".join(ln for ln in lines if ln)
            yield LabelledDoc(f"doc{order:07d}", text, truncated, len(text), order, bases_of, kind)
            order += 1


def make_corpus(n_bases: int, seed: int = 0, **kwargs) -> list[LabelledDoc]:
    """All documents of `iter_corpus` as a list (for tests: a few thousand documents)."""
    return list(iter_corpus(n_bases, seed, **kwargs))


def truth_labels(docs: list[LabelledDoc]) -> dict[str, int]:
    """doc_id → true cluster: bases joined by the compilations that hold them together.

    >>> a = LabelledDoc("a", "", False, 0, 0, (1,), "base")
    >>> b = LabelledDoc("b", "", False, 0, 1, (2,), "base")
    >>> c = LabelledDoc("c", "", False, 0, 2, (1, 2), "compilation")
    >>> truth_labels([a, b])["a"] != truth_labels([a, b])["b"]
    True
    >>> len(set(truth_labels([a, b, c]).values()))
    1
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in docs:
        for b in d.bases[1:]:
            parent[find(b)] = find(d.bases[0])
    return {d.doc_id: find(d.bases[0]) for d in docs}


def pairwise_scores(pred: dict[str, object], truth: dict[str, object]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering: pairs put together vs pairs truly together.

    >>> pairwise_scores({"a": 1, "b": 1, "c": 2}, {"a": 1, "b": 1, "c": 1})
    (1.0, 0.3333333333333333)
    """
    from collections import Counter

    both = Counter((pred[k], truth[k]) for k in truth)
    p_sizes, t_sizes = Counter(pred[k] for k in truth), Counter(truth.values())

    def pairs(counts):
        return sum(n * (n - 1) // 2 for n in counts.values())

    tp, pp, tt = pairs(both), pairs(p_sizes), pairs(t_sizes)
    return (tp / pp if pp else 1.0, tp / tt if tt else 1.0)
