"""REST reads over the Jinan document: lists, filters, pagination, CSV, details, errors."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient


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
