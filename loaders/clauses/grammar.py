"""The one grammar of the responsibility clause: a body of text → a :class:`Reading`.

::

    clause   := section (sep section)*
    section  := [label ":"] part ("," part | ";" part | "。" part)*
    part     := group | rule | note | deadline
    group    := ["由"] names ["会同" names] [等-form] [role word]
    names    := name ("、" name | "及" name | "和" name)*      (及/和 only between two units)
    name     := unit-like text [marker]                       (marker: （牵头）)

Labels (责任单位, 牵头单位, 配合单位, 牵头负责领导, 时限要求 …), role words, rules, notes
and deadlines all come from ``lexicon.toml``. A body reads as a clause when every part is
one of these and at least one group names a unit with a role word or label around it:

>>> r = read("市人社局牵头,市财政局、市民政局配合", 0)
>>> [(u.text, u.role) for u in r.units], r.ok
([('市人社局', 'lead'), ('市财政局', 'support'), ('市民政局', 'support')], True)
>>> read("技工院校内由人力资源社会保障行政部门负责", 0).ok
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from loaders.clauses.brackets import split_top
from loaders.clauses.lexicon import Lexicon, lexicon
from loaders.clauses.script import fold
from loaders.clauses.units import Name, split_names
from loaders.model import Role

_SENTENCE = ";。\n"
_STRIP = " ;。,.、"


@dataclass
class Reading:
    """What a clause body says; ``ok`` when all of it was read."""

    units: list[Name] = field(default_factory=list)  # role: the explicit role, if any
    notes: list[tuple[str, int, int]] = field(default_factory=list)
    deadline: tuple[str, int, int] | None = None
    leaders: list[str] = field(default_factory=list)
    rule: tuple[str, int, int] | None = None
    ok: bool = True
    worded: bool = False  # a role word, label or marker was seen (it reads as a clause)
    chain: int | None = None  # first unit of role-less groups a later 牵头 may take along


def _mask(folded: str, raw: str, reading: Reading, offset: int, lex: Lexicon) -> str:
    """Cut a lead rule (and the words opening its sentence) out of the text, replaced by
    separators, and remember it."""
    out = folded
    if lex.rule_word not in folded:
        return out
    for match in lex.rule.finditer(folded):
        a, b = match.span()
        if reading.rule is None:
            reading.rule = (raw[a:b], offset + a, offset + b)
        leadin = lex.rule_leadin.search(folded, 0, a)
        a = leadin.start() if leadin else a
        out = out[:a] + ";" * (b - a) + out[b:]
    return out


def _sections(folded: str, lex: Lexicon) -> list[tuple[str | None, int, int]]:
    """(label kind or None, start, end) of each labelled stretch."""
    found = [m for m in lex.label.finditer(folded) if _at_boundary(folded, m.start())]
    if not found:
        return [(None, 0, len(folded))]
    out: list[tuple[str | None, int, int]] = []
    if folded[: found[0].start()].strip(_STRIP):
        out.append((None, 0, found[0].start()))
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(folded)
        out.append((lex.label_kind[m.group("word")], m.end(), end))
    return out


def _at_boundary(folded: str, i: int) -> bool:
    """A label starts the body, follows a separator or a space (牵头单位：A 配合单位：B),
    not a name (市人社局责任单位:)."""
    j = i - 1
    while j >= 0 and folded[j] == " ":
        j -= 1
    return j < 0 or j < i - 1 or folded[j] in ";。,、\n"


def _group(
    raw: str, folded: str, start: int, role: Role | None, reading: Reading, lex: Lexicon
) -> bool:
    """One part read as units with roles; False when it is not a group of units."""
    leadin = lex.leadin.match(folded)
    if leadin is not None:
        n = leadin.end()
        raw, folded, start = raw[n:], folded[n:], start + n
    explicit = role
    for _ in range(3):
        suffix = lex.suffix.search(folded)
        if suffix is None:
            break
        word_role = lex.suffix_role[suffix.group(0)]
        explicit = word_role or explicit
        reading.worded = True
        raw, folded = raw[: suffix.start()].rstrip(), folded[: suffix.start()].rstrip()
        trailing = lex.trailing.search(folded)
        if trailing and trailing.start() > 0:
            raw, folded = raw[: trailing.start()].rstrip(), folded[: trailing.start()].rstrip()
    if not folded:
        return True
    infix = lex.infix.search(folded)
    if infix is not None:
        a, b = infix.span()
        reading.worded = True
        left = split_names(raw[:a].rstrip(), folded[:a].rstrip(), start)
        rest = folded[b:].strip()
        lead = len(folded[b:]) - len(folded[b:].lstrip())
        right = (
            [] if rest in lex.anonymous else split_names(raw[b:].strip(), rest, start + b + lead)
        )
        if not left or right is None:
            return False
        _add(reading, left, "lead")
        _add(reading, right, "support")
        return True
    names = split_names(raw, folded, start)
    if not names:
        return False
    _add(reading, names, explicit)
    return True


def _add(reading: Reading, names: list[Name], role: Role | None) -> None:
    """Add names with a group role; ``A，B牵头`` makes A lead too (the role-less groups
    before a 牵头 group in the same sentence share it; a 配合 group takes none along)."""
    if role is None and reading.chain is None:
        reading.chain = len(reading.units)
    elif role == "lead" and reading.chain is not None:
        for i in range(reading.chain, len(reading.units)):
            unit = reading.units[i]
            if unit.role is None:
                reading.units[i] = Name(unit.text, unit.start, unit.end, "lead")
    if role is not None:
        reading.chain = None
    for name in names:
        if name.role is not None:
            reading.worded = True
        if name.person:
            reading.leaders.append(name.text)
        elif name.role is not None or role is None:
            reading.units.append(name)  # the role it has is the one it keeps
        else:
            reading.units.append(Name(name.text, name.start, name.end, role))


def _part(
    raw: str, folded: str, start: int, kind: str | None, reading: Reading, lex: Lexicon
) -> bool:
    """One part between separators; False when it is prose."""
    if lex.deadline.fullmatch(folded) and lex.deadline_marks.search(folded):
        if reading.deadline is None:
            reading.deadline = (raw, start, start + len(raw))
        return True
    role: Role | None = "lead" if kind == "lead" else "support" if kind == "support" else None
    return _group(raw, folded, start, role, reading, lex)


def _close(
    run: list[tuple[int, int]], raw: str, folded: str, offset: int, reading: Reading, lex: Lexicon
) -> None:
    """End a run of prose parts: a note when it holds a note word, else unreadable."""
    if not run:
        return
    a, b = run[0][0], run[-1][1]
    if lex.note.search(folded[a:b]):
        reading.notes.append((raw[a:b], offset + a, offset + b))
    else:
        reading.ok = False
    run.clear()


def read(raw: str, offset: int) -> Reading:
    """Read a clause body ``raw`` (normalised text starting at ``offset``). The result is
    shared (cached): do not change it."""
    reading = _read(raw)
    if offset == 0:
        return reading

    def at(piece: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
        return None if piece is None else (piece[0], piece[1] + offset, piece[2] + offset)

    return Reading(
        units=[Name(n.text, n.start + offset, n.end + offset, n.role) for n in reading.units],
        notes=[(t, a + offset, b + offset) for t, a, b in reading.notes],
        deadline=at(reading.deadline),
        leaders=reading.leaders,
        rule=at(reading.rule),
        ok=reading.ok,
        worded=reading.worded,
    )


@lru_cache(maxsize=8192)
def _read(raw: str) -> Reading:
    """:func:`read` at offset 0 (cached: the structure pass and the measure pass read the
    same clauses)."""
    offset = 0
    lex = lexicon()
    reading = Reading()
    folded = _mask(fold(raw), raw, reading, offset, lex)
    for kind, s_start, s_end in _sections(folded, lex):
        if kind is not None:
            reading.worded = True
        body = folded[s_start:s_end]
        if kind == "leaders":
            reading.leaders.extend(p for p, _, _ in split_top(body, "、,;。"))
            continue
        if kind == "deadline":
            text = raw[s_start:s_end].strip(_STRIP)
            if text and reading.deadline is None:
                a = s_start + raw[s_start:s_end].find(text)
                reading.deadline = (text, offset + a, offset + a + len(text))
            continue
        run: list[tuple[int, int]] = []  # consecutive parts that are no group: a note?
        for sentence, a, _ in split_top(body, _SENTENCE, s_start):
            reading.chain = None
            for part, p_start, p_end in split_top(sentence, ",", a):
                if lex.note.search(part) or not _part(
                    raw[p_start:p_end], part, offset + p_start, kind, reading, lex
                ):
                    run.append((p_start, p_end))
                    continue
                _close(run, raw, folded, offset, reading, lex)
        _close(run, raw, folded, offset, reading, lex)
    return reading
