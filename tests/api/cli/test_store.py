"""`policykg load | stats | verify | remove` through typer's CliRunner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import Settings, get_settings
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def flat(output: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(output.split())


def stat_row(output: str, label: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {label} " in line)
    return [cell.strip() for cell in line.strip("│ ").split("│")][1:]


def test_load_stats_remove_without_neo4j(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / JINAN.name).write_text(JINAN.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.txt").write_text("[bold]没有措施[/bold]\n", encoding="utf-8")

    result = invoke("load", str(folder), "--no-neo4j")
    assert result.exit_code == 2
    assert "broken.txt" in result.output
    assert "1 loaded, 0 unchanged, 1 failed (RDF store)" in flat(result.output)

    result = invoke("load", str(JINAN), "--no-neo4j")
    assert result.exit_code == 0, result.output
    assert "0 loaded, 1 unchanged, 0 failed" in flat(result.output)

    result = invoke("stats", "--no-neo4j")
    assert result.exit_code == 0, result.output
    assert stat_row(result.output, "documents") == ["1"]
    assert stat_row(result.output, "measures") == ["20"]
    assert stat_row(result.output, "responsibilities") == ["66"]

    assert invoke("remove", "jinan-2025-5", "--no-neo4j").exit_code == 0
    gone = invoke("remove", "jinan-2025-5", "--no-neo4j")
    assert gone.exit_code == 2
    assert "jinan-2025-5 is in neither store" in flat(gone.output)
    assert stat_row(invoke("stats", "--no-neo4j").output, "documents") == ["0"]


def test_load_of_a_missing_path_is_an_error(data_dir: Path) -> None:
    result = invoke("load", str(data_dir / "nope.txt"), "--no-neo4j")
    assert result.exit_code == 2
    assert "nope.txt: no such file or folder" in flat(result.output)


def test_load_verify_with_neo4j(data_dir: Path, neo4j: Any, settings: Settings) -> None:
    result = invoke("load", str(JINAN), "--neo4j")
    assert result.exit_code == 0, result.output
    assert "loaded (rdf, neo4j)" in result.output
    assert stat_row(invoke("stats", "--neo4j").output, "agencies") == ["21", "21"]
    result = invoke("verify", "--neo4j")
    assert result.exit_code == 0, result.output
    assert "Neo4j holds the same" in flat(result.output)
    # a node only Neo4j has is a difference: exit code 1, named in the output
    neo4j.execute_query("CREATE (:Agency {iri: 'http://x.test/extra', id: 'x', name: 'x'})")
    result = invoke("verify", "--neo4j")
    assert result.exit_code == 1
    assert "node only in Neo4j: (:Agency http://x.test/extra)" in flat(result.output)
