"""Government functions: the SKOS file is well formed and read_unit reads unit names of every
level, abbreviation and script to the function, level and place the name states."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from ontology.files import VOCAB_DIR, load_turtle
from ontology.functions import (
    Function,
    all_functions,
    function_by_id,
    looks_like_unit,
    read_unit,
)
from ontology.iris import Iris
from ontology.registry import agencies

IRIS = Iris("http://kg.test")
SCHEME = URIRef("http://kg.test/id/function")
PLACE_NAMED = URIRef("http://kg.test/id/function-group/place-named")
S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")


def the_file() -> Graph:
    return load_turtle(VOCAB_DIR / "functions.ttl", IRIS)


def concepts(g: Graph) -> list[URIRef]:
    return sorted((s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)), key=str)


def zh(g: Graph, node: URIRef, prop: URIRef) -> list[str]:
    found = g.objects(node, prop)
    return sorted(str(o) for o in found if isinstance(o, Literal) and not o.language)


def table(text: str) -> dict[str, str]:
    """Two-column text (name, function id) → dict."""
    return dict(tuple(line.split()) for line in text.strip().splitlines())  # type: ignore[misc]


def local(node: URIRef) -> str:
    return str(node).removeprefix(f"{SCHEME}/")


# ---------------------------------------------------------------- the vocabulary


def test_every_concept_is_in_the_scheme_with_labels() -> None:
    g = the_file()
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g
    nodes = concepts(g)
    assert len(nodes) == len(all_functions()) == 108
    for node in nodes:
        assert str(node).startswith(f"{SCHEME}/")
        assert (node, SKOS.inScheme, SCHEME) in g
        assert len(zh(g, node, SKOS.prefLabel)) == 1
        english = [o for o in g.objects(node, SKOS.prefLabel) if getattr(o, "language", None)]
        assert [o.language for o in english] == ["en"]  # type: ignore[attr-defined]
        assert zh(g, node, RDFS.label) == zh(g, node, SKOS.prefLabel)
    members = set(g.objects(PLACE_NAMED, SKOS.member))
    assert members and members <= set(nodes)


def test_no_label_names_two_concepts_and_all_are_simplified() -> None:
    g = the_file()
    seen: dict[str, URIRef] = {}
    for node in concepts(g):
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in zh(g, node, prop):
                assert label not in seen, (label, node, seen.get(label))
                seen[label] = node
                assert T2S.convert(label) == label
    assert len(seen) > 700


def test_function_lookup() -> None:
    assert function_by_id("hrss") == Function("hrss", "人力资源社会保障")
    assert function_by_id("finance").label == "财政"
    assert [f.id for f in all_functions()] == sorted(f.id for f in all_functions())
    with pytest.raises(KeyError):
        function_by_id("ministry-of-magic")


# ---------------------------------------------------------------- exact readings

READINGS = [
    # national: ministries, commissions, administrations, bare national names
    ("人力资源社会保障部", "hrss", "national", None, False),
    ("人力资源和社会保障部", "hrss", "national", None, False),
    ("人社部", "hrss", "national", None, False),
    ("国家发展和改革委员会", "development-reform", "national", None, False),
    ("国家发展改革委", "development-reform", "national", None, False),
    ("财政部", "finance", "national", None, False),
    ("教育部", "education", "national", None, False),
    ("工业和信息化部", "industry-it", "national", None, False),
    ("住房城乡建设部", "housing-construction", "national", None, False),
    ("市场监管总局", "market-regulation", "national", None, False),
    ("国家市场监督管理总局", "market-regulation", "national", None, False),
    ("税务总局", "taxation", "national", None, False),
    ("人民银行", "central-bank", "national", None, False),
    ("银保监会", "financial-regulation", "national", None, False),
    ("证监会", "securities-regulation", "national", None, False),
    ("海关总署", "customs", "national", None, False),
    ("国家统计局", "statistics", "national", None, False),
    ("国家卫生健康委", "health", "national", None, False),
    ("国务院扶贫办", "poverty-alleviation", "national", None, False),
    ("供销合作总社", "supply-marketing", "national", None, False),
    ("全国总工会", "trade-union", "national", None, False),
    ("共青团中央", "youth-league", "national", None, False),
    ("全国妇联", "women", "national", None, False),
    ("中国残联", "disabled-persons", "national", None, False),
    ("中央军委政治工作部", "military", "national", None, False),
    ("国务院", "government", "national", None, False),
    ("国务院办公厅", "general-office", "national", None, False),
    ("审计署", "audit", "national", None, False),
    # the name does not say the level (every level has one)
    ("发展改革委", "development-reform", None, None, False),
    ("卫生健康委", "health", None, None, False),
    ("统计局", "statistics", None, None, False),
    ("扶贫办", "poverty-alleviation", None, None, False),
    ("住建局", "housing-construction", None, None, False),
    ("司法局", "justice", None, None, False),
    ("财政部门", "finance", None, None, False),
    ("人力资源社会保障行政部门", "hrss", None, None, False),
    # provincial
    ("省人力资源社会保障厅", "hrss", "provincial", None, False),
    ("人社厅", "hrss", "provincial", None, False),
    ("自治区农牧厅", "agriculture-rural", "provincial", None, False),
    ("自治 区农牧厅", "agriculture-rural", "provincial", None, False),
    ("内蒙古自治区农牧厅", "agriculture-rural", "provincial", "内蒙古自治区", False),
    ("山东人社厅", "hrss", "provincial", "山东", False),
    ("山东省人民政府", "government", "provincial", "山东省", False),
    ("山东省高级人民法院", "court", "provincial", "山东省", False),
    ("省委组织部", "organisation", "provincial", None, False),
    ("中国人民银行山东省分行营业管理部", "central-bank", "provincial", "山东省", False),
    # city
    ("济南市人力资源和社会保障局", "hrss", "city", "济南市", False),
    ("市人社局", "hrss", "city", None, False),
    ("市发改委", "development-reform", "city", None, False),
    ("市行政审批服务局", "administrative-approval", "city", None, False),
    ("市委社会工作部", "party-social-work", "city", None, False),
    ("中共济南市委社会工作部", "party-social-work", "city", "济南市", False),
    ("国家税务总局济南市税务局", "taxation", "city", "济南市", False),
    ("济南市人民政府国有资产监督管理委员会", "state-assets", "city", "济南市", False),
    ("共青团济南市委员会", "youth-league", "city", "济南市", False),
    ("团市委", "youth-league", "city", None, False),
    ("延边朝鲜族自治州人民政府", "government", "city", "延边朝鲜族自治州", False),
    ("市政府办公厅", "general-office", "city", None, False),
    ("市委", "party-committee", "city", None, False),
    ("市人社部门", "hrss", "city", None, False),
    ("市人民银行", "central-bank", "city", None, False),
    # county
    ("县人社局", "hrss", "county", None, False),
    ("平阴县人民政府", "government", "county", "平阴县", False),
    ("鄂托克旗农牧局", "agriculture-rural", "county", "鄂托克旗", False),
    ("县委办", "party-office", "county", None, False),
    # district and subdistrict
    ("区住建局", "housing-construction", "district", None, False),
    ("历下区卫生健康局", "health", "district", "历下区", False),
    ("济南市历下区市场监管局", "market-regulation", "district", "济南市历下区", False),
    ("历城区港沟街道办事处", "subdistrict", "district", "历城区港沟街道", False),
    ("济南高新区管委会", "zone-management", "district", "济南高新区", False),
    # vertical branches named by a bare place
    ("人民银行上海总部", "central-bank", None, "上海", False),
    ("合肥海关", "customs", None, "合肥", False),
    ("国家统计局济宁调查队", "statistics", None, "济宁", False),
    ("青岛银保监局", "financial-regulation", None, "青岛", False),
    # collectives
    ("各省级人民政府", "government", "provincial", None, True),
    ("各有关部门和单位", None, None, None, True),
    ("国务院各部门", None, "national", None, True),
    ("区级相关部门", None, "district", None, True),
    ("各街道办事处", "subdistrict", "district", None, True),
    ("各县（市、区）人民政府", "government", "county", None, True),
    ("各省、自治区、直辖市人民政府", "government", "provincial", None, True),
    ("济南市各区县人民政府", "government", "district", "济南市", True),
    ("各区县", "government", "district", None, True),
    ("有关部门", None, None, None, True),
    ("各级财政部门", "finance", None, None, True),
    ("市直各部门", None, "city", None, True),
    ("人力资源社会保障部等有关部门和单位", None, "national", None, True),
    ("县级以上地方人民政府", "government", None, None, True),
    # traditional characters (place comes back simplified)
    ("人力資源社會保障部", "hrss", "national", None, False),
    ("濟南市人力資源和社會保障局", "hrss", "city", "济南市", False),
    ("國家發展和改革委員會", "development-reform", "national", None, False),
    ("自治區農牧廳", "agriculture-rural", "provincial", None, False),
    ("國家稅務總局", "taxation", "national", None, False),
]


@pytest.mark.parametrize(("name", "function", "level", "place", "collective"), READINGS)
def test_read_unit(
    name: str, function: str | None, level: str | None, place: str | None, collective: bool
) -> None:
    reading = read_unit(name)
    assert reading.name == name
    assert (reading.function.id if reading.function else None) == function
    assert (reading.level, reading.place, reading.collective) == (level, place, collective)
    assert reading.known
    assert looks_like_unit(name)


NOT_UNITS = ["加强监管", "年内持续推进", "张伟", "李明华", "决策部署", "新发展格局", "政务服务大厅",
             "一网通办", "全社会", "以人民为中心", "财政", "乡村振兴", "退役军人", "高校毕业生",
             "各类企业", "用人单位", "加大财政", "市文化", "市财政"]  # fmt: skip


@pytest.mark.parametrize("name", NOT_UNITS)
def test_prose_and_people_are_not_units(name: str) -> None:
    reading = read_unit(name)
    assert (reading.function, reading.level, reading.collective, reading.known) == (
        None,
        None,
        False,
        False,
    )
    assert not looks_like_unit(name)


@pytest.mark.parametrize(
    ("name", "known", "level"),
    [
        ("北京冬奥组委", True, None),
        ("空管委办公室", True, None),
        ("市就业工作领导小组", True, None),
        ("国家航天局", False, "national"),
        ("中国铁路济南局集团有限公司", False, "national"),
        ("济南农村商业银行", False, None),
        ("山东高速集团", False, None),
        ("驻村工作队", False, None),
    ],
)
def test_units_the_vocabulary_does_not_know(name: str, known: bool, level: str | None) -> None:
    reading = read_unit(name)
    assert (reading.function, reading.known, reading.level) == (None, known, level)
    assert looks_like_unit(name)


#: Every unit the State Council documents of shared/realdocs name in their clauses.
REALDOCS = table(
    """
