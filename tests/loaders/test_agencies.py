"""Units → AgencyRef: registry lookup, function and level, prefix inheritance, stable ids."""

from __future__ import annotations

from loaders.agencies import agency_refs, effective_names
from loaders.clauses import LeadRules, Unit, find_clauses, merge_units
from loaders.ids import sha1_10
from loaders.model import AgencyRef, Span


def span_of(start: int, end: int) -> Span:
    return Span(start=start, end=end)


def refs(text: str, jurisdiction: str | None, **kw: object) -> tuple[AgencyRef, ...]:
    units = merge_units(find_clauses(text, 0, len(text), LeadRules()))
    return agency_refs(units, jurisdiction, span_of, **kw)  # type: ignore[arg-type]


def test_registered_jinan_agencies_keep_their_ids() -> None:
    found = refs("做好。(责任单位:市人力资源社会保障局、市财政局、团市委按职责分工负责)", "济南市")
    assert [(a.id, a.canonical_name, a.registered) for a in found] == [
        ("jinan-hrss", "济南市人力资源和社会保障局", True),
        ("jinan-finance", "济南市财政局", True),
        ("jinan-youth-league", "共青团济南市委员会", True),
    ]
    assert [(a.function and a.function.id, a.level) for a in found] == [
        ("hrss", "city"),
        ("finance", "city"),
        ("youth-league", "city"),
    ]
    assert [a.rank for a in found] == [1, 2, 3]
    assert [a.role for a in found] == ["shared", "shared", "shared"]
    assert found[0].span == Span(start=9, end=19)


def test_dropped_city_prefix_is_inherited() -> None:
    found = refs("做好。(责任单位:市行政审批局、住建局、司法局)", "济南市")
    assert [a.name for a in found] == ["市行政审批局", "住建局", "司法局"]
    assert [a.canonical_name for a in found] == [
        "济南市行政审批局",
        "济南市住房和城乡建设局",  # 住建局 is the city's: the registry's 市住建局
        "济南市司法局",
    ]
    assert [a.registered for a in found] == [False, True, False]
    assert found[1].id == "jinan-housing"
    assert found[2].id == f"jinan-u-{sha1_10('济南市司法局')}"
    assert [a.level for a in found] == ["city", "city", "city"]
    assert [a.function and a.function.id for a in found] == [
        "administrative-approval",
        "housing-construction",
        "justice",
    ]


def test_national_units_and_units_with_places_inherit_nothing() -> None:
    units = [Unit(n, 0, 1, "shared") for n in ("市人社局", "人民银行上海总部", "财政部", "医保局")]
    assert effective_names(units, "济南市") == ["市人社局", "人民银行上海总部", "财政部", "医保局"]
    found = refs("做好。(人力资源社会保障部、医保局、各省级人民政府负责)", None)
    assert [a.canonical_name for a in found] == ["人力资源社会保障部", "医保局", "各省级人民政府"]
    assert [a.level for a in found] == ["national", "national", "provincial"]
    assert [a.id for a in found] == [f"cn-u-{sha1_10(a.canonical_name)}" for a in found]
    assert [a.jurisdiction for a in found] == [None, None, None]


def test_places_and_default_level() -> None:
    found = refs(
        "做好。(发展改革委、合肥海关、国家统计局济宁调查队负责)", None, default_level="national"
    )
    assert [(a.function and a.function.id) for a in found] == [
        "development-reform",
        "customs",
        "statistics",
    ]
    assert found[0].level == "national"  # the document's level: the name states none


def test_provincial_prefix_inherited() -> None:
    found = refs("做好。(省财政厅、人力资源社会保障厅负责)", "山东省")
    assert [a.canonical_name for a in found] == ["山东省财政厅", "山东省人力资源社会保障厅"]
    assert [a.level for a in found] == ["provincial", "provincial"]


def test_traditional_names_resolve_to_the_simplified_function() -> None:
    found = refs("做好。(牽頭單位:市財政局;配合單位:市人社局)", "青岛市")
    assert [(a.name, a.role) for a in found] == [("市財政局", "lead"), ("市人社局", "support")]
    assert found[0].function is not None and found[0].function.id == "finance"
    assert found[0].level == "city"


def test_names_with_their_own_level_word_never_inherit() -> None:
    # 团市委 states its level (市) inside the name: no 市团市委, registered or not
    units = [Unit("市工商联", 0, 1, "shared"), Unit("团市委", 0, 1, "shared")]
    assert effective_names(units, "滨州") == ["市工商联", "团市委"]
