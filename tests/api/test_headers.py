"""HEAD wherever GET works (RFC 9110 §9.3.2) and security headers on every HTML page.

Before the fix every route answered HEAD with 405, and only ``/viz`` pages carried a CSP and
``nosniff``; none had ``frame-ancestors``/``X-Frame-Options`` or a ``Referrer-Policy``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.settings import get_settings
from tests.api.conftest import make_app
from tests.live_server import serving
from viz.render import CSP as VIZ_CSP

#: Sample values for the path parameters of the documented GET routes (ids of the Jinan
#: document: measure 1, agency 济南市发展改革委 jinan-drc, group 大学生).
SAMPLES = {
    "{doc_id}": "jinan-2025-5",
    "{ordinal}": "1",
    "{agency_id}": "jinan-drc",
    "{group_id}": "university-students",
    "{kind}": "accountability",
    "{path}": "agency/jinan-drc",
}
HTML_PAGES = [
    "/",
    "/browse/measures",
    "/browse/measures?q=%E6%AE%8B%E7%96%BE",
    "/query",
    "/cypher",
    "/cypher/query",
    "/docs",
    "/ontology",
    "/id/agency/jinan-drc",
    "/id/document/jinan-2025-5/measure/1",
    "/viz",
    "/viz/accountability",
]


def _required_query(operation: dict[str, Any]) -> bool:
    return any(p["in"] == "query" and p.get("required") for p in operation.get("parameters", []))


def _get_paths(client: TestClient) -> list[str]:
    schema = client.get("/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        if _required_query(operations["get"]):
            continue  # /api/compare?a=&b= needs two documents: tests/api/test_compare.py
        if "{program_id}" in path:
            first = client.get("/api/programs").json()["items"][0]["id"]
            path = path.replace("{program_id}", first)
        for name, value in SAMPLES.items():
            path = path.replace(name, value)
        assert "{" not in path, path
        paths.append(path)
    return [*paths, "/", "/browse/measures", "/query", "/docs", "/openapi.json", "/static/query.js"]


def test_head_answers_like_get_on_every_get_route(client: TestClient) -> None:
    paths = _get_paths(client)
    assert len(paths) >= 25
    for path in paths:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        if "content-length" in got.headers:
            assert head.headers["content-length"] == str(len(got.content)), path


def test_head_on_unknown_paths_is_404(client: TestClient) -> None:
    assert client.head("/no-such-page").status_code == 404
    assert client.head("/id/agency/no-such-agency").status_code == 404


@pytest.mark.parametrize("path", HTML_PAGES)
def test_security_headers_on_every_html_page(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    if path.startswith("/viz"):
        # the views keep their own policy (no request may leave the page)
        assert csp.startswith(VIZ_CSP.rstrip("; "))
    else:
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in _directive(csp, "script-src")


def _directive(csp: str, name: str) -> str:
    return next((d.strip() for d in csp.split(";") if d.strip().startswith(name)), "")


@pytest.mark.parametrize("path", [p for p in HTML_PAGES if not p.startswith("/viz")])
def test_the_csp_allows_exactly_the_scripts_of_the_page(client: TestClient, path: str) -> None:
    """Every script of an app page comes from /static or is an inline script whose hash the
    policy lists (only /docs has one: Swagger UI's start-up call); no inline handlers."""
    r = client.get(path, headers={"Accept": "text/html"})
    script_src = _directive(r.headers["content-security-policy"], "script-src")
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.DOTALL):
        if "src=" in attrs:
            assert re.search(r'src="/static/(vendor/)?[\w.-]+\.js"', attrs), (path, attrs)
            assert not body.strip()
        elif "application/json" not in attrs:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src, path
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", r.text), path
    assert "javascript:" not in r.text.lower(), path


def test_non_html_answers_get_nosniff_but_no_page_policy(client: TestClient) -> None:
    r = client.get("/api/measures")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in r.headers
    problem = client.get("/api/measures/jinan-2025-5/999")
    assert problem.status_code == 404 and problem.headers["x-content-type-options"] == "nosniff"


# --- in a real browser ------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def live_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Jinan app under uvicorn on a free loopback port (no Neo4j)."""
    if not Path(CHROMIUM).exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")

    test_client, store = make_app(tmp_path_factory.mktemp("headers-live"))
    with serving(test_client.app) as base:
        yield base
    store.close()


#: Collects CSP violations the page reports (an inline script or handler the policy blocks).
_WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});"""


@pytest.mark.browser
def test_pages_run_under_their_csp_and_query_links_only_web_iris(live_service: str) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
        )
        page = browser.new_page()
        page.add_init_script(_WATCH_CSP)

        def route(r: Any) -> None:
            if r.request.url.startswith(live_service):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        for path in ("/", "/cypher", "/ontology", "/id/agency/jinan-drc"):
            page.goto(live_service + path)
            assert page.evaluate("window.__csp") == [], path
        page.goto(live_service + "/docs")
        page.wait_for_selector(".opblock", timeout=15_000)  # Swagger UI ran and read the API
        assert page.evaluate("window.__csp") == []

        page.goto(live_service + "/query")
        page.wait_for_selector(".tabPanel.active .yasqe .CodeMirror")
        page.evaluate(
            "q => window.policykgYasgui.getTab().getYasqe().setValue(q)",
            "SELECT ?js ?web ?upper ?data WHERE { "
            'BIND(IRI("javascript:window.__pwned=1") AS ?js) '
            'BIND(IRI("http://localhost:8000/id/agency/jinan-drc") AS ?web) '
            'BIND(IRI("JavaScript:window.__pwned=2") AS ?upper) '
            'BIND(IRI("data:text/html,x") AS ?data) }',
        )
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr")
        links = page.eval_on_selector_all(".yasr .dataTable a[href]", "as => as.map(a => a.href)")
        assert links == ["http://localhost:8000/id/agency/jinan-drc"]
        # column 1 is YASR's row number; the IRIs YASR cannot shorten show in <…>
        cells = page.locator(".yasr .dataTable tbody td").all_text_contents()
        assert cells[1] == "<javascript:window.__pwned=1>"
        assert cells[3] == "<JavaScript:window.__pwned=2>"
        page.locator(".yasr .dataTable tbody td").nth(1).click()
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("window.__csp") == []
        browser.close()
    assert outside == []
