"""loaders.citations: every form of reference, its relation, and the real documents' citations.

Expected values are read from the texts written here (and, for the real documents, from
../shared/realdocs/ by hand).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import Settings
from loaders.citations import canonical_number, find_citations
from loaders.extract import extract_file
from loaders.normalise import normalise
from tests.paths import ROOT

REALDOCS = ROOT.parent / "shared" / "realdocs"


def cites(text: str, number: str | None = None, title: str | None = None) -> list[tuple]:
    return [
        (c.title, c.doc_number, c.relation, text[c.span.start : c.span.end] if c.span else None)
        for c in find_citations(normalise(text), number, title)
    ]


def test_title_and_number_implemented() -> None:
    text = (
        "为贯彻落实《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号），"
        "结合我市实际，制定以下措施："
    )
    assert cites(text) == [
        (
            "国务院关于做好当前和今后一段时期就业创业工作的意见",
            "国发〔2017〕28号",
            "implements",
            "《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号）",
        )
    ]


def test_title_without_number_and_number_without_title() -> None:
    text = "根据《山东省就业促进条例》和鲁政发〔2021〕6号文件精神，结合我省实际，提出如下意见。"
    assert cites(text) == [
        ("山东省就业促进条例", None, "implements", "《山东省就业促进条例》"),
        (None, "鲁政发〔2021〕6号", "implements", "鲁政发〔2021〕6号"),
    ]


def test_several_numbers_in_one_bracket_pair_with_the_titles_before_it() -> None:
    text = (
        "根据《国务院关于促进就业的意见》《国务院办公厅关于稳岗的通知》"
        "（国发〔2017〕28号、国办发〔2018〕1号）精神，结合我市实际，制定本措施。"
    )
    assert [c[:3] for c in cites(text)] == [
        ("国务院关于促进就业的意见", "国发〔2017〕28号", "implements"),
        ("国务院办公厅关于稳岗的通知", "国办发〔2018〕1号", "implements"),
    ]


def test_several_numbers_after_one_title() -> None:
    text = "按照《就业补助资金管理办法》（财社〔2017〕164号、财社〔2018〕2号）执行。"
    assert [c[:3] for c in cites(text)] == [
        ("就业补助资金管理办法", "财社〔2017〕164号", "cites"),
        (None, "财社〔2018〕2号", "cites"),
    ]


def test_traditional_characters_are_read_and_kept_as_written() -> None:
    text = "為貫徹落實《國務院關於做好就業工作的意見》（國發〔2017〕28號），結合我市實際，制定。"
    assert cites(text)[0][:3] == ("國務院關於做好就業工作的意見", "國發〔2017〕28號", "implements")
    assert canonical_number("國發[2017]028號") == "国发〔2017〕28号"


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("本措施自印发之日起施行，《济南市补助办法》（济政发〔2019〕3号）同时废止。", "repeals"),
        ("自本通知印发之日起，《关于加大激励的通知》（国办发〔2016〕82号）停止执行。", "repeals"),
        ("《济南市就业补助办法》（济政发〔2019〕3号）不再执行。", "repeals"),
        ("本办法代替《泉河市就业补助办法》（泉政发〔2015〕7号）。", "replaces"),
        ("《泉河市就业补助办法》（泉政发〔2015〕7号）由本办法替代。", "replaces"),
        ("有关部门应当按照《无证无照经营查处办法》等法律法规的规定予以查处。", "cites"),
        ("参见《关于做好就业工作的通知》（国发〔2017〕28号）。", "cites"),
        ("深入贯彻落实《中华人民共和国就业促进法》等法律法规。", "implements"),
    ],
)
def test_relation_from_the_surrounding_words(text: str, relation: str) -> None:
    assert [c[2] for c in cites(text)] == [relation]


def test_repeal_after_two_references_applies_to_both_only() -> None:
    text = (
        "《泉河市就业补助办法》（泉政发〔2015〕7号）、《泉河市创业扶持办法》（泉政发〔2016〕2号）"
        "同时废止。按照《泉河市就业服务规范》要求做好衔接。"
    )
    assert [c[:3] for c in cites(text)] == [
        ("泉河市就业补助办法", "泉政发〔2015〕7号", "repeals"),
        ("泉河市创业扶持办法", "泉政发〔2016〕2号", "repeals"),
        ("泉河市就业服务规范", None, "cites"),
    ]


def test_short_names_own_number_own_title_and_sent_out_text_are_not_references() -> None:
    text = (
        "泉河市人民政府关于印发泉河市促进就业若干措施的通知\n泉政发〔2024〕3号\n"
        "现将《泉河市促进就业若干措施》印发给你们，请认真贯彻执行。\n"
        "根据《国务院关于促进就业的意见》（国发〔2017〕28号，以下简称《意见》），"
        "结合我市实际，制定本措施。落实《意见》要求。"
    )
    title = "泉河市人民政府关于印发泉河市促进就业若干措施的通知"
    assert [c[:3] for c in cites(text, "泉政发〔2024〕3号", title)] == [
        ("国务院关于促进就业的意见", "国发〔2017〕28号", "implements"),
    ]


def test_series_starts_after_the_words_before_it() -> None:
    text = "按照国发〔2017〕28号文件要求，现提出如下意见。"
    assert cites(text) == [(None, "国发〔2017〕28号", "implements", "国发〔2017〕28号")]


def test_a_reference_made_twice_is_listed_once_per_relation() -> None:
    text = (
        "按照国发〔2017〕28号文件要求，结合实际，制定本措施。"
        "落实《国务院关于促进就业的意见》（国发〔2017〕28号）。"
        "《国务院关于促进就业的意见》（国发〔2017〕28号）同时废止。"
    )
    assert [c[:3] for c in cites(text)] == [
        ("国务院关于促进就业的意见", "国发〔2017〕28号", "implements"),
        ("国务院关于促进就业的意见", "国发〔2017〕28号", "repeals"),
    ]


#: Every citation of the eight State Council documents, read by hand (the own number in
#: the header, 现将《X》印发给你们 and 为贯彻全国教育大会精神 are not citations).
REAL = {
    "01_guofa_2018_39_jiuye.html": [],
    "02_guofa_2019_3_zongbaoqu.html": [],
    "03_guobanfa_2018_129_xiaofeifupin.html": [
        ("中共中央 国务院关于打赢脱贫攻坚战三年行动的指导意见", None, "implements"),
    ],
    "04_guobanfa_2018_117_ducha_jili.html": [
        ("中共中央办公厅关于统筹规范督查检查考核工作的通知", None, "cites"),
        (
            "国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知",
            "国办发〔2016〕82号",
            "repeals",
        ),
    ],
    "05_guobanfa_2018_121_tiyu_jingsai.html": [],
    "06_guofa_2018_42_nongji.html": [("中华人民共和国农业机械化促进法", None, "implements")],
    "27_guofa_2019_5_shuangsuiji.html": [("无证无照经营查处办法", None, "cites")],
    "28_guofa_2019_4_zhijiao.html": [("中华人民共和国职业教育法", None, "implements")],
}


@pytest.mark.skipif(
    not REALDOCS.is_dir() and not Settings().ci, reason="../shared/realdocs not present"
)
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_documents(name: str) -> None:
    document = extract_file(REALDOCS / name).document
    assert [(c.title, c.doc_number, c.relation) for c in document.cites] == REAL[name]


def test_json_output_names_the_fields() -> None:
    path = Path(__file__).parents[1] / "fixtures" / "chain" / "city-quanzhengfa-2024-3.txt"
    cited = extract_file(path).to_json_dict()["document"]["cites"]
    assert [{k: c[k] for k in ("title", "doc_number", "relation")} for c in cited] == [
        {
            "title": "东岳省人民政府关于做好青年就业工作的实施意见",
            "doc_number": "岳政发〔2023〕15号",
            "relation": "implements",
        },
        {"title": None, "doc_number": "国发〔2023〕9号", "relation": "cites"},
    ]
