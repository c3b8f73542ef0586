"""The public /cypher endpoint against a REAL Neo4j holding the Jinan document.

Every refused query must leave the graph exactly as it was (nodes, relationships, properties,
labels, schema, users), LOAD CSV must not reach a loopback canary, long queries are cut at
the time limit without leaving a transaction behind.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph import pipeline
from graph.neo4j import queries as q
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"
BASE = "http://localhost:8000"
pytestmark = pytest.mark.neo4j


def graph_fingerprint(driver: Any) -> dict[str, Any]:
    """Everything a write could change: counts, properties, labels, schema, users."""
    with driver.session(database="neo4j") as session:
        row = session.run(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
            "WITH count(DISTINCT n) AS nodes, count(r) AS rels, "
            "sum(size(keys(properties(r)))) AS rel_props, collect(DISTINCT n) AS ns "
            "UNWIND (CASE WHEN ns = [] THEN [null] ELSE ns END) AS n "
            "RETURN nodes, rels, rel_props, sum(size(keys(properties(n)))) AS node_props, "
            "sum(size(labels(n))) AS labels"
        ).single()
        assert row is not None
        fp: dict[str, Any] = dict(row)
        fp["label_names"] = sorted(r["label"] for r in session.run("CALL db.labels()"))
        fp["indexes"] = sorted(r["name"] for r in session.run("SHOW INDEXES YIELD name"))
        fp["constraints"] = sorted(r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name"))
    with driver.session(database="system") as session:
        fp["users"] = sorted(r["user"] for r in session.run("SHOW USERS YIELD user"))
    return fp


@pytest.fixture(scope="module")
def loaded(neo4j_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Neo4j (wiped) and an RDF store holding the Jinan document, loaded by the pipeline."""
    with neo4j_driver.session(database="neo4j") as session:
        session.run(q.WIPE).consume()
    iris = Iris(BASE)
    store = RdfStore.open(tmp_path_factory.mktemp("cypher") / "oxigraph", iris)
    pipeline.load_extraction(extract_file(JINAN), store, neo4j_driver, iris, "neo4j")
    yield store
    store.close()


def make_client(driver: Any, store: Any, **overrides: Any) -> TestClient:
    settings = Settings(
        base_iri=BASE,
        cypher_timeout_s=overrides.pop("cypher_timeout_s", 1.0),
        cypher_row_limit=overrides.pop("cypher_row_limit", 50),
        **overrides,
    )
    return TestClient(create_app(settings, rdf_store=store, neo4j_driver=driver))


@pytest.fixture(scope="module")
def client(neo4j_driver: Any, loaded: Any) -> Iterator[TestClient]:
    with make_client(neo4j_driver, loaded) as c:
        yield c


def cypher(client: TestClient, query: str, **parameters: Any) -> Any:
    return client.post("/cypher", json={"query": query, "parameters": parameters})


