"""Agency names as written → registry entries (or derived ids for unknown agencies).

``市人社局`` in a 济南市 document is the registry's 济南市人力资源和社会保障局; an agency the
registry does not know is kept (registered=False) with its 市 prefix expanded, never dropped.
Every agency also gets a government function and a level (``ontology.functions``).

The entry point for the loaders::

    agency_refs(units, jurisdiction, span_of, default_level=None) -> tuple[AgencyRef, ...]
    agency_rows(...)  # the same as field dicts (loaders/measure_facts.py: validated with
                      # the measure that holds them)

``units``: ``loaders.clauses.Unit`` items in rank order (``merge_units`` of a measure's
clauses); ``jurisdiction``: the document's (济南市, or None for a national document);
``span_of(start, end)``: normalised offsets → source :class:`Span`; ``default_level``: the
level of units whose name says none and who inherit none (``"national"`` for a State
Council document). A unit without a level word after one with a local prefix inherits it:
in ``市行政审批局、住建局、司法局`` the 2nd and 3rd are the city's (canonical 济南市住建局);
national units (财政部) and units naming a place (人民银行上海总部) never inherit, and a
bare name after a national unit is national too (人力资源社会保障部、医保局).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from loaders.ids import city_slug, sha1_10
from loaders.model import AgencyRef, FunctionRef, Level, Role, Span
from ontology.functions import UnitReading, read_unit
from ontology.registry import AgencyEntry, agencies

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("central_bank_branch", re.compile(r"人民银行|人行")),
    ("vertical_agency", re.compile(r"税务局|海关|调查队|金融监管|国家金融监督|邮政管理局|气象局")),
    (
        "party_organ",
        re.compile(r"^中共|党委|党组|(?:市|区|县|省)委[\u4e00-\u9fff]*(?:部|办|室)$|政法委|编办"),
    ),
    (
        "peoples_organisation",
        re.compile(
            r"总工会|共青团|团[市区县省]委|妇联|妇女联合会|残联|残疾人联合会|科协|侨联|文联|红十字会"
        ),
    ),
    ("federation", re.compile(r"工商联|工商业联合会|联合会|商会|协会")),
    (
        "district_government",
        re.compile(r"(?:区|县|市、区|区县|县区|乡镇|街道)[)]?(?:人民)?政府$|^各.*政府$"),
    ),
    ("government", re.compile(r"(?:人民)?政府$")),
    ("government_department", re.compile(r"(?:局|委|委员会|厅|办公室|办|中心|署|部|管委会)$")),
    ("enterprise", re.compile(r"(?:银行|公司|集团)$")),
)


@lru_cache(maxsize=16384)
def infer_kind(name: str) -> str:
    """A best-effort kind for an agency the registry does not know (cached: pure)."""
    for kind, pattern in _KINDS:
        if pattern.search(name):
            return kind
    return "other"


def expand(name: str, jurisdiction: str | None) -> str:
    """市人社局 → 济南市人社局 (a leading level word means the document's own jurisdiction)."""
    if not jurisdiction or name.startswith(jurisdiction) or name.startswith("市场"):
        return name
    level = jurisdiction[-1]
    if name.startswith(level) and len(name) > 1:
        return jurisdiction + name[1:]
    return name


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str | None, str], AgencyEntry], dict[str, AgencyEntry]]:
    local: dict[tuple[str | None, str], AgencyEntry] = {}
    full: dict[str, AgencyEntry] = {}
    for entry in agencies():
        full[entry.name] = entry
        for label in (entry.name, *entry.alt_labels):
            local[(entry.jurisdiction, label)] = entry
            local[(entry.jurisdiction, expand(label, entry.jurisdiction))] = entry
    return local, full


@lru_cache(maxsize=16384)
def lookup(name: str, jurisdiction: str | None) -> AgencyEntry | None:
    """The registry entry for a name as written in a document of ``jurisdiction`` (cached)."""
    local, full = _index()
    return (
        local.get((jurisdiction, name))
        or local.get((jurisdiction, expand(name, jurisdiction)))
        or full.get(expand(name, jurisdiction))
    )


@lru_cache(maxsize=16384)
def unregistered_id(canonical: str, jurisdiction: str | None) -> str:
    return f"{city_slug(jurisdiction) or 'cn'}-u-{sha1_10(canonical)}"


