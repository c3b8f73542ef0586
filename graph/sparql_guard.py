"""Inspect a SPARQL request before it runs, so a public endpoint can refuse what it must.

The check walks rdflib's *parse tree* (not the text), so a ``SERVICE`` hidden in a comment or a
string literal is not mistaken for one, and a real one cannot be disguised by spacing or case.
The store executes queries with its own parser afterwards; this module only decides whether a
query may run and how (its form, whether it names its own dataset with FROM/FROM NAMED).
"""

from __future__ import annotations

import re
import threading
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


# rdflib's pyparsing grammar keeps state while parsing: concurrent parses corrupt each other.
_PARSE_LOCK = threading.Lock()
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORM_WORDS = re.compile(r"\b(select|ask|construct|describe)\b")
#: Words whose presence sends a query to the full parse-tree check: SERVICE and FROM (what
#: the check is for) and the SPARQL Update verbs (so updates get their own clear refusal).
_NEEDS_PARSE = re.compile(
    r"service|from|insert|delete|load|clear|drop|create|\badd\b|\bmove\b|\bcopy\b|with"
)


def _is_update(text: str) -> bool:
    try:
        with _PARSE_LOCK:
            parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def _unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes (spec 19.2), which act before tokenising."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(one, text)


def quick_shape(text: str) -> QueryShape | None:
    """The shape of a query that cannot hold SERVICE, FROM or an update, without parsing.

    Sound because a query contains the words it uses: if no spelling of ``service`` or
    ``from`` occurs anywhere (escapes decoded), none can occur as a keyword, and if only one
    kind of query-form word occurs, it is the query's form. Anything else (or a text the
    store then fails to parse) goes through the full check; None means "parse it".
    """
    folded = _unescape(text).lower()
    if _NEEDS_PARSE.search(folded):
        return None
    forms = {m.group(1) for m in _FORM_WORDS.finditer(folded)}
    if len(forms) != 1:
        return None
    return QueryShape(form=_FORMS[f"{forms.pop().capitalize()}Query"], has_dataset=False)


@lru_cache(maxsize=2048)
def inspect_query(text: str) -> QueryShape:
    """Classify ``text`` or raise QueryRefused / QuerySyntaxError (cached: parsing is slow)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    quick = quick_shape(text)
    if quick is not None:
        return quick
    try:
        with _PARSE_LOCK:
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
