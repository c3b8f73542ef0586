"""Fuzz the query endpoints of a real server over one keep-alive connection (issue 10 §2).

A uvicorn server on a free loopback port serves the Jinan graph; one ``httpx.Client`` with a
single connection sends random and mutated SPARQL (GET, form POST, direct POST) and Cypher
(POST JSON, GET ``parameters=``) requests. Every answer must be below 500 except a 503 for a
time limit (or, for Cypher without Neo4j, the 503 that says how to start it); every error is
a problem document; and the next request must work on the same connection. Before the fix
the issue's cases (replayed first, from test_bad_input) gave 500s and reset the connection.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.routes.examples import EXAMPLES
from graph import pipeline
from graph.neo4j.queries import CYPHER_EXAMPLES
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.api.conftest import make_app
from tests.api.test_bad_input import CYPHER_CASES, SPARQL_CASES
from tests.live_server import serving
from tests.paths import ROOT

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROBLEM = "application/problem+json"
#: 503 titles that are allowed: a time limit, a busy pool, Neo4j not there.
ALLOWED_503 = {"Query time limit exceeded", "Store unavailable"}


class Live:
    """A server and one client with exactly one connection to it."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(
            base_url=base,
            timeout=60,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self.port: int | None = None

    def check(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        assert status < 500 or status == 503, (what, status, response.text[:300])
        if status >= 400:
            assert response.headers["content-type"] == PROBLEM, (what, response.text[:300])
            body = response.json()
            assert body["status"] == status and body["detail"], what
            if status == 503:
                assert body["title"] in ALLOWED_503, (what, body)
        self.same_connection(response, what)

    def same_connection(self, response: httpx.Response, what: str) -> None:
        """The next request works, on the connection the last one used (no reset)."""
        port = _local_port(response)
        follow = self.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert follow.status_code == 200 and follow.json()["boolean"] is True, what
        assert _local_port(follow) == port, (what, "the connection was not kept")


def _local_port(response: httpx.Response) -> int:
    stream = response.extensions["network_stream"]
    return int(stream.get_extra_info("client_addr")[1])


def _serve(app: Any) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The Jinan graph without Neo4j; a 2 s query limit keeps runaway fuzz queries short."""
    test_client, store = make_app(tmp_path_factory.mktemp("fuzz"), query_timeout_s=2.0)
    for base in _serve(test_client.app):
        client = Live(base)
        with client.client:
            yield client
    service = getattr(test_client.app.state, "sparql", None)
    if service is not None:
        service.close()
    store.close()


# --- strategies -----------------------------------------------------------------------------
#: Pieces that matter to the guard and both parsers: keywords, brackets, comments, every line
#: terminator, escapes (valid, out of range, surrogates), IRIs, literals, non-ASCII.
TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "SERVICE", "FROM", "FROM NAMED",
    "GRAPH", "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "VALUES", "LIMIT 5", "ORDER BY",
    "GROUP BY", "INSERT DATA", "DELETE", "LOAD", "CLEAR", "DROP", "WITH", "COPY", "?from",
    "?s", "?p", "?o", "*", "{", "}", "(", ")", "[", "]", ".", ";", ",", "#", "# c\n", "\n", "\r",
    "\r\n", "\u2028", "\u0085", "\f", "\t", " ", "\\u0041", "\\U0010FFFF", "\\U00110000",
    "\\UFFFFFFFF", "\\uD800", "\\u005Cu0041", "\\", '"', "'", '"""', "<http://127.0.0.1:9/x>",
    "<>", "<", ">", "pkg:Measure", "rdfs:label", "a", "IRI(", "STR(", "REGEX(", "1", "-1",
    "99999999999999999999", "1e999", '"x"@zh', '"1"^^xsd:integer', "济南", "\x00", "\ufeff",
    "PREFIX x: <http://x/>", "BASE <http://x/>", "SERVICE <http://127.0.0.1:9/>",
]  # fmt: skip
SPARQL_SEEDS = [e["query"] for e in EXAMPLES] + [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?m a pkg:Measure }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2",
    "DESCRIBE <http://localhost:8000/id/agency/jinan-drc>",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str], tokens: list[str]) -> str:
    """A seed query with a few edits: tokens inserted, slices cut or doubled, cut short."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "cut", "double", "truncate", "char"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(tokens)) + text[at:]
        elif kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif kind == "double":
            text = text[:at] + text[at : at + 40] * draw(st.integers(2, 40)) + text[at:]
        elif kind == "truncate":
            text = text[:at]
        else:
            text = text[:at] + draw(st.characters(codec="utf-8")) + text[at:]
    return text


def _random_text(tokens: list[str]) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(tokens), st.text(max_size=8))
    return st.lists(pieces, max_size=60).map(" ".join)


def _nested(tokens: list[str]) -> st.SearchStrategy[str]:
    """Deep nesting of one bracket kind around a body (30-5000 levels)."""
    return st.builds(
        lambda depth, pair, body: "SELECT * WHERE { " + pair[0] * depth + body + pair[1] * depth
        + " }",
        st.integers(30, 5000),
        st.sampled_from([("{ ", " }"), ("(", ")"), ("OPTIONAL { ", " }"), ("[ ", " ]")]),
        st.sampled_from(["?s ?p ?o", "?from ?p ?o", '?s ?p "delete"', "", "1"]),
    )  # fmt: skip


SPARQL_TEXT = st.one_of(mutated(SPARQL_SEEDS, TOKENS), _random_text(TOKENS), _nested(TOKENS))
ACCEPT = st.sampled_from(
    [
        "application/sparql-results+json",
        "text/csv",
        "text/turtle",
        "application/ld+json",
        "*/*",
        "text/html",
        "application/x-nonsense",
        "",
    ]
)


def _send_sparql(live: Live, query: str, how: str, accept: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    if how == "get" and len(query) < 20_000:
        return live.client.get("/sparql", params={"query": query}, headers=headers)
    if how == "form":
        return live.client.post("/sparql", data={"query": query}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return live.client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                            headers=headers)  # fmt: skip


def test_issue_cases_over_one_connection(live: Live) -> None:
    for name, query, _words in SPARQL_CASES:
        for how in ("get", "form", "direct"):
            r = _send_sparql(live, query, how, "application/sparql-results+json")
            assert r.status_code == 400, (name, how, r.status_code)
            live.check(r, f"{name} {how}")
    for name, body, text in CYPHER_CASES:
        r = live.client.post("/cypher", json=body)
        assert r.status_code == 400, name
        live.check(r, name)
        r = live.client.get("/cypher", params={"query": "RETURN $x", "parameters": text})
        assert r.status_code == 400, name
        live.check(r, name)


@FUZZ
@given(query=SPARQL_TEXT, how=st.sampled_from(["get", "form", "direct"]), accept=ACCEPT)
def test_fuzzed_sparql_never_5xx_and_keeps_the_connection(
    live: Live, query: str, how: str, accept: str
) -> None:
    r = _send_sparql(live, query, how, accept)
    live.check(r, repr(query[:200]))


# --- Cypher -----------------------------------------------------------------------------------
CYPHER_TOKENS = [
    "MATCH", "(n)", "(a:Agency)", "-[r:RESPONSIBLE_FOR]->", "RETURN", "n", "WHERE", "WITH",
    "UNWIND", "range(1, 100000)", "AS x", "CALL", "db.labels()", "apoc.help('x')", "CREATE",
    "MERGE", "DELETE", "SET n.x = 1", "LOAD CSV FROM 'file:///etc/passwd' AS l", "EXPLAIN",
    "PROFILE", "USE system", "SHOW USERS", "$x", "$`a b`", "{", "}", "[", "]", "(", ")", ",",
    ":", ".", "//", "/*", "*/", "'", '"', "`", "\\", "\\u0000", "\n", "\r", "\u2028",
    "99999999999999999999999", "-9223372036854775809", "1e999", "NaN", "济南", "\x00",
    "count(*)", "collect(n)", "ORDER BY", "LIMIT 5", "SKIP -1", "shortestPath(",
]  # fmt: skip
CYPHER_SEEDS = [str(e["query"]) for e in CYPHER_EXAMPLES] + ["RETURN 1", "RETURN $x AS x"]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
PARAMETERS = st.dictionaries(
    st.sampled_from(["x", "document", "ordinal", "agency", "q", "a b", ""]), JSON_VALUES,
    max_size=4,
)  # fmt: skip
CYPHER_TEXT = st.one_of(mutated(CYPHER_SEEDS, CYPHER_TOKENS), _random_text(CYPHER_TOKENS))


def _send_cypher(live: Live, query: str, parameters: dict[str, Any], how: str) -> httpx.Response:
    if how == "get" and len(query) < 10_000:
        return live.client.get(
            "/cypher", params={"query": query, "parameters": json.dumps(parameters)}
        )
    return live.client.post("/cypher", json={"query": query, "parameters": parameters})


@FUZZ
@given(query=CYPHER_TEXT, parameters=PARAMETERS, how=st.sampled_from(["get", "post"]))
def test_fuzzed_cypher_without_neo4j_never_5xx(
    live: Live, query: str, parameters: dict[str, Any], how: str
) -> None:
    """No Neo4j: bad input is still judged (400/422), the rest is the 'start Neo4j' 503."""
    r = _send_cypher(live, query, parameters, how)
    live.check(r, repr((query[:200], parameters)))


@pytest.fixture(scope="module")
def live_neo4j(
    neo4j_driver: Any, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The Jinan graph in both stores (Neo4j of the environment: CI's, or NEO4J_URI)."""
    from graph.neo4j.queries import WIPE

    with neo4j_driver.session(database=settings.neo4j_database) as session:
        session.run(WIPE).consume()
    data_dir = tmp_path_factory.mktemp("fuzz-neo4j")
    local = settings.model_copy(
        update={"data_dir": data_dir, "cypher_timeout_s": 2.0, "query_timeout_s": 2.0}
    )
    iris = Iris(local.normalised_base())
    store = RdfStore.open(local.rdf_store_dir, iris)
    jinan = extract_file(ROOT / "data" / "jinan-2025-5.txt")
    pipeline.load_extraction(jinan, store, neo4j_driver, iris, local.neo4j_database)
    app = create_app(local, rdf_store=store, neo4j_driver=neo4j_driver)
    for base in _serve(app):
        client = Live(base)
        with client.client:
            yield client
    service = getattr(app.state, "sparql", None)
    if service is not None:
        service.close()
    store.close()


