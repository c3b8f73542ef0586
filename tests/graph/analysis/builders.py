"""Hand-made extractions for the coordination analysis and view tests (no loader needed).

The small document (5 agencies, 6 measures) is checked by hand in tests/graph/analysis/test_*.py:

    m1 ch1  A lead, B support        groups: g-grads        programs: p-plan
    m2 ch1  A, B, C shared           groups: g-youth        programs: p-plan
    m3 ch1  C sole                   groups: g-women
    m4 ch2  A lead, D support        groups: g-elder
    m5 ch2  D lead, E support                               programs: p-brand
    m6 ch2  A sole

g-grads is narrower than g-youth.
"""

from __future__ import annotations

from loaders.model import (
    AgencyRef,
    Chapter,
    DocumentMeta,
    Extraction,
    Measure,
    ProgramRef,
    Span,
    TargetGroupRef,
)
from ontology.iris import Iris

IRIS = Iris("http://example.org")
DOC = "testcity-2025-1"
S = Span(start=0, end=1)

AGENCIES = {
    "A": ("agency-a", "市甲局"),
    "B": ("agency-b", "市乙局"),
    "C": ("agency-c", "市丙局"),
    "D": ("agency-d", "市丁局"),
    "E": ("agency-e", "市戊局"),
}
GROUPS = {
    "g-youth": ("青年", ()),
    "g-grads": ("高校毕业生", ("g-youth",)),
    "g-women": ("妇女", ()),
    "g-elder": ("大龄人员", ()),
}
PROGRAMS = {"p-plan": ("青年见习计划", "plan"), "p-brand": ("泉就业", "brand")}

SMALL: list[tuple[int, int, str, list[tuple[str, str]], list[str], list[str]]] = [
    (1, 1, "促进青年就业", [("A", "lead"), ("B", "support")], ["g-grads"], ["p-plan"]),
    (2, 1, "共同推进见习", [("A", "shared"), ("B", "shared"), ("C", "shared")], ["g-youth"],
     ["p-plan"]),
    (3, 1, "支持妇女就业", [("C", "sole")], ["g-women"], []),
    (4, 2, "帮扶大龄人员", [("A", "lead"), ("D", "support")], ["g-elder"], []),
    (5, 2, "打造服务品牌", [("D", "lead"), ("E", "support")], [], ["p-brand"]),
    (6, 2, "完善统计监测", [("A", "sole")], [], []),
]  # fmt: skip


def agency(key: str, role: str, rank: int) -> AgencyRef:
    aid, name = AGENCIES[key]
    return AgencyRef(
        name=name, id=aid, canonical_name=name, kind="government_department",
        jurisdiction="测试市", registered=True, role=role, rank=rank, span=S,
    )  # fmt: skip


def make_extraction(
    spec: list[tuple[int, int, str, list[tuple[str, str]], list[str], list[str]]],
    doc_id: str = DOC,
    chapters: dict[int, str] | None = None,
) -> Extraction:
    chapter_titles = chapters or {1: "第一章 就业优先", 2: "第二章 重点群体"}
    measures = []
    for ordinal, chapter, title, agencies, groups, programs in spec:
        measures.append(
            Measure(
                id=f"{doc_id}/measure/{ordinal}",
                ordinal=ordinal,
                chapter=chapter,
                title=title,
                text=title + "。",
                span=S,
                agencies=tuple(agency(k, r, i) for i, (k, r) in enumerate(agencies, start=1)),
                target_groups=tuple(
                    TargetGroupRef(
                        name=GROUPS[g][0], id=g, label=GROUPS[g][0], broader=GROUPS[g][1], span=S
                    )
                    for g in groups
                ),
                programs=tuple(
                    ProgramRef(name=PROGRAMS[p][0], id=p, type=PROGRAMS[p][1], span=S)
                    for p in programs
                ),
            )
        )
    return Extraction(
        document=DocumentMeta(id=doc_id, title="测试市促进就业的若干措施", source_name="t.txt"),
        chapters=tuple(
            Chapter(ordinal=o, title=t, span=S) for o, t in sorted(chapter_titles.items())
        ),
        measures=tuple(measures),
        source_text="x",
    )


def small_extraction() -> Extraction:
    return make_extraction(SMALL)


def iri(key: str) -> str:
    """IRI of agency key 'A'..'E', measure 'm1'..'m6', or group/program id."""
    if key in AGENCIES:
        return str(IRIS.agency(AGENCIES[key][0]))
    if key.startswith("m") and key[1:].isdigit():
        return str(IRIS.measure(DOC, int(key[1:])))
    if key in GROUPS:
        return str(IRIS.target_group(key))
    return str(IRIS.program(key))