中央军委政治工作部 military
中央和国家机关工委 organs-work
中央宣传部 propaganda
中央统战部 united-front
交通运输部 transport
人力资源社会保障部 hrss
人民银行 central-bank
住房城乡建设部 housing-construction
体育总局 sport
供销合作总社 supply-marketing
全国妇联 women
全国工商联 commerce-federation
全国总工会 trade-union
公安部 public-security
共青团中央 youth-league
农业农村部 agriculture-rural
医保局 medical-security
卫生健康委 health
发展改革委 development-reform
司法部 justice
各有关省级人民政府 government
各省级人民政府 government
商务部 commerce
国务院办公厅 general-office
国务院扶贫办 poverty-alleviation
国家卫生健康委 health
国家发展改革委 development-reform
国管局 government-offices
国资委 state-assets
国际发展合作署 international-development
外交部 foreign-affairs
工业和信息化部 industry-it
市场监管总局 market-regulation
广电总局 radio-television
应急部 emergency-management
扶贫办 poverty-alleviation
教育部 education
文化和旅游部 culture-tourism
文物局 cultural-heritage
标准委 standardisation
民政部 civil-affairs
民航局 civil-aviation
水利部 water-resources
海关总署 customs
海洋局 ocean
版权局 press-publication
生态环境部 ecology-environment
科技部 science-technology
税务总局 taxation
粮食和储备局 grain-reserves
统计局 statistics
网信办 cyberspace
自然资源部 natural-resources
药监局 drug-regulation
证监会 securities-regulation
财政部 finance
邮政局 postal
银保监会 financial-regulation
国务院 government
"""
)


@pytest.mark.parametrize(("name", "function"), sorted(REALDOCS.items()))
def test_realdocs_units(name: str, function: str) -> None:
    reading = read_unit(name)
    assert reading.function is not None and reading.function.id == function


#: registry id → function of every government department in ontology/vocab/agencies.ttl
REGISTRY = table(
    """
