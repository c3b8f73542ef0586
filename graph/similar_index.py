"""The corpus index of similar measures, kept up to date incrementally by every write.

Each measure's list is its best ``TOP_K`` measures of *other* documents scoring at least
``THRESHOLD`` (graph/analysis/similarity.py), among the candidates datasketch's MinHash LSH
finds (a symmetric relation: x is y's candidate exactly when y is x's), ties by IRI. So a
list is a function of the corpus, not of the load order, and a write touches only:

* the measures of the documents it loads (their lists are computed);
* the measures that gain one of them among their best (their lists take it, drop the worst);
* on removal or reload, the measures whose list named a measure that went (refilled by a
  query of their own).

Every other list stays as it is. The lists are the stores' (graph/rdf/similar.py,
graph/neo4j/similar.py): the index holds them in memory with the LSH and each measure's
n-gram ids. It lives in the writing process and is built from the RDF store on the first
write after opening (the stores' lists are compared with a fresh computation and any list
that differs is rewritten, which is also the repair after a crash between the two writes);
public endpoints only read the stores.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from neo4j import Driver

from graph.analysis.similarity import (
    EXACT_MAX,
    LSH_BANDS,
    LSH_ROWS,
    NUM_PERM,
    SEED,
    THRESHOLD,
    TOP_K,
    Entry,
    cross_scores,
    entry,
    pair_scores,
)
from graph.neo4j import similar as neo_similar
from graph.rdf import similar as rdf_similar
from graph.rdf.similar import Links
from graph.rdf.store import RdfStore
from ontology.errors import PolicyKGError


@dataclass
class Change:
    """What one write changed: the lists to store and the documents whose lists went."""

    lists: dict[str, Links] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)  # documents removed from the index
    fresh: set[str] = field(default_factory=set)  # measures new to the store (no list there)
    #: the lists of ``lists`` as the store held them before (the index mirrors the store):
    #: only their difference is written (graph/rdf/similar.py)
    stored: dict[str, Links] = field(default_factory=dict)

    def touched(self) -> int:
        return len(self.lists)


#: Measures whose candidates are rescored in one vectorised pass (bounds its arrays).
SCORE_CHUNK = 256


def _key(link: tuple[str, float]) -> tuple[float, str]:
    return (-link[1], link[0])


def _band_key(band: np.ndarray) -> bytes:
    return band.tobytes()


class _Lsh(MinHashLSH):
    """datasketch's MinHash LSH keyed by each band's bytes as they are: its default key
    byte-swaps every band first, which changes no collision (the same swap on both sides)
    and cost a third of every insert and query (bench/README.md, "Similar measures")."""

    def __init__(self) -> None:
        super().__init__(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
        self._H = _band_key


class SimilarIndex:
    """Measures by document, their n-gram ids and MinHash signatures, the LSH and the lists."""

    def __init__(self) -> None:
        self.lsh: MinHashLSH = _Lsh()
        self.grams: dict[str, np.ndarray] = {}
        self.sigs: dict[str, np.ndarray] = {}
        self.doc_of: dict[str, str] = {}
        self.measures_of: dict[str, list[str]] = {}
        self.links: dict[str, Links] = {}
        self.referrers: dict[str, set[str]] = {}
        self.repaired = 0  # lists :func:`build` found different in a store and rewrote
        self._hashes: dict[str, LeanMinHash] = {}  # the MinHashes of the measures being added

    def __len__(self) -> int:
        return len(self.grams)

    def documents(self) -> set[str]:
        return set(self.measures_of)

    # -------------------------------------------------------------- queries
    def _minhash(self, measure: str) -> LeanMinHash:
        made = self._hashes.get(measure)
        if made is not None:
            return made
        return LeanMinHash(
            seed=SEED, hashvalues=self.sigs[measure].astype(np.uint64), scheme="legacy"
        )

    def _scored(self, measures: Sequence[str]) -> dict[str, Links]:
        """For each measure, every candidate of another document scoring at least THRESHOLD,
        best first: all measures while the corpus is small (EXACT_MAX), else the LSH's
        candidates, rescored exactly in one vectorised pass."""
        if len(self.grams) <= EXACT_MAX:
            return self._scored_exactly(measures)
        out: dict[str, Links] = {m: [] for m in measures}
        for start in range(0, len(measures), SCORE_CHUNK):
            chunk = measures[start : start + SCORE_CHUNK]
            query_of: list[int] = []
            others: list[str] = []
            for i, m in enumerate(chunk):
                doc = self.doc_of[m]
                found = sorted(o for o in self.lsh.query(self._minhash(m)) if self.doc_of[o] != doc)
                others += found
                query_of += [i] * len(found)
            values = pair_scores(
                [self.grams[m] for m in chunk],
                np.asarray(query_of, dtype=np.int64),
                [self.grams[o] for o in others],
            )
            for i, other, value in zip(query_of, others, values.tolist(), strict=True):
                if value >= THRESHOLD:
                    out[chunk[i]].append((other, value))
        for links in out.values():
            links.sort(key=_key)
        return out

    def _scored_exactly(self, measures: Sequence[str]) -> dict[str, Links]:
        names = sorted(self.grams)
        docs = np.array([self.doc_of[n] for n in names])
        grams = [self.grams[n] for n in names]
        out: dict[str, Links] = {}
        for start in range(0, len(measures), SCORE_CHUNK):
            chunk = measures[start : start + SCORE_CHUNK]
            values = cross_scores([self.grams[m] for m in chunk], grams)
            for row, m in zip(values, chunk, strict=True):
                hits = np.flatnonzero((row >= THRESHOLD) & (docs != self.doc_of[m]))
                out[m] = sorted(((names[j], float(row[j])) for j in hits), key=_key)
        return out

    def _set(self, measure: str, links: Links) -> None:
        for other, _ in self.links.get(measure, []):
            self.referrers.get(other, set()).discard(measure)
        self.links[measure] = links
        for other, _ in links:
            self.referrers.setdefault(other, set()).add(measure)

    # -------------------------------------------------------------- writes
    def remove(self, doc_ids: Iterable[str], change: Change | None = None) -> Change:
        """Drop documents; refill the lists that named one of their measures."""
        change = change or Change()
        gone = [d for d in doc_ids if d in self.measures_of]
        affected: set[str] = set()
        for doc in gone:
            for m in self.measures_of.pop(doc):
                self.lsh.remove(m)
                self._set(m, [])
                del self.links[m]
                affected |= self.referrers.pop(m, set())
                for store in (self.grams, self.sigs, self.doc_of):
                    del store[m]
                change.lists.pop(m, None)
            change.dropped.add(doc)
        refill = sorted(m for m in affected if m in self.doc_of)
        for m, scored in self._scored(refill).items():
            change.stored.setdefault(m, self.links[m])
            self._set(m, scored[:TOP_K])
            change.lists[m] = self.links[m]
        return change

    def add(self, docs: Sequence[Entry], change: Change | None = None) -> Change:
        """Add documents ``(doc id, measure IRIs, n-gram ids, signatures)`` (see
        :func:`entry`), replacing those already in."""
        change = change or Change()
        self.remove([d[0] for d in docs if d[0] in self.measures_of], change)
        new: list[str] = []
        with self.lsh.insertion_session() as session:
            for doc, measures, grams, sigs in docs:
                self.measures_of[doc] = list(measures)
                wide = np.asarray(sigs, dtype=np.uint64)
                for i, m in enumerate(measures):
                    self.doc_of[m] = doc
                    self.grams[m] = grams[i]
                    self.sigs[m] = sigs[i].astype(np.uint32)
                    made = LeanMinHash(seed=SEED, hashvalues=wide[i], scheme="legacy")
                    self._hashes[m] = made  # inserted now, queried below: made once
                    session.insert(m, made, check_duplication=False)
                    new.append(m)
        fresh = set(new)
        try:
            scored_new = self._scored(new)
        finally:
            self._hashes.clear()
        for m, scored in scored_new.items():
            self._set(m, scored[:TOP_K])
            change.lists[m] = self.links[m]
            change.fresh.add(m)
            for other, value in scored:  # m is other's candidate exactly when other is m's
                if other not in fresh:
                    self._offer(other, m, value, change)
        change.dropped |= {d[0] for d in docs}  # their similar graphs are written anew
        return change

    def _offer(self, measure: str, other: str, value: float, change: Change) -> None:
        links = self.links[measure]
        if any(o == other for o, _ in links):
            return
        merged = sorted([*links, (other, value)], key=_key)[:TOP_K]
        if merged != links:
            change.stored.setdefault(measure, links)
            self._set(measure, merged)
            change.lists[measure] = merged


_lock = threading.Lock()
_indexes: weakref.WeakKeyDictionary[RdfStore, SimilarIndex] = weakref.WeakKeyDictionary()


def _texts(rdf: RdfStore, doc_ids: Sequence[str]) -> list[Entry]:
    """Entries of loaded documents, from the measure texts in the RDF store."""
    by_doc: dict[str, list[tuple[str, str]]] = {d: [] for d in doc_ids}
    for doc, measure, text in rdf_similar.measure_texts(rdf, list(doc_ids)):
        by_doc[doc].append((measure, text))
    return [entry(d, measures) for d, measures in by_doc.items()]


def _differing(index: SimilarIndex, stored: dict[str, Links]) -> dict[str, Links]:
    """The lists the index holds differently from ``stored`` (empty lists included)."""
    names = {m for m, links in index.links.items() if links} | set(stored)
    return {
        m: index.links.get(m, [])
        for m in names
        if m in index.doc_of and index.links.get(m, []) != stored.get(m, [])
    }


def build(
    rdf: RdfStore,
    driver: Driver | None,
    database: str = "neo4j",
    entries: Mapping[str, Entry] | None = None,
) -> SimilarIndex:
    """The index of the store's documents; lists the stores hold differently are rewritten
    (and similar graphs of documents no longer loaded dropped). ``entries`` of documents
    just written (from their texts, graph/prepared.py) spare reading and hashing them again."""
    index = SimilarIndex()
    given = entries or {}
    docs = rdf.document_ids()
    index.add(
        [*(given[d] for d in docs if d in given), *_texts(rdf, [d for d in docs if d not in given])]
    )
    stored = rdf_similar.stored_lists(rdf)
    gone = {rdf_similar.measure_key(rdf.iris, m)[0] for m in stored if m not in index.doc_of}
    wrong = _differing(index, stored)
    rdf_similar.write(rdf.store, rdf.iris, wrong, gone)
    index.repaired = len(wrong) + len(gone)
    if driver is not None:
        wrong = _differing(index, neo_similar.stored_lists(driver, database))
        neo_similar.write(driver, wrong, database)
        index.repaired += len(wrong)
    return index


def index_for(
    rdf: RdfStore,
    driver: Driver | None,
    database: str = "neo4j",
    entries: Mapping[str, Entry] | None = None,
) -> SimilarIndex:
    """The writing process's index of ``rdf`` (built on first use, see :func:`build`)."""
    index = _indexes.get(rdf)
    if index is None:
        index = build(rdf, driver, database, entries)
        _indexes[rdf] = index
    return index


