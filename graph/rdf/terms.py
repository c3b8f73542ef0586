"""pyoxigraph terms ↔ Python values, for typed SELECT rows and safe query bindings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, URIRef

from ontology.errors import InvalidParameter

_XSD = str(XSD)
_INTEGERS = {
    f"{_XSD}{t}"
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    )
}  # fmt: skip
_FLOATS = {f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"}


def to_python(term: Any) -> Any:
    """A pyoxigraph term as a Python value: IRI → str, typed literal → int/float/bool/date."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt in _FLOATS:
                return float(term.value)
            if dt == f"{_XSD}boolean":
                return term.value in ("true", "1")
            if dt == f"{_XSD}date":
                return date.fromisoformat(term.value)
        except ValueError:
            return term.value  # ill-typed literal: show what is there
        return term.value
    return str(term)


def to_term(value: Any) -> ox.NamedNode | ox.Literal:
    """A Python binding as a pyoxigraph term (str → plain literal; URIRef → IRI)."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(f"{_XSD}date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise InvalidParameter(f"cannot bind a {type(value).__name__} in a SPARQL query")
