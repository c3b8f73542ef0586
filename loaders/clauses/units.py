"""Unit names: whether a piece of text reads as one, and a list of them split into names.

A unit ends like an organ (局, 委, 厅, 部, 人民政府 …), is a known short name (共青团中央,
人民银行) or a collective (各省级人民政府); it never contains prose (的, 由, 向 …). The
government-function vocabulary (``ontology.functions``) is asked for the rest.

>>> text = "财政部、人民银行等和各省级人民政府"
>>> [n.text for n in split_names(text, text, 0)]
['财政部', '人民银行', '各省级人民政府']
>>> [n.text for n in split_names("工业和信息化部及商务部", "工业和信息化部及商务部", 0)]
['工业和信息化部', '商务部']
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from loaders.clauses.brackets import depth_zero, split_top
from loaders.clauses.lexicon import lexicon
from loaders.model import Role
from ontology import functions


class Name(NamedTuple):
    """One unit name as written (offsets into the normalised text), with a marker role
    (a tuple: a clause reading makes dozens, and a named tuple is made several times faster
    than a frozen dataclass)."""

    text: str
    start: int
    end: int
    role: Role | None  # from a marker: 市人社局（牵头）
    person: bool = False  # 张三副县长: a person, kept as a leader, never an agency


@lru_cache(maxsize=16384)
def looks_like_unit(name: str) -> bool:
    """Whether a (folded) name reads as an organisation, not as a sentence (cached)."""
    lex = lexicon()
    if len(name) < 2 or len(name) > 40 or name in lex.generic:
        return False
    if name in lex.names:
        return True
    if lex.prose.search(name) or name[0].isdigit():
        return False
    ending = lex.ending.search(name)
    if ending is not None and ending.start() > 0:
        return True
    return functions.looks_like_unit(name)  # also collectives: 各区县, 各乡镇（街道）; not 各项任务


@lru_cache(maxsize=16384)
def ends_like_unit(name: str) -> bool:
    """Stricter than :func:`looks_like_unit`: an organ's ending, a known name or a
    collective. Used on both sides of 和/及, so 市文化和旅游局 is not 市文化 + 旅游局."""
    lex = lexicon()
    if len(name) < 2 or name in lex.generic or lex.prose.search(name):
        return False
    ending = lex.ending.search(name)
    return (
        (ending is not None and ending.start() > 0)
        or name in lex.names
        or bool(lex.collective.search(name))
    )


@lru_cache(maxsize=16384)
def is_collective(name: str) -> bool:
    """各省级人民政府, 各有关部门和单位, 国务院各部门: one unit standing for many."""
    return bool(lexicon().collective.search(name)) or functions.read_unit(name).collective


def _strip_trailing(raw: str, folded: str, start: int) -> tuple[str, str, int]:
    """Drop a closing 等-form (A等 → A); returns raw, folded, end offset."""
    match = lexicon().trailing.search(folded)
    if match and match.start() > 0:
        raw, folded = raw[: match.start()].rstrip(), folded[: match.start()].rstrip()
    return raw, folded, start + len(raw)


@lru_cache(maxsize=32768)
def _piece(raw: str, folded: str, strict: bool = False) -> tuple[Name, ...] | None:
    """A piece between 、 → one or more names, offsets relative to the piece (cached: the
    same names recur across clauses). A conditional connector may split it; the two sides
    of a split must each end like a unit (``strict``)."""
    lex = lexicon()
    raw, folded, end = _strip_trailing(raw, folded, 0)
    role: Role | None = None
    marker = lex.marker.search(folded)
    if marker:
        role = lex.marker_role[marker.group("word")]
        raw, folded = raw[: marker.start()].rstrip(), folded[: marker.start()].rstrip()
        end = len(raw)
    if not folded:
        return ()
    if lex.any_conditional.search(folded):
        outside = depth_zero(folded)
        for connector in lex.conditional:
            for match in connector.finditer(folded):
                a, b = match.span()
                if not outside[a]:
                    continue
                left = _piece(raw[:a].rstrip(), folded[:a].rstrip(), True)
                right_raw = raw[b:]
                lead = b + len(right_raw) - len(right_raw.lstrip())
                right = _piece(right_raw.strip(), folded[b:].strip(), True)
                if left and right:
                    return (*left, *_shift(right, lead))
    if ends_like_unit(folded) if strict else looks_like_unit(folded):
        return (Name(raw, 0, end, role),)
    if lex.person.fullmatch(folded):
        return (Name(raw, 0, end, role, person=True),)
    return None


def _shift(names: tuple[Name, ...], by: int) -> tuple[Name, ...]:
    return tuple(Name(n.text, n.start + by, n.end + by, n.role, n.person) for n in names)


def split_names(raw: str, folded: str, start: int) -> list[Name] | None:
    """Names of a list joined by 、 (and 及/和 between two units); None when a piece is prose."""
    names: list[Name] = []
    for piece, a, b in split_top(folded, lexicon().always, 0):
        found = _piece(raw[a:b], piece)
        if found is None:
            return None
        by = start + a
        names.extend(Name(n.text, n.start + by, n.end + by, n.role, n.person) for n in found)
    return names
