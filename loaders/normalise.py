"""Full-/half-width and whitespace normalisation that remembers original offsets.

Extraction rules run on the normalised text (one punctuation form, one space, ``\\n`` line
ends) so a full-width copy of a document extracts exactly like a half-width one; every
match is mapped back through :class:`NormText` to offsets into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.model import Span

_SPACES = frozenset(
    " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u202f\u205f\u3000"
)
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\x00")
_EXTRA = {
    "「": "“",
    "」": "”",
    "『": "“",
    "』": "”",
    "﹝": "〔",
    "﹞": "〕",
    "﹙": "(",
    "﹚": ")",
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

    def span(self, start: int, end: int) -> Span:
        """Map a half-open range of the normalised text to the original text."""
        # model_construct: offsets from ``origin`` are valid (>= 0) by construction, and
        # validating ~30 spans per measure was a tenth of the extraction time
        if end <= start:
            pos = self.origin[start]
            return Span.model_construct(start=pos, end=pos)
        return Span.model_construct(start=self.origin[start], end=self.origin[end - 1] + 1)


#: One-to-one part of :func:`_char` as a ``str.translate`` table (drops are handled apart).
_TABLE: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({ord(ch): " " for ch in _SPACES})
_TABLE.update({ord(k): v for k, v in _EXTRA.items()})
_SPACE_RUN = re.compile(" +")


def _fast(original: str) -> NormText | None:
    """:func:`normalise` for text without ``\\r`` or dropped characters, in C-speed steps.

    Translation is then one character for one, and the whitespace rule reduces to: of a run
    of spaces keep only the first, and only between two characters that are not line ends.
    None when the text needs the general loop.
    """
    if "\r" in original or not _DROP.isdisjoint(original):
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


def normalise(original: str) -> NormText:
    """Normalise punctuation width, line ends and spaces (runs → one, none at line ends)."""
    fast = _fast(original)
    if fast is not None:
        return fast
    return _normalise_slow(original)


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
