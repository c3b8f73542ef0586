"""The responsibility clause language: every phrasing, bracket, role, rule, note, deadline,
leader and script form, each on a text written for this test with its exact reading."""

from __future__ import annotations

import pytest

from loaders.clauses import Clause, LeadRules, find_clauses, is_clause, merge_units, note_rule
from loaders.normalise import normalise

Units = list[tuple[str, str]]


def clauses(text: str, rules: LeadRules | None = None) -> list[Clause]:
    norm = normalise(text).text
    return find_clauses(norm, 0, len(norm), rules or LeadRules())


def units(text: str, rules: LeadRules | None = None) -> Units:
    return [(u.name, u.role) for u in merge_units(clauses(text, rules))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # unlabelled national forms
        (
            "加大稳岗支持力度。（人力资源社会保障部、财政部负责）",
            [("人力资源社会保障部", "shared"), ("财政部", "shared")],
        ),
        ("做好培训。（人力资源社会保障部等负责）", [("人力资源社会保障部", "sole")]),
        (
            "做好培训。（人力资源社会保障部、教育部等有关部门和单位负责）",
            [("人力资源社会保障部", "shared"), ("教育部", "shared")],
        ),
        (
            "完善机制。（海关总署、商务部等有关部门负责）",
            [("海关总署", "shared"), ("商务部", "shared")],
        ),
        ("加大激励。（国家发展改革委会同有关部门负责）", [("国家发展改革委", "lead")]),
        (
            "加大激励。（国家发展改革委、财政部会同有关部门负责）",
            [("国家发展改革委", "lead"), ("财政部", "lead")],
        ),
        (
            "加大激励。（教育部会同财政部、民政部负责）",
            [("教育部", "lead"), ("财政部", "support"), ("民政部", "support")],
        ),
        (
            "落实政策。（人力资源社会保障部、税务总局，各省级人民政府按职责分工负责）",
            [
                ("人力资源社会保障部", "shared"),
                ("税务总局", "shared"),
                ("各省级人民政府", "shared"),
            ],
        ),
        (
            "拓宽渠道。（商务部、农业农村部等和各有关省级人民政府负责）",
            [("商务部", "shared"), ("农业农村部", "shared"), ("各有关省级人民政府", "shared")],
        ),
        ("压实责任。（各省级人民政府负责）", [("各省级人民政府", "sole")]),
        ("抓好落实。（国务院各部门分别负责）", [("国务院各部门", "sole")]),
        # labelled forms
        (
            "做好。（责任单位：市人社局、市财政局）",
            [("市人社局", "shared"), ("市财政局", "shared")],
        ),
        (
            "做好。（牵头单位：市人社局；配合单位：市财政局、市教育局）",
            [("市人社局", "lead"), ("市财政局", "support"), ("市教育局", "support")],
        ),
        (
            "做好。（牵头责任单位：市发展改革委。协同责任单位：市财政局、市商务局等。）",
            [("市发展改革委", "lead"), ("市财政局", "support"), ("市商务局", "support")],
        ),
        (
            "做好。（市人社局牵头，市财政局、市民政局配合）",
            [("市人社局", "lead"), ("市财政局", "support"), ("市民政局", "support")],
        ),
        (
            "做好。（市人社局、市财政局牵头，市教育局、团市委参加）",
            [
                ("市人社局", "lead"),
                ("市财政局", "lead"),
                ("市教育局", "support"),
                ("团市委", "support"),
            ],
        ),
        ("做好。（市人社局、市财政局牵头负责）", [("市人社局", "lead"), ("市财政局", "lead")]),
        ("做好。（市人社局（牵头）、市财政局）", [("市人社局", "lead"), ("市财政局", "support")]),
        ("做好。（由市医保局牵头，市人社局配合）", [("市医保局", "lead"), ("市人社局", "support")]),
        # role words are not parts of names; 及 joins two units; 、，, mixed
        ("做好。（市人社局及市财政局负责）", [("市人社局", "shared"), ("市财政局", "shared")]),
        (
            "做好。（市人社局、市财政局，市教育局,团市委负责）",
            [
                ("市人社局", "shared"),
                ("市财政局", "shared"),
                ("市教育局", "shared"),
                ("团市委", "shared"),
            ],
        ),
        (
            "做好。（工业和信息化部、文化和旅游部负责）",
            [("工业和信息化部", "shared"), ("文化和旅游部", "shared")],
        ),
        # collectives are single units; units with places
        (
            "做好。（区级相关部门、各街道办事处负责）",
            [("区级相关部门", "shared"), ("各街道办事处", "shared")],
        ),
        ("做好。（各有关部门和单位按职责分工负责）", [("各有关部门和单位", "sole")]),
        (
            "做好。（人民银行上海总部、合肥海关、国家统计局济宁调查队按职责分工负责）",
            [
                ("人民银行上海总部", "shared"),
                ("合肥海关", "shared"),
                ("国家统计局济宁调查队", "shared"),
            ],
        ),
        # traditional characters: recognised, names as written
        (
            "做好。（牽頭單位：市財政局；配合單位：市人社局）",
            [("市財政局", "lead"), ("市人社局", "support")],
        ),
        (
            "做好。（市人社局、市財政局按職責分工負責）",
            [("市人社局", "shared"), ("市財政局", "shared")],
        ),
    ],
)
def test_phrasings(text: str, expected: Units) -> None:
    assert units(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("做好。（市人社局、市财政局负责）", "(市人社局、市财政局负责)"),
        ("做好。〔市人社局、市财政局负责〕", "〔市人社局、市财政局负责〕"),
        ("做好。[市人社局、市财政局负责]", "[市人社局、市财政局负责]"),
        ("做好。【市人社局、市财政局负责】", "【市人社局、市财政局负责】"),
        ("做好。＜市人社局、市财政局负责＞", "<市人社局、市财政局负责>"),
        ("做好。〈市人社局、市财政局负责〉", "〈市人社局、市财政局负责〉"),
        ("做好(市人社局、市财政局负责)。", "(市人社局、市财政局负责)"),
        # a missing closing bracket runs to the line end
        ("做好。（市人社局、市财政局负责。", "(市人社局、市财政局负责"),
    ],
)
def test_every_bracket_kind(text: str, expected: str) -> None:
    found = clauses(text)
    assert [c.text for c in found] == [expected]
    assert [(u.name, u.role) for u in found[0].units] == [
        ("市人社局", "shared"),
        ("市财政局", "shared"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("做好。（各县（市、区）人民政府负责）", [("各县(市、区)人民政府", "sole")]),
        (
            "做好。（市人社局、各县＜市、区＞人民政府负责）",
            [("市人社局", "shared"), ("各县<市、区>人民政府", "shared")],
        ),
        (
            "做好。【各市(州)人民政府、市财政局负责】",
            [("各市(州)人民政府", "shared"), ("市财政局", "shared")],
        ),
        (
            "做好。（责任单位：市人社局（牵头）、各县〔市、区〕人民政府）",
            [("市人社局", "lead"), ("各县〔市、区〕人民政府", "support")],
        ),
    ],
)
def test_brackets_nested_in_names(text: str, expected: Units) -> None:
    assert units(text) == expected


