"""REST reads over the Jinan document: lists, filters, pagination, CSV, details, errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient

from api.cli.serve import BUNDLED_DOCUMENT
from tests.api.conftest import make_app


def test_documents_list_and_detail(client: TestClient) -> None:
    r = client.get("/api/documents")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1
    doc = body["items"][0]
    assert doc["id"] == "jinan-2025-5"
    assert doc["doc_number"] == "济政发〔2025〕5号"
    assert doc["measures"] == 20
    detail = client.get("/api/documents/jinan-2025-5").json()
    assert detail["issuer"] == "济南市人民政府"
    assert detail["published_date"] == "2025-07-09"
    assert sum(c["measures"] for c in detail["chapters"]) == 20
    assert [c["ordinal"] for c in detail["chapters"]] == sorted(
        c["ordinal"] for c in detail["chapters"]
    )


def test_measure_pagination_has_total_and_bounds(client: TestClient) -> None:
    first = client.get("/api/measures", params={"limit": 5, "offset": 0}).json()
    second = client.get("/api/measures", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] == 20
    assert [m["ordinal"] for m in first["items"]] == [1, 2, 3, 4, 5]
    assert [m["ordinal"] for m in second["items"]] == [6, 7, 8, 9, 10]


def test_measure_free_text_search_chinese_substring(client: TestClient) -> None:
    found = client.get("/api/measures", params={"q": "高校毕业生"}).json()
    assert found["total"] >= 1
    for m in found["items"]:
        detail = client.get(f"/api/measures/{m['document']}/{m['ordinal']}").json()
        assert "高校毕业生" in detail["title"] or "高校毕业生" in detail["text"]
    none = client.get("/api/measures", params={"q": "不存在的词语xyz"}).json()
    assert none == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_measure_filters_agency_group_chapter(client: TestClient) -> None:
    by_group = client.get("/api/measures", params={"group": "disabled-persons"}).json()
    # 残疾人 (7, 16) and its narrower 残疾人大学生 (5)
    assert [m["ordinal"] for m in by_group["items"]] == [5, 7, 16]
    by_agency = client.get("/api/measures", params={"agency": "jinan-disabled"}).json()
    assert by_agency["total"] == 3
    assert all("济南市残疾人联合会" in m["agencies"] for m in by_agency["items"])
    by_chapter = client.get(
        "/api/measures", params={"document": "jinan-2025-5", "chapter": 1}
    ).json()
    chapters = client.get("/api/documents/jinan-2025-5").json()["chapters"]
    assert by_chapter["total"] == chapters[0]["measures"]
    sole = client.get("/api/measures", params={"agency": "jinan-hrss", "role": "sole"}).json()
    assert sole["total"] == 3


def test_measure_detail_agencies_in_rank_order(client: TestClient) -> None:
    m = client.get("/api/measures/jinan-2025-5/1").json()
    assert m["title"] == "坚持经济发展与就业协调联动"
    assert [(a["rank"], a["id"], a["role"]) for a in m["agencies"]] == [
        (1, "jinan-drc", "shared"),
        (2, "jinan-hrss", "shared"),
    ]
    assert m["span"]["end"] > m["span"]["start"]
    assert m["text"].startswith("坚持经济发展与就业协调联动。")


def test_agency_detail_duties(client: TestClient) -> None:
    a = client.get("/api/agencies/jinan-disabled").json()
    assert a["name"] == "济南市残疾人联合会"
    duties = a["lead"] + a["support"]
    assert sorted(d["ordinal"] for d in duties) == [5, 7, 16]


def test_agency_list_counts_and_search(client: TestClient) -> None:
    body = client.get("/api/agencies", params={"limit": 1}).json()
    assert body["items"][0] == {
        "id": "jinan-hrss",
        "iri": "http://localhost:8000/id/agency/jinan-hrss",
        "name": "济南市人力资源和社会保障局",
        "measures": 19,
        "lead": 0,
    }
    found = client.get("/api/agencies", params={"q": "残疾人"}).json()
    assert [a["id"] for a in found["items"]] == ["jinan-disabled"]


def test_groups_and_programs(client: TestClient) -> None:
    groups = client.get("/api/groups", params={"limit": 1000}).json()
    by_id = {g["id"]: g for g in groups["items"]}
    assert by_id["disabled-persons"]["measures"] == 2
    assert by_id["disabled-persons"]["label"] == "残疾人"
    group = client.get("/api/groups/disabled-persons").json()
    assert group["narrower"] == ["disabled-students"]
    programs = client.get("/api/programs", params={"limit": 1000}).json()
    assert programs["total"] == len(programs["items"]) > 0
    p = programs["items"][0]
    detail = client.get(f"/api/programs/{p['id']}").json()
    assert len(detail["measures"]) == p["measures"]


def test_every_list_as_csv_by_param_and_accept(client: TestClient) -> None:
    for path in (
        "/api/documents",
        "/api/measures",
        "/api/agencies",
        "/api/groups",
        "/api/programs",
    ):
        as_json = client.get(path, params={"limit": 1000}).json()
        r = client.get(path, params={"limit": 1000, "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(r.text)))
        assert len(table) == as_json["total"]
        r2 = client.get(path, params={"limit": 1000}, headers={"Accept": "text/csv"})
        assert r2.text == r.text
    measures = list(csv.DictReader(io.StringIO(client.get("/api/measures?format=csv").text)))
    assert measures[0]["title"] == "坚持经济发展与就业协调联动"
    assert measures[0]["agencies"] == "济南市发展和改革委员会; 济南市人力资源和社会保障局"


def test_errors_are_problem_details(client: TestClient) -> None:
    r = client.get("/api/measures/jinan-2025-5/999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Not found" and "999" in r.json()["detail"]
    assert client.get("/api/agencies/no-such-agency").status_code == 404
    bad = client.get("/api/measures", params={"limit": 5000})
    assert bad.status_code == 422 and "limit" in bad.json()["detail"]
    role = client.get("/api/measures", params={"role": "boss"})
    assert role.status_code == 422 and "role" in role.json()["detail"]
    fmt = client.get("/api/measures", params={"format": "xlsx"})
    assert fmt.status_code == 422 and "format" in fmt.json()["detail"]
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["status"] == 404
    for r in (bad, role, unknown):
        assert "Traceback" not in r.text


def test_search_text_cannot_inject_sparql(client: TestClient) -> None:
    r = client.get("/api/measures", params={"q": '") || true || CONTAINS("'})
    assert r.status_code == 200 and r.json()["total"] == 0


# --------------------------------------------------------------------------- details, cache
def test_measure_detail_complete_record(client: TestClient) -> None:
    """Measure 16: its clause (责任单位:市人力资源社会保障局、市农业农村局、市残联…), the groups
    and the program its text names, each once, groups in label order."""
    m = client.get("/api/measures/jinan-2025-5/16").json()
    assert (m["chapter"], m["chapter_title"]) == (5, "优化公共就业服务,促进供需精准匹配")
    assert m["title"] == "开展“四个对接”精准服务"
    assert [(a["rank"], a["id"], a["role"], a["as_written"]) for a in m["agencies"]] == [
        (1, "jinan-hrss", "shared", "市人力资源社会保障局"),
        (2, "jinan-agriculture", "shared", "市农业农村局"),
        (3, "jinan-disabled", "shared", "市残联"),
    ]
    assert m["agencies"][2]["name"] == "济南市残疾人联合会"
    assert m["target_groups"] == [
        {"id": "disadvantaged-persons", "label": "困难人员"},
        {"id": "disabled-persons", "label": "残疾人"},
        {"id": "unemployed-graduates", "label": "离校未就业高校毕业生"},
        {"id": "poverty-alleviated", "label": "脱贫人口"},
        {"id": "key-groups", "label": "重点群体"},
    ]
    assert m["programs"] == [{"id": "si-ge-dui-jie", "name": "四个对接", "type": "other"}]


def test_document_detail_chapters_exact(client: TestClient) -> None:
    d = client.get("/api/documents/jinan-2025-5").json()
    assert [(c["ordinal"], c["measures"]) for c in d["chapters"]] == [
        (1, 4),
        (2, 4),
        (3, 3),
        (4, 3),
        (5, 3),
        (6, 3),
    ]
    assert d["chapters"][1]["title"] == "完善支持保障措施,促进重点群体就业"
    assert d["addressees"] == ["各区县人民政府", "市政府各部门(单位)"]
    assert d["measures"] == 20


def test_agency_detail_exact_duties(client: TestClient) -> None:
    """市残联 is named in the clauses of measures 5 (9th), 7 (4th) and 16 (3rd), all 分工负责."""
    a = client.get("/api/agencies/jinan-disabled").json()
    assert a["alt_labels"] == ["市残疾人联合会", "市残联"]
    assert (a["kind"], a["jurisdiction"], a["registered"]) == (
        "peoples_organisation",
        "济南市",
        True,
    )
    assert a["lead"] == []
    assert [(d["ordinal"], d["role"], d["rank"]) for d in a["support"]] == [
        (5, "shared", 9),
        (7, "shared", 4),
        (16, "shared", 3),
    ]


def test_detail_cache_serves_the_same_bytes(client: TestClient, tmp_path: Path) -> None:
    """Cached answers equal freshly computed ones (an app without cache) byte for byte."""
    paths = [
        "/api/measures/jinan-2025-5/5",
        "/api/documents/jinan-2025-5",
        "/api/agencies/jinan-hrss",
        "/api/groups/disabled-persons",
    ]
    first = [client.get(p) for p in paths]
    again = [client.get(p) for p in paths]
    uncached, store = make_app(tmp_path, rest_cache_entries=0)
    with uncached:
        fresh = [uncached.get(p) for p in paths]
    store.close()
    for a, b, c in zip(first, again, fresh, strict=True):
        assert a.status_code == b.status_code == c.status_code == 200
        assert a.headers["content-type"] == c.headers["content-type"] == "application/json"
        assert a.content == b.content == c.content


def test_detail_cache_follows_writes(tmp_path: Path) -> None:
    """After an upload replaces the document (or a removal), details show the new state."""
    token = "cache-test-token"
    test_client, store = make_app(tmp_path, upload_token=token)
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
    with test_client as c:
        assert c.get("/api/measures/jinan-2025-5/1").json()["title"] == "坚持经济发展与就业协调联动"
        before = c.get("/api/documents/jinan-2025-5").json()
        text = BUNDLED_DOCUMENT.read_text(encoding="utf-8").replace(
            "(一)坚持经济发展与就业协调联动。", "(一)坚持经济发展与高质量就业协调联动。", 1
        )
        r = c.post("/api/documents", params={"name": "jinan.txt"}, content=text, headers=auth)
        assert r.status_code == 201, r.text
        m = c.get("/api/measures/jinan-2025-5/1").json()
        assert m["title"] == "坚持经济发展与高质量就业协调联动"
        assert c.get("/api/documents/jinan-2025-5").json()["source_name"] == "jinan.txt"
        assert before["source_name"] == "jinan-2025-5.txt"
        removed = c.delete("/api/documents/jinan-2025-5", headers=auth)
        assert removed.status_code == 204
        assert c.get("/api/measures/jinan-2025-5/1").status_code == 404
        assert c.get("/api/documents/jinan-2025-5").status_code == 404
        assert c.get("/api/agencies/jinan-disabled").json()["support"] == []
    store.close()
