"""A measure's text cut into segments, each marked by the spans that cover it.

The store keeps where every responsibility names its agency and where every target-group or
program mention stands (``pkg:spanStart``/``pkg:spanEnd``, offsets into the document's source
text, as is the measure's own ``pkg:spanStart``). The clause itself has no stored span: it is
found from the agencies' spans, as the bracket pair ``（责任单位：…）`` around them (or, with no
bracket, the rest of the sentence they stand in). Pure: text and offsets in, segments out; the
template escapes every segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

_OPEN = "（("
_CLOSE = "）)"
_SENTENCE_END = "。；;\n"


@dataclass(frozen=True)
class Mark:
    """``[start, end)`` in the measure's text; ``kind`` is its CSS class (clause, agency,
    group, program); ``href`` and ``title`` make it a link with a tooltip."""

    start: int
    end: int
    kind: str
    href: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...] = ()
    href: str | None = None
    title: str | None = None
    marks: tuple[Mark, ...] = field(default=(), compare=False)


def clause_ranges(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The responsibility clauses holding the agency ``spans`` (offsets into ``text``), merged:
    from the bracket open before a span to its closing bracket, else from the sentence start
    to the sentence end."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if ranges and ranges[-1][0] <= start < ranges[-1][1]:
            continue
        opened = _unclosed_bracket(text, start)
        if opened is not None:
            close = _closing_bracket(text, end)
            ranges.append((opened, close))
            continue
        begin = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
        stops = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
        ranges.append((begin, min(stops) + 1 if stops else len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _unclosed_bracket(text: str, before: int) -> int | None:
    """Where the innermost bracket still open at ``before`` opens (None: none is open)."""
    depth = 0
    for i in range(before - 1, -1, -1):
        if text[i] in _CLOSE:
            depth += 1
        elif text[i] in _OPEN:
            if depth == 0:
                return i
            depth -= 1
        elif text[i] == "\n":
            return None
    return None


def _closing_bracket(text: str, after: int) -> int:
    """One past the bracket closing the one open at ``after`` (the line's end if none)."""
    depth = 0
    for i in range(after, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            if depth == 0:
                return i + 1
            depth -= 1
        elif text[i] == "\n":
            return i
    return len(text)


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """``text`` cut at every mark boundary; each piece lists the kinds of the marks covering
    it, outermost first, and takes link and tooltip from the innermost mark having one. Marks
    outside the text are clipped; empty ones dropped."""
    kept = [
        Mark(max(0, m.start), min(len(text), m.end), m.kind, m.href, m.title)
        for m in marks
        if min(len(text), m.end) > max(0, m.start)
    ]
    cuts = sorted({0, len(text), *(m.start for m in kept), *(m.end for m in kept)})
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = sorted(
            (m for m in kept if m.start <= start and end <= m.end),
            key=lambda m: (-(m.end - m.start), m.start),
        )
        linked = [m for m in covering if m.href or m.title]
        inner = linked[-1] if linked else None
        out.append(
            Segment(
                text=text[start:end],
                kinds=tuple(dict.fromkeys(m.kind for m in covering)),
                href=inner.href if inner else None,
                title=inner.title if inner else None,
                marks=tuple(covering),
            )
        )
    return out
