"""References a document makes to other documents, and what it does with each.

A reference is a title in 《》, a 发文字号 (国发〔2017〕28号), or both:
``《国务院关于做好当前和今后一段时期就业创业工作的意见》（国发〔2017〕28号）``. One bracket
may hold the numbers of several titles before it:
``《A》《B》（国发〔2017〕28号、国办发〔2018〕1号）``.
Rules read the text in simplified characters (one for one, as loaders.normalise does), so a
traditional document reads the same; titles and numbers are cut from what it wrote.

What the reference does is read from the words around it (phrasing below, as data): the
document *implements* it, *repeals* it, *replaces* it, or just *cites* it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

from loaders.model import Citation, CitationRelation
from loaders.normalise import NormText

# --- phrasing knowledge ----------------------------------------------------------------
#: Words in the clause before a reference that say the document carries it out:
#: 为贯彻落实《A》, 深入贯彻落实《A》等法律法规, 落实《中华人民共和国职业教育法》.
IMPLEMENT_CUES: tuple[str, ...] = ("贯彻落实", "贯彻执行", "贯彻", "落实", "实施")
#: Weaker words (根据《A》, 按照国发〔2017〕28号文件要求): they make the reference implemented
#: only in a sentence where the document says it makes itself out of it (MAKING below);
#: elsewhere (有关部门应当按照《A》的规定予以查处) the document only cites it.
BASIS_CUES: tuple[str, ...] = ("根据", "按照", "依据", "依照", "遵照", "参照")
#: The document making itself: 结合我市实际, 制定本措施, 现提出如下意见, 特制定本办法.
MAKING = re.compile(
    r"结合(?:我|本|各)?(?:国|省|市|区|县|州|地|地区|部门)?(?:的)?(?:工作)?实际|制定(?:本|如下|以下)|"
    r"现(?:就|提出|制定)|特制定|提出(?:如下|以下)|本(?:措施|办法|意见|方案|细则|规定|通知)"
)
#: Words right after a reference (other references and connectors aside) that repeal it:
#: 《A》（国办发〔2016〕82号）同时废止, 自本通知印发之日起《A》停止执行, 《A》不再执行.
REPEAL_CUES = re.compile(r"同时废止|一并废止|予以废止|废止|不再执行|停止执行|同时失效|自行失效")
#: Before a reference: 决定废止《A》, 停止执行《A》.
REPEAL_BEFORE = re.compile(r"(?:废止|停止执行|不再执行)$")
#: Replacing (本办法代替《A》, 《A》由本措施替代, 取代《A》): in the clause before or after.
REPLACE_CUES = re.compile(r"代替|替代|取代")
#: A 《》 right after these words is a short name for a reference already made
#: (（国发〔2017〕28号，以下简称《意见》）), not a new reference.
ALIAS_BEFORE = re.compile(r"(?:简称|称为|下称|统称)[\"“]?$")
#: After a title, the words that send it out as the document itself: 现将《X》印发给你们,
#: 《X》已经市政府同意，现印发给你们.
ATTACHED = re.compile(r"印发给你们|现予印发|印发给各")
#: What may stand between references that belong together: 《A》、《B》和《C》.
CONNECTORS = frozenset("、，,和及与以暨 ")

_TITLE = re.compile(r"《([^《》\n]{2,120})》")
#: Brackets that hold the numbers of the titles before them, and their closing forms.
_PAIRS = {"(": ")", "（": "）", "[": "]", "［": "］", "【": "】"}
#: 国发〔2017〕28号, 国办发[2018]1号, 鲁政办字（2019）12号, 國發〔2017〕28號 (read simplified).
_NUMBER = re.compile(
    r"(?P<series>[\u4e00-\u9fff]{1,12})\s?[〔\[［(（【](?P<year>(?:19|20)\d{2})[〕\]］)）】]"
    r"\s?第?(?P<num>\d{1,5})\s?号"
)
#: Words a 发文字号 series never holds: the series starts after the last of them
#: (按照国发〔2017〕28号 → 国发; 和国办发〔2018〕1号 → 国办发).
_SERIES_CUT = re.compile(
    r".*(?:根据|按照|依据|依照|遵照|参照|贯彻落实|贯彻|落实|执行|印发|转发|文件|精神|要求|"
    r"和|及|与|或|等|的|见|是|为|由|对|在|将|把|并|即|号|了|省|市|县)"
)
_SENTENCE_END = re.compile(r"[。；;!?！？\n]")
_CLAUSE_END = re.compile(r"[，,。；;:：!?！？\n]")


@dataclass(frozen=True)
class _Ref:
    start: int  # offsets into the normalised text
    end: int
    title: str | None
    number: str | None


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters, one character for one (offsets stay valid)."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c) == 1 else ch for ch in text for c in (_t2s().convert(ch),))


def canonical_number(number: str) -> str:
    """One spelling of a 发文字号 (simplified, 〔year〕, no leading zeros): the key a
    reference and the document it names share. ``國發[2017]028號`` → ``国发〔2017〕28号``."""
    text = simplified(number.replace(" ", ""))
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text
    return f"{match['series']}〔{match['year']}〕{int(match['num'])}号"


#: The part of a 发文字号 after its series, found first (a series alone is any CJK run).
_AFTER_SERIES = re.compile(r"\s?[〔\[［(（【](?:19|20)\d{2}[〕\]］)）】]\s?第?\d{1,5}\s?号")
_CJK = re.compile(r"[\u4e00-\u9fff]{1,12}$")


def _numbers(simple: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each 发文字号 in ``simple[start:end]``, its series trimmed of the
    words before it (:data:`_SERIES_CUT`)."""
    found = []
    for m in _AFTER_SERIES.finditer(simple, start, end):
        run = _CJK.search(simple, max(start, m.start() - 12), m.start())
        if run is None:
            continue
        cut = _SERIES_CUT.match(run.group(0))
        a = run.start() + (cut.end() if cut else 0)
        if a < m.start():
            found.append((a, m.end()))
    return found


