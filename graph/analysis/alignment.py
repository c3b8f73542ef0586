"""Two documents side by side: the best one-to-one alignment of their measures, and how the
responsibility for each aligned pair differs by government function.

Data in, plain data out (no store): graph.catalog.compare reads the two documents' measures.
The alignment maximises the summed similarity of the pairs (``scipy.optimize.
linear_sum_assignment`` on graph.analysis.similarity's cosine matrix of character n-gram
vectors) among pairs scoring at least :data:`MIN_SCORE`; every other measure is "only in A"
or "only in B".

Roles by function: an agency's role is read as ``lead`` (lead or sole), ``shared`` or
``support``; a function holds the strongest role any of its agencies holds on the measure
(lead > shared > support). Who *leads* a measure: its functions with role lead, or, when no
agency leads it (responsibility shared, 某某、某某负责), the functions sharing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from graph.analysis.similarity import pairwise

#: Least cosine similarity for two measures to be one measure taken over. Chosen on the
#: fixtures and the nine real documents: the measures the chain fixtures restate at another
#: level (扩岗补助 … 扩岗补助) score 0.27-0.95; across the 36 pairs of the eight State
#: Council documents and Jinan's no two measures are the same, and the most similar (two
#: employment documents' financing measures) score 0.19. The price: a takeover reworded
#: throughout (实施精准帮扶 → 开展结对帮扶, 0.19) is not aligned.
MIN_SCORE = 0.25
ROLE_ORDER = {"lead": 0, "shared": 1, "support": 2}
#: The label of agencies that no function of ontology/vocab/functions.ttl describes.
UNCLASSIFIED = "未归类 unclassified"
#: The responsibility clause at a measure's end (（牵头单位：…）): agency names, not content.
_CLAUSE = re.compile(r"[（(][^（()）]*[）)]\s*[。；;]?\s*$")


@dataclass(frozen=True)
class Duty:
    """One agency's responsibility for a measure."""

    agency: str  # IRI
    name: str
    role: str  # lead, support, shared, sole (as the document says)
    rank: int
    function: str | None  # function id (functions.ttl), None when unclassified
    function_label: str | None


@dataclass(frozen=True)
class Measure:
    ordinal: int
    title: str
    text: str
    duties: tuple[Duty, ...]  # in rank order


@dataclass(frozen=True)
class FunctionRole:
    """One function's role on an aligned pair: in A, in B (None: not responsible there)."""

    function: str | None
    label: str
    role_a: str | None
    role_b: str | None


@dataclass(frozen=True)
class Pair:
    a: Measure
    b: Measure
    score: float  # cosine similarity, rounded to 4 places
    functions: tuple[FunctionRole, ...]  # by role in A, then in B, then label
    lead_a: tuple[str, ...]  # labels of the functions leading in A
    lead_b: tuple[str, ...]
    only_a: tuple[str, ...]  # labels of functions responsible in A only
    only_b: tuple[str, ...]
    same_lead: bool


@dataclass(frozen=True)
class FunctionTotal:
    """How many measures of each document a function leads, shares and supports."""

    function: str | None
    label: str
    a_lead: int
    a_shared: int
    a_support: int
    a_measures: int
    b_lead: int
    b_shared: int
    b_support: int
    b_measures: int
    aligned_both: int  # aligned pairs the function answers for on both sides
    aligned_same_role: int  # ... in the same role


@dataclass(frozen=True)
class Alignment:
    min_score: float
    pairs: tuple[Pair, ...]  # in the order of A's measures
    only_a: tuple[Measure, ...]
    only_b: tuple[Measure, ...]
    functions: tuple[FunctionTotal, ...]  # busiest first (measures in A + B), then label


def function_role(role: str) -> str:
    """An agency's role as the function view reads it (sole counts as lead)."""
    return "lead" if role in ("lead", "sole") else role


def function_roles(measure: Measure) -> dict[str | None, tuple[str, str]]:
    """Function id → (label, strongest role) on one measure."""
    found: dict[str | None, tuple[str, str]] = {}
    for d in measure.duties:
        role = function_role(d.role)
        label = (d.function_label or d.function) if d.function else UNCLASSIFIED
        held = found.get(d.function)
        if held is None or ROLE_ORDER.get(role, 9) < ROLE_ORDER.get(held[1], 9):
            found[d.function] = (label, role)
    return found


def leaders(roles: dict[str | None, tuple[str, str]]) -> tuple[str, ...]:
    """Labels of the leading functions (lead, else shared), sorted."""
    for wanted in ("lead", "shared"):
        chosen = sorted(label for label, role in roles.values() if role == wanted)
        if chosen:
            return tuple(chosen)
    return ()


