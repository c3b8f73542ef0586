"""The guard judges exactly the query that runs: whatever it accepts, pyoxigraph (the engine
that executes) must not find a SERVICE in it. A loopback canary tells whether the engine
tried to call out; queries mix comments, every line terminator, codepoint escapes, case and
nesting (the CR-ended comment once hid a SERVICE from rdflib but not from pyoxigraph)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.sparql.guard import inspect_query
from ontology.errors import QueryRefused, QuerySyntaxError
from tests.canary import loopback_canary

TERMINATORS = ["\r", "\r\n", "\n", "\u2028", "\u2029", "\x85", "\f", "\v"]


@pytest.fixture(scope="module")
def canary() -> Iterator[tuple[int, list[str]]]:
    with loopback_canary() as found:
        yield found


def _engine_calls_out(text: str, hits: list[str]) -> bool:
    before = len(hits)
    try:
        result = ox.Store().query(text)
        if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
            list(result)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    return len(hits) > before


def _escape(char: str, form: int) -> str:
    if form == 1:
        return f"\\u{ord(char):04X}"
    if form == 2:
        return f"\\U{ord(char):08x}"
    return char


@st.composite
def keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` in random case, some characters written as \\u or \\U escapes."""
    out = []
    for char in word:
        char = draw(st.sampled_from([char.lower(), char.upper()]))
        out.append(_escape(char, draw(st.sampled_from([0, 0, 0, 1, 2]))))
    return "".join(out)


@st.composite
def gap(draw: st.DrawFn) -> str:
    """Space between tokens: blanks, line ends, comments ended by any terminator."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["space", "line", "comment", "escaped-line"]))
        if kind == "space":
            parts.append(draw(st.sampled_from([" ", "\t", "  "])))
        elif kind == "line":
            parts.append(draw(st.sampled_from(TERMINATORS)))
        elif kind == "escaped-line":
            parts.append(draw(st.sampled_from(["\\u000D", "\\u000A", "\\U0000000d"])))
        else:
            body = draw(st.sampled_from(["", "x", "note", "}", "{"]))
            hash_ = draw(st.sampled_from(["#", "\\u0023"]))
            parts.append(hash_ + body + draw(st.sampled_from([*TERMINATORS, "\\u000D"])))
    return "".join(parts)


@st.composite
def service_query(draw: st.DrawFn, port: int) -> str:
    form = draw(st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }"]))
    depth = draw(st.integers(0, 4))
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    pattern = (
        draw(keyword("SERVICE"))
        + silent
        + draw(gap())
        + f"<http://127.0.0.1:{port}/canary>"
        + draw(gap())
        + "{ ?s ?p ?o }"
    )
    for _ in range(depth):
        pattern = "{" + draw(gap()) + pattern + draw(gap()) + "}"
    where = draw(st.sampled_from(["WHERE", "where", ""]))
    return f"{form} {where} {{" + draw(gap()) + pattern + draw(gap()) + "}"


def test_the_canary_sees_the_old_bypass(canary: tuple[int, list[str]]) -> None:
    """Without the guard, the engine runs a SERVICE that follows a CR-ended comment."""
    port, hits = canary
    raw = f"SELECT * WHERE {{ #x\rSERVICE <http://127.0.0.1:{port}/canary> {{ ?s ?p ?o }} }}"
    assert _engine_calls_out(raw, hits)
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect_query(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_the_guard_accepts_the_engine_runs_without_service(
    canary: tuple[int, list[str]], data: st.DataObject
) -> None:
    port, hits = canary
    raw = data.draw(service_query(port))
    try:
        shape = inspect_query(raw)
    except (QueryRefused, QuerySyntaxError):
        return
    assert not _engine_calls_out(shape.text, hits), repr(raw)


@pytest.mark.parametrize("terminator", TERMINATORS)
@pytest.mark.parametrize("form", ["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }"])
def test_comment_then_service_is_refused_for_every_terminator(
    canary: tuple[int, list[str]], terminator: str, form: str
) -> None:
    port, hits = canary
    raw = (
        f"{form} WHERE {{ #x{terminator}SERVICE <http://127.0.0.1:{port}/canary> {{ ?s ?p ?o }} }}"
    )
    try:
        shape = inspect_query(raw)
    except (QueryRefused, QuerySyntaxError):
        return
    # Accepted only where both parsers see the SERVICE inside the comment.
    assert not _engine_calls_out(shape.text, hits)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("SELECT * WHERE { ?s ?p '\\U00110000' }", "above U\\+10FFFF"),
        ("SELECT * WHERE { ?s ?p '\\UFFFFFFFF' }", "above U\\+10FFFF"),
        ("SELECT * WHERE { ?s ?p '\\uD800' }", "surrogate"),
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("# only a comment\n# and another", "empty"),
    ],
)
def test_bad_escapes_and_empty_queries_say_what_is_wrong(raw: str, problem: str) -> None:
    with pytest.raises(QuerySyntaxError, match=problem):
        inspect_query(raw)


def test_escape_spelling_an_escape_is_refused() -> None:
    with pytest.raises(QueryRefused, match="spells another escape"):
        inspect_query("SELECT * WHERE { ?s ?p ?o } # \\u005Cu0053")


@pytest.mark.parametrize("opener", ["{ ", "( ", "OPTIONAL { "])
def test_deep_nesting_is_refused_plainly(opener: str) -> None:
    closer = {"{ ": "} ", "( ": ") ", "OPTIONAL { ": "} "}[opener]
    for words in ("?from", "?x"):
        if opener == "( ":
            raw = f"SELECT * WHERE {{ ?s ?p {words} FILTER({opener * 5000}1{closer * 5000}) }}"
        else:
            raw = f"SELECT * WHERE {{ {opener * 5000}?s ?p {words} {closer * 5000}}}"
        with pytest.raises(QueryRefused, match="levels deep; the limit is 32"):
            inspect_query(raw)
    nested = "SELECT * WHERE { " + "{ " * 36 + "?s ?p ?from " + "} " * 36 + "}"
    with pytest.raises(QueryRefused, match="37 levels deep"):
        inspect_query(nested)
