"""Structure from the document's own numbering: levels, framework items, ordinals, diagnostics.

Every text here is written for the test (not a copy of a real document); the expected values
are read from the text.
"""

from __future__ import annotations

import pytest

from loaders import extract_text
from loaders.model import Extraction

HEAD = "示范市人民政府关于印发示范措施的通知\n"


def ex(body: str) -> Extraction:
    return extract_text(HEAD + body, "fixture.txt")


def kinds(e: Extraction) -> list[str]:
    return [d.kind for d in e.diagnostics]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("（一）", "（二）"),
        ("(一)", "(二)"),
        ("( 一 )", "( 二 )"),
        ("﹙一﹚", "﹙二﹚"),
        ("1.", "2."),
        ("1．", "2．"),
        ("１．", "２．"),
        ("1﹒", "2﹒"),
        ("1、", "2、"),
        ("1 .", "2 ."),
        ("（1）", "（2）"),
        ("(1)", "(2)"),
        ("①", "②"),
        ("第一条", "第二条"),
        ("第1条", "第2条"),
    ],
)
def test_every_numbering_form_gives_measures_under_chapters(first: str, second: str) -> None:
    e = ex(
        "一、总的方向\n"
        f"{first}做好第一件事。(责任单位:市财政局)\n"
        f"{second}做好第二件事。（责任单位：市教育局）\n"
    )
    assert [(c.ordinal, c.title) for c in e.chapters] == [(1, "总的方向")]
    assert [(m.ordinal, m.chapter, m.title) for m in e.measures] == [
        (1, 1, "做好第一件事"),
        (2, 1, "做好第二件事"),
    ]
    assert [[(a.name, a.role) for a in m.agencies] for m in e.measures] == [
        [("市财政局", "sole")],
        [("市教育局", "sole")],
    ]


def test_one_level_numbering_without_chapters_is_all_measures() -> None:
    e = ex(
        "一、对就业成效好的区县给予奖励。（市人社局负责）\n"
        "二、对创业成效好的区县给予支持。（市人社局、市财政局负责）\n"
        "三、对培训成效好的区县优先安排资金。（市财政局负责）\n"
    )
    assert len(e.chapters) == 1  # the implicit chapter
    assert e.chapters[0].title == "示范措施"
    assert [(m.ordinal, m.chapter, m.title) for m in e.measures] == [
        (1, 1, "对就业成效好的区县给予奖励"),
        (2, 1, "对创业成效好的区县给予支持"),
        (3, 1, "对培训成效好的区县优先安排资金"),
    ]
    assert [[(a.name, a.role) for a in m.agencies] for m in e.measures] == [
        [("市人社局", "sole")],
        [("市人社局", "shared"), ("市财政局", "shared")],
        [("市财政局", "sole")],
    ]


LEVELS = (
    "一、总体要求\n"
    "（一）指导思想。以稳就业为目标。\n"
    "（二）工作目标。到2027年，城镇新增就业5万人。\n"
    "二、主要任务\n"
    "（一）稳定岗位。\n"
    "1.支持企业稳岗。对不裁员的企业给予补贴。（市人社局、市财政局负责，列第一位者为牵头单位，下同）\n"
    "2.扩大见习规模。组织青年参加见习。（市人社局、团市委负责）\n"
    "（二）强化服务。\n"
    "3.建设零工市场。推进零工市场建设。（市人社局负责）\n"
    "三、保障措施\n"
    "1.加强组织领导。各区县要建立工作机制。（各区县人民政府负责）\n"
    "2.强化宣传引导。加大政策宣传。（市委宣传部、市人社局负责）\n"
)


def test_measure_level_is_the_level_carrying_the_clauses() -> None:
    e = ex(LEVELS)
    assert [(c.ordinal, c.title) for c in e.chapters] == [(1, "主要任务"), (2, "保障措施")]
    assert [(s.ordinal, s.title) for s in e.sections] == [(1, "稳定岗位"), (2, "强化服务")]
    assert [(m.ordinal, m.chapter, m.section, m.title) for m in e.measures] == [
        (1, 1, 1, "支持企业稳岗"),
        (2, 1, 1, "扩大见习规模"),
        (3, 1, 2, "建设零工市场"),
        (4, 2, None, "加强组织领导"),  # 1. restarts in the closing chapter: ordinals go on
        (5, 2, None, "强化宣传引导"),
    ]
    assert [[(a.name, a.role) for a in m.agencies] for m in e.measures] == [
        [("市人社局", "lead"), ("市财政局", "support")],
        [("市人社局", "lead"), ("团市委", "support")],
        [("市人社局", "sole")],
        [("各区县人民政府", "sole")],
        [("市委宣传部", "lead"), ("市人社局", "support")],
    ]
    assert e.measures[0].clauses[0].rule == "列第一位者为牵头单位,下同"


def test_framework_items_are_reported_not_measures() -> None:
    e = ex(LEVELS)
    skipped = [d.message for d in e.diagnostics if d.kind == "framework_skipped"]
    assert len(skipped) == 3
    assert "总体要求" in skipped[0] and "指导思想" in skipped[1] and "工作目标" in skipped[2]
    assert kinds(e).count("lead_rule") == 1
    lead = next(d for d in e.diagnostics if d.kind == "lead_rule")
    assert lead.measure == 1
    assert "numbering_restart" not in kinds(e)  # a new chapter started


