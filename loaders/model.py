"""The typed result of extracting one policy document.

This is the contract between ``loaders/`` and ``graph/``. Every extracted fact carries a
:class:`Span`: character offsets into :attr:`Extraction.source_text` (the decoded, *not*
normalised, text of the file), so a reader can always see the words that state it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["lead", "support", "shared", "sole"]
ROLES: tuple[Role, ...] = ("lead", "support", "shared", "sole")
#: Level of government an agency belongs to, from its name or the document's issuer.
Level = Literal["national", "provincial", "city", "county", "district"]
LEVELS: tuple[Level, ...] = ("national", "provincial", "city", "county", "district")
#: Why a measure names no agency: the document has no clause for it, or the loader saw a
#: clause-like text it could not read (then the diagnostics quote it).
NoAgencies = Literal["no_clause", "clause_unparsed"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Model):
    """Half-open ``[start, end)`` character offsets into the original decoded text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class FunctionRef(_Model):
    """A government function of ontology/vocab/functions.ttl (人力资源社会保障, 财政 ...)."""

    id: str
    label: str


class AgencyRef(_Model):
    name: str  # as written in the document
    id: str  # registry id, or a derived slug for an unregistered agency
    canonical_name: str
    kind: str  # government_department | party_organ | peoples_organisation | ...
    jurisdiction: str | None  # e.g. 济南市
    registered: bool
    role: Role
    rank: int = Field(ge=1)  # 1-based position in the responsibility clause
    span: Span
    function: FunctionRef | None = None  # None when the name says no known function
    level: Level | None = None


class TargetGroupRef(_Model):
    name: str  # as written
    id: str  # SKOS concept id from ontology/vocab/target_groups.ttl
    label: str  # preferred label of the concept
    broader: tuple[str, ...] = ()  # ids of the directly broader concepts
    span: Span


class ProgramRef(_Model):
    name: str  # as written, without quotes
    id: str  # stable slug (shared across documents)
    type: str  # plan | action | campaign | platform | pilot | model | brand | project | ...
    span: Span


class Chapter(_Model):
    ordinal: int = Field(ge=1)
    title: str
    span: Span


class ClauseRef(_Model):
    """One responsibility clause of a measure as written, with what is not a unit in it."""

    text: str
    span: Span
    notes: tuple[str, ...] = ()  # 不再做分工 ..., kept as written, never agencies
    rule: str | None = None  # a lead rule stated here (列第一位者为牵头单位，下同)


class Measure(_Model):
    id: str  # f"{document.id}/measure/{ordinal}"
    ordinal: int = Field(ge=1)  # 1-based across the whole document
    chapter: int = Field(ge=1)  # the chapter's ordinal
    title: str  # the first sentence, without its final 。
    text: str  # full text of the measure including the responsibility clause
    span: Span
    responsibility_text: str | None = None  # the clause as written, None when absent
    agencies: tuple[AgencyRef, ...] = ()
    target_groups: tuple[TargetGroupRef, ...] = ()
    programs: tuple[ProgramRef, ...] = ()
    no_agencies: NoAgencies | None = None  # set exactly when ``agencies`` is empty
    clauses: tuple[ClauseRef, ...] = ()  # every clause, in order (the union gives agencies)
    deadline: str | None = None  # a time limit as written (2025年底前, 持续推进)
    leaders: tuple[str, ...] = ()  # people named as responsible (牵头负责领导：...)
    section: int | None = None  # ordinal of the section, where chapters have sections


CitationRelation = Literal["implements", "repeals", "replaces", "cites"]


class Citation(_Model):
    """A reference the document makes to another document (《title》（doc number））."""

    title: str | None = None  # without 《》, as written
    doc_number: str | None = None  # 发文字号 as written (国发〔2017〕28号)
    relation: CitationRelation = "cites"
    span: Span | None = None


class DocumentMeta(_Model):
    id: str  # stable slug, e.g. jinan-2025-5
    title: str
    doc_number: str | None = None  # 发文字号
    issuer: str | None = None  # 发文机关
    publisher: str | None = None  # 发布机构
    index_number: str | None = None  # 索引号
    written_date: date | None = None  # 成文日期
    published_date: date | None = None  # 发布日期
    effective_date: date | None = None
    addressees: tuple[str, ...] = ()  # 主送
    contact_unit: str | None = None
    contact_phone: str | None = None
    measures_title: str | None = None  # 《…若干措施》
    jurisdiction: str | None = None  # 济南市
    source_name: str  # file name the text came from
    cites: tuple[Citation, ...] = ()  # references to other documents, in document order


class Diagnostic(_Model):
    """Something the loader was unsure of, for the researcher to judge (never silent)."""

    kind: str  # clause_unparsed | not_a_unit | numbering_gap | numbering_jump |
    # framework_skipped | lead_rule | no_clauses | ...
    message: str  # one readable sentence, quoting the text concerned
    measure: int | None = None  # ordinal of the measure concerned, if any
    span: Span | None = None


class Extraction(_Model):
    document: DocumentMeta
    chapters: tuple[Chapter, ...]
    measures: tuple[Measure, ...]
    source_text: str
    sections: tuple[Chapter, ...] = ()  # a second heading level between chapters and measures
    diagnostics: tuple[Diagnostic, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON interface of ``policykg extract`` (dates ISO, no source text)."""
        return self.model_dump(mode="json", exclude={"source_text"})
