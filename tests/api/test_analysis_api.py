"""The coordination REST API and /viz pages, in process (FastAPI TestClient)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import coordination, viz
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris
from tests.graph.analysis.builders import DOC, SMALL, make_extraction

IRIS = Iris("http://localhost:8000")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = RdfStore.open(None, IRIS)
    store.ensure_vocabularies()
    spec = [list(r) for r in SMALL]
    spec[0][2] = '<img src=x onerror="window.__pwned=1">促进青年就业'
    store.load_document(make_extraction([tuple(r) for r in spec]))
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), base_iri=IRIS.base)
    app = create_app(settings, rdf_store=store)
    paths = {getattr(r, "path", "") for r in app.routes}
    for router in (coordination.router, viz.router):  # until api/app.py includes them
        if not any(p.startswith(router.prefix) for p in paths):
            app.include_router(router)
    with TestClient(app) as c:
        yield c
    store.close()


def test_workload_json_and_csv(client):
    body = client.get("/api/coordination/workload").json()
    first = body["items"][0]
    assert (first["label"], first["total"], first["lead"], first["sole"]) == ("市甲局", 4, 2, 1)
    r = client.get("/api/coordination/workload", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[1][:6] == ["市甲局", "4", "2", "0", "1", "1"]
    assert rows[1][6] == f"{DOC}#1 {DOC}#2 {DOC}#4 {DOC}#6"
    by_accept = client.get("/api/coordination/workload", headers={"Accept": "text/csv"})
    assert by_accept.text == r.text


def test_document_and_chapter_filters(client):
    r = client.get("/api/coordination/assignments", params={"document": DOC, "chapter": 2})
    assert [row["ordinal"] for row in r.json()["items"]] == [4, 5, 6]
    missing = client.get("/api/coordination/workload", params={"document": "nowhere-2025-1"})
    assert missing.status_code == 404 and "nowhere-2025-1" in missing.json()["detail"]
    bad = client.get("/api/coordination/workload", params={"chapter": 2})
    assert bad.status_code == 422 and "chapter" in bad.json()["detail"]
    assert client.get("/api/coordination/workload", params={"chapter": 0}).status_code == 422


def test_every_analysis_endpoint(client):
    assert client.get("/api/coordination/meetings").json()["slot_count"] == 4
    groups = client.get("/api/coordination/working-groups").json()["groups"]
    assert [g["convener_label"] for g in groups] == ["市甲局", "市丁局"]
    co = client.get("/api/coordination/coresponsibility").json()
    assert co["agencies"][0]["label"] == "市甲局" and len(co["bridges"]) == 2
    links = client.get("/api/coordination/coresponsibility/links").json()["items"]
    assert links[0]["weight"] == 2
    coverage = {r["label"]: r for r in client.get("/api/coordination/coverage").json()["items"]}
    assert coverage["妇女"]["single_agency"] is True
    duties = client.get("/api/coordination/duties", params={"format": "csv"}).text
    assert duties.count("\r\n") == 1 + 11  # header + one row per responsibility


def test_viz_pages_are_self_contained_and_escaped(client):
    r = client.get("/viz/accountability", params={"document": DOC})
    assert r.status_code == 200 and "default-src 'none'" in r.headers["content-security-policy"]
    assert "<img src=x" not in r.text  # only escaped inside the JSON block
    assert "\\u003cimg src=x onerror" in r.text
    assert client.get("/viz/ego", params={"measure": f"{DOC}/measure/2"}).status_code == 200
    assert client.get("/viz/ego").status_code == 422
    assert client.get("/viz/sankey").status_code == 422
    assert client.get("/viz/ego", params={"agency": "nobody"}).status_code == 404
    assert client.get("/viz").status_code == 200
