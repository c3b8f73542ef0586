"""What a measure's responsibility clauses say: agencies, clauses, deadline, leaders, why none.

The clause reading itself lives in :mod:`loaders.clauses` (one grammar) and the unit →
agency step in :func:`loaders.agencies.agency_refs`; this module places their results on
the measure (spans, the measure's own text range, diagnostics) and carries the document's
lead-rule state from measure to measure.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from loaders.agencies import agency_rows
from loaders.clauses import Clause, LeadRules, Unit, clause_starts, find_clauses, merge_units
from loaders.clauses.units import is_collective, looks_like_unit
from loaders.diagnostics import measure_diagnostic
from loaders.metadata import Meta
from loaders.model import Diagnostic, Level, NoAgencies
from loaders.normalise import NormText, simplify
from loaders.structure import Line, RawMeasure
from loaders.text_utils import join_wide

#: The fields of a :class:`loaders.model.AgencyRef` or :class:`loaders.model.ClauseRef`:
#: ``loaders.extract`` validates them with their measure (one validation per measure).
Row = dict[str, Any]


@dataclass(frozen=True)
class Facts:
    agencies: tuple[Row, ...] = ()  # AgencyRef fields
    responsibility_text: str | None = None
    clauses: tuple[Row, ...] = ()  # ClauseRef fields
    deadline: str | None = None
    leaders: tuple[str, ...] = ()
    no_agencies: NoAgencies = "no_clause"
    body_end: int = 0  # where the measure's own text ends (a trailing clause starts)
    title_end: int | None = None  # a clause standing before the first full stop
    excluded: tuple[tuple[int, int], ...] = ()  # clauses inside the text (not its groups)
    diagnostics: tuple[Diagnostic, ...] = ()


def clause_lines(norm: NormText, lines: list[Line]) -> list[int]:
    """Indices of the lines holding a responsibility clause (read or clause-like)."""
    starts = [line.start for line in lines]
    found = clause_starts(norm.text, 0, len(norm.text))
    return sorted({bisect.bisect_right(starts, c) - 1 for c in found} - {-1})


_LEVELS: tuple[tuple[str, Level], ...] = (
    ("自治区", "provincial"),
    ("省", "provincial"),
    ("市", "city"),
    ("州", "city"),
    ("盟", "city"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "district"),
)


def document_level(meta: Meta) -> Level | None:
    """The level of the issuing government: units naming none are at this level."""
    if meta.jurisdiction is None:
        issuer = meta.issuer or ""
        return "national" if issuer.startswith(("国务院", "中共中央")) else None
    for suffix, level in _LEVELS:
        if meta.jurisdiction.endswith(suffix):
            return level
    return None


def _ref(norm: NormText, clause: Clause, text: str) -> Row:
    return {
        "text": text,
        "span": norm.span(clause.start, clause.end),
        "notes": clause.notes,
        "rule": clause.rule,
    }


def _unit_notes(units: tuple[Unit, ...], ordinal: int, norm: NormText) -> list[Diagnostic]:
    out = []
    for unit in units:
        if not looks_like_unit(unit.name) and not is_collective(unit.name):
            out.append(
                measure_diagnostic(
                    "not_a_unit",
                    f"“{unit.name}” is read as a unit but does not look like one",
                    ordinal,
                    norm,
                    unit.start,
                    unit.end,
                )
            )
    return out


def _agencies(norm: NormText, units: tuple[Unit, ...], meta: Meta) -> tuple[Row, ...]:
    """Agencies of the units; in traditional text looked up by their simplified names (the
    canonical name is simplified) and named as written."""
    level = document_level(meta)
    if norm.simplified is None:
        return tuple(agency_rows(units, meta.jurisdiction, norm.span, level))
    simple = tuple(u._replace(name=simplify(u.name)) for u in units)
    rows = agency_rows(simple, meta.jurisdiction, norm.span, level)
    return tuple({**r, "name": u.name} for r, u in zip(rows, units, strict=True))


def measure_facts(
    norm: NormText, raw: RawMeasure, ordinal: int, meta: Meta, rules: LeadRules
) -> Facts:
    """Clauses of the measure ``norm.text[raw.start:raw.end]``; ``rules`` is updated."""
    was_active = rules.active
    found = find_clauses(norm.text, raw.start, raw.end, rules)
    read = [c for c in found if not c.unparsed]
    diagnostics: list[Diagnostic] = []
    for clause in found:
        if clause.unparsed:
            diagnostics.append(
                measure_diagnostic(
                    "clause_unparsed",
                    f"clause-like text not read: “{join_wide(clause.text)}”",
                    ordinal,
                    norm,
                    clause.start,
                    clause.end,
                )
            )
        if clause.rule is not None or (rules.active and not was_active and clause is found[0]):
            rule = clause.rule or rules.text or ""
            diagnostics.append(
                measure_diagnostic(
                    "lead_rule",
                    f"lead rule “{rule}” stated here: from measure {ordinal} on, the first "
                    "unit of each clause leads and the others support",
                    ordinal,
                    norm,
                    *(clause.rule_span or (clause.start, clause.end)),
                )
            )
    if not found:
        return Facts(body_end=raw.end)
    units = merge_units(read)
    refs = _agencies(norm, units, meta)
    diagnostics.extend(_unit_notes(units, ordinal, norm))
    written = [join_wide(c.text) for c in read]
    last = found[-1]
    trailing = last.end >= raw.end or not norm.text[last.end : raw.end].strip(" 。;,.\n")
    body_end = last.start if trailing else raw.end
    first = found[0]
    stop = norm.text.find("。", raw.start, raw.end)
    return Facts(
        agencies=refs,
        responsibility_text=" ".join(written) or None,
        clauses=tuple(_ref(norm, c, w) for c, w in zip(read, written, strict=True)),
        deadline=next((c.deadline for c in read if c.deadline), None),
        leaders=tuple(dict.fromkeys(p for c in read for p in c.leaders)),
        no_agencies="clause_unparsed" if not refs and len(read) < len(found) else "no_clause",
        body_end=body_end,
        title_end=first.start if stop < 0 or first.start < stop else None,
        excluded=tuple((c.start, c.end) for c in found if c.end <= body_end),
        diagnostics=tuple(diagnostics),
    )