def test_agencies_of_measure_5_in_rank_order(client: TestClient) -> None:
    response = cypher(
        client,
        "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure {document: $doc, ordinal: 5}) "
        "RETURN r.rank AS rank, r.as_written AS agency, r.role AS role ORDER BY rank",
        doc="jinan-2025-5",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["rank", "agency", "role"]
    assert body["truncated"] is False
    assert [row[1] for row in body["rows"]] == [
        "市人力资源社会保障局", "市发展改革委", "市教育局", "市民政局", "市财政局",
        "市农业农村局", "市卫生健康委", "团市委", "市残联", "市工商联",
    ]  # fmt: skip
    assert [row[0] for row in body["rows"]] == list(range(1, 11))
    assert {row[2] for row in body["rows"]} == {"shared"}


def test_nodes_relationships_and_paths_as_plain_objects(client: TestClient) -> None:
    response = cypher(
        client,
        "MATCH p = (a:Agency)-[r:RESPONSIBLE_FOR {rank: 1}]->(m:Measure {document: $doc, "
        "ordinal: 5}) RETURN a, r, p",
        doc="jinan-2025-5",
    )
    assert response.status_code == 200, response.text
    agency, rel, path = response.json()["rows"][0]
    iris = Iris(BASE)
    assert agency["kind"] == "node"
    assert agency["labels"] == ["Agency"]
    assert agency["iri"] == str(iris.agency(agency["properties"]["id"]))
    assert agency["properties"]["name"] == "济南市人力资源和社会保障局"
    assert rel["type"] == "RESPONSIBLE_FOR"
    assert rel["start"] == agency["iri"]
    assert rel["end"] == str(iris.measure("jinan-2025-5", 5))
    assert rel["properties"]["rank"] == 1
    assert [item["kind"] for item in path] == ["node", "relationship", "node"]
    assert path[2]["iri"] == str(iris.measure("jinan-2025-5", 5))


def test_every_example_on_the_page_answers(client: TestClient) -> None:
    from api.routes.cypher import EXAMPLES

    for example in EXAMPLES:
        response = client.post(
            "/cypher", json={"query": example["query"], "parameters": example["parameters"]}
        )
        assert response.status_code == 200, (example["title"], response.text)
        assert response.json()["rows"], example["title"]


def test_agencies_sharing_most_measures_example_counts(client: TestClient) -> None:
    from api.routes.cypher import EXAMPLES

    example = EXAMPLES[2]
    body = client.post(
        "/cypher", json={"query": example["query"], "parameters": example["parameters"]}
    ).json()
    top = body["rows"][0]
    # The count is the number of measures naming both agencies, recomputed independently.
    check = cypher(
        client,
        "MATCH (a:Agency {name: $a})-[:RESPONSIBLE_FOR]->(m:Measure)<-[:RESPONSIBLE_FOR]-"
        "(b:Agency {name: $b}) RETURN count(DISTINCT m) AS n",
        a=top[0],
        b=top[1],
    ).json()
    assert check["rows"] == [[top[2]]]
    assert [row[2] for row in body["rows"]] == sorted(
        (row[2] for row in body["rows"]), reverse=True
    )


REFUSED = [
    ("CREATE (n:Hacked {x: 1}) RETURN n", "writes"),
    ("MERGE (n:Agency {iri: 'x'})", "writes"),
    ("MATCH (n:Agency) SET n.name = 'pwned'", "writes"),
    ("MATCH (n:Measure) DELETE n", "writes"),
    ("MATCH (n) DETACH DELETE n", "writes"),
    ("MATCH (n:Agency) REMOVE n:Agency", "writes"),
    ("MATCH (n:Agency) FOREACH (x IN [1] | SET n.x = x)", "writes"),
    ("MATCH (n:Agency) CALL (n) { SET n.x = 1 } IN TRANSACTIONS", "writes"),
    ("MATCH (n:Agency) CALL (n) { CREATE (:Hacked) } RETURN count(*)", "writes"),
    ("CREATE INDEX hacked IF NOT EXISTS FOR (n:Agency) ON (n.x)", "schema"),
    ("CREATE CONSTRAINT hacked FOR (n:Hacked) REQUIRE n.x IS UNIQUE", "schema"),
    ("DROP CONSTRAINT agency_iri IF EXISTS", "schema"),
    ("CREATE USER mallory SET PASSWORD 'mallory-pass'", "schema"),
    ("ALTER USER neo4j SET PASSWORD 'changed-pass'", "schema"),
    ("SHOW USERS", "schema"),
    ("SHOW SETTINGS", "ShowSettings"),
    ("SHOW TRANSACTIONS", "ShowTransactions"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TerminateTransactions"),
    ("CALL dbms.listConfig()", "schema"),
    ("CALL db.createLabel('Hacked')", "writes"),
    ("CALL db.index.fulltext.queryNodes('x', 'y')", "is not allowed"),
    ("PROFILE MATCH (n) RETURN n", "EXPLAIN and PROFILE"),
    ("EXPLAIN CREATE (n)", "EXPLAIN and PROFILE"),
]


@pytest.mark.parametrize(("query", "why"), REFUSED)
def test_writes_schema_admin_and_procedures_are_refused(
    client: TestClient, neo4j_driver: Any, query: str, why: str
) -> None:
    before = graph_fingerprint(neo4j_driver)
    response = cypher(client, query)
    assert response.status_code in (400, 403), response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["status"] == response.status_code
    assert why in problem["detail"]
    assert graph_fingerprint(neo4j_driver) == before


def test_use_system_is_refused(client: TestClient, neo4j_driver: Any) -> None:
    before = graph_fingerprint(neo4j_driver)
    for query in ("USE system SHOW USERS", "USE system MATCH (n) RETURN n"):
        response = cypher(client, query)
        assert response.status_code == 400, response.text
    assert graph_fingerprint(neo4j_driver) == before


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        body = b"a,b\n1,2\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/canary.csv"
    server.shutdown()
    server.server_close()


def test_load_csv_is_refused_and_the_canary_sees_no_request(
    client: TestClient, neo4j_driver: Any, canary: str
) -> None:
    # The canary answers a direct request, so silence below means Neo4j never asked.
    before = graph_fingerprint(neo4j_driver)
    inline = cypher(client, f"LOAD CSV FROM '{canary}' AS row RETURN row")
    as_param = cypher(client, "LOAD CSV WITH HEADERS FROM $url AS row RETURN row", url=canary)
    file_url = cypher(client, "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
    for response in (inline, as_param, file_url):
        assert response.status_code == 400, response.text
        assert "LOAD CSV" in response.json()["detail"]
    time.sleep(0.5)
    assert _Canary.hits == []
    assert graph_fingerprint(neo4j_driver) == before
    import urllib.request

    with urllib.request.urlopen(canary, timeout=5) as answer:  # the canary itself works
        assert answer.read() == b"a,b\n1,2\n"
    assert _Canary.hits == ["/canary.csv"]


def test_allowlisted_procedures_work(client: TestClient) -> None:
    response = cypher(client, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert response.status_code == 200, response.text
    # CitedDocument: the schema's uniqueness constraint creates the label before any citation.
    assert [row[0] for row in response.json()["rows"]] == [
        "Agency", "Chapter", "CitedDocument", "Document", "Measure", "Program", "TargetGroup",
    ]  # fmt: skip
    types = cypher(client, "CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t")
    found = sorted(row[0] for row in types.json()["rows"])
    # Neo4j keeps a relationship type once used: CITES is there when an earlier test cited.
    assert [t for t in found if t != "CITES"] == [
        "BROADER", "PART_OF", "RESPONSIBLE_FOR", "TARGETS", "USES",
    ]  # fmt: skip
    schema = cypher(client, "CALL db.schema.visualization()")
    assert schema.status_code == 200, schema.text


def _other_transactions(driver: Any) -> list[str]:
    with driver.session(database="neo4j") as session:
        rows = session.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery RETURN currentQuery"
        ).data()
    return [r["currentQuery"] for r in rows if "SHOW TRANSACTIONS" not in r["currentQuery"]]


def test_long_query_is_cut_at_the_time_limit(client: TestClient, neo4j_driver: Any) -> None:
    started = time.monotonic()
    response = cypher(
        client, "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(*)"
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json()["title"] == "Query time limit exceeded"
    assert "1 s" in response.json()["detail"]
    assert elapsed < 10
    deadline = time.monotonic() + 5
    while _other_transactions(neo4j_driver) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _other_transactions(neo4j_driver) == []


def test_cartesian_product_is_cut_too(client: TestClient) -> None:
    response = cypher(
        client,
        "MATCH (a), (b), (c), (d), (e) WHERE a.name + b.name + c.name + d.name + e.name = '-' "
        "RETURN count(*)",
    )
    assert response.status_code == 503, response.text


def test_row_limit_truncates(client: TestClient) -> None:
    body = cypher(client, "UNWIND range(1, 1000) AS x RETURN x").json()
    assert len(body["rows"]) == 50
    assert body["rows"][-1] == [50]
    assert body["truncated"] is True
    assert body["row_limit"] == 50


@pytest.mark.parametrize(
    "evil",
    [
        "x' }) DETACH DELETE n //",
        '"}) MATCH (n) DETACH DELETE n RETURN 1 //',
        "市人力资源社会保障局'; CALL dbms.listConfig() //",
    ],
)
def test_injection_looking_parameters_are_data(
    client: TestClient, neo4j_driver: Any, evil: str
) -> None:
    before = graph_fingerprint(neo4j_driver)
    echo = cypher(client, "RETURN $value AS value, size($value) AS n", value=evil).json()
    assert echo["rows"] == [[evil, len(evil)]]
    none = cypher(client, "MATCH (a:Agency) WHERE a.name = $value RETURN count(a)", value=evil)
    assert none.json()["rows"] == [[0]]
    assert graph_fingerprint(neo4j_driver) == before


def test_query_errors_are_problem_details(client: TestClient) -> None:
    syntax = cypher(client, "MATCH (n RETURN n")
    assert syntax.status_code == 400
    assert syntax.json()["title"] == "Query syntax error"
    assert "EXPLAIN" not in syntax.json()["detail"]
    assert "column 10" in syntax.json()["detail"]
    missing = cypher(client, "RETURN $nothing")
    assert missing.status_code == 400
    assert "ParameterMissing" in missing.json()["detail"]
    extra_field = client.post("/cypher", json={"query": "RETURN 1", "mode": "write"})
    assert extra_field.status_code == 422
    not_object = client.post("/cypher", json={"query": "RETURN 1", "parameters": [1]})
    assert not_object.status_code == 422
    assert "parameters" in not_object.json()["detail"]


def test_get_with_query_answers_json(client: TestClient) -> None:
    response = client.get(
        "/cypher", params={"query": "RETURN $x + 1 AS y", "parameters": '{"x": 41}'}
    )
    assert response.status_code == 200
    assert response.json()["rows"] == [[42]]
    bad = client.get("/cypher", params={"query": "RETURN 1", "parameters": "{nope"})
    assert bad.status_code == 422
    assert "parameters" in bad.json()["detail"]
    write = client.get("/cypher", params={"query": "CREATE (n) RETURN n"})
    assert write.status_code == 400


def test_read_transaction_still_refuses_writes_if_the_plan_check_were_bypassed(
    client: TestClient, neo4j_driver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second layer: the query itself runs in a READ transaction the server enforces."""
    import graph.neo4j.guard as guard

    monkeypatch.setattr(guard, "check_summary", lambda summary, database: None)
    before = graph_fingerprint(neo4j_driver)
    response = cypher(client, "CREATE (n:Hacked) RETURN n")
    assert response.status_code == 400, response.text
    assert "read-only" in response.json()["detail"]
    assert graph_fingerprint(neo4j_driver) == before
