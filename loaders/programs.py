"""Named initiatives (programs) in quotation marks, typed by the words that end or follow them.

Rule: a quoted phrase is a program when
1. it does not enumerate (no 、 , ; inside: “政府、银行、担保机构”, “教培先行、岗位跟进” are
   lists of parties or parallel slogans, not names), and
2. it ends with a type word (“春风行动”), or the words after the closing quote start a typed
   noun phrase without 的 (“三支一扶”计划, “泉就业”社区微业服务平台), possibly after 等
   closing a list of quoted names (“春风行动”“工会帮就业”等各类招聘活动), or
3. it directly follows a verb that runs something (实施/开展/推广/推行/举办/…): type other.
A phrase joining elements with + (“政府+市场”, “技能+学历”) counts only under rule 2, so a
joined pair becomes a program only when named as one (“创贷+商贷”服务模式).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.ids import pinyin_slug
from ontology.registry import program_types

_QUOTE = re.compile(r"“([^“”\n]{1,40})”|\"([^\"\n]{1,40})\"")
_ENUMERATION = re.compile(r"[、,;。]")
_RUN_VERB = re.compile(r"(实施|开展|推广|推行|举办|开发|启动|创建|组织|深化|打响|创设|争创)$")
_WINDOW_STOP = re.compile(r"[,.;:。、“\"()\n!?]")
_LIST_LEAD = re.compile(r"^等(?:各类|一批|系列|多种|各项)?")
_CONTINUE_LIST = re.compile(r"^(?:、|和|及|与)?(?:“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\")")


@dataclass(frozen=True)
class ProgramHit:
    name: str
    id: str
    type: str
    start: int  # offsets of the name (inside the quotes) in the normalised text
    end: int


@lru_cache(maxsize=1)
def _words() -> list[tuple[str, str]]:
    pairs = [(word, t.id) for t in program_types() for word in t.words]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


@lru_cache(maxsize=8192)
def _self_type(name: str) -> str | None:
    """The type a name's own last words give it (cached: names recur across documents)."""
    for word, kind in _words():
        if name.endswith(word):
            return kind
    return None


def _suffix_type(text: str, after: int, end: int) -> str | None:
    rest = text[after:end]
    while True:
        more = _CONTINUE_LIST.match(rest)
        if more is None:
            break
        rest = rest[more.end() :]
    lead = _LIST_LEAD.match(rest)
    if lead:
        rest = rest[lead.end() :]
    stop = _WINDOW_STOP.search(rest)
    window = rest[: stop.start() if stop else len(rest)][:10]
    best: tuple[int, str] | None = None
    for word, kind in _words():
        pos = window.find(word)
        if pos != -1 and "的" not in window[:pos] and (best is None or pos < best[0]):
            best = (pos, kind)
    return best[1] if best else None


def program_id(name: str) -> str:
    """Stable ASCII slug shared by every document naming the same program."""
    return pinyin_slug(name)


def find_programs(text: str, start: int, end: int) -> list[ProgramHit]:
    """Programs named in ``text[start:end]`` in order, each once."""
    hits: list[ProgramHit] = []
    seen: set[str] = set()
    for match in _QUOTE.finditer(text, start, end):
        group = 1 if match.group(1) is not None else 2
        name = match.group(group).strip()
        if not name or _ENUMERATION.search(name):
            continue
        joined = "+" in name
        kind = None if joined else _self_type(name)
        if kind is None:
            kind = _suffix_type(text, match.end(), end)
        if (
            kind is None
            and not joined
            and _RUN_VERB.search(text[max(start, match.start() - 4) : match.start()])
        ):
            kind = "other"
        if kind is None:
            continue
        pid = program_id(name)
        if pid in seen:
            continue
        seen.add(pid)
        hits.append(ProgramHit(name, pid, kind, match.start(group), match.end(group)))
    return hits
