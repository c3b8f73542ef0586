"""Bad input is a 4xx problem document, never a 500 (issue 10, points 2 and 8).

Each case was a 500 before (often text/plain): rdflib's RecursionError on deep nesting with a
guard word, a worker crash on 5,000 nested groups, escape expansion past U+10FFFF, the Neo4j
driver packing an integer wider than 64 bits, an empty query read as an empty Update; /cypher
had no body limit; a damaged store gave a traceback. :data:`SPARQL_CASES` and
:data:`CYPHER_CASES` are also replayed over one keep-alive connection in test_fuzz_endpoints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph.rdf.store import RdfStore
from ontology.errors import StoreUnavailable
from ontology.iris import Iris
from tests.api.conftest import make_app
from tests.paths import ROOT

PROBLEM = "application/problem+json"


def _nested(depth: int, inner: str = "?s ?p ?o") -> str:
    return "SELECT * WHERE { " + "{ " * depth + inner + " }" * depth + " }"


#: (name, query, words the problem's detail must contain)
SPARQL_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    ("empty", "", ("empty",)),
    ("whitespace", " \t\n  \r\n", ("empty",)),
    ("comment only", "# nothing here\n  # still nothing", ("empty",)),
    ("guard word 36 deep", _nested(36, "?from ?p ?o"), ("nest", "32")),
    ("literal word 40 deep", _nested(40, '?s ?p "insert"'), ("nest", "32")),
    ("5000 groups", _nested(5000), ("nest",)),
    (
        "5000 parentheses",
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        ("nest",),
    ),
    (
        "5000 OPTIONALs",
        "SELECT * WHERE { " + "OPTIONAL { " * 5000 + "?s ?p ?o" + " }" * 5000 + " }",
        ("nest",),
    ),
    ("escape above U+10FFFF", 'SELECT * WHERE { ?s ?p "\\U00110000" }', ("U+10FFFF",)),
    ("escape FFFFFFFF", 'SELECT * WHERE { ?s ?p "\\UFFFFFFFF" }', ("U+10FFFF",)),
    ("lone surrogate escape", 'SELECT * WHERE { ?s ?p "\\uD800" }', ("surrogate",)),
]

BIG = 99999999999999999999999


def _deep_list(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


#: (name, POST body, GET parameters text)
CYPHER_CASES: list[tuple[str, dict[str, object], str]] = [
    ("int above 64 bits", {"query": "RETURN $x", "parameters": {"x": BIG}}, f'{{"x": {BIG}}}'),
    ("int below 64 bits", {"query": "RETURN $x", "parameters": {"x": -(2**63) - 1}},
     f'{{"x": {-(2**63) - 1}}}'),
    ("int in a list", {"query": "RETURN $x", "parameters": {"x": [1, 2**64]}},
     f'{{"x": [1, {2**64}]}}'),
    ("int in a map", {"query": "RETURN $x", "parameters": {"x": {"y": 2**63}}},
     f'{{"x": {{"y": {2**63}}}}}'),
    ("nested 40 deep", {"query": "RETURN $x", "parameters": {"x": _deep_list(40)}},
     '{"x": ' + "[" * 40 + "]" * 40 + "}"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "query", "words"), SPARQL_CASES, ids=[c[0] for c in SPARQL_CASES])
def test_bad_sparql_is_400_on_every_protocol_path(
    client: TestClient, name: str, query: str, words: tuple[str, ...]
) -> None:
    answers = [
        client.post("/sparql", data={"query": query}),
        client.post(
            "/sparql",
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ]
    if len(quote(query)) < 60_000:  # longer URLs are refused by the client itself
        answers.append(client.get("/sparql", params={"query": query}))
    for r in answers:
        assert r.status_code == 400, (name, r.status_code, r.text[:200])
        assert r.headers["content-type"] == PROBLEM
        detail = r.json()["detail"]
        assert "Update" not in detail and "worker" not in detail, detail
        for word in words:
            assert word in detail, (name, detail)


@pytest.mark.parametrize(("name", "body", "text"), CYPHER_CASES, ids=[c[0] for c in CYPHER_CASES])
def test_cypher_parameters_neo4j_cannot_take_are_400(
    client: TestClient, name: str, body: dict[str, object], text: str
) -> None:
    """Refused before Neo4j is looked for: the same 400 with or without a server."""
    answers = [
        client.post("/cypher", json=body),
        client.get("/cypher", params={"query": body["query"], "parameters": text}),
    ]
    for r in answers:
        assert r.status_code == 400, (name, r.status_code, r.text[:200])
        assert r.headers["content-type"] == PROBLEM
        assert r.json()["title"] == "Invalid Cypher parameters"
        assert "parameters.x" in r.json()["detail"]


def test_cypher_text_above_u_ffff_or_with_escapes_is_400_before_neo4j(client: TestClient) -> None:
    """Neo4j 5.26 hangs on some such texts (see test_fuzz_endpoints); values go in parameters.
    An escaped backslash is no escape: ``'\\\\u0041'`` passes."""
    for query in ("RETURN '\U00020000' + 1 +", "MATCH // \U0003be5a `", "RETURN '\\u0041' +"):
        for r in (
            client.post("/cypher", json={"query": query}),
            client.get("/cypher", params={"query": query}),
        ):
            assert r.status_code == 400 and r.headers["content-type"] == PROBLEM
            assert "parameter" in r.json()["detail"]
    for query, params in (("RETURN $x", {"x": "\U00020000"}), ("RETURN '\\\\u0041'", {})):
        ok = client.post("/cypher", json={"query": query, "parameters": params})
        assert ok.status_code == 503, query  # passed the checks; this app has no Neo4j


def test_cypher_parameters_at_the_64_bit_bounds_pass_the_check(client: TestClient) -> None:
    # no Neo4j in this app: passing the check means the 503 that says how to start one
    for value in (2**63 - 1, -(2**63)):
        r = client.post("/cypher", json={"query": "RETURN $x", "parameters": {"x": value}})
        assert r.status_code == 503 and "policykg neo4j start" in r.json()["detail"]


# --- body limits ------------------------------------------------------------------------------
LIMIT = 4000


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    test_client, store = make_app(tmp_path_factory.mktemp("limit"), query_max_bytes=LIMIT)
    with test_client:
        yield test_client
    store.close()


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // 1000):
        yield b"#" * 1000


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/cypher", "application/json", b'{"query": "RETURN 1", "x": "' + b"a" * LIMIT + b'"}'),
        ("/sparql", "application/sparql-query", b"ASK {} #" + b"a" * LIMIT),
        ("/sparql", "application/x-www-form-urlencoded", b"query=ASK+%7B%7D+%23" + b"a" * LIMIT),
    ],
)  # fmt: skip
def test_query_bodies_over_the_limit_are_413(
    small_limit: TestClient, path: str, content_type: str, body: bytes
) -> None:
    r = small_limit.post(path, content=body, headers={"Content-Type": content_type})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    assert f"{LIMIT} bytes" in r.json()["detail"]
    # streamed without a Content-Length: cut while it arrives
    streamed = small_limit.post(
        path, content=_chunks(LIMIT + 2000), headers={"Content-Type": content_type}
    )
    assert streamed.status_code == 413


def test_query_bodies_under_the_limit_still_run(small_limit: TestClient) -> None:
    ask = small_limit.post(
        "/sparql",
        content=b"ASK { ?m a pkg:Measure }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    cypher = small_limit.post("/cypher", json={"query": "RETURN 1"})
    assert cypher.status_code == 503  # under the limit; this app has no Neo4j


def test_default_query_limit_is_one_megabyte(client: TestClient) -> None:
    body = b'{"query": "RETURN 1", "parameters": {"x": "' + b"a" * 1_000_000 + b'"}}'
    r = client.post("/cypher", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413


# --- a damaged store --------------------------------------------------------------------------
IRIS = Iris("http://localhost:8000")


def _store_with_data(path: Path) -> None:
    store = RdfStore.open(path, IRIS)
    store.ensure_vocabularies()
    store.close()


def _break_current(path: Path) -> None:
    (path / "CURRENT").write_text("garbage\n")


def _truncate_tables(path: Path) -> None:
    tables = sorted(path.glob("*.sst"))
    assert tables, "the store has no table files to damage"
    for table in tables:
        with table.open("r+b") as f:
            f.truncate(table.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_break_current, _truncate_tables])
def test_damaged_store_is_one_line_naming_it_in_the_cli(tmp_path: Path, damage: object) -> None:
    store_dir = tmp_path / "oxigraph"
    _store_with_data(store_dir)
    assert callable(damage)
    damage(store_dir)
    # a wide console: rich wraps its one line at the terminal width otherwise
    env = {**os.environ, "POLICYKG_DATA_DIR": str(tmp_path), "COLUMNS": "500"}
    for name in ("NEO4J_URI", "POLICYKG_NEO4J_URI"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "stats", "--no-neo4j"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    message = lines[0]
    assert message.startswith("error: Store unavailable: ")
    assert str(store_dir) in message
    assert "damaged" in message and "policykg load" in message


def test_store_read_errors_under_a_running_app_are_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyoxigraph's read errors, as it words them, become problems: a damaged file a 503
    saying what to do, anything else a 500 problem (never text/plain). (Truncating the
    files under a live store is not a test: RocksDB may then abort the whole process.)"""
    test_client, store = make_app(tmp_path)
    errors = {
        "corrupt": RuntimeError(
            f"Corruption: truncated block read from {tmp_path}/oxigraph/000011.sst offset "
            "2876238, expected 3966 bytes, got 0"
        ),
        "io": OSError(f"IO error: No such file or directory: {tmp_path}/oxigraph/000011.sst"),
        "other": RuntimeError("something else"),
    }
    failing: list[Exception] = []

    def query(*_args: object, **_kwargs: object) -> None:
        raise failing[0]

    with test_client as c:
        monkeypatch.setattr(store, "query", query)
        for name, expected in (("corrupt", 503), ("io", 503), ("other", 500)):
            failing[:] = [errors[name]]
            r = c.get("/api/measures", params={"q": "创业"})
            assert r.status_code == expected, (name, r.text[:300])
            assert r.headers["content-type"] == PROBLEM
            assert str(tmp_path) not in r.text  # the log names the folder, not the answer
            if expected == 503:
                assert "policykg load" in r.json()["detail"]
    store.close()


# --- reading beside a running server ----------------------------------------------------------
def test_open_read_only_reads_beside_a_writer(tmp_path: Path) -> None:
    writer = RdfStore.open(tmp_path / "s", IRIS)
    writer.ensure_vocabularies()
    writer.store.flush()
    with pytest.raises(StoreUnavailable, match="another process uses it"):
        RdfStore.open(tmp_path / "s", IRIS)
    reader = RdfStore.open_read_only(tmp_path / "s", IRIS)
    assert reader.read_only
    assert reader.counts() == writer.counts()
    assert reader.counts()["triples"] > 1000  # the ontology and vocabularies
    reader.close()  # nothing to flush, no error
    writer.close()


def test_open_read_only_of_no_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="no RDF store here"):
        RdfStore.open_read_only(tmp_path / "missing", IRIS)
