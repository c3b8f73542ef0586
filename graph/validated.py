"""SHACL for what changed: `policykg verify` validates a document again only when its content,
the shapes or the vocabularies changed since it last conformed.

SHACL dominated ``verify`` (2 min 12 s for 24 documents in issue 10; 73 s here). A document
that conformed is remembered by a key — sha256 of its content hash, of ``shapes.ttl`` and of
the stored ontology and vocabulary stamps — in ``validated-shacl.json`` beside the RDF store
(a plain file, so ``verify`` can run on a read-only store while the server has it open).
``full=True`` validates everything and rewrites the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.store import RdfStore
from ontology.files import SHAPES_FILE

CACHE_NAME = "validated-shacl.json"


@dataclass
class ShaclSummary:
    """What one validation run did."""

    validated: list[str] = field(default_factory=list)  # documents validated this run
    skipped: int = 0  # documents unchanged since they last conformed
    violations: dict[str, list[str]] = field(default_factory=dict)  # doc id -> messages

    @property
    def conforms(self) -> bool:
        return not self.violations


def _cache_path(rdf: RdfStore) -> Path | None:
    return rdf.path.parent / CACHE_NAME if rdf.path is not None else None


def _read(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(path: Path | None, keys: dict[str, str]) -> None:
    if path is None:
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(keys, sort_keys=True, indent=0), encoding="utf-8")
    tmp.replace(path)


def context_key(rdf: RdfStore) -> str:
    """What every document's validation also depends on: shapes and stored vocabularies."""
    digest = hashlib.sha256(SHAPES_FILE.read_bytes())
    hash_predicate = ox.NamedNode(str(rdf.iris.pkg.contentHash))
    vocab = str(rdf.iris.vocabulary_graph(""))
    ontology = str(rdf.iris.ontology_graph)
    stamps = sorted(
        f"{q.subject} {q.object}"
        for q in rdf.store.quads_for_pattern(None, hash_predicate, None, None)
        if isinstance(q.subject, ox.NamedNode)
        and (q.subject.value.startswith(vocab) or q.subject.value == ontology)
    )
    digest.update("\n".join(stamps).encode("utf-8"))
    return digest.hexdigest()


def validate(rdf: RdfStore, full: bool = False) -> ShaclSummary:
    """SHACL-validate the documents that changed (all with ``full``)."""
    from graph.rdf import shacl  # pyshacl is slow to import; only when validating

    path = _cache_path(rdf)
    known = {} if full else _read(path)
    context = context_key(rdf)
    summary = ShaclSummary()
    keys: dict[str, str] = {}
    for doc_id in rdf.document_ids():
        content = rdf.content_hash(doc_id) or ""
        key = hashlib.sha256(f"{content}\n{context}".encode()).hexdigest()
        if known.get(doc_id) == key:
            keys[doc_id] = key
            summary.skipped += 1
            continue
        summary.validated.append(doc_id)
        report = shacl.validate(rdf.document_graph(doc_id), rdf.iris)
        if report.conforms:
            keys[doc_id] = key
        else:
            summary.violations[doc_id] = report.violations
    _write(path, keys)
    return summary
