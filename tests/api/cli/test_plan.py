"""`policykg plan` and `policykg viz` against an on-disk store (typer CliRunner)."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.rdf.store import RdfStore
from graph.settings import get_settings
from ontology.iris import Iris
from tests.graph.analysis.builders import SMALL, make_extraction


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYKG_BASE_IRI", "http://localhost:8000")
    get_settings.cache_clear()
    settings = get_settings()
    spec = [list(r) for r in SMALL]
    spec[2][2] = "[bold red]支持妇女就业[/bold red]"  # rich markup in a title stays text
    with RdfStore.open(settings.rdf_store_dir, Iris(settings.normalised_base())) as store:
        store.ensure_vocabularies()
        store.load_document(make_extraction([tuple(r) for r in spec]))
    yield tmp_path
    get_settings.cache_clear()


def test_plan_prints_tables_and_exports(data_dir):
    out = data_dir / "export"
    result = CliRunner().invoke(app, ["plan", "--export", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "市甲局" in result.output
    assert "4 slots, lower bound 4 (optimal" in result.output
    assert "[bold red]支持妇女就业[/bold red]" in result.output
    with (out / "workload.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][:6] == ["市甲局", "4", "2", "0", "1", "1"]
    assert (out / "plan.xlsx").stat().st_size > 0 and (out / "plan.md").exists()


def test_plan_errors_are_one_line(data_dir):
    result = CliRunner().invoke(app, ["plan", "--document", "nowhere-2025-1"])
    assert result.exit_code == 2
    assert "nowhere-2025-1" in result.output and "Traceback" not in result.output


def test_viz_writes_utf8_html(data_dir):
    target = data_dir / "views" / "co.html"
    result = CliRunner().invoke(app, ["viz", "coresponsibility", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "5 nodes, 5 edges" in result.output
    assert "市甲局" in target.read_bytes().decode("utf-8")
    bad = CliRunner().invoke(app, ["viz", "sankey", "-o", str(target)])
    assert bad.exit_code == 2 and "sankey" in bad.output
