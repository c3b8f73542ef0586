"""Text forms real pages come in: traditional characters, one-line exports, spaces inside
words, a missing closing bracket, HTML fragments, gov.cn metadata tables.

Every text is written for the test; the expected values are read from it.
"""

from __future__ import annotations

from datetime import date

from loaders import extract_bytes, extract_text
from loaders.normalise import normalise

HEAD = "示范市人民政府关于印发示范措施的通知\n"
BODY = (
    "一、总的方向\n"
    "(一)做好第一件事。(责任单位:市财政局)\n"
    "(二)做好第二件事。(责任单位:市教育局)\n"
    "二、其他方向\n"
    "(一)做好第三件事。(责任单位:市民政局)\n"
)
EXPECTED = [
    (1, 1, "做好第一件事", ["市财政局"]),
    (2, 1, "做好第二件事", ["市教育局"]),
    (3, 2, "做好第三件事", ["市民政局"]),
]


def measures(text: str) -> list[tuple[int, int, str, list[str]]]:
    e = extract_text(text, "fixture.txt")
    return [(m.ordinal, m.chapter, m.title, [a.name for a in m.agencies]) for m in e.measures]


def test_traditional_characters_are_read_and_kept_as_written() -> None:
    e = extract_text(
        HEAD + "一、總體方向\n"
        "（一）穩定就業崗位。對企業給予補貼。（牽頭單位：市人力資源社會保障局；配合單位：市財政局）\n"
        "（二）加強職業培訓。（市人力資源社會保障局、市教育局按職責分工負責）\n",
        "traditional.txt",
    )
    assert [c.title for c in e.chapters] == ["總體方向"]
    assert [m.title for m in e.measures] == ["穩定就業崗位", "加強職業培訓"]
    first, second = e.measures
    assert [(a.name, a.role) for a in first.agencies] == [
        ("市人力資源社會保障局", "lead"),
        ("市財政局", "support"),
    ]
    assert [a.canonical_name for a in first.agencies] == [
        "示范市人力资源社会保障局",
        "示范市财政局",
    ]
    assert [(a.name, a.role) for a in second.agencies] == [
        ("市人力資源社會保障局", "shared"),
        ("市教育局", "shared"),
    ]
    assert (
        first.text
        == "穩定就業崗位。對企業給予補貼。(牽頭單位:市人力資源社會保障局;配合單位:市財政局)"
    )
    for agency in first.agencies:
        assert e.source_text[agency.span.start : agency.span.end] == agency.name


def test_a_whole_document_on_one_line_is_split_on_its_numbering() -> None:
    assert measures(HEAD + BODY.replace("\n", " ")) == EXPECTED
    assert measures(HEAD + BODY.replace("\n", "")) == EXPECTED
    assert measures((HEAD + BODY).replace("\n", " ")) == EXPECTED


def test_ascii_and_full_width_punctuation_read_alike() -> None:
    wide = BODY.replace("(", "（").replace(")", "）").replace(":", "：")
    assert measures(HEAD + wide) == EXPECTED


def test_spaces_inside_words_from_exports() -> None:
    e = extract_text(
        HEAD + "一、总的方向\n(一)做好 第一件事。(责任单位:自治 区农牧厅、市 财政局)\n",
        "spaced.txt",
    )
    measure = e.measures[0]
    assert measure.title == "做好第一件事"
    assert [a.name for a in measure.agencies] == ["自治区农牧厅", "市财政局"]
    span = measure.agencies[0].span
    assert e.source_text[span.start : span.end] == "自治 区农牧厅"


def test_missing_closing_bracket() -> None:
    e = extract_text(
        HEAD + "一、总的方向\n"
        "(一)做好第一件事。(责任单位:市财政局、市教育局\n"
        "(二)做好第二件事。(责任单位:市民政局)\n",
        "unclosed.txt",
    )
    assert [[(a.name, a.role) for a in m.agencies] for m in e.measures] == [
        [("市财政局", "shared"), ("市教育局", "shared")],
        [("市民政局", "sole")],
    ]


def test_html_fragment_without_html_element() -> None:
    fragment = "".join(f"<p>{line}</p>" for line in (HEAD + BODY).splitlines())
    e = extract_bytes(fragment.encode("utf-8"), "fragment.txt")
    assert [(m.ordinal, m.chapter, m.title, [a.name for a in m.agencies]) for m in e.measures] == (
        EXPECTED
    )
    assert "<p>" not in e.source_text
    div = "<div class=TRS_Editor>" + fragment.replace("<p>", "<br>").replace("</p>", "") + "</div>"
    assert [m.title for m in extract_bytes(div.encode(), "fragment.txt").measures] == [
        t for _, _, t, _ in EXPECTED
    ]


TABLE = (
    "索 引 号：\n000014349/2020-00001\n主题分类：\n劳动、人事\n发文机关：\n示范市人民政府\n"
    "成文日期：\n2020年03月02日\n标　　题：\n示范市人民政府关于稳定就业的意见\n"
    "发文字号：\n示政发〔2020〕1号\n发布日期：\n2020年03月05日\n主 题 词：\n"
)


def test_gov_cn_metadata_table_as_text() -> None:
    e = extract_text(TABLE + "示范市人民政府关于稳定就业的意见\n" + BODY, "table.txt")
    doc = e.document
    assert doc.index_number == "000014349/2020-00001"
    assert doc.issuer == "示范市人民政府"
    assert doc.written_date == date(2020, 3, 2)
    assert doc.title == "示范市人民政府关于稳定就业的意见"
    assert doc.doc_number == "示政发〔2020〕1号"
    assert doc.published_date == date(2020, 3, 5)
    assert doc.jurisdiction == "示范市"


def test_gov_cn_metadata_table_as_html() -> None:
    cells = TABLE.strip("\n").split("\n")
    rows = "".join(
        f"<tr><td>{cells[k]}</td><td>{cells[k + 1] if k + 1 < len(cells) else ''}</td></tr>"
        for k in range(0, len(cells), 2)
    )
    body = "".join(f"<p>{line}</p>" for line in BODY.splitlines())
    page = f"<table>{rows}</table><div>{body}</div>"
    doc = extract_bytes(page.encode("utf-8"), "page.html").document
    assert (doc.index_number, doc.doc_number, doc.written_date, doc.published_date) == (
        "000014349/2020-00001",
        "示政发〔2020〕1号",
        date(2020, 3, 2),
        date(2020, 3, 5),
    )
    assert doc.title == "示范市人民政府关于稳定就业的意见"


def test_compact_form_keeps_offsets_and_simplifies_one_for_one() -> None:
    written = "自治 区農牧廳， 市 財政局 一、总体"
    norm = normalise(written, compact=True)
    assert norm.text == "自治区農牧廳,市財政局 一、总体"  # the space before a heading number stays
    assert norm.match == "自治区农牧厅,市财政局 一、总体"
    assert len(norm.origin) == len(norm.text) + 1
    span = norm.span(0, 6)
    assert written[span.start : span.end] == "自治 区農牧廳"


def test_html_fragment_of_inline_tags_only() -> None:
    fragment = "<font>一、总的方向</font><br><span>(一)做好第一件事。(责任单位:市财政局)</span>"
    e = extract_bytes(fragment.encode("utf-8"), "copied.txt")
    assert [(m.title, [a.name for a in m.agencies]) for m in e.measures] == [
        ("做好第一件事", ["市财政局"])
    ]
