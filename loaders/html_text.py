"""Visible text of a saved web page: block elements become lines, scripts disappear.

Government pages wrap the document in navigation, scripts and footers; those stay in the
visible text (they are visible) but never in a measure, because the structure rules only
accept numbered lines and stop at the document's closing lines.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "head", "iframe", "svg", "object", "select"}
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "option",
    }
)
_WS = re.compile(r"[ \t\r\n\f]+")


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(_WS.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower() if child.name else ""
        if name in _INVISIBLE:
            continue
        if child.get("hidden") is not None or _hidden_style(child):
            continue
        if name == "br":
            out.append("\n")
            continue
        block = name in _BLOCK
        if block:
            out.append("\n")
        _walk(child, out)
        if block:
            out.append("\n")


def _hidden_style(tag: Tag) -> bool:
    style = tag.get("style")
    if not isinstance(style, str):
        return False
    compact = style.replace(" ", "").lower()
    return "display:none" in compact or "visibility:hidden" in compact


def visible_text(html: str) -> str:
    """The text a reader sees, one line per block, spaces collapsed, no blank-line runs."""
    soup = BeautifulSoup(html, "lxml")
    root: Tag = soup.body if soup.body is not None else soup
    parts: list[str] = []
    _walk(root, parts)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"