jinan-agriculture agriculture-rural
jinan-civil-affairs civil-affairs
jinan-commerce commerce
jinan-culture-tourism culture-tourism
jinan-drc development-reform
jinan-edu education
jinan-finance finance
jinan-health health
jinan-housing housing-construction
jinan-hrss hrss
jinan-iit industry-it
jinan-market-regulation market-regulation
jinan-medical-security medical-security
jinan-private-economy private-economy
jinan-public-security public-security
jinan-sasac state-assets
jinan-science science-technology
jinan-statistics statistics
jinan-veterans veterans
"""
)


def test_every_registered_government_department_reads_to_its_function() -> None:
    departments = [a for a in agencies() if a.kind == "government_department"]
    assert {a.id for a in departments} <= set(REGISTRY)
    assert len(departments) >= 19
    for agency in departments:
        for name in (agency.name, *agency.alt_labels):
            reading = read_unit(name)
            assert reading.function is not None, name
            assert reading.function.id == REGISTRY[agency.id], name
            assert reading.level == "city", name
            assert reading.place in (agency.jurisdiction, None), name


def test_every_registered_agency_reads_to_some_function() -> None:
    for agency in agencies():
        for name in (agency.name, *agency.alt_labels):
            assert read_unit(name).function is not None, name


# ---------------------------------------------------------------- generated names


def _forms() -> list[tuple[str, str, str, str]]:
    """(function id, form, label property, expected bare level) for every label."""
    g = the_file()
    out = []
    for node in concepts(g):
        kinds = ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt"), (SKOS.hiddenLabel, "hidden"))
        for prop, kind in kinds:
            for label in zh(g, node, prop):
                out.append((local(node), label.replace("（", "(").replace("）", ")"), kind, label))
    return out


FORMS = _forms()
PLACES = {
    "provincial": ["省", "自治区", "山东省", "内蒙古自治区", "广西壮族自治区"],
    "city": ["市", "济南市", "延边朝鲜族自治州", "锡林郭勒盟", "州"],
    "county": ["县", "平阴县", "旗", "鄂托克旗", "长阳土家族自治县"],
    "district": ["区", "历下区", "济南市历下区", "浦东新区"],
}
BARE_WORDS = {"省", "自治区", "市", "州", "县", "旗", "区"}
UNIT_END = set("部厅局委会办署院行关联社心队团协处所站馆组室司台府")


def bare_level(form: str, kind: str) -> str | None:
    """The level a form alone says, as the header of functions.ttl states it."""
    if kind == "alt":
        return "national"
    if form.endswith("厅") and not form.endswith("办公厅"):
        return "provincial"
    return "district" if form.startswith("街道") else None


def _variant(name: str, how: int) -> str:
    if how == 1:
        return str(S2T.convert(name))
    if how == 2 and len(name) > 2:
        return f"{name[:2]} {name[2:]}"  # a space from an export
    return name


@settings(max_examples=1500, deadline=None)
@given(
    form=st.sampled_from([f for f in FORMS if "(" not in f[1] and len(f[1]) > 1]),
    level=st.sampled_from(sorted(PLACES)),
    data=st.data(),
    how=st.integers(0, 2),
)
def test_every_form_at_every_level(
    form: tuple[str, str, str, str], level: str, data: st.DataObject, how: int
) -> None:
    function, text, kind, _ = form
    stem = kind != "alt" and text[-1] not in UNIT_END  # 人社, 财政: only before 部门
    place = data.draw(st.sampled_from(PLACES[level]))
    reading = read_unit(_variant(f"{place}{text}{'部门' if stem else ''}", how))
    assert reading.function is not None and reading.function.id == function
    assert reading.level == level
    assert reading.place == (None if place in BARE_WORDS else place) or (
        text.startswith("街道") and reading.place == f"{place}街道"
    )


@pytest.mark.parametrize(("function", "form", "kind", "label"), FORMS)
def test_every_form_alone(function: str, form: str, kind: str, label: str) -> None:
    """Unit forms read alone with their own level; stems (财政, 人社) need a place first."""
    if "(" in form:  # a display name: 政府办公厅（室）
        return
    if kind != "alt" and form[-1] not in UNIT_END:
        assert read_unit(form).function is None
        assert read_unit(f"市{form}").function is None
        assert read_unit(f"{form}部门").function == function_by_id(function)
        return
    if len(form) == 1:  # 委: only after a place (市委, 省委)
        return
    for name in (form, S2T.convert(form)):
        reading = read_unit(name)
        assert reading.function == function_by_id(function), name
        assert reading.level == bare_level(form, kind), name


def test_registry_states_the_function_and_level_its_names_read_to() -> None:
    """agencies.ttl states pkg:function and pkg:level on every entry (the store keeps only the
    vocabulary's description of a registered agency), and they agree with read_unit."""
    iris = Iris("http://kg.test")
    g = Graph().parse(VOCAB_DIR / "agencies.ttl", format="turtle", publicID=iris.public_id)
    for entry in agencies():
        node = iris.agency(entry.id)
        reading = read_unit(entry.name)
        assert reading.function is not None and reading.level is not None, entry.name
        assert set(g.objects(node, iris.pkg.function)) == {iris.function(reading.function.id)}
        assert set(g.objects(node, iris.pkg.level)) == {iris.level(reading.level)}