def forget(rdf: RdfStore) -> None:
    """Drop the cached index (after a failed write: the next write rebuilds and repairs)."""
    _indexes.pop(rdf, None)


def after_load(
    rdf: RdfStore,
    driver: Driver | None,
    doc_ids: Sequence[str],
    neo_only: Sequence[str] = (),
    database: str = "neo4j",
    entries: Mapping[str, Entry] | None = None,
) -> Change:
    """Bring the lists up to date after ``doc_ids`` were (re)loaded in the RDF store;
    ``neo_only`` were rewritten in Neo4j alone. Neo4j's rewrite of a document deleted its
    measures with their SIMILAR relationships, in and out: those lists are written again."""
    with _lock:
        built = rdf not in _indexes
        index = index_for(rdf, driver, database, entries)
        change = Change()
        if doc_ids and not built:
            given = entries or {}
            missing = [d for d in doc_ids if d not in given]
            ready = [given[d] for d in doc_ids if d in given]  # ids checked: entries are per id
            index.add([*ready, *_texts(rdf, missing)], change)
        try:
            rdf_similar.write(
                rdf.store, rdf.iris, change.lists, change.dropped, change.fresh, change.stored
            )
            if driver is not None:
                touched = [m for d in [*doc_ids, *neo_only] for m in index.measures_of.get(d, [])]
                again = set(touched).union(*(index.referrers.get(t, set()) for t in touched))
                lists = {**change.lists, **{m: index.links[m] for m in again}}
                neo_similar.write(driver, lists, database)
        except PolicyKGError:
            forget(rdf)
            raise
        return change


def after_remove(
    rdf: RdfStore, driver: Driver | None, doc_id: str, database: str = "neo4j"
) -> Change:
    """Bring the lists up to date after ``doc_id`` was removed from both stores."""
    with _lock:
        built = rdf not in _indexes
        index = index_for(rdf, driver, database)
        change = Change() if built else index.remove([doc_id])
        change.dropped.add(doc_id)
        try:
            rdf_similar.write(rdf.store, rdf.iris, change.lists, change.dropped, (), change.stored)
            if driver is not None:
                neo_similar.write(driver, change.lists, database)
        except PolicyKGError:
            forget(rdf)
            raise
        return change


__all__ = ["Change", "SimilarIndex", "after_load", "after_remove", "build", "forget", "index_for"]
