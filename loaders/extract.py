"""Orchestration: decoded text → normalised text → structure, metadata, facts → Extraction."""

from __future__ import annotations

import re
from pathlib import Path

from loaders.agencies import expand, infer_kind, lookup, unregistered_id
from loaders.decode import decode, is_html
from loaders.groups import find_groups
from loaders.html_text import visible_text
from loaders.ids import document_id
from loaders.metadata import Meta, read_meta
from loaders.model import (
    AgencyRef,
    Chapter,
    DocumentMeta,
    Extraction,
    Measure,
    ProgramRef,
    TargetGroupRef,
)
from loaders.normalise import NormText, normalise
from loaders.programs import find_programs
from loaders.responsibility import find_clause
from loaders.structure import RawMeasure, Structure, find_structure, split_lines
from ontology.errors import LoaderError

_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")


_WIDE = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》、。]"
_WIDE_GAP = re.compile(rf"(?<={_WIDE})\s+(?={_WIDE})|(?<=[,.;:!?()])\s+(?={_WIDE})")


def _join(fragment: str) -> str:
    """One-line text: breaks and spaces between Chinese characters carry no meaning."""
    joined = _WIDE_GAP.sub("", fragment)
    return re.sub(r"\s*\n\s*", "", joined).strip()


def _title(text: str) -> str:
    first = re.split(r"[。\n]", text, maxsplit=1)[0]
    return first.rstrip(":;, ").strip()


def _agencies(
    norm: NormText, raw: RawMeasure, meta: Meta
) -> tuple[str | None, tuple[AgencyRef, ...], int]:
    text = norm.text
    clause = find_clause(text, raw.start, raw.end)
    if clause is None:
        return None, (), raw.end
    refs = []
    for rank, item in enumerate(clause.agencies, start=1):
        entry = lookup(item.name, meta.jurisdiction)
        span = norm.span(item.start, item.end)
        if entry is not None:
            refs.append(
                AgencyRef(
                    name=item.name,
                    id=entry.id,
                    canonical_name=entry.name,
                    kind=entry.kind,
                    jurisdiction=entry.jurisdiction,
                    registered=True,
                    role=item.role,
                    rank=rank,
                    span=span,
                )
            )
            continue
        canonical = expand(item.name, meta.jurisdiction)
        refs.append(
            AgencyRef(
                name=item.name,
                id=unregistered_id(canonical, meta.jurisdiction),
                canonical_name=canonical,
                kind=infer_kind(canonical),
                jurisdiction=meta.jurisdiction,
                registered=False,
                role=item.role,
                rank=rank,
                span=span,
            )
        )
    return _join(clause.text), tuple(refs), clause.start


def _measure(norm: NormText, raw: RawMeasure, ordinal: int, doc_id: str, meta: Meta) -> Measure:
    text = norm.text
    body = _join(text[raw.start : raw.end])
    clause_text, agencies, body_end = _agencies(norm, raw, meta)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, raw.start, body_end)]
    programs = find_programs(text, raw.start, body_end)
    group_hits = find_groups(text, raw.start, body_end, quoted)
    return Measure(
        id=f"{doc_id}/measure/{ordinal}",
        ordinal=ordinal,
        chapter=raw.chapter,
        title=_title(text[raw.start : raw.end]),
        text=body,
        span=norm.span(raw.start, raw.end),
        responsibility_text=clause_text,
        agencies=agencies,
        target_groups=tuple(
            TargetGroupRef(
                name=h.name,
                id=h.entry.id,
                label=h.entry.label,
                broader=h.entry.broader,
                span=norm.span(h.start, h.end),
            )
            for h in group_hits
        ),
        programs=tuple(
            ProgramRef(name=p.name, id=p.id, type=p.type, span=norm.span(p.start, p.end))
            for p in programs
        ),
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


def extract_text(source_text: str, source_name: str) -> Extraction:
    """Extract a document from its decoded (visible) text."""
    norm = normalise(source_text)
    lines = split_lines(norm.text)
    structure = find_structure(lines)
    if not structure.measures:
        raise LoaderError(
            f"{source_name}: no recognisable measures (expected numbered items such as "
            "（一）, 1., （1） or 第一条)"
        )
    meta = read_meta(norm.text, lines)
    title = meta.title or meta.measures_title or lines[0].text[:80]
    doc_id = document_id(meta.doc_number, meta.jurisdiction, title)
    measures = tuple(
        _measure(norm, raw, ordinal, doc_id, meta)
        for ordinal, raw in enumerate(structure.measures, start=1)
    )
    document = DocumentMeta(
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
    return Extraction(
        document=document,
        chapters=_chapters(norm, structure, meta),
        measures=measures,
        source_text=source_text,
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
