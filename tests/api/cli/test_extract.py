"""`policykg extract`: JSON on stdout, errors on stderr with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from tests.paths import ROOT

runner = CliRunner()


def test_extract_prints_the_extraction_as_json() -> None:
    result = runner.invoke(app, ["extract", str(ROOT / "data" / "jinan-2025-5.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"]["id"] == "jinan-2025-5"
    assert data["document"]["written_date"] == "2025-06-21"
    assert len(data["measures"]) == 20
    assert "source_text" not in data
    assert "济南市人民政府" in result.stdout  # ensure_ascii=False: Chinese stays readable


def test_extract_turtle_format() -> None:
    result = runner.invoke(
        app, ["extract", str(ROOT / "data" / "jinan-2025-5.txt"), "--format", "turtle"]
    )
    assert result.exit_code == 0, result.output
    assert "jinan-2025-5/measure/20" in result.stdout
    assert "济政发〔2025〕5号" in result.stdout


def test_extract_missing_file_exits_2_with_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_extract_text_without_measures_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("只有一句话。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 2
    assert "no recognisable measures" in result.stderr.replace("\n", "")


REALDOCS = ROOT.parent / "shared" / "realdocs"


def test_extract_report_lists_what_the_loader_was_unsure_of(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(
        "示范市人民政府关于印发示范措施的通知\n"
        "一、总体要求\n"
        "（一）指导思想。坚持就业优先。\n"
        "二、主要任务\n"
        "（二）做好第一件事。（市财政局、市教育局负责，列第一位者为牵头单位，下同）\n"
        "（三）做好第二件事。（责任单位：根据工作需要另行确定）\n"
        "（五）做好第三件事。（市民政局负责）\n"
        "（六）做好第四件事。\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", str(path), "--report"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("doc.txt: 示范市人民政府关于印发示范措施的通知\n")
    assert "4 measures, 3 responsibilities, 1 leads, 2 without agencies" in out
    assert "measures without agencies: 1 clause_unparsed, 1 no_clause" in out
    assert "lead rules applied (1):" in out
    assert "framework items skipped (2):" in out  # 总体要求 and 指导思想
    assert "clause-like text not read (1):" in out
    assert "measure 2: clause-like text not read: “(责任单位:根据工作需要另行确定)”" in out
    assert "numbering gaps (1):" in out and "skips from 3 to 5" in out
    assert "{" not in out  # a report, not JSON


def test_extract_report_of_a_document_without_clauses() -> None:
    path = REALDOCS / "27_guofa_2019_5_shuangsuiji.html"
    if not path.exists():
        return
    result = runner.invoke(app, ["extract", str(path), "--report"])
    assert result.exit_code == 0, result.output
    assert "10 measures, 0 responsibilities, 0 leads, 10 without agencies" in result.stdout
    assert "document names no responsible units (1):" in result.stdout


def test_extract_report_of_jinan_has_nothing_to_report() -> None:
    result = runner.invoke(app, ["extract", str(ROOT / "data" / "jinan-2025-5.txt"), "--report"])
    assert result.exit_code == 0, result.output
    # 66: the sum of the hand-read agency lists in tests/loaders/test_jinan.py
    assert "20 measures, 66 responsibilities" in result.stdout
    assert result.stdout.rstrip().endswith("nothing to report")
