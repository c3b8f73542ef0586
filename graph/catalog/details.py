"""Every read the REST API and the HTML pages need, as SPARQL over ``RdfStore.query``.

Functions are pure reads: they take the store and the deployment's :class:`Iris`, build a
query with escaped literals and minted IRIs only, and return plain dicts (JSON-ready). Lists
return a page ``{"total", "limit", "offset", "items"}``; unknown ids raise NotFound.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from urllib.parse import unquote

import pyoxigraph as ox

from graph.rdf.terms import to_python
from ontology.errors import InvalidParameter, NotFound
from ontology.iris import Iris

Row = dict[str, Any]


class Selectable(Protocol):
    """What the catalog needs of ``graph.rdf.store.RdfStore``: SPARQL over the union of
    graphs with the deployment's prefixes predeclared, answering pyoxigraph solutions."""

    def query(self, query: str) -> Any: ...


def lit(text: str) -> str:
    """A SPARQL string literal for arbitrary user text (no injection through quotes)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _value(term: Any) -> Any:
    """A JSON-ready value of a solution term: IRIs and strings as str, numbers and booleans
    typed, dates as ISO strings, unbound as None."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    value = to_python(term)
    return value.isoformat() if isinstance(value, date) else value


def rows(store: Selectable, iris: Iris, query: str) -> list[Row]:
    """The solutions of a SELECT as dicts (terms converted by position: this runs for every
    row of every REST answer)."""
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        raise InvalidParameter("catalog reads need a SELECT query")
    names = [v.value for v in result.variables]
    return [dict(zip(names, map(_value, solution), strict=True)) for solution in result]


def local_id(iri: str, prefix: str) -> str:
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else iri


class Ids:
    """Turn minted IRIs back into the ids the REST API uses."""

    def __init__(self, iris: Iris) -> None:
        self.iris = iris
        self.document_prefix = f"{iris.base}/id/document/"
        self.agency_prefix = f"{iris.base}/id/agency/"
        self.group_prefix = f"{iris.base}/id/group/"
        self.program_prefix = f"{iris.base}/id/program/"
        self.function_prefix = f"{iris.base}/id/function/"

    def document(self, iri: str) -> str:
        return local_id(iri, self.document_prefix)

    def measure(self, iri: str) -> str:
        return local_id(iri, self.document_prefix)  # "{doc}/measure/{n}"

    def agency(self, iri: str) -> str:
        return local_id(iri, self.agency_prefix)

    def group(self, iri: str) -> str:
        return local_id(iri, self.group_prefix)

    def program(self, iri: str) -> str:
        return local_id(iri, self.program_prefix)

    def function(self, iri: str) -> str:
        return local_id(iri, self.function_prefix)

    def role(self, iri: str) -> str:
        """The local name of a pkg: concept (roles, levels)."""
        return iri.rsplit("#", 1)[-1]


def page(total: int, limit: int, offset: int, items: list[Row]) -> Row:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def count(store: Selectable, iris: Iris, where: str, var: str) -> int:
    found = rows(store, iris, f"SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}")
    return int(found[0]["n"]) if found else 0


# --------------------------------------------------------------------------- documents
_DOC_FIELDS = {
    "title": "dcterms:title",
    "doc_number": "pkg:docNumber",
    "issuer": "pkg:issuer",
    "publisher": "pkg:publisher",
    "index_number": "pkg:indexNumber",
    "written_date": "pkg:writtenDate",
    "published_date": "pkg:publishedDate",
    "effective_date": "pkg:effectiveDate",
    "contact_unit": "pkg:contactUnit",
    "contact_phone": "pkg:contactPhone",
    "measures_title": "pkg:measuresTitle",
    "jurisdiction": "pkg:jurisdiction",
    "source_name": "pkg:sourceName",
}


def predicate_keys(iris: Iris, keys: dict[str, str]) -> dict[str, str]:
    """Full predicate IRI → JSON key, from ``{key: "prefix:name"}`` and the deployment's
    prefixes, so rows can be read by key without spelling IRIs."""
    out: dict[str, str] = {}
    for key, curie in keys.items():
        prefix, _, name = curie.partition(":")
        out[iris.prefixes[prefix] + name] = key
    return out


