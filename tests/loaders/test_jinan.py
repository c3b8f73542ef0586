"""The bundled Jinan document (济政发〔2025〕5号) extracts completely and exactly."""

from __future__ import annotations

from datetime import date

import pytest

from loaders import extract_file
from loaders.model import Extraction
from loaders.normalise import clean
from tests.paths import ROOT

CHAPTERS = [
    "坚持就业优先战略,推动经济发展带动就业",
    "完善支持保障措施,促进重点群体就业",
    "提升技术技能水平,着力解决结构性就业矛盾",
    "加大创业扶持力度,激发创业带动就业活力",
    "优化公共就业服务,促进供需精准匹配",
    "强化就业权益保障,营造良好就业环境",
]
# (chapter, title, agencies as written) for the 20 measures, read by hand from the text.
MEASURES = [
    (1, "坚持经济发展与就业协调联动", ["市发展改革委", "市人力资源社会保障局"]),
    (1, "做强产业激活就业新动能", ["市发展改革委", "市工业和信息化局"]),
    (
        1,
        "培育就业扩容提质增长极",
        [
            "市发展改革委",
            "市工业和信息化局",
            "市教育局",
            "市民政局",
            "市卫生健康委",
            "市商务局",
            "市人力资源社会保障局",
        ],
    ),
    (
        1,
        "助力各类企业稳岗扩岗",
        ["市人力资源社会保障局", "市财政局", "市国资委", "市税务局", "市民营经济局"],
    ),
    (
        2,
        "促进高校毕业生等青年群体就业",
        [
            "市人力资源社会保障局",
            "市发展改革委",
            "市教育局",
            "市民政局",
            "市财政局",
            "市农业农村局",
            "市卫生健康委",
            "团市委",
            "市残联",
            "市工商联",
        ],
    ),
    (
        2,
        "拓宽农村劳动力就业增收空间",
        ["市人力资源社会保障局", "市发展改革委", "市农业农村局", "市总工会"],
    ),
    (2, "帮扶城乡困难人员就业", ["市人力资源社会保障局", "市财政局", "市农业农村局", "市残联"]),
    (2, "支持退役军人、妇女等群体就业", ["市退役军人局", "市妇联", "市人力资源社会保障局"]),
    (3, "开展大规模职业技能培训", ["市人力资源社会保障局", "市工业和信息化局", "市教育局"]),
    (3, "拓宽技能人才发展通道", ["市人力资源社会保障局", "市教育局"]),
    (3, "推动产教融合发展", ["市教育局", "市人力资源社会保障局"]),
    (4, "强化创业资金扶持", ["市人力资源社会保障局", "市财政局", "人民银行山东省分行营业管理部"]),
    (4, "优化创业平台功能", ["市发展改革委", "市人力资源社会保障局", "市财政局", "团市委"]),
    (4, "营造浓厚创业氛围", ["市人力资源社会保障局"]),
    (5, "推动就业服务下沉", ["市委社会工作部", "市人力资源社会保障局", "市商务局"]),
    (5, "开展“四个对接”精准服务", ["市人力资源社会保障局", "市农业农村局", "市残联"]),
    (5, "拓展“数字赋能”服务模式", ["市人力资源社会保障局"]),
    (6, "发挥人力资源服务业作用", ["市人力资源社会保障局", "市教育局"]),
    (6, "提升社会保障水平", ["市人力资源社会保障局"]),
    (
        6,
        "构建和谐劳动关系",
        ["市人力资源社会保障局", "市总工会", "市企业与企业家联合会", "市工商联"],
    ),
]


@pytest.fixture(scope="module")
def jinan() -> Extraction:
    return extract_file(ROOT / "data" / "jinan-2025-5.txt")


def test_document_metadata(jinan: Extraction) -> None:
    doc = jinan.document
    assert doc.id == "jinan-2025-5"
    assert doc.title == "济南市人民政府关于印发济南市促进高质量充分就业的若干措施的通知"
    assert doc.doc_number == "济政发〔2025〕5号"
    assert doc.issuer == "济南市人民政府"
    assert doc.publisher == "济南市人民政府办公厅"
    assert doc.index_number == "1137010000418859XL/2025-00907"
    assert doc.written_date == date(2025, 6, 21)
    assert doc.published_date == date(2025, 7, 9)
    assert doc.effective_date == date(2025, 6, 21)
    assert doc.addressees == ("各区县人民政府", "市政府各部门(单位)")
    assert doc.contact_unit == "市人力资源社会保障局就业促进与失业保险处"
    assert doc.contact_phone == "51705964"
    assert doc.measures_title == "济南市促进高质量充分就业的若干措施"
    assert doc.jurisdiction == "济南市"
    assert doc.source_name == "jinan-2025-5.txt"


def test_chapters(jinan: Extraction) -> None:
    assert [c.ordinal for c in jinan.chapters] == [1, 2, 3, 4, 5, 6]
    assert [c.title for c in jinan.chapters] == CHAPTERS


