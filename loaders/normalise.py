"""Full-/half-width and whitespace normalisation that remembers original offsets.

Extraction rules run on the normalised text (one punctuation form, one space, ``\\n`` line
ends) so a full-width copy of a document extracts exactly like a half-width one; every
match is mapped back through :class:`NormText` to offsets into the original text.

Two further forms serve the structure and clause rules: *compact* text drops the spaces an
export leaves inside words (``自治 区农牧厅``; exactly the spaces the measure text never
shows), and :attr:`NormText.match` is the same text in simplified characters (OpenCC), one
character for one, so rules written for simplified text read ``牽頭單位`` while every name
and text is still cut from what the document wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import opencc

from loaders.model import Span
from loaders.text_utils import CN_NUM

_SPACES = frozenset(
    " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u202f\u205f\u3000"
)
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\x00")
#: A ``\r`` or a character to drop: the text needs the general loop (one regex scan; a set
#: test hashed every character of the document).
_SLOW = re.compile("[\r" + "".join(sorted(_DROP)) + "]")
_EXTRA = {
    "「": "“",
    "」": "”",
    "『": "“",
    "』": "”",
    "﹝": "〔",
    "﹞": "〕",
    "﹙": "(",
    "﹚": ")",
    # small-form punctuation (Unicode "small form variants"): 1﹒ is 1.
    "﹐": ",",
    "﹑": "、",
    "﹒": ".",
    "﹔": ";",
    "﹕": ":",
    "﹖": "?",
    "﹗": "!",
    "﹛": "{",
    "﹜": "}",
    "﹣": "-",
    "‧": "·",
    "・": "·",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
}


def _char(ch: str) -> str:
    """The normalised form of one character ('' drops it)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in _SPACES:
        return " "
    if ch in _DROP:
        return ""
    return _EXTRA.get(ch, ch)


@dataclass(frozen=True)
class NormText:
    """Normalised text plus, for each of its characters, the offset it came from."""

    text: str
    origin: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)
    simplified: str | None = None  # ``text`` in simplified characters, when it differs

    @property
    def match(self) -> str:
        """The text the rules read: ``text`` with traditional characters simplified."""
        return self.text if self.simplified is None else self.simplified

    def span(self, start: int, end: int) -> Span:
        """Map a half-open range of the normalised text to the original text."""
        if end <= start:
            pos = self.origin[start]
            return _span(pos, pos)
        return _span(self.origin[start], self.origin[end - 1] + 1)


_SPAN_FIELDS = frozenset({"start", "end"})


def _span(start: int, end: int) -> Span:
    """A :class:`Span` without validation: offsets from ``origin`` are valid (>= 0) by
    construction, and a document makes ~200 spans. This is what ``Span.model_construct``
    does, without its generic field loop (2.5x faster; it was ~5% of the extraction)."""
    span = object.__new__(Span)
    object.__setattr__(span, "__dict__", {"start": start, "end": end})
    object.__setattr__(span, "__pydantic_fields_set__", _SPAN_FIELDS)
    object.__setattr__(span, "__pydantic_extra__", None)
    object.__setattr__(span, "__pydantic_private__", None)
    return span


#: One-to-one part of :func:`_char` as a ``str.translate`` table (drops are handled apart).
_TABLE: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({ord(ch): " " for ch in _SPACES})
_TABLE.update({ord(k): v for k, v in _EXTRA.items()})
_SPACE_RUN = re.compile(" +")
#: Characters between which a space carries no meaning (the measure text drops it too).
_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》、。"


#: Compact text: no space between wide characters, nor after ASCII punctuation before one;
#: but a space before a heading number stays (一行文档 ... 通知 一、总体要求 ...).
_INNER_SPACE = re.compile(
    f"(?<=[{_WIDE},.;:!?()]) (?=[{_WIDE}])(?!{CN_NUM}\\s*、|第(?:{CN_NUM}|\\d+)[章条部篇])"
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """``text`` in simplified characters (a short name, for lookups)."""
    return _t2s().convert(text)


def _simplified(text: str) -> str | None:
    """``text`` in simplified characters, one for one; None when nothing changes."""
    converted = _t2s().convert(text)
    if converted == text:
        return None
    if len(converted) != len(text):  # a phrase rule changed the length: convert by character
        converted = "".join(c if len(c) == 1 else ch for ch in text for c in (_t2s().convert(ch),))
    return converted


def _fast(original: str) -> NormText | None:
    """:func:`normalise` for text without ``\\r`` or dropped characters, in C-speed steps.

    Translation is then one character for one, and the whitespace rule reduces to: of a run
    of spaces keep only the first, and only between two characters that are not line ends.
    None when the text needs the general loop.
    """
    if _SLOW.search(original) is not None:
        return None
    text = original.translate(_TABLE)
    n = len(text)
    parts: list[str] = []
    origin: list[int] = []
    kept = 0  # text[kept:] not yet copied
    for run in _SPACE_RUN.finditer(text):
        a, b = run.span()
        keep = a > 0 and text[a - 1] != "\n" and b < n and text[b] != "\n"
        stop = a + 1 if keep else a
        parts.append(text[kept:stop])
        origin.extend(range(kept, stop))
        kept = b
    parts.append(text[kept:])
    origin.extend(range(kept, n))
    origin.append(n)
    return NormText("".join(parts), tuple(origin))


def normalise(original: str, compact: bool = False) -> NormText:
    """Normalise punctuation width, line ends and spaces (runs → one, none at line ends).

    ``compact`` also drops spaces inside words (see the module docstring) and fills
    :attr:`NormText.simplified` for text written in traditional characters.
    """
    norm = _fast(original)
    if norm is None:
        norm = _normalise_slow(original)
    return compacted(norm) if compact else norm


def compacted(norm: NormText) -> NormText:
    """The compact form of normalised text (spaces inside words dropped, simplified form
    filled); the same object when there is nothing to change."""
    text, origin = norm.text, norm.origin
    drops = [m.start() for m in _INNER_SPACE.finditer(text)]
    if drops:
        parts: list[str] = []
        kept: list[tuple[int, ...]] = []
        last = 0
        for d in drops:
            parts.append(text[last:d])
            kept.append(origin[last:d])
            last = d + 1
        parts.append(text[last:])
        kept.append(origin[last:])
        text, origin = "".join(parts), tuple(chain.from_iterable(kept))
    simplified = _simplified(text)
    if not drops and simplified is None:
        return norm
    return NormText(text, origin, simplified)


def _normalise_slow(original: str) -> NormText:
    """The general character loop (text with ``\\r`` or characters to drop)."""
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    n = len(original)
    while i < n:
        ch = original[i]
        if ch == "\r":
            if i + 1 < n and original[i + 1] == "\n":
                i += 1
                continue
            ch = "\n"
        out = _char(ch)
        if out == " ":
            if not chars or chars[-1] in " \n":
                i += 1
                continue
        elif out == "\n" and chars and chars[-1] == " ":
            chars.pop()
            origin.pop()
        if out:
            chars.append(out)
            origin.append(i)
        i += 1
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    origin.append(n)
    return NormText("".join(chars), tuple(origin))


def clean(fragment: str) -> str:
    """Normalise a short piece of text and strip it (used for values, not for spans)."""
    return normalise(fragment).text.strip()
