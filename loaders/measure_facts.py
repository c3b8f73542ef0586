"""What a measure's responsibility clauses say: agencies, clauses, deadline, leaders, why none.

The clause reading itself lives in the clause package; this module places it on the
measure (offsets, spans, diagnostics) and keeps the per-document lead-rule state.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.agencies import expand, infer_kind, lookup, unregistered_id
from loaders.metadata import Meta
from loaders.model import AgencyRef, ClauseRef, Diagnostic, NoAgencies
from loaders.normalise import NormText
from loaders.responsibility import find_clause
from loaders.structure import Line, RawMeasure
from loaders.text_utils import join_wide


@dataclass(frozen=True)
class Facts:
    agencies: tuple[AgencyRef, ...] = ()
    responsibility_text: str | None = None
    clauses: tuple[ClauseRef, ...] = ()
    deadline: str | None = None
    leaders: tuple[str, ...] = ()
    no_agencies: NoAgencies = "no_clause"
    body_end: int = 0  # where the measure's own text ends (its first clause starts)
    title_end: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def clause_lines(norm: NormText, lines: list[Line]) -> list[int]:
    """Indices of the lines holding a responsibility clause."""
    return [k for k, line in enumerate(lines) if find_clause(line.text, 0, len(line.text))]


def measure_facts(
    norm: NormText, raw: RawMeasure, ordinal: int, meta: Meta, state: object
) -> tuple[Facts, object]:
    text = norm.text
    clause = find_clause(norm.match, raw.start, raw.end)
    if clause is None:
        return Facts(body_end=raw.end), state
    refs = []
    for rank, item in enumerate(clause.agencies, start=1):
        name = text[item.start : item.end]
        entry = lookup(item.name, meta.jurisdiction)
        span = norm.span(item.start, item.end)
        if entry is not None:
            refs.append(
                AgencyRef(
                    name=name,
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
                name=name,
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
    written = join_wide(text[clause.start : clause.end])
    return (
        Facts(
            agencies=tuple(refs),
            responsibility_text=written,
            body_end=clause.start,
            no_agencies="clause_unparsed",
        ),
        state,
    )
