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
