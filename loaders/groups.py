"""Target-group mentions: longest SKOS label wins, shorter labels inside it are not counted."""

from __future__ import annotations

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
def _present(text: str) -> tuple[str, ...]:
    """The labels occurring anywhere in ``text``, in :func:`_labels` order (cached: a
    document's measures are searched in the same text, so each measure looks only for the
    few labels its document holds instead of all of them)."""
    return tuple(label for label in _labels() if label in text)


def find_groups(
    text: str, start: int, end: int, excluded: Iterable[tuple[int, int]] = ()
) -> list[GroupHit]:
    """First mention of each group in ``text[start:end]``, outside the excluded ranges."""
    by_label = _labels()
    blocked = list(excluded)
    candidates: list[tuple[int, int, str]] = []
    for label in _present(text):
        pos = text.find(label, start, end)
        while pos != -1:
            candidates.append((pos, pos + len(label), label))
            pos = text.find(label, pos + 1, end)
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, str]] = []
    for cand in candidates:
        overlaps = [*blocked, *((t[0], t[1]) for t in taken)]
        if not any(cand[0] < e and s < cand[1] for s, e in overlaps):
            taken.append(cand)
    hits: list[GroupHit] = []
    seen: set[str] = set()
    for s, e, label in sorted(taken):
        entry = by_label[label]
        if entry.id not in seen:
            seen.add(entry.id)
            hits.append(GroupHit(entry, label, s, e))
    return hits