class UnitLike(Protocol):
    """What :func:`agency_refs` needs of a unit (``loaders.clauses.Unit``)."""

    @property
    def name(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def role(self) -> Role: ...


#: Level words a local name starts with (市人社局); 市场监管局 starts with no level word.
_LEVEL_WORD = re.compile(r"[省市区县州盟旗]")
_LOCAL_PREFIX = re.compile(r"^(?:省|自治区|市(?!场)|区|县|州|盟|旗)")


@lru_cache(maxsize=16384)
def _reading(name: str) -> UnitReading:
    return read_unit(name)


@lru_cache(maxsize=16384)
def _own_prefix(name: str, jurisdiction: str | None) -> str | None:
    """The local prefix a name starts with (市, 省, or the jurisdiction's own name; cached)."""
    if jurisdiction and name.startswith(jurisdiction) and len(name) > len(jurisdiction):
        return jurisdiction
    match = _LOCAL_PREFIX.match(name)
    if match is None:
        return None
    return match.group(0)


def _inherits(name: str, level: Level | None = None) -> bool:
    """A name stating no place and no level of its own, or the very level of the prefix it
    would take (住建局 after 市…; 人力资源社会保障厅 after 省…; never 财政部 after 市…)."""
    reading = _reading(name)
    if reading.place is not None or reading.function is None:
        return False
    return reading.level is None or (reading.level == level and not _LEVEL_WORD.search(name))


def effective_names(units: Sequence[UnitLike], jurisdiction: str | None) -> list[str]:
    """Each unit's name with an inherited level prefix where it dropped one:
    市行政审批局、住建局、财政部 → 市行政审批局, 市住建局, 财政部."""
    out: list[str] = []
    prefix: str | None = None
    prefix_level: Level | None = None
    for unit in units:
        name = unit.name
        own = _own_prefix(name, jurisdiction)
        if own is not None:
            prefix, prefix_level = own, _reading(name).level
        elif prefix is not None and _inherits(name, prefix_level):
            name = name if lookup(name, jurisdiction) else prefix + name
        elif _reading(name).level == "national":
            prefix = None
        out.append(name)
    return out


def _level(
    unit: str, name: str, entry: AgencyEntry | None, previous: Level | None, default: Level | None
) -> Level | None:
    """The level the name states; else a national unit's, for a bare name after one
    (人力资源社会保障部、医保局: both national); else the document's default."""
    own = _reading(entry.name if entry is not None else name).level or _reading(name).level
    if own is not None:
        return own
    if previous == "national" and _inherits(unit):
        return "national"
    return default


@lru_cache(maxsize=4096)
def _function(name: str, entry: AgencyEntry | None) -> FunctionRef | None:
    """The function a name (or its registry entry) states (cached: one frozen ref each)."""
    function = _reading(name).function
    if function is None and entry is not None:
        function = _reading(entry.name).function
    return None if function is None else FunctionRef(id=function.id, label=function.label)


@dataclass(frozen=True)
class _Resolved:
    """Everything of an AgencyRef that depends on the name alone (cached per name)."""

    id: str
    canonical_name: str
    kind: str
    jurisdiction: str | None
    registered: bool
    function: FunctionRef | None
    level: Level | None


@lru_cache(maxsize=16384)
def _resolve(
    written: str,
    name: str,
    jurisdiction: str | None,
    previous: Level | None,
    default: Level | None,
) -> _Resolved:
    """``written`` as the document writes it, ``name`` with an inherited prefix."""
    entry = lookup(written, jurisdiction)
    if entry is None and name != written:
        entry = lookup(name, jurisdiction)
    level = _level(written, name, entry, previous, default)
    function = _function(name, entry)
    if entry is not None:
        return _Resolved(
            entry.id, entry.name, entry.kind, entry.jurisdiction, True, function, level
        )
    canonical = expand(name, jurisdiction)
    return _Resolved(
        unregistered_id(canonical, jurisdiction),
        canonical,
        infer_kind(canonical),
        jurisdiction,
        False,
        function,
        level,
    )


def agency_refs(
    units: Sequence[UnitLike],
    jurisdiction: str | None,
    span_of: Callable[[int, int], Span],
    default_level: Level | None = None,
) -> tuple[AgencyRef, ...]:
    """Agencies of a measure, in rank order (see the module docstring)."""
    return tuple(
        AgencyRef.model_validate(row)
        for row in agency_rows(units, jurisdiction, span_of, default_level)
    )


def agency_rows(
    units: Sequence[UnitLike],
    jurisdiction: str | None,
    span_of: Callable[[int, int], Span],
    default_level: Level | None = None,
) -> list[dict[str, Any]]:
    """:func:`agency_refs` as the fields of each :class:`AgencyRef`, for a caller that
    validates them with the measure holding them (one pydantic validation per measure
    instead of one per agency: a measure names five on average)."""
    rows: list[dict[str, Any]] = []
    previous: Level | None = None
    names = effective_names(units, jurisdiction)
    for rank, (unit, name) in enumerate(zip(units, names, strict=True), start=1):
        got = _resolve(unit.name, name, jurisdiction, previous, default_level)
        previous = got.level
        rows.append(
            {
                "name": unit.name,
                "id": got.id,
                "canonical_name": got.canonical_name,
                "kind": got.kind,
                "jurisdiction": got.jurisdiction,
                "registered": got.registered,
                "role": unit.role,
                "rank": rank,
                "span": span_of(unit.start, unit.end),
                "function": got.function,
                "level": got.level,
            }
        )
    return rows
