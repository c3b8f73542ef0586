"""The responsibility clause of a measure → ordered (agency name, role) items.

Handles the usual phrasings: ``责任单位：A、B按职责分工负责`` (shared), a single unit (sole),
``牵头单位：A；配合单位：B、C``, ``A牵头，B、C配合``, ``A（牵头）、B`` (lead/support).
Agency names may contain parentheses (``各县（市、区）人民政府``); splitting is depth-aware.
All offsets are into the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.model import Role
from loaders.text_utils import ORGAN_SUFFIX, split_top

_LABEL = re.compile(r"(牵头|主责|主办|责任|配合|协办|参与|协助|参加|实施|承办)(单位|部门|主体)\s*:")
_LABEL_ROLE: dict[str, Role | None] = {
    "牵头": "lead",
    "主责": "lead",
    "主办": "lead",
    "配合": "support",
    "协办": "support",
    "参与": "support",
    "协助": "support",
    "参加": "support",
}
_CLAUSE_START = re.compile(
    r"^\s*(牵头|主责|主办|责任|配合|协办|参与|协助|实施|承办)(单位|部门|主体)\s*:"
)
_TRAILING_DUTY = re.compile(
    r"(按照?职责分工负责|按照?职责分工落实|按照?职责负责|按职能分工负责|分工负责|共同负责|"
    r"分别负责|负责落实|具体负责|负责)$"
)
_TRAILING_LEAD = re.compile(r"(牵头负责|牵头落实|牵头)$")
_TRAILING_SUPPORT = re.compile(r"(共同配合|配合落实|积极配合|配合|参与|协助|协同)$")
_MARKER = re.compile(r"\((牵头|牵头单位|配合|配合单位)\)$")
_UNLABELLED_TAIL = re.compile(r"(?:^|[。\n])\s*((?:牵头|主责|责任|配合)(?:单位|部门)\s*:[^。\n]*)$")


@dataclass(frozen=True)
class RawAgency:
    name: str
    role: Role
    start: int  # offsets of the name in the normalised text
    end: int


@dataclass(frozen=True)
class Clause:
    text: str  # the clause as written (normalised), including its parentheses
    start: int
    end: int
    agencies: tuple[RawAgency, ...]


def _looks_like_clause(inner: str) -> bool:
    if _CLAUSE_START.match(inner):
        return True
    if "牵头" in inner or "按职责" in inner:
        return True
    names = [p[0] for p in split_top(inner, "、,;")]
    names = [_TRAILING_DUTY.sub("", n).strip() for n in names]
    return bool(names) and all(ORGAN_SUFFIX.search(n) for n in names if n) and "配合" in inner


def find_clause(text: str, start: int, end: int) -> Clause | None:
    """The responsibility clause ending the measure ``text[start:end]``, if it has one."""
    stop = end
    while stop > start and text[stop - 1] in "。;；.,， \n":
        stop -= 1
    if stop > start and text[stop - 1] == ")":
        depth = 0
        for i in range(stop - 1, start - 1, -1):
            if text[i] == ")":
                depth += 1
            elif text[i] == "(":
                depth -= 1
                if depth == 0:
                    inner = text[i + 1 : stop - 1]
                    if _looks_like_clause(inner):
                        items = parse_clause(inner, i + 1)
                        return Clause(text[i:stop], i, stop, items)
                    return None
        return None
    tail = _UNLABELLED_TAIL.search(text[start:stop])
    if tail is None:
        return None
    c_start = start + tail.start(1)
    items = parse_clause(text[c_start:stop], c_start)
    return Clause(text[c_start:stop], c_start, stop, items)


def _sections(inner: str, offset: int) -> list[tuple[str, int, Role | None]]:
    """Split at labels (牵头单位：… 配合单位：…); each section keeps its label's role."""
    labels = list(_LABEL.finditer(inner))
    if not labels:
        return [(inner, offset, None)]
    sections: list[tuple[str, int, Role | None]] = []
    if inner[: labels[0].start()].strip(" ;,。"):
        sections.append((inner[: labels[0].start()], offset, None))
    for k, label in enumerate(labels):
        body_end = labels[k + 1].start() if k + 1 < len(labels) else len(inner)
        sections.append(
            (inner[label.end() : body_end], offset + label.end(), _LABEL_ROLE.get(label.group(1)))
        )
    return sections


def _names(part: str, pstart: int, role: Role | None) -> list[tuple[str, int, int, Role | None]]:
    """One sub-clause (``A、B配合``) → names with an explicit role or None."""
    out: list[tuple[str, int, int, Role | None]] = []
    body = part
    duty = _TRAILING_DUTY.search(body)
    if duty:
        body = body[: duty.start()]
    lead = _TRAILING_LEAD.search(body)
    support = None if lead else _TRAILING_SUPPORT.search(body)
    if lead:
        body, role = body[: lead.start()], "lead"
    elif support:
        body, role = body[: support.start()], "support"
    lead_in = 1 if body.startswith("由") else 0
    for name, n_start, n_end in split_top(body[lead_in:], "、", pstart + lead_in):
        item_role = role
        marker = _MARKER.search(name)
        if marker:
            item_role = "lead" if marker.group(1).startswith("牵头") else "support"
            n_end -= len(marker.group(0))
            name = name[: marker.start()].rstrip()
        if name.endswith("等") and len(name) > 2:
            name, n_end = name[:-1], n_end - 1
        if name:
            out.append((name, n_start, n_start + len(name), item_role))
    return out


def parse_clause(inner: str, offset: int) -> tuple[RawAgency, ...]:
    """Agencies of a clause body in document order with their roles."""
    found: list[tuple[str, int, int, Role | None]] = []
    for section, s_offset, role in _sections(inner, offset):
        for part, p_start, _ in split_top(section, ";,。", s_offset):
            found.extend(_names(part, p_start, role))
    seen: set[str] = set()
    unique = []
    for item in found:
        if item[0] not in seen:
            seen.add(item[0])
            unique.append(item)
    roles = [r for _, _, _, r in unique]
    resolved: list[Role]
    if not any(roles):
        resolved = ["sole"] if len(unique) == 1 else ["shared"] * len(unique)
    elif "lead" in roles:
        resolved = [r if r is not None else "support" for r in roles]
    else:
        resolved = [r if r is not None else "lead" for r in roles]
    return tuple(
        RawAgency(name, role, start, end)
        for (name, start, end, _), role in zip(unique, resolved, strict=True)
    )
