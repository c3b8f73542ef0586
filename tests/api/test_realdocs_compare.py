"""The eight State Council documents of ../shared/realdocs and the Jinan document load
together; their citations are extracted; /api/compare runs for each of the 36 pairs.

Read by hand: the nine documents refer to six other documents (03: 《中共中央 国务院关于打赢
脱贫攻坚战三年行动的指导意见》 为贯彻落实; 04: 按照《中共中央办公厅关于统筹规范督查检查考核工作
的通知》 and 《国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知》（国办发〔2016〕82号）
停止执行; 06: 深入贯彻落实《中华人民共和国农业机械化促进法》; 27: 按照《无证无照经营查处办法》
的规定; 28: 落实《中华人民共和国职业教育法》, twice). 28's 《国家职业教育改革实施方案》 and
Jinan's 《济南市促进高质量充分就业的若干措施》 are the documents themselves (现将《…》印发).

The pair read by hand: 国发〔2018〕39号 (employment, 15 measures, "列第一位者为牵头单位，下同")
against 济政发〔2025〕5号 (employment, 20 measures, "按职责分工负责": shared; one agency: sole).
No measure of one restates a measure of the other: the closest, 39's (二) 政府性融资担保 and
Jinan's (十二) 强化创业资金扶持, share the topic (financing small firms), not the measure.
人社: in 39 it is listed first in (一)(四)(五)(六)(七)(八)(九)(十) (lead) and after 财政 in
(三)(十一) (support); in Jinan it alone answers for (十四)(十七)(十九) and shares 16 more.
财政: first in 39's (二)(三)(十一), after 人社 in (一)(四)(六)(七)(八)(九); shared in Jinan's
(四)(五)(七)(十二)(十三).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.settings import Settings
from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import REALDOCS, ROOT

pytestmark = pytest.mark.skipif(
    not REALDOCS.is_dir() and not Settings().ci, reason="../shared/realdocs not present"
)
JINAN = ROOT / "data" / "jinan-2025-5.txt"
CITATIONS = {
    ("doc-gbf-2018-129", "implements", None, "中共中央 国务院关于打赢脱贫攻坚战三年行动的指导意见"),
    ("doc-gbf-2018-117", "cites", None, "中共中央办公厅关于统筹规范督查检查考核工作的通知"),
    ("doc-gbf-2018-117", "repeals", "国办发〔2016〕82号",
     "国务院办公厅关于对真抓实干成效明显地方加大激励支持力度的通知"),
    ("doc-gf-2018-42", "implements", None, "中华人民共和国农业机械化促进法"),
    ("guowuyuanguanyuzai-gf-2019-5", "cites", None, "无证无照经营查处办法"),
    ("doc-gf-2019-4", "implements", None, "中华人民共和国职业教育法"),
}  # fmt: skip


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[str]]]:
    client, store = make_app(tmp_path_factory.mktemp("realdocs-compare"))
    ids = []
    for path in [*sorted(REALDOCS.glob("*.html")), JINAN]:
        ex = extract_file(path)
        store.load_document(ex)  # Jinan again: the same document, replaced
        ids.append(ex.document.id)
    store.store.flush()
    with client:
        yield client, ids
    store.close()


def test_nine_documents_and_their_citations(loaded: tuple[TestClient, list[str]]) -> None:
    client, ids = loaded
    assert len(set(ids)) == 9
    found = set()
    for doc_id in ids:
        chain = client.get(f"/api/documents/{doc_id}/chain").json()
        for c in chain["cites"]:
            found.add((doc_id, c["relation"], c["document"]["doc_number"], c["document"]["title"]))
    assert found == CITATIONS


def test_every_pair_compares(loaded: tuple[TestClient, list[str]]) -> None:
    client, ids = loaded
    pairs = list(itertools.combinations(ids, 2))
    assert len(pairs) == 36
    for a, b in pairs:
        answer = client.get(f"/api/compare?a={a}&b={b}")
        assert answer.status_code == 200, (a, b, answer.text)
        body = answer.json()
        for side, alone in (("a", "only_a"), ("b", "only_b")):
            ordinals = sorted([p[side]["ordinal"] for p in body["pairs"]]
                              + [m["ordinal"] for m in body[alone]])  # fmt: skip
            assert len(ordinals) == len(set(ordinals)) == body[side]["measures"] > 0
        assert all(p["score"] >= body["min_score"] for p in body["pairs"])
        csv = client.get(f"/api/compare?a={a}&b={b}&format=csv")
        assert csv.status_code == 200


def test_employment_documents_by_hand(loaded: tuple[TestClient, list[str]]) -> None:
    client, _ids = loaded
    body = client.get("/api/compare?a=doc-gf-2018-39&b=jinan-2025-5").json()
    assert (body["a"]["doc_number"], body["b"]["doc_number"]) == (
        "国发〔2018〕39号",
        "济政发〔2025〕5号",
    )
    assert body["pairs"] == []
    assert [m["ordinal"] for m in body["only_a"]] == list(range(1, 16))
    assert [m["ordinal"] for m in body["only_b"]] == list(range(1, 21))
    totals = {t["function"]: t for t in body["functions"]}
    keys = ("a_lead", "a_shared", "a_support", "a_measures",
            "b_lead", "b_shared", "b_support", "b_measures", "aligned_both")  # fmt: skip
    assert tuple(totals["hrss"][k] for k in keys) == (8, 0, 2, 10, 3, 16, 0, 19, 0)
    assert tuple(totals["finance"][k] for k in keys) == (3, 0, 6, 9, 0, 5, 0, 5, 0)
    assert body["functions"][0]["function"] == "hrss"  # 10 + 19 measures: the busiest