def test_unbracketed_clause_on_its_own_line() -> None:
    text = "做好就业服务。\n1.开展招聘。\n2.开展培训。\n责任单位：市行政审批局、住建局、司法局"
    found = clauses(text)
    assert [c.text for c in found] == ["责任单位:市行政审批局、住建局、司法局"]
    assert units(text) == [("市行政审批局", "shared"), ("住建局", "shared"), ("司法局", "shared")]


def test_labelled_lines_are_one_clause() -> None:
    text = "做好就业服务。\n牵头单位：市人社局\n责任单位：市财政局、市教育局"
    found = clauses(text)
    assert len(found) == 1
    assert found[0].text == "牵头单位:市人社局\n责任单位:市财政局、市教育局"
    assert units(text) == [("市人社局", "lead"), ("市财政局", "support"), ("市教育局", "support")]


def test_labelled_tail_on_the_title_line() -> None:
    assert units("做好。责任单位：市人社局、市财政局") == [
        ("市人社局", "shared"),
        ("市财政局", "shared"),
    ]


def test_clause_in_its_own_paragraph_after_sub_items() -> None:
    text = "加强帮扶。\n（1）开展帮扶。\n（2）兜底安置。\n（市人社局、市民政局按职责分工负责）"
    found = clauses(text)
    assert [c.text for c in found] == ["(市人社局、市民政局按职责分工负责)"]


def test_several_clauses_union_in_order_of_first_appearance() -> None:
    text = (
        "鼓励创新创业。推进改革。（市场监管总局负责）加强教育。（体育总局、教育部负责）"
        "推广技术。（体育总局、市场监管总局、科技部负责）"
    )
    assert len(clauses(text)) == 3
    assert units(text) == [
        ("市场监管总局", "sole"),
        ("体育总局", "shared"),
        ("教育部", "shared"),
        ("科技部", "shared"),
    ]


