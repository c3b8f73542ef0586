"""The numbering a document uses for its levels: which lines are numbered items, and how.

Chinese policy documents number their levels 第一章 > 一、 > （一） / 第一条 > 1. > （1） > ①,
with full-width, ASCII or small-form punctuation (all ``(`` ``.`` after normalisation) and
stray spaces (``1 .``, ``( 一 )``). A document exported to one line (docx exports, news
pages) is split on its own numbering, without changing a character of the text.

Each kind is one line of :data:`KINDS` (name, pattern); ``KINDS`` is also the usual order
of the levels from the top down. A pattern's group 1 is the number, group 2 the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.text_utils import CN_NUM, cn_number

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第({CN_NUM}|\d+)(?:章|部分|篇)\s*(.*)$")),  # 第一章 / 第一部分
    ("cn", re.compile(rf"^({CN_NUM})\s*、\s*(.+)$")),  # 一、
    ("article", re.compile(rf"^第({CN_NUM}|\d+)条\s*(.+)$")),  # 第一条
    ("paren_cn", re.compile(rf"^\(\s*({CN_NUM})\s*\)\s*(.+)$")),  # （一） (一) ( 一 )
    ("arabic", re.compile(r"^(\d{1,3})\s*(?:\.(?!\d)|、)\s*(.+)$")),  # 1. 1． 1﹒ 1、 1 .
    ("paren_ar", re.compile(r"^\(\s*(\d{1,3})\s*\)\s*(.+)$")),  # （1） (1)
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*(.+)$")),  # ①
)
ORDER: tuple[str, ...] = tuple(name for name, _ in KINDS)
RANK: dict[str, int] = {name: k for k, name in enumerate(ORDER)}

#: Where a numbered item may start inside a line of a one-line document: after a sentence
#: or clause end (or a space); ``（一）`` also right after a heading (一、总体要求（一）…).
_MID_MARKER = re.compile(
    rf"(?:(?<=[。;:!?)\]”】 ])(?:第(?:{CN_NUM}|\d+)(?:章|部分|篇|条)|{CN_NUM}\s*、"
    rf"|\d{{1,3}}\s*(?:\.(?!\d)|、)|\(\s*\d{{1,3}}\s*\)|[{_CIRCLED}])"
    rf"|\(\s*{CN_NUM}\s*\)(?=\S))"
)
_HIGH_MID = re.compile(rf"(?:第(?:{CN_NUM}|\d+)(?:章|部分|篇|条)|{CN_NUM}\s*、|\(\s*{CN_NUM}\s*\))")


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # offset in the normalised text


@dataclass(frozen=True)
class Item:
    kind: str
    number: int
    line: int  # index into the lines
    body_start: int  # offset of the text after the marker
    title_end: int  # end of the line


def _circled(text: str) -> int | None:
    pos = _CIRCLED.find(text)
    return pos + 1 if pos >= 0 else None


def split_lines(text: str) -> list[Line]:
    """Non-empty lines, stripped, with their offsets (one-line documents are split)."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            lines.extend(_split_run(Line(stripped, pos + lead)))
        pos += len(raw) + 1
    return lines


def _split_run(line: Line) -> list[Line]:
    """A line holding a run of numbered items (two or more headings) → one line per item."""
    text = line.text
    if len(text) < 40:
        return [line]
    cuts = [m.start() for m in _MID_MARKER.finditer(text) if m.start() > 0]
    if sum(1 for c in cuts if _HIGH_MID.match(text, c)) < 2:
        return [line]
    pieces: list[Line] = []
    last = 0
    for cut in [*cuts, len(text)]:
        piece = text[last:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            pieces.append(Line(stripped, line.start + last + lead))
        last = cut
    return pieces


def classify(lines: list[Line]) -> dict[str, list[Item]]:
    """The numbered items of every kind, in document order."""
    found: dict[str, list[Item]] = {name: [] for name in ORDER}
    for index, line in enumerate(lines):
        first = line.text[0]
        if not (first.isdigit() or first in "第(" or first in _CIRCLED or "、" in line.text[:6]):
            continue
        for name, pattern in KINDS:
            match = pattern.match(line.text)
            if match is None:
                continue
            raw = match.group(1)
            number = _circled(raw) if name == "circled" else cn_number(raw)
            if number is None or number == 0:
                continue
            body = line.start + match.start(2)
            found[name].append(Item(name, number, index, body, line.start + len(line.text)))
            break
    return found


@dataclass(frozen=True)
class Numbering:
    """The items of one kind that form the document's numbering, and what did not fit."""

    kept: tuple[Item, ...]
    gaps: tuple[tuple[Item, int], ...]  # (item, the number expected there)
    stray: tuple[tuple[Item, int], ...]  # items left out: (item, the number expected)


def sequence(items: list[Item]) -> Numbering:
    """Numbers run on (n+1) or restart (1); a skip of one or two numbers is a gap (kept and
    reported) when the next item continues from it, else the item is stray (left out)."""
    kept: list[Item] = []
    gaps: list[tuple[Item, int]] = []
    stray: list[tuple[Item, int]] = []
    for k, item in enumerate(items):
        expected = kept[-1].number + 1 if kept else 1
        if item.number == 1 or item.number == expected:
            kept.append(item)
        elif (
            kept
            and expected < item.number <= expected + 2
            and k + 1 < len(items)
            and items[k + 1].number == item.number + 1
        ):
            gaps.append((item, expected))
            kept.append(item)
        else:
            stray.append((item, expected))
    return Numbering(tuple(kept), tuple(gaps), tuple(stray))
