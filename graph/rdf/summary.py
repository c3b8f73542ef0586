"""Per-document summaries, kept by the writer so corpus-wide tables are a cheap sum.

The agency table (measures and lead measures per agency) is a join of every responsibility
with its measure: ~1 s at 1,000 documents in pyoxigraph, 2-5 s on a loaded machine, paid by
the first visitor after every start. But each count is a sum over documents of what one
document graph says, so the writer (``graph.pipeline.load_prepared``) reduces each document
graph it writes to a small JSON summary: its document fields (with measure count, level and
``implements`` links), its chapters (ordinal, title, measures), the measures per target group
and per program it names, and its measures grouped by agency set (``agencies``: the agencies
it names, as ids when they are minted ``Iris.agency`` IRIs, else IRIs; ``sets``: [indexes of
a measure's agencies, of those that lead, how many measures have exactly these]), stored as
one literal about the document graph in the system graph :func:`summary_graph`.

A summary records the content hash of the graph it was made from; a reader uses it only
when that is still the graph's hash, and reduces any other graph itself (the same function,
over the graph's N-Triples), so a missing or stale summary (a store loaded before
summaries, a write path that does not keep them, a crash in between) costs time, never
correctness. Public readers never write them. A document's level is the one
graph.catalog.chain.level_of reads from its issuer (computed here so that readers do not
load the function index for it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol
from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import DCTERMS, RDF

from graph.catalog.chain import level_of
from graph.rdf.terms import to_python
from ontology.iris import ELI, Iris

#: Bump when the summary's fields change: summaries of another version count as missing.
VERSION = 3
Summary = dict[str, Any]


def summary_graph(iris: Iris) -> str:
    """The named graph of the document summaries (policykg's bookkeeping, like intents)."""
    return f"{iris.base}/id/graph/system/summary"


def _predicate(iris: Iris) -> str:
    return f"{iris.ontology_ns}documentSummary"


class _Names:
    """Full IRIs (``<…>``) of the predicates a summary reads, for matching N-Triples text."""

    def __init__(self, iris: Iris) -> None:
        pkg = iris.pkg
        self.type = f"<{RDF.type}>"
        self.measure = f"<{pkg.Measure}>"
        self.document = f"<{pkg.PolicyDocument}>"
        self.responsibility = f"<{pkg.responsibility}>"
        self.agency = f"<{pkg.agency}>"
        self.role = f"<{pkg.role}>"
        self.lead = f"<{iris.role('lead')}>"
        self.in_document = f"<{pkg.inDocument}>"
        self.chapter = f"<{pkg.Chapter}>"
        self.in_chapter = f"<{pkg.inChapter}>"
        self.applies = f"<{ELI.applies}>"
        self.links = {f"<{pkg.targets}>": "groups", f"<{pkg.uses}>": "programs"}
        self.literals = {
            f"<{DCTERMS.title}>": "title",
            f"<{pkg.docNumber}>": "doc_number",
            f"<{pkg.issuer}>": "issuer",
            f"<{pkg.publishedDate}>": "published_date",
            f"<{pkg.jurisdiction}>": "jurisdiction",
            f"<{pkg.ordinal}>": "ordinal",
        }


def _json_value(term: Any) -> Any:
    value = to_python(term)
    return value.isoformat() if isinstance(value, date) else value


def _first(own: dict[str, list[Any]], name: str) -> Any:
    return (own.get(name) or [None])[0]


def summarize(lines: Iterable[str], iris: Iris, digest: str) -> Summary:
    """The summary of one document graph given as N-Triples lines (with or without the
    final `` .``): pure string work on the lines, literals parsed by pyoxigraph."""
    n = _Names(iris)
    measures: set[str] = set()
    documents: set[str] = set()
    chapters: set[str] = set()
    in_chapter: dict[str, set[str]] = defaultdict(set)
    applies: dict[str, set[str]] = defaultdict(set)
    reached: dict[str, dict[str, set[str]]] = {
        "groups": defaultdict(set),
        "programs": defaultdict(set),
    }
    in_document: dict[str, set[str]] = defaultdict(set)
    responsibilities: dict[str, set[str]] = defaultdict(set)
    agencies: dict[str, set[str]] = defaultdict(set)
    leads: set[str] = set()
    literal_lines: list[str] = []
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) < 3:
            continue
        s, p, o = parts
        o = o.removesuffix(" .")
        if p == n.type:
            if o == n.measure:
                measures.add(s)
            elif o == n.document:
                documents.add(s)
            elif o == n.chapter:
                chapters.add(s)
        elif p == n.responsibility:
            responsibilities[s].add(o)
        elif p == n.agency:
            agencies[s].add(o)
        elif p == n.role:
            if o == n.lead:
                leads.add(s)
        elif p == n.in_document:
            in_document[o].add(s)
        elif p == n.in_chapter:
            in_chapter[o].add(s)
        elif p == n.applies:
            applies[s].add(o[1:-1])
        elif p in n.links:
            reached[n.links[p]][o[1:-1]].add(s)
        elif p in n.literals:
            literal_lines.append(f"{s} {p} {o} .\n")
    fields: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    if literal_lines:
        for quad in ox.parse("".join(literal_lines), format=ox.RdfFormat.N_TRIPLES):
            name = n.literals[f"<{quad.predicate.value}>"]
            fields[f"<{quad.subject.value}>"][name].append(_json_value(quad.object))
    agency_prefix = str(iris.agency(""))
    named = sorted({a[1:-1] for r in agencies.values() for a in r})
    index = {a: i for i, a in enumerate(named)}
    sets: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = defaultdict(int)
    for rs in responsibilities.values():
        every = sorted({index[a[1:-1]] for r in rs for a in agencies.get(r, ())})
        lead = sorted({index[a[1:-1]] for r in rs if r in leads for a in agencies.get(r, ())})
        if every:
            sets[(tuple(every), tuple(lead))] += 1
    docs = []
    for d in sorted(documents):
        own = {k: sorted(v, key=str) for k, v in fields.get(d, {}).items() if k != "ordinal"}
        docs.append(
            {
                "iri": d[1:-1],
                **own,
                "measures": len(in_document.get(d, set()) & measures),
                "level": level_of(_first(own, "issuer"), _first(own, "jurisdiction")),
                "implements": sorted(applies.get(d, ())),
            }
        )
    merged: dict[tuple[int, str], set[str]] = defaultdict(set)
    for c in chapters:  # chapters sharing ordinal and title count as one (get_document)
        for ordinal in fields.get(c, {}).get("ordinal", ()):
            for title in fields.get(c, {}).get("title", ()):
                merged[(ordinal, title)].add(c)
    chapter_rows = [
        {"ordinal": o, "title": t, "measures": sum(len(in_chapter.get(c, ())) for c in cs)}
        for (o, t), cs in sorted(merged.items())
    ]
    return {
        "v": VERSION,
        "digest": digest,
        "documents": docs,
        "chapters": chapter_rows,
        **{
            name: {x: len(ms) for x, ms in sorted(found.items())} for name, found in reached.items()
        },
        "agencies": [a.removeprefix(agency_prefix) for a in named],
        "sets": [[list(a), list(lead), k] for (a, lead), k in sorted(sets.items())],
    }


