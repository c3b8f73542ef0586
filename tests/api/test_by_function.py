"""by=function on the coordination REST, the lead matrix (JSON, CSV, SVG) and its page, on
the chain corpus plus the second city and the bundled Jinan document (counts by hand: see
tests/graph/analysis/test_by_function.py; Jinan adds only its own rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import memo
from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import ROOT

FILES = [
    *sorted((ROOT / "tests" / "fixtures" / "chain").glob("*.txt")),
    ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt",
]
F = "http://localhost:8000/id/function/"
HRSS, FIN, EDU, VET = "人力资源社会保障", "财政", "教育", "退役军人事务"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    test_client, store = make_app(tmp_path_factory.mktemp("by-function-api"))
    for path in FILES:
        store.load_document(extract_file(path))
    store.store.flush()
    with test_client:
        yield test_client
    store.close()


def test_workload_by_function_of_one_document(client: TestClient) -> None:
    body = client.get("/api/coordination/workload?by=function&document=shimen-2024-8").json()
    rows = [(r["agency"], r["label"], r["total"], r["lead"], r["support"], r["sole"])
            for r in body["items"]]  # fmt: skip
    assert rows == [  # busiest first, ties by label (人 before 财 in code point order)
        (F + "hrss", HRSS, 2, 0, 2, 0),
        (F + "finance", FIN, 2, 1, 1, 0),
        (F + "education", EDU, 1, 1, 0, 0),
        (F + "veterans", VET, 1, 0, 0, 1),
    ]
    by_agency = client.get("/api/coordination/workload?document=shimen-2024-8").json()
    assert [r["label"] for r in by_agency["items"]] == [  # the default is unchanged
        "石门市人力资源社会保障局", "石门市财政局", "石门市教育局", "石门市退役军人事务局"
    ]  # fmt: skip


def test_links_by_function_across_documents_csv(client: TestClient) -> None:
    answer = client.get("/api/coordination/coresponsibility/links?by=function&format=csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["职能甲 function A", "职能乙 function B", "共同措施数 weight"]
    first = rows[1]  # 财政-人社 share the five documents' measure 1, the second city's 2, Jinan's
    assert first[:2] == [FIN, HRSS]
    refs = first[3].split()
    fixture_refs = [r for r in refs if not r.startswith("jinan-")]
    assert fixture_refs == [
        "doc-gf-2023-9#1", "dongyue-yzf-2023-15#1", "quanhe-2024-3#1", "quanhe-qzf-2024-7#1",
        "shimen-2024-8#1", "shimen-2024-8#2",
    ]  # fmt: skip


def test_lead_matrix_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/coordination/lead-matrix?document=quanhe-2024-3").json()
    assert body["documents"] == [
        {"id": "quanhe-2024-3", "label": "泉政发〔2024〕3号", "measures": 3}
    ]
    assert [(c["label"], c["lead"], c["shared"], c["support"]) for c in body["cells"]] == [
        (HRSS, 3, 0, 0), (EDU, 0, 0, 1), (FIN, 0, 0, 1)
    ]  # fmt: skip
    table = client.get("/api/coordination/lead-matrix", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][:7] == ["文件 document", "文号 label", "职能 function", "牵头 lead",
                           "共同 shared", "配合 support", "合计 total"]  # fmt: skip
    shimen = [r[2:7] for r in rows[1:] if r[0] == "shimen-2024-8"]
    assert shimen == [[HRSS, "0", "0", "2", "2"], [FIN, "1", "0", "1", "2"],
                      [EDU, "1", "0", "0", "1"], [VET, "1", "0", "0", "1"]]  # fmt: skip
    documents = {r[0] for r in rows[1:]}
    assert documents == {"doc-gf-2023-9", "dongyue-yzf-2023-15", "quanhe-2024-3",
                         "quanhe-qzf-2024-7", "shimen-2024-8", "jinan-2025-5"}  # fmt: skip


def test_heat_map_and_page(client: TestClient) -> None:
    svg = client.get("/api/coordination/lead-matrix.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in svg.headers["content-security-policy"]
    assert "<title>牵头矩阵 Lead matrix: 6 of 6 documents" in svg.text
    one = client.get("/api/coordination/lead-matrix.svg?document=quanhe-qzf-2024-7").text
    assert "1 of 1 documents × 2 of 2 functions" in one
    page = client.get("/functions/lead-matrix")
    assert page.status_code == 200
    assert 'src="/api/coordination/lead-matrix.svg"' in page.text
    assert f"<tr><td>{VET}</td>" in page.text


def test_errors(client: TestClient) -> None:
    assert client.get("/api/coordination/workload?by=program").status_code == 422
    assert client.get("/api/coordination/lead-matrix?document=nowhere-2025-1").status_code == 404
    assert client.get("/api/coordination/lead-matrix.svg?document=bad%20id").status_code == 422
    assert client.get("/functions/lead-matrix?document=nowhere-2025-1").status_code == 404


def test_limit_kept_for_analyses_not_for_the_matrix(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memo, "ANALYSIS_LIMIT", 10)  # the corpus holds 14 + Jinan's measures
    refused = client.get("/api/coordination/workload?by=function")
    assert refused.status_code == 422 and "10" in refused.json()["detail"]
    assert client.get("/api/coordination/lead-matrix").status_code == 200
