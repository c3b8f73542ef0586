"""The SKOS/ORG registries in ``ontology/vocab`` as plain, cached Python lookups.

Loaders resolve names against these structures; the Turtle files stay the one source of
agency names, target-group labels and program-type words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from ontology.errors import SetupError
from ontology.iris import ORG, Iris

VOCAB_DIR = Path(__file__).with_name("vocab")
#: Any base works for reading ids; graph/ loads the same files under the deployment base.
_READ_BASE = "http://localhost:8000"


@dataclass(frozen=True)
class AgencyEntry:
    id: str
    name: str  # canonical full name (skos:prefLabel)
    alt_labels: tuple[str, ...]
    kind: str
    jurisdiction: str | None


@dataclass(frozen=True)
class GroupEntry:
    id: str
    label: str  # Chinese prefLabel (plain literal)
    label_en: str | None
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...]


@dataclass(frozen=True)
class ProgramTypeEntry:
    id: str
    label: str
    words: tuple[str, ...]  # skos:hiddenLabel trigger words


def _parse(name: str, iris: Iris) -> Graph:
    path = VOCAB_DIR / name
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=iris.public_id)
    except (OSError, SyntaxError, ValueError) as exc:
        raise SetupError(f"{path}: cannot read vocabulary: {exc}") from None
    return graph


def _local(iri: URIRef | object, prefix: str) -> str:
    text = str(iri)
    if not text.startswith(prefix):
        raise SetupError(f"vocabulary IRI {text} is not under {prefix}")
    return text[len(prefix) :]


#: Chinese labels are plain literals in the vocabularies; ``@zh`` is still accepted.
_ZH = (None, "zh")


def _labels(graph: Graph, node: URIRef, prop: URIRef, lang: str = "zh") -> list[str]:
    """Labels in ``lang``; for "zh", plain (untagged) literals count as Chinese."""
    accepted = _ZH if lang == "zh" else (lang,)
    out = [
        str(o)
        for o in graph.objects(node, prop)
        if isinstance(o, Literal) and o.language in accepted
    ]
    return sorted(out)


def _one(graph: Graph, node: URIRef, prop: URIRef, lang: str = "zh") -> str | None:
    labels = _labels(graph, node, prop, lang)
    return labels[0] if labels else None


def read_agencies(iris: Iris) -> tuple[AgencyEntry, ...]:
    """Every org:Organization of ``agencies.ttl``."""
    graph = _parse("agencies.ttl", iris)
    agency_prefix = str(iris.agency(""))
    kind_prefix = str(iris.agency_kind(""))
    entries = []
    for node in sorted(graph.subjects(RDF.type, ORG.Organization), key=str):
        assert isinstance(node, URIRef)
        name = _one(graph, node, SKOS.prefLabel)
        kind = graph.value(node, iris.pkg.agencyKind)
        if name is None or kind is None:
            raise SetupError(
                f"agencies.ttl: {node} needs a Chinese skos:prefLabel and pkg:agencyKind"
            )
        jurisdiction = graph.value(node, iris.pkg.jurisdiction)
        entries.append(
            AgencyEntry(
                id=_local(node, agency_prefix),
                name=name,
                alt_labels=tuple(_labels(graph, node, SKOS.altLabel)),
                kind=_local(kind, kind_prefix),
                jurisdiction=str(jurisdiction) if jurisdiction is not None else None,
            )
        )
    return tuple(entries)


def read_groups(iris: Iris) -> tuple[GroupEntry, ...]:
    """Every skos:Concept of ``target_groups.ttl``."""
    graph = _parse("target_groups.ttl", iris)
    prefix = str(iris.target_group(""))
    entries = []
    for node in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):
        assert isinstance(node, URIRef)
        label = _one(graph, node, SKOS.prefLabel)
        if label is None:
            raise SetupError(f"target_groups.ttl: {node} has no Chinese skos:prefLabel")
        entries.append(
            GroupEntry(
                id=_local(node, prefix),
                label=label,
                label_en=_one(graph, node, SKOS.prefLabel, "en"),
                alt_labels=tuple(_labels(graph, node, SKOS.altLabel)),
                broader=tuple(sorted(_local(b, prefix) for b in graph.objects(node, SKOS.broader))),
            )
        )
    return tuple(entries)


def read_program_types(iris: Iris) -> tuple[ProgramTypeEntry, ...]:
    """Every program type of ``program_types.ttl`` with its trigger words."""
    graph = _parse("program_types.ttl", iris)
    prefix = str(iris.program_type(""))
    entries = []
    for node in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):
        assert isinstance(node, URIRef)
        entries.append(
            ProgramTypeEntry(
                id=_local(node, prefix),
                label=_one(graph, node, SKOS.prefLabel, "en") or _local(node, prefix),
                words=tuple(_labels(graph, node, SKOS.hiddenLabel)),
            )
        )
    return tuple(entries)


@lru_cache(maxsize=1)
def agencies() -> tuple[AgencyEntry, ...]:
    return read_agencies(Iris(_READ_BASE))


@lru_cache(maxsize=1)
def groups() -> tuple[GroupEntry, ...]:
    return read_groups(Iris(_READ_BASE))


@lru_cache(maxsize=1)
def program_types() -> tuple[ProgramTypeEntry, ...]:
    return read_program_types(Iris(_READ_BASE))
