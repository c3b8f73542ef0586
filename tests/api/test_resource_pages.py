"""The pages for people behind /id/... (no browser): what they show, in what order, escaped,
linked through the serving origin; RDF for machines unchanged. Plus the highlighting rules.

Jinan facts are read from data/jinan-2025-5.txt: measure 5's clause names ten agencies
按职责分工负责 (all ``shared``); measure 1's names 市发展改革委 then 市人力资源社会保障局.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import Request
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from api.app import create_app
from api.deps import notify_write
from api.highlight import Mark, clause_ranges, segments
from api.routes.pages import fill_note_slot
from graph import pipeline
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.api.conftest import make_app

HTML = {"Accept": "text/html"}
M5 = "/id/document/jinan-2025-5/measure/5"
AS_WRITTEN = [
    "市人力资源社会保障局", "市发展改革委", "市教育局", "市民政局", "市财政局",
    "市农业农村局", "市卫生健康委", "团市委", "市残联", "市工商联",
]  # fmt: skip


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def one(page: BeautifulSoup, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


def column(page: BeautifulSoup, table: str, n: int) -> list[str]:
    return [
        row.find_all("td")[n - 1].get_text(strip=True) for row in page.select(f"{table} tbody tr")
    ]


# --------------------------------------------------------------------------- highlighting
def test_clause_is_the_bracket_around_its_agencies() -> None:
    text = "做好甲事。（牵头单位：市甲局；配合单位：市乙局）"
    a, b = text.index("市甲局"), text.index("市乙局")
    assert clause_ranges(text, [(a, a + 3), (b, b + 3)]) == [(5, len(text))]
    # a bracket inside the clause (市丙局（牵头）) does not end it early
    text = "做好乙事。(市丙局（牵头）、市丁局)其余照办。"
    c, d = text.index("市丙局"), text.index("市丁局")
    assert clause_ranges(text, [(c, c + 3), (d, d + 3)]) == [(5, text.index("其"))]


def test_clause_without_bracket_is_its_sentence_and_two_clauses_stay_two() -> None:
    text = "做好丙事。责任单位：市甲局、市乙局。另做丁事（市丙局负责）。"
    a, b, c = (text.index(n) for n in ("市甲局", "市乙局", "市丙局"))
    assert clause_ranges(text, [(a, a + 3), (b, b + 3), (c, c + 3)]) == [
        (5, text.index("另")),
        (text.index("（"), text.index("）") + 1),
    ]
    assert clause_ranges(text, []) == []


def test_segments_nest_marks_and_link_the_innermost() -> None:
    text = "甲乙丙丁戊"
    agency = Mark(2, 4, "agency", "/id/agency/x", "X局")
    marks = [Mark(1, 5, "clause"), agency, Mark(9, 12, "group")]
    got = [(s.text, s.kinds, s.href, s.title) for s in segments(text, marks)]
    assert got == [
        ("甲", (), None, None),
        ("乙", ("clause",), None, None),
        ("丙丁", ("clause", "agency"), "/id/agency/x", "X局"),
        ("戊", ("clause",), None, None),
    ]
    assert "".join(s.text for s in segments(text, [])) == text


# --------------------------------------------------------------------------- Jinan pages
def test_measure_page_agencies_in_document_order(client: TestClient) -> None:
    r = client.get(M5, headers=HTML)
    assert r.status_code == 200 and r.headers["vary"] == "Accept"
    page = soup(r.text)
    assert column(page, "#agencies", 1) == [str(n) for n in range(1, 11)]
    assert column(page, "#agencies", 2) == AS_WRITTEN
    assert column(page, "#agencies", 4) == ["共同负责 shared"] * 10
    # IRI order (responsibility/1, /10, /2, ...) is not the document's: rank 10 comes last
    assert column(page, "#agencies", 3)[-1] == "济南市工商业联合会"
    assert [a.get_text() for a in page.select("#measure-text a.agency")] == AS_WRITTEN
    hrefs = [a["href"] for a in page.select("#agencies tbody a")]
    assert hrefs[:2] == ["/id/agency/jinan-hrss", "/id/agency/jinan-drc"]
    # the text is shown once, in the text block, not as one more triple row on top
    assert len(page.select("details.raw")) == 1
    assert one(page, "details.raw").find("td", string="pkg:text") is not None
    assert len(page.select("a[href^='/viz/ego?']")) == 1


def test_measure_1_roles_and_rdf_unchanged(client: TestClient) -> None:
    page = soup(client.get("/id/document/jinan-2025-5/measure/1", headers=HTML).text)
    assert column(page, "#agencies", 2) == ["市发展改革委", "市人力资源社会保障局"]
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = client.get(M5, headers={"Accept": accept})
        assert r.headers["content-type"].startswith(accept) and r.headers["vary"] == "Accept"
        g = Graph().parse(data=r.content, format=fmt)
        measure = URIRef("http://localhost:8000" + M5)
        ranks = g.objects(measure, URIRef("http://localhost:8000/ontology#responsibility"))
        assert len(set(ranks)) == 10


def test_format_links_and_their_errors(client: TestClient) -> None:
    page = soup(client.get(M5, headers=HTML).text)
    links = {a.get_text(): a["href"] for a in page.select("p.iri a")}
    assert links == {
        "Turtle": M5 + "?format=turtle",
        "JSON-LD": M5 + "?format=jsonld",
        "N-Triples": M5 + "?format=ntriples",
    }
    r = client.get(links["JSON-LD"], headers=HTML)  # a browser's Accept: the link decides
    assert r.headers["content-type"].startswith("application/ld+json")
    assert Graph().parse(data=r.content, format="json-ld")
    bad = client.get(M5 + "?format=xml", headers=HTML)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "turtle" in bad.json()["detail"]


def test_document_and_agency_pages(client: TestClient) -> None:
    doc = soup(client.get("/id/document/jinan-2025-5", headers=HTML).text)
    assert len(doc.select("section.chapter")) == 6
    assert len(doc.select("table.measures tbody tr")) == 20
    assert column(doc, "#workload", 1)[0] == "济南市人力资源和社会保障局"
    assert column(doc, "#workload", 2)[0] == "19"
    agency = soup(client.get("/id/agency/jinan-edu", headers=HTML).text)
    assert one(agency, "h1").get_text() == "济南市教育局"
    names, shared = column(agency, "#partners", 1), column(agency, "#partners", 2)
    partners = dict(zip(names, shared, strict=True))
    assert partners["济南市人力资源和社会保障局"] == "6"
    # a chapter keeps the generic table of its triples
    chapter = soup(client.get("/id/document/jinan-2025-5/chapter/1", headers=HTML).text)
    assert chapter.select("table.triples") and not chapter.select("#agencies")


def test_origin_note_only_when_base_differs(client: TestClient) -> None:
    other = soup(client.get(M5, headers=HTML).text)  # TestClient serves http://testserver
    notes = other.select(".origin-note")
    assert len(notes) == 1 and "http://localhost:8000" in notes[0].get_text()
    assert "http://testserver" in notes[0].get_text()
    same = TestClient(client.app, base_url="http://localhost:8000")
    assert soup(same.get(M5, headers=HTML).text).select(".origin-note") == []


def test_kept_home_page_notes_each_requests_origin(client: TestClient) -> None:
    """The home page is kept per write, but its origin note belongs to each request."""
    other = soup(client.get("/").text)  # made here, for http://testserver
    assert "http://testserver" in one(other, ".origin-note").get_text()
    same = TestClient(client.app, base_url="http://localhost:8000")
    assert soup(same.get("/").text).select(".origin-note") == []  # the kept page, no note
    again = soup(client.get("/").text)
    assert len(again.select(".origin-note")) == 1
    # the origin comes from the Host header: escaped when it is put in
    scope = {"type": "http", "scheme": "http", "path": "/", "query_string": b"",
             "headers": [(b"host", b"x<b>y")], "app": client.app}  # fmt: skip
    kept = '<footer><p class="origin-note">\x00origin-note\x00</p>policykg</footer>'
    raw = fill_note_slot(kept, Request(scope))
    filled = soup(raw).select(".origin-note")
    assert len(filled) == 1 and not filled[0].select("b") and "<b>" not in raw


def test_non_default_base_links_through_the_origin(tmp_path: Path) -> None:
    base = "https://policy.example.org/kg"
    test_client, store = make_app(tmp_path, base_iri=base)
    with test_client as c:
        page = soup(c.get(M5, headers=HTML).text)
        hrefs = [str(a["href"]) for a in page.select("a[href]")]
        assert "/id/agency/jinan-hrss" in hrefs
        assert not any(h.startswith(base) for h in hrefs)
        assert base in one(page, ".origin-note").get_text()
        assert one(page, "p.iri code").get_text() == base + M5
    store.close()


# --------------------------------------------------------------------------- escaping
DOCUMENT = """  • 标题: 测试市人民政府关于印发测试市稳就业若干措施的通知
  • 发文字号: 测政发〔2025〕9号
