"""The per-document summaries (graph/rdf/summary.py) and the corpus view built from them
(graph/catalog/corpus.py), over the four-level corpus of tests/fixtures/chain.

Read from the texts:
- 国发〔2023〕9号, issued by 国务院 (national): (一) 人力资源社会保障部、财政部; (二)
  人力资源社会保障部、教育部; (三) 人力资源社会保障部 — no 牵头单位, so no lead.
- 岳政发〔2023〕15号, 东岳省人民政府 (provincial): the same three with 省人力资源社会保障厅,
  省财政厅, 省教育厅 — no lead.
- 泉政发〔2024〕3号, 泉河市人民政府 (city): 1. 牵头 市人力资源社会保障局, 配合 市财政局; 2. 牵头
  市人力资源社会保障局, 配合 市教育局; 3. 责任单位 市人力资源社会保障局.
- 青政发〔2024〕7号, 泉河市青山县人民政府 (county): 1. 牵头 县人力资源社会保障局, 配合 县财政局;
  2. 责任单位 县人力资源社会保障局.
So: measures 3 + 3 + 3 + 2 = 11; function hrss in all 11 (4 agencies), finance in 4 (one
measure 1 each, 4 agencies), education in 3 (measure 2 of the first three, 3 agencies).
Chains: county → city → provincial → national → 《中华人民共和国就业促进法》 (not loaded): one
chain of 4 loaded documents and 1 stub, topped by the national document.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph import pipeline
from graph.catalog import corpus, lists, rollup
from graph.catalog.details import get_document
from graph.rdf import summary
from graph.rdf.bulk import rdf_payload
from graph.rdf.store import RdfStore
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
CHAIN = ROOT / "tests" / "fixtures" / "chain"
FILES = (
    "county-qingzhengfa-2024-7.txt",
    "national-guofa-2023-9.txt",
    "city-quanzhengfa-2024-3.txt",
    "provincial-yuezhengfa-2023-15.txt",
)
COUNTY, CITY, PROVINCE, NATION = (
    "quanhe-qzf-2024-7",
    "quanhe-2024-3",
    "dongyue-yzf-2023-15",
    "doc-gf-2023-9",
)


def _load(store: RdfStore, through_pipeline: bool) -> None:
    for name in FILES:
        ex = extract_file(CHAIN / name)
        if through_pipeline:
            pipeline.load_extraction(ex, store, None, IRIS)
        else:
            store.load_document(ex)


@pytest.fixture()
def store() -> Iterator[RdfStore]:
    with RdfStore.open(None, IRIS) as opened:
        _load(opened, through_pipeline=True)
        yield opened


def test_the_writer_keeps_one_summary_per_document(
    store: RdfStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rebuild(*args: object) -> None:
        raise AssertionError("a kept summary was rebuilt")

    monkeypatch.setattr(summary, "graph_summary", no_rebuild)
    found = summary.read(store.store, IRIS)
    assert found is not None
    assert sorted(found) == sorted([COUNTY, CITY, PROVINCE, NATION])
    assert [d["measures"] for d in found[CITY]["documents"]] == [3]
    assert found[CITY]["documents"][0]["doc_number"] == ["泉政发〔2024〕3号"]


def test_summary_of_written_lines_is_the_summary_of_the_stored_graph(store: RdfStore) -> None:
    payload = rdf_payload(extract_file(CHAIN / FILES[2]), IRIS)
    written = summary.summarize(payload.lines(), IRIS, payload.digest)
    stored = summary.graph_summary(store.store, IRIS, payload.graph, payload.digest)
    assert written == stored
    assert len(written["sets"]) == 3  # three measures, three different agency sets


def test_corpus_view(store: RdfStore) -> None:
    found = summary.read(store.store, IRIS)
    assert found is not None
    view = corpus.corpus_view(store, IRIS, found)
    assert (view["documents"], view["measures"]) == (4, 11)
    assert view["documents_by_level"] == [
        {"level": "national", "documents": 1, "measures": 3},
        {"level": "provincial", "documents": 1, "measures": 3},
        {"level": "city", "documents": 1, "measures": 3},
        {"level": "county", "documents": 1, "measures": 2},
    ]
    assert [(r["issuer"], r["level"], r["documents"]) for r in view["documents_by_issuer"]] == [
        ("东岳省人民政府", "provincial", 1),
        ("国务院", "national", 1),
        ("泉河市人民政府", "city", 1),
        ("泉河市青山县人民政府", "county", 1),
    ]
    assert [(f["id"], f["label"], f["measures"], f["agencies"]) for f in view["functions"]] == [
        ("hrss", "人力资源社会保障", 11, 4),
        ("finance", "财政", 4, 4),
        ("education", "教育", 3, 3),
    ]
    assert view["chains"] == [
        {
            "top": NATION,
            "title": "国务院关于做好当前青年就业工作的意见",
            "doc_number": "国发〔2023〕9号",
            "documents": 4,
            "not_loaded": 1,
            "members": sorted([NATION, PROVINCE, CITY, COUNTY]),
        }
    ]


def test_agency_table_from_summaries_is_the_aggregate(store: RdfStore) -> None:
    found = summary.read(store.store, IRIS)
    assert found is not None
    counts = corpus.agency_counts(IRIS, found)
    table = lists.agency_table(store, IRIS, None, counts)
    assert table == lists.agency_table(store, IRIS)
    by_name = {r["name"]: (r["measures"], r["lead"]) for r in table}
    assert by_name["泉河市人力资源社会保障局"] == (3, 2)
    assert by_name["泉河市青山县人力资源社会保障局"] == (2, 1)
    assert sorted(r["measures"] for r in table if r["measures"]) == sorted(
        [3, 1, 1, 3, 1, 1, 3, 1, 1, 2, 1]  # per document: hrss, finance, education
    )
    assert sum(r["lead"] for r in table) == 3
    for q in ("人力资源", "财政", "泉河"):
        assert lists.agency_table(store, IRIS, q, counts) == lists.agency_table(store, IRIS, q)


def test_documents_page_is_the_document_list(store: RdfStore) -> None:
    found = summary.read(store.store, IRIS)
    assert found is not None
    docs = corpus.documents(found)
    for limit, offset in ((100, 0), (2, 1)):
        mine = corpus.document_page(docs, limit=limit, offset=offset)
        theirs = lists.list_documents(store, IRIS, limit=limit, offset=offset)
        assert mine["total"] == theirs["total"] == 4
        assert [{k: v for k, v in d.items() if k != "level"} for d in mine["items"]] == theirs[
            "items"
        ]
    for doc_id, s in found.items():  # the home page's chapter lists
        assert s["chapters"] == get_document(store, IRIS, doc_id)["chapters"]
    assert [c["measures"] for c in found[CITY]["chapters"]] == [2, 1]
    for limit, offset in ((50, 0), (1, 1)):  # the home page's group and program lists
        kw = {"limit": limit, "offset": offset}
        groups, programs = rollup.sums(found, "groups"), rollup.sums(found, "programs")
        assert corpus.group_page(store, IRIS, groups, **kw) == lists.list_groups(store, IRIS, **kw)
        assert corpus.program_page(store, IRIS, programs, **kw) == lists.list_programs(
            store, IRIS, **kw
        )
    county = corpus.document_page(docs, limit=10, offset=0, level="county")
    assert [d["id"] for d in county["items"]] == [COUNTY]
    by_issuer = corpus.document_page(docs, limit=10, offset=0, issuer="国务院")
    assert [d["id"] for d in by_issuer["items"]] == [NATION]
    assert corpus.document_page(docs, limit=10, offset=0, level="district")["total"] == 0


def test_missing_and_stale_summaries_are_made_from_the_graph() -> None:
    with RdfStore.open(None, IRIS) as store:
        _load(store, through_pipeline=False)  # RdfStore.load_document keeps no summary
        assert summary.read(store.store, IRIS, rebuild_at_most=3) is None
        rebuilt = summary.read(store.store, IRIS)
        assert rebuilt is not None and len(rebuilt) == 4
        view = corpus.corpus_view(store, IRIS, rebuilt)
        assert (view["documents"], view["measures"]) == (4, 11)
        # a document removed behind the writer's back: its leftover summary is ignored
        pipeline.load_extraction(extract_file(CHAIN / FILES[0]), store, None, IRIS)
        assert store.remove_document(COUNTY)
        after = summary.read(store.store, IRIS)
        assert after is not None and sorted(after) == sorted([CITY, PROVINCE, NATION])


def test_removal_clears_the_summary(store: RdfStore) -> None:
    assert pipeline.remove(COUNTY, store, None)
    graph = summary.summary_graph(IRIS)
    subjects = {
        str(q.subject) for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    }
    # the document summaries, and the rollup (about the summary graph itself)
    assert subjects == {f"<{IRIS.document_graph(d)}>" for d in (CITY, PROVINCE, NATION)} | {
        f"<{graph}>"
    }


def test_loading_again_fills_in_missing_summaries() -> None:
    with RdfStore.open(None, IRIS) as store:
        _load(store, through_pipeline=False)
        _load(store, through_pipeline=True)  # every document unchanged: summaries only
        assert summary.read(store.store, IRIS, rebuild_at_most=0) is not None


def test_the_writer_keeps_the_rollup(store: RdfStore) -> None:
    kept = rollup.read(store.store, IRIS)
    assert kept is not None
    found = summary.read(store.store, IRIS)
    assert found is not None
    assert kept["agency_table"] == lists.agency_table(store, IRIS)
    assert kept["view"] == corpus.corpus_view(store, IRIS, found)
    assert kept["documents"] == corpus.documents(found)
    assert kept["groups"] == rollup.sums(found, "groups")
    assert kept["agency_counts"] == corpus.agency_counts(IRIS, found)
    assert pipeline.remove(COUNTY, store, None)
    after = rollup.read(store.store, IRIS)  # refreshed by the removal
    assert after is not None and after["view"]["documents"] == 3
    assert after["view"]["measures"] == 9


def test_a_write_behind_the_writer_makes_the_rollup_stale(store: RdfStore) -> None:
    assert store.remove_document(COUNTY)  # not through graph.pipeline: no refresh
    assert rollup.read(store.store, IRIS) is None
    assert rollup.refresh(store, IRIS) is True
    kept = rollup.read(store.store, IRIS)
    assert kept is not None and [d["id"] for d in kept["documents"]] == sorted(
        [CITY, PROVINCE, NATION], key=lambda d: str(IRIS.document(d))
    )


def test_read_documents(store: RdfStore) -> None:
    found = summary.read_documents(store.store, IRIS, [CITY, "no-such-document"])
    assert list(found) == [CITY]
    assert [(c["ordinal"], c["measures"]) for c in found[CITY]["chapters"]] == [(1, 2), (2, 1)]