def by_key(found: list[Row], keys: dict[str, str], p: str = "p") -> dict[str, list[Any]]:
    """Objects of the rows whose predicate ``p`` has a key, grouped by key (row order kept)."""
    out: dict[str, list[Any]] = {}
    for r in found:
        key = keys.get(r[p])
        if key is not None:
            out.setdefault(key, []).append(r["o"])
    return out


def get_document(store: Selectable, iris: Iris, doc_id: str) -> Row:
    """One query inside the document's graph, anchored on it (its cost does not grow with the
    corpus): the document's triples, its chapters, measures per chapter, as UNION branches
    with their own columns. The graph holds only this document's resources (README "RDF
    mapping")."""
    d = iris.document(doc_id)
    g = iris.document_graph(doc_id)
    keys = predicate_keys(iris, {**_DOC_FIELDS, "type": "rdf:type", "addressee": "pkg:addressee"})
    found = rows(
        store,
        iris,
        f"""SELECT * WHERE {{
          {{ GRAPH <{g}> {{ <{d}> ?p ?o }} }}
          UNION {{ GRAPH <{g}> {{ ?c a pkg:Chapter ; pkg:ordinal ?ordinal ;
                                  dcterms:title ?title }} }}
          UNION {{ SELECT ?mc (COUNT(DISTINCT ?m) AS ?n)
                   WHERE {{ GRAPH <{g}> {{ ?m pkg:inChapter ?mc }} }} GROUP BY ?mc }}
        }}""",
    )
    own = by_key([r for r in found if r["p"] is not None], keys)
    if str(iris.pkg.PolicyDocument) not in own.get("type", ()):
        raise NotFound(f"no document with id {doc_id!r}")
    record: Row = {"id": doc_id, "iri": str(d)}
    record.update({k: own[k][0] if k in own else None for k in _DOC_FIELDS})
    record["addressees"] = sorted(own.get("addressee", ()))
    counts = {r["mc"]: r["n"] for r in found if r["mc"] is not None}
    merged: dict[tuple[int, str], set[str]] = {}
    for c in found:  # chapters sharing ordinal and title count as one, as GROUP BY did
        if c["c"] is not None:
            merged.setdefault((c["ordinal"], c["title"]), set()).add(c["c"])
    record["chapters"] = [
        {"ordinal": o, "title": t, "measures": sum(counts.get(c, 0) for c in cs)}
        for (o, t), cs in sorted(merged.items(), key=lambda item: item[0][0])
    ]
    record["measures"] = sum(c["measures"] for c in record["chapters"]) or count(
        store, iris, f"GRAPH <{g}> {{ ?m a pkg:Measure }}", "m"
    )
    return record


# --------------------------------------------------------------------------- any resource
def describe(store: Selectable, iris: Iris, iri: str, *, limit: int = 2000) -> Row | None:
    """All triples about ``iri`` (outgoing and incoming) with labels, or None when unknown."""
    if "<" in iri or ">" in iri or " " in iri:
        return None
    out = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?p ?o (isIRI(?o) AS ?iri) (SAMPLE(?l) AS ?label) WHERE {{
          <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label ?l }}
        }} GROUP BY ?p ?o ORDER BY ?p ?o LIMIT {limit}""",
    )
    incoming = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?s ?p (SAMPLE(?l) AS ?label) WHERE {{
          ?s ?p <{iri}> . OPTIONAL {{ ?s rdfs:label ?l }}
        }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {limit}""",
    )
    if not out and not incoming:
        return None
    label = next((r["o"] for r in out if r["p"].endswith("#label") and not r["iri"]), None)
    return {"iri": iri, "label": label, "out": out, "in": incoming}


def ontology_terms(store: Selectable, iris: Iris) -> list[Row]:
    """Classes and properties declared in the ontology graph, with labels (for its HTML page)."""
    return rows(
        store,
        iris,
        f"""SELECT ?term (SAMPLE(?t) AS ?type) (SAMPLE(?en) AS ?label_en)
          (SAMPLE(?zh) AS ?label_zh) (SAMPLE(?c) AS ?comment) WHERE {{
          GRAPH <{iris.ontology_graph}> {{ ?term a ?t .
            FILTER(STRSTARTS(STR(?term), {lit(iris.ontology_ns)}))
            OPTIONAL {{ ?term rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
            OPTIONAL {{ ?term rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
            OPTIONAL {{ ?term rdfs:comment ?c }} }}
        }} GROUP BY ?term ORDER BY ?term""",
    )
