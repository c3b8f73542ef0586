"""Generated clauses (random units, connectors, role words, brackets, rules, scripts) parse
back to exactly the units and roles that generated them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.clauses import LeadRules, find_clauses, merge_units
from loaders.normalise import normalise

UNITS = (
    "人力资源社会保障部",
    "财政部",
    "教育部",
    "工业和信息化部",
    "文化和旅游部",
    "市场监管总局",
    "海关总署",
    "国家发展改革委",
    "人民银行",
    "银保监会",
    "税务总局",
    "共青团中央",
    "供销合作总社",
    "中央和国家机关工委",
    "市人社局",
    "市財政局",
    "市人力资源社会保障局",
    "团市委",
    "市委组织部",
    "市企业与企业家联合会",
    "人民银行上海总部",
    "合肥海关",
    "国家统计局济宁调查队",
    "中国人民银行青岛市分行",
    "人民银行山东省分行营业管理部",
    "各省级人民政府",
    "各有关部门和单位",
    "区级相关部门",
    "各街道办事处",
    "国务院各部门",
    "各县（市、区）人民政府",
    "各县＜市、区＞人民政府",
    "各市(州)人民政府",
    "各县〔市、区〕人民政府",
)
COLLECTIVES = {u for u in UNITS if u.startswith("各") or "各部门" in u or "级相关" in u}
BRACKETS = (
    ("（", "）"),
    ("(", ")"),
    ("〔", "〕"),
    ("[", "]"),
    ("【", "】"),
    ("＜", "＞"),
    ("〈", "〉"),
)
JOIN = st.sampled_from(("、", "、", "、", "，", ",", "及"))
DUTY = st.sampled_from(("负责", "按职责分工负责", "分别负责", "按職責分工負責", "負責"))
ETC = st.sampled_from(("", "", "等", "等有关部门", "等有关部门和单位"))
DEADLINES = (None, "年内持续推进", "2025年底前", "2026年6月底前完成")
NOTES = (
    None,
    "具体任务均涉及相关市（州）人民政府，不再做分工",
    "以下措施均需各县区落实，不再单独列出",
)
RULES = (
    "列第一位者为牵头单位，下同",
    "排在第一位的部门为牵头部门，下同",
    "排名第一位为牵头单位",
    "第一责任单位为牵头单位",
)


def names_written(draw: st.DrawFn, names: list[str]) -> str:
    """Names joined by random connectors (及 only between two non-bracketed units)."""
    out = names[0]
    for name in names[1:]:
        joint = draw(JOIN)
        out += joint + name
    return out


@st.composite
def clause(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], bool, str | None, str | None]:
    """(clause text as written, expected (unit, role) list, whether it states a rule, the
    deadline and the note it states)."""
    picked = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=6, unique=True))
    form = draw(st.sampled_from(("plain", "label", "lead_label", "lead_word", "with", "marker")))
    cut = draw(st.integers(min_value=1, max_value=max(1, len(picked) - 1)))
    leads, others = picked[:cut], picked[cut:]
    expected: list[tuple[str, str]]
    if form in ("plain", "label"):
        body = names_written(draw, picked)
        body = (f"责任单位：{body}" if form == "label" else body) + draw(ETC) + draw(DUTY)
        expected = [(u, "") for u in picked]  # roles decided by the rule below
    elif form == "lead_label" and others:
        label = draw(st.sampled_from(("牵头单位", "牽頭單位", "牵头责任单位")))
        support = draw(st.sampled_from(("配合单位", "配合單位", "协同责任单位")))
        sep = draw(st.sampled_from(("；", "。", ";")))
        body = f"{label}：{names_written(draw, leads)}{sep}{support}：{names_written(draw, others)}"
        expected = [(u, "lead") for u in leads] + [(u, "support") for u in others]
    elif form == "lead_word" and others:
        word = draw(st.sampled_from(("参加", "配合", "參加")))
        body = f"{names_written(draw, leads)}牵头，{names_written(draw, others)}{word}"
        expected = [(u, "lead") for u in leads] + [(u, "support") for u in others]
    elif form == "with":
        rest = names_written(draw, others) if others else "有关部门"
        body = f"{names_written(draw, leads)}会同{rest}负责"
        expected = [(u, "lead") for u in leads] + [(u, "support") for u in others]
    elif form == "marker" and others:
        body = f"责任单位：{picked[0]}（牵头）、{'、'.join(picked[1:])}"
        expected = [(picked[0], "lead")] + [(u, "support") for u in picked[1:]]
    else:
        body = "、".join(picked) + "牵头负责"
        expected = [(u, "lead") for u in picked]
    rule = draw(st.sampled_from((None, *RULES)))
    if rule is not None:
        body += draw(st.sampled_from(("。", "，"))) + rule
    deadline = draw(st.sampled_from(DEADLINES))
    if deadline is not None:
        body += draw(st.sampled_from(("，", "；"))) + deadline
    note = draw(st.sampled_from(NOTES))
    if note is not None:
        body += "。" + note
    opener, closer = draw(st.sampled_from(BRACKETS))
    return f"{opener}{body}{closer}", expected, rule is not None, deadline, note


def resolved(expected: list[tuple[str, str]], rule: bool) -> list[tuple[str, str]]:
    if expected[0][1]:
        return expected
    if len(expected) == 1:
        return [(expected[0][0], "sole")]
    if rule and expected[0][0] not in COLLECTIVES:
        return [(expected[0][0], "lead")] + [(u, "support") for u, _ in expected[1:]]
    return [(u, "shared") for u, _ in expected]


def as_normalised(name: str) -> str:
    return normalise(name).text


@settings(max_examples=200, deadline=None)
@given(st.lists(clause(), min_size=1, max_size=3), st.booleans())
def test_generated_clauses_parse_back(
    items: list[tuple[str, list[tuple[str, str]], bool, str | None, str | None]], own_line: bool
) -> None:
    rules = LeadRules()
    active = False
    for text, expected, states_rule, deadline, note in items:
        active = active or states_rule
        measure = "做好就业工作。" + ("\n" if own_line else "") + text
        norm = normalise(measure).text
        found = find_clauses(norm, 0, len(norm), rules)
        assert len(found) == 1, (measure, found)
        got = [(u.name, u.role) for u in merge_units(found)]
        want = [(as_normalised(u), r) for u, r in resolved(expected, active)]
        assert got == want, measure
        assert rules.active is active
        assert found[0].deadline == deadline
        assert found[0].notes == (() if note is None else (as_normalised(note),))