测试市人民政府关于印发测试市稳就业若干措施的通知

测试市稳就业若干措施

一、强化就业服务

(一)促进高校毕业生<script>window.__pwned=1</script>就业。实施高校毕业生就业见习计划。(责任单位:市人力资源社会保障局、市财政局按职责分工负责)

(二)帮扶困难人员就业。落实补贴。(牵头单位：市民政局；配合单位：市财政局、市教育局)

(三)开展技能培训。组织职业技能培训。(牵头单位：市人力资源社会保障局；牵头负责领导：王明；时限要求：2025年底前)
"""


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[TestClient, str, str]:
    source = tmp_path / "ceshi.txt"
    source.write_text(DOCUMENT, encoding="utf-8")
    extraction = extract_file(source)
    settings = Settings(data_dir=tmp_path, neo4j_uri=None)
    iris = Iris(settings.normalised_base())
    store = RdfStore.open(settings.rdf_store_dir, iris)
    store.ensure_vocabularies()
    pipeline.load_extraction(extraction, store, None, iris)
    doc = extraction.document.id
    civil = next(a.id for a in extraction.measures[1].agencies if a.name == "市民政局")
    return TestClient(create_app(settings, rdf_store=store)), doc, civil


def test_document_text_is_escaped_and_roles_shown(hostile: tuple[TestClient, str, str]) -> None:
    client, doc, civil = hostile
    r = client.get(f"/id/document/{doc}/measure/1", headers=HTML)
    assert r.status_code == 200
    assert "<script>window.__pwned" not in r.text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in r.text
    two = soup(client.get(f"/id/document/{doc}/measure/2", headers=HTML).text)
    assert column(two, "#agencies", 2) == ["市民政局", "市财政局", "市教育局"]
    assert column(two, "#agencies", 4) == ["牵头 lead", "配合 support", "配合 support"]
    text = one(two, "#measure-text").get_text()
    clause = "".join(s.get_text() for s in two.select("#measure-text .clause"))
    assert clause == text[text.index("牵头单位") - 1 :]  # the bracketed clause closing it
    page = soup(client.get(f"/id/agency/{civil}", headers=HTML).text)
    assert column(page, "table.duties", 3) == ["牵头 lead"]
    assert "<script>window" not in client.get(f"/id/document/{doc}", headers=HTML).text


def test_deadline_and_leaders_where_stated(hostile: tuple[TestClient, str, str]) -> None:
    client, doc, _civil = hostile
    three = soup(client.get(f"/id/document/{doc}/measure/3", headers=HTML).text)
    facts = dict(
        zip(
            (dt.get_text() for dt in three.select("dl.clause-facts dt")),
            (dd.get_text() for dd in three.select("dl.clause-facts dd")),
            strict=True,
        )
    )
    assert facts == {"时限 Deadline": "2025年底前", "责任领导 Leaders": "王明"}
    assert column(three, "#agencies", 2) == ["市人力资源社会保障局"]  # the leader is no agency
    assert column(three, "#agencies", 4) == ["牵头 lead"]
    assert not soup(client.get(f"/id/document/{doc}/measure/2", headers=HTML).text).select(
        "dl.clause-facts"
    )


def test_elsewhere_lists_the_same_measure_of_another_document(
    hostile: tuple[TestClient, str, str], tmp_path: Path
) -> None:
    client, doc, _civil = hostile
    alone = soup(client.get(f"/id/document/{doc}/measure/1", headers=HTML).text)
    assert alone.select("table.elsewhere") == []  # no other document yet
    # another city's document with the same three measures, word for word
    other = DOCUMENT.replace("测试市", "样例市").replace("测政发", "样政发")
    source = tmp_path / "yangli.txt"
    source.write_text(other, encoding="utf-8")
    extraction = extract_file(source)
    state: Any = getattr(client.app, "state")  # noqa: B009 (the FastAPI app's state)
    pipeline.load_extraction(extraction, state.rdf_store, None, state.iris)
    notify_write(state)
    page = soup(client.get(f"/id/document/{doc}/measure/1", headers=HTML).text)
    rows = page.select("table.elsewhere tbody tr")
    assert len(rows) == 1
    link = one(page, "table.elsewhere tbody a")
    assert link["href"] == f"/id/document/{extraction.document.id}/measure/1"
    assert "样例市人民政府关于印发样例市稳就业若干措施的通知" in rows[0].get_text()
    assert "<script>window" not in str(rows[0])
