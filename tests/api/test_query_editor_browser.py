"""The SPARQL query page (YASGUI, vendored) in REAL headless Chromium against the Jinan app.

The network is cut (a dead proxy, every non-loopback request aborted and recorded), the
page's own CSP applies (no bypass), and console errors fail the test. Screenshots go to
``tests/artifacts/`` (git-ignored) for review.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from graph.settings import get_settings
from tests.api.conftest import make_app
from tests.live_server import serving
from tests.paths import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
VENDOR = ROOT / "api" / "static" / "vendor"

#: Collects CSP violations the page reports.
WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});"""


@dataclass
class Sealed:
    """A page whose requests may only reach ``base``; what else it tried and said is kept."""

    page: Any
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("window.__csp"))

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path


@contextmanager
def sealed_page(base: str) -> Iterator[Sealed]:
    """Chromium with no route off the machine: a dead proxy for everything but loopback and
    route interception that aborts (and records) any request not to ``base``."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sealed = Sealed(page)
        page.add_init_script(WATCH_CSP)

        def console(message: Any) -> None:
            if message.type == "error":
                sealed.errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda e: sealed.errors.append(str(e)))

        def route(r: Any) -> None:
            sealed.requests.append(r.request)
            if r.request.url.startswith(base + "/"):
                r.continue_()
            else:
                sealed.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        try:
            yield sealed
        finally:
            browser.close()


@pytest.fixture(scope="module")
def live_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Jinan app under uvicorn on a free loopback port (no Neo4j)."""
    test_client, store = make_app(tmp_path_factory.mktemp("query-editor-live"))
    with serving(test_client.app) as base:
        yield base
    store.close()


