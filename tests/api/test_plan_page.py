"""The coordination planner /plan and its printable pages, in process (TestClient), on the
bundled 济政发〔2025〕5号.

Expected values are read off data/jinan-2025-5.txt: each measure's responsibility clause
(责任单位：…按职责分工负责, no lead rule, so several units are ``shared`` and one alone is
``sole``), its title (the sentence after the measure number) and the canonical names of
ontology/vocab/agencies.ttl.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api import memo
from api.routes import coordination
from graph.rdf.store import RdfStore
from graph.settings import Settings
from tests.api.conftest import make_app
from tests.graph.analysis import builders
from tests.graph.analysis.builders import SMALL, make_extraction

DOC = "jinan-2025-5"
人社 = "济南市人力资源和社会保障局"
发改 = "济南市发展和改革委员会"
工信 = "济南市工业和信息化局"
教育 = "济南市教育局"
民政 = "济南市民政局"
卫健 = "济南市卫生健康委员会"
商务 = "济南市商务局"
财政 = "济南市财政局"
国资 = "济南市人民政府国有资产监督管理委员会"
税务 = "国家税务总局济南市税务局"
民营 = "济南市民营经济发展局"
农业 = "济南市农业农村局"
团委 = "共青团济南市委员会"
残联 = "济南市残疾人联合会"
工商联 = "济南市工商业联合会"
工会 = "济南市总工会"
退役 = "济南市退役军人事务局"
妇联 = "济南市妇女联合会"
人行 = "中国人民银行山东省分行营业管理部"
社工 = "中共济南市委社会工作部"
企联 = "济南市企业与企业家联合会"

#: measure number -> (title, agencies in the order the clause names them)
MEASURES: dict[int, tuple[str, list[str]]] = {
    1: ("坚持经济发展与就业协调联动", [发改, 人社]),
    2: ("做强产业激活就业新动能", [发改, 工信]),
    3: ("培育就业扩容提质增长极", [发改, 工信, 教育, 民政, 卫健, 商务, 人社]),
    4: ("助力各类企业稳岗扩岗", [人社, 财政, 国资, 税务, 民营]),
    5: ("促进高校毕业生等青年群体就业",
        [人社, 发改, 教育, 民政, 财政, 农业, 卫健, 团委, 残联, 工商联]),
    6: ("拓宽农村劳动力就业增收空间", [人社, 发改, 农业, 工会]),
    7: ("帮扶城乡困难人员就业", [人社, 财政, 农业, 残联]),
    8: ("支持退役军人、妇女等群体就业", [退役, 妇联, 人社]),
    9: ("开展大规模职业技能培训", [人社, 工信, 教育]),
    10: ("拓宽技能人才发展通道", [人社, 教育]),
    11: ("推动产教融合发展", [教育, 人社]),
    12: ("强化创业资金扶持", [人社, 财政, 人行]),
    13: ("优化创业平台功能", [发改, 人社, 财政, 团委]),
    14: ("营造浓厚创业氛围", [人社]),
    15: ("推动就业服务下沉", [社工, 人社, 商务]),
    16: ("开展“四个对接”精准服务", [人社, 农业, 残联]),
    17: ("拓展“数字赋能”服务模式", [人社]),
    18: ("发挥人力资源服务业作用", [人社, 教育]),
    19: ("提升社会保障水平", [人社]),
    20: ("构建和谐劳动关系", [人社, 工会, 企联, 工商联]),
}  # fmt: skip
AGENCIES = sorted({a for _t, agencies in MEASURES.values() for a in agencies})
#: chapter number -> its measures (一、… in the document)
CHAPTERS = {1: [1, 2, 3, 4], 2: [5, 6, 7, 8], 3: [9, 10, 11], 4: [12, 13, 14],
            5: [15, 16, 17], 6: [18, 19, 20]}  # fmt: skip
NUMERALS = [*"一二三四五六七八九十", *(f"十{d}" for d in "一二三四五六七八九"), "二十"]


def measures_of(agency: str) -> list[int]:
    return [n for n, (_t, agencies) in MEASURES.items() if agency in agencies]


def ref(*numbers: int) -> str:
    return " ".join(f"{DOC}#{n}" for n in numbers)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def rows(page: BeautifulSoup, table_id: str) -> list[list[str]]:
    table = page.find("table", id=table_id)
    assert table is not None, table_id
    body = [tr for tbody in table.find_all("tbody") for tr in tbody.find_all("tr")]
    return [[c.get_text() for c in tr.find_all(["td", "th"])] for tr in body]


def headers(page: BeautifulSoup, table_id: str) -> list[str]:
    return [th.get_text() for th in page.find("table", id=table_id).thead.find_all("th")]


@pytest.fixture(scope="module")
def page(client: TestClient) -> BeautifulSoup:
    r = client.get("/plan", params={"document": DOC})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return soup(r.text)


def test_form_keeps_the_state_in_the_url(client: TestClient, page: BeautifulSoup) -> None:
    form = page.find("form", class_="plan-form")
    assert (form["action"], form["method"]) == ("/plan", "get")
    assert [f["name"] for f in form.find_all("select")] == ["document", "chapter"]
    assert form.find("option", selected=True)["value"] == DOC
    chapters = [o["value"] for o in form.find("select", id="chapter").find_all("option")]
    assert chapters == ["", "1", "2", "3", "4", "5", "6"]
    assert page.find("a", href="/plan") is not None  # in the navigation
    # the chapter is kept too, and only its measures are planned
    two = soup(client.get("/plan", params={"document": DOC, "chapter": 2}).text)
    assert two.find("select", id="chapter").find("option", selected=True)["value"] == "2"
    planned = [c for r in rows(two, "table-meetings") for c in r if c.startswith(f"{DOC}#")]
    assert planned == [ref(n) for n in CHAPTERS[2]]


def test_no_script_and_the_page_csp(client: TestClient) -> None:
    r = client.get("/plan", params={"document": DOC})
    assert "<script" not in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_workload_table_and_chart(page: BeautifulSoup) -> None:
    assert headers(page, "table-workload") == [
        "机构 agency", "合计 total", "牵头 lead", "配合 support", "共同 shared", "独立 sole",
        "措施 measures",
    ]  # fmt: skip
    found = rows(page, "table-workload")
    # 人社局 in all but (二), alone in (十四)(十七)(十九); 发改委 and 教育局 tie at 6 (by name)
    assert found[:5] == [
        [人社, "19", "0", "0", "16", "3", ref(*measures_of(人社))],
        [发改, "6", "0", "0", "6", "0", ref(1, 2, 3, 5, 6, 13)],
        [教育, "6", "0", "0", "6", "0", ref(3, 5, 9, 10, 11, 18)],
        [财政, "5", "0", "0", "5", "0", ref(4, 5, 7, 12, 13)],
        [农业, "4", "0", "0", "4", "0", ref(5, 6, 7, 16)],
    ]
    assert sorted(r[0] for r in found) == AGENCIES  # 21 agencies
    for r in found:
        assert int(r[1]) == len(measures_of(r[0])), r[0]
    link = page.find("table", id="table-workload").tbody.find("a")
    assert link.get_text() == 人社 and link["href"].startswith("/id/agency/")
    svg = page.find("figure", class_="chart").find("svg")
    texts = [t.get_text() for t in svg.find_all("text")]
    assert {人社, 农业, "19", "6", "共同 shared", "独立 sole"} <= set(texts)


def test_coresponsibility_pairs_and_view_link(page: BeautifulSoup) -> None:
    section = page.find("section", id="coresponsibility")
    view = section.find("a", href=re.compile("^/viz/coresponsibility"))
    assert view["href"] == f"/viz/coresponsibility?document={DOC}"
    found = [(frozenset(r[:2]), r[2], r[3]) for r in rows(page, "table-links")]
    # every measure of 教育局 names 人社局 too: (三)(五)(九)(十)(十一)(十八); next come
    # 发改委 with (一)(三)(五)(六)(十三) (its (二) names 工信局 only) and 财政局 with
    # (四)(五)(七)(十二)(十三), in either order
    assert found[0] == (frozenset([人社, 教育]), "6", ref(3, 5, 9, 10, 11, 18))
    assert set(found[1:3]) == {
        (frozenset([人社, 发改]), "5", ref(1, 3, 5, 6, 13)),
        (frozenset([人社, 财政]), "5", ref(4, 5, 7, 12, 13)),
    }
    assert all(int(weight) < 5 for _pair, weight, _refs in found[3:])


def test_working_groups_have_the_conveners_of_the_rule(page: BeautifulSoup) -> None:
    """Louvain decides the members; given them, the convener is the member with most duties
    (all Jinan duties are shared or sole) in the measures naming two members, then the best
    rank sum: 人社局 everywhere it is; 财政局 alone in both (四) and (十二); (八) names
    退役军人局 before 妇联."""
    found = rows(page, "table-working_groups")
    assert [r[0] for r in found] == [str(i) for i in range(1, len(found) + 1)]
    conveners = []
    for _index, convener, members_cell, measures_cell in found:
        members = set(members_cell.split("、"))
        joint = [n for n, (_t, a) in MEASURES.items() if len(members & set(a)) >= 2]
        assert measures_cell == ref(*joint)

        def score(agency: str, joint: list[int] = joint) -> tuple[int, int]:
            duties = [MEASURES[n][1] for n in joint if agency in MEASURES[n][1]]
            return (-len(duties), sum(a.index(agency) + 1 for a in duties))

        assert convener == min(sorted(members), key=score)
        conveners.append(convener)
    assert sorted(a for r in found for a in r[2].split("、")) == AGENCIES  # none left out
    assert conveners[0] == 人社


def test_meeting_plan_19_slots_lower_bound_19(page: BeautifulSoup) -> None:
    assert page.find(id="slot-count").get_text() == "19"
    assert page.find(id="lower-bound").get_text() == "19"
    assert page.find(id="optimal").get_text() == "最优 optimal"
    why = page.find(id="why").get_text()
    assert f"{人社} 须参加 19 次会议" in why  # the busiest agency sets the bound
    slots = page.find("table", id="table-meetings").find_all("tbody", class_="slot")
    assert [s["id"] for s in slots] == [f"slot-{i}" for i in range(1, 20)]
    held: dict[int, list[int]] = {}
    for i, slot in enumerate(slots, start=1):
        for tr in slot.find_all("tr"):
            cells = [td.get_text() for td in tr.find_all("td")]
            number = int(cells[0].rsplit("#", 1)[1])
            assert cells[1:] == [MEASURES[number][0], "、".join(MEASURES[number][1])]
            held.setdefault(i, []).append(number)
    assert sorted(n for ns in held.values() for n in ns) == list(range(1, 21))
    for numbers in held.values():  # no agency in two meetings of one slot
        named = [a for n in numbers for a in MEASURES[n][1]]
        assert len(named) == len(set(named))
    # 20 meetings in 19 slots: (二) shares its slot with a measure without 发改委 or 工信局
    (pair,) = [ns for ns in held.values() if len(ns) == 2]
    assert 2 in pair


def test_target_group_coverage(page: BeautifulSoup) -> None:
    found = {r[0]: r for r in rows(page, "table-coverage")}
    # 退役军人 and 妇女 only in (八); 农民工 in (六) and (十九); 个体工商户 in (十二);
    # 留学人员 in (十三); 超龄人员 in (十九), which names 人社局 alone
    assert found["退役军人"][1:5] == ["1", "3", ref(8), "、".join(sorted([退役, 妇联, 人社]))]
    assert found["妇女"][1:4] == ["1", "3", ref(8)]
    assert found["农民工"][1:4] == ["2", "4", ref(6, 19)]
    assert found["个体工商户"][1:4] == ["1", "3", ref(12)]
    assert found["留学人员"][1:4] == ["1", "4", ref(13)]
    assert found["超龄人员"][1:4] + found["超龄人员"][6:] == ["1", "1", ref(19), "是", "是"]
    assert found["农民工"][6:] == ["", ""]  # not one desk, not one measure


def test_every_table_downloads_as_csv_and_xlsx(client: TestClient, page: BeautifulSoup) -> None:
    checked = set()
    for section in page.find_all("p", class_="downloads"):
        csv_link, xlsx_link = section.find_all("a")
        assert csv_link.get_text() == "CSV" and xlsx_link.get_text() == "XLSX"
        r = client.get(csv_link["href"])
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        x = client.get(xlsx_link["href"])
        assert x.status_code == 200 and x.content[:2] == b"PK"
        sheet = load_workbook(io.BytesIO(x.content)).active
        lines = r.text.splitlines()
        assert [c.value for c in sheet[1]] == lines[0].split(",")  # the same header
        assert sheet.max_row == len(lines)  # and as many rows
        checked.add(sheet.title)
    assert checked == {
        "workload", "links", "coresponsibility", "working_groups", "meetings", "coverage",
        "assignments", "duties",
    }  # fmt: skip
    book = load_workbook(io.BytesIO(client.get(f"/plan/plan.xlsx?document={DOC}").content))
    assert len(book.sheetnames) == 8


def test_bad_fields_are_pages_with_a_notice(client: TestClient) -> None:
    for params, status, said in [
        ({"chapter": "2"}, 422, "choose a document first"),
        ({"document": "<script>x</script>"}, 422, "a document id is"),
        ({"document": DOC, "chapter": "二"}, 422, "chapter number"),
        ({"document": "nowhere-2025-1"}, 404, "no document with id 'nowhere-2025-1'"),
        ({"document": DOC, "chapter": "9"}, 404, "has no chapter 9"),
    ]:
        r = client.get("/plan", params=params)
        assert (r.status_code, r.headers["content-type"][:9]) == (status, "text/html"), params
        assert said in soup(r.text).find(id="notice").get_text()
        assert "<script>x" not in r.text
    r = client.get("/plan/print", params={"document": "nowhere-2025-1"})
    assert r.status_code == 404 and "nowhere-2025-1" in soup(r.text).find(id="notice").get_text()


def print_rows(client: TestClient, table: str) -> tuple[BeautifulSoup, list[list[str]]]:
    r = client.get("/plan/print", params={"document": DOC, "table": table})
    assert r.status_code == 200
    page = soup(r.text)
    return page, rows(page, "print-table")


def test_printable_assignment_table(client: TestClient) -> None:
    page, found = print_rows(client, "assignments")
    assert len(page.find_all("table")) == 1 and page.find("table").thead is not None
    assert page.find("nav") is None and page.find("header") is None and page.find("form") is None
    assert page.find("h1").get_text(" ", strip=True).endswith("任务分工表")
    chapters = [r[0] for r in found if len(r) == 1]
    assert [c.split("、")[0] for c in chapters] == ["一", "二", "三", "四", "五", "六"]
    assert chapters[1] == "二、完善支持保障措施,促进重点群体就业"
    measures = [r for r in found if len(r) > 1]
    assert [r[0] for r in measures] == [f"（{n}）" for n in NUMERALS]
    for (number, (title, agencies)), r in zip(MEASURES.items(), measures, strict=True):
        # no lead rule: every unit is responsible (shared or sole), none only supports
        assert r[1:4] == [title, "、".join(agencies), ""], number
    # (八) 支持退役军人、妇女等群体就业 … 针对女性 (an altLabel of 妇女)
    assert set(measures[7][4].split("、")) == {"退役军人", "妇女"}


def test_printable_duty_lists(client: TestClient) -> None:
    _page, found = print_rows(client, "duties")
    groups = {r[0].split("（")[0]: r[0] for r in found if len(r) == 1}
    assert sorted(groups) == AGENCIES
    for agency, cell in groups.items():
        assert cell == f"{agency}（{len(measures_of(agency))} 项）"
    roles = Counter(r[2] for r in found if len(r) > 1)
    # (十四)(十七)(十九) name one unit (sole); every other duty is shared
    assert roles == {"独立负责": 3, "共同负责": sum(len(a) for _t, a in MEASURES.values()) - 3}


@pytest.fixture
def limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """Jinan (20 measures) under lower limits: 10 measures corpus-wide, 3 per meeting plan."""
    monkeypatch.setattr(memo, "ANALYSIS_LIMIT", 10)
    monkeypatch.setattr(coordination, "MEETING_LIMIT", 3)
    test_client, store = make_app(tmp_path)
    with test_client:
        yield test_client
    store.close()


def test_size_refusals_are_readable_notices(limited: TestClient) -> None:
    r = limited.get("/plan")
    assert r.status_code == 200  # a valid request: the page says what to choose instead
    notice = soup(r.text).find(id="notice").get_text()
    assert "the whole corpus has 20 measures" in notice and "choose a document" in notice
    assert soup(r.text).find("select", id="document").find("option", value=DOC) is not None
    r = limited.get("/plan/print")
    assert r.status_code == 200 and "20 measures" in soup(r.text).find(id="notice").get_text()
    one = soup(limited.get("/plan", params={"document": DOC}).text)
    meetings = one.find("section", id="meetings").find("p", class_="notice").get_text()
    assert "20 measures with agencies" in meetings and "at most 3" in meetings
    assert len(rows(one, "table-workload")) == 21  # the other tables are there


def test_names_are_escaped_in_tables_and_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    evil = '<script>window.__pwned=1</script>&"局'
    monkeypatch.setitem(builders.AGENCIES, "A", ("agency-a", evil))
    spec = [list(r) for r in SMALL]
    spec[0][2] = "<img src=x onerror=alert(1)>促进青年就业"
    store = RdfStore.open(None, builders.IRIS)
    store.ensure_vocabularies()
    store.load_document(make_extraction([tuple(r) for r in spec]))
    settings = Settings(data_dir=tmp_path, base_iri=builders.IRIS.base, neo4j_uri=None)
    from api.app import create_app

    with TestClient(create_app(settings, rdf_store=store)) as c:
        for url in ("/plan", "/plan/print", "/plan/print?table=duties"):
            r = c.get(url)
            assert r.status_code == 200
            assert "<script>window" not in r.text and "<img src=x" not in r.text
            assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&amp;" in r.text
        page = soup(c.get("/plan").text)
        assert rows(page, "table-workload")[0][0] == evil  # the text itself is intact
        chart = page.find("figure", class_="chart").find("svg")
        assert evil in [t.get_text() for t in chart.find_all("text")]
        assert chart.find("script") is None
    store.close()


def test_document_page_links_to_its_plan(client: TestClient) -> None:
    r = client.get(f"/id/document/{DOC}", headers={"Accept": "text/html"})
    assert soup(r.text).find("a", href=f"/plan?document={DOC}") is not None
