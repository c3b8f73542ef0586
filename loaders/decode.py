"""Bytes → text: encoding detection (UTF-8, UTF-8 with BOM, UTF-16 BOM, GB18030/GBK).

Chinese government sites still publish GBK pages, so a strict UTF-8 attempt is followed by
a strict GB18030 attempt (a superset of GBK and GB2312); anything else is refused rather
than guessed, because a wrong guess silently produces garbage names.
"""

from __future__ import annotations

import codecs
import re

from ontology.errors import LoaderError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
#: Tags that make a text HTML, also a fragment with no <html> (a copied article body).
_HTML_SNIFF = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|table|tr|td|span|br|font|strong|b|"
    r"h[1-6]|ul|ol|li|section|article|center)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936"}


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, source_name: str) -> str:
    """Decode a document's bytes; raise :class:`LoaderError` naming the file if impossible."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise LoaderError(
                    f"{source_name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start})"
                ) from None
    candidates = ["utf-8", "gb18030"]
    declared = _declared_charset(data)
    if declared is not None and declared not in candidates:
        candidates.insert(0, declared)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            continue
        return text
    raise LoaderError(
        f"{source_name}: unknown text encoding (not UTF-8, GB18030/GBK or a declared charset)"
    )


def is_html(text: str, source_name: str, media_type: str | None) -> bool:
    """HTML by media type, else by file extension, else by sniffing the first tags."""
    if media_type:
        return "html" in media_type.lower()
    if source_name.lower().endswith(_HTML_SUFFIXES):
        return True
    return _HTML_SNIFF.search(text[:2048]) is not None
