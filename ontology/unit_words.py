"""The words ``ontology.functions.read_unit`` reads unit names with: which endings name a
unit, which prefixes are places or levels, which look-alikes are prose. Data, not logic: the
next phrasing that fools the reader is a word added here (each table says what it is for,
with examples).
"""

from __future__ import annotations

from typing import Literal

Level = Literal["national", "provincial", "city", "county", "district"]


def words(text: str) -> frozenset[str]:
    """A table of words written as one space-separated string."""
    return frozenset(text.split())


#: A form ending in one of these names a unit; any other form is a *stem* (财政, 人社), read
#: only before 部门 (财政部门, 市人社部门), never as a unit by itself.
UNIT_END = frozenset("部厅局委会办署院行关联社心队团协处所站馆组室司台府")
#: Suffixes stripped from unit forms to get more stems (文化局 → 文化, for 文化部门).
STEM_SUFFIXES = ("委员会", "总局", "总署", "分局", "部", "厅", "局", "委", "署")
#: Not stems: 金融部门 are banks and regulators, 城市管理 and 城市居民 are not units.
NO_STEMS = words("金融 管理 园区管理 居民 村民 社区居民 村(居)民")
#: A prefix that is only one of these words says the level and names no place.
BARE: dict[str, Level | None] = {
    "国家": "national", "中央": "national", "全国": "national", "中国": "national",
    "中华全国": "national", "省": "provincial", "自治区": "provincial", "直辖市": "provincial",
    "特别行政区": "provincial", "市": "city", "州": "city", "自治州": "city", "盟": "city",
    "县": "county", "自治县": "county", "旗": "county", "自治旗": "county", "区": "district",
    "街道": "district", "乡": None, "镇": None, "乡镇": None, "地区": None, "地": None,
    "全省": "provincial", "本省": "provincial", "全市": "city", "本市": "city", "全县": "county",
    "本县": "county",
}  # fmt: skip
NOT_PLACES = ("城市", "城乡", "超市", "都市", "城镇", "村镇", "集镇", "辖区")  # end like places
#: The last word of a written place says its level (乡/镇: a level the type does not have).
PLACE_ENDS: tuple[tuple[str, Level | None], ...] = (
    ("特别行政区", "provincial"), ("自治区", "provincial"), ("直辖市", "provincial"),
    ("自治州", "city"), ("自治县", "county"), ("自治旗", "county"), ("街道", "district"),
    ("地区", "city"), ("省", "provincial"), ("市", "city"), ("州", "city"), ("盟", "city"),
    ("县", "county"), ("旗", "county"), ("区", "district"), ("镇", None), ("乡", None),
    ("苏木", None),
)  # fmt: skip
#: Short names of the provinces: a place even without 省 (山东人社厅, 山东银保监局).
PROVINCES = words(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 "
    "湖南 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾"
)
MARKER_CHARS = frozenset("省市县区州盟旗")  # 区县, 县市区: several levels at once
LEADING = ("各", "有关", "相关", "地方")
TRAILING = ("人民政府", "政府", "党委", "委", "直属", "直", "各", "有关", "相关", "所属", "级",
             "等", "地方")  # fmt: skip
RANGE = ("级及以上", "级以上", "及以上", "以上")  # 县级以上: no single level
STOP = frozenset("的了着是把被让要在不并为以及或与对由等各")  # never in a place: prose
#: head + place + one of these: 国家统计局济宁调查队, 人民银行上海总部, 共青团济南市委员会.
BRANCH = (
    "营业管理部", "特派员办事处", "中心支行", "调查总队", "调查队", "监管分局", "监管局", "委员会",
    "分中心", "办事处", "分行", "支行", "总部", "分局", "分会", "分署", "委",
)  # fmt: skip
#: Generic departments: 财政部门, 人力资源社会保障行政部门, 有关部门, 各有关部门和单位.
GENERIC = (
    "有关部门和单位", "相关部门和单位", "部门和单位", "有关部门", "相关部门", "行政部门",
    "主管部门", "有关单位", "相关单位", "成员单位", "部门", "单位", "部委",
)  # fmt: skip
PLURAL_WORDS = ("各", "有关", "相关", "以上")
PLURAL_ENDS = ("部门和单位", "成员单位", "部委")
#: Unknown names with these endings are still government units (空管委办公室, 北京冬奥组委).
KNOWN_ENDS = ("人民政府", "政府", "办公厅", "办公室", "委员会", "管委会", "组委会", "组委",
               "领导小组", "指挥部", "联席会议")  # fmt: skip
ORG_ENDS = (
    "委员会", "联合会", "办公室", "办公厅", "总局", "总部", "海关", "公司", "集团", "团委", "政府",
    "中心", "银行", "分行", "支行", "总行", "农行", "工行", "建行", "中行", "交行", "人行",
    "研究所", "派出所", "事务所", "交易所", "管理所", "服务所", "工作站", "服务站", "管理站",
    "办事处", "管理处", "领导小组", "工作组", "专班", "合作社", "联社", "出版社", "报社",
    "通讯社", "杂志社", "电视台", "电台", "图书馆", "档案馆", "博物馆", "文化馆", "美术馆",
    "科技馆", "纪念馆", "党组", "部", "厅", "局", "委", "办", "署", "会", "院", "队",
)  # fmt: skip
#: Words that end like a unit but are prose: 决策部署, 新格局, 服务大厅, 跨省通办, 全社会.
NOT_ORG = words(
    "全部 内部 外部 局部 干部 东部 西部 南部 北部 中部 基部 头部 底部 顶部 上部 下部 前部 后部 "
    "格局 布局 大局 全局 结局 开局 僵局 时局 定局 变局 新局 破局 出局 棋局 残局 大厅 餐厅 客厅 "
    "展厅 舞厅 歌厅 门厅 原委 举办 主办 承办 协办 创办 开办 兴办 申办 操办 督办 交办 转办 查办 "
    "代办 包办 帮办 领办 试办 合办 联办 停办 照办 批办 经办 快办 速办 即办 网办 通办 上办 近办 "
    "次办 好办 难办 部署 签署 连署 联署 社会 机会 体会 不会 将会 都会 理会 约会 领会 融会 附会 "
    "误会 开会 聚会 集会 招聘会 博览会 交流会 发布会 运动会 洽谈会 展销会 见面会 对接会 研讨会 "
    "座谈会 推介会 交易会 展览会 年会 晚会 峰会 例会 住院 出院 入院 庭院 排队 带队 组队 梯队 "
    "团队 插队 领队 为中心 市中心 数字政府 法治政府 服务型政府 廉洁政府 有为政府 诚信政府 "
    "透明政府 智慧政府 责任政府 整体政府"
)
NOT_ORG_LENGTHS = sorted({len(w) for w in NOT_ORG}, reverse=True)
PROSE_MARKS = frozenset("，。；：！？,.;:!?“”\"'")
NATIONAL_STARTS = ("国家", "国务院", "中央", "全国", "中国", "中华")
