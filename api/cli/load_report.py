"""What `policykg load` prints: a line per document worth a look, the table with --verbose,
and one summary line (issue 10 point 7, issue 12 "nothing silent").

Text from documents is printed with markup disabled, so a file name or title can never
inject rich markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graph import pipeline

#: Document lines printed without --verbose (the ones with diagnostics, then a count).
LINES_SHOWN = 50
#: Replacements named in the summary line.
REPLACED_NAMED = 3


def document_line(outcome: pipeline.Outcome) -> str:
    """One line of what the loader found in a document and how far to trust it."""
    if outcome.status == "failed":
        return f"failed {outcome.source}: {outcome.reason or ''}"
    parts = [
        f"{outcome.measures} measures",
        f"{outcome.responsibilities} responsibilities",
        f"{outcome.diagnostics} diagnostics",
        f"{outcome.no_agencies} measures with no agencies",
    ]
    head = f"{outcome.doc_id} ({outcome.source}) {outcome.status}"
    if outcome.stores:
        head += " (" + ", ".join(outcome.stores) + ")"
    if outcome.replaced:
        head += f", same id as {outcome.replaced}"
    return f"{head}: " + ", ".join(parts)


def worth_a_look(outcome: pipeline.Outcome) -> bool:
    return outcome.status == "replaced" or bool(outcome.diagnostics or outcome.no_agencies)


def print_documents(console: Console, report: pipeline.LoadReport, verbose: bool) -> None:
    """Per-document lines: every document when there are few or with ``verbose``, else the
    ones worth a look (a 1,000-file load does not print 1,000 lines)."""
    documents = [o for o in report.outcomes if o.status != "failed"]
    every = verbose or len(documents) <= LINES_SHOWN
    shown = [o for o in documents if every or worth_a_look(o)]
    limit = len(shown) if verbose else LINES_SHOWN
    for outcome in shown[:limit]:
        console.print(document_line(outcome), markup=False, highlight=False)
    if len(shown) > limit:
        console.print(
            f"… and {len(shown) - limit} more documents with diagnostics (--verbose lists all)",
            markup=False,
        )


def print_table(console: Console, report: pipeline.LoadReport) -> None:
    table = Table(title="policykg load")
    for column in ("document", "file", "measures", "diagnostics", "no agencies", "status"):
        table.add_column(column)
    for outcome in report.outcomes:
        status: str = outcome.status
        if outcome.stores:
            status += " (" + ", ".join(outcome.stores) + ")"
        if outcome.replaced:
            status += f", same id as {outcome.replaced}"
        elif outcome.status == "failed":
            status = f"failed: {outcome.reason}"
        table.add_row(
            escape(outcome.doc_id or "—"),
            escape(outcome.source),
            str(outcome.measures),
            str(outcome.diagnostics),
            str(outcome.no_agencies),
            escape(status),
        )
    console.print(table)


def summary(report: pipeline.LoadReport, stores: str, dry_run: bool = False) -> list[str]:
    """The summary lines: counts by status (replacements named), then diagnostics totals."""
    replaced = [o for o in report.outcomes if o.status == "replaced"]
    verb = "would load" if dry_run else "loaded"
    first = f"{verb} {report.count('loaded')}, replaced {len(replaced)}"
    if replaced:
        named = ", ".join(f"{o.replaced} → {o.source}" for o in replaced[:REPLACED_NAMED])
        extra = len(replaced) - REPLACED_NAMED
        more = f", … {extra} more" if extra > 0 else ""
        first += f" (same id as an earlier file: {named}{more})"
    first += f", unchanged {report.count('unchanged')}, failed {report.count('failed')}"
    first += f" ({stores}{', nothing written' if dry_run else ''})"
    # totals over the documents the load leaves (a replaced one counts once, as replaced)
    last = {o.doc_id: o for o in report.outcomes if o.status != "failed"}
    documents = list(last.values())
    with_diag = [o for o in documents if o.diagnostics]
    with_none = [o for o in documents if o.no_agencies]
    second = (
        f"diagnostics: {sum(o.diagnostics for o in documents)} in {len(with_diag)} documents; "
        f"{sum(o.no_agencies for o in documents)} measures with no agencies in "
        f"{len(with_none)} documents; "
        f"{sum(o.responsibilities for o in documents)} responsibilities in "
        f"{sum(o.measures for o in documents)} measures"
    )
    return [first, second]
