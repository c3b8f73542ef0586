"""Small helpers over normalised text: depth-aware splitting, dates, organ-name shapes."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100}
CN_NUM = "[一二三四五六七八九十百零〇两]+"

#: Endings of organisation names (局, 委员会, 人民政府, ...): used to recognise agency lists.
ORGAN_SUFFIX = re.compile(
    r"(局|委|委员会|厅|办|办公室|办公厅|部|会|府|政府|院|行|处|中心|公司|室|团|联|站|所|署|队|"
    r"单位|部门|机构|集团|协会|商会|联合会|管理部|分行|支行|营业部|党委|党组)$"
)


@lru_cache(maxsize=4096)
def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 999 (十二 → 12, 二十 → 20), None if not one
    (cached: every numbered line asks, and the numbers are few)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def _cn_digits_only(text: str) -> int | None:
    """二〇二五 → 2025 (digit by digit) or a unit numeral (二十一 → 21)."""
    if all(ch in CN_DIGITS for ch in text) and len(text) == 4:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    return cn_number(text)


_ISO_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([一二三四五六七八九〇零○O]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
DATE_PATTERN = (
    r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|[一二三四五六七八九〇零○O]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
)


def parse_date(text: str) -> date | None:
    """A date written as 2025-06-21, 2025年6月21日, 2025/6/21 or 二〇二五年六月二十一日."""
    match = _ISO_DATE.search(text)
    if match:
        parts = [int(g) for g in match.groups()]
    else:
        cn = _CN_DATE.search(text)
        if cn is None:
            return None
        values = [_cn_digits_only(g) for g in cn.groups()]
        if any(v is None for v in values):
            return None
        parts = [v for v in values if v is not None]
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


_OPENERS = "(〔[【《"


@lru_cache(maxsize=64)
def _separator_pattern(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def split_top(text: str, separators: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Split at separators outside parentheses; pieces are stripped, with their offsets."""
    if separators and not any(ch in text for ch in _OPENERS):
        # no parenthesis opens: every separator is at depth 0 (a regex scan, not a char loop)
        pieces: list[tuple[str, int, int]] = []
        start = 0
        for match in _separator_pattern(separators).finditer(text):
            _add_piece(pieces, text, start, match.start(), offset)
            start = match.end()
        _add_piece(pieces, text, start, len(text), offset)
        return pieces
    return _split_top_general(text, separators, offset)


def _add_piece(
    pieces: list[tuple[str, int, int]], text: str, start: int, end: int, offset: int
) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        pieces.append((stripped, offset + start + lead, offset + start + lead + len(stripped)))


def _split_top_general(text: str, separators: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """:func:`split_top` by a depth-counting character loop (text with parentheses)."""
    pieces: list[tuple[str, int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text + separators[:1]):
        if i < len(text) and ch in "(〔[【《":
            depth += 1
        elif i < len(text) and ch in ")〕]】》":
            depth = max(0, depth - 1)
        elif ch in separators and (depth == 0 or i == len(text)):
            piece = text[start:i]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                pieces.append(
                    (stripped, offset + start + lead, offset + start + lead + len(stripped))
                )
            start = i + 1
    return pieces


_WIDE = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》、。]"
_WIDE_GAP = re.compile(rf"(?<={_WIDE})\s+(?={_WIDE})|(?<=[,.;:!?()])\s+(?={_WIDE})")
_BREAK = re.compile(r"\s*\n\s*")


_SPACE = re.compile(r"\s")


def join_wide(fragment: str) -> str:
    """One-line text: breaks and spaces between Chinese characters carry no meaning."""
    if _SPACE.search(fragment) is None:
        return fragment  # nothing to join or strip (``\s`` is what ``strip`` strips)
    joined = _WIDE_GAP.sub("", fragment)
    return _BREAK.sub("", joined).strip()
