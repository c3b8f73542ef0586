"""REST /api/documents/{id}/chain, the chain page and /viz/chain, on the four-level corpus.

The county document (青政发〔2024〕7号) implements the city one (泉政发〔2024〕3号) by title, the
city one implements the provincial one (岳政发〔2023〕15号), which implements the national one
(国发〔2023〕9号), which implements 《中华人民共和国就业促进法》 (not loaded). The county is
loaded first; the others arrive later, with no reload of it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import ROOT

CHAIN = ROOT / "tests" / "fixtures" / "chain"
ORDER = (
    "county-qingzhengfa-2024-7.txt",
    "national-guofa-2023-9.txt",
    "city-quanzhengfa-2024-3.txt",
    "provincial-yuezhengfa-2023-15.txt",
)
BASE = "http://localhost:8000"
GRAPH_DATA = r'<script id="graph-data" type="application/json">(.*?)</script>'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    test_client, store = make_app(tmp_path_factory.mktemp("chain-api"))
    for name in ORDER:
        store.load_document(extract_file(CHAIN / name))
    store.store.flush()
    with test_client:
        yield test_client
    store.close()


def test_rest_chain(client: TestClient) -> None:
    answer = client.get("/api/documents/quanhe-2024-3/chain")
    assert answer.status_code == 200
    body = answer.json()
    assert body["document"]["doc_number"] == "泉政发〔2024〕3号"
    assert [[(n["doc_number"], n["level"], n["issuer"]) for n in lv] for lv in body["up"]] == [
        [("岳政发〔2023〕15号", "provincial", "东岳省人民政府")],
        [("国发〔2023〕9号", "national", "国务院")],
        [(None, None, None)],
    ]
    assert body["up"][2][0]["title"] == "中华人民共和国就业促进法"
    assert [[(n["id"], n["date"]) for n in lv] for lv in body["down"]] == [
        [("quanhe-qzf-2024-7", "2024-04-08")]
    ]
    assert [(c["relation"], c["document"]["id"]) for c in body["cites"]] == [
        ("cites", "doc-gf-2023-9"),
        ("implements", "dongyue-yzf-2023-15"),
    ]


def test_rest_chain_errors(client: TestClient) -> None:
    assert client.get("/api/documents/no-such-doc/chain").status_code == 404
    assert client.get("/api/documents/bad%20id/chain").status_code == 422
    # the bundled Jinan document cites nothing: an empty chain
    jinan = client.get("/api/documents/jinan-2025-5/chain").json()
    assert (jinan["up"], jinan["down"], jinan["cites"]) == ([], [], [])


def test_page(client: TestClient) -> None:
    page = client.get("/documents/dongyue-yzf-2023-15/chain")
    assert page.status_code == 200
    text = page.text
    for shown in (
        "国务院关于做好当前青年就业工作的意见",
        "泉河市人民政府关于印发泉河市促进青年就业若干措施的通知",
        "泉河市青山县人民政府关于促进青年就业的实施方案",
        "东岳省人民政府关于促进高校毕业生就业的意见",  # repealed, not loaded
        "岳政发〔2019〕2号",
        "/viz/chain?document=dongyue-yzf-2023-15",
    ):
        assert shown in text
    assert re.findall(r"<tr><td>([^<]+)</td>", text) == [
        "上级 up",  # 《中华人民共和国就业促进法》
        "上级 up",  # 国发〔2023〕9号
        "本文件 this document",
        "下级 down",  # 泉政发〔2024〕3号
        "下级 down",  # 青政发〔2024〕7号
        "贯彻落实 implements",
        "废止 repeals",
    ]
    assert client.get("/documents/no-such-doc/chain").status_code == 404


def test_page_escapes_document_text(tmp_path_factory: pytest.TempPathFactory) -> None:
    text = (CHAIN / "city-quanzhengfa-2024-3.txt").read_text(encoding="utf-8")
    hostile = text.replace(
        "《东岳省人民政府关于做好青年就业工作的实施意见》",
        "《东岳省<script>alert(1)</script>意见》",
    )
    path = tmp_path_factory.mktemp("hostile") / "city.txt"
    path.write_text(hostile, encoding="utf-8")
    test_client, store = make_app(tmp_path_factory.mktemp("hostile-data"))
    store.load_document(extract_file(path))
    with test_client:
        page = test_client.get("/documents/quanhe-2024-3/chain").text
        view = test_client.get("/viz/chain?document=quanhe-2024-3").text
    store.close()
    assert "<script>alert(1)" not in page
    assert html.escape("东岳省<script>alert(1)</script>意见") in page
    assert "<script>alert(1)" not in view


def test_view(client: TestClient) -> None:
    answer = client.get("/viz/chain?document=quanhe-2024-3")
    assert answer.status_code == 200
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    data = re.search(GRAPH_DATA, answer.text, re.S)
    assert data is not None
    graph = json.loads(data.group(1))
    by_id = {n["id"]: n for n in graph["nodes"]}
    doc = f"{BASE}/id/document/"
    assert set(by_id) >= {
        f"{doc}quanhe-2024-3",
        f"{doc}dongyue-yzf-2023-15",
        f"{doc}doc-gf-2023-9",
        f"{doc}quanhe-qzf-2024-7",
    }
    assert len(by_id) == 5  # and the law, not loaded
    # rows: top of the chain first, the document in the middle row (y = 0)
    ys = [by_id[f"{doc}{i}"]["y"] for i in ("doc-gf-2023-9", "quanhe-2024-3", "quanhe-qzf-2024-7")]
    assert ys == sorted(ys) and by_id[f"{doc}quanhe-2024-3"]["y"] == 0
    law = next(i for i in by_id if i.startswith(f"{BASE}/id/cited/t-"))
    assert by_id[law]["label"] == "中华人民共和国就业促进法"
    assert {(e["from"], e["to"]) for e in graph["edges"]} == {
        (f"{doc}quanhe-qzf-2024-7", f"{doc}quanhe-2024-3"),
        (f"{doc}quanhe-2024-3", f"{doc}dongyue-yzf-2023-15"),
        (f"{doc}dongyue-yzf-2023-15", f"{doc}doc-gf-2023-9"),
        (f"{doc}doc-gf-2023-9", law),
    }
    assert client.get("/viz/chain?document=no-such-doc").status_code == 404
    index = client.get("/viz/chain")
    assert index.status_code == 200
    assert '<a href="/viz/chain?document=quanhe-2024-3">' in index.text
