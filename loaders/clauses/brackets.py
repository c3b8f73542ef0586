"""Brackets of every kind, depth-aware: ``（）() 〔〕 [] 【】 <> 〈〉 《》``.

Names nest brackets of any kind (``各县（市、区）人民政府``, ``各县<市、区>人民政府``), so a
separator counts only at depth 0. Offsets are into the normalised text (full-width forms
are already ASCII there: ``（`` → ``(``).

>>> split_top("各县(市、区)人民政府、市财政局", "、")
[('各县(市、区)人民政府', 0, 11), ('市财政局', 12, 16)]
"""

from __future__ import annotations

import re
from functools import lru_cache

OPENERS = "([〔【<〈《{"
CLOSERS = ")]〕】>〉》}"
_ANY_BRACKET = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")
#: Brackets that may hold a responsibility clause (《》 hold titles).
CLAUSE_OPENERS = "([〔【<〈"


@lru_cache(maxsize=64)
def _separators(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


@lru_cache(maxsize=64)
def _marks(separators: str) -> re.Pattern[str]:
    """Brackets and separators: the only characters :func:`split_top` must look at."""
    return re.compile(f"[{re.escape(OPENERS + CLOSERS + separators)}]")


def split_top(text: str, separators: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Split at separators outside brackets; pieces stripped, with offsets (+ ``offset``).
    (Separators are single characters: the regular expressions skip all the others.)"""
    pieces: list[tuple[str, int, int]] = []
    if _ANY_BRACKET.search(text) is None:
        a = offset
        for piece in _separators(separators).split(text):
            stripped = piece.strip()  # _piece, inlined: this is the common case
            if stripped:
                lead = a + len(piece) - len(piece.lstrip())
                pieces.append((stripped, lead, lead + len(stripped)))
            a += len(piece) + 1
        return pieces
    start = 0
    depth = 0
    for match in _marks(separators).finditer(text):
        i = match.start()
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:  # a separator
            _piece(pieces, text[start:i], start, offset)
            start = i + 1
    _piece(pieces, text[start:], start, offset)
    return pieces


def _piece(pieces: list[tuple[str, int, int]], piece: str, a: int, offset: int) -> None:
    stripped = piece.strip()
    if stripped:
        lead = offset + a + len(piece) - len(piece.lstrip())
        pieces.append((stripped, lead, lead + len(stripped)))


def top_level(text: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """Top-level bracket pairs in ``text[start:end]``: (open, close) offsets, close None
    when the bracket never closes on its line (a missing closing bracket, or a stray
    ``<``): the rest of that line is then scanned again, so a clause after it is found."""
    pairs: list[tuple[int, int | None]] = []
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        _line_pairs(text, pos, stop, pairs)
        pos = stop + 1
    return pairs


def _line_pairs(text: str, start: int, end: int, pairs: list[tuple[int, int | None]]) -> None:
    depth = 0
    opened = -1
    for match in _ANY_BRACKET.finditer(text, start, end):
        i = match.start()
        if text[i] in OPENERS:
            if depth == 0:
                opened = i
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                pairs.append((opened, i))
    if depth > 0:
        pairs.append((opened, None))
        _line_pairs(text, opened + 1, end, pairs)


def depth_zero(text: str) -> list[bool]:
    """For each character, whether it is outside every bracket (brackets themselves: no)."""
    out: list[bool] = []
    depth = 0
    last = 0
    for match in _ANY_BRACKET.finditer(text):
        i = match.start()
        out.extend([depth == 0] * (i - last))
        out.append(False)
        depth = depth + 1 if text[i] in OPENERS else max(0, depth - 1)
        last = i + 1
    out.extend([depth == 0] * (len(text) - last))
    return out
