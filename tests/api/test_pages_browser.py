"""The pages for people in REAL headless Chromium, network cut, against a running service.

The service mints IRIs under the default base (http://localhost:8000) but runs on a free
loopback port: every link must go through the origin being served, and the page says so
once. Expected values are read from data/jinan-2025-5.txt and the vocabularies:

* measure 5 (（五）促进高校毕业生等青年群体就业) ends with the clause
  ``(责任单位:市人力资源社会保障局、市发展改革委、市教育局、市民政局、市财政局、市农业农村局、
  市卫生健康委、团市委、市残联、市工商联按职责分工负责)``: ten agencies, no lead named, so
  every one is ``shared`` (共同负责);
* their canonical names are the prefLabels of ontology/vocab/agencies.ttl, their functions
  the labels of ontology/vocab/functions.ttl, and all ten are city-level (pkg:city, 市级).

Screenshots go to tests/artifacts/ for review.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import SKOS, Graph, URIRef

from api.app import create_app
from graph import pipeline
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from loaders import extract_file
from ontology.iris import Iris
from tests.live_server import serving
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
AGENCIES_TTL = ROOT / "ontology" / "vocab" / "agencies.ttl"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BASE = "http://localhost:8000"
pytestmark = pytest.mark.browser

AS_WRITTEN = [
    "市人力资源社会保障局", "市发展改革委", "市教育局", "市民政局", "市财政局",
    "市农业农村局", "市卫生健康委", "团市委", "市残联", "市工商联",
]  # fmt: skip
CANONICAL = [
    "济南市人力资源和社会保障局", "济南市发展和改革委员会", "济南市教育局", "济南市民政局",
    "济南市财政局", "济南市农业农村局", "济南市卫生健康委员会", "共青团济南市委员会",
    "济南市残疾人联合会", "济南市工商业联合会",
]  # fmt: skip
FUNCTIONS = [
    "人力资源社会保障", "发展改革", "教育", "民政", "财政", "农业农村", "卫生健康", "共青团",
    "残疾人联合会", "工商业联合会",
]  # fmt: skip


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if get_settings().ci:
            pytest.fail("chromium is missing (apt-get install chromium)")
        pytest.skip("chromium is missing (apt-get install chromium)")
    data = tmp_path_factory.mktemp("pages-browser")
    settings = Settings(data_dir=data, base_iri=BASE, neo4j_uri=None)
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(data / "oxigraph", iris)
    pipeline.load_extraction(extract_file(JINAN), store, None, iris)
    with serving(create_app(settings, rdf_store=store)) as origin:
        yield origin
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
        )
        yield b
        b.close()


class Visit:
    """A page with every request off the service aborted and recorded, console errors kept."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.outside: list[str] = []
        self.errors: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(origin + "/"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)

        def console(message: Any) -> None:
            if message.type == "error":
                self.errors.append(message.text)

        self.page.on("console", console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def texts(self, selector: str) -> list[str]:
        return [t.strip() for t in self.page.locator(selector).all_text_contents()]

    def column(self, table: str, n: int) -> list[str]:
        return self.texts(f"{table} tbody tr td:nth-child({n})")

    def links(self) -> list[str]:
        return list(self.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"))

    def links_follow(self, origin: str) -> bool:
        """No link names the configured base (links to our IRIs go through ``origin``;
        outside vocabularies such as dcterms: stay as they are), and there are such links."""
        links = self.links()
        return not any(x.startswith(BASE) for x in links) and any(
            x.startswith(origin + "/id/") for x in links
        )


def _measure_text(ordinal_marker: str) -> str:
    """The measure's paragraph in the bundled file, without its (五) numbering."""
    lines = JINAN.read_text(encoding="utf-8").splitlines()
    line = next(x for x in lines if x.startswith(ordinal_marker))
    return line[len(ordinal_marker) :]


def _clauses() -> list[list[str]]:
    """The agencies of every 责任单位 clause of the bundled file, as written, in order."""
    text = JINAN.read_text(encoding="utf-8")
    found = re.findall(r"\(责任单位:([^)]*?)(?:按职责分工负责)?\)", text)
    return [clause.split("、") for clause in found]


def _canonical_by_written() -> dict[str, str]:
    graph = Graph().parse(AGENCIES_TTL, format="turtle", publicID=BASE + "/")
    out: dict[str, str] = {}
    for agency in set(graph.subjects(SKOS.prefLabel, None)):
        assert isinstance(agency, URIRef)
        pref = str(next(graph.objects(agency, SKOS.prefLabel)))
        for alt in graph.objects(agency, SKOS.altLabel):
            out[str(alt)] = pref
        out[pref] = pref
    return out


def test_measure_page_shows_agencies_in_document_order(service: str, browser: Any) -> None:
    visit = Visit(browser, service)
    page = visit.page
    page.goto(f"{service}/id/document/jinan-2025-5/measure/5")
    assert page.locator("h1").text_content() == "措施 5 促进高校毕业生等青年群体就业"
    assert visit.column("#agencies", 1) == [str(n) for n in range(1, 11)]
    assert visit.column("#agencies", 2) == AS_WRITTEN
    assert visit.column("#agencies", 3) == CANONICAL
    assert visit.column("#agencies", 4) == ["共同负责 shared"] * 10
    assert visit.column("#agencies", 5) == FUNCTIONS
    assert visit.column("#agencies", 6) == ["市级 city"] * 10

    # the full text, with the clause and each agency highlighted where the document says them
    body = _measure_text("(五)")
    assert page.locator("#measure-text").text_content() == body
    assert visit.texts("#measure-text .agency") == AS_WRITTEN
    clause = "".join(visit.texts("#measure-text .clause"))
    assert clause == body[body.index("(责任单位:") :]
    groups = visit.texts("#measure-text .group")
    programs = visit.texts("#measure-text .program")
    assert programs == ["三支一扶", "大学生乡村医生"]  # the two quoted 计划/项目 names
    assert groups and all(g in body for g in groups)
    assert set(visit.texts("section h2 + ul.links a")) >= {"高校毕业生", "青年"}

    # links go through this origin; the page says once that IRIs are under another base
    assert visit.links_follow(service), visit.links()
    assert page.locator(".origin-note").count() == 1
    assert BASE in str(page.locator(".origin-note").text_content())
    assert page.locator("details.raw").get_attribute("open") is None  # triples folded
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-measure-5.png"), full_page=True)

    turtle = page.request.get(f"{service}/id/document/jinan-2025-5/measure/5?format=turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    page.click("#agencies tbody tr:first-child a")
    page.wait_for_url(f"{service}/id/agency/jinan-hrss")
    assert page.locator("h1").text_content() == "济南市人力资源和社会保障局"
    assert visit.errors == [] and visit.outside == []
    page.close()


def test_agency_page_lists_duties_and_partners(service: str, browser: Any) -> None:
    clauses = _clauses()
    assert len(clauses) == 20  # one clause per measure in this document
    canonical = _canonical_by_written()
    hrss = "济南市人力资源和社会保障局"
    mine = [i + 1 for i, c in enumerate(clauses) if hrss in {canonical[a] for a in c}]
    partners = Counter(
        canonical[a] for c in clauses if hrss in {canonical[x] for x in c} for a in set(c)
    )
    del partners[hrss]

    visit = Visit(browser, service)
    page = visit.page
    page.goto(f"{service}/id/agency/jinan-hrss")
    assert visit.column("table.duties", 1) == [str(n) for n in mine]
    assert len(mine) == 19
    metadata = dict(zip(visit.texts("#metadata th"), visit.texts("#metadata td"), strict=True))
    assert metadata["职能 Function"] == "人力资源社会保障"
    assert metadata["层级 Level"] == "市级 city"
    names, shared = visit.column("#partners", 1), visit.column("#partners", 2)
    assert dict(zip(names, map(int, shared), strict=True)) == dict(partners)
    assert [int(s) for s in shared] == sorted((int(s) for s in shared), reverse=True)
    assert page.locator(".chart svg").count() == 1  # the workload chart, inline SVG
    ego = page.locator("a[href^='/viz/ego?']")
    assert ego.count() == 1
    assert visit.links_follow(service), visit.links()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-agency-hrss.png"), full_page=True)

    ego.click()
    page.wait_for_function("() => window.policykg && window.policykg.rendered === true")
    assert page.evaluate("window.policykg.nodes.length") == 1 + 19 + len(partners)
    assert visit.errors == [] and visit.outside == []
    page.close()


def test_document_page_chapters_and_workload(service: str, browser: Any) -> None:
    clauses = _clauses()
    canonical = _canonical_by_written()
    load = Counter(canonical[a] for c in clauses for a in set(c))
    visit = Visit(browser, service)
    page = visit.page
    page.goto(f"{service}/id/document/jinan-2025-5")
    title = "济南市人民政府关于印发济南市促进高质量充分就业的若干措施的通知"
    assert page.locator("h1").text_content() == title
    chapters = JINAN.read_text(encoding="utf-8")
    titles = re.findall(r"^[一二三四五六七八九十]+、(.+)$", chapters, re.M)
    assert [re.sub(r"^第\d+章 ", "", t) for t in visit.texts("section.chapter h3 a")] == titles
    assert len(visit.texts("table.measures tbody tr")) == 20
    names, totals = visit.column("#workload", 1), visit.column("#workload", 2)
    assert dict(zip(names, map(int, totals), strict=True)) == dict(load)
    assert names[0] == "济南市人力资源和社会保障局" and totals[0] == "19"
    assert page.locator(".chart svg").count() == 1
    assert page.locator("a[href^='/viz/ego?']").count() == 0
    assert visit.links_follow(service), visit.links()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-document-jinan.png"), full_page=True)
    assert visit.errors == [] and visit.outside == []
    page.close()
