"""The Cypher query page in REAL headless Chromium against a running service and Neo4j.

It runs the first example (the ten agencies of measure 5), shows a refusal as text, renders
a script-looking value as text (no XSS), and sends no request off the machine.
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


def test_query_page_runs_examples_and_escapes_values(service: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
        )
        # Playwright's wait_for_function evaluates its string with eval, which the page's
        # CSP (script-src 'self') forbids; the page itself needs no eval and stays inert.
        page = browser.new_page(bypass_csp=True)

        def route(r: Any) -> None:
            if r.request.url.startswith(service):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(f"{service}/cypher/query")
        page.click("button[type=submit]")
        page.wait_for_selector("#result tbody tr")
        cells = page.locator("#result tbody tr td:nth-child(4)").all_text_contents()
        assert cells == [
            "市人力资源社会保障局", "市发展改革委", "市教育局", "市民政局", "市财政局",
            "市农业农村局", "市卫生健康委", "团市委", "市残联", "市工商联",
        ]  # fmt: skip
        page.screenshot(path=str(tmp_path / "cypher-page.png"), full_page=True)

        payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
        page.fill("#query", "RETURN $p AS payload")
        page.fill("#parameters", json.dumps({"p": payload}))
        page.click("button[type=submit]")
        page.wait_for_function("document.querySelector('#status').textContent.includes('1 rows')")
        assert page.locator("#result tbody td").text_content() == payload
        assert page.evaluate("window.__pwned") is None

        page.fill("#query", "MATCH (n) DETACH DELETE n")
        page.fill("#parameters", "{}")
        page.click("button[type=submit]")
        page.wait_for_function(
            "document.querySelector('#status').textContent.includes('Query refused')"
        )
        browser.close()
    assert outside == []