class Written(Protocol):
    """What :func:`keep` needs of a written document graph (graph.rdf.bulk.RdfPayload)."""

    @property
    def graph(self) -> str: ...

    @property
    def digest(self) -> str: ...

    def lines(self) -> list[str]: ...


def _kept(store: ox.Store, iris: Iris, graph: str) -> Summary | None:
    """The kept summary of ``graph`` when it is one of this version (damaged: None)."""
    predicate, home = ox.NamedNode(_predicate(iris)), ox.NamedNode(summary_graph(iris))
    for q in store.quads_for_pattern(ox.NamedNode(graph), predicate, None, home):
        if not isinstance(q.object, ox.Literal):
            return None
        try:
            found = json.loads(q.object.value)
        except ValueError:
            return None
        return found if isinstance(found, dict) and found.get("v") == VERSION else None
    return None


def _kept_digest(store: ox.Store, iris: Iris, graph: str) -> str | None:
    found = _kept(store, iris, graph)
    return None if found is None else found.get("digest")


def keep(store: ox.Store, iris: Iris, written: Iterable[Written]) -> int:
    """Summarise the document graphs just written (or found unchanged) whose kept summary
    is missing or stale, from the lines written; how many were (re)made."""
    todo = [w for w in written if _kept_digest(store, iris, w.graph) != w.digest]
    write(store, iris, [(w.graph, summarize(w.lines(), iris, w.digest)) for w in todo])
    return len(todo)


