"""The clean documents the HTML fixtures are rendered from: the five sample dumps' bodies and
short documents written for these tests (notices, speeches, reports, plans, a table, poems).

A document is a title, a date and a list of blocks:
    ("p", text)              a paragraph
    ("h", text)              a sub-heading
    ("ol", [item, ...])      a numbered list, rendered as <ol>: the reader sees "1. item"
    ("ul", [item, ...])      a list whose items carry their own numbers
    ("table", [[cell, ...]]) a data table: one line per row, cells joined by a space
    ("lines", [line, ...])   short lines in one paragraph, separated by <br> (a poem, a signature)

The texts below are typed with ASCII punctuation and turned into the full-width punctuation
Chinese documents use by `zh_punct` (so the source shows which character is meant).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

Block = tuple[str, object]


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    date: datetime
    blocks: list[Block]
    traditional: bool = False
    pages: list[str] | None = None  # the document's own page breaks (a viewer's pages), if known


_FULLWIDTH = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "!": "\uff01", "?": "\uff1f"}


def zh_punct(text: str) -> str:
    """ASCII punctuation typed in Chinese text becomes full-width; numbers keep theirs.

    >>> zh_punct("时间:上午9:30,地点:市政府(三楼)!") == "时间\uff1a上午9:30\uff0c地点\uff1a市政府\uff08三楼\uff09\uff01"
    True
    """
    text = re.sub(r"\(([^()]*)\)", lambda m: m.group(0) if re.search(r"[A-Za-z]", m.group(1)) else f"\uff08{m.group(1)}\uff09", text)
    return re.sub(r"(?<!\d)[,:;!?]|[,:;!?](?!\d)", lambda m: _FULLWIDTH[m.group(0)], text)


def _zh(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for kind, value in blocks:
        if kind == "table":
            out.append((kind, [[zh_punct(c) for c in row] for row in value]))
        elif isinstance(value, list):
            out.append((kind, [zh_punct(v) for v in value]))
        else:
            out.append((kind, zh_punct(value)))
    return out


def block_lines(block: Block) -> list[str]:
    """The lines a reader sees for one block (the expected text of the fixtures)."""
    kind, value = block
    if kind in ("p", "h"):
        return [value]
    if kind == "ol":
        return [f"{n}. {item}" for n, item in enumerate(value, start=1)]
    if kind == "table":
        return [" ".join(row) for row in value]
    return list(value)


# --------------------------------------------------------------------------------------------
# The five sample dumps: their obviously-body lines (site chrome, titles and notices left out)
# --------------------------------------------------------------------------------------------


def _seed_lines(name: str) -> list[str]:
    return [line.strip(" \u3000") for line in (SEEDS / name).read_text(encoding="utf-8").split("\n")]


def seed_documents() -> list[Document]:
    docs = []
    # 000: title, "下面是小编…" lead-in, body lines 3-25, then ",", 推荐访问, 下一篇.
    lines = _seed_lines("000_8a5872479eff3715.txt")
    docs.append(Document("seed000", "2023年在全市科技创新工作会议上讲话", datetime(2023, 2, 16, 9, 12),
                         [("p", line) for line in lines[2:25]]))
    # 001: title, date line, 导语 disclaimer, body lines 4-43, then 上一篇/下一篇.
    lines = _seed_lines("001_a92ca5ebc70222c7.txt")
    docs.append(Document("seed001", "市科技局全年工作意见", datetime(2022, 5, 8, 11, 47),
                         [("h" if len(line) < 60 and not line.endswith("。") else "p", line) for line in lines[3:43]]))
    # 002: breadcrumb, title twice, body from the salutation to "谢谢大家!", preview notice.
    lines = [line for line in _seed_lines("002_758b7c7220e85592.txt") if line]
    docs.append(Document("seed002", "在2024年全省科技创新工作推进会上的汇报发言", datetime(2024, 3, 21, 15, 30),
                         [("h" if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else "p", line)
                          for line in lines[3:17]]))
    # 003: banner, breadcrumb, then title and body glued on one line, then 本文标题/链接地址.
    lines = _seed_lines("003_545437275c2ff0a2.txt")
    title = "市委常委、市政府副市长在全市创新主体培育现场会上的讲话"
    assert lines[2].startswith(title)
    docs.append(Document("seed003", title, datetime(2024, 4, 2, 10, 5), [("p", lines[2][len(title):])]))
    # 004: a sharing notice, then 26 viewer pages numbered "1、" … "26、"; page 1 opens with the
    # compilation's title. The pages are kept: they are where the viewer breaks the text.
    lines = _seed_lines("004_84cd3a58cfc529e6.txt")
    title = "2021年全市科技工作会议讲话稿和共享全国文明城党课稿合编"
    pages = [re.sub(r"^\d+、", "", line) for line in lines[1:27]]
    assert pages[0].startswith(title)
    pages[0] = pages[0][len(title):]
    docs.append(Document("seed004", title, datetime(2021, 1, 26, 8, 0), [("p", "".join(pages))], pages=pages))
    return docs


# --------------------------------------------------------------------------------------------
# Short documents written for these tests
# --------------------------------------------------------------------------------------------

OWN = [
    Document("notice_meeting", "关于召开2024年全市安全生产工作会议的通知", datetime(2024, 3, 1, 16, 20), _zh([
        ("p", "各县(区)人民政府,市直有关单位:"),
        ("p", "经市政府同意,定于2024年3月8日召开全市安全生产工作会议。现将有关事项通知如下:"),
        ("h", "一、会议时间"),
        ("p", "2024年3月8日(星期五)上午9:00,会期半天。"),
        ("h", "二、会议地点"),
        ("p", "市政府三楼第一会议室。"),
        ("h", "三、参会人员"),
        ("ul", ["(一)各县(区)人民政府分管安全生产工作的负责同志;",
                "(二)市安委会各成员单位分管负责同志;",
                "(三)市属重点企业主要负责人。"]),
        ("h", "四、有关要求"),
        ("p", "请各参会单位于3月6日下午5:00前将参会人员名单报市安委办。参会人员须提前15分钟入场,会议期间请将手机调至静音状态。"),
        ("p", "联系人:王明,电话:0123-4567890。"),
        ("p", "特此通知。"),
        ("lines", ["XX市安全生产委员会办公室", "2024年3月1日"]),
    ])),
    Document("summary_library", "2023年市图书馆工作总结", datetime(2024, 1, 10, 9, 0), _zh([
        ("p", "2023年,市图书馆在市文化和旅游局的正确领导下,坚持以读者为中心,围绕全民阅读和公共文化服务体系建设,较好地完成了全年各项工作任务。现将一年来的工作总结如下:"),
        ("h", "一、主要工作成效"),
        ("p", "(一)服务效能稳步提升。全年接待读者42.6万人次,同比增长18%;外借图书31.2万册次,新办读者证6800余张。馆内自助借还设备使用率达到九成以上。"),
        ("p", "(二)阅读推广活动丰富多彩。全年举办“书香满城”系列讲座24场、亲子阅读活动56场、“4·23”世界读书日主题活动12场,线上线下参与群众超过10万人次。"),
        ("p", "(三)总分馆建设扎实推进。新建乡镇分馆3个、城市书房5家,实现图书通借通还,基层群众在家门口就能借到书、读好书。"),
        ("h", "二、存在的问题"),
        ("p", "一是馆舍面积不足,藏书空间趋于饱和;二是专业人才缺乏,数字化服务能力有待提高;三是少数基层分馆开放时间不够稳定。"),
        ("h", "三、2024年工作打算"),
        ("p", "2024年,我们将继续深化总分馆制改革,推进智慧图书馆建设,加强人才队伍培养,努力为全市群众提供更加优质便捷的公共文化服务。"),
    ])),
    Document("plan_clinic", "2024年社区卫生服务中心工作计划", datetime(2024, 1, 22, 14, 35), _zh([
        ("p", "为进一步提高社区卫生服务水平,满足辖区居民基本医疗和公共卫生服务需求,结合本中心实际,制定2024年工作计划如下。"),
        ("h", "一、工作目标"),
        ("p", "全年家庭医生签约服务覆盖率达到45%以上,重点人群签约率达到75%以上;65岁以上老年人健康管理率达到70%;高血压、糖尿病患者规范管理率均达到65%。"),
        ("h", "二、重点任务"),
        ("ul", ["1.做实家庭医生签约服务。组建8支家庭医生团队,实行网格化管理,每月至少开展一次入户随访。",
                "2.加强慢性病管理。建立慢病患者健康档案,定期开展血压、血糖监测和用药指导。",
                "3.抓好儿童和孕产妇保健。按时完成预防接种,做好孕产妇早孕建册和产后访视工作。",
                "4.提升中医药服务能力。推广针灸、推拿、拔罐等适宜技术,开设中医健康讲座。"]),
        ("h", "三、保障措施"),
        ("p", "中心成立工作领导小组,主任任组长,各科室负责人为成员。每季度召开一次工作推进会,对照目标查找差距,确保各项任务落到实处。"),
    ])),
    Document("speech_education", "在全市教育工作会议上的讲话", datetime(2023, 8, 28, 10, 0), _zh([
        ("p", "同志们:"),
        ("p", "今天召开全市教育工作会议,主要任务是总结过去一年的教育工作,分析当前面临的形势,部署新学年的重点任务。刚才,市教育局局长作了工作报告,我完全同意,请大家认真抓好落实。下面,我讲三点意见。"),
        ("h", "一、充分肯定成绩,坚定办好人民满意教育的信心"),
        ("p", "过去一年,全市新建、改扩建中小学校12所,新增学位1.5万个,“大班额”问题基本消除。学前教育普惠率达到88%,义务教育巩固率保持在99%以上。高考本科上线率再创新高,职业教育服务产业的能力明显增强。这些成绩来之不易,凝聚着全市广大教育工作者的心血和汗水。"),
        ("h", "二、聚焦重点难点,推动教育事业高质量发展"),
        ("p", "要坚持立德树人根本任务,把思想政治教育贯穿教育教学全过程。要持续推进“双减”工作,切实减轻学生过重的作业负担和校外培训负担。要加强教师队伍建设,完善教师培训和交流轮岗机制,让优秀教师愿意到农村学校任教。"),
        ("h", "三、强化组织保障,形成齐抓共管的工作合力"),
        ("p", "各级党委政府要把教育摆在优先发展的战略位置,做到经费优先保障、问题优先解决。各有关部门要各司其职、密切配合,为教育发展创造良好环境。"),
        ("p", "同志们,教育是国之大计、党之大计。让我们坚定信心、真抓实干,奋力开创全市教育事业发展新局面!"),
        ("p", "谢谢大家!"),
    ])),
    Document("report_duty", "2023年度个人述职报告", datetime(2023, 12, 29, 17, 10), _zh([
        ("p", "按照组织安排,现将本人2023年度履职情况报告如下,请予评议。"),
        ("h", "一、加强学习,不断提高政治素质和业务能力"),
        ("p", "一年来,我坚持把学习作为提升自身素质的首要任务,认真参加单位组织的各项学习活动,全年撰写学习笔记2万余字。同时注重业务知识学习,积极参加上级部门举办的业务培训,业务水平有了新的提高。"),
        ("h", "二、履职尽责,认真完成各项工作任务"),
        ("p", "在分管的综合办公室工作中,我坚持高标准、严要求,全年起草各类文稿60余篇,办理来文来电800余件,组织大型会议活动15次,未出现差错。"),
        ("h", "三、存在的不足和今后努力方向"),
        ("p", "回顾一年的工作,还存在一些不足:一是理论学习的系统性不够;二是深入基层调研的时间偏少;三是工作创新意识还需增强。今后,我将针对以上不足认真加以改进,努力把各项工作做得更好。"),
    ])),
    Document("plan_village_table", "XX镇农村人居环境整治实施方案", datetime(2023, 4, 12, 11, 0), _zh([
        ("p", "为深入推进农村人居环境整治,建设生态宜居美丽乡村,结合我镇实际,制定本实施方案。"),
        ("h", "一、总体目标"),
        ("p", "到2023年底,全镇农村生活垃圾收运处置体系实现全覆盖,卫生厕所普及率达到90%以上,村庄环境基本实现干净、整洁、有序。"),
        ("h", "二、任务分工"),
        ("table", [["序号", "工作任务", "责任单位", "完成时限"],
                   ["1", "生活垃圾治理", "镇环卫所", "2023年6月底"],
                   ["2", "农村厕所改造", "镇农业服务中心", "2023年9月底"],
                   ["3", "生活污水治理", "镇规划建设办", "2023年11月底"],
                   ["4", "村容村貌提升", "各村委会", "2023年12月底"]]),
        ("h", "三、工作要求"),
        ("p", "各村、各部门要提高思想认识,明确专人负责,严格按照时间节点推进工作。镇纪委将对工作落实情况进行督查,对工作不力的单位予以通报批评。"),
    ])),
    Document("poem_spring", "春日即景(外二首)", datetime(2022, 4, 5, 20, 30), _zh([
        ("h", "春日即景"),
        ("lines", ["东风吹过小河湾,", "柳絮飞时燕子还。", "最是一年春好处,", "桃花开遍远近山。"]),
        ("h", "夜读"),
        ("lines", ["一盏灯", "一本书", "窗外的雨声", "陪我读到天明"]),
        ("h", "乡愁"),
        ("lines", ["故乡的炊烟,", "是母亲的呼唤;", "村口的老树,", "是父亲的守望。"]),
        ("p", "作者附记:以上三首写于清明前后,记录的是回乡路上的所见所感。"),
    ])),
    Document("proposal_water", "关于节约用水的倡议书", datetime(2023, 3, 22, 8, 30), _zh([
        ("p", "广大市民朋友们:"),
        ("p", "水是生命之源、生产之要、生态之基。我市是水资源相对短缺的城市,人均水资源占有量不足全国平均水平的三分之一。节约用水,人人有责。为此,我们向全市市民发出如下倡议:"),
        ("ol", ["树立节水意识,自觉做节约用水的宣传者和实践者。",
                "养成良好习惯,随手关紧水龙头,杜绝长流水。",
                "推广使用节水器具,及时维修跑冒滴漏的用水设施。",
                "提倡一水多用,淘米水浇花、洗衣水冲厕。"]),
        ("p", "让我们从现在做起、从自己做起、从点滴做起,珍惜每一滴水,共同建设节水型城市!"),
        ("lines", ["XX市节约用水办公室", "2023年3月22日"]),
    ])),
    Document("essay_history", "学习党史心得体会", datetime(2021, 6, 18, 21, 0), _zh([
        ("p", "通过参加单位组织的党史学习教育,我系统学习了中国共产党一百年来的奋斗历程,深受教育、倍感振奋。"),
        ("p", "学习党史,让我更加深刻地认识到坚持党的领导的重要性。一百年来,党团结带领人民进行了艰苦卓绝的斗争,取得了举世瞩目的伟大成就。历史证明,没有中国共产党,就没有新中国,就没有中华民族伟大复兴。"),
        ("p", "学习党史,让我更加坚定了为人民服务的宗旨意识。作为一名基层工作人员,我要把学习成果转化为为群众办实事的实际行动,耐心倾听群众诉求,认真解决群众的急难愁盼问题。"),
        ("p", "学史明理、学史增信、学史崇德、学史力行。我将继续深入学习,不断提高自身素质,在本职岗位上作出新的更大贡献。"),
    ])),
    Document("rules_canteen", "学校食堂食品安全管理制度", datetime(2022, 9, 1, 8, 0), _zh([
        ("p", "第一条 为加强学校食堂食品安全管理,保障师生身体健康,根据《中华人民共和国食品安全法》等法律法规,结合我校实际,制定本制度。"),
        ("p", "第二条 学校校长是食堂食品安全第一责任人,分管副校长具体负责,食堂管理员负责日常管理工作。"),
        ("p", "第三条 食堂从业人员必须持有效健康证明上岗,每年进行一次健康检查。患有有碍食品安全疾病的人员,不得从事接触直接入口食品的工作。"),
        ("p", "第四条 采购食品及原料应当到证照齐全的供货单位采购,并索取购物凭证和检验合格证明,建立采购验收台账。"),
        ("p", "第五条 每餐次的每种菜品应当留样不少于125克,在冷藏条件下存放48小时以上,并做好留样记录。"),
        ("p", "第六条 本制度自发布之日起施行,由学校后勤处负责解释。"),
    ])),
    Document("minutes_meeting", "社区居委会第三季度工作例会会议纪要", datetime(2023, 10, 9, 15, 0), _zh([
        ("p", "时间:2023年10月9日下午3:00"),
        ("p", "地点:社区居委会二楼会议室"),
        ("p", "主持:社区党委书记张华"),
        ("p", "参加:社区“两委”班子成员、各网格长"),
        ("p", "会议听取了各网格第三季度工作情况汇报,研究部署了第四季度重点工作。现纪要如下:"),
        ("p", "一、会议认为,第三季度社区各项工作有序推进,老旧小区改造、垃圾分类、为老服务等工作取得明显成效,居民满意度进一步提升。"),
        ("p", "二、会议要求,第四季度要重点做好冬季安全隐患排查、困难群众走访慰问和年终考核准备工作。各网格长要加强日常巡查,发现问题及时上报。"),
        ("p", "三、会议决定,10月下旬在社区广场举办“邻里一家亲”重阳节主题活动,由文体委员牵头负责。"),
    ])),
    Document("stats_economy", "2023年全市主要经济指标完成情况", datetime(2024, 2, 5, 10, 30), _zh([
        ("p", "2023年,面对复杂严峻的外部环境,全市上下坚持稳中求进工作总基调,经济运行总体平稳、稳中有进。主要指标完成情况见下表。"),
        ("table", [["指标名称", "单位", "完成数", "同比增长(%)"],
                   ["地区生产总值", "亿元", "2856.3", "5.6"],
                   ["规模以上工业增加值", "亿元", "1021.7", "6.8"],
                   ["固定资产投资", "亿元", "1630.2", "4.1"],
                   ["社会消费品零售总额", "亿元", "1187.5", "7.3"],
                   ["一般公共预算收入", "亿元", "203.9", "5.2"]]),
        ("p", "从表中可以看出,工业和消费对经济增长的拉动作用明显增强,投资增速有所放缓。下一步,要着力扩大有效投资,持续激发消费潜力,推动经济实现质的有效提升和量的合理增长。"),
    ])),
    Document("speech_newyear", "在2024年新春团拜会上的致辞", datetime(2024, 2, 6, 18, 0), _zh([
        ("p", "各位领导、同志们、朋友们:"),
        ("p", "龙腾盛世辞旧岁,春回大地谱新篇。值此新春佳节即将到来之际,我代表局党组,向全体干部职工及家属致以新春的祝福!"),
        ("p", "过去的一年,我们攻坚克难、砥砺前行,各项工作都取得了新的成绩。这些成绩的取得,离不开大家的辛勤付出和无私奉献。在此,我向大家表示衷心的感谢!"),
        ("p", "新的一年,新的起点。让我们团结一心、再接再厉,以更加饱满的热情投入到工作中去,共同创造更加美好的明天!"),
        ("p", "最后,祝大家新春愉快、身体健康、阖家幸福、万事如意!"),
    ])),
]

# Traditional-Chinese documents (Hong Kong / Taiwan style), rendered in Big5 among others.
TRADITIONAL = [
    Document("trad_community", "關於舉辦社區中秋聯歡晚會的通知", datetime(2023, 9, 15, 14, 0), _zh([
        ("p", "各位社區居民:"),
        ("p", "為弘揚中華傳統文化,增進鄰里感情,本社區定於2023年9月28日(星期四)晚上7:00在社區活動中心舉辦中秋聯歡晚會。現將有關事項通知如下:"),
        ("p", "一、晚會內容包括猜燈謎、品月餅、親子手工及文藝表演等。"),
        ("p", "二、歡迎居民踴躍報名參加文藝表演,報名截止日期為9月22日。"),
        ("p", "三、請參加活動的居民注意安全,照顧好隨行的老人和兒童。"),
        ("p", "敬請各位居民互相轉告,準時參加。"),
        ("lines", ["社區發展協會", "2023年9月15日"]),
    ]), traditional=True),
    Document("trad_report", "年度義工服務工作報告", datetime(2024, 1, 8, 9, 30), _zh([
        ("p", "過去一年,本會義工隊在各界的支持下,堅持“服務社會、關愛他人”的宗旨,積極開展各項義工服務,取得了良好的社會效果。"),
        ("p", "全年共組織義工服務活動86次,參與義工1200餘人次,服務時數超過5000小時。服務對象包括獨居長者、殘障人士及低收入家庭兒童。"),
        ("p", "新的一年,我們將進一步完善義工培訓和激勵機制,擴大義工隊伍,為社區提供更多元、更專業的服務。"),
    ]), traditional=True),
]


def all_documents() -> list[Document]:
    return seed_documents() + OWN + TRADITIONAL
