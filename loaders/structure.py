"""Chapters, sections and measures from the document's own numbering.

The *measure level* is the numbering level that carries the responsibility clauses: the
kind of item (see :mod:`loaders.numbering`) with the most items holding a clause, the
higher level on a tie (a clause after sub-items (1)(2) belongs to the item above them). The
levels above it are chapters and, when there are two, sections between chapters and
measures. A document with no clauses at all keeps the plain rule: the highest level with a
level under it gives chapters, the next one measures.

Framework items numbered like measures (指导思想, 基本原则, 发展目标 …, see
:data:`FRAMEWORK`) are not measures when they hold no clause, nor is anything under a
framework heading; headings without measures are not chapters. Measure ordinals run 1, 2, 3
across the document, also where the numbering restarts (a closing 保障措施 chapter).
Every such decision is reported as a :class:`Note` for the diagnostics.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from loaders.numbering import ORDER, RANK, Item, Line, Numbering, classify, sequence, split_lines

__all__ = ["Line", "Note", "RawChapter", "RawMeasure", "Structure", "find_structure", "split_lines"]

#: Headings of the framework a document sets out before its measures (never measures).
FRAMEWORK = re.compile(
    r"^(?:总体要求|指导思想|基本原则|工作原则|主要原则|主要目标|工作目标|发展目标|总体目标|"
    r"目标任务|主要任务目标|适用范围|总体思路|工作思路|基本思路|编制依据|总体要求和目标|"
    r"总体要求与目标|指导思想和基本原则|指导思想和目标任务|目标要求|重要意义)$"
)
_CLOSING = re.compile(
    r"^(本(?:若干)?(?:措施|办法|方案|意见|通知|规定|细则|政策|决定|计划)|附件|附:|抄送|此件|本件|"
    r"上一篇|下一篇|【?打印|关闭|.{0,30}自.{0,24}(?:施行|实施|执行|生效)。?$)"
)
_SENTENCE_PUNCT = re.compile(r"[。,;:!?]")
_HEADING_END = re.compile(r"[。;:!?]")


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
    section: int | None = None
    number: str = ""  # the marker as written (（三）, 1.)


@dataclass(frozen=True)
class Note:
    """A structural decision or doubt, for :mod:`loaders.diagnostics`."""

    kind: str
    message: str
    start: int
    end: int


@dataclass(frozen=True)
class Structure:
    chapters: tuple[RawChapter, ...]  # empty: one implicit chapter
    measures: tuple[RawMeasure, ...]
    sections: tuple[RawChapter, ...] = ()
    notes: tuple[Note, ...] = ()


def _has_clause(clause_lines: list[int], first: int, stop: int) -> bool:
    k = bisect.bisect_left(clause_lines, first)
    return k < len(clause_lines) and clause_lines[k] < stop


def _clause_level(
    kept: dict[str, tuple[Item, ...]], clause_lines: list[int], plain: str | None
) -> str | None:
    """The kind whose items most often hold a clause.

    On a tie the plain rule's measure level wins if it is among the tied kinds (a stray
    aside read as a clause must not turn chapters into measures), else the higher kind (a
    clause after sub-items (1)(2) belongs to the item above them).
    """
    scores: dict[str, int] = {}
    for kind in ORDER:
        items = kept.get(kind)
        if not items:
            continue
        stops = sorted(
            {i.line for k in ORDER[: RANK[kind] + 1] for i in kept.get(k, ())} | {1 << 30}
        )
        hits = 0
        for item in items:
            stop = stops[bisect.bisect_right(stops, item.line)]
            hits += _has_clause(clause_lines, item.line, stop)
        if hits:
            scores[kind] = hits
    if not scores:
        return None
    best = max(scores.values())
    tied = [kind for kind in ORDER if scores.get(kind) == best]
    return plain if plain in tied else tied[0]


def _plain_levels(kept: dict[str, tuple[Item, ...]]) -> tuple[str | None, str | None]:
    """No clauses: the highest level with a level under it gives chapters, the next measures."""
    present = [name for name in ORDER if kept.get(name)]
    if not present:
        return None, None
    first = present[0]
    below = [n for n in present[1:] if kept[n][-1].line > kept[first][0].line]
    if first in ("part", "cn") and below:
        return first, below[0]
    if first == "part":
        return None, None
    return None, first


def _measure_end(
    lines: list[Line], first: int, stop: int, clause_lines: list[int], with_clauses: bool
) -> int:
    """Index after the measure's last line.

    The measure runs to the next heading, a closing line or a line that is not prose; in a
    document with clauses it ends with its last clause paragraph (several clause
    paragraphs in a row are all the measure's).
    """
    clause_set = clause_lines
    last = first
    seen = _has_clause(clause_set, first, first + 1)
    for index in range(first + 1, stop):
        text = lines[index].text
        if _CLOSING.match(text) or not _SENTENCE_PUNCT.search(text):
            break
        here = with_clauses and _has_clause(clause_set, index, index + 1)
        if seen and not here:
            break
        last = index
        seen = seen or here
    return last + 1


def _heading(written: str, item: Item) -> tuple[str, int]:
    """The heading text of an item (its first sentence) and where it ends."""
    text = written[item.body_start : item.title_end]
    cut = _HEADING_END.search(text)
    title = (text[: cut.start()] if cut else text).strip()
    return title, item.body_start + len(title)


def _marker(lines: list[Line], written: str, item: Item) -> str:
    return written[lines[item.line].start : item.body_start].strip()


@dataclass
class _Walk:
    """Mutable state while walking the headings in document order."""

    chapter: Item | None = None
    section: Item | None = None
    previous: Item | None = None  # the previous measure-level item
    boundary_since: bool = False  # a chapter or section heading since ``previous``


def _numbering_notes(
    lines: list[Line], written: str, seqs: dict[str, Numbering], kinds: list[str]
) -> list[Note]:
    notes: list[Note] = []
    for kind in kinds:
        seq = seqs[kind]
        if not seq.kept:
            continue
        first, last = seq.kept[0].line, seq.kept[-1].line
        for item, expected in seq.gaps:
            mark = _marker(lines, written, item)
            notes.append(
                Note(
                    "numbering_gap",
                    f"numbering skips from {expected - 1} to {item.number} at “{mark}”",
                    lines[item.line].start,
                    item.body_start,
                )
            )
        for item, expected in seq.stray:
            if first < item.line < last:
                mark = _marker(lines, written, item)
                notes.append(
                    Note(
                        "numbering_jump",
                        f"“{mark}” does not continue the numbering (expected {expected}); "
                        "read as part of the text, not as a heading",
                        lines[item.line].start,
                        item.body_start,
                    )
                )
    return notes


def find_structure(
    lines: list[Line], written: str | None = None, clause_lines: list[int] | None = None
) -> Structure:
    """Chapters, sections and measures in document order.

    ``written`` is the text headings are cut from (the lines may be its simplified form);
    ``clause_lines`` are the sorted indices of the lines holding a responsibility clause.
    """
    written = written if written is not None else "\n".join(line.text for line in lines)
    clauses = clause_lines or []
    seqs = {kind: sequence(items) for kind, items in classify(lines).items()}
    kept = {kind: seq.kept for kind, seq in seqs.items() if seq.kept}
    chapter_kind, plain_kind = _plain_levels(kept)
    measure_kind = _clause_level(kept, clauses, plain_kind) if clauses else None
    section_kind: str | None = None
    if measure_kind is None:
        measure_kind = plain_kind
        if measure_kind is None:
            return Structure((), ())
    else:
        last_measure = kept[measure_kind][-1].line
        above = [k for k in ORDER[: RANK[measure_kind]] if k in kept]
        above = [k for k in above if kept[k][0].line < last_measure]
        chapter_kind = above[-2] if len(above) >= 2 else (above[-1] if above else None)
        section_kind = above[-1] if len(above) >= 2 else None
    chapter_items = list(kept[chapter_kind]) if chapter_kind else []
    section_items = list(kept[section_kind]) if section_kind else []
    measure_items = list(kept[measure_kind])
    if chapter_items:
        measure_items = [m for m in measure_items if m.line > chapter_items[0].line]
    stops = {i.line for k in ORDER[: RANK[measure_kind]] for i in kept.get(k, ())}
    by_line: dict[int, tuple[str, Item]] = {}
    for role, items in (("chapter", chapter_items), ("section", section_items)):
        by_line.update({i.line: (role, i) for i in items})
    by_line.update({m.line: ("measure", m) for m in measure_items})
    boundaries = sorted(stops | set(by_line))
    notes = _numbering_notes(
        lines, written, seqs, [k for k in (chapter_kind, section_kind, measure_kind) if k]
    )
    walk = _Walk()
    placed: list[tuple[Item | None, Item | None, int, int, Item]] = []
    for k, line_index in enumerate(boundaries):
        role, item = by_line.get(line_index, ("stop", None))
        if item is None:
            continue
        if role == "chapter":
            walk.chapter, walk.section, walk.boundary_since = item, None, True
            continue
        if role == "section":
            walk.section, walk.boundary_since = item, True
            continue
        stop = boundaries[k + 1] if k + 1 < len(boundaries) else len(lines)
        end_line = _measure_end(lines, line_index, stop, clauses, bool(clauses))
        title, _ = _heading(written, item)
        framed = [h for h in (walk.chapter, walk.section) if h is not None]
        under = next((h for h in framed if FRAMEWORK.match(_heading(written, h)[0])), None)
        if not _has_clause(clauses, line_index, end_line) and (FRAMEWORK.match(title) or under):
            mark = _marker(lines, written, item)
            where = f" (under “{_heading(written, under)[0]}”)" if under is not None else ""
            notes.append(
                Note(
                    "framework_skipped",
                    f"“{mark}{title}” is a framework item{where}, not a measure",
                    lines[line_index].start,
                    item.title_end,
                )
            )
            continue
        if walk.previous is not None and item.number == 1 and not walk.boundary_since:
            mark = _marker(lines, written, item)
            notes.append(
                Note(
                    "numbering_restart",
                    f"numbering restarts at “{mark}” with no new heading; ordinals continue",
                    lines[line_index].start,
                    item.body_start,
                )
            )
        walk.previous, walk.boundary_since = item, False
        last = lines[end_line - 1]
        placed.append(
            (walk.chapter, walk.section, item.body_start, last.start + len(last.text), item)
        )
    chapters, chapter_ord = _numbered(
        written, chapter_items, {id(p[0]) for p in placed}, notes, lines
    )
    sections, section_ord = _numbered(
        written, section_items, {id(p[1]) for p in placed}, notes, lines, chapter_items
    )
    measures = tuple(
        RawMeasure(
            chapter=chapter_ord.get(id(ch), 1) if ch is not None else 1,
            start=start,
            end=end,
            section=section_ord.get(id(sec)) if sec is not None else None,
            number=_marker(lines, written, item),
        )
        for ch, sec, start, end, item in placed
    )
    return Structure(chapters, measures, sections, tuple(sorted(notes, key=lambda n: n.start)))


def _numbered(
    written: str,
    items: list[Item],
    used: set[int],
    notes: list[Note],
    lines: list[Line],
    parents: Sequence[Item] = (),
) -> tuple[tuple[RawChapter, ...], dict[int, int]]:
    """Headings that hold measures, numbered 1, 2, 3; the others reported (a heading under
    a framework heading, such as the principles under 基本原则, is framework too)."""
    out: list[RawChapter] = []
    ordinals: dict[int, int] = {}
    for item in items:
        title, title_end = _heading(written, item)
        if id(item) in used:
            ordinals[id(item)] = len(out) + 1
            out.append(RawChapter(len(out) + 1, title, item.body_start, title_end))
            continue
        mark = _marker(lines, written, item)
        parent = next((p for p in reversed(parents) if p.line < item.line), None)
        above = _heading(written, parent)[0] if parent is not None else ""
        if FRAMEWORK.match(title):
            kind, said = "framework_skipped", "is a framework heading, not a chapter"
        elif FRAMEWORK.match(above):
            kind, said = "framework_skipped", f"is a framework item (under “{above}”)"
        else:
            kind, said = "heading_without_measures", "holds no measures"
        notes.append(Note(kind, f"“{mark}{title}” {said}", lines[item.line].start, item.title_end))
    return tuple(out), ordinals
