"""How long a ~2,000-node view takes to open and answer a click in headless Chromium.

80 documents from bench/generate.py (seed 7) are loaded into a store and served. The server
first makes the page once (a plain GET: it reads the network and builds the view); then
Chromium opens ``/viz/accountability`` (network cut) twice, the page now kept in memory.
Reported, not asserted (the machine is shared): the server's time, and in the browser the
time to the page's first drawing and to a click on a node showing its text.
The numbers are printed (``pytest -s``) and written to tests/artifacts/view-timing.json.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from bench.generate import generate
from graph import pipeline
from graph.analysis.network import build_network, nodes_of_kind
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from ontology.iris import Iris
from tests.live_server import serving
from tests.paths import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCUMENTS = 80
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(browser: Any, origin: str) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(f"{origin}/viz/accountability", wait_until="domcontentloaded", timeout=120_000)
    loaded = time.perf_counter()
    page.wait_for_function(
        "() => window.policykg && window.policykg.rendered === true", timeout=120_000
    )
    drawn = time.perf_counter()
    # click the busiest agency (the biggest dot) and wait for its text in the side panel
    target = page.evaluate(
        """() => { const ns = window.policykg.nodes.get({filter: n => n.kind === 'agency'});
                   ns.sort((a, b) => b.size - a.size); return ns[0].id; }"""
    )
    tip = page.evaluate("id => window.policykg.nodes.get(id).tip", target)
    page.evaluate("id => window.policykg.network.focus(id, {scale: 1.0, animation: false})", target)
    xy = page.evaluate(
        "id => window.policykg.network.canvasToDOM(window.policykg.network.getPositions([id])[id])",
        target,
    )
    box = page.locator("#network").bounding_box()
    assert box is not None
    before_click = time.perf_counter()
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    page.wait_for_function(
        "tip => document.getElementById('info').textContent === tip", arg=tip, timeout=60_000
    )
    clicked = time.perf_counter()
    result = {
        "nodes": page.evaluate("window.policykg.nodes.length"),
        "edges": page.evaluate("window.policykg.edges.length"),
        "page_loaded_s": round(loaded - started, 3),
        "first_drawing_s": round(drawn - started, 3),
        "click_answered_s": round(clicked - before_click, 3),
        "interactive_s": round(clicked - started, 3),
        "outside": outside,
        "errors": errors,
    }
    page.screenshot(path=str(ARTIFACTS / "view-80-documents.png"))
    page.close()
    return result


def test_accountability_view_of_80_documents(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    corpus = tmp_path / "corpus"
    generate(DOCUMENTS, 7, corpus)
    settings = Settings(data_dir=tmp_path, neo4j_uri=None)
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(settings.rdf_store_dir, iris)
    store.ensure_vocabularies()
    report = pipeline.load_paths([corpus], store, None, iris, batch_size=20)
    assert sum(o.status == "loaded" for o in report.outcomes) == DOCUMENTS
    network = build_network(store)
    measures = len(nodes_of_kind(network, "measure"))
    agencies = len(nodes_of_kind(network, "agency"))
    duties = sum(1 for *_e, d in network.edges(data=True) if d["type"] == "responsible_for")
    ARTIFACTS.mkdir(exist_ok=True)
    timings: dict[str, Any] = {"documents": DOCUMENTS, "measures": measures}
    with serving(create_app(settings, rdf_store=store)) as origin, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(f"{origin}/viz/accountability", timeout=300) as answer:
            size = len(answer.read())
        timings["server_build_s"] = round(time.perf_counter() - started, 3)
        timings["page_bytes"] = size
        for attempt in ("first", "second"):
            got = _open(browser, origin)
            assert (got["nodes"], got["edges"]) == (measures + agencies, duties)
            assert got["outside"] == [] and got["errors"] == []
            timings[attempt] = got
        browser.close()
    store.close()
    (ARTIFACTS / "view-timing.json").write_text(json.dumps(timings, indent=2) + "\n")
    print(f"\nview of {DOCUMENTS} documents: {json.dumps(timings)}")
