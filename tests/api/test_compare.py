"""/api/compare, /compare and the chain page's compare links on the four-level chain corpus
plus tests/fixtures/compare: 石政发〔2024〕8号, a second city implementing 岳政发〔2023〕15号
that takes over its measures 1 and 2 with other leads (finance, education instead of the
provincial hrss + finance / hrss + education sharing them), drops measure 3 and adds one of
its own (veterans).
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
import unicodedata
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from loaders import extract_file
from tests.api.conftest import make_app
from tests.paths import ROOT

CHAIN = ROOT / "tests" / "fixtures" / "chain"
SHIMEN = ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt"
PROVINCE, CITY, COUNTY, NATION = (
    "dongyue-yzf-2023-15",
    "quanhe-2024-3",
    "quanhe-qzf-2024-7",
    "doc-gf-2023-9",
)
SECOND_CITY = "shimen-2024-8"
HRSS, FIN, EDU, VET = "人力资源社会保障", "财政", "教育", "退役军人事务"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    test_client, store = make_app(tmp_path_factory.mktemp("compare-api"))
    for path in [*sorted(CHAIN.glob("*.txt")), SHIMEN]:
        store.load_document(extract_file(path))
    store.store.flush()
    with test_client:
        yield test_client
    store.close()


def ochiai(x: str, y: str) -> float:
    """The score by hand: cosine of the sets of character 2- and 3-grams (letters only)."""

    def grams(text: str) -> set[str]:
        t = "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())
        return {t[i : i + n] for n in (2, 3) for i in range(len(t) - n + 1)}

    a, b = grams(x), grams(y)
    return len(a & b) / math.sqrt(len(a) * len(b))


def test_province_against_second_city(client: TestClient) -> None:
    answer = client.get(f"/api/compare?a={PROVINCE}&b={SECOND_CITY}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["a"]["doc_number"], body["a"]["level"], body["a"]["measures"]) == (
        "岳政发〔2023〕15号", "provincial", 3
    )  # fmt: skip
    assert (body["b"]["doc_number"], body["b"]["level"], body["b"]["measures"]) == (
        "石政发〔2024〕8号", "city", 3
    )  # fmt: skip
    pairs = body["pairs"]
    assert [(p["a"]["ordinal"], p["b"]["ordinal"]) for p in pairs] == [(1, 1), (2, 2)]
    first = ochiai(
        "落实扩岗补助。对吸纳高校毕业生的中小微企业按规定发放一次性扩岗补助。",
        "落实一次性扩岗补助。对吸纳高校毕业生的中小微企业按规定发放一次性扩岗补助。",
    )
    second = ochiai(
        "挖掘公共岗位。每年开发基层服务岗位不少于5000个。",
        "开发基层公共岗位。每年开发基层服务岗位不少于600个。",
    )
    assert [p["score"] for p in pairs] == [round(first, 4), round(second, 4)]
    assert [m["ordinal"] for m in body["only_a"]] == [3]
    assert [(m["ordinal"], m["title"]) for m in body["only_b"]] == [(3, "扶持退役军人创业")]
    assert [(f["function"], f["role_a"], f["role_b"]) for f in pairs[0]["functions"]] == [
        ("finance", "shared", "lead"),
        ("hrss", "shared", "support"),
    ]
    assert (pairs[0]["lead_a"], pairs[0]["lead_b"], pairs[0]["same_lead"]) == (
        [HRSS, FIN], [FIN], False
    )  # fmt: skip
    assert [(f["function"], f["role_a"], f["role_b"]) for f in pairs[1]["functions"]] == [
        ("education", "shared", "lead"),
        ("hrss", "shared", "support"),
        ("finance", None, "support"),
    ]
    assert (pairs[1]["only_a"], pairs[1]["only_b"]) == ([], [FIN])
    names = [d["name"] for d in pairs[1]["b"]["duties"]]
    assert names == ["石门市教育局", "石门市人力资源社会保障局", "石门市财政局"]
    totals = [
        (t["function"], t["a_lead"], t["a_shared"], t["a_support"], t["a_measures"],
         t["b_lead"], t["b_shared"], t["b_support"], t["b_measures"], t["aligned_both"],
         t["aligned_same_role"])
        for t in body["functions"]
    ]  # fmt: skip
    assert totals == [
        ("hrss", 1, 2, 0, 3, 0, 0, 2, 2, 2, 0),  # provincial measure 3: sole → lead
        ("finance", 0, 1, 0, 1, 1, 0, 1, 2, 1, 0),
        ("education", 0, 1, 0, 1, 1, 0, 0, 1, 1, 0),
        ("veterans", 0, 0, 0, 0, 1, 0, 0, 1, 0, 0),
    ]


def test_csv_tables(client: TestClient) -> None:
    answer = client.get(f"/api/compare?a={PROVINCE}&b={SECOND_CITY}&format=csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert len(rows) == 1 + 2 + 1 + 1
    assert rows[1][:4] == ["1", "落实扩岗补助", f"{HRSS}、{FIN}", f"{HRSS}(共同)、{FIN}(共同)"]
    assert rows[1][5:10] == ["1", "落实一次性扩岗补助", FIN, f"{FIN}(牵头)、{HRSS}(配合)", "False"]
    assert rows[3][:3] == ["3", "实施精准帮扶", HRSS] and rows[3][5] == ""
    assert rows[4][:5] == ["", "", "", "", ""] and rows[4][5:8] == ["3", "扶持退役军人创业", VET]
    by_accept = client.get(
        f"/api/compare?a={PROVINCE}&b={SECOND_CITY}&table=functions",
        headers={"Accept": "text/csv"},
    )
    functions = list(csv.reader(io.StringIO(by_accept.text)))
    assert functions[1] == [HRSS, "1", "2", "0", "3", "0", "0", "2", "2", "2", "0", "hrss"]
    roles = client.get(f"/api/compare?a={PROVINCE}&b={SECOND_CITY}&format=csv&table=roles")
    first_role = list(csv.reader(io.StringIO(roles.text)))[1]
    assert first_role == ["1", "1", FIN, "shared", "lead", "finance"]


def test_city_against_county_aligns_the_subsidy(client: TestClient) -> None:
    body = client.get(f"/api/compare?a={CITY}&b={COUNTY}").json()
    # 发放扩岗补助 → 按月发放补助; 开发公共岗位 and 开展结对帮扶 have no county counterpart
    # (建设就业驿站 shares no wording with them beyond 就业 / 开展)
    assert [(p["a"]["ordinal"], p["b"]["ordinal"]) for p in body["pairs"]] == [(1, 1)]
    assert [m["ordinal"] for m in body["only_a"]] == [2, 3]
    assert [m["ordinal"] for m in body["only_b"]] == [2]
    assert [(f["function"], f["role_a"], f["role_b"]) for f in body["pairs"][0]["functions"]] == [
        ("hrss", "lead", "lead"),
        ("finance", "support", "support"),
    ]
    assert body["pairs"][0]["same_lead"] is True


def test_errors(client: TestClient) -> None:
    for path in ("/api/compare", "/compare"):
        unknown = client.get(f"{path}?a=no-such-doc&b={CITY}")
        assert unknown.status_code == 404 and "no-such-doc" in unknown.json()["detail"]
        same = client.get(f"{path}?a={CITY}&b={CITY}")
        assert same.status_code == 422 and "different" in same.json()["detail"]
        assert client.get(f"{path}?a={CITY}").status_code == 422
        assert client.get(path).status_code == 422
        assert client.get(f"{path}?a=bad%20id&b={CITY}").status_code == 422
    assert client.get(f"/api/compare?a={CITY}&b={COUNTY}&table=nope&format=csv").status_code == 422


def test_page(client: TestClient) -> None:
    page = client.get(f"/compare?a={PROVINCE}&b={SECOND_CITY}")
    assert page.status_code == 200
    text = page.text
    pairs = re.search(r'<table class="triples" id="pairs">(.*?)</table>', text, re.S)
    assert pairs is not None
    assert re.findall(r"<tr><td>(\d+)\. ", pairs.group(1)) == ["1", "2"]
    assert f"{FIN}：共同 → 牵头" in pairs.group(1) and f"{FIN}：— → 配合" in pairs.group(1)
    only_b = re.search(r'<ul id="only-b">(.*?)</ul>', text, re.S)
    assert only_b is not None and "3. 扶持退役军人创业" in only_b.group(1)
    assert f'href="/compare?a={SECOND_CITY}&amp;b={PROVINCE}"' in text  # swap


def test_chain_page_links_adjacent_levels(client: TestClient) -> None:
    page = client.get(f"/documents/{PROVINCE}/chain").text
    links = re.findall(r'href="/compare\?a=([^&"]+)&amp;b=([^"]+)"', page)
    assert links == [
        (NATION, PROVINCE),
        (PROVINCE, CITY),  # 2024-02-20
        (PROVINCE, SECOND_CITY),  # 2024-03-15
        (CITY, COUNTY),
    ]
    for a, b in links:
        assert client.get(f"/compare?a={a}&b={b}").status_code == 200


def test_page_escapes_document_text(tmp_path_factory: pytest.TempPathFactory) -> None:
    text = SHIMEN.read_text(encoding="utf-8").replace(
        "扶持退役军人创业。", "扶持<script>alert(1)</script>创业。"
    )
    path = tmp_path_factory.mktemp("hostile-compare") / "city.txt"
    path.write_text(text, encoding="utf-8")
    test_client, store = make_app(tmp_path_factory.mktemp("hostile-compare-data"))
    store.load_document(extract_file(path))
    store.load_document(extract_file(CHAIN / "provincial-yuezhengfa-2023-15.txt"))
    with test_client:
        page = test_client.get(f"/compare?a={PROVINCE}&b={SECOND_CITY}").text
    store.close()
    assert "<script>alert(1)" not in page
    assert html.escape("扶持<script>alert(1)</script>创业") in page


def test_head_answers_like_get(client: TestClient) -> None:
    """tests/api/test_headers.py's HEAD check for the routes that need two documents."""
    for path in (
        f"/api/compare?a={PROVINCE}&b={SECOND_CITY}",
        f"/api/compare?a={PROVINCE}&b={SECOND_CITY}&format=csv",
        f"/compare?a={PROVINCE}&b={SECOND_CITY}",
    ):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content)), path
