"""Answers kept per write generation: REST detail pages, corpus-wide tables, the analysis
network and the analysis answers and view pages made from it.

Some lists need an aggregate over the whole corpus (agencies ordered by their number of
measures: seconds at 10,000 documents) although their answer changes only when a document is
written. They are computed once per write generation (``api.deps.notify_write`` bumps it) and
kept here, a few at a time; ``POLICYKG_REST_CACHE_ENTRIES=0`` turns this off with the REST
detail cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx
from starlette.datastructures import State

from api.deps import write_generation
from graph.analysis.network import build_network, check_filters
from graph.catalog import corpus
from graph.catalog import lists as catalog_lists
from graph.catalog import rollup as corpus_rollup
from graph.catalog.corpus import Summaries
from graph.catalog.details import Row
from graph.settings import Settings
from ontology.errors import InvalidParameter, ServiceBusy
from ontology.iris import Iris

T = TypeVar("T")

#: Tables kept at once (one per distinct name filter, say).
ENTRIES = 16
#: Analysis answers and view pages kept at once (each a few KB to a few MB).
ANSWERS = 256
#: Networks kept at once (the corpus, and a few documents or chapters).
NETWORKS = 8
#: Most measures a corpus-wide analysis or view reads per request. Reading the network costs
#: about 1 ms per measure and the analyses as much again (a 1,000-document corpus of 25,261
#: measures: 35 s and 1-8 s each on the shared 2-core machine), so above this a request
#: without ``document`` is refused (422) with the size, the limit and what to do instead, or
#: answered from the writer's kept answers (api/kept_answers.py) when they are current.
ANALYSIS_LIMIT = 5_000
#: Seconds a client is told to wait while the writer makes the kept corpus-wide answers
#: (api/kept_answers.py; the ``refresher`` on the app's state).
KEPT_RETRY_AFTER_S = 30

_lock = threading.Lock()


class GenerationMemo:
    """Values by key, each valid for the write generation it was computed under (an entry of
    another generation is a miss); the ``entries`` most recently used are kept."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict[Hashable, threading.Lock] = {}

    def lookup(self, key: Hashable, generation: int) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != generation:
                return None
            self._items.move_to_end(key)
            return item[1]

    def store(self, key: Hashable, generation: int, value: Any) -> None:
        if not self.entries:
            return
        with self._lock:
            self._items[key] = (generation, value)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def get(self, key: Hashable, generation: int, compute: Callable[[], T]) -> T:
        """The kept value, or ``compute()`` once: concurrent misses of one key wait for the
        first caller instead of computing it again (32 cold clients cost one computation)."""
        found: T | None = self.lookup(key, generation)
        if found is not None:
            return found
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        try:
            with flight:  # per key: a slow table must not block other keys
                found = self.lookup(key, generation)
                if found is not None:
                    return found
                value = compute()
                self.store(key, generation, value)
                return value
        finally:
            with self._lock:
                self._flights.pop(key, None)


def _on_state(state: State, name: str, entries: int) -> GenerationMemo:
    """The memo ``state.<name>``, made on first use; ``entries`` when the REST cache is on,
    none when ``POLICYKG_REST_CACHE_ENTRIES=0``."""
    with _lock:
        found: GenerationMemo | None = getattr(state, name, None)
        if found is None:
            settings: Settings = state.settings
            found = GenerationMemo(entries if settings.rest_cache_entries else 0)
            setattr(state, name, found)
        return found


def detail_cache(state: State) -> GenerationMemo:
    """The REST detail answers (JSON bytes) of ``settings.rest_cache_entries`` answers (a
    measure's JSON is a few KB: the default 4,096 hold a few MB)."""
    settings: Settings = state.settings
    return _on_state(state, "detail_cache", settings.rest_cache_entries)


def memo(state: State) -> GenerationMemo:
    """The app's memo of corpus-wide tables."""
    return _on_state(state, "generation_memo", ENTRIES)


def answers(state: State) -> GenerationMemo:
    """Finished analysis answers and view pages (bytes), by endpoint and parameters."""
    return _on_state(state, "answer_memo", ANSWERS)


def measure_count(store: Any) -> int:
    """How many measures the store holds (a native COUNT: ~30 ms at 25,000 measures)."""
    rows = store.select("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure }")
    return int(rows[0]["n"]) if rows else 0


