"""The corpus view: sums over the per-document summaries (graph/rdf/summary.py).

Measures per agency (and as lead), documents by level and by issuer, measures per government
function: each is a sum over documents, so it is computed from the summaries the writer kept
(one literal per document) instead of a corpus-wide join, in tens of milliseconds at 1,000
documents. The policy chains are the connected parts of the ``implements`` links (one native
query over the citation links, resolved as graph.rdf.citations.RESOLVE resolves them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, SKOS

from graph.catalog.chain import LEVEL_ORDER
from graph.catalog.details import Ids, Row, Selectable, page, rows
from graph.catalog.lists import program_type
from graph.rdf import summary
from graph.rdf.citations import RESOLVE
from graph.rdf.summary import Summary
from ontology.iris import Iris

Summaries = Mapping[str, Summary]
#: The largest chains the corpus view lists.
CHAINS = 10


def summaries(store: Any, iris: Iris, rebuild_at_most: int = 50) -> dict[str, Summary] | None:
    """The writer's per-document summaries of the RDF store ``store`` (see
    :func:`graph.rdf.summary.read`: None when more than ``rebuild_at_most`` are missing)."""
    return summary.read(store.store, iris, rebuild_at_most)


def document_summaries(store: Any, iris: Iris, doc_ids: Sequence[str]) -> dict[str, Summary]:
    """The summaries of a few documents of the RDF store ``store`` (the home's first page)."""
    return summary.read_documents(store.store, iris, doc_ids)


def _agencies(iris: Iris, s: Summary) -> list[str]:
    """The IRIs of the agencies a summary names (minted ones are kept as ids)."""
    prefix = str(iris.agency(""))
    return [a if ":" in a else prefix + a for a in s["agencies"]]


def agency_counts(iris: Iris, summaries: Summaries) -> tuple[dict[str, int], dict[str, int]]:
    """Measures per agency IRI, and measures it leads (each measure counted once per agency,
    whatever the number of its responsibilities, as ``COUNT(DISTINCT ?m)``)."""
    measures: dict[str, int] = defaultdict(int)
    lead: dict[str, int] = defaultdict(int)
    for s in summaries.values():
        named = _agencies(iris, s)
        for every, leading, n in s["sets"]:
            for i in every:
                measures[named[i]] += n
            for i in leading:
                lead[named[i]] += n
    return dict(measures), dict(lead)


def _first(record: Row, name: str) -> Any:
    values = record.get(name) or [None]
    return values[0]


def documents(summaries: Summaries) -> list[Row]:
    """Every document in IRI order with the fields of ``lists.list_documents`` and its level
    (graph.catalog.chain.level_of: what its issuer's name says, read by the writer)."""
    ids: list[Row] = []
    for doc_id, s in summaries.items():
        for d in s["documents"]:
            ids.append(
                {
                    "id": doc_id,
                    "iri": d["iri"],
                    "title": _first(d, "title"),
                    "doc_number": _first(d, "doc_number"),
                    "issuer": _first(d, "issuer"),
                    "published_date": _first(d, "published_date"),
                    "measures": d["measures"],
                    "level": d["level"],
                }
            )
    return sorted(ids, key=lambda d: d["iri"])


def document_page(
    docs: list[Row],
    *,
    limit: int,
    offset: int,
    level: str | None = None,
    issuer: str | None = None,
) -> Row:
    """One page of :func:`documents` (of a level, ``"unknown"`` for none, and/or an issuer)."""
    found = [
        d
        for d in docs
        if (level is None or (d["level"] or "unknown") == level)
        and (issuer is None or d["issuer"] == issuer)
    ]
    return page(len(found), limit, offset, found[offset : offset + limit])


def by_level(docs: list[Row]) -> list[Row]:
    """Documents and measures per level of government, national first (``unknown`` last)."""
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in docs:
        tally = counted[d["level"] or "unknown"]
        tally[0] += 1
        tally[1] += d["measures"]
    order = sorted(counted, key=lambda lv: (LEVEL_ORDER.get(lv, 9), lv))
    return [{"level": lv, "documents": counted[lv][0], "measures": counted[lv][1]} for lv in order]


def by_issuer(docs: list[Row]) -> list[Row]:
    """Documents and measures per issuer (as written), most documents first, then name."""
    counted: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    levels: dict[str | None, str | None] = {}
    for d in docs:
        tally = counted[d["issuer"]]
        tally[0] += 1
        tally[1] += d["measures"]
        levels.setdefault(d["issuer"], d["level"])
    order = sorted(counted, key=lambda i: (-counted[i][0], i is None, i or ""))
    return [
        {
            "issuer": i,
            "level": levels[i],
            "documents": counted[i][0],
            "measures": counted[i][1],
        }
        for i in order
    ]


def _agency_functions(store: Any, iris: Iris) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Each agency's functions and each function's Chinese label, by two pattern scans (a
    SPARQL join with the labels costs 3x as much)."""
    ox_store: ox.Store = store.store
    function_of: dict[str, set[str]] = defaultdict(set)
    for q in ox_store.quads_for_pattern(None, ox.NamedNode(str(iris.pkg.function)), None, None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            function_of[q.subject.value].add(q.object.value)
    labels: dict[str, str] = {}
    vocabulary = ox.NamedNode(str(iris.vocabulary_graph("functions")))
    for q in ox_store.quads_for_pattern(None, ox.NamedNode(str(SKOS.prefLabel)), None, vocabulary):
        o = q.object
        if isinstance(q.subject, ox.NamedNode) and isinstance(o, ox.Literal) and not o.language:
            labels.setdefault(q.subject.value, o.value)
    return function_of, labels


def functions(store: Any, iris: Iris, summaries: Summaries) -> list[Row]:
    """Per government function: the measures at least one agency of that function is
    responsible for (each measure once) and how many such agencies there are, most measures
    first. ``store``: graph.rdf.store.RdfStore."""
    function_of, labels = _agency_functions(store, iris)
    measures: dict[str, int] = defaultdict(int)
    agencies: dict[str, set[str]] = defaultdict(set)
    for s in summaries.values():
        named = _agencies(iris, s)
        for every, _lead, n in s["sets"]:
            hit: set[str] = set()
            for i in every:
                for f in function_of.get(named[i], ()):
                    hit.add(f)
                    agencies[f].add(named[i])
            for f in hit:
                measures[f] += n
    prefix = f"{iris.base}/id/function/"
    return [
        {
            "id": f[len(prefix) :] if f.startswith(prefix) else f,
            "iri": f,
            "label": labels.get(f),
            "measures": measures[f],
            "agencies": len(agencies[f]),
        }
        for f in sorted(measures, key=lambda f: (-measures[f], f))
    ]


def _resolved(store: Selectable, iris: Iris, stubs: list[str]) -> dict[str, list[str]]:
    """The cited stubs (``pkg:CitedDocument``) among ``stubs``, each with the loaded documents
    it resolves to (graph.rdf.citations.RESOLVE; none: []); one query anchored on them."""
    if not stubs:
        return {}
    values = " ".join(f"<{s}>" for s in stubs)
    found: dict[str, list[str]] = {}
    query = f"SELECT ?s ?d WHERE {{ VALUES ?s {{ {values} }} ?s a pkg:CitedDocument . "
    for r in rows(store, iris, query + f"OPTIONAL {{ {RESOLVE} }} }}"):
        found.setdefault(r["s"], [])
        if r["d"] is not None and r["d"] not in found[r["s"]]:
            found[r["s"]].append(r["d"])
    return found


def chains(
    store: Selectable, iris: Iris, docs: list[Row], summaries: Summaries, top: int = CHAINS
) -> list[Row]:
    """The largest policy chains: the connected parts of the ``implements`` links (a link to
    a document not loaded ends at its stub), by loaded documents, then stubs, then top id.
    ``top`` is the member implementing no other loaded member, nearest the national level
    (its ``/documents/{id}/chain`` page shows the chain from the top). The links come from
    the summaries; only their stubs are resolved in the store (none: no query)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = [
        (d["iri"], stub)
        for s in summaries.values()
        for d in s["documents"]
        for stub in d.get("implements", ())
    ]
    resolved = _resolved(store, iris, sorted({stub for _, stub in links}))
    implements: set[str] = set()  # loaded documents implementing a loaded document
    for src, stub in links:
        if stub not in resolved:
            continue  # not a cited-document stub (as the chain reader requires)
        for target in resolved[stub] or [stub]:
            if target != src:
                parent[find(src)] = find(target)
                if resolved[stub]:
                    implements.add(src)
    by_iri = {d["iri"]: d for d in docs}
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    out: list[Row] = []
    for group in members.values():
        loaded = sorted((by_iri[x] for x in group if x in by_iri), key=lambda d: d["iri"])
        if not loaded:
            continue
        tops = [d for d in loaded if d["iri"] not in implements] or loaded
        head = min(tops, key=lambda d: (LEVEL_ORDER.get(d["level"] or "", 9), d["iri"]))
        out.append(
            {
                "top": head["id"],
                "title": head["title"],
                "doc_number": head["doc_number"],
                "documents": len(loaded),
                "not_loaded": len(group) - len(loaded),
                "members": [d["id"] for d in loaded],
            }
        )
    out.sort(key=lambda c: (-c["documents"], -c["not_loaded"], c["top"]))
    return out[:top]


def _ranked(
    store: Any, cls: str, counts: Mapping[str, int], limit: int, offset: int
) -> tuple[int, list[tuple[str, int]]]:
    """(how many instances of ``cls``, one page of them with their measures, most first,
    then IRI): instances by one pattern scan, measures from ``counts``."""
    ox_store: ox.Store = store.store
    typed = ox_store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(cls), None)
    instances = {q.subject.value for q in typed if isinstance(q.subject, ox.NamedNode)}
    ranked = sorted(instances, key=lambda x: (-counts.get(x, 0), x))
    return len(instances), [(x, counts.get(x, 0)) for x in ranked[offset : offset + limit]]