@pytest.mark.parametrize(
    ("first", "rule"),
    [
        (
            "（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）",
            "列第一位者为牵头单位,下同",
        ),
        (
            "（人力资源社会保障部、财政部负责，排在第一位的部门为牵头部门，下同）",
            "排在第一位的部门为牵头部门,下同",
        ),
        ("（人力资源社会保障部、财政部负责。排名第一位为牵头单位）", "排名第一位为牵头单位"),
        ("（人力资源社会保障部、财政部负责）（第一责任单位为牵头单位）", "第一责任单位为牵头单位"),
    ],
)
def test_lead_rules_apply_from_where_they_are_stated(first: str, rule: str) -> None:
    rules = LeadRules()
    found = clauses("稳定就业。" + first, rules)
    assert len(found) == 1
    assert found[0].rule == rule
    assert rules.active and rules.text == rule
    assert [(u.name, u.role) for u in found[0].units] == [
        ("人力资源社会保障部", "lead"),
        ("财政部", "support"),
    ]
    assert units("做好。（教育部、财政部、民政部负责）", rules) == [
        ("教育部", "lead"),
        ("财政部", "support"),
        ("民政部", "support"),
    ]
    # the first a collective: all shared; one unit: sole; stated roles stay
    assert units("做好。（各有关部门和单位，各省级人民政府负责）", rules) == [
        ("各有关部门和单位", "shared"),
        ("各省级人民政府", "shared"),
    ]
    assert units("做好。（财政部负责）", rules) == [("财政部", "sole")]
    assert units("做好。（农业农村部、工业和信息化部牵头负责）", rules) == [
        ("农业农村部", "lead"),
        ("工业和信息化部", "lead"),
    ]


def test_no_rule_before_it_is_stated() -> None:
    rules = LeadRules()
    assert units("做好。（教育部、财政部负责）", rules) == [
        ("教育部", "shared"),
        ("财政部", "shared"),
    ]
    assert not rules.active


def test_rule_in_a_sentence_beside_the_clause() -> None:
    rules = LeadRules()
    text = "各项任务中，列第一位者为牵头单位，下同。做好。（教育部、财政部负责）"
    assert units(text, rules) == [("教育部", "lead"), ("财政部", "support")]
    assert rules.text == "列第一位者为牵头单位,下同"


def test_notes_are_kept_never_units() -> None:
    found = clauses("做好。（责任单位：市人社局。具体任务均涉及相关市（州）人民政府，不再做分工）")
    assert [(u.name, u.role) for u in found[0].units] == [("市人社局", "sole")]
    assert found[0].notes == ("具体任务均涉及相关市(州)人民政府,不再做分工",)
    found = clauses("做好。\n（以下政策措施均需各县区人民政府落实，不再单独列出）")
    assert len(found) == 1
    assert found[0].units == ()
    assert found[0].notes == ("以下政策措施均需各县区人民政府落实,不再单独列出",)
    assert not found[0].unparsed


@pytest.mark.parametrize(
    ("text", "deadline", "expected"),
    [
        ("做好。（市人社局负责，年内持续推进）", "年内持续推进", [("市人社局", "sole")]),
        ("做好。（责任单位：市人社局；时限要求：持续推进）", "持续推进", [("市人社局", "sole")]),
        (
            "做好。（市人社局、市财政局负责，2025年底前）",
            "2025年底前",
            [("市人社局", "shared"), ("市财政局", "shared")],
        ),
        ("做好。（市人社局负责，2025年6月底前完成）", "2025年6月底前完成", [("市人社局", "sole")]),
    ],
)
def test_deadlines_as_written(text: str, deadline: str, expected: Units) -> None:
    found = clauses(text)
    assert [c.deadline for c in found] == [deadline]
    assert units(text) == expected


def test_people_are_leaders_not_agencies() -> None:
    found = clauses("做好。（牵头单位：市人社局；牵头负责领导：王明）")
    assert [(u.name, u.role) for u in found[0].units] == [("市人社局", "lead")]
    assert found[0].leaders == ("王明",)
    found = clauses("做好。\n责任单位：市人社局、市财政局\n牵头负责领导：王明、李红")
    assert len(found) == 1
    assert found[0].leaders == ("王明", "李红")
    assert [u.name for u in found[0].units] == ["市人社局", "市财政局"]


def test_offsets_point_at_the_names() -> None:
    norm = normalise("做好。（牵头单位：市財政局；配合单位：各县（市、区）人民政府）").text
    found = find_clauses(norm, 0, len(norm), LeadRules())
    assert norm[found[0].start : found[0].end] == found[0].text
    for unit in found[0].units:
        assert norm[unit.start : unit.end] == unit.name


