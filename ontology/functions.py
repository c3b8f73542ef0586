"""Government functions (``vocab/functions.ttl``) and a reader for the names of units.

Documents name one department many ways: 人力资源社会保障部, 省人力资源社会保障厅,
济南市人力资源和社会保障局, 县人社局. ``read_unit`` reads each to one function plus the level
and place the name itself states, so loaders can tell units apart (and link them across
documents and levels) without a registry entry for every city. Pure and cached: a reading is
one dict probe per suffix length against a table built once from the Turtle file.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC
from rdflib import RDF, SKOS, URIRef
from rdflib import Literal as RdfLiteral

from ontology.errors import SetupError
from ontology.files import VOCAB_DIR, load_turtle
from ontology.iris import Iris
from ontology.unit_words import (
    BARE,
    BRANCH,
    GENERIC,
    KNOWN_ENDS,
    LEADING,
    MARKER_CHARS,
    NATIONAL_STARTS,
    NO_STEMS,
    NOT_ORG,
    NOT_ORG_LENGTHS,
    NOT_PLACES,
    ORG_ENDS,
    PLACE_ENDS,
    PLURAL_ENDS,
    PLURAL_WORDS,
    PROSE_MARKS,
    PROVINCES,
    RANGE,
    STEM_SUFFIXES,
    STOP,
    TRAILING,
    UNIT_END,
)
from ontology.unit_words import Level as Level  # re-exported: callers import it here


@dataclass(frozen=True)
class Function:
    id: str  # e.g. "hrss"
    label: str  # prefLabel, e.g. "人力资源社会保障"


@dataclass(frozen=True)
class UnitReading:
    name: str  # the name as given
    function: Function | None  # None when unknown (各有关部门和单位)
    level: Level | None  # what the name's own words say; None if they do not
    place: str | None  # a place written in the name (simplified, no spaces): 济南市, 上海
    collective: bool  # 各省级人民政府, 各有关部门和单位, 国务院各部门, 区级相关部门
    known: bool  # recognised as a government unit (function, collective or 委员会-like form)


_READ_BASE = "http://localhost:8000"
_PLACE_NAMED = "id/function-group/place-named"  # as written in functions.ttl


@dataclass(frozen=True)
class _Form:
    function: Function
    level: Level | None
    stem: bool
    place_named: bool


@dataclass(frozen=True)
class _Index:
    functions: dict[str, Function]
    forms: dict[str, _Form]
    longest: int


@dataclass(frozen=True)
class _Prefix:
    level: Level | None
    place: str | None
    marked: bool  # nothing doubtful: empty, level words, a marked place or a province
    empty: bool  # only heads and qualifiers
    plural: bool  # 区县, 县市区
    head: _Form | None  # 国家税务总局 in 国家税务总局济南市


@dataclass(frozen=True)
class _Hit:
    function: Function | None
    level: Level | None
    place: str | None
    plural: bool


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


def _squash(text: str) -> str:
    """NFKC (full-width brackets and letters) without any whitespace (自治 区农牧厅)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _normalise(name: str) -> str:
    text = str(_converter().convert(_squash(name)))
    text = text.rstrip("等")
    if text.endswith(")") and 0 < text.rfind("(") < len(text) - 1:
        text = text[: text.rfind("(")]  # 市人社局(牵头), 各县(市、区)
    if len(text) == 3 and text[0] == "团" and text[2] == "委" and text[1] in "省市县区":
        text = f"{text[1]}团委"  # 团市委 = 市团委
    return text


def _form_level(form: str, alt: bool) -> Level | None:
    if alt:
        return "national"
    if form.endswith("厅") and not form.endswith("办公厅"):
        return "provincial"
    return "district" if form.startswith("街道") else None


