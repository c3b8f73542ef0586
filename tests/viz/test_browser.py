"""The views in real headless Chromium with the network cut: they render, count right, stay
offline, and document text with HTML/JS payloads runs nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.analysis.network import network_from_extractions
from graph.settings import get_settings
from tests.graph.analysis.builders import IRIS, SMALL, iri, make_extraction
from tests.paths import ROOT
from tests.viz.test_views import synthetic_network
from viz.render import write_html
from viz.views import build_view

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '<a href="javascript:window.__pwned=3" onmouseover="window.__pwned=3">链接 href</a>',
    "<svg onload=window.__pwned=4>",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if get_settings().ci:
            pytest.fail("chromium is missing at /usr/bin/chromium (required under CI)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            proxy={"server": "http://127.0.0.1:9"},  # a proxy to nowhere
            args=["--no-sandbox"],
        )
        yield b
        b.close()


def xss_graph():
    spec = [list(row) for row in SMALL]
    for i, payload in enumerate(PAYLOADS):
        spec[i][2] = f"{payload}措施{i + 1}"
    ex = make_extraction([tuple(r) for r in spec], chapters={1: PAYLOADS[3] + "章", 2: PAYLOADS[1]})
    return network_from_extractions([ex], IRIS)


def open_page(browser, path: Path):
    """Open a file with every non-file request aborted and recorded; return page, log."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    log: dict[str, list[str]] = {"requests": [], "errors": []}

    def route(r):
        url = r.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            r.continue_()
        else:
            log["requests"].append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => window.policykg && window.policykg.rendered === true", timeout=10_000
    )
    return page, log


@pytest.mark.parametrize(
    ("kind", "options", "nodes", "edges"),
    [
        ("accountability", {}, 11, 11),
        ("coresponsibility", {}, 5, 5),
        ("groups", {}, 9, 7),
        ("ego", {"measure": "testcity-2025-1/measure/2"}, 6, 5),
    ],
)
def test_view_renders_offline_and_inert(browser, tmp_path, kind, options, nodes, edges):
    path = write_html(build_view(xss_graph(), kind, **options), tmp_path / f"{kind}.html")
    page, log = open_page(browser, path)
    assert page.evaluate("window.policykg.nodes.length") == nodes
    assert page.evaluate("window.policykg.edges.length") == edges
    # hover every node so each tooltip is built and shown
    for node_id in page.evaluate("window.policykg.nodes.getIds()"):
        xy = page.evaluate(
            "id => { const p = window.policykg.network.getPositions([id])[id];"
            " return window.policykg.network.canvasToDOM(p); }",
            node_id,
        )
        box = page.locator("#network").bounding_box()
        page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
        page.wait_for_timeout(30)
    page.mouse.click(10, 10)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, svg, a[href]').length") == 0
    assert log["requests"] == []
    assert log["errors"] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"view-{kind}.png"))
    page.close()


def test_tooltip_shows_payload_as_text(browser, tmp_path):
    graph = xss_graph()
    path = write_html(build_view(graph, "accountability"), tmp_path / "a.html")
    page, log = open_page(browser, path)
    m1 = iri("m1")
    xy = page.evaluate(
        "id => window.policykg.network.canvasToDOM(window.policykg.network.getPositions([id])[id])",
        m1,
    )
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
    page.wait_for_selector("div.vis-tooltip .pkg-tip", state="visible", timeout=5000)
    text = page.evaluate("document.querySelector('div.vis-tooltip .pkg-tip').textContent")
    assert PAYLOADS[0] + "措施1" in text
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    assert PAYLOADS[0] in page.evaluate("document.getElementById('info').textContent")
    assert page.evaluate("window.__pwned") is None
    assert log["errors"] == [] and log["requests"] == []
    page.close()


@pytest.mark.slow
def test_two_thousand_nodes_usable_within_five_seconds(browser, tmp_path):
    graph = synthetic_network(measures=1700, agencies=300, seed=7)
    started = time.perf_counter()
    path = write_html(build_view(graph, "accountability"), tmp_path / "big.html")
    build_s = time.perf_counter() - started
    page, log = open_page(browser, path)
    total_s = time.perf_counter() - started
    assert page.evaluate("window.policykg.nodes.length") == 2000
    assert log["errors"] == [] and log["requests"] == []
    assert total_s < 5.0, f"build {build_s:.2f}s, build+render {total_s:.2f}s"
    page.screenshot(path=str(ARTIFACTS / "view-2000.png"))
    page.close()


@pytest.mark.parametrize(
    ("kind", "options", "nodes", "edges"),
    [
        # 20 measures + 21 agencies; 66 responsibilities in the 20 责任单位 clauses
        ("accountability", {}, 41, 66),
        ("coresponsibility", {}, 21, None),
        ("ego", {"agency": "济南市教育局"}, 18, 26),
    ],
)
def test_jinan_views(browser, tmp_path, kind, options, nodes, edges):
    from graph.analysis.coresponsibility import coresponsibility_graph
    from loaders import extract_file
    from ontology.iris import Iris

    data = ROOT / "data" / "jinan-2025-5.txt"
    graph = network_from_extractions([extract_file(data)], Iris("http://localhost:8000"))
    if edges is None:
        edges = coresponsibility_graph(graph).number_of_edges()
    path = write_html(build_view(graph, kind, **options), tmp_path / f"jinan-{kind}.html")
    page, log = open_page(browser, path)
    assert page.evaluate("window.policykg.nodes.length") == nodes
    assert page.evaluate("window.policykg.edges.length") == edges
    assert log["errors"] == [] and log["requests"] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"jinan-{kind}.png"))
    page.close()