def readme_first_sparql_query() -> str:
    """The query of the README's "A first SPARQL query" (the text inside ``query='…'``)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A first SPARQL query", 1)[1]
    match = re.search(r"--data-urlencode 'query=\n(.*?)'\n", section, re.DOTALL)
    assert match, "README: no query in the first SPARQL section"
    return match.group(1)


#: Measure 5 of data/jinan-2025-5.txt names ten units "（责任单位：市人力资源社会保障局、
#: 市发展改革委、市教育局、市民政局、市财政局、市农业农村局、市卫生健康委、团市委、市残联、
#: 市工商联按职责分工负责）"; the document states no lead rule, so all ten are ``shared``,
#: and skos:prefLabel is each one's canonical name in ontology/vocab/agencies.ttl.
MEASURE_5 = [
    "济南市人力资源和社会保障局",
    "济南市发展和改革委员会",
    "济南市教育局",
    "济南市民政局",
    "济南市财政局",
    "济南市农业农村局",
    "济南市卫生健康委员会",
    "共青团济南市委员会",
    "济南市残疾人联合会",
    "济南市工商业联合会",
]


def _column(page: Any, n: int) -> list[str]:
    """Text of the n-th variable's cells of YASR's table (column 1 is YASR's row number)."""
    cells = page.locator(f".yasr .dataTable tbody tr td:nth-child({n + 1})")
    return [t.strip() for t in cells.all_text_contents()]


def _run(page: Any) -> None:
    page.click(".tabPanel.active .yasqe_queryButton")
    page.wait_for_selector(".tabPanel.active .yasr .dataTable tbody tr")


@pytest.mark.browser
def test_yasgui_runs_the_readme_query_on_our_endpoint(live_service: str) -> None:
    query = readme_first_sparql_query()
    assert query.startswith("SELECT ?rank ?name ?role WHERE {")
    with sealed_page(live_service) as s:
        page = s.page
        page.goto(f"{live_service}/query")
        page.wait_for_selector(".tabPanel.active .yasqe .CodeMirror")
        # One YASGUI tab per example, named by its Chinese question.
        tab_names = [t.strip("✖ \n") for t in page.locator(".tabsList .tab").all_inner_texts()]
        assert tab_names[0] == "哪些单位共同负责的措施最多？"
        assert len(tab_names) == len(page.locator("button.example").all())
        # The endpoint field shows this origin's /sparql.
        assert page.input_value(".tabPanel.active .autocomplete") == f"{live_service}/sparql"

        page.evaluate("q => window.policykgYasgui.getTab().getYasqe().setValue(q)", query)
        # The predeclared prefixes are known to the editor: no syntax error is marked.
        assert page.locator(".tabPanel.active .parseErrorIcon").count() == 0
        _run(page)

        assert _column(page, 1) == [f'"{n}"^^xsd:integer' for n in range(1, 11)]
        assert _column(page, 2) == MEASURE_5
        assert _column(page, 3) == ["pkg:shared"] * 10
        roles = page.eval_on_selector_all(
            ".yasr .dataTable tbody td:nth-child(4) a", "as => as.map(a => a.href)"
        )
        assert roles == ["http://localhost:8000/ontology#shared"] * 10
        s.screenshot("query-yasgui-readme.png")

        # The request is the SPARQL 1.1 protocol's POST of a form, to our endpoint, unchanged.
        posts = [r for r in s.requests if r.method == "POST"]
        assert [r.url for r in posts] == [f"{live_service}/sparql"]
        assert posts[0].headers["content-type"] == "application/x-www-form-urlencoded"
        assert posts[0].headers["accept"].startswith("application/sparql-results+json")
        assert parse_qs(posts[0].post_data) == {"query": [query]}

        page.click(".tabPanel.active .yasr .select_response")
        page.wait_for_selector(".tabPanel.active .yasr .CodeMirror")
        assert '"济南市教育局"' in page.locator(".tabPanel.active .yasr .CodeMirror").inner_text()
        assert s.csp_violations() == []
    assert s.errors == []
    assert s.outside == []


@pytest.mark.browser
def test_example_buttons_select_their_tab_and_run_it(live_service: str) -> None:
    with sealed_page(live_service) as s:
        page = s.page
        page.goto(f"{live_service}/query")
        page.wait_for_selector(".tabPanel.active .yasqe .CodeMirror")
        page.click("#ex-disabled-persons")
        page.wait_for_selector(".tabPanel.active .yasr .dataTable tbody tr")
        active = page.locator(".tabsList .tab.active").inner_text().strip("✖ \n")
        assert active == "哪些措施面向残疾人？由哪些单位负责？"
        # Measures 5, 7 and 16 name 残疾人 (tests/api/test_sparql_protocol.py).
        assert _column(page, 1) == [f'"{n}"^^xsd:integer' for n in (5, 7, 16)]
        s.screenshot("query-yasgui-example.png")

        # Completion stays offline: YASQE's class/property completers (they ask
        # lov.linkeddata.es) are off; asking for completions sends nothing anywhere.
        completers = page.evaluate(
            "window.policykgYasgui.getTab().getYasqe().config.autocompleters"
        )
        assert completers == ["prefixes", "variables"]
        page.evaluate("window.policykgYasgui.getTab().getYasqe().setValue('SELECT * { ?s a ')")
        page.click(".tabPanel.active .yasqe .CodeMirror-line")
        page.keyboard.press("End")
        page.keyboard.type("skos:Con")
        page.keyboard.press("Control+Space")
        page.keyboard.type("cept . ?s rdfs:lab")
        page.keyboard.press("Control+Space")
        page.wait_for_timeout(500)

        # A refused query shows the problem, as text, in YASR.
        page.evaluate(
            "q => window.policykgYasgui.getTab().getYasqe().setValue(q)",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        )
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_selector(".tabPanel.active .yasr .errorResult")
        assert "400" in page.locator(".tabPanel.active .yasr .errorResult").inner_text()
        assert s.csp_violations() == []
    # YASGUI itself logs nothing for a 4xx; the browser logs the failed fetch.
    assert [e for e in s.errors if "400 (Bad Request)" not in e] == []
    assert s.outside == []


def test_vendored_bundles_match_the_pinned_packages_and_carry_their_licenses() -> None:
    """api/static/vendor/ is what frontend/ builds from its lock file (rebuild: frontend/README)."""
    pinned = json.loads((ROOT / "frontend" / "package.json").read_text())["devDependencies"]
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())["packages"]
    licenses = (VENDOR / "LICENSES.txt").read_text(encoding="utf-8")
    for name in ("@zazuko/yasgui", "@neo4j-cypher/codemirror"):
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned[name]), f"{name} is not pinned exactly"
        assert lock[f"node_modules/{name}"]["version"] == pinned[name]
        assert f"\n{name} {pinned[name]} — " in licenses
    assert "Permission is hereby granted" in licenses  # MIT texts
    assert "Apache License" in licenses  # Apache-2.0 texts
    sizes = {p.name: p.stat().st_size for p in VENDOR.iterdir()}
    assert set(sizes) == {
        "LICENSES.txt", "yasgui.js", "yasgui.css", "cypher-editor.js", "cypher-editor.css",
    }  # fmt: skip
    assert sum(sizes.values()) < 4_000_000
