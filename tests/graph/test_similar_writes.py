"""How the similar-measure lists reach the RDF store (graph/rdf/similar.py ``write``).

A list that takes a new measure has only its difference written (the link that came, the
one pushed out), and a load's many new lists are bulk-loaded; either way the store must
hold exactly the lists, four triples a link and nothing left over. The corpus and its
expected lists are those of tests/graph/test_similar_index.py: ten links in all (甲1, 乙1
and 丙1 two each; 甲2, 乙2, 甲3, 丙3 one each).
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
import pytest

from graph import pipeline, similar_index
from graph.rdf import similar as rdf_similar
from graph.rdf.store import RdfStore
from tests.graph.test_similar_index import BING, EXPECTED_ALL, IRIS, JIA, YI, lists, load

PKG = str(IRIS.pkg)
LINKS = 10


@pytest.fixture
def rdf() -> RdfStore:
    return RdfStore.open(None, IRIS)


def similar_triples(rdf: RdfStore) -> list[ox.Quad]:
    prefix = str(IRIS.similar_graph(""))
    return [
        q
        for q in rdf.store.quads_for_pattern(None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(prefix)
    ]


def count(rdf: RdfStore, local: str) -> int:
    return sum(1 for q in similar_triples(rdf) if q.predicate.value == PKG + local)


def test_lists_that_take_a_measure_are_written_as_a_difference(
    rdf: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(rdf, JIA, YI)
    updates: list[str] = []
    real = rdf_similar.replace_update

    def spy(*args: object, **kwargs: object) -> str:
        updates.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return updates[-1]

    monkeypatch.setattr(rdf_similar, "replace_update", spy)
    load(rdf, BING)
    # 甲1, 乙1 take 丙1 and 甲3 takes 丙3: no list of 甲 or 乙 is cleared whole, and only
    # the new links are inserted: 丙's three (丙1 two, 丙3 one) and the three that 甲1, 乙1
    # and 甲3 take
    assert len(updates) == 1 and "VALUES ?m" not in updates[0]
    assert updates[0].count(f"<{PKG}similarTo>") == 3 + 3
    assert lists(rdf) == EXPECTED_ALL
    assert len(similar_triples(rdf)) == 4 * LINKS
    assert count(rdf, "similarTo") == LINKS


def test_a_removal_leaves_no_part_of_the_links_that_went(rdf: RdfStore) -> None:
    load(rdf, JIA, YI, BING)
    assert pipeline.remove("jia-2024-1", rdf, None)
    # 乙1–丙1 is all that is left (both ways)
    assert lists(rdf) == {"yi-2024-2/1": ["bing-2024-3/1"], "bing-2024-3/1": ["yi-2024-2/1"]}
    assert len(similar_triples(rdf)) == 4 * 2
    assert not [q for q in similar_triples(rdf) if "jia-2024-1" in str(q)]


def test_a_batch_of_new_lists_is_bulk_loaded(
    rdf: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdf_similar, "BULK_MIN_LINKS", 1)
    loaded: list[bytes] = []
    real = rdf_similar._nquads

    def spy(by_graph: Mapping[str, list[str]]) -> bytes:
        loaded.append(real(by_graph))
        return loaded[-1]

    monkeypatch.setattr(rdf_similar, "_nquads", spy)
    load(rdf, JIA)  # the first write builds the index from the store
    report = pipeline.load_paths([YI, BING], rdf, None, IRIS, batch_size=2)
    assert report.ok
    # every link is new in this write (甲's lists were empty): 乙's and 丙's lists and the
    # links 甲's take, all in one bulk load
    assert len(loaded) == 1 and loaded[0].count(b" .\n") == 4 * LINKS
    assert lists(rdf) == EXPECTED_ALL
    assert len(similar_triples(rdf)) == 4 * LINKS


def test_a_link_missing_a_triple_is_repaired_by_the_next_build(rdf: RdfStore) -> None:
    """A bulk load cut short can leave part of a link: the list then reads without it, and
    the next build of the index rewrites it."""
    load(rdf, JIA, YI, BING)
    yi1, jia1 = (str(IRIS.measure(d, 1)) for d in ("yi-2024-2", "jia-2024-1"))
    graph = ox.NamedNode(str(IRIS.similar_graph("yi-2024-2")))
    to = ox.Quad(ox.NamedNode(yi1), ox.NamedNode(PKG + "similarTo"), ox.NamedNode(jia1), graph)
    assert to in rdf.store
    rdf.store.remove(to)
    assert lists(rdf)["yi-2024-2/1"] == ["bing-2024-3/1"]
    similar_index.forget(rdf)
    assert similar_index.build(rdf, None).repaired == 1
    assert lists(rdf) == EXPECTED_ALL
    assert len(similar_triples(rdf)) == 4 * LINKS
