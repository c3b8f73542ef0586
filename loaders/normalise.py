"""Full-/half-width and whitespace normalisation that remembers original offsets.

Extraction rules run on the normalised text (one punctuation form, one space, ``\\n`` line
ends) so a full-width copy of a document extracts exactly like a half-width one; every
match is mapped back through :class:`NormText` to offsets into the original text.
"""

from __future__ import annotations

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
        if end <= start:
            pos = self.origin[start]
            return Span(start=pos, end=pos)
        return Span(start=self.origin[start], end=self.origin[end - 1] + 1)


def normalise(original: str) -> NormText:
    """Normalise punctuation width, line ends and spaces (runs → one, none at line ends)."""
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