def _between_only(simple: str, start: int, end: int, chars: frozenset[str]) -> bool:
    return all(ch in chars for ch in simple[start:end])


def _references(plain: NormText, simple: str) -> list[_Ref]:
    """Every reference in document order: titles paired with the numbers of the bracket
    after them; numbers outside such brackets and titles without one stand alone."""
    text = plain.text
    titles: list[tuple[int, int]] = []
    aliases: list[tuple[int, str]] = []  # (where, short name) of 以下简称《X》
    for m in _TITLE.finditer(simple):
        if ALIAS_BEFORE.search(simple, max(0, m.start() - 6), m.start()):
            aliases.append((m.start(), m.group(1)))
        else:
            titles.append((m.start(), m.end()))
    refs: list[_Ref] = []
    used: set[tuple[int, int]] = set()
    paired: set[tuple[int, int]] = set()
    k = 0
    while k < len(titles):
        run = [titles[k]]
        while k + 1 < len(titles) and _between_only(
            simple, run[-1][1], titles[k + 1][0], CONNECTORS
        ):
            k += 1
            run.append(titles[k])
        k += 1
        after = run[-1][1]
        while after < len(simple) and simple[after] == " ":
            after += 1
        close = _close(simple, after)
        if close is None:
            continue
        numbers = _numbers(simple, after + 1, close)
        if not numbers:
            continue
        used.update(numbers)
        if len(numbers) == len(run):
            pairs = list(zip(run, numbers, strict=True))
        else:  # one number for the nearest title; any others stand alone
            pairs = [(run[-1], numbers[0])]
            refs += [_Ref(a, b, None, text[a:b]) for a, b in numbers[1:]]
        for (ta, tb), (na, nb) in pairs:
            paired.add((ta, tb))
            end = close + 1 if len(pairs) == 1 else tb
            refs.append(_Ref(ta, end, text[ta + 1 : tb - 1], text[na:nb]))
    for a, b in _numbers(simple, 0, len(simple)):
        if (a, b) not in used:
            refs.append(_Ref(a, b, None, text[a:b]))
    for ta, tb in titles:
        if (ta, tb) not in paired:
            refs.append(_Ref(ta, tb, text[ta + 1 : tb - 1], None))
    return _resolve_aliases(sorted(refs, key=lambda r: (r.start, r.end)), aliases, simple)


def _resolve_aliases(refs: list[_Ref], aliases: list[tuple[int, str]], simple: str) -> list[_Ref]:
    """A later 《意见》 after （…，以下简称《意见》） is the reference that short name was given."""
    full: dict[str, tuple[int, _Ref]] = {}
    for where, short in aliases:
        named = [r for r in refs if r.start < where]
        if named:
            full[short] = (where, named[-1])
    out = []
    for r in refs:
        hit = full.get(simple[r.start + 1 : r.end - 1]) if r.number is None else None
        if hit is not None and r.start > hit[0]:
            r = _Ref(r.start, r.end, hit[1].title, hit[1].number)
        out.append(r)
    return out


