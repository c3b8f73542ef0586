"""Chapters and measures from numbered lines of the normalised text.

Chinese policy documents number their levels 第一章 > 一、 > （一） / 第一条 > 1. > （1）.
The highest level present that has a lower level under it gives chapters; the next level
gives measures; deeper levels stay inside a measure's text. Numbering must run 1, 2, 3 …
(restarting at 1 is allowed), so a stray "3." in a footer is not a measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.responsibility import find_clause
from loaders.text_utils import CN_NUM, cn_number

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第({CN_NUM}|\d+)(?:章|部分|篇)\s*(.*)$")),
    ("cn", re.compile(rf"^({CN_NUM})、\s*(.+)$")),
    ("article", re.compile(rf"^第({CN_NUM}|\d+)条\s*(.+)$")),
    ("paren_cn", re.compile(rf"^\(({CN_NUM})\)\s*(.+)$")),
    ("arabic", re.compile(r"^(\d{1,3})(?:\.(?!\d)|、)\s*(.+)$")),
    ("paren_ar", re.compile(r"^\((\d{1,3})\)\s*(.+)$")),
)
_ORDER = [name for name, _ in _PATTERNS]
_CLOSING = re.compile(
    r"^(本(?:若干)?(?:措施|办法|方案|意见|通知|规定|细则|政策|决定|计划)|附件|附:|抄送|此件|本件|"
    r"上一篇|下一篇|【?打印|关闭|.{0,30}自.{0,24}(?:施行|实施|执行|生效)。?$)"
)
_SENTENCE_PUNCT = re.compile(r"[。,;:!?]")


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
    title_end: int  # end of the heading text on its line


@dataclass(frozen=True)
class RawChapter:
    ordinal: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class RawMeasure:
    chapter: int
    start: int  # text after the marker
    end: int  # end of the measure's last line


@dataclass(frozen=True)
class Structure:
    chapters: tuple[RawChapter, ...]  # empty: one implicit chapter
    measures: tuple[RawMeasure, ...]


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            lines.append(Line(stripped, pos + lead))
        pos += len(raw) + 1
    return lines


def _classify(lines: list[Line]) -> dict[str, list[Item]]:
    found: dict[str, list[Item]] = {name: [] for name in _ORDER}
    for index, line in enumerate(lines):
        for name, pattern in _PATTERNS:
            match = pattern.match(line.text)
            if match is None:
                continue
            number = cn_number(match.group(1))
            if number is None or number == 0:
                continue
            body = line.start + match.start(2)
            found[name].append(Item(name, number, index, body, line.start + len(line.text)))
            break
    return found


def _sequence(items: list[Item]) -> list[Item]:
    """Keep items whose numbers run on (n+1) or restart (1)."""
    kept: list[Item] = []
    for item in items:
        if item.number == 1 or (kept and item.number == kept[-1].number + 1):
            kept.append(item)
    return kept


def _levels(found: dict[str, list[Item]]) -> tuple[str | None, str | None]:
    present = [name for name in _ORDER if _sequence(found[name])]
    if not present:
        return None, None
    first = present[0]
    below = [
        name
        for name in present[1:]
        if _sequence(found[name])[-1].line > _sequence(found[first])[0].line
    ]
    if first in ("part", "cn") and below:
        return first, below[0]
    if first == "part":
        return None, None
    return None, first


def _measure_end(lines: list[Line], first: int, stop: int) -> int:
    """Index after the measure's last line: at the next marker, a closing line or prose end."""
    last = first
    line = lines[first]
    if find_clause(line.text, 0, len(line.text)) is not None:
        return first + 1
    for index in range(first + 1, stop):
        text = lines[index].text
        if _CLOSING.match(text) or not _SENTENCE_PUNCT.search(text):
            break
        last = index
        if find_clause(text, 0, len(text)) is not None:
            break
    return last + 1


def find_structure(lines: list[Line]) -> Structure:
    """Chapters (possibly none) and measures in document order."""
    found = _classify(lines)
    chapter_kind, measure_kind = _levels(found)
    if measure_kind is None:
        return Structure((), ())
    chapter_items = _sequence(found[chapter_kind]) if chapter_kind else []
    measure_items = _sequence(found[measure_kind])
    if chapter_items:
        measure_items = [m for m in measure_items if m.line > chapter_items[0].line]
    boundaries = sorted({i.line for i in chapter_items} | {m.line for m in measure_items})
    chapters: list[RawChapter] = []
    measures: list[RawMeasure] = []
    chapter_lines = {c.line: c for c in chapter_items}
    measure_lines = {m.line for m in measure_items}
    current = 0 if chapter_items else 1
    for k, line_index in enumerate(boundaries):
        stop = boundaries[k + 1] if k + 1 < len(boundaries) else len(lines)
        if line_index in chapter_lines:
            item = chapter_lines[line_index]
            current += 1
            title = lines[line_index].text[item.body_start - lines[line_index].start :]
            chapters.append(RawChapter(current, title, item.body_start, item.title_end))
        elif line_index in measure_lines:
            end_line = _measure_end(lines, line_index, stop)
            last = lines[end_line - 1]
            start = lines[line_index].start
            body = next(m.body_start for m in measure_items if m.line == line_index)
            assert body >= start
            measures.append(RawMeasure(max(current, 1), body, last.start + len(last.text)))
    return Structure(tuple(chapters), tuple(measures))