def _build(iris: Iris) -> _Index:
    graph = load_turtle(VOCAB_DIR / "functions.ttl", iris)
    prefix = str(iris.function(""))
    scheme = prefix.rstrip("/")
    group = URIRef(f"{iris.public_id}{_PLACE_NAMED}")  # the file's relative IRI, resolved
    place_named = {str(m) for m in graph.objects(group, SKOS.member)}
    functions: dict[str, Function] = {}
    forms: dict[str, _Form] = {}

    def zh(node: URIRef, prop: URIRef) -> list[str]:
        found = graph.objects(node, prop)
        return sorted(str(o) for o in found if isinstance(o, RdfLiteral) and not o.language)

    for node in sorted(graph.subjects(RDF.type, SKOS.Concept), key=str):
        assert isinstance(node, URIRef)
        if not str(node).startswith(prefix) or (node, SKOS.inScheme, URIRef(scheme)) not in graph:
            raise SetupError(f"functions.ttl: {node} must be under and skos:inScheme {scheme}")
        labels = zh(node, SKOS.prefLabel)
        if len(labels) != 1:
            raise SetupError(f"functions.ttl: {node} needs one Chinese skos:prefLabel")
        function = Function(str(node)[len(prefix) :], labels[0])
        functions[function.id] = function
        named = str(node) in place_named
        written = [(labels[0], False)] + [(a, True) for a in zh(node, SKOS.altLabel)]
        written += [(h, False) for h in zh(node, SKOS.hiddenLabel)]
        for label, alt in written:
            key = _squash(label)
            if key in forms:
                raise SetupError(f"functions.ttl: {label!r} is a form of two concepts or twice")
            is_stem = not alt and key[-1] not in UNIT_END  # national names are units: 团中央
            forms[key] = _Form(function, _form_level(key, alt), is_stem, named)
    stems: dict[str, set[Function]] = defaultdict(set)
    for key, form in forms.items():
        if not form.stem:
            suffix = next((s for s in STEM_SUFFIXES if key.endswith(s)), "")
            if suffix and len(key) - len(suffix) >= 2:
                stems[key[: -len(suffix)]].add(form.function)
    for stem, owners in stems.items():
        if stem not in forms and stem not in NO_STEMS and len(owners) == 1:
            (owner,) = owners
            forms[stem] = _Form(owner, None, True, f"{prefix}{owner.id}" in place_named)
    return _Index(functions, forms, max(len(k) for k in forms))


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _build(Iris(_READ_BASE))


def _plausible_place(text: str) -> bool:
    return (
        2 <= len(text) <= 20
        and all("\u4e00" <= c <= "\u9fff" for c in text)
        and not STOP.intersection(text)
        and not text.endswith(NOT_PLACES)
    )


def _heads(text: str, idx: _Index) -> Iterator[tuple[str, _Form]]:
    """Unit forms the text starts with, longest first (国家税务总局 in 国家税务总局济南市)."""
    for k in range(min(len(text), idx.longest), 1, -1):
        form = idx.forms.get(text[:k])
        if form is not None and not form.stem:
            yield text[:k], form


def _strip_qualifiers(text: str) -> tuple[str, bool]:
    """Drop 各/有关/级/政府/委 around a place; True when a range (县级以上) was dropped."""
    ranged = False
    while text.startswith(LEADING) or text.endswith(RANGE) or text.endswith(TRAILING):
        for word in LEADING:
            text = text.removeprefix(word)
        for word in RANGE:
            if text.endswith(word):
                text, ranged = text[: -len(word)], True
        for word in TRAILING:
            text = text.removesuffix(word)
    return text, ranged


def _read_prefix(text: str, idx: _Index) -> _Prefix | None:
    """What stands before a form: heads, place, level words; None if it is not that."""
    if not text:
        return _Prefix(None, None, True, True, False, None)
    while "(" in text and ")" in text[text.find("(") :]:
        start = text.find("(")
        text = text[:start] + text[text.find(")", start) + 1 :]
    text = text.split("、", 1)[0]  # 各省、自治区、直辖市: the first alternative
    head = None
    for _ in range(3):
        for party in ("中国共产党", "中共"):
            text = text.removeprefix(party)
        found = next(_heads(text, idx), None)
        if found is None:
            break
        key, head = found
        text = text[len(key) :]
    if "各" in text[1:]:  # 济南市各区县: the place before 各, the level after it
        outer, inner = text.split("各", 1)
        out, inn = _read_prefix(outer, idx), _read_prefix(inner, idx)
        if out is None or inn is None or not (out.marked and inn.marked):
            return None
        level = inn.level if inn.level is not None else out.level
        return _Prefix(level, out.place, True, out.empty and inn.empty, True, head or out.head)
    text, ranged = _strip_qualifiers(text)
    if not text:
        level = head.level if head is not None and not ranged else None
        return _Prefix(level, None, True, True, False, head)
    if text in BARE:
        return _Prefix(None if ranged else BARE[text], None, True, False, False, head)
    if len(text) >= 2 and MARKER_CHARS.issuperset(text):
        level = BARE[text[0]]
        return _Prefix(None if ranged else level, None, True, False, True, head)
    if not _plausible_place(text):
        return None
    for end, level in PLACE_ENDS:
        if text.endswith(end) and len(text) > len(end):
            return _Prefix(None if ranged else level, text, True, False, False, head)
    return _Prefix(None, text, text in PROVINCES, False, False, head)


