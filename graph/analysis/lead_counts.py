"""The lead matrix's input read straight from the RDF store, for a whole corpus.

Reading the networkx graph costs about 1 ms per measure (api.memo refuses corpus-wide analyses
above 5,000 measures); the lead matrix needs only (document, measure, function, role) per
responsibility, so this reads two predicates by index scans (``pkg:agency`` and ``pkg:role``
in the document graphs) and ``pkg:function`` of each agency, and builds no graph. The
document is the named graph the responsibility is in, the measure the responsibility's own
IRI (``{measure}/responsibility/{rank}``). 1,000 generated documents (106,020
responsibilities): about 6 s CPU against 18 s for the network (the same matrix).
"""

from __future__ import annotations

from urllib.parse import unquote

import pyoxigraph as ox

from graph.analysis.by_function import DutyRow
from graph.analysis.network import SelectStore
from ontology.errors import NotFound

_TITLE = "http://purl.org/dc/terms/title"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DUTY = "/responsibility/"


def _v(term: object) -> str:
    return str(getattr(term, "value", ""))


def _plain(store: ox.Store, subject: str, predicate: str) -> str | None:
    found = [
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)
        if isinstance(q.object, ox.Literal) and not q.object.language
    ]
    return min(found) if found else None


def read_duty_rows(
    store: SelectStore, document: str | None = None
) -> tuple[list[DutyRow], dict[str, str]]:
    """Every responsibility of the corpus (or of one document) and each document's label
    (its document number, else its title)."""
    iris, ox_store = store.iris, store.store
    ns = iris.ontology_ns
    graph_prefix = str(iris.document_graph("x"))[:-1]
    graph: ox.NamedNode | None = None
    if document is not None:
        graph = ox.NamedNode(str(iris.document_graph(document)))
        doc = ox.NamedNode(str(iris.document(document)))
        if next(iter(ox_store.quads_for_pattern(doc, None, None, graph)), None) is None:
            raise NotFound(f"document {document!r} is not loaded")

    def scan(predicate: str) -> list[tuple[str, str, str]]:
        """(graph, subject, object) of one predicate, as strings."""
        pattern = ox_store.quads_for_pattern(None, ox.NamedNode(ns + predicate), None, graph)
        return [(_v(q.graph_name), _v(q.subject), _v(q.object)) for q in pattern]

    measure_of: dict[str, tuple[str, str]] = {}  # responsibility → (document id, measure)
    agency: dict[str, str] = {}
    for g, r, a in scan("agency"):  # minted {measure}/responsibility/{rank} (README Identifiers)
        head, cut, _rank = r.rpartition(_DUTY)
        if cut and g.startswith(graph_prefix):
            measure_of[r] = (unquote(g[len(graph_prefix) :]), head)
            agency[r] = a
    role = {r: x for _g, r, x in scan("role") if r in measure_of}
    functions: dict[str, str | None] = {}
    labels: dict[str, str | None] = {}
    for a in set(agency.values()):
        found = sorted(
            _v(q.object)
            for q in ox_store.quads_for_pattern(
                ox.NamedNode(a), ox.NamedNode(ns + "function"), None
            )
        )
        functions[a] = found[0] if found else None
    for f in {f for f in functions.values() if f}:
        labels[f] = _plain(ox_store, f, _RDFS_LABEL)
    rows = [
        DutyRow(doc, m, functions[agency[r]], labels.get(functions[agency[r]] or ""),
                role[r][len(ns):] if role[r].startswith(ns) else role[r])
        for r, (doc, m) in sorted(measure_of.items())
        if r in role  # every r of measure_of has its agency: both are filled together
    ]  # fmt: skip
    doc_labels: dict[str, str] = {}
    for doc_id in sorted({doc for doc, _m in measure_of.values()}):
        d = str(iris.document(doc_id))
        label = _plain(ox_store, d, ns + "docNumber") or _plain(ox_store, d, _TITLE)
        doc_labels[doc_id] = label or doc_id
    return rows, doc_labels
