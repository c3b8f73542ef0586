"""Stable ASCII identifiers: pinyin slugs, document ids (README "Identifiers")."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_ADMIN_SUFFIX = re.compile(
    r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|省|市|州|盟|县|区|旗)$"
)
_DOC_NUMBER = re.compile(
    r"^(?P<series>[\u4e00-\u9fff]+)[〔\[(【（［﹝]?(?P<year>\d{4})[〕\])】）］﹞]?(?P<num>\d+)号$"
)
_MAX_SLUG = 60


def sha1_10(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@lru_cache(maxsize=8192)
def pinyin_slug(text: str, separator: str = "-") -> str:
    """Lower-case ASCII slug of Chinese text (long slugs end in a hash to stay unique).

    Cached: pypinyin costs ~50 µs a call and a corpus repeats the same names.
    """
    syllables = [_NON_SLUG.sub(separator, s.lower()).strip(separator) for s in lazy_pinyin(text)]
    slug = separator.join(s for s in syllables if s)
    slug = (
        re.sub(f"{re.escape(separator)}+", separator, slug).strip(separator) if separator else slug
    )
    if not slug:
        return sha1_10(text)
    if len(slug) > _MAX_SLUG:
        slug = f"{slug[: _MAX_SLUG - 11].rstrip(separator)}{separator or '-'}{sha1_10(text)}"
    return slug


@lru_cache(maxsize=1024)
def initials(text: str) -> str:
    """Pinyin initials of each character (济政办发 → jzbf)."""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER)
    return "".join(_NON_SLUG.sub("", s.lower()) for s in letters)


def place_stem(jurisdiction: str | None) -> str | None:
    """The city (or province) part of a jurisdiction without its administrative suffix."""
    if not jurisdiction:
        return None
    city = re.match(r"^(.+?(?:自治州|市|州|盟))", jurisdiction)
    name = city.group(1) if city else jurisdiction
    stem = _ADMIN_SUFFIX.sub("", name)
    return stem or name


@lru_cache(maxsize=1024)
def city_slug(jurisdiction: str | None) -> str | None:
    """Pinyin of the city name without separators (济南市 → jinan)."""
    stem = place_stem(jurisdiction)
    return pinyin_slug(stem, separator="") if stem else None


def document_id(doc_number: str | None, jurisdiction: str | None, title: str) -> str:
    """``{city}-{year}-{n}`` for the city government's main series, else with series initials."""
    city = city_slug(jurisdiction)
    match = _DOC_NUMBER.match(doc_number) if doc_number else None
    if match is None:
        return f"{city or 'doc'}-{sha1_10(title)}"
    series, year, num = match.group("series"), match.group("year"), str(int(match.group("num")))
    stem = place_stem(jurisdiction) or ""
    main_series = bool(stem) and series.endswith("政发") and stem.startswith(series[:-2])
    if main_series and city:
        return f"{city}-{year}-{num}"
    return f"{city or 'doc'}-{initials(series)}-{year}-{num}"


def _number_key(doc_number: str) -> str:
    """The 发文字号 without its bracket style and spaces (〔2025〕 = [2025] = (2025))."""
    return re.sub(r"[\s〔〕\[\]()【】（）［］﹝﹞]", "", doc_number)


def distinct_id(
    plain_id: str,
    doc_number: str | None,
    written_date: date | None,
    text_digest: str,
    held_number: str | None,
    held_date: date | None,
    *,
    same_source: bool,
    same_content: bool,
) -> str | None:
    """The id a document gets when ``plain_id`` already names another one, or None when the
    holder is the same document (a new version of it, which then replaces it).

    The same 发文字号 is the same document. Documents without one are told apart by their
    date (``-{yyyymmdd}``) when both have one; else the same source file is the same
    document, and different content makes a different document (``-{hash of its text}``).
    Two different 发文字号 that yield the same id (series initials that coincide, or no
    city) are told apart by a hash of the number.
    """
    if doc_number and held_number:
        if _number_key(doc_number) == _number_key(held_number):
            return None
        return f"{plain_id}-{sha1_10(_number_key(doc_number))[:6]}"
    if written_date and held_date:
        return None if written_date == held_date else f"{plain_id}-{written_date:%Y%m%d}"
    if same_source or same_content:
        return None
    return f"{plain_id}-{text_digest[:8]}"