def write(store: ox.Store, iris: Iris, items: Sequence[tuple[str, Summary]]) -> None:
    """Replace the summaries of the graphs ``items`` name (graph IRI, summary): one update
    deleting the old ones, one load of the new ones (writers only)."""
    if not items:
        return
    graph, predicate = summary_graph(iris), _predicate(iris)
    values = " ".join(f"<{g}>" for g, _ in items)
    store.update(
        f"DELETE {{ GRAPH <{graph}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
        f"GRAPH <{graph}> {{ ?g ?p ?o }} }}"
    )
    data = "".join(f"<{g}> <{predicate}> {ox.Literal(_json(s))} <{graph}> .\n" for g, s in items)
    store.load(data.encode("utf-8"), ox.RdfFormat.N_QUADS)


def _json(s: Summary) -> str:
    return json.dumps(s, ensure_ascii=False, separators=(",", ":"))


def clear(store: ox.Store, iris: Iris, graphs: Sequence[str]) -> None:
    """Delete the summaries of ``graphs`` (after a removal; a leftover is ignored anyway)."""
    if graphs:
        values = " ".join(f"<{g}>" for g in graphs)
        graph = summary_graph(iris)
        store.update(
            f"DELETE {{ GRAPH <{graph}> {{ ?g ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
            f"GRAPH <{graph}> {{ ?g ?p ?o }} }}"
        )


def graph_summary(store: ox.Store, iris: Iris, graph: str, digest: str) -> Summary:
    """Reduce a stored document graph (the reader's fallback; writes nothing)."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    return summarize((data or b"").decode("utf-8").splitlines(), iris, digest)


def read_documents(store: ox.Store, iris: Iris, doc_ids: Sequence[str]) -> dict[str, Summary]:
    """The summaries of a few loaded documents (kept when current, else made now)."""
    stamp = ox.NamedNode(str(iris.pkg.contentHash))
    out: dict[str, Summary] = {}
    for doc_id in doc_ids:
        g = ox.NamedNode(str(iris.document_graph(doc_id)))
        digest = next(
            (q.object.value for q in store.quads_for_pattern(g, stamp, None, g)
             if isinstance(q.object, ox.Literal)),
            None,
        )  # fmt: skip
        if digest is None:
            continue
        found = _kept(store, iris, g.value)
        if found is None or found.get("digest") != digest:
            found = graph_summary(store, iris, g.value, digest)
        out[doc_id] = found
    return out


def read(store: ox.Store, iris: Iris, rebuild_at_most: int = 50) -> dict[str, Summary] | None:
    """Every loaded document graph's summary by document id: the kept one when it was made
    from the graph's current content, else made now from the graph (~70 ms each at load);
    None when more than ``rebuild_at_most`` would be made (a store written before
    summaries: the caller aggregates in SPARQL instead, until ``policykg load`` runs)."""
    prefix = str(iris.document_graph(""))
    hashes: dict[str, str] = {}
    stamp = ox.NamedNode(str(iris.pkg.contentHash))
    for q in store.quads_for_pattern(None, stamp, None, None):
        s = q.subject
        o = q.object
        if isinstance(s, ox.NamedNode) and q.graph_name == s and s.value.startswith(prefix):
            hashes[s.value] = o.value if isinstance(o, ox.Literal) else ""
    kept: dict[str, Summary] = {}
    predicate = ox.NamedNode(_predicate(iris))
    for q in store.quads_for_pattern(None, predicate, None, ox.NamedNode(summary_graph(iris))):
        g = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
        if g in hashes and isinstance(q.object, ox.Literal):
            try:
                found = json.loads(q.object.value)
            except ValueError:
                continue
            if found.get("v") == VERSION and found.get("digest") == hashes[g]:
                kept[g] = found
    if len(hashes) - len(kept) > rebuild_at_most:
        return None
    return {
        unquote(g[len(prefix) :]): kept.get(g) or graph_summary(store, iris, g, digest)
        for g, digest in sorted(hashes.items())
    }


__all__ = [
    "VERSION",
    "Summary",
    "clear",
    "graph_summary",
    "keep",
    "read",
    "read_documents",
    "summarize",
    "write",
]
