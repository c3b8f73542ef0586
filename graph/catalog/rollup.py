"""The corpus rollup: the sums of every per-document summary, kept by the writer.

Reading 1,000 summaries costs ~0.4 s (decoding a thousand literals of ~2.7 KB and their
JSON), paid by the first visitor after a start, on a loaded machine well over a second with
the rest of the home page. Their sums change only when the store is written, so the writer
(graph.pipeline, after each batch and removal) stores them once more as one literal: the
agency table, the corpus view, every document row and the measures per group and program.

The rollup records a key over the content hash of every stamped graph (documents, ontology,
vocabularies); a reader uses it only when the store's key is still that key (one pattern
scan), else returns None and the caller sums the summaries itself.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from graph.catalog import corpus, lists
from graph.catalog.details import Row
from graph.rdf import summary
from ontology.iris import Iris

VERSION = 1


def _subject(iris: Iris) -> ox.NamedNode:
    return ox.NamedNode(summary.summary_graph(iris))


def _predicate(iris: Iris) -> ox.NamedNode:
    return ox.NamedNode(f"{iris.ontology_ns}corpusRollup")


def store_key(store: ox.Store, iris: Iris) -> str:
    """A hash of every (graph, content hash) the store holds: it changes with any write of a
    document, the ontology or a vocabulary."""
    stamp = ox.NamedNode(str(iris.pkg.contentHash))
    pairs = sorted(
        f"{q.subject.value} {q.object.value}"
        for q in store.quads_for_pattern(None, stamp, None, None)
        if isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.Literal)
        and q.graph_name == q.subject
    )
    return hashlib.sha256("\n".join(pairs).encode("utf-8")).hexdigest()


def sums(summaries: corpus.Summaries, name: str) -> dict[str, int]:
    """Measures per target group (``groups``) or program (``programs``) over the corpus."""
    found: dict[str, int] = defaultdict(int)
    for s in summaries.values():
        for x, n in s[name].items():
            found[x] += n
    return dict(found)


def compute(store: Any, iris: Iris, summaries: corpus.Summaries, key: str) -> Row:
    """The rollup of ``summaries`` (``store``: graph.rdf.store.RdfStore)."""
    counts = corpus.agency_counts(iris, summaries)
    return {
        "v": VERSION,
        "key": key,
        "agency_counts": list(counts),
        "agency_table": lists.agency_table(store, iris, None, counts),
        "documents": corpus.documents(summaries),
        "view": corpus.corpus_view(store, iris, summaries),
        "groups": sums(summaries, "groups"),
        "programs": sums(summaries, "programs"),
    }


def current(store: Any, iris: Iris) -> Row | None:
    """:func:`read` on the RDF store ``store`` (what the web service asks)."""
    return read(store.store, iris)


def read(store: ox.Store, iris: Iris) -> Row | None:
    """The kept rollup when it was made from the store as it is, else None."""
    for q in store.quads_for_pattern(_subject(iris), _predicate(iris), None, _subject(iris)):
        if not isinstance(q.object, ox.Literal):
            return None
        try:
            found: Row = json.loads(q.object.value)
        except ValueError:
            return None
        if found.get("v") == VERSION and found.get("key") == store_key(store, iris):
            found["agency_counts"] = tuple(found["agency_counts"])
            return found
        return None
    return None


def refresh(store: Any, iris: Iris) -> bool:
    """Recompute and keep the rollup when it is missing or stale and every document has its
    summary (a store still being filled in keeps none until it is complete); writers only.
    True when it was written."""
    ox_store: ox.Store = store.store
    key = store_key(ox_store, iris)
    if read(ox_store, iris) is not None:
        return False
    found = summary.read(ox_store, iris, rebuild_at_most=0)
    if found is None:
        return False
    text = json.dumps(compute(store, iris, found, key), ensure_ascii=False, separators=(",", ":"))
    graph, subject, predicate = _subject(iris), _subject(iris), _predicate(iris)
    ox_store.update(
        f"DELETE WHERE {{ GRAPH <{graph.value}> {{ <{subject.value}> <{predicate.value}> ?o }} }}"
    )
    ox_store.add(ox.Quad(subject, predicate, ox.Literal(text), graph))
    return True


__all__ = ["VERSION", "compute", "read", "refresh", "store_key", "sums"]
