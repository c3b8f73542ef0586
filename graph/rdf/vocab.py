"""The vocabularies as graph/rdf/mapping.py needs them: which nodes they describe, and how stored.

The store describes a node once: vocabulary nodes only in their vocabulary graphs, so the
mapping must know which agency and group ids the vocabularies cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from rdflib import RDF, SKOS, Graph, Literal

from ontology.errors import SetupError
from ontology.files import vocabulary_graph
from ontology.iris import Iris


@dataclass(frozen=True)
class GroupVocabulary:
    """Target-group concepts by id: preferred label and directly broader ids."""

    labels: dict[str, str]
    broader: dict[str, tuple[str, ...]]

    def chain(self, group_ids: Iterable[str]) -> list[str]:
        """All ids reachable upwards from ``group_ids`` (the ids themselves excluded), BFS order."""
        seen: dict[str, None] = {}
        queue = [b for g in group_ids for b in self.broader.get(g, ())]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen[current] = None
            queue.extend(self.broader.get(current, ()))
        return list(seen)


EMPTY_GROUPS = GroupVocabulary(labels={}, broader={})

#: Language tags of Chinese labels: plain literals (the vocabularies' form) or legacy ``@zh``.
_ZH = (None, "", "zh")
#: The one value ``pkg:registered`` takes on an agency of the registry.
_REGISTERED = Literal(True)


def local_id(prefix: str, iri: str) -> str | None:
    """The percent-decoded rest of ``iri`` after ``prefix`` (None when not under it)."""
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else None


@lru_cache(maxsize=8)
def group_vocabulary(iris: Iris) -> GroupVocabulary:
    """The ``target_groups`` SKOS vocabulary (empty when the file is not present)."""
    graph = vocabulary_graph("target_groups", iris)
    if graph is None:
        return EMPTY_GROUPS
    prefix = str(iris.target_group(""))
    labels: dict[str, str] = {}
    broader: dict[str, list[str]] = {}
    for subject, label in graph.subject_objects(SKOS.prefLabel):
        gid = local_id(prefix, str(subject))
        if gid is not None and (gid not in labels or getattr(label, "language", None) in _ZH):
            labels[gid] = str(label)
    for subject, parent in graph.subject_objects(SKOS.broader):
        gid, pid = local_id(prefix, str(subject)), local_id(prefix, str(parent))
        if gid is not None and pid is not None:
            broader.setdefault(gid, []).append(pid)
    return GroupVocabulary(
        labels=labels, broader={k: tuple(sorted(set(v))) for k, v in broader.items()}
    )


@lru_cache(maxsize=8)
def agency_vocabulary(iris: Iris) -> frozenset[str]:
    """Ids of the agencies the ``agencies`` vocabulary describes (empty when absent)."""
    graph = vocabulary_graph("agencies", iris)
    if graph is None:
        return frozenset()
    prefix = str(iris.agency(""))
    found = (local_id(prefix, str(s)) for s in graph.subjects(RDF.type, iris.pkg.Agency))
    return frozenset(a for a in found if a is not None)


def stored_vocabulary(name: str, iris: Iris) -> Graph | None:
    """A vocabulary as the store holds it: the file as written (None when not present).

    ``agencies.ttl`` states ``pkg:registered true`` on every entry itself (it used to be
    added here; the stored triples, hence the stored fingerprint, are the same). An entry
    without it is refused rather than stored: the registry's agencies would otherwise lose
    the flag that documents' self-contained graphs and the SHACL shapes give them.
    """
    graph = vocabulary_graph(name, iris)
    if graph is not None and name == "agencies":
        for subject in sorted(graph.subjects(RDF.type, iris.pkg.Agency), key=str):
            flags = list(graph.objects(subject, iris.pkg.registered))
            if flags != [_REGISTERED]:
                raise SetupError(
                    f"ontology/vocab/agencies.ttl: {subject} needs exactly one "
                    f"`pkg:registered true` (found {len(flags)} value(s): "
                    f"{', '.join(sorted(str(f) for f in flags)) or 'none'})"
                )
    return graph


__all__ = [
    "EMPTY_GROUPS",
    "GroupVocabulary",
    "agency_vocabulary",
    "group_vocabulary",
    "stored_vocabulary",
]
