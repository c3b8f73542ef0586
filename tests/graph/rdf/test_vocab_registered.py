"""``pkg:registered true`` comes from ontology/vocab/agencies.ttl itself, not from code.

A store whose agencies graph was written when the flag was still added in Python must read
as up to date (same triples, same fingerprint), and an entry without the flag is refused.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal

import graph.rdf.store
import graph.rdf.vocab
from graph.rdf.mapping import fingerprint, nt_lines
from graph.rdf.store import RdfStore
from graph.rdf.vocab import stored_vocabulary
from ontology.errors import SetupError
from ontology.files import VOCAB_DIR, load_turtle, vocabulary_graph
from ontology.iris import Iris
from ontology.registry import read_agencies

IRIS = Iris("http://kg.test")
AGENCIES_TTL = VOCAB_DIR / "agencies.ttl"


def the_file() -> Graph:
    return load_turtle(AGENCIES_TTL, IRIS)


def old_stored_vocabulary(name: str, iris: Iris) -> Graph | None:
    """The removed code path, verbatim in effect: the file without the flags, flags added."""
    graph = vocabulary_graph(name, iris)
    if graph is not None and name == "agencies":
        graph.remove((None, iris.pkg.registered, None))
        for subject in list(graph.subjects(RDF.type, iris.pkg.Agency)):
            graph.add((subject, iris.pkg.registered, Literal(True)))
    return graph


def graph_quads(store: RdfStore, name: str) -> set[str]:
    g = ox.NamedNode(str(IRIS.vocabulary_graph(name)))
    return {str(q) for q in store.store.quads_for_pattern(None, None, None, g)}


def test_every_registry_agency_is_registered_true_in_the_file() -> None:
    g = the_file()
    registry = {str(IRIS.agency(entry.id)) for entry in read_agencies(IRIS)}
    flagged = {str(s) for s, o in g.subject_objects(IRIS.pkg.registered) if o == Literal(True)}
    assert len(registry) == 29
    assert flagged == registry
    assert len(list(g.triples((None, IRIS.pkg.registered, None)))) == len(registry)


def test_stored_vocabulary_is_the_file_as_written() -> None:
    stored = stored_vocabulary("agencies", IRIS)
    assert stored is not None
    assert set(stored) == set(the_file())


def test_same_lines_and_fingerprint_as_the_old_derived_flag() -> None:
    old = old_stored_vocabulary("agencies", IRIS)
    new = stored_vocabulary("agencies", IRIS)
    assert old is not None and new is not None
    assert nt_lines(new) == nt_lines(old)
    assert fingerprint(nt_lines(new)) == fingerprint(nt_lines(old))


def test_store_written_before_the_change_is_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oxigraph"
    with monkeypatch.context() as patch:
        patch.setattr(graph.rdf.store, "stored_vocabulary", old_stored_vocabulary)
        with RdfStore.open(path, IRIS) as before:
            written = before.ensure_vocabularies()
            old_quads = graph_quads(before, "agencies")
            total = len(before.store)
    assert written == {
        "ontology": True,
        "agencies": True,
        "functions": True,
        "program_types": True,
        "target_groups": True,
    }
    with RdfStore.open(path, IRIS) as after:
        assert after.ensure_vocabularies() == dict.fromkeys(written, False)
        assert graph_quads(after, "agencies") == old_quads
        assert len(after.store) == total
        registered = after.select(
            "SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agency ; pkg:registered true }"
        )
    assert registered == [{"n": 29}]


@pytest.mark.parametrize(
    ("flag", "found"),
    [(None, "found 0 value(s): none"), (Literal(False), "found 1 value(s): false")],
)
def test_entry_without_registered_true_is_refused(
    monkeypatch: pytest.MonkeyPatch, flag: Literal | None, found: str
) -> None:
    drc = IRIS.agency("jinan-drc")

    def edited(name: str, iris: Iris) -> Graph | None:
        g = vocabulary_graph(name, iris)
        if g is not None and name == "agencies":
            g.remove((drc, iris.pkg.registered, None))
            if flag is not None:
                g.add((drc, iris.pkg.registered, flag))
        return g

    monkeypatch.setattr(graph.rdf.vocab, "vocabulary_graph", edited)
    with pytest.raises(SetupError) as info:
        stored_vocabulary("agencies", IRIS)
    assert str(info.value) == (
        f"ontology/vocab/agencies.ttl: {drc} needs exactly one `pkg:registered true` ({found})"
    )
    assert stored_vocabulary("target_groups", IRIS) is not None  # other vocabularies unchecked