def network(state: State, store: Any, document: str | None, chapter: int | None) -> nx.MultiDiGraph:
    """The networkx graph every analysis and view reads, built once per write and selection;
    only a few are kept (a 1,000-document network holds ~190,000 edges)."""
    check_filters(document, chapter)
    if document is None:
        count = kept(state, ("measures",), lambda: measure_count(store))
        if count > ANALYSIS_LIMIT:
            if getattr(getattr(state, "refresher", None), "busy", False):
                raise ServiceBusy(
                    f"the whole corpus has {count:,} measures, too many to analyse per "
                    "request; its answers are being made after the last write: retry in "
                    "a moment, or choose a document (document=…)",
                    retry_after_s=KEPT_RETRY_AFTER_S,
                )
            raise InvalidParameter(
                f"the whole corpus has {count:,} measures; analyses and views of more than "
                f"{ANALYSIS_LIMIT:,} at once are not made per request: choose a document "
                "(document=…), or run `policykg plan` / `policykg viz` offline"
            )
    return _on_state(state, "network_memo", NETWORKS).get(
        ("network", document, chapter),
        write_generation(state),
        lambda: build_network(store, document=document, chapter=chapter),
    )


def kept(state: State, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from earlier in this write generation."""
    return memo(state).get(key, write_generation(state), compute)


def summaries(state: State, store: Any, iris: Iris, rebuild: bool = False) -> Summaries | None:
    """The per-document summaries (graph/rdf/summary.py), kept per write. None when the store
    holds too few of them (written before summaries: ``policykg load`` again fills them
    in without rewriting a document), unless ``rebuild``: then the missing ones are made
    from their graphs (~50-90 ms each), once per write."""
    found: tuple[Summaries | None] = kept(
        state, ("summaries",), lambda: (corpus.summaries(store, iris),)
    )
    if found[0] is None and rebuild:
        return kept(
            state,
            ("summaries", "rebuilt"),
            lambda: corpus.summaries(store, iris, rebuild_at_most=1 << 62) or {},
        )
    return found[0]


def rollup(state: State, store: Any, iris: Iris) -> Row | None:
    """The writer's rollup of the summaries (graph/catalog/rollup.py) when it is current,
    kept per write: one literal instead of a thousand."""
    found: tuple[Row | None] = kept(
        state, ("rollup",), lambda: (corpus_rollup.current(store, iris),)
    )
    return found[0]


def agency_table(state: State, store: Any, iris: Iris, q: str | None = None) -> list[Row]:
    """The agency table of :func:`graph.catalog.lists.agency_table`, kept per write: the
    writer's rollup, else its counts summed from the summaries (0.1 s against ~1-5 s for
    the corpus-wide aggregate at 1,000 documents), else that aggregate."""

    def compute() -> list[Row]:
        kept_rollup = rollup(state, store, iris)
        if kept_rollup is not None:
            if not q:
                table: list[Row] = kept_rollup["agency_table"]
                return table
            return catalog_lists.agency_table(store, iris, q, kept_rollup["agency_counts"])
        found = summaries(state, store, iris)
        counts = corpus.agency_counts(iris, found) if found is not None else None
        return catalog_lists.agency_table(store, iris, q, counts)

    return kept(state, ("agencies", q or ""), compute)


def corpus_view(state: State, store: Any, iris: Iris) -> Row:
    """The corpus view of :func:`graph.catalog.corpus.corpus_view`, kept per write."""

    def compute() -> Row:
        kept_rollup = rollup(state, store, iris)
        if kept_rollup is not None:
            view: Row = kept_rollup["view"]
            return view
        return corpus.corpus_view(store, iris, summaries(state, store, iris, rebuild=True) or {})

    return kept(state, ("corpus",), compute)


def documents(state: State, store: Any, iris: Iris) -> list[Row]:
    """Every document with its fields and level (graph.catalog.corpus.documents), kept."""

    def compute() -> list[Row]:
        kept_rollup = rollup(state, store, iris)
        if kept_rollup is not None:
            docs: list[Row] = kept_rollup["documents"]
            return docs
        return corpus.documents(summaries(state, store, iris, rebuild=True) or {})

    return kept(state, ("documents",), compute)


def measures_per(state: State, store: Any, iris: Iris, name: str) -> dict[str, int]:
    """Measures per target group (``groups``) or program (``programs``), kept per write."""

    def compute() -> dict[str, int]:
        kept_rollup = rollup(state, store, iris)
        if kept_rollup is not None:
            found: dict[str, int] = kept_rollup[name]
            return found
        return corpus_rollup.sums(summaries(state, store, iris, rebuild=True) or {}, name)

    return kept(state, ("measures per", name), compute)
