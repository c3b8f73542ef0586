"""The synthetic-corpus generator: deterministic, and its documents extract as planned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.generate import (
    chinese_numeral,
    doc_spec,
    generate,
    render,
    responsibility_clause,
)
from loaders import extract_file


def test_chinese_numerals_as_documents_write_them() -> None:
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 19, 20, 21, 40)] == [
        "一",
        "九",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "四十",
    ]
    with pytest.raises(ValueError):
        chinese_numeral(100)


def test_responsibility_phrasings() -> None:
    abc = ["市财政局", "市教育局", "团市委"]
    assert (
        responsibility_clause(abc, "duty") == "(责任单位:市财政局、市教育局、团市委按职责分工负责)"
    )
    assert responsibility_clause(abc, "lead_support") == (
        "（牵头单位：市财政局；配合单位：市教育局、团市委）"
    )
    assert responsibility_clause(abc, "lead_inline") == "（市财政局牵头，市教育局、团市委配合）"
    assert responsibility_clause(abc, "lead_paren") == "（市财政局（牵头）、市教育局、团市委）"
    assert responsibility_clause(["市财政局"], "single") == "(责任单位:市财政局)"
    assert responsibility_clause([], "none") == ""


def test_same_seed_same_corpus_and_prefix_stable(tmp_path: Path) -> None:
    first = generate(6, 3, tmp_path / "a")
    second = generate(9, 3, tmp_path / "b")
    assert first == second[:6]
    for entry in first:
        name = str(entry["file"])
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    other = generate(6, 4, tmp_path / "c")
    assert [e["agencies"] for e in other] != [e["agencies"] for e in first]


def test_plan_shape() -> None:
    for index in range(40):
        spec = doc_spec(11, index)
        measures = sum(len(c) for c in spec.measures_by_chapter)
        assert 10 <= measures <= 40
        assert len(spec.chapters) == len(spec.measures_by_chapter) >= 2
        assert all(len(c) >= 1 for c in spec.measures_by_chapter)
    cities = {doc_spec(11, i).city for i in range(40)}
    assert len(cities) == 20


def test_text_layout_matches_the_portal_format() -> None:
    spec = doc_spec(5, 0)
    text = render(spec, 5, 0)
    lines = text.splitlines()
    assert lines[0].startswith("• 索引号: ")
    assert lines[4] == f"  • 发文字号: {spec.doc_number} 有效性: 0"
    assert spec.doc_number == "济政发〔2016〕1号"
    assert f"一、{spec.chapters[0]}" in lines
    assert sum(1 for line in lines if line.startswith("(")) >= 10


def test_generated_documents_extract_with_the_planned_counts(tmp_path: Path) -> None:
    manifest = generate(8, 21, tmp_path)
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest
    for entry in manifest:
        extraction = extract_file(tmp_path / str(entry["file"]))
        assert extraction.document.id == entry["doc_id"]
        assert extraction.document.jurisdiction == entry["jurisdiction"]
        assert len(extraction.chapters) == entry["chapters"]
        assert len(extraction.measures) == entry["measures"]
        assert [[a.name for a in m.agencies] for m in extraction.measures] == entry["agencies"]
