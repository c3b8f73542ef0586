"""Similar measures kept incrementally by every load and removal (graph/similar_index.py).

The corpus (tests/fixtures/similar) is three city documents written for this test:

* 甲 (jia-2024-1): (1) 扩岗补助 at 1500元 per person, (2) 800 公共岗位, (3) 零工市场 in 各区;
* 乙 (yi-2024-2): (1) the same 扩岗补助 at 1000元, (2) the same 岗位 with 500, (3) 技能培训
  for 农民工 (nothing alike elsewhere);
* 丙 (bing-2024-3): (1) 扩岗补助 at 1000元 that also names 登记失业青年 and says 落实 for
  发放 in its title, (2) 营商环境 (nothing alike), (3) 零工市场 in 各县.

So 甲1–乙1 differ by the amount only, 乙1–丙1 by the added group and the title's verb, 甲1–丙1
by both: 甲1 lists 乙1 then 丙1, 乙1 lists 甲1 then 丙1, 丙1 lists 乙1 then 甲1. 甲2–乙2 and
甲3–丙3 are one-word edits; 乙3 and 丙2 have no similar measure; measures never link within
their own document. The responsibility clauses differ throughout and do not count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import pipeline, similar_index
from graph.analysis.similarity import THRESHOLD
from graph.catalog.similar import similar_measures
from graph.rdf import similar as rdf_similar
from graph.rdf.store import RdfStore
from ontology.errors import InvalidParameter, NotFound, StoreError
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://localhost:8000")
FIXTURES = ROOT / "tests" / "fixtures" / "similar"
JIA, YI, BING = (
    FIXTURES / f for f in ("jiashi-2024-1.txt", "yishi-2024-2.txt", "bingshi-2024-3.txt")
)

EXPECTED_ALL = {
    "jia-2024-1/1": ["yi-2024-2/1", "bing-2024-3/1"],
    "yi-2024-2/1": ["jia-2024-1/1", "bing-2024-3/1"],
    "bing-2024-3/1": ["yi-2024-2/1", "jia-2024-1/1"],
    "jia-2024-1/2": ["yi-2024-2/2"],
    "yi-2024-2/2": ["jia-2024-1/2"],
    "jia-2024-1/3": ["bing-2024-3/3"],
    "bing-2024-3/3": ["jia-2024-1/3"],
}


def short(iri: str) -> str:
    doc, n = rdf_similar.measure_key(IRIS, iri)
    return f"{doc}/{n}"


def lists(rdf: RdfStore) -> dict[str, list[str]]:
    """The stored lists by measure, other measures in order (scores checked separately)."""
    return {
        short(m): [short(o) for o, _ in links] for m, links in rdf_similar.stored_lists(rdf).items()
    }


def load(rdf: RdfStore, *files: Path) -> None:
    report = pipeline.load_paths(list(files), rdf, None, IRIS)
    assert report.ok, report.outcomes


@pytest.fixture
def rdf() -> RdfStore:
    return RdfStore.open(None, IRIS)


def test_three_documents_give_the_expected_pairs_in_order(rdf: RdfStore) -> None:
    load(rdf, JIA, YI, BING)
    assert lists(rdf) == EXPECTED_ALL
    stored = rdf_similar.stored_lists(rdf)
    for links in stored.values():
        assert all(score >= THRESHOLD for _, score in links)
    # a pair has one score, whichever side it is read from
    scores = {(short(m), short(o)): s for m, links in stored.items() for o, s in links}
    assert all(scores[(b, a)] == s for (a, b), s in scores.items())


def test_catalog_answer_and_its_limit(rdf: RdfStore) -> None:
    load(rdf, JIA, YI, BING)
    found = similar_measures(rdf, IRIS, "bing-2024-3", 1, 10)
    assert [(f["document"], f["number"]) for f in found] == [("yi-2024-2", 1), ("jia-2024-1", 1)]
    assert found[0]["title"] == "发放扩岗补助"
    assert found[0]["document_title"] == "乙市人民政府关于稳就业的若干措施"
    assert found[0]["score"] > found[1]["score"]
    assert [f["number"] for f in similar_measures(rdf, IRIS, "bing-2024-3", 1, 1)] == [1]
    assert similar_measures(rdf, IRIS, "yi-2024-2", 3, 10) == []
    with pytest.raises(NotFound):
        similar_measures(rdf, IRIS, "yi-2024-2", 4, 10)
    with pytest.raises(NotFound):
        similar_measures(rdf, IRIS, "no-such-doc", 1, 10)
    for bad in (0, 101):
        with pytest.raises(InvalidParameter):
            similar_measures(rdf, IRIS, "yi-2024-2", 1, bad)


def test_load_order_does_not_matter(rdf: RdfStore) -> None:
    load(rdf, BING)
    load(rdf, YI)
    load(rdf, JIA)
    assert lists(rdf) == EXPECTED_ALL


def test_incremental_load_remove_reload(rdf: RdfStore, monkeypatch: pytest.MonkeyPatch) -> None:
    load(rdf, JIA)
    assert lists(rdf) == {}
    load(rdf, YI)
    assert lists(rdf) == {
        "jia-2024-1/1": ["yi-2024-2/1"],
        "yi-2024-2/1": ["jia-2024-1/1"],
        "jia-2024-1/2": ["yi-2024-2/2"],
        "yi-2024-2/2": ["jia-2024-1/2"],
    }
    load(rdf, BING)
    assert lists(rdf) == EXPECTED_ALL

    rescored: list[str] = []
    real = similar_index.SimilarIndex._scored

    def spy(self: similar_index.SimilarIndex, measures: list[str]) -> dict:
        rescored.extend(short(m) for m in measures)
        return real(self, measures)

    monkeypatch.setattr(similar_index.SimilarIndex, "_scored", spy)
    assert pipeline.remove("jia-2024-1", rdf, None)
    # only the lists that named one of 甲's measures were computed again
    assert sorted(rescored) == ["bing-2024-3/1", "bing-2024-3/3", "yi-2024-2/1", "yi-2024-2/2"]
    assert lists(rdf) == {"yi-2024-2/1": ["bing-2024-3/1"], "bing-2024-3/1": ["yi-2024-2/1"]}
    assert not rdf.store.contains_named_graph(_graph("jia-2024-1"))

    rescored.clear()
    load(rdf, JIA)
    # 甲'S measures are queried; the others only take 甲's measures into their lists
    assert sorted(rescored) == ["jia-2024-1/1", "jia-2024-1/2", "jia-2024-1/3"]
    assert lists(rdf) == EXPECTED_ALL


def test_unchanged_reload_writes_nothing(rdf: RdfStore, monkeypatch: pytest.MonkeyPatch) -> None:
    load(rdf, JIA, YI, BING)
    writes: list[int] = []
    real = rdf_similar.write
    monkeypatch.setattr(
        rdf_similar,
        "write",
        lambda store, iris, lists, *a: writes.append(len(lists)) or real(store, iris, lists, *a),
    )
    load(rdf, JIA, YI, BING)
    assert writes == [0, 0, 0]  # one call per batch (a document each), no list in any
    assert lists(rdf) == EXPECTED_ALL


def test_a_failed_load_leaves_the_lists_as_before(
    rdf: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(rdf, JIA, YI)
    before = rdf_similar.stored_lists(rdf)

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(pipeline, "load_payloads", broken)
    with pytest.raises(StoreError):
        load(rdf, BING)
    assert rdf_similar.stored_lists(rdf) == before
    assert similar_index.index_for(rdf, None).documents() == {"jia-2024-1", "yi-2024-2"}
    monkeypatch.undo()
    load(rdf, BING)
    assert lists(rdf) == EXPECTED_ALL


def test_a_failed_similar_write_is_repaired_by_the_next_write(
    rdf: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(rdf, JIA, YI)

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(rdf_similar, "write", broken)
    with pytest.raises(StoreError):
        load(rdf, BING)
    monkeypatch.undo()
    assert rdf.has_document("bing-2024-3")  # the document itself was loaded
    load(rdf, BING)  # unchanged, but the index is rebuilt from the store and repairs
    assert lists(rdf) == EXPECTED_ALL


def test_rebuild_from_the_store_finds_the_same_lists_and_repairs(rdf: RdfStore) -> None:
    load(rdf, JIA, YI, BING)
    similar_index.forget(rdf)
    assert similar_index.build(rdf, None).repaired == 0
    # a list lost (say, by a crash between the two stores' writes) is rewritten
    yi1 = str(IRIS.measure("yi-2024-2", 1))
    rdf_similar.write(rdf.store, IRIS, {yi1: []})
    rdf_similar.write(rdf.store, IRIS, {str(IRIS.measure("ghost-doc", 1)): [(yi1, 0.9)]})
    assert lists(rdf)["ghost-doc/1"] == ["yi-2024-2/1"]
    assert similar_index.build(rdf, None).repaired == 2
    assert lists(rdf) == EXPECTED_ALL


def _graph(doc_id: str):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.NamedNode(str(IRIS.similar_graph(doc_id)))


def test_past_the_exact_size_the_lsh_finds_the_near_copies(
    rdf: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With LSH candidates (as in a corpus of more than EXACT_MAX measures), pairs that differ
    by a word or a number (n-gram Jaccard about 0.87: a candidate with probability 0.998)
    are found, and nothing that is not similar is linked."""
    monkeypatch.setattr(similar_index, "EXACT_MAX", 0)
    load(rdf, JIA, YI, BING)
    found = lists(rdf)
    for a, b in (("jia-2024-1/1", "yi-2024-2/1"), ("jia-2024-1/2", "yi-2024-2/2"),
                 ("jia-2024-1/3", "bing-2024-3/3")):  # fmt: skip
        assert b in found[a] and a in found[b]
    for measure, others in found.items():
        assert set(others) <= set(EXPECTED_ALL[measure])
