"""Every read the REST API and the HTML pages need, as SPARQL over ``RdfStore.select``.

Functions are pure reads: they take the store and the deployment's :class:`Iris`, build a
query with escaped literals and minted IRIs only, and return plain dicts (JSON-ready). Lists
return a page ``{"total", "limit", "offset", "items"}``; unknown ids raise NotFound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import unquote

from ontology.errors import NotFound
from ontology.iris import Iris

Row = dict[str, Any]


class Selectable(Protocol):
    def select(self, query: str) -> Sequence[Mapping[str, Any]]: ...


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


def _py(value: Any) -> Any:
    """A plain Python value from whatever ``select`` returns (terms or already plain)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    datatype = getattr(value, "datatype", None)
    raw = getattr(value, "value", None)
    if raw is None:
        return str(value)
    dt = getattr(datatype, "value", str(datatype or ""))
    if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
        return int(raw)
    if dt.endswith("#boolean"):
        return raw == "true"
    return str(raw)


def rows(store: Selectable, iris: Iris, query: str) -> list[Row]:
    result = store.select(iris.sparql_prefixes() + query)
    return [{k: _py(v) for k, v in dict(r).items()} for r in result]


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

    def role(self, iri: str) -> str:
        return iri.rsplit("#", 1)[-1]


def page(total: int, limit: int, offset: int, items: list[Row]) -> Row:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def count(store: Selectable, iris: Iris, where: str, var: str) -> int:
    found = rows(store, iris, f"SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}")
    return int(found[0]["n"]) if found else 0


# --------------------------------------------------------------------------- documents
def list_documents(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    where = "?d a pkg:PolicyDocument ."
    total = count(store, iris, where, "d")
    found = rows(
        store,
        iris,
        f"""SELECT ?d ?title ?number ?issuer ?published (COUNT(DISTINCT ?m) AS ?measures) WHERE {{
          {where} ?d dcterms:title ?title .
          OPTIONAL {{ ?d pkg:docNumber ?number }} OPTIONAL {{ ?d pkg:issuer ?issuer }}
          OPTIONAL {{ ?d pkg:publishedDate ?published }}
          OPTIONAL {{ ?m pkg:inDocument ?d ; a pkg:Measure }}
        }} GROUP BY ?d ?title ?number ?issuer ?published
        ORDER BY ?d LIMIT {limit} OFFSET {offset}""",
    )
    ids = Ids(iris)
    items = [
        {
            "id": ids.document(r["d"]),
            "iri": r["d"],
            "title": r["title"],
            "doc_number": r.get("number"),
            "issuer": r.get("issuer"),
            "published_date": r.get("published"),
            "measures": r["measures"],
        }
        for r in found
    ]
    return page(total, limit, offset, items)


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


def get_document(store: Selectable, iris: Iris, doc_id: str) -> Row:
    d = iris.document(doc_id)
    optional = " ".join(f"OPTIONAL {{ <{d}> {p} ?{k} }}" for k, p in _DOC_FIELDS.items())
    found = rows(store, iris, f"SELECT * WHERE {{ <{d}> a pkg:PolicyDocument . {optional} }}")
    if not found:
        raise NotFound(f"no document with id {doc_id!r}")
    record: Row = {"id": doc_id, "iri": str(d), **{k: found[0].get(k) for k in _DOC_FIELDS}}
    addressees = rows(store, iris, f"SELECT ?a WHERE {{ <{d}> pkg:addressee ?a }} ORDER BY ?a")
    record["addressees"] = [r["a"] for r in addressees]
    chapters = rows(
        store,
        iris,
        f"""SELECT ?ordinal ?title (COUNT(DISTINCT ?m) AS ?measures) WHERE {{
          ?c a pkg:Chapter ; pkg:inDocument <{d}> ; pkg:ordinal ?ordinal ; dcterms:title ?title .
          OPTIONAL {{ ?m pkg:inChapter ?c }}
        }} GROUP BY ?ordinal ?title ORDER BY ?ordinal""",
    )
    record["chapters"] = chapters
    record["measures"] = sum(c["measures"] for c in chapters) or count(
        store, iris, f"?m a pkg:Measure ; pkg:inDocument <{d}>", "m"
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