def test_measures_titles_and_chapters(jinan: Extraction) -> None:
    assert len(jinan.measures) == 20
    assert [m.ordinal for m in jinan.measures] == list(range(1, 21))
    assert [(m.chapter, m.title) for m in jinan.measures] == [(c, t) for c, t, _ in MEASURES]
    assert [m.id for m in jinan.measures][:2] == [
        "jinan-2025-5/measure/1",
        "jinan-2025-5/measure/2",
    ]


def test_responsibility_lists_in_document_order(jinan: Extraction) -> None:
    for measure, (_, _, names) in zip(jinan.measures, MEASURES, strict=True):
        assert [a.name for a in measure.agencies] == names, measure.ordinal
        assert [a.rank for a in measure.agencies] == list(range(1, len(names) + 1))
        expected_role = "sole" if measure.ordinal in (14, 17, 19) else "shared"
        assert {a.role for a in measure.agencies} == {expected_role}, measure.ordinal
        assert all(a.registered for a in measure.agencies)


def test_measure_five_has_ten_agencies(jinan: Extraction) -> None:
    names = [a.name for a in jinan.measures[4].agencies]
    assert names == [
        "市人力资源社会保障局",
        "市发展改革委",
        "市教育局",
        "市民政局",
        "市财政局",
        "市农业农村局",
        "市卫生健康委",
        "团市委",
        "市残联",
        "市工商联",
    ]


def test_agencies_resolve_to_canonical_names(jinan: Extraction) -> None:
    by_name = {a.name: a for m in jinan.measures for a in m.agencies}
    assert by_name["市人力资源社会保障局"].canonical_name == "济南市人力资源和社会保障局"
    assert by_name["市人力资源社会保障局"].id == "jinan-hrss"
    assert by_name["市发展改革委"].canonical_name == "济南市发展和改革委员会"
    assert by_name["团市委"].canonical_name == "共青团济南市委员会"
    assert by_name["团市委"].kind == "peoples_organisation"
    assert by_name["市委社会工作部"].kind == "party_organ"
    assert by_name["人民银行山东省分行营业管理部"].kind == "central_bank_branch"
    assert by_name["市工商联"].kind == "federation"
    assert by_name["市税务局"].canonical_name == "国家税务总局济南市税务局"
    assert {a.jurisdiction for a in by_name.values()} == {"济南市"}
    assert len(by_name) == 21


def test_spans_point_at_the_stated_text(jinan: Extraction) -> None:
    src = jinan.source_text
    for chapter in jinan.chapters:
        assert clean(src[chapter.span.start : chapter.span.end]) == chapter.title
    for measure in jinan.measures:
        assert clean(src[measure.span.start : measure.span.end]) == measure.text
        assert measure.text.startswith(measure.title + "。")
        assert measure.responsibility_text is not None
        assert measure.text.endswith(measure.responsibility_text)
        for ref in (*measure.agencies, *measure.target_groups, *measure.programs):
            assert src[ref.span.start : ref.span.end] == ref.name


def test_measure_text_excludes_closing_clause(jinan: Extraction) -> None:
    last = jinan.measures[-1]
    assert last.text.endswith("市工商联按职责分工负责)")
    assert "本措施自印发之日起施行" not in last.text


def test_target_groups(jinan: Extraction) -> None:
    m5 = {g.id: g for g in jinan.measures[4].target_groups}
    assert set(m5) == {
        "college-graduates",
        "youth",
        "university-students",
        "unemployed-graduates",
        "disadvantaged-family-graduates",
        "disabled-students",
    }
    assert m5["disabled-students"].broader == ("college-graduates", "disabled-persons")
    assert m5["unemployed-graduates"].name == "离校未就业高校毕业生"
    assert [g.id for g in jinan.measures[18].target_groups] == [
        "flexible-workers",
        "migrant-workers",
        "new-form-workers",
        "over-age-workers",
        "intern-students",
    ]
    # 市退役军人局 in the clause is an agency, not a mention of veterans
    assert [g.id for g in jinan.measures[7].target_groups] == ["veterans", "women"]


def test_programs(jinan: Extraction) -> None:
    programs = {p.name: p.type for m in jinan.measures for p in m.programs}
    assert programs["三支一扶"] == "plan"
    assert programs["春风行动"] == "action"
    assert programs["工会帮就业"] == "campaign"
    assert programs["海右人才就业数智化平台"] == "platform"
    assert programs["妈妈岗"] == "model"
    assert programs["全民参保·福暖万家"] == "project"
    assert programs["15分钟就业服务圈+一刻钟便民生活圈"] == "pilot"
    for not_a_program in (
        "政府、银行、担保机构",
        "教培先行、岗位跟进",
        "政府+市场",
        "技能+学历",
        "双创",
        "家门口",
    ):
        assert not_a_program not in programs
    ids = {p.name: p.id for m in jinan.measures for p in m.programs}
    assert ids["三支一扶"] == "san-zhi-yi-fu"
    assert ids["春风行动"] == "chun-feng-xing-dong"
