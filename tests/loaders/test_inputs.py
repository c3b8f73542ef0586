"""Input handling: encodings, full-width text, saved web pages, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import extract_bytes, extract_file
from loaders.normalise import clean, normalise
from ontology.errors import LoaderError
from tests.paths import ROOT

DOCS = ROOT / "tests" / "fixtures" / "docs"
JINAN = ROOT / "data" / "jinan-2025-5.txt"


def without_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_spans(v) for k, v in value.items() if k not in ("span", "source_name")}
    if isinstance(value, list):
        return [without_spans(v) for v in value]
    return value


@pytest.fixture(scope="module")
def jinan_plain() -> Any:
    return without_spans(extract_file(JINAN).to_json_dict())


@pytest.mark.parametrize("name", ["jinan-2025-5-fullwidth.txt", "jinan-2025-5.html"])
def test_same_document_in_other_forms_extracts_the_same(name: str, jinan_plain: Any) -> None:
    ex = extract_file(DOCS / name)
    assert without_spans(ex.to_json_dict()) == jinan_plain
    for measure in ex.measures:
        span = measure.span
        assert clean(ex.source_text[span.start : span.end]).replace(" ", "") == measure.text
        for agency in measure.agencies:
            assert clean(ex.source_text[agency.span.start : agency.span.end]) == agency.name


def test_html_source_text_is_the_visible_text() -> None:
    ex = extract_file(DOCS / "jinan-2025-5.html")
    assert "这不是正文" not in ex.source_text  # script
    assert "隐藏的统计代码" not in ex.source_text  # display:none
    assert "版权所有" in ex.source_text  # footers are visible text, just not measures
    assert len(ex.measures) == 20
    assert "<p>" not in ex.source_text


def test_html_detected_by_media_type_and_by_sniffing() -> None:
    data = (DOCS / "jinan-2025-5.html").read_bytes()
    by_type = extract_bytes(data, "upload.bin", media_type="text/html; charset=utf-8")
    sniffed = extract_bytes(data, "upload.bin")
    assert by_type.document.id == sniffed.document.id == "jinan-2025-5"
    assert sniffed.source_text == by_type.source_text


def test_gbk_html_page_with_declared_charset() -> None:
    html = (DOCS / "jinan-2025-5.html").read_text(encoding="utf-8")
    data = html.replace('charset="utf-8"', 'charset="gb2312"').encode("gb18030")
    assert extract_bytes(data, "page.htm").document.doc_number == "济政发〔2025〕5号"


def test_utf8_with_bom_and_gbk_plain_text_decode() -> None:
    text = JINAN.read_text(encoding="utf-8")
    with_bom = extract_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.txt")
    gbk = extract_bytes(text.encode("gb18030"), "b.txt")
    assert with_bom.source_text == text
    assert gbk.source_text == text
    assert without_spans(gbk.to_json_dict()) == without_spans(with_bom.to_json_dict())


def test_normalise_keeps_offsets() -> None:
    norm = normalise("（一）　市人社局，\r\n  ＡＢ")
    assert norm.text == "(一) 市人社局,\nAB"
    span = norm.span(4, 8)
    assert "（一）　市人社局，\r\n  ＡＢ"[span.start : span.end] == "市人社局"


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match=r"missing\.txt: cannot read file"):
        extract_file(tmp_path / "missing.txt")


def test_unknown_encoding_names_the_file() -> None:
    with pytest.raises(LoaderError, match=r"weird\.txt: unknown text encoding"):
        extract_bytes(b"\xfa\xfb" + bytes(range(128, 256)) * 3, "weird.txt")


def test_text_without_measures_names_what_is_missing() -> None:
    with pytest.raises(LoaderError, match=r"notes\.txt: no recognisable measures"):
        extract_bytes("这是一段没有编号的说明文字。".encode(), "notes.txt")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_loader_error(data: bytes) -> None:
    try:
        ex = extract_bytes(data, "fuzz.bin")
    except LoaderError:
        return
    assert ex.measures


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(
                [
                    "一、",
                    "(一)",
                    "（二）",
                    "1.",
                    "第一条",
                    "\n",
                    "。",
                    "(责任单位:",
                    "市人社局",
                    "、",
                    "牵头",
                    "配合)",
                    "“",
                    "”",
                    "<p>",
                    "2025年6月21日",
                ]
            ),
        ),
        max_size=40,
    )
)
def test_arbitrary_text_raises_only_loader_error(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        ex = extract_bytes(text.encode("utf-8"), "fuzz.txt")
    except LoaderError:
        return
    for measure in ex.measures:
        assert 0 <= measure.span.start <= measure.span.end <= len(ex.source_text)