def comparable_text(measure: Measure) -> str:
    """What the similarity reads: title and text without the responsibility clause."""
    text = _CLAUSE.sub("", measure.text or "")
    return text if measure.title and measure.title in text else f"{measure.title}。{text}"


def _pair(a: Measure, b: Measure, score: float) -> Pair:
    ra, rb = function_roles(a), function_roles(b)
    rows = [
        FunctionRole(
            f,
            (ra.get(f) or rb[f])[0],
            ra[f][1] if f in ra else None,
            rb[f][1] if f in rb else None,
        )
        for f in set(ra) | set(rb)
    ]
    rows.sort(
        key=lambda r: (ROLE_ORDER.get(r.role_a or "", 9), ROLE_ORDER.get(r.role_b or "", 9),
                       r.label, r.function or "")
    )  # fmt: skip
    lead_a, lead_b = leaders(ra), leaders(rb)
    return Pair(
        a=a,
        b=b,
        score=round(score, 4),
        functions=tuple(rows),
        lead_a=lead_a,
        lead_b=lead_b,
        only_a=tuple(sorted(ra[f][0] for f in set(ra) - set(rb))),
        only_b=tuple(sorted(rb[f][0] for f in set(rb) - set(ra))),
        same_lead=lead_a == lead_b,
    )


def assign(scores: np.ndarray, min_score: float = MIN_SCORE) -> list[tuple[int, int, float]]:
    """The one-to-one pairs (row, column, score) of greatest total score among those scoring
    at least ``min_score`` (lower scores count as nothing, so they never displace a pair)."""
    if scores.size == 0:
        return []
    kept = np.where(scores >= min_score, scores, 0.0)
    rows, cols = linear_sum_assignment(kept, maximize=True)
    return [
        (int(r), int(c), float(scores[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if scores[r, c] >= min_score
    ]


def _totals(
    side_a: Sequence[Measure], side_b: Sequence[Measure], pairs: Sequence[Pair]
) -> tuple[FunctionTotal, ...]:
    counts: dict[str | None, dict[str, int]] = {}
    labels: dict[str | None, str] = {}
    for side, measures in (("a", side_a), ("b", side_b)):
        for m in measures:
            for f, (label, role) in function_roles(m).items():
                labels.setdefault(f, label)
                c = counts.setdefault(f, {})
                c[f"{side}_{role}"] = c.get(f"{side}_{role}", 0) + 1
                c[f"{side}_measures"] = c.get(f"{side}_measures", 0) + 1
    for p in pairs:
        for fr in p.functions:
            if fr.role_a and fr.role_b:
                c = counts[fr.function]
                c["aligned_both"] = c.get("aligned_both", 0) + 1
                if fr.role_a == fr.role_b:
                    c["aligned_same_role"] = c.get("aligned_same_role", 0) + 1
    fields = ("a_lead", "a_shared", "a_support", "a_measures", "b_lead", "b_shared",
              "b_support", "b_measures", "aligned_both", "aligned_same_role")  # fmt: skip
    out = [FunctionTotal(f, labels[f], *(c.get(k, 0) for k in fields)) for f, c in counts.items()]
    out.sort(key=lambda t: (-(t.a_measures + t.b_measures), t.label, t.function or ""))
    return tuple(out)


def align(
    side_a: Sequence[Measure], side_b: Sequence[Measure], min_score: float = MIN_SCORE
) -> Alignment:
    """Align the measures of A and B one to one by similarity; roles compared by function."""
    side_a = sorted(side_a, key=lambda m: m.ordinal)
    side_b = sorted(side_b, key=lambda m: m.ordinal)
    if side_a and side_b:
        scores = pairwise(
            [comparable_text(m) for m in side_a], [comparable_text(m) for m in side_b]
        )
    else:
        scores = np.zeros((len(side_a), len(side_b)))
    matched = sorted(assign(np.asarray(scores, dtype=float), min_score))
    pairs = tuple(_pair(side_a[i], side_b[j], s) for i, j, s in matched)
    used_a, used_b = {i for i, _, _ in matched}, {j for _, j, _ in matched}
    return Alignment(
        min_score=min_score,
        pairs=pairs,
        only_a=tuple(m for i, m in enumerate(side_a) if i not in used_a),
        only_b=tuple(m for j, m in enumerate(side_b) if j not in used_b),
        functions=_totals(side_a, side_b, pairs),
    )
