"""Other cities' documents: numbering styles, responsibility phrasings, unregistered agencies."""

from __future__ import annotations

from datetime import date

import pytest

from loaders import extract_file
from loaders.clauses import LeadRules, find_clauses, merge_units
from loaders.ids import sha1_10
from tests.paths import ROOT

DOCS = ROOT / "tests" / "fixtures" / "docs"


def roles(text: str) -> list[tuple[str, str]]:
    clauses = find_clauses(text, 0, len(text), LeadRules())
    assert clauses
    return [(a.name, a.role) for a in merge_units(clauses)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "做好。(责任单位:市人社局、市财政局按职责分工负责)",
            [("市人社局", "shared"), ("市财政局", "shared")],
        ),
        ("做好。(责任单位:市人社局)", [("市人社局", "sole")]),
        (
            "做好。(牵头单位:市人社局;配合单位:市财政局、市教育局)",
            [("市人社局", "lead"), ("市财政局", "support"), ("市教育局", "support")],
        ),
        (
            "做好。(市人社局牵头,市财政局、市教育局配合)",
            [("市人社局", "lead"), ("市财政局", "support"), ("市教育局", "support")],
        ),
        (
            "做好。(责任单位:市人社局(牵头)、各县(市、区)人民政府)",
            [("市人社局", "lead"), ("各县(市、区)人民政府", "support")],
        ),
        ("做好。(由市医保局牵头,市人社局配合)", [("市医保局", "lead"), ("市人社局", "support")]),
        ("做好。责任单位:市人社局、市财政局", [("市人社局", "shared"), ("市财政局", "shared")]),
        (
            "做好。(责任部门:市人社局;配合部门:市财政局)",
            [("市人社局", "lead"), ("市财政局", "support")],
        ),
    ],
)
def test_clause_phrasings(text: str, expected: list[tuple[str, str]]) -> None:
    assert roles(text) == expected


@pytest.mark.parametrize("text", ["做好就业工作。", "做好。(此件公开发布)", "做好(见附件)。"])
def test_no_clause_means_no_agencies(text: str) -> None:
    assert find_clauses(text, 0, len(text), LeadRules()) == []


def test_qingdao_gbk_lead_support_and_unregistered_agencies() -> None:
    ex = extract_file(DOCS / "qingdao-gbk.txt")
    doc = ex.document
    assert doc.id == "qingdao-qzbf-2024-3"
    assert doc.doc_number == "青政办发〔2024〕3号"
    assert doc.issuer == "青岛市人民政府办公厅"
    assert doc.jurisdiction == "青岛市"
    assert doc.written_date == date(2024, 3, 15)
    assert doc.effective_date == date(2024, 4, 1)
    assert doc.addressees == ("各区、市人民政府", "市政府各部门", "市直各单位")
    assert doc.measures_title == "青岛市支持青年创业就业若干政策措施"
    assert [c.title for c in ex.chapters] == ["扩大就业岗位供给", "强化创业扶持"]
    assert [(m.chapter, m.title) for m in ex.measures] == [
        (1, "开发基层就业岗位"),
        (1, "支持企业吸纳就业"),
        (2, "加大创业担保贷款支持"),
        (2, "建设创业孵化载体"),
        (2, "营造创业氛围"),
    ]
    assert [[(a.name, a.role) for a in m.agencies] for m in ex.measures] == [
        [
            ("市人力资源社会保障局", "lead"),
            ("市财政局", "support"),
            ("市退役军人事务局", "support"),
        ],
        [("市人力资源社会保障局", "lead"), ("市财政局", "lead"), ("各区(市)人民政府", "support")],
        [("市人力资源社会保障局", "shared"), ("中国人民银行青岛市分行", "shared")],
        [],
        [("团市委", "sole")],
    ]
    assert ex.measures[3].responsibility_text is None
    hrss = ex.measures[0].agencies[0]
    # a Jinan alias must not resolve in a Qingdao document
    assert not hrss.registered
    assert hrss.canonical_name == "青岛市人力资源社会保障局"
    assert hrss.id == f"qingdao-u-{sha1_10('青岛市人力资源社会保障局')}"
    assert hrss.jurisdiction == "青岛市"
    assert ex.measures[2].agencies[1].kind == "central_bank_branch"
    assert [(p.name, p.type) for p in ex.measures[1].programs] == [
        ("青鸟计划", "plan"),
        ("青春留青", "campaign"),
    ]
    assert [(p.name, p.type) for p in ex.measures[3].programs] == [("创业青岛", "platform")]


