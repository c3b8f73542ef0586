"""Target-group mentions: longest SKOS label wins, shorter labels inside it are not counted."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ontology.registry import GroupEntry, groups


@dataclass(frozen=True)
class GroupHit:
    entry: GroupEntry
    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _labels() -> dict[str, GroupEntry]:
    by_label: dict[str, GroupEntry] = {}
    for entry in groups():
        for label in (entry.label, *entry.alt_labels):
            by_label.setdefault(label, entry)
    return by_label


@lru_cache(maxsize=8)
def _occurrences(text: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Every occurrence of every label in ``text`` (overlapping ones too) as (start, end,
    label), by start, and the starts alone (cached: a document's measures are searched in
    the same text, so each measure takes its slice instead of searching every label)."""
    found: list[tuple[int, int, str]] = []
    for label in _labels():
        pos = text.find(label)
        while pos != -1:
            found.append((pos, pos + len(label), label))
            pos = text.find(label, pos + 1)
    found.sort(key=lambda c: c[0])
    return [c[0] for c in found], found


def find_groups(
    text: str, start: int, end: int, excluded: Iterable[tuple[int, int]] = ()
) -> list[GroupHit]:
    """First mention of each group in ``text[start:end]``, outside the excluded ranges."""
    by_label = _labels()
    blocked = list(excluded)
    starts, found = _occurrences(text)
    # (no two candidates share start and length, so their first order does not matter)
    candidates = [
        c
        for c in found[bisect.bisect_left(starts, start) : bisect.bisect_right(starts, end)]
        if c[1] <= end
    ]
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, str]] = []
    for cand in candidates:
        a, b = cand[0], cand[1]
        if not any(a < e and s < b for s, e in blocked) and not any(
            a < t[1] and t[0] < b for t in taken
        ):
            taken.append(cand)
    hits: list[GroupHit] = []
    seen: set[str] = set()
    for s, e, label in sorted(taken):
        entry = by_label[label]
        if entry.id not in seen:
            seen.add(entry.id)
            hits.append(GroupHit(entry, label, s, e))
    return hits
