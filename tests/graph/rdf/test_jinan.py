"""The bundled Jinan document through the real loader → RDF store → SHACL."""

from __future__ import annotations

import pytest

from graph.rdf.mapping import split_facts
from graph.rdf.shacl import validate
from graph.rdf.store import RdfStore
from ontology.iris import Iris
from tests.paths import ROOT

extract = pytest.importorskip("loaders.extract")
JINAN = ROOT / "data" / "jinan-2025-5.txt"


def test_jinan_document_loads_conforms_and_counts_match_the_extraction() -> None:
    iris = Iris("http://localhost:8000")
    ex = extract.extract_file(JINAN)
    store = RdfStore.open(None, iris)
    store.ensure_vocabularies()
    result = store.load_document(ex)
    assert (result.doc_id, result.changed) == ("jinan-2025-5", True)
    # the document graph only (+ its content hash): shared nodes are described once elsewhere
    assert result.triples == len(split_facts(ex, iris).document) + 1
    counts = store.counts()
    assert counts["documents"] == 1
    assert counts["measures"] == len(ex.measures)
    assert counts["chapters"] == len(ex.chapters)
    assert counts["responsibilities"] == sum(len(m.agencies) for m in ex.measures)
    assert counts["agencies"] == len({a.id for m in ex.measures for a in m.agencies})
    assert counts["programs"] == len({p.id for m in ex.measures for p in m.programs})
    report = validate(store.document_graph("jinan-2025-5"), iris)
    assert (report.conforms, report.violations) == (True, [])
    assert store.load_document(ex).changed is False
