"""What one view may cost, checked before the work: the parameters that need no graph (checked
before the network is read), and how many nodes a view may draw."""

from __future__ import annotations

from ontology.errors import InvalidParameter

KINDS: tuple[str, ...] = ("accountability", "coresponsibility", "groups", "ego")

#: Most measures (or agencies, in the co-responsibility view) one view draws: no browser lays
#: out a 25,000-measure corpus, and making that page costs the server seconds. Above it the
#: view is refused (422) with a hint to narrow it.
VIEW_LIMIT = 2_000


def check_parameters(kind: str, agency: str | None, measure: str | None) -> None:
    """Refuse what is wrong whatever the graph holds (InvalidParameter, 422)."""
    if kind not in KINDS:
        raise InvalidParameter(f"view kind {kind!r} is not one of {', '.join(KINDS)}")
    if kind == "ego" and (agency is None) == (measure is None):
        raise InvalidParameter("ego view: give exactly one of agency or measure")


def bounded(nodes: list[str], what: str) -> list[str]:
    """``nodes`` when a view may draw them all, else InvalidParameter (422) saying so."""
    if len(nodes) > VIEW_LIMIT:
        raise InvalidParameter(
            f"view: the selection has {len(nodes)} {what}; a view draws at most {VIEW_LIMIT} "
            "(narrow it with document, chapter, agency or group)"
        )
    return nodes