def _close(simple: str, at: int) -> int | None:
    """Index of the bracket closing the one opened at ``at`` (None if none opens there)."""
    if at >= len(simple) or simple[at] not in _PAIRS:
        return None
    closer = _PAIRS[simple[at]]
    stop = simple.find(closer, at + 1, at + 160)
    return None if stop < 0 or "\n" in simple[at:stop] else stop


def _bracket_end(simple: str, end: int) -> int:
    """Past the bracket right after a reference (（国发〔2017〕28号）), if there is one."""
    close = _close(simple, end)
    return end if close is None else close + 1


def _collapse(simple: str, refs: list[_Ref], keep: _Ref) -> str:
    """The text with every other reference (and the bracket after it) blanked to spaces,
    so 《A》（n1）、《B》（n2）同时废止 reads “《A》（n1）、 同时废止” for A."""
    chars = list(simple)
    for r in refs:
        if r is not keep:
            end = _bracket_end(simple, r.end)
            chars[r.start : end] = " " * (end - r.start)
    return "".join(chars)


def relation_of(simple: str, refs: list[_Ref], ref: _Ref) -> CitationRelation:
    """implements | repeals | replaces | cites, from the words around ``ref``."""
    view = _collapse(simple, refs, ref)
    ends = [m.start() for m in _SENTENCE_END.finditer(view, 0, ref.start)]
    sentence_start = ends[-1] + 1 if ends else 0
    stop = _SENTENCE_END.search(view, ref.end)
    sentence_end = stop.start() if stop else len(view)
    clauses = [m.end() for m in _CLAUSE_END.finditer(view, sentence_start, ref.start)]
    before = view[clauses[-1] if clauses else sentence_start : ref.start].replace(" ", "")
    tail = _bracket_end(view, ref.end)
    after_stop = _CLAUSE_END.search(view, tail)
    after = view[tail : after_stop.start() if after_stop else sentence_end].replace(" ", "")
    if REPLACE_CUES.search(before) or REPLACE_CUES.search(after):
        return "replaces"
    if REPEAL_CUES.search(after) or REPEAL_BEFORE.search(before):
        return "repeals"
    if any(cue in before for cue in IMPLEMENT_CUES):
        return "implements"
    if any(cue in before for cue in BASIS_CUES) and MAKING.search(
        view, sentence_start, sentence_end
    ):
        return "implements"
    return "cites"


def _is_self(ref: _Ref, simple: str, own_number: str | None, own_title: str | None) -> bool:
    """The document's own number (its header), its own title, or the text it sends out
    (关于印发《X》的通知; 现将《X》印发给你们)."""
    if ref.number is not None:
        return own_number is not None and canonical_number(ref.number) == own_number
    title = simplified(ref.title or "")
    if own_title is not None and (title == own_title or f"印发{title}" in own_title):
        return True
    stop = _SENTENCE_END.search(simple, ref.end)
    return ATTACHED.search(simple, ref.end, stop.start() if stop else len(simple)) is not None


def find_citations(
    plain: NormText, doc_number: str | None = None, own_title: str | None = None
) -> tuple[Citation, ...]:
    """The document's references, in document order, one per (reference, relation).

    ``plain``: the normalised (not compact) text; ``doc_number`` and ``own_title``: the
    document's own number and title, which are not references. A later mention of the same
    reference without a title keeps the first one's title; with a title it fills a missing one.
    """
    simple = simplified(plain.text)
    own_number = canonical_number(doc_number) if doc_number else None
    own = simplified(own_title) if own_title else None
    refs = _references(plain, simple)
    out: dict[tuple[str, str], Citation] = {}
    for ref in refs:
        if _is_self(ref, simple, own_number, own):
            continue
        relation = relation_of(simple, refs, ref)
        key = canonical_number(ref.number) if ref.number else simplified(ref.title or "")
        found = out.get((key, relation))
        if found is None:
            out[(key, relation)] = Citation(
                title=ref.title,
                doc_number=ref.number,
                relation=relation,
                span=plain.span(ref.start, ref.end),
            )
        elif found.title is None and ref.title is not None:
            out[(key, relation)] = found.model_copy(update={"title": ref.title})
    return tuple(out.values())


__all__ = ["canonical_number", "find_citations", "relation_of", "simplified"]
