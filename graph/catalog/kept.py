"""Finished corpus-wide answers, kept by a writer: the coordination analyses and the views of
the whole corpus, exactly as the service sends them.

At 1,000 documents the corpus network alone takes ~35 s to read (790,000 quads) and the
analyses 1-8 s each, so no request can compute them in under a second; but they change only
when the store is written. A writer (``policykg load`` after its last batch, ``policykg
serve`` after each upload or removal and at start-up, see api/kept_answers.py) computes every
one once and keeps it here: one literal per answer (status, headers, compressed body) in the system
graph :func:`answers_graph`, beside one literal with the store key
(graph.catalog.rollup.store_key) they were all made under. A reader uses an answer only while
the store's key is still that key, so a kept answer is never stale: after a write it is
missing until the writer has made the new ones.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pyoxigraph as ox

from ontology.iris import Iris

#: Bump when the literal's fields change: answers of another version count as missing.
VERSION = 2
#: zlib level of the kept bodies: a 1,000-document corpus's 35 answers are ~300 MB as text
#: (the duty lists alone 29 MB of JSON) and ~10× less compressed; level 1 is the fast one.
LEVEL = 1


@dataclass(frozen=True)
class Answer:
    """One finished HTTP answer: its status, headers (content type first) and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def to_json(self) -> str:
        packed = base64.b64encode(zlib.compress(self.body, LEVEL)).decode("ascii")
        row = {"v": VERSION, "status": self.status, "headers": self.headers, "body": packed}
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Answer | None:
        try:
            row = json.loads(text)
        except ValueError:
            return None
        if not isinstance(row, dict) or row.get("v") != VERSION:
            return None
        try:
            body = zlib.decompress(base64.b64decode(row["body"]))
        except (ValueError, zlib.error):
            return None
        headers = tuple((str(k), str(v)) for k, v in row["headers"])
        return cls(int(row["status"]), headers, body)


def answers_graph(iris: Iris) -> str:
    """The named graph of the kept answers (policykg's bookkeeping, like the summaries)."""
    return f"{iris.base}/id/graph/system/answers"


def _graph(iris: Iris) -> ox.NamedNode:
    return ox.NamedNode(answers_graph(iris))


def _subject(iris: Iris, name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{answers_graph(iris)}/{quote(name, safe='')}")


def _answer(iris: Iris) -> ox.NamedNode:
    return ox.NamedNode(f"{iris.ontology_ns}keptAnswer")


def _key(iris: Iris) -> ox.NamedNode:
    return ox.NamedNode(f"{iris.ontology_ns}keptAnswersKey")


def write(store: ox.Store, iris: Iris, key: str, answers: Mapping[str, Answer]) -> None:
    """Replace every kept answer by ``answers``, made under the store key ``key`` (writers
    only). The old ones go first: a reader in between finds none, never a mix."""
    graph = _graph(iris)
    store.update(f"DROP SILENT GRAPH <{graph.value}>")
    quads = [ox.Quad(graph, _key(iris), ox.Literal(f"v{VERSION} {key}"), graph)]
    quads += [
        ox.Quad(_subject(iris, name), _answer(iris), ox.Literal(answer.to_json()), graph)
        for name, answer in answers.items()
    ]
    store.extend(quads)


def key_of(store: ox.Store, iris: Iris) -> str | None:
    """The store key the kept answers were made under, or None when none are kept (or
    they are of another version)."""
    for q in store.quads_for_pattern(_graph(iris), _key(iris), None, _graph(iris)):
        if isinstance(q.object, ox.Literal):
            version, _, key = q.object.value.partition(" ")
            return key if version == f"v{VERSION}" else None
    return None


def read(store: ox.Store, iris: Iris, name: str, key: str) -> Answer | None:
    """The kept answer ``name`` when the answers were made under ``key`` (the store's key
    now), else None."""
    if key_of(store, iris) != key:
        return None
    for q in store.quads_for_pattern(_subject(iris, name), _answer(iris), None, _graph(iris)):
        return Answer.from_json(q.object.value) if isinstance(q.object, ox.Literal) else None
    return None


def names(store: ox.Store, iris: Iris) -> list[str]:
    """Every kept answer's name (for ``policykg stats`` and tests), sorted."""
    prefix = answers_graph(iris) + "/"
    found = (
        q.subject.value[len(prefix) :]
        for q in store.quads_for_pattern(None, _answer(iris), None, _graph(iris))
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
    )
    return sorted(unquote(n) for n in found)


__all__ = ["VERSION", "Answer", "answers_graph", "key_of", "names", "read", "write"]
