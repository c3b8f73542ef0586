"""Answers kept per write generation: REST detail pages, and corpus-wide tables.

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

from starlette.datastructures import State

from api.deps import write_generation
from graph.catalog import lists as catalog_lists
from graph.catalog.details import Row
from graph.settings import Settings
from ontology.iris import Iris

T = TypeVar("T")

#: Tables kept at once (one per distinct name filter, say).
ENTRIES = 16

_lock = threading.Lock()


class GenerationMemo:
    """Values by key, each valid for the write generation it was computed under (an entry of
    another generation is a miss); the ``entries`` most recently used are kept."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

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
        found: T | None = self.lookup(key, generation)
        if found is not None:
            return found
        value = compute()  # outside the lock: a slow table must not block other keys
        self.store(key, generation, value)
        return value


_DETAILS_LOCK = threading.Lock()


def detail_cache(state: State) -> GenerationMemo:
    """The REST detail answers (JSON bytes), made on first use, of
    ``settings.rest_cache_entries`` answers (a measure's JSON is a few KB: the default 4,096
    hold a few MB)."""
    with _DETAILS_LOCK:
        found: GenerationMemo | None = getattr(state, "detail_cache", None)
        if found is None:
            settings: Settings = state.settings
            found = GenerationMemo(settings.rest_cache_entries)
            state.detail_cache = found
        return found


def memo(state: State) -> GenerationMemo:
    """The app's memo, made on first use (empty when the REST cache is turned off)."""
    with _lock:
        found: GenerationMemo | None = getattr(state, "generation_memo", None)
        if found is None:
            settings: Settings = state.settings
            found = GenerationMemo(ENTRIES if settings.rest_cache_entries else 0)
            state.generation_memo = found
        return found


def kept(state: State, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from earlier in this write generation."""
    return memo(state).get(key, write_generation(state), compute)


def agency_table(state: State, store: Any, iris: Iris, q: str | None = None) -> list[Row]:
    """The agency table of :func:`graph.catalog.lists.agency_table`, kept per write."""
    return kept(state, ("agencies", q or ""), lambda: catalog_lists.agency_table(store, iris, q))
