"""A small hand-made extraction shared by the RDF tests (2 chapters, 2 measures).

Hand count of its triples with :data:`SAMPLE_GROUPS` (see ``test_rdf_mapping``): document 16,
chapters 2×7, measure 1 = 9 + 2×9 responsibilities + 2×8 mentions = 43, measure 2 = 9 + 9 + 8
= 26, agencies 2×8, groups 5 + 4 + 4, program 3 → 131.

What a store keeps of it (README "RDF mapping"): the document graph, 131 − 16 (agencies)
− 13 (groups) − 3 (program) = 99 triples; the shared graph, jinan-fgw (unknown to
ontology/vocab/agencies.ttl, 8 triples) and the program quan-jiuye (3) = 11; jinan-hrss and
the three groups are described by the vocabulary graphs only.
"""

from __future__ import annotations

from datetime import date

from graph.rdf.mapping import GroupVocabulary
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

# +1 each since the document carries eli:id_local, its 发文字号 in one spelling (citations)
SAMPLE_TRIPLES = 132
SAMPLE_DOCUMENT_TRIPLES = 100
SAMPLE_SHARED_TRIPLES = 11

SOURCE = (
    "济南市促进就业的若干措施\n"
    "一、支持青年就业\n"
    "(一)扩大高校毕业生就业。打造“泉就业”品牌。"
    "(责任单位:市人力资源社会保障局牵头,市发展改革委配合)\n"
    "二、帮扶困难群体\n"
    "(二)兜底帮扶就业困难人员。(责任单位:市人力资源社会保障局)\n"
)

SAMPLE_GROUPS = GroupVocabulary(
    labels={"college-graduates": "高校毕业生", "youth": "青年", "hard-to-employ": "就业困难人员"},
    broader={"college-graduates": ("youth",)},
)


def span_of(text: str, occurrence: int = 1, source: str = SOURCE) -> Span:
    """Span of the n-th occurrence of ``text`` in the source (hand-checkable offsets)."""
    start = -1
    for _ in range(occurrence):
        start = source.index(text, start + 1)
    return Span(start=start, end=start + len(text))


def hrss(role: str, rank: int, occurrence: int) -> AgencyRef:
    return AgencyRef(
        name="市人力资源社会保障局",
        id="jinan-hrss",
        canonical_name="济南市人力资源和社会保障局",
        kind="government_department",
        jurisdiction="济南市",
        registered=True,
        role=role,  # type: ignore[arg-type]
        rank=rank,
        span=span_of("市人力资源社会保障局", occurrence),
    )


def sample_extraction(doc_id: str = "jinan-2025-5", title: str | None = None) -> Extraction:
    m1_text = SOURCE[span_of("(一)").start : span_of("配合)").end]
    m2_text = SOURCE[span_of("(二)").start : span_of("保障局)").end]
    measures = (
        Measure(
            id=f"{doc_id}/measure/1",
            ordinal=1,
            chapter=1,
            title="扩大高校毕业生就业",
            text=m1_text,
            span=span_of(m1_text),
            responsibility_text="市人力资源社会保障局牵头,市发展改革委配合",
            agencies=(
                hrss("lead", 1, 1),
                AgencyRef(
                    name="市发展改革委",
                    id="jinan-fgw",
                    canonical_name="济南市发展和改革委员会",
                    kind="government_department",
                    jurisdiction="济南市",
                    registered=True,
                    role="support",
                    rank=2,
                    span=span_of("市发展改革委"),
                ),
            ),
            target_groups=(
                TargetGroupRef(
                    name="高校毕业生",
                    id="college-graduates",
                    label="高校毕业生",
                    broader=("youth",),
                    span=span_of("高校毕业生"),
                ),
            ),
            programs=(
                ProgramRef(name="泉就业", id="quan-jiuye", type="brand", span=span_of("泉就业")),
            ),
        ),
        Measure(
            id=f"{doc_id}/measure/2",
            ordinal=2,
            chapter=2,
            title="兜底帮扶就业困难人员",
            text=m2_text,
            span=span_of(m2_text),
            responsibility_text="市人力资源社会保障局",
            agencies=(hrss("sole", 1, 2),),
            target_groups=(
                TargetGroupRef(
                    name="就业困难人员",
                    id="hard-to-employ",
                    label="就业困难人员",
                    span=span_of("就业困难人员"),
                ),
            ),
        ),
    )
    return Extraction(
        document=DocumentMeta(
            id=doc_id,
            title=title or "济南市人民政府关于印发济南市促进就业的若干措施的通知",
            doc_number="济政发〔2025〕5号",
            issuer="济南市人民政府",
            publisher="济南市人民政府办公厅",
            index_number="1137010000418859XL/2025-00907",
            written_date=date(2025, 6, 21),
            published_date=date(2025, 7, 9),
            addressees=("各区县人民政府", "市政府各部门(单位)"),
            contact_unit="市人力资源社会保障局就业促进与失业保险处",
            contact_phone="51705964",
            measures_title="济南市促进就业的若干措施",
            jurisdiction="济南市",
            source_name="sample.txt",
        ),
        chapters=(
            Chapter(ordinal=1, title="支持青年就业", span=span_of("一、支持青年就业")),
            Chapter(ordinal=2, title="帮扶困难群体", span=span_of("二、帮扶困难群体")),
        ),
        measures=measures,
        source_text=SOURCE,
    )


def test_sample_spans_point_at_their_words() -> None:
    ex = sample_extraction()
    ag = ex.measures[1].agencies[0]
    assert SOURCE[ag.span.start : ag.span.end] == "市人力资源社会保障局"
    assert ag.span.start > ex.measures[0].agencies[0].span.start
    assert SOURCE[ex.measures[0].span.start : ex.measures[0].span.end].startswith("(一)扩大")
