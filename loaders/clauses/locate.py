"""Where the clauses of a measure are: brackets at a clause's place, or whole lines.

A bracket of any kind holds a clause when it closes a sentence (after 。；：, at a line
start, or before 。, a line end or the measure's end) and its content reads as one
(``grammar.read``); a bracket that never closes runs to its line end. A line outside
brackets holds one when all of it reads as a clause (``责任单位：A、B`` after the sub-items;
not the measure's first line, its title), or when a labelled tail ends it
(``做好。责任单位：A、B``). A lead rule anywhere in the measure (inside a clause, in a bracket
of its own beside it, or in a sentence) switches the document's rules on from this measure.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from loaders.clauses.brackets import CLAUSE_OPENERS, depth_zero, top_level
from loaders.clauses.clause import Clause, LeadRules, Unit
from loaders.clauses.grammar import Reading, read
from loaders.clauses.lexicon import lexicon
from loaders.clauses.roles import resolve
from loaders.clauses.script import fold
from loaders.clauses.units import is_collective

_BEFORE = "\n。;:!?)]〕】>〉"
_AFTER = "\n。;"
_TAIL_PUNCT = " 。;,.、"


def note_rule(text: str, start: int, end: int, rules: LeadRules) -> None:
    """Switch ``rules`` on when ``text[start:end]`` states a lead rule (find_clauses does
    this for each measure; call it on a preamble that states the rule for the document)."""
    if rules.active:
        return
    lex = lexicon()
    if all(text.find(word, start, end) < 0 for word in lex.rule_word_written):
        return  # no 牵头 / 牽頭: no rule (no slice, no fold)
    folded = fold(text[start:end])
    match = lex.rule.search(folded)
    if match:
        rules.active = True
        rules.start, rules.end = start + match.start(), start + match.end()
        rules.text = text[rules.start : rules.end]


def _clause(text: str, start: int, end: int, reading: Reading, offset: int, active: bool) -> Clause:
    """The clause ``text[start:end]`` from the reading of a body at ``offset`` (the
    reading's offsets are relative to it: the shared cached reading, no shifted copy);
    ``active``: a lead rule is in force."""
    seen: set[str] = set()
    unique = []
    for name in reading.units:
        if name.text not in seen:
            seen.add(name.text)
            unique.append(name)
    roles = resolve(
        [n.role for n in unique],
        [is_collective(fold(n.text)) for n in unique],
        rule=active,
    )
    deadline, rule = reading.deadline, reading.rule
    return Clause(
        text=text[start:end],
        start=start,
        end=end,
        units=tuple(
            Unit(n.text, n.start + offset, n.end + offset, r)
            for n, r in zip(unique, roles, strict=True)
        ),
        notes=tuple(n for n, _, _ in reading.notes),
        deadline=deadline[0] if deadline else None,
        leaders=tuple(reading.leaders),
        rule=rule[0] if rule else None,
        note_spans=tuple((a + offset, b + offset) for _, a, b in reading.notes),
        deadline_span=(deadline[1] + offset, deadline[2] + offset) if deadline else None,
        rule_span=(rule[1] + offset, rule[2] + offset) if rule else None,
    )


def _readable(reading: Reading) -> bool:
    """All read, and it says something: units, leaders or a deadline next to role words or
    labels, or a note of its own (以下政策措施均需各县区人民政府落实，不再单独列出)."""
    if not reading.ok:
        return False
    worded = reading.worded and bool(reading.units or reading.leaders or reading.deadline)
    return worded or bool(reading.notes)


@lru_cache(maxsize=16384)
def _line_clause(
    text: str, a: int, b: int, first: bool, active: bool
) -> tuple[Clause | None, bool]:
    """A clause made of the line ``text[a:b]`` or of its labelled tail, and whether it is
    the whole line and labelled (cached: the whole-text pass of the structure and the
    measure pass read the same lines of the same text; a pure function of its arguments)."""
    clause = _line_clause_of(text, a, b, first, active)
    return clause, clause is not None and clause.start == a and _labelled(clause.text)


def _line_clause_of(text: str, a: int, b: int, first: bool, active: bool) -> Clause | None:
    while b > a and text[b - 1] in _TAIL_PUNCT:
        b -= 1
    if b <= a or text[a] in CLAUSE_OPENERS:
        return None
    line = text[a:b]
    folded = fold(line)
    lex = lexicon()
    if lex.role_word.search(folded) is None:
        return None
    if not first or lex.label.match(folded):
        reading = read(line, 0)
        if _readable(reading):
            return _clause(text, a, b, reading, a, active)
    outside: list[bool] | None = None
    for match in lex.label.finditer(folded):
        i = match.start()
        if i == 0 or folded[i - 1] not in "。;)]〕】>〉":
            continue
        outside = outside or depth_zero(folded)
        if outside[i]:
            reading = read(text[a + i : b], 0)
            if _readable(reading):
                return _clause(text, a + i, b, reading, a + i, active)
            break
    return None


def _labelled(text: str) -> bool:
    return lexicon().label.match(fold(text)) is not None


def _joined(text: str, above: Clause, below: Clause, active: bool) -> Clause | None:
    """牵头单位：A on one line and 责任单位：B、C on the next are one clause."""
    reading = read(text[above.start : below.end], 0)
    if not _readable(reading):
        return None
    return _clause(text, above.start, below.end, reading, above.start, active)


def _placed(text: str, start: int, end: int, o: int, c: int | None) -> bool:
    """Whether the bracket at ``o``..``c`` stands where a clause stands (one that never
    closes must open a sentence: 收入<5000元 is no clause)."""
    i = o - 1
    while i >= start and text[i] == " ":
        i -= 1
    if i < start or text[i] in _BEFORE:
        return True
    if c is None:
        return False
    j = c + 1
    while j < end and text[j] == " ":
        j += 1
    return j >= end or text[j] in _AFTER


def find_clauses(text: str, start: int, end: int, rules: LeadRules) -> list[Clause]:
    """Every responsibility clause inside the measure ``text[start:end]`` (normalised
    text), in document order; ``rules`` is the document's lead-rule state (updated)."""
    note_rule(text, start, end, rules)
    return _find(text, start, end, rules.active)


def clause_starts(text: str, start: int, end: int) -> list[int]:
    """Where the clauses :func:`find_clauses` finds in ``text[start:end]`` start, whatever
    the lead rule (a rule changes roles only, so none is looked for: on a whole document
    that search alone cost as much as reading its clauses)."""
    return [clause.start for clause in _find(text, start, end, False)]


def _find(text: str, start: int, end: int, active: bool) -> list[Clause]:
    found: list[Clause] = []
    taken: list[tuple[int, int]] = []
    pos = start
    first = True
    block = False  # the line before was a labelled clause of its own
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        clause, labelled = _line_clause(text, pos, stop, first, active)
        joined = _joined(text, found[-1], clause, active) if clause and labelled and block else None
        if joined is not None:
            found[-1], taken[-1] = joined, (joined.start, joined.end)
        elif clause is not None:
            found.append(clause)
            taken.append((clause.start, clause.end))
        block = labelled
        first = False
        pos = stop + 1
    for o, c in top_level(text, start, end):
        if text[o] not in CLAUSE_OPENERS or any(a <= o < b for a, b in taken):
            continue
        if not _placed(text, start, end, o, c):
            continue
        close = c if c is not None else _line_end(text, o, end)
        bracket = _bracket(text, o, close, c is not None, active)
        if bracket is not None:
            found.append(bracket)
    found.sort(key=lambda cl: cl.start)
    return _attach_rules(found)


@lru_cache(maxsize=16384)
def _bracket(text: str, o: int, close: int, closed: bool, active: bool) -> Clause | None:
    """The clause the bracket opening at ``o`` holds (up to ``close``), if any (cached like
    :func:`_line_clause`)."""
    lex = lexicon()
    inner = text[o + 1 : close]
    folded = fold(inner)
    worded = lex.role_word.search(folded) is not None
    if not worded and not (lex.rule_word in folded and lex.rule.search(folded)):
        return None  # neither role words nor a rule (the rule search only when needed)
    reading = read(inner, 0)
    stop = close + 1 if closed else close
    if _readable(reading):
        return _clause(text, o, stop, reading, o + 1, active)
    if reading.rule is not None and reading.ok and not reading.units:
        return _rule_only(text, o, stop, reading, o + 1)
    if worded:
        return Clause(text[o:stop], o, stop, (), unparsed=True)
    return None


def _line_end(text: str, o: int, end: int) -> int:
    stop = text.find("\n", o, end)
    stop = end if stop < 0 else stop
    while stop > o + 1 and text[stop - 1] in _TAIL_PUNCT:
        stop -= 1
    return stop


def _rule_only(text: str, o: int, stop: int, reading: Reading, offset: int) -> Clause:
    assert reading.rule is not None
    rule, a, b = reading.rule
    return Clause(text[o:stop], o, stop, (), rule=rule, rule_span=(a + offset, b + offset))


def _attach_rules(found: list[Clause]) -> list[Clause]:
    """A bracket holding only a rule (A、B负责)(列第一位者为牵头单位) gives its rule to the
    clause before it (or after it) and is no clause of its own."""
    out: list[Clause] = []
    loose: Clause | None = None
    for clause in found:
        if clause.units or clause.unparsed or clause.leaders or clause.notes or clause.deadline:
            if loose is not None and clause.rule is None:
                clause = _with_rule(clause, loose)
                loose = None
            out.append(clause)
        elif out and out[-1].rule is None:
            out[-1] = _with_rule(out[-1], clause)
        else:
            loose = clause
    return out


def _with_rule(clause: Clause, source: Clause) -> Clause:
    return replace(clause, rule=source.rule, rule_span=source.rule_span)