def test_yantai_articles_lead_phrasings_and_nested_parentheses() -> None:
    ex = extract_file(DOCS / "yantai-articles.txt")
    assert ex.document.id == "yantai-2025-2"
    assert ex.document.effective_date == date(2025, 2, 28)  # 自印发之日起施行 = written date
    assert len(ex.chapters) == 1
    assert ex.chapters[0].title == "烟台市人民政府关于进一步稳定和扩大就业的实施意见"
    assert [m.title for m in ex.measures] == [
        "为进一步稳定和扩大就业,结合我市实际,制定本意见",
        "加强就业困难人员帮扶",
        "促进农民工就业",
        "支持灵活就业人员参加社会保险",
    ]
    assert [[(a.name, a.role) for a in m.agencies] for m in ex.measures] == [
        [],
        [("市人力资源社会保障局", "lead"), ("市财政局", "support"), ("市民政局", "support")],
        [("市人力资源社会保障局", "lead"), ("各县(市、区)人民政府", "support")],
        [("市医疗保障局", "lead"), ("市人力资源社会保障局", "support")],
    ]
    third = ex.measures[2]
    # sub-items (1)(2) stay inside their article
    assert "(1)对参加培训的农民工给予培训补贴;(2)对吸纳农民工的企业给予社保补贴。" in third.text
    assert third.agencies[1].kind == "district_government"
    assert [(p.name, p.type) for p in third.programs] == [
        ("技能兴鲁", "action"),
        ("春风行动", "action"),
    ]
    src = ex.source_text
    nested = third.agencies[1].span
    assert src[nested.start : nested.end] == "各县（市、区）人民政府"


def test_weifang_bom_paren_numbering_and_no_doc_number() -> None:
    ex = extract_file(DOCS / "weifang-bom.txt")
    doc = ex.document
    assert doc.title == "潍坊市促进高校毕业生就业十条措施"
    assert doc.id == f"weifang-{sha1_10('潍坊市促进高校毕业生就业十条措施')}"
    assert doc.doc_number is None
    assert doc.written_date == date(2025, 5, 10)  # 二〇二五年五月十日
    assert doc.effective_date is None
    assert [m.ordinal for m in ex.measures] == [1, 2, 3, 4]
    assert [[(a.name, a.role) for a in m.agencies] for m in ex.measures] == [
        [("市人力资源社会保障局", "shared"), ("市工业和信息化局", "shared")],
        [("市委组织部", "shared"), ("市人力资源社会保障局", "shared")],
        [("市财政局", "lead")],
        [],
    ]
    assert ex.measures[1].agencies[0].kind == "party_organ"
    assert all(m.programs == () for m in ex.measures)  # lists, + pairs and slogans are not programs
    assert [g.id for g in ex.measures[3].target_groups] == [
        "disadvantaged-family-graduates",
        "disabled-students",
    ]


def test_contact_written_as_contact_phone_label() -> None:
    from loaders.metadata import read_meta
    from loaders.structure import split_lines

    text = "(联系电话:市民营经济局政策规划与运行监测处,51700521)\n"
    meta = read_meta(text, split_lines(text))
    assert (meta.contact_unit, meta.contact_phone) == (
        "市民营经济局政策规划与运行监测处",
        "51700521",
    )
