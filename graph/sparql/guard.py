"""Inspect a SPARQL request before it runs, so a public endpoint can refuse what it must.

The check walks rdflib's *parse tree* (not the text), so a ``SERVICE`` hidden in a comment or a
string literal is not mistaken for one, and a real one cannot be disguised by spacing or case.
The store executes queries with its own parser afterwards, so the guard and the store must read
the *same* text the same way: :func:`canonical_text` decodes the codepoint escapes and turns
every ``\r\n``/``\r`` into ``\n`` once, and :attr:`QueryShape.text` is what runs. (rdflib ends
a ``#`` comment only at ``\n``, pyoxigraph also at ``\r``: an unnormalised CR once hid a
``SERVICE`` from the guard.) This module only decides whether a query may run and how (its
form, whether it names its own dataset with FROM/FROM NAMED).
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
#: Deepest bracket nesting accepted: both parsers recurse per level (rdflib fails near 36
#: groups, pyoxigraph's worker overflows its stack in the thousands); real queries stay < 10.
MAX_NESTING = 32


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about an accepted query."""

    form: QueryForm
    has_dataset: bool  # FROM / FROM NAMED present: the query chooses its own graphs
    text: str = ""  # the canonical text the guard judged: the only text that may run


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
    """Whether ``text`` is a SPARQL Update with at least one operation (an empty one is not)."""
    try:
        with _PARSE_LOCK:
            parsed = parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return bool(parsed.get("request"))


def _unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes (spec 19.2), which act before tokenising."""

    def one(match: re.Match[str]) -> str:
        escape = match.group(0)
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF:
            raise QuerySyntaxError(f"the escape {escape} names no character (above U+10FFFF)")
        if 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"the escape {escape} is a lone UTF-16 surrogate")
        return chr(code)

    return _ESCAPE.sub(one, text)


_LINE_BREAK = re.compile(r"\r\n?")


def canonical_text(text: str) -> str:
    """The one text that both the guard parses and the store executes.

    Escapes are decoded here (so neither parser decodes any), and CR or CRLF become LF, the
    only line end both parsers agree on. An escape that decodes to another escape is refused:
    each parser would decode it once more, and not necessarily alike.
    """
    decoded = _unescape(text)
    if _ESCAPE.search(decoded):
        raise QueryRefused(
            "an escape sequence spells another escape (e.g. \\u005Cu0041): write the "
            "character itself"
        )
    return _LINE_BREAK.sub("\n", decoded)


def _nesting(text: str) -> int:
    """Deepest bracket nesting of ``text`` (brackets in literals count too: conservative)."""
    depth = deepest = 0
    for char in text:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    return deepest


def _without_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def quick_shape(text: str) -> QueryShape | None:
    """The shape of a query that cannot hold SERVICE, FROM or an update, without parsing.

    Sound because a query contains the words it uses: if no spelling of ``service`` or
    ``from`` occurs anywhere (escapes decoded), none can occur as a keyword, and if only one
    kind of query-form word occurs, it is the query's form. Anything else (or a text the
    store then fails to parse) goes through the full check; None means "parse it".
    """
    text = canonical_text(text)
    folded = text.lower()
    if _NEEDS_PARSE.search(folded):
        return None
    forms = {m.group(1) for m in _FORM_WORDS.finditer(folded)}
    if len(forms) != 1:
        return None
    form = _FORMS[f"{forms.pop().capitalize()}Query"]
    return QueryShape(form=form, has_dataset=False, text=text)


@lru_cache(maxsize=2048)
def inspect_query(raw: str) -> QueryShape:
    """Classify ``raw`` or raise QueryRefused / QuerySyntaxError (cached: parsing is slow).

    The shape's ``text`` is the canonical form of ``raw``; run that, never ``raw``.
    """
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(raw)} characters long; the limit is {MAX_QUERY_CHARS}")
    text = canonical_text(raw)
    if not _without_comments(text).strip():
        raise QuerySyntaxError("the query is empty (nothing but spaces or comments)")
    depth = _nesting(text)
    if depth > MAX_NESTING:
        raise QueryRefused(
            f"the query nests brackets {depth} levels deep; the limit is {MAX_NESTING}"
        )
    quick = quick_shape(text)
    if quick is not None:
        return quick
    try:
        with _PARSE_LOCK:
            parsed = parseQuery(text)
    except RecursionError:
        raise QueryRefused("the query nests too deeply to be checked") from None
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
    return QueryShape(form=form, has_dataset="datasetClause" in query, text=text)
