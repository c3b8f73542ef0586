"""The fixed query mix of the query benchmark: SPARQL templates and REST detail paths.

Every template is a question a policy researcher asks of the graph (who is responsible for a
measure, what a document contains, what an agency leads, how much a group is targeted, who
works with whom, a title search, existence checks, a measure's raw description). Parameters
are drawn deterministically (``random.Random(seed)``) from ids that exist in the store, so
policykg, rdflib-endpoint and the in-process pyoxigraph floor receive the very same texts.
Queries declare their prefixes themselves (rdflib-endpoint predeclares none).

The requests are replayed by a small asyncio HTTP/1.1 keep-alive client (cheaper than httpx,
so the client is not what gets measured) to 127.0.0.1 only, with a bounded number of requests,
of connections and of time; :class:`Phase` summarises what came back (p50, p99, req/s).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Literal

from ontology.iris import Iris

HOST = "127.0.0.1"

Form = Literal["SELECT", "ASK", "CONSTRUCT"]

#: Accept header per query form (the same for every system).
ACCEPT: dict[Form, str] = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
}


@dataclass(frozen=True)
class Template:
    name: str
    form: Form
    body: str  # str.format fields: measure, document, agency, group, word, year


#: The mix, in the order requests cycle through it. The texts are unchanged since the first
#: measurements (so figures stay comparable): the DISTINCT on agency labels dates from when
#: each document graph repeated its agencies' labels; shared nodes are now described once
#: (README "RDF mapping") and it no longer removes rows.
MIX: tuple[Template, ...] = (
    Template(
        "measure_agencies",
        "SELECT",
        "SELECT DISTINCT ?agency ?name ?role ?rank WHERE {{ <{measure}> pkg:responsibility ?r . "
        "?r pkg:agency ?agency ; pkg:role ?role ; pkg:rank ?rank . "
        "OPTIONAL {{ ?agency rdfs:label ?name }} }} ORDER BY ?rank",
    ),
    Template(
        "document_measures",
        "SELECT",
        "SELECT ?m ?ordinal ?title ?lead WHERE {{ ?m a pkg:Measure ; pkg:inDocument "
        "<{document}> ; pkg:ordinal ?ordinal ; dcterms:title ?title . OPTIONAL {{ "
        "?m pkg:responsibility ?r . ?r pkg:role pkg:lead ; pkg:agency ?lead }} }} "
        "ORDER BY ?ordinal",
    ),
    Template(
        "agency_lead_measures",
        "SELECT",
        "SELECT ?m ?title ?doc WHERE {{ ?r pkg:agency <{agency}> ; pkg:role pkg:lead . "
        "?m pkg:responsibility ?r ; dcterms:title ?title ; pkg:inDocument ?doc }} "
        "ORDER BY ?m LIMIT 100",
    ),
    Template(
        "group_measures_by_year",
        "SELECT",
        "SELECT (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?d) AS ?documents) WHERE {{ "
        "?m pkg:targets <{group}> ; pkg:inDocument ?d . ?d pkg:publishedDate ?date . "
        "FILTER(YEAR(?date) = {year}) }}",
    ),
    Template(
        "co_responsible_agencies",
        "SELECT",
        "SELECT ?other (COUNT(DISTINCT ?m) AS ?shared) WHERE {{ "
        "?r1 pkg:agency <{agency}> . ?m pkg:responsibility ?r1, ?r2 . ?r2 pkg:agency ?other . "
        "FILTER(?other != <{agency}>) }} GROUP BY ?other ORDER BY DESC(?shared) ?other LIMIT 10",
    ),
    Template(
        "title_search",
        "SELECT",
        "SELECT ?m ?title WHERE {{ ?m a pkg:Measure ; dcterms:title ?title . "
        'FILTER(CONTAINS(?title, "{word}")) }} LIMIT 20',
    ),
    Template(
        "document_exists",
        "ASK",
        "ASK {{ <{document}> a pkg:PolicyDocument ; pkg:docNumber ?number }}",
    ),
    Template(
        "describe_measure",
        "CONSTRUCT",
        "CONSTRUCT {{ <{measure}> ?p ?o }} WHERE {{ <{measure}> ?p ?o }}",
    ),
)


@dataclass(frozen=True)
class Sample:
    """Ids present in the store that parameters are drawn from."""

    documents: tuple[str, ...]  # document ids
    measures: tuple[tuple[str, int], ...]  # (document id, ordinal)
    measure_titles: tuple[str, ...]
    agencies: tuple[str, ...]  # agency IRIs
    groups: tuple[str, ...]  # target group IRIs
    years: tuple[int, ...]


@dataclass(frozen=True)
class QueryRequest:
    name: str
    form: Form
    text: str

    @property
    def accept(self) -> str:
        return ACCEPT[self.form]


def _word(title: str, rng: random.Random) -> str:
    """Two characters of a real title: a search that matches, escaped for a literal."""
    clean = [c for c in title if c not in '"\\\n\r']
    if len(clean) < 2:
        return "".join(clean) or "就业"
    start = rng.randrange(len(clean) - 1)
    return "".join(clean[start : start + 2])


def sparql_requests(iris: Iris, sample: Sample, count: int, seed: int) -> list[QueryRequest]:
    """``count`` requests cycling through MIX with parameters drawn by ``seed``."""
    rng = random.Random(seed)
    head = iris.sparql_prefixes()
    out: list[QueryRequest] = []
    for i in range(count):
        template = MIX[i % len(MIX)]
        doc, ordinal = rng.choice(sample.measures)
        values = {
            "measure": iris.measure(doc, ordinal),
            "document": iris.document(rng.choice(sample.documents)),
            "agency": rng.choice(sample.agencies),
            "group": rng.choice(sample.groups),
            "word": _word(rng.choice(sample.measure_titles), rng),
            "year": rng.choice(sample.years),
        }
        out.append(
            QueryRequest(template.name, template.form, head + template.body.format(**values))
        )
    return out


def rest_paths(sample: Sample, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` REST detail pages: 3 of 4 measure pages, 1 of 4 document pages."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(count):
        if i % 4 == 3:
            out.append(("document_detail", f"/api/documents/{rng.choice(sample.documents)}"))
        else:
            doc, ordinal = rng.choice(sample.measures)
            out.append(("measure_detail", f"/api/measures/{doc}/{ordinal}"))
    return out


def list_paths(
    sample: Sample, iris: Iris, corpus_docs: int, corpus_measures: int, seed: int
) -> list[tuple[str, str]]:
    """List pages a researcher browses, each kind three times (the agency table is computed
    on the first call of a write generation and kept: its first call is the cold one)."""
    rng = random.Random(seed)
    agency_prefix, group_prefix = str(iris.agency("")), str(iris.target_group(""))
    out: list[tuple[str, str]] = []
    for _ in range(3):
        agency = rng.choice(sample.agencies).removeprefix(agency_prefix)
        group = rng.choice(sample.groups).removeprefix(group_prefix)
        offset = rng.randrange(max(1, corpus_measures - 50))
        word = urllib.parse.quote(rng.choice(sample.measure_titles)[:2])
        out += [
            ("list_measures", f"/api/measures?limit=50&offset={offset}"),
            ("list_measures_agency", f"/api/measures?agency={agency}&limit=50"),
            ("list_measures_group", f"/api/measures?group={group}&limit=50&offset=100"),
            ("list_measures_search", f"/api/measures?q={word}&limit=50"),
            ("list_documents", f"/api/documents?limit=50&offset={rng.randrange(corpus_docs)}"),
            ("list_agencies", "/api/agencies?limit=50"),
            ("home_page", "/"),
        ]
    return out


# --------------------------------------------------------------------------- statistics
@dataclass
class Result:
    name: str
    latency: float  # seconds
    status: int  # HTTP status; 0 = timed out or connection failed
    answer: int | None = None  # rows / boolean / triples of the answer, to cross-check
    error: str = ""


@dataclass
class Phase:
    system: str
    corpus_docs: int
    concurrency: int
    results: list[Result]
    wall: float
    server_cpu_s: float | None = None  # CPU the server process used during the phase

    def ok(self) -> list[Result]:
        return [r for r in self.results if r.status == 200]

    def summary(self) -> dict[str, Any]:
        lat = sorted(r.latency for r in self.ok())
        return {
            "system": self.system,
            "corpus_docs": self.corpus_docs,
            "concurrency": self.concurrency,
            "requests": len(self.results),
            "errors": len(self.results) - len(lat),
            "p50_ms": quantile(lat, 0.50) * 1000,
            "p99_ms": quantile(lat, 0.99) * 1000,
            "req_per_s": len(lat) / self.wall if self.wall else 0.0,
            "per_query_p50_ms": {
                name: quantile(sorted(r.latency for r in self.ok() if r.name == name), 0.5) * 1000
                for name in dict.fromkeys(r.name for r in self.results)
            },
            # a request that timed out took at least this long (a lower bound on its latency)
            "per_query_timed_out_ms": {
                r.name: r.latency * 1000 for r in self.results if r.status == 0
            },
            "server_cpu_ms_per_request": (
                None if self.server_cpu_s is None or not lat else self.server_cpu_s / len(lat) * 1e3
            ),
        }


def quantile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank quantile (NaN for no values)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def answer_size(form: str, body: bytes) -> int:
    """Rows of SELECT JSON, 0/1 for ASK, triples of N-Triples: equal answers, equal sizes."""
    if form == "CONSTRUCT":
        return sum(1 for line in body.splitlines() if line.strip())
    data = json.loads(body)
    if "boolean" in data:
        return int(bool(data["boolean"]))
    return len(data["results"]["bindings"])


# --------------------------------------------------------------------------- load generator
class _Connection:
    """One HTTP/1.1 keep-alive connection to 127.0.0.1."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, accept: str) -> tuple[int, bytes, bool]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        head = f"GET {target} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept: {accept}\r\n\r\n"
        self.writer.write(head.encode("ascii"))
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(c[:-2] for c in chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        keep = headers.get("connection", "").lower() != "close"
        return status, body, keep

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass(frozen=True)
class Item:
    name: str
    target: str  # path and query string
    accept: str
    form: str = ""  # set for SPARQL: answers are sized for the cross-check


async def _load(
    port: int, items: list[Item], concurrency: int, time_limit: float, timeout: float
) -> tuple[list[Result], float]:
    results: list[Result] = []
    cursor = iter(items)
    deadline = time.perf_counter() + time_limit

    async def client() -> None:
        conn = _Connection(port)
        try:
            for item in cursor:
                if time.perf_counter() > deadline:
                    return
                start = time.perf_counter()
                try:
                    status, body, keep = await asyncio.wait_for(
                        conn.get(item.target, item.accept), timeout
                    )
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    failure = f"{type(exc).__name__}: {exc}"[:200]
                    results.append(Result(item.name, time.perf_counter() - start, 0, None, failure))
                    conn.close()
                    if isinstance(exc, TimeoutError):
                        return  # the server is still busy with it: stop this client
                    continue
                elapsed = time.perf_counter() - start
                size = answer_size(item.form, body) if item.form and status == 200 else None
                results.append(Result(item.name, elapsed, status, size))
                if not keep:
                    conn.close()
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return results, time.perf_counter() - start


def load(
    port: int, items: list[Item], concurrency: int, time_limit: float, timeout: float = 60.0
) -> tuple[list[Result], float]:
    return asyncio.run(_load(port, items, concurrency, time_limit, timeout))


def sparql_items(requests: list[QueryRequest]) -> list[Item]:
    return [
        Item(r.name, "/sparql?query=" + urllib.parse.quote(r.text, safe=""), r.accept, r.form)
        for r in requests
    ]
