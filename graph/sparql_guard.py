"""Inspect a SPARQL request before it runs, so a public endpoint can refuse what it must.

The check walks rdflib's *parse tree* (not the text), so a ``SERVICE`` hidden in a comment or a
string literal is not mistaken for one, and a real one cannot be disguised by spacing or case.
The store executes queries with its own parser afterwards; this module only decides whether a
query may run and how (its form, whether it names its own dataset with FROM/FROM NAMED).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ontology.errors import QueryRefused, QuerySyntaxError

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

_FORMS: dict[str, QueryForm] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}

#: Longest query text accepted (characters); longer requests are refused before parsing.
MAX_QUERY_CHARS = 100_000


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about an accepted query."""

    form: QueryForm
    has_dataset: bool  # FROM / FROM NAMED present: the query chooses its own graphs


def _walk(node: Any) -> Any:
    """Yield every node of an rdflib parse tree (CompValues, lists, ParseResults)."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


@lru_cache(maxsize=2048)
def inspect_query(text: str) -> QueryShape:
    """Classify ``text`` or raise QueryRefused / QuerySyntaxError (cached: parsing is slow)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        if _is_update(text):
            raise QueryRefused(
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not allowed: "
                "this endpoint is read-only"
            ) from None
        near = exc.line[max(0, exc.col - 30) : exc.col + 30].strip()
        raise QuerySyntaxError(
            f"line {exc.lineno}, column {exc.col}: {exc.msg} (near {near!r})"
        ) from None
    query = parsed[1]
    form = _FORMS.get(getattr(query, "name", ""))
    if form is None:
        raise QuerySyntaxError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    for node in _walk(query):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefused(
                "SERVICE (federated query) is not allowed: this endpoint never contacts "
                "other servers"
            )
    return QueryShape(form=form, has_dataset="datasetClause" in query)