def _by_suffix(text: str, idx: _Index, bare_stems: bool) -> _Hit | None:
    """The longest form the name ends with whose prefix reads as heads + place."""
    n = len(text)
    for k in range(min(n, idx.longest), 0, -1):
        form = idx.forms.get(text[n - k :])
        if form is None or (k == 1 and n == 1):
            continue
        rest = text[: n - k]
        pre = _read_prefix(rest, idx)
        if pre is None or (not pre.marked and not form.place_named):
            continue
        if form.stem and not bare_stems:
            continue  # 财政 only before 部门: 市文化和旅游局 is not 市文化 + 旅游局
        function = form.function
        if k == 1 and pre.head is not None:
            function = pre.head.function  # 共青团济南市委: the league's committee
        level = pre.level if pre.level is not None or (pre.empty and pre.head) else form.level
        place = pre.place
        if place and text[n - k :].startswith("街道"):
            place += "街道"  # 港沟街道办事处: the subdistrict is 港沟街道
        return _Hit(function, level, place, pre.plural)
    return None


def _by_head(text: str, idx: _Index) -> _Hit | None:
    """A branch named after its head: 国家统计局济宁调查队, 中国人民银行山东省分行营业管理部."""
    for head, form in _heads(text[:-1], idx):
        tail, stripped = text[len(head) :], False
        while branch := next((b for b in BRANCH if tail.endswith(b) and tail != b), None):
            tail, stripped = tail[: -len(branch)], True
        pre = _read_prefix(tail, idx) if stripped else None
        if pre is not None and not pre.empty:
            return _Hit(form.function, pre.level, pre.place, pre.plural)
    return None


def _by_generic(text: str, idx: _Index) -> _Hit | None:
    """财政部门 (a function's departments), 有关部门, 国务院各部门 (no function)."""
    tail = next((t for t in GENERIC if text.endswith(t)), None)
    if tail is None:
        return None
    rest = text[: -len(tail)]
    hit = _by_suffix(rest, idx, bare_stems=True) if rest else None
    if hit is not None:
        return hit
    pre = _read_prefix(rest, idx)
    if pre is None or not pre.marked:
        return None
    return _Hit(None, pre.level, pre.place, pre.plural)


def _by_place(text: str, idx: _Index) -> _Hit | None:
    """各区县, 各地, 各省、自治区、直辖市: the governments of those places."""
    pre = _read_prefix(text, idx)
    if pre is None or not pre.marked or (pre.empty and pre.head is None):
        return None
    function = idx.functions["subdistrict" if text.endswith("街道") else "government"]
    return _Hit(function, pre.level, pre.place, True)


def _looks_like(text: str) -> bool:
    if not 2 <= len(text) <= 40 or PROSE_MARKS.intersection(text) or "的" in text:
        return False
    if any(text[-n:] in NOT_ORG for n in NOT_ORG_LENGTHS if n <= len(text)):
        return False
    return text[1:].endswith(ORG_ENDS)  # something before the ending


def _fallback_level(text: str) -> Level | None:
    """The level of a unit the vocabulary does not know, from its first or last word."""
    if not _looks_like(text):
        return None
    if text.startswith(NATIONAL_STARTS) or text.endswith(("部", "总局", "署")):
        return "national"
    if text.startswith(("省", "自治区")) or (text.endswith("厅") and not text.endswith("办公厅")):
        return "provincial"
    return None


@lru_cache(maxsize=1 << 16)
def read_unit(name: str) -> UnitReading:
    """Function, level, place of a unit's name as documents write it (any level, traditional
    characters, spaces from exports); function None when the name is not a known unit."""
    text = _normalise(name)
    idx = _index()
    hit = (
        _by_suffix(text, idx, bare_stems=False)
        or _by_head(text, idx)
        or _by_generic(text, idx)
        or (_by_place(text, idx) if "各" in text else None)
    )
    if hit is None:
        known = _looks_like(text) and text.endswith(KNOWN_ENDS)
        return UnitReading(name, None, _fallback_level(text), None, False, known)
    collective = hit.plural or any(w in text for w in PLURAL_WORDS) or text.endswith(PLURAL_ENDS)
    return UnitReading(name, hit.function, hit.level, hit.place, collective, True)


def function_by_id(function_id: str) -> Function:
    """The function with this id; KeyError if the vocabulary has none."""
    try:
        return _index().functions[function_id]
    except KeyError:
        raise KeyError(f"no government function {function_id!r} in functions.ttl") from None


def all_functions() -> tuple[Function, ...]:
    """Every function of the vocabulary, by id."""
    return tuple(sorted(_index().functions.values(), key=lambda f: f.id))


def looks_like_unit(name: str) -> bool:
    """True for names that read as a unit or end like an organisation (…局, …委员会, …公司,
    …中心), even when the vocabulary does not know them; False for prose and people."""
    return read_unit(name).known or _looks_like(_normalise(name))