def test_framework_items_at_the_measure_level_are_skipped() -> None:
    e = ex(
        "一、总体要求\n"
        "（一）指导思想。坚持就业优先。\n"
        "（二）基本原则。坚持市场导向。\n"
        "（三）发展目标。到2030年形成体系。\n"
        "二、重点任务\n"
        "（四）发展职业赛事。支持联赛。（市体育局负责）\n"
        "（五）培育冰雪赛事。引进赛事。（市体育局、市文化和旅游局负责）\n"
    )
    assert [(c.ordinal, c.title) for c in e.chapters] == [(1, "重点任务")]
    assert [(m.ordinal, m.chapter, m.title) for m in e.measures] == [
        (1, 1, "发展职业赛事"),
        (2, 1, "培育冰雪赛事"),
    ]
    assert kinds(e).count("framework_skipped") == 4


def test_a_document_without_clauses_is_valid_and_says_so_once() -> None:
    e = ex(
        "一、重点任务\n"
        "（一）建设平台。\n"
        "各区要建设统一平台。\n"
        "（二）完善制度。\n"
        "健全抽查制度，明确抽查比例。\n"
        "二、保障措施\n"
        "（一）加强领导。\n"
        "各部门要加强组织领导。\n"
        "示范市人民政府\n"
        "2025年3月1日\n"
    )
    assert [(m.ordinal, m.chapter, m.title) for m in e.measures] == [
        (1, 1, "建设平台"),
        (2, 1, "完善制度"),
        (3, 2, "加强领导"),
    ]
    assert e.measures[1].text == "完善制度。健全抽查制度,明确抽查比例。"
    assert e.measures[2].text == "加强领导。各部门要加强组织领导。"  # the signature is not
    assert all(m.agencies == () and m.no_agencies == "no_clause" for m in e.measures)
    assert kinds(e) == ["no_clauses"]


def test_every_measure_without_agencies_says_why() -> None:
    e = ex(
        "一、方向\n"
        "（一）做好第一件事。（责任单位：市财政局）\n"
        "（二）做好第二件事。\n"
        "（三）做好第三件事。（责任单位：根据工作需要另行确定）\n"
    )
    assert [m.no_agencies for m in e.measures] == [None, "no_clause", "clause_unparsed"]
    unparsed = [d for d in e.diagnostics if d.kind == "clause_unparsed"]
    assert [d.measure for d in unparsed] == [3]
    assert "根据工作需要另行确定" in unparsed[0].message
    assert "no_clauses" not in kinds(e)


def test_numbering_gap_is_kept_and_reported() -> None:
    e = ex(
        "一、方向\n"
        "（一）第一项。（市财政局负责）\n"
        "（二）第二项。（市教育局负责）\n"
        "（四）第四项。（市民政局负责）\n"
        "（五）第五项。（市商务局负责）\n"
    )
    assert [m.title for m in e.measures] == ["第一项", "第二项", "第四项", "第五项"]
    gaps = [d.message for d in e.diagnostics if d.kind == "numbering_gap"]
    assert gaps == ["numbering skips from 2 to 4 at “(四)”"]


def test_numbering_jump_is_text_not_a_heading_and_reported() -> None:
    e = ex(
        "一、方向\n"
        "（一）第一项。（市财政局负责）\n"
        "（二）第二项。（市教育局负责）\n"
        "（九）附带的说明文字。\n"
        "（三）第三项。（市民政局负责）\n"
    )
    assert [m.title for m in e.measures] == ["第一项", "第二项", "第三项"]
    jumps = [d for d in e.diagnostics if d.kind == "numbering_jump"]
    assert len(jumps) == 1 and "(九)" in jumps[0].message


def test_numbering_restart_without_a_heading_is_reported() -> None:
    e = ex(
        "一、方向\n"
        "（一）第一项。（市财政局负责）\n"
        "（二）第二项。（市教育局负责）\n"
        "（一）又一项。（市民政局负责）\n"
    )
    assert [(m.ordinal, m.title) for m in e.measures] == [
        (1, "第一项"),
        (2, "第二项"),
        (3, "又一项"),
    ]
    assert kinds(e) == ["numbering_restart"]


def test_clause_in_its_own_paragraph_after_sub_items_and_several_clauses() -> None:
    e = ex(
        "一、方向\n"
        "（一）支持创业。\n"
        "1.给予场地支持；\n"
        "2.给予资金支持。\n"
        "（责任单位：市人社局、市财政局）\n"
        "（二）加强培训。开展培训。（市人社局负责）\n"
        "开展竞赛。（市总工会负责）\n"
        "以上各项均需持续推进。\n"
    )
    assert [m.title for m in e.measures] == ["支持创业", "加强培训"]
    assert [[a.name for a in m.agencies] for m in e.measures] == [
        ["市人社局", "市财政局"],
        ["市人社局", "市总工会"],
    ]
    assert "2.给予资金支持。" in e.measures[0].text
    assert len(e.measures[1].clauses) == 2
    assert "以上各项" not in e.measures[1].text  # a closing paragraph without a clause


def test_spans_point_at_the_written_text() -> None:
    e = ex(LEVELS)
    src = e.source_text
    for chapter in (*e.chapters, *e.sections):
        assert src[chapter.span.start : chapter.span.end] == chapter.title
    for measure in e.measures:
        for agency in measure.agencies:
            assert src[agency.span.start : agency.span.end] == agency.name


def test_a_chapter_led_by_a_person_gives_its_measures_a_leader_not_an_agency() -> None:
    e = extract_text(
        "示范县人民政府关于印发重点工作的通知\n"
        "一、张三县长牵头重点工作\n"
        "（一）建设产业园。推进园区建设。（责任单位：县发展改革局、县财政局）\n"
        "二、其他重点工作\n"
        "（二）做好技能培训。（县人社局负责）\n",
        "county.txt",
    )
    assert [(m.title, m.leaders) for m in e.measures] == [
        ("建设产业园", ("张三县长",)),
        ("做好技能培训", ()),
    ]
    assert [a.name for a in e.measures[0].agencies] == ["县发展改革局", "县财政局"]