def _described(
    store: Selectable, iris: Iris, columns: str, optional: str, xs: list[str]
) -> dict[str, Row]:
    """``columns`` of the page's instances ``xs``, in one query anchored on them."""
    if not xs:
        return {}
    values = " ".join(f"<{x}>" for x in xs)
    query = f"SELECT ?x {columns} WHERE {{ VALUES ?x {{ {values} }} {optional} }} GROUP BY ?x"
    return {r["x"]: r for r in rows(store, iris, query)}


def group_page(
    store: Any, iris: Iris, counts: Mapping[str, int], *, limit: int, offset: int
) -> Row:
    """``lists.list_groups`` from measures per group summed from the summaries (its aggregate
    joins every measure; graph.catalog.rollup.sums)."""
    total, ranked = _ranked(store, str(iris.pkg.TargetGroup), counts, limit, offset)
    described = _described(
        store, iris, "(SAMPLE(STR(?l)) AS ?label)", "OPTIONAL { ?x rdfs:label ?l }",
        [x for x, _ in ranked],
    )  # fmt: skip
    ids = Ids(iris)
    items = [
        {"id": ids.group(x), "iri": x, "label": described.get(x, {}).get("label"), "measures": n}
        for x, n in ranked
    ]
    return page(total, limit, offset, items)


