"""The responsibility clause as a small language (issue #12).

A clause names the units responsible for a measure, with role words, connectors, lead
rules, notes, deadlines and people::

    （人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）
    （牵头单位：市人社局；配合单位：市财政局、各县（市、区）人民政府）
    责任单位：市行政审批局、住建局、司法局          (a line of its own)

Modules, one concern each: ``lexicon.toml`` (every phrasing, one line each) and
``lexicon`` (compiled), ``script`` (traditional → simplified, same offsets), ``brackets``
(every bracket kind, depth-aware), ``units`` (what reads as a unit name, splitting lists),
``grammar`` (a body → units, roles, notes, deadline, leaders, rule), ``roles`` (final roles
from stated roles and the lead rule), ``locate`` (where clauses stand in a measure).

Use::

    rules = LeadRules()                     # one per document
    for measure in measures:                # in document order
        clauses = find_clauses(norm_text, measure.start, measure.end, rules)
        units = merge_units(clauses)        # then loaders.agencies.agency_refs(...)

``note_rule(text, start, end, rules)`` reads a lead rule stated outside any measure (a
notice's 各项任务中，列第一位者为牵头单位).
"""

from __future__ import annotations

from loaders.clauses.clause import Clause, LeadRules, Unit, merge_units
from loaders.clauses.grammar import read
from loaders.clauses.lexicon import lexicon
from loaders.clauses.locate import clause_starts, find_clauses, note_rule
from loaders.clauses.script import fold

__all__ = [
    "Clause",
    "LeadRules",
    "Unit",
    "clause_starts",
    "find_clauses",
    "is_clause",
    "merge_units",
    "note_rule",
]

_BRACKETS = {"(": ")", "[": "]", "〔": "〕", "【": "】", "<": ">", "〈": "〉"}


def is_clause(fragment: str) -> bool:
    """Whether a bracket's content, a whole bracket or a line reads as a responsibility
    clause (units with role words or labels, nothing else but rules, notes, deadlines).

    >>> is_clause("(人力资源社会保障部、财政部负责)"), is_clause("此件公开发布")
    (True, False)
    """
    body = fragment.strip().rstrip("。;,. ")
    if len(body) >= 2 and _BRACKETS.get(body[0]) == body[-1]:
        body = body[1:-1]
    if lexicon().role_word.search(fold(body)) is None:
        return False  # no role word, no label: no clause (one regex scan, most lines)
    reading = read(body, 0)
    return reading.ok and reading.worded and bool(reading.units)
