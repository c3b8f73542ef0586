"""REST lists cut by document: pages, totals and order equal those of one corpus-wide
``ORDER BY ?doc ?ordinal``, filters select the same measures, and agency counts are exact.

Three documents (Jinan 20 measures, the Qingdao GBK fixture 5, the Yantai articles fixture 4);
the expected values are read off the fixture texts (tests/fixtures/docs).
"""

from __future__ import annotations

import pytest

from graph.catalog.lists import MeasureFilter, list_agencies, list_documents, list_measures
from graph.rdf.store import RdfStore
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
DOCS = [
    ROOT / "data" / "jinan-2025-5.txt",
    ROOT / "tests" / "fixtures" / "docs" / "qingdao-gbk.txt",
    ROOT / "tests" / "fixtures" / "docs" / "yantai-articles.txt",
]
QD, YT = "qingdao-qzbf-2024-3", "yantai-2025-2"
ALL = (
    [f"jinan-2025-5/measure/{n}" for n in range(1, 21)]
    + [f"{QD}/measure/{n}" for n in range(1, 6)]
    + [f"{YT}/measure/{n}" for n in range(1, 5)]
)


@pytest.fixture(scope="module")
def store() -> RdfStore:
    s = RdfStore.open(None, IRIS)
    for path in DOCS:
        s.load_document(extract_file(path))
    return s


def ids(body: dict) -> list[str]:
    return [m["id"] for m in body["items"]]


@pytest.mark.parametrize("limit", [1, 4, 7, 20, 29, 1000])
def test_pages_concatenate_to_the_corpus_in_document_and_ordinal_order(
    store: RdfStore, limit: int
) -> None:
    seen: list[str] = []
    for offset in range(0, 29, limit):
        body = list_measures(store, IRIS, MeasureFilter(), limit=limit, offset=offset)
        assert body["total"] == 29
        assert len(body["items"]) == min(limit, 29 - offset)
        seen += ids(body)
    assert seen == ALL


def test_a_page_across_documents_and_past_the_end(store: RdfStore) -> None:
    body = list_measures(store, IRIS, MeasureFilter(), limit=4, offset=18)
    assert ids(body) == [
        "jinan-2025-5/measure/19",
        "jinan-2025-5/measure/20",
        f"{QD}/measure/1",
        f"{QD}/measure/2",
    ]
    assert body["items"][2]["document"] == QD
    assert body["items"][2]["title"] == "开发基层就业岗位"
    assert body["items"][2]["lead_agencies"] == ["青岛市人力资源社会保障局"]
    past = list_measures(store, IRIS, MeasureFilter(), limit=10, offset=29)
    assert past["total"] == 29 and past["items"] == []


def test_filtered_pages(store: RdfStore) -> None:
    # 牵头: Qingdao 一.1 and 一.2; Yantai 第二、三、四条 (第四条 led by 市医疗保障局)
    lead = list_measures(store, IRIS, MeasureFilter(role="lead"), limit=3, offset=1)
    assert lead["total"] == 5
    assert ids(lead) == [f"{QD}/measure/2", f"{YT}/measure/2", f"{YT}/measure/3"]
    # 创业 occurs in Qingdao's chapter 二 only (二.1-二.3 are measures 3-5)
    q = list_measures(store, IRIS, MeasureFilter(document=QD, q="创业"), limit=10, offset=0)
    assert ids(q) == [f"{QD}/measure/{n}" for n in (3, 4, 5)]
    chapter = list_measures(store, IRIS, MeasureFilter(document=QD, chapter=2), limit=10, offset=1)
    assert chapter["total"] == 3
    assert ids(chapter) == [f"{QD}/measure/4", f"{QD}/measure/5"]
    # youth includes narrower groups: 高校毕业生 in 一.1, 青年创业园 in 二.2
    youth_filter = MeasureFilter(document=QD, group="youth")
    youth = list_measures(store, IRIS, youth_filter, limit=10, offset=0)
    assert ids(youth) == [f"{QD}/measure/1", f"{QD}/measure/4"]
    none = list_measures(store, IRIS, MeasureFilter(document="nowhere-1"), limit=10, offset=0)
    assert none == {"total": 0, "limit": 10, "offset": 0, "items": []}


def test_agency_counts_of_measures_and_of_leads(store: RdfStore) -> None:
    body = list_agencies(store, IRIS, limit=1000, offset=0)
    by_name = {a["name"]: (a["measures"], a["lead"]) for a in body["items"]}
    assert by_name["烟台市人力资源社会保障局"] == (3, 2)  # leads 第二、三条, supports 第四条
    assert by_name["烟台市医疗保障局"] == (1, 1)
    assert by_name["青岛市人力资源社会保障局"] == (3, 2)  # leads 一.1, 一.2; 二.1 shared
    assert by_name["青岛市财政局"] == (2, 1)  # supports 一.1, co-leads 一.2
    assert by_name["济南市人力资源和社会保障局"] == (19, 0)  # Jinan names no lead unit
    assert body["items"][0]["name"] == "济南市人力资源和社会保障局"
    found = list_agencies(store, IRIS, limit=10, offset=0, q="人力资源社会保障")
    assert [(a["name"], a["measures"], a["lead"]) for a in found["items"]] == [
        ("烟台市人力资源社会保障局", 3, 2),
        ("青岛市人力资源社会保障局", 3, 2),
    ]


def test_document_pages(store: RdfStore) -> None:
    body = list_documents(store, IRIS, limit=1, offset=1)
    assert body["total"] == 3
    assert [(d["id"], d["measures"]) for d in body["items"]] == [(QD, 5)]
    assert list_documents(store, IRIS, limit=5, offset=3)["items"] == []
