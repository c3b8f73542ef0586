"""Orchestration: decoded text → normalised text → structure, metadata, facts → Extraction.

Two normalisations of the same text: the plain one for the metadata (labels and values as
the page lays them out) and the compact one (:func:`loaders.normalise.normalise` with
``compact``) for structure, clauses and measures; rules read its simplified form, every
name and text is cut from what the document wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders.citations import find_citations
from loaders.clauses import LeadRules
from loaders.decode import decode, is_html
from loaders.diagnostics import from_notes, no_clauses
from loaders.groups import find_groups
from loaders.html_text import visible_text
from loaders.ids import document_id
from loaders.measure_facts import Facts, clause_lines, measure_facts
from loaders.metadata import Meta, read_meta
from loaders.model import Chapter, Diagnostic, DocumentMeta, Extraction, Measure
from loaders.normalise import NormText, compacted, normalise
from loaders.programs import find_programs
from loaders.structure import RawMeasure, Structure, find_structure, split_lines
from loaders.text_utils import join_wide
from ontology.errors import LoaderError

#: A chapter led by a person (张三县长牵头重点工作): the person leads its measures.
_CHAPTER_LEADER = re.compile(
    r"^([\u4e00-\u9fff]{2,4}?(?:常务副|副)?(?:省长|市长|县长|区长|书记|主任|旗长|州长))"
    r"(?:同志)?牵头(?:负责|推进|抓总)?的?"
)
_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
_TITLE_END = re.compile(r"[。\n]")


def _title(text: str, start: int, end: int) -> str:
    """The measure's first sentence (up to its clause, when the clause comes first)."""
    cut = _TITLE_END.search(text, start, end)
    first = text[start : cut.start() if cut else end]
    return first.rstrip(":;, ").strip()


def _leaders(stated: tuple[str, ...], chapter_title: str) -> tuple[str, ...]:
    """People leading the measure: its clauses' and its chapter's (a person is no agency)."""
    match = _CHAPTER_LEADER.match(chapter_title)
    if match is None or match.group(1) in stated:
        return stated
    return (match.group(1), *stated)


def _measure(
    norm: NormText,
    raw: RawMeasure,
    ordinal: int,
    doc_id: str,
    facts: Facts,
    chapter_title: str = "",
) -> Measure:
    text = norm.text
    match = norm.match
    body_end = facts.body_end
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(match, raw.start, body_end)]
    programs = find_programs(match, raw.start, body_end)
    group_hits = find_groups(match, raw.start, body_end, [*quoted, *facts.excluded])
    title_end = facts.title_end if facts.title_end is not None else raw.end
    # one validation for the measure and everything in it (nested dicts): a measure holds a
    # dozen references, and a pydantic call per reference was a tenth of the extraction
    return Measure.model_validate(
        {
            "id": f"{doc_id}/measure/{ordinal}",
            "ordinal": ordinal,
            "chapter": raw.chapter,
            "title": _title(text, raw.start, title_end),
            "text": join_wide(text[raw.start : raw.end]),
            "span": norm.span(raw.start, raw.end),
            "responsibility_text": facts.responsibility_text,
            "agencies": facts.agencies,
            "target_groups": tuple(
                {
                    "name": text[h.start : h.end],
                    "id": h.entry.id,
                    "label": h.entry.label,
                    "broader": h.entry.broader,
                    "span": norm.span(h.start, h.end),
                }
                for h in group_hits
            ),
            "programs": tuple(
                {
                    "name": text[p.start : p.end],
                    "id": p.id,
                    "type": p.type,
                    "span": norm.span(p.start, p.end),
                }
                for p in programs
            ),
            "no_agencies": None if facts.agencies else facts.no_agencies,
            "clauses": facts.clauses,
            "deadline": facts.deadline,
            "leaders": _leaders(facts.leaders, chapter_title),
            "section": raw.section,
        }
    )


def _chapters(norm: NormText, structure: Structure, meta: Meta) -> tuple[Chapter, ...]:
    if structure.chapters:
        return tuple(
            Chapter(ordinal=c.ordinal, title=c.title, span=norm.span(c.start, c.end))
            for c in structure.chapters
        )
    first, last = structure.measures[0], structure.measures[-1]
    title = meta.measures_title or meta.title or ""
    return (Chapter(ordinal=1, title=title, span=norm.span(first.start, last.end)),)


def _document(meta: Meta, doc_id: str, title: str, source_name: str) -> DocumentMeta:
    return DocumentMeta(
        id=doc_id,
        title=title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        publisher=meta.publisher,
        index_number=meta.index_number,
        written_date=meta.written_date,
        published_date=meta.published_date,
        effective_date=meta.effective_date,
        addressees=meta.addressees,
        contact_unit=meta.contact_unit,
        contact_phone=meta.contact_phone,
        measures_title=meta.measures_title,
        jurisdiction=meta.jurisdiction,
        source_name=source_name,
    )


def extract_text(source_text: str, source_name: str) -> Extraction:
    """Extract a document from its decoded (visible) text."""
    plain = normalise(source_text)
    norm = compacted(plain)
    lines = split_lines(norm.match)
    structure = find_structure(lines, norm.text, clause_lines(norm, lines))
    if not structure.measures:
        raise LoaderError(
            f"{source_name}: no recognisable measures (expected numbered items such as "
            "（一）, 1., （1） or 第一条)"
        )
    # the compact lines serve the metadata too (titles, signature, 主送); only for traditional
    # text, whose lines are simplified, the plain lines are split again
    meta = read_meta(plain.text, lines if norm.simplified is None else split_lines(plain.text))
    title = meta.title or meta.measures_title or lines[0].text[:80]
    doc_id = document_id(meta.doc_number, meta.jurisdiction, title)
    diagnostics: list[Diagnostic] = from_notes(norm, structure.notes)
    measures = []
    titles = {c.ordinal: c.title for c in structure.chapters}
    rules = LeadRules()
    for ordinal, raw in enumerate(structure.measures, start=1):
        facts = measure_facts(norm, raw, ordinal, meta, rules)
        diagnostics.extend(facts.diagnostics)
        chapter = titles.get(raw.chapter, "")
        measures.append(_measure(norm, raw, ordinal, doc_id, facts, chapter))
    if not any(m.clauses or m.responsibility_text for m in measures):
        diagnostics.insert(0, no_clauses(len(measures)))
    return Extraction(
        document=_document(meta, doc_id, title, source_name).model_copy(
            update={"cites": find_citations(plain, meta.doc_number, title)}
        ),
        chapters=_chapters(norm, structure, meta),
        measures=tuple(measures),
        source_text=source_text,
        sections=tuple(
            Chapter(ordinal=s.ordinal, title=s.title, span=norm.span(s.start, s.end))
            for s in structure.sections
        ),
        diagnostics=tuple(diagnostics),
    )


def extract_bytes(data: bytes, source_name: str, media_type: str | None = None) -> Extraction:
    """Extract a document from raw bytes (plain text or a saved web page)."""
    text = decode(data, source_name)
    if is_html(text, source_name, media_type):
        text = visible_text(text)
    return extract_text(text, source_name)


def extract_file(path: Path) -> Extraction:
    """Extract a document file; unreadable files raise :class:`LoaderError`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LoaderError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    return extract_bytes(data, Path(path).name)
