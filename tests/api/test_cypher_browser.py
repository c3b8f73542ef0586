"""The Cypher query page in REAL headless Chromium against a running service and Neo4j.

It runs the first example (the ten agencies of measure 5), shows a refusal as text, renders
a script-looking value as text (no XSS), completes labels read from the graph in the
CodeMirror editor, and sends no request off the machine. The page runs under its own CSP;
screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from graph import pipeline
from graph.neo4j import queries as q
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from loaders import extract_file
from ontology.iris import Iris
from tests.api.test_query_editor_browser import sealed_page
from tests.live_server import serving
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


@pytest.fixture
def service(neo4j: Any, tmp_path: Path) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")

    settings = Settings(data_dir=tmp_path, base_iri="http://localhost:8000")
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(tmp_path / "oxigraph", iris)
    with neo4j.session() as session:
        session.run(q.WIPE).consume()
    pipeline.load_extraction(extract_file(JINAN), store, neo4j, iris, "neo4j")
    app = create_app(settings, rdf_store=store, neo4j_driver=neo4j)
    with serving(app) as base:
        yield base
    store.close()


def _set_query(page: Any, text: str) -> None:
    """Replace the editor's text, as a paste would (the editor's own API)."""
    page.evaluate("text => window.policykgCypher.setValue(text)", text)


def _offered(page: Any, first: str) -> list[str]:
    """The completion list once ``first`` is its selected option; after CodeMirror's
    interaction delay (75 ms), so that Enter takes it rather than breaking the line."""
    page.locator(".cm-tooltip-autocomplete li[aria-selected=true]", has_text=first).wait_for()
    page.wait_for_timeout(200)
    options = page.locator(".cm-tooltip-autocomplete li").all_text_contents()
    return [t.strip() for t in options]


def _status(page: Any, text: str) -> None:
    page.locator("#status", has_text=text).wait_for()


def test_query_page_runs_examples_and_escapes_values(service: str) -> None:
    with sealed_page(service) as s:
        page = s.page
        page.goto(f"{service}/cypher/query")
        page.wait_for_selector("#query .cm-editor .cm-content")
        page.click("button[type=submit]")
        page.wait_for_selector("#result tbody tr")
        cells = page.locator("#result tbody tr td:nth-child(4)").all_text_contents()
        assert cells == [
            "市人力资源社会保障局", "市发展改革委", "市教育局", "市民政局", "市财政局",
            "市农业农村局", "市卫生健康委", "团市委", "市残联", "市工商联",
        ]  # fmt: skip
        s.screenshot("cypher-page.png")

        payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
        _set_query(page, "RETURN $p AS payload")
        page.fill("#parameters", json.dumps({"p": payload}))
        page.click("button[type=submit]")
        _status(page, "1 rows")
        assert page.locator("#result tbody td").text_content() == payload
        assert page.evaluate("window.__pwned") is None

        _set_query(page, "MATCH (n) DETACH DELETE n")
        page.fill("#parameters", "{}")
        page.click("button[type=submit]")
        _status(page, "Query refused")
        assert s.csp_violations() == []
    # The refusal is a 4xx the browser logs as a failed resource; nothing else may be logged.
    assert [e for e in s.errors if "status of 400" not in e] == []
    assert s.outside == []


def test_editor_completes_labels_from_the_graph_and_runs_typed_queries(
    service: str, neo4j: Any
) -> None:
    with sealed_page(service) as s:
        page = s.page
        page.goto(f"{service}/cypher")
        page.wait_for_selector("#query[data-schema=loaded]")
        # The schema came through the read-only endpoint (the three procedures): as many
        # labels, types and keys as the graph has (the page documents five types).
        posts = [r for r in s.requests if r.method == "POST" and "CALL db." in (r.post_data or "")]
        called = sorted(json.loads(r.post_data)["query"].split()[1] for r in posts)
        assert called == ["db.labels()", "db.propertyKeys()", "db.relationshipTypes()"]
        with neo4j.session() as session:
            labels = session.run("CALL db.labels() YIELD label RETURN count(*)").single()[0]
            keys = session.run("CALL db.propertyKeys() YIELD propertyKey RETURN count(*)")
            key_count = keys.single()[0]
        assert labels >= 6
        assert page.locator("#schema-status").text_content() == (
            f"· 补全 completion: {labels} labels, 5 relationship types, {key_count} property keys"
        )

        page.click("#query .cm-content")
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type("MATCH (n:Me")
        assert "Measure" in _offered(page, "Measure")
        s.screenshot("cypher-completion.png")

        page.keyboard.press("Enter")  # take the completion
        page.keyboard.type(" {ordi")  # property keys are offered too
        assert "ordinal" in _offered(page, "ordinal")
        page.keyboard.press("Enter")
        page.keyboard.type(": 5}) RETURN n.title AS title")
        page.keyboard.press("Escape")
        text = page.evaluate("window.policykgCypher.codemirror.state.doc.toString()")
        assert text == "MATCH (n:Measure {ordinal: 5}) RETURN n.title AS title"
        page.fill("#parameters", "{}")
        page.click("#query .cm-content")
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#result tbody tr")
        # Measure 5 of data/jinan-2025-5.txt: "(五)促进高校毕业生等青年群体就业。"
        assert page.locator("#result tbody td").all_text_contents() == [
            "促进高校毕业生等青年群体就业"
        ]
        s.screenshot("cypher-typed-query.png")

        # Relationship types complete the same way, colon kept.
        page.click("#query .cm-content")
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type("MATCH (a)-[:RESP")
        assert _offered(page, "RESPONSIBLE_FOR")[0] == "RESPONSIBLE_FOR"
        page.keyboard.press("Enter")
        text = page.evaluate("window.policykgCypher.codemirror.state.doc.toString()")
        assert text == "MATCH (a)-[:RESPONSIBLE_FOR]"
        assert s.csp_violations() == []
    assert s.errors == []
    assert s.outside == []
