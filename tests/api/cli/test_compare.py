"""`policykg compare DOC_A DOC_B [--export DIR]` and `policykg plan --by function` against an
on-disk store (typer CliRunner).

The provincial chain fixture (岳政发〔2023〕15号) against tests/fixtures/compare's second city
(石政发〔2024〕8号): measures 1 and 2 taken over with new leads, 3 dropped, one added.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from graph.rdf.store import RdfStore
from graph.settings import get_settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

PROVINCE = ROOT / "tests" / "fixtures" / "chain" / "provincial-yuezhengfa-2023-15.txt"
SHIMEN = ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYKG_BASE_IRI", "http://localhost:8000")
    get_settings.cache_clear()
    settings = get_settings()
    with RdfStore.open(settings.rdf_store_dir, Iris(settings.normalised_base())) as store:
        store.ensure_vocabularies()
        store.load_document(extract_file(PROVINCE))
        store.load_document(extract_file(SHIMEN))
    yield tmp_path
    get_settings.cache_clear()


def test_compare_prints_and_exports(data_dir: Path) -> None:
    out = data_dir / "cmp"
    result = CliRunner().invoke(
        app,
        ["compare", "dongyue-yzf-2023-15", "shimen-2024-8", "--export", str(out)],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert "2 aligned (score ≥ 0.25), 1 only in A, 1 only in B" in result.output
    assert "扶持退役军人创业" in result.output
    with (out / "compare.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [(r[0], r[5]) for r in rows[1:]] == [("1", "1"), ("2", "2"), ("3", ""), ("", "3")]
    with (out / "compare_functions.csv").open(encoding="utf-8-sig", newline="") as f:
        functions = [r[0] for r in csv.reader(f)][1:]
    assert functions == ["人力资源社会保障", "财政", "教育", "退役军人事务"]
    assert (out / "compare_roles.csv").is_file()
    book = load_workbook(out / "compare.xlsx")
    assert book.sheetnames == ["compare", "compare_roles", "compare_functions"]
    assert book["compare"]["G2"].value == "落实一次性扩岗补助"
    markdown = (out / "compare.md").read_text(encoding="utf-8")
    assert markdown.startswith("# 措施对照 东岳省人民政府关于做好青年就业工作的实施意见")
    assert "| 2 | 挖掘公共岗位 |" in markdown


def test_compare_errors_are_one_line(data_dir: Path) -> None:
    unknown = CliRunner().invoke(app, ["compare", "dongyue-yzf-2023-15", "nowhere-2025-1"])
    assert unknown.exit_code == 2
    assert "nowhere-2025-1" in unknown.output and "Traceback" not in unknown.output
    same = CliRunner().invoke(app, ["compare", "shimen-2024-8", "shimen-2024-8"])
    assert same.exit_code == 2 and "different" in same.output


def test_plan_by_function_exports_the_lead_matrix(data_dir: Path) -> None:
    out = data_dir / "fn"
    result = CliRunner().invoke(
        app, ["plan", "--by", "function", "--export", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    with (out / "lead_matrix.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = [r[:7] for r in csv.reader(f)][1:]
    assert rows == [  # 岳政发〔2023〕15号: 1 人社+财政, 2 人社+教育 负责 (shared), 3 人社 sole
        ["dongyue-yzf-2023-15", "岳政发〔2023〕15号", "人力资源社会保障", "1", "2", "0", "3"],
        ["dongyue-yzf-2023-15", "岳政发〔2023〕15号", "财政", "0", "1", "0", "1"],
        ["dongyue-yzf-2023-15", "岳政发〔2023〕15号", "教育", "0", "1", "0", "1"],
        ["shimen-2024-8", "石政发〔2024〕8号", "人力资源社会保障", "0", "0", "2", "2"],
        ["shimen-2024-8", "石政发〔2024〕8号", "财政", "1", "0", "1", "2"],
        ["shimen-2024-8", "石政发〔2024〕8号", "教育", "1", "0", "0", "1"],
        ["shimen-2024-8", "石政发〔2024〕8号", "退役军人事务", "1", "0", "0", "1"],
    ]
    with (out / "workload_by_function.csv").open(encoding="utf-8-sig", newline="") as f:
        workload = list(csv.reader(f))
    assert workload[0][0] == "职能 function"
    assert workload[1][:6] == ["人力资源社会保障", "5", "0", "2", "2", "1"]
    svg = (out / "lead-matrix.svg").read_text(encoding="utf-8")
    assert "2 of 2 documents × 4 of 4 functions" in svg
    assert (out / "plan_by_function.xlsx").is_file() and (out / "plan_by_function.md").is_file()
    assert not (out / "workload.csv").exists()  # agency-headed tables are not written
    bad = CliRunner().invoke(app, ["plan", "--by", "program"])
    assert bad.exit_code == 2
