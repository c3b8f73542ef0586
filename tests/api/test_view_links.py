"""Agency and measure pages link to their ego views, and the link opens the right view."""

from __future__ import annotations

import json
import re
from html import unescape

from fastapi.testclient import TestClient

from ontology.iris import Iris

IRIS = Iris("http://localhost:8000")
HTML = {"Accept": "text/html"}


def _view_nodes(page: str) -> list[dict[str, object]]:
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the view embeds its data as JSON"
    data = json.loads(match.group(1))
    return list(data["nodes"])


def _ego_link(client: TestClient, iri: str) -> str:
    page = client.get(iri.removeprefix(IRIS.base), headers=HTML)
    assert page.status_code == 200
    links = re.findall(r'href="(/viz/ego\?[^"]+)"', page.text)
    assert len(links) == 1
    return unescape(links[0])


def test_agency_page_links_to_its_ego_view(client: TestClient) -> None:
    agency = str(IRIS.agency("jinan-hrss"))
    view = client.get(_ego_link(client, agency))
    assert view.status_code == 200
    nodes = _view_nodes(view.text)
    # the agency and the 19 measures it answers for (every one but measure 2)
    assert sum(1 for n in nodes if n.get("kind") == "measure") == 19
    assert any(n.get("id") == agency for n in nodes)


def test_measure_page_links_to_its_ego_view(client: TestClient) -> None:
    measure = str(IRIS.measure("jinan-2025-5", 5))
    view = client.get(_ego_link(client, measure))
    assert view.status_code == 200
    nodes = _view_nodes(view.text)
    assert sum(1 for n in nodes if n.get("kind") == "agency") == 10


def test_document_page_has_no_ego_link(client: TestClient) -> None:
    page = client.get(str(IRIS.document("jinan-2025-5")).removeprefix(IRIS.base), headers=HTML)
    assert page.status_code == 200
    assert "/viz/ego?" not in page.text


def test_kind_of_inverts_the_factories() -> None:
    assert IRIS.kind_of(str(IRIS.document("d-1"))) == "document"
    assert IRIS.kind_of(str(IRIS.chapter("d-1", 2))) == "chapter"
    assert IRIS.kind_of(str(IRIS.measure("d-1", 7))) == "measure"
    assert IRIS.kind_of(str(IRIS.responsibility("d-1", 7, 1))) == "responsibility"
    assert IRIS.kind_of(str(IRIS.agency("jinan-hrss"))) == "agency"
    assert IRIS.kind_of(str(IRIS.target_group("youth"))) == "group"
    assert IRIS.kind_of(str(IRIS.program("x"))) == "program"
    assert IRIS.kind_of("http://elsewhere.example/id/agency/x") is None
    assert IRIS.kind_of(f"{IRIS.base}/id/agency/x/y") is None
