"""The agency and target-group registries read from ontology/vocab Turtle."""

from __future__ import annotations

from loaders.agencies import expand, infer_kind, lookup
from ontology import registry


def test_agency_aliases_resolve_within_their_jurisdiction() -> None:
    hrss = lookup("市人社局", "济南市")
    assert hrss is not None
    assert hrss.id == "jinan-hrss"
    assert hrss.name == "济南市人力资源和社会保障局"
    assert lookup("市人力资源社会保障局", "济南市") == hrss
    assert lookup("济南市人力资源和社会保障局", None) == hrss
    assert lookup("市人社局", "青岛市") is None


def test_every_agency_has_kind_jurisdiction_and_unique_id() -> None:
    entries = registry.agencies()
    assert len({e.id for e in entries}) == len(entries)
    assert all(e.id.isascii() for e in entries)
    assert all(e.jurisdiction == "济南市" for e in entries)
    assert {e.kind for e in entries} >= {
        "government_department",
        "party_organ",
        "peoples_organisation",
        "central_bank_branch",
        "federation",
        "district_government",
    }


def test_group_vocabulary_broader_links() -> None:
    groups = {g.id: g for g in registry.groups()}
    assert groups["disabled-students"].broader == ("college-graduates", "disabled-persons")
    assert groups["unemployed-graduates"].broader == ("college-graduates",)
    assert groups["disadvantaged-family-graduates"].broader == ("college-graduates",)
    assert groups["college-graduates"].label == "高校毕业生"
    assert groups["college-graduates"].label_en == "college graduates"
    assert all(b in groups for g in groups.values() for b in g.broader)


def test_program_type_words() -> None:
    words = {t.id: t.words for t in registry.program_types()}
    assert "计划" in words["plan"]
    assert words["other"] == ()


def test_unregistered_agency_helpers() -> None:
    assert expand("市人社局", "青岛市") == "青岛市人社局"
    assert expand("市场监管局", "青岛市") == "市场监管局"
    assert expand("区人社局", "济南市历下区") == "济南市历下区人社局"
    assert infer_kind("青岛市委组织部") == "party_organ"
    assert infer_kind("各县(市、区)人民政府") == "district_government"
    assert infer_kind("青岛市总工会") == "peoples_organisation"
    assert infer_kind("青岛市财政局") == "government_department"