@pytest.mark.parametrize(
    "text",
    [
        "做好就业工作。",
        "做好。（此件公开发布）",
        "做好（见附件）。",
        "分别负责管理院校内证书的实施（技工院校内由人力资源社会保障行政部门负责），组织制定标准。",
        "企业达到标准（超过100人的企业达到15%）。",
        "联系。（联系单位：市人力资源社会保障局就业促进与失业保险处，51705964）",
        "各省（区、市）人民政府要加强领导。",
        "做好。（市人社局、市财政局）",
    ],
)
def test_not_clauses(text: str) -> None:
    assert clauses(text) == []


def test_clause_like_but_unreadable_is_reported() -> None:
    found = clauses("做好。（由企业自主负责）")
    assert len(found) == 1
    assert found[0].unparsed
    assert found[0].units == ()
    assert found[0].text == "(由企业自主负责)"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("(人力资源社会保障部、财政部负责)", True),
        ("人力资源社会保障部、财政部负责", True),
        ("责任单位:市人社局、市财政局", True),
        ("牵头单位:市人社局", True),
        ("市人社局牵头,市财政局配合。", True),
        ("此件公开发布", False),
        ("超过100人的企业达到15%", False),
        ("市、区", False),
        ("加大稳岗支持力度", False),
    ],
)
def test_is_clause(fragment: str, expected: bool) -> None:
    assert is_clause(fragment) is expected


def test_and_inside_names_is_no_connector() -> None:
    # 市文化和旅游局 is one unit although the vocabulary reads 市文化 as a stem
    assert units("做好。（责任单位：市文化和旅游局、市自然资源和规划局按职责分工负责）") == [
        ("市文化和旅游局", "shared"),
        ("市自然资源和规划局", "shared"),
    ]


def test_a_person_in_a_group_is_a_leader() -> None:
    found = clauses("做好。（张三副县长牵头，县人社局、县财政局配合）")
    assert found[0].leaders == ("张三副县长",)
    assert [(u.name, u.role) for u in found[0].units] == [
        ("县人社局", "support"),
        ("县财政局", "support"),
    ]
    found = clauses("做好。（牵头单位：县人社局；牵头负责领导：王五县委书记、李四）")
    assert found[0].leaders == ("王五县委书记", "李四")
    assert [(u.name, u.role) for u in found[0].units] == [("县人社局", "lead")]


def test_more_rule_and_label_forms() -> None:
    rules = LeadRules()
    found = clauses("做好。（市人社局、市财政局负责，各项任务第一个单位为牵头单位）", rules)
    assert found[0].rule == "第一个单位为牵头单位"
    assert [(u.name, u.role) for u in found[0].units] == [
        ("市人社局", "lead"),
        ("市财政局", "support"),
    ]
    assert units("做好。（牵头单位：市人社局 配合单位：市财政局）") == [
        ("市人社局", "lead"),
        ("市财政局", "support"),
    ]
    assert units("做好。（市人社局、市财政局分别牵头）") == [
        ("市人社局", "lead"),
        ("市财政局", "lead"),
    ]
    assert units("做好。（县发改局牵头，各乡镇（街道）配合）") == [
        ("县发改局", "lead"),
        ("各乡镇(街道)", "support"),
    ]
    # 各项任务 is no unit, so this is clause-like but unreadable
    assert [c.unparsed for c in clauses("做好。（各项任务负责）")] == [True]


def test_rule_stated_in_a_preamble() -> None:
    rules = LeadRules()
    text = normalise("各地区、各部门：各项任务中，排在第一位的部门为牵头部门。").text
    note_rule(text, 0, len(text), rules)
    assert rules.active and rules.text == "排在第一位的部门为牵头部门"
    assert units("做好。（教育部、财政部负责）", rules) == [
        ("教育部", "lead"),
        ("财政部", "support"),
    ]


def test_traditional_rule() -> None:
    rules = LeadRules()
    assert units("做好。（教育部、財政部負責。列第一位者為牽頭單位，下同）", rules) == [
        ("教育部", "lead"),
        ("財政部", "support"),
    ]
    assert rules.text == "列第一位者為牽頭單位,下同"


def test_a_stray_bracket_hides_no_clause() -> None:
    found = clauses("做好。对月收入<5000元的给予补贴。（市人社局负责）")
    assert [(c.text, c.unparsed) for c in found] == [("(市人社局负责)", False)]
