"""``/id/...`` paths are judged before any query: a malformed id is a 400 that names the
rule (never SPARQL parser text), an unknown one a 404, and a long path is not echoed whole.
Before the fix each malformed id reached SPARQL text and came back as a "Query syntax error"
with the parser's message, and a 60 KB path was repeated in full in the 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

TURTLE = {"Accept": "text/turtle"}


@pytest.mark.parametrize(
    "path",
    [
        "/id/agency/a%5Cb",  # a backslash
        "/id/agency/a\\b",
        "/id/agency/a%00b",  # NUL
        "/id/agency/a\\u003Eb",  # a SPARQL escape spelled in the path
        "/id/agency/%7B%7D",  # {}
        "/id/agency/%22x",  # "
        "/id/agency/a%3Eb",  # >
        "/id/agency/a%20b",  # a space
        "/id/agency/%FF",  # not UTF-8
        "/id/agency/%2E%2E",  # a dot-segment, escaped
    ],
)
def test_malformed_ids_are_400_without_sparql_internals(client: TestClient, path: str) -> None:
    for accept in ("text/turtle", "text/html"):
        r = client.get(path, headers={"Accept": accept})
        assert r.status_code == 400, (path, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["status"] == 400 and body["title"] == "Invalid identifier"
        for internal in ("SPARQL", "expected", "IRI parsing", "syntax"):
            assert internal not in body["detail"], body["detail"]


def test_unknown_id_is_404(client: TestClient) -> None:
    r = client.get("/id/agency/no-such-agency", headers=TURTLE)
    assert r.status_code == 404 and r.json()["title"] == "Not found"
    assert "no-such-agency" in r.json()["detail"]


def test_known_ids_still_dereference_also_percent_encoded(client: TestClient) -> None:
    plain = client.get("/id/agency/jinan-drc", headers=TURTLE)
    assert plain.status_code == 200
    assert "<http://localhost:8000/id/agency/jinan-drc>" in plain.text
    # %2D is "-": the same IRI, spelled as Iris mints it
    encoded = client.get("/id/agency/jinan%2Ddrc", headers=TURTLE)
    assert encoded.status_code == 200 and encoded.text == plain.text
    measure = client.get("/id/document/jinan-2025-5/measure/1", headers={"Accept": "text/html"})
    assert measure.status_code == 200


@pytest.mark.parametrize("prefix", ["/id/agency/", "/no-such-route/"])
def test_a_long_path_is_echoed_as_a_short_prefix(client: TestClient, prefix: str) -> None:
    r = client.get(prefix + "x" * 60_000, headers=TURTLE)
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert len(detail) < 200 and "x" * 40 in detail and "…" in detail


def test_empty_segment_is_404(client: TestClient) -> None:
    assert client.get("/id/agency/", headers=TURTLE).status_code == 404
