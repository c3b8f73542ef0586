"""The clause as the rest of the loaders see it: units with roles, notes, deadline, rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from loaders.model import Role


class Unit(NamedTuple):
    """A responsible unit: its name as written (role words stripped), offsets into the
    normalised text, and its role in the clause (a named tuple: made for every unit of
    every clause, several times faster than a frozen dataclass)."""

    name: str
    start: int
    end: int
    role: Role


@dataclass(frozen=True)
class Clause:
    """One responsibility clause as written (brackets included), offsets into the
    normalised text. ``unparsed``: it reads like a clause (role words at a clause's place)
    but not all of it could be read; it then has no units and is a diagnostic. A clause may
    name no unit but leaders (牵头负责领导：…) or a deadline (时限要求：…) on its own line."""

    text: str
    start: int
    end: int
    units: tuple[Unit, ...]
    notes: tuple[str, ...] = ()  # as written: 具体任务均涉及相关市(州)人民政府,不再做分工
    deadline: str | None = None  # as written: 2025年底前, 持续推进
    leaders: tuple[str, ...] = ()  # people, never agencies
    rule: str | None = None  # a lead rule stated here: 列第一位者为牵头单位,下同
    unparsed: bool = False
    # offsets of the pieces above, for spans: (start, end) into the normalised text
    note_spans: tuple[tuple[int, int], ...] = ()
    deadline_span: tuple[int, int] | None = None
    rule_span: tuple[int, int] | None = None


@dataclass
class LeadRules:
    """Per-document state: once a rule like 列第一位者为牵头单位，下同 is seen, every later
    clause applies it (first unit lead, the others support). One object per document."""

    active: bool = False
    text: str | None = None  # the rule as written (normalised text), when seen
    start: int | None = None  # its offsets into the normalised text
    end: int | None = None


def merge_units(clauses: Iterable[Clause]) -> tuple[Unit, ...]:
    """The union of the clauses' units in order of first appearance; a unit keeps the role
    of its first appearance (``市场监管总局`` sole in a first clause stays sole)."""
    seen: set[str] = set()
    out: list[Unit] = []
    for clause in clauses:
        for unit in clause.units:
            if unit.name not in seen:
                seen.add(unit.name)
                out.append(unit)
    return tuple(out)