def program_page(
    store: Any, iris: Iris, counts: Mapping[str, int], *, limit: int, offset: int
) -> Row:
    """``lists.list_programs`` from measures per program summed from the summaries."""
    total, ranked = _ranked(store, str(iris.pkg.Program), counts, limit, offset)
    described = _described(
        store, iris, "(SAMPLE(STR(?l)) AS ?name) (SAMPLE(?t) AS ?type)",
        "OPTIONAL { ?x rdfs:label ?l } OPTIONAL { ?x pkg:programType ?t }",
        [x for x, _ in ranked],
    )  # fmt: skip
    ids = Ids(iris)
    items = [
        {
            "id": ids.program(x),
            "iri": x,
            "name": described.get(x, {}).get("name"),
            "type": program_type(described.get(x, {}).get("type")),
            "measures": n,
        }
        for x, n in ranked
    ]
    return page(total, limit, offset, items)


def corpus_view(store: Selectable, iris: Iris, summaries: Summaries) -> Row:
    """What the home page and ``/api/corpus`` show, from the summaries."""
    docs = documents(summaries)
    return {
        "documents": len(docs),
        "measures": sum(d["measures"] for d in docs),
        "documents_by_level": by_level(docs),
        "documents_by_issuer": by_issuer(docs),
        "functions": functions(store, iris, summaries),
        "chains": chains(store, iris, docs, summaries),
    }


__all__ = [
    "CHAINS",
    "agency_counts",
    "by_issuer",
    "by_level",
    "chains",
    "corpus_view",
    "document_page",
    "documents",
    "functions",
    "group_page",
    "program_page",
]
