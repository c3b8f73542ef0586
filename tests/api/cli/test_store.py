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
    assert "loaded 1, replaced 0, unchanged 0, failed 1 (RDF store)" in flat(result.output)

    result = invoke("load", str(JINAN), "--no-neo4j")
    assert result.exit_code == 0, result.output
    assert "loaded 0, replaced 0, unchanged 1, failed 0" in flat(result.output)

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
    assert "jinan-2025-5 (jinan-2025-5.txt) loaded (rdf, neo4j): 20 measures" in flat(result.output)
    assert stat_row(invoke("stats", "--neo4j").output, "agencies") == ["21", "21"]
    result = invoke("verify", "--neo4j")
    assert result.exit_code == 0, result.output
    assert "Neo4j holds the same" in flat(result.output)
    # a node only Neo4j has is a difference: exit code 1, named in the output
    neo4j.execute_query("CREATE (:Agency {iri: 'http://x.test/extra', id: 'x', name: 'x'})")
    result = invoke("verify", "--neo4j")
    assert result.exit_code == 1
    assert "node only in Neo4j: (:Agency http://x.test/extra)" in flat(result.output)


def _jinan_copy(folder: Path, name: str, edit: str = "") -> Path:
    path = folder / name
    path.write_text(JINAN.read_text(encoding="utf-8") + edit, encoding="utf-8")
    return path


def test_folder_load_summarises_and_names_replacements(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _jinan_copy(folder, "a-jinan.txt")
    # the same 发文字号 from another file, with different content: replaces, and says so
    _jinan_copy(folder, "b-jinan.txt", "\n附件：无\n")
    result = invoke("load", str(folder), "--no-neo4j")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert (
        "loaded 1, replaced 1 (same id as an earlier file: a-jinan.txt → b-jinan.txt), "
        "unchanged 0, failed 0 (RDF store)"
    ) in out
    assert "jinan-2025-5 (b-jinan.txt) replaced (rdf), same id as a-jinan.txt: 20 measures" in out
    assert "66 responsibilities in 20 measures" in out  # the count of the last summary line
    assert "┃ document" not in result.output  # the per-file table needs --verbose
    assert "┃ document" in invoke("load", str(folder), "--no-neo4j", "--verbose").output


def test_dry_run_lists_the_ids_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    result = invoke("load", str(JINAN), "--no-neo4j", "--dry-run")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "would write jinan-2025-5 jinan-2025-5.txt" in out
    assert "would load 1, replaced 0, unchanged 0, failed 0 (RDF store, nothing written)" in out
    assert stat_row(invoke("stats", "--no-neo4j").output, "documents") == ["0"]


def test_verify_validates_only_what_changed(data_dir: Path) -> None:
    assert invoke("load", str(JINAN), "--no-neo4j").exit_code == 0
    first = flat(invoke("verify", "--no-neo4j").output)
    assert "1 documents conform to the SHACL shapes (1 validated)" in first
    again = flat(invoke("verify", "--no-neo4j").output)
    assert "(0 validated, 1 unchanged since they conformed (--full validates all))" in again
    full = flat(invoke("verify", "--no-neo4j", "--full").output)
    assert "1 documents conform to the SHACL shapes (1 validated)" in full


def test_neo4j_lost_during_load_is_one_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph import pipeline
    from ontology.errors import StoreUnavailable

    def gone(*args: Any, **kwargs: Any) -> Any:
        raise StoreUnavailable(
            "Neo4j became unreachable while writing document jinan-2025-5 (Couldn't connect "
            "to 127.0.0.1:7687 (resolved to ...)); nothing of it was written to Neo4j"
        )

    monkeypatch.setattr(pipeline, "load_paths", gone)
    result = invoke("load", str(JINAN), "--no-neo4j")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    text = flat(result.output)
    assert text.startswith(
        "error: Neo4j became unreachable while writing document jinan-2025-5; the batch being "
        "written was rolled back in both stores"
    )
    assert "127.0.0.1" not in text
    assert len(lines) <= 3  # one message (wrapped by the terminal width at most)
