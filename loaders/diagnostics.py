"""What the loader was unsure of, as :class:`loaders.model.Diagnostic` records.

Nothing is silent: every structural decision (framework items skipped, numbering gaps,
jumps and restarts, headings without measures), every clause the parser could not read,
every name that does not look like a unit, every lead rule applied, and a document
without any clause produce one record here, each quoting the text concerned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from loaders.model import Diagnostic, Extraction
from loaders.normalise import NormText
from loaders.structure import Note

#: Kinds in the order a report lists them, each with a short heading.
KINDS: dict[str, str] = {
    "no_clauses": "document names no responsible units",
    "clause_unparsed": "clause-like text not read",
    "not_a_unit": "names that do not look like units",
    "lead_rule": "lead rules applied",
    "framework_skipped": "framework items skipped",
    "heading_without_measures": "headings without measures",
    "numbering_gap": "numbering gaps",
    "numbering_jump": "numbering jumps",
    "numbering_restart": "numbering restarts",
}


def from_notes(norm: NormText, notes: Iterable[Note]) -> list[Diagnostic]:
    """Structure notes (offsets into the normalised text) as diagnostics."""
    return [
        Diagnostic(kind=n.kind, message=n.message, span=norm.span(n.start, n.end)) for n in notes
    ]


def no_clauses(measures: int) -> Diagnostic:
    """The one record of a document without any responsibility clause."""
    return Diagnostic(
        kind="no_clauses",
        message=(
            f"the document has no responsibility clause: its {measures} measures name no "
            "responsible unit (no_agencies = no_clause)"
        ),
    )


def measure_diagnostic(
    kind: str, message: str, measure: int, norm: NormText, start: int, end: int
) -> Diagnostic:
    return Diagnostic(kind=kind, message=message, measure=measure, span=norm.span(start, end))


def counts(extraction: Extraction) -> Counter[str]:
    """How many diagnostics of each kind (for one summary line per document)."""
    return Counter(d.kind for d in extraction.diagnostics)


def summary(extraction: Extraction) -> str:
    """One line: measures, responsibilities, leads and the diagnostics by kind."""
    measures = extraction.measures
    responsibilities = sum(len(m.agencies) for m in measures)
    leads = sum(1 for m in measures for a in m.agencies if a.role == "lead")
    unassigned = sum(1 for m in measures if not m.agencies)
    found = counts(extraction)
    unsure = ", ".join(f"{found[k]} {k}" for k in KINDS if found.get(k)) or "nothing"
    return (
        f"{len(measures)} measures, {responsibilities} responsibilities, {leads} leads, "
        f"{unassigned} without agencies; unsure: {unsure}"
    )


def report(extraction: Extraction) -> str:
    """A readable per-document report of what the loader was unsure of."""
    doc = extraction.document
    lines = [
        f"{doc.source_name}: {doc.title}" + (f" ({doc.doc_number})" if doc.doc_number else ""),
        f"  id {doc.id}; " + summary(extraction),
    ]
    why = Counter(m.no_agencies for m in extraction.measures if m.no_agencies)
    if why:
        lines.append(
            "  measures without agencies: "
            + ", ".join(f"{n} {reason}" for reason, n in sorted(why.items()))
        )
    by_kind: dict[str, list[Diagnostic]] = {}
    for diagnostic in extraction.diagnostics:
        by_kind.setdefault(diagnostic.kind, []).append(diagnostic)
    for kind in [*KINDS, *sorted(set(by_kind) - set(KINDS))]:
        found = by_kind.get(kind)
        if not found:
            continue
        lines.append(f"  {KINDS.get(kind, kind)} ({len(found)}):")
        for diagnostic in found:
            where = f"measure {diagnostic.measure}: " if diagnostic.measure else ""
            lines.append(f"    - {where}{diagnostic.message}")
    if not extraction.diagnostics:
        lines.append("  nothing to report")
    return "\n".join(lines)