@FUZZ
@given(query=CYPHER_TEXT, parameters=PARAMETERS, how=st.sampled_from(["get", "post"]))
def test_fuzzed_cypher_with_neo4j_never_5xx(
    live_neo4j: Live, query: str, parameters: dict[str, Any], how: str
) -> None:
    r = _send_cypher(live_neo4j, query, parameters, how)
    live_neo4j.check(r, repr((query[:200], parameters)))


def test_cypher_with_neo4j_runs_and_refuses_over_the_same_connection(live_neo4j: Live) -> None:
    ok = live_neo4j.client.post(
        "/cypher", json={"query": "RETURN $x AS x", "parameters": {"x": 2**63 - 1}}
    )
    assert ok.status_code == 200 and ok.json()["rows"] == [[2**63 - 1]]
    live_neo4j.check(ok, "int64 max")
    # Neo4j 5 reports these as DatabaseError.General.UnknownError "Lexical error" (a 500
    # before): the fuzz found the first one
    for text in ("/*", "RETURN 1 /* open", "RETURN 'abc", 'RETURN "abc', "RETURN `abc"):
        r = live_neo4j.client.post("/cypher", json={"query": text})
        assert r.status_code == 400 and r.json()["title"] == "Query syntax error", text
        live_neo4j.check(r, text)
    # A character above U+FFFF before a syntax error at the end: Neo4j 5.26 answered with an
    # internal "Index 48 out of bounds for length 48" (500) or not at all (the driver gave
    # up after 120 s, holding a slot). Refused before Neo4j; as a parameter it works.
    # A \u escape (decoded before parsing) does the same: both hung the connection.
    hangs = (
        "MATCH // \u00bf\x8a\U0003be5a ` \u00d4 \u00d4 ,",
        "RETURN '\U00020000' + 1 +",
        "RETURN '\\u0041' +",
        "MATCH (a:Agenc\\u0000)-[r:RESPONSIBLE_FOR]->(m:Measure {docum",
    )
    for text in hangs:
        started = time.monotonic()
        r = live_neo4j.client.post("/cypher", json={"query": text})
        assert r.status_code == 400 and "parameter" in r.json()["detail"], text
        assert time.monotonic() - started < 5
        live_neo4j.check(r, text)
    astral = live_neo4j.client.post(
        "/cypher", json={"query": "RETURN $x AS x", "parameters": {"x": "\U00020000"}}
    )
    assert astral.status_code == 200 and astral.json()["rows"] == [["\U00020000"]]
    for name, body, text in CYPHER_CASES:
        r = live_neo4j.client.post("/cypher", json=body)
        assert r.status_code == 400, name
        live_neo4j.check(r, name)
        r = live_neo4j.client.get("/cypher", params={"query": "RETURN $x", "parameters": text})
        assert r.status_code == 400, name
        live_neo4j.check(r, name)
