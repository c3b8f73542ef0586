"""graph.analysis.alignment: one-to-one alignment and roles by function, on hand-made data.

The texts are chosen so every score is exact by reading: a text and its copy score 1.0 (the
responsibility clause at the end is not compared), texts without a common character score 0.
"""

from __future__ import annotations

import numpy as np

from graph.analysis.alignment import (
    MIN_SCORE,
    UNCLASSIFIED,
    Duty,
    FunctionRole,
    FunctionTotal,
    Measure,
    align,
    assign,
    comparable_text,
)
from graph.analysis.alignment_tables import roles_table, side_by_side_table, totals_table

HRSS, FIN, EDU, VET = "人力资源社会保障", "财政", "教育", "退役军人事务"


def duty(name: str, role: str, rank: int, function: str | None, label: str | None) -> Duty:
    return Duty(f"http://x/id/agency/{name}", name, role, rank, function, label)


def measure(ordinal: int, text: str, *duties: Duty) -> Measure:
    return Measure(ordinal, text.split("（")[0], text, tuple(duties))


A = [
    measure(1, "发放扩岗补助（牵头单位：省人社厅）",
            duty("省人社厅", "lead", 1, "hrss", HRSS),
            duty("省财政厅", "support", 2, "finance", FIN)),
    measure(2, "开发公共岗位",
            duty("省人社厅", "shared", 1, "hrss", HRSS),
            duty("省教育厅", "shared", 2, "education", EDU)),
    measure(3, "结对帮扶困难青年", duty("省某某中心", "sole", 1, None, None)),
]  # fmt: skip
B = [
    measure(1, "开发公共岗位",
            duty("市教育局", "lead", 1, "education", EDU),
            duty("市人社局", "support", 2, "hrss", HRSS),
            duty("区人社局", "support", 3, "hrss", HRSS)),
    measure(2, "建设乡镇驿站", duty("市退役军人局", "sole", 1, "veterans", VET)),
    measure(3, "发放扩岗补助（责任单位：市财政局）", duty("市财政局", "sole", 1, "finance", FIN)),
]  # fmt: skip


def test_assign_maximises_the_total_not_the_first_pick() -> None:
    # greedy would take 0.9 and leave 0.1 (below the minimum): one pair; the best is two
    scores = np.array([[0.9, 0.8], [0.85, 0.1]])
    assert assign(scores) == [(0, 1, 0.8), (1, 0, 0.85)]


def test_assign_ignores_pairs_below_the_minimum() -> None:
    # counted at face value, 0.24 + 0.49 would beat 0.5 + 0.0, and then 0.24 is dropped
    scores = np.array([[0.5, 0.24], [0.49, 0.0]])
    assert assign(scores, min_score=0.25) == [(0, 0, 0.5)]
    assert assign(np.array([[0.2]]), min_score=0.25) == []
    assert assign(np.zeros((0, 3))) == []


def test_comparable_text_drops_the_responsibility_clause() -> None:
    assert comparable_text(A[0]) == "发放扩岗补助"
    assert comparable_text(Measure(4, "标题", "正文。（牵头单位：市人社局）", ())) == "标题。正文。"


def test_align_pairs_and_sides() -> None:
    found = align(A, B)
    assert found.min_score == MIN_SCORE
    assert [(p.a.ordinal, p.b.ordinal, p.score) for p in found.pairs] == [(1, 3, 1.0), (2, 1, 1.0)]
    assert [m.ordinal for m in found.only_a] == [3]
    assert [m.ordinal for m in found.only_b] == [2]


def test_roles_by_function() -> None:
    first, second = align(A, B).pairs
    assert first.functions == (
        FunctionRole("hrss", HRSS, "lead", None),
        FunctionRole("finance", FIN, "support", "lead"),  # sole counts as lead
    )
    assert (first.lead_a, first.lead_b, first.only_a, first.only_b, first.same_lead) == (
        (HRSS,), (FIN,), (HRSS,), (), False
    )  # fmt: skip
    # two hrss agencies support in B: one function, one role
    assert second.functions == (
        FunctionRole("education", EDU, "shared", "lead"),
        FunctionRole("hrss", HRSS, "shared", "support"),
    )
    # no agency leads A's measure 2: the functions sharing it lead
    assert (second.lead_a, second.lead_b, second.same_lead) == ((HRSS, EDU), (EDU,), False)


def test_totals_per_function() -> None:
    assert align(A, B).functions == (
        FunctionTotal("hrss", HRSS, 1, 1, 0, 2, 0, 0, 1, 1, 1, 0),
        FunctionTotal("education", EDU, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0),
        FunctionTotal("finance", FIN, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0),
        FunctionTotal(None, UNCLASSIFIED, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0),
        FunctionTotal("veterans", VET, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0),
    )


def test_same_lead_and_empty_sides() -> None:
    a = [measure(1, "发放扩岗补助", duty("省人社厅", "lead", 1, "hrss", HRSS))]
    b = [measure(7, "发放扩岗补助", duty("市人社局", "sole", 1, "hrss", HRSS))]
    (pair,) = align(a, b).pairs
    assert (pair.same_lead, pair.functions) == (True, (FunctionRole("hrss", HRSS, "lead", "lead"),))
    alone = align([], b)
    assert (alone.pairs, alone.only_a, [m.ordinal for m in alone.only_b]) == ((), (), [7])
    assert alone.functions == (FunctionTotal("hrss", HRSS, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0),)


def test_tables() -> None:
    found = align(A, B)
    side = side_by_side_table(found)
    assert side.rows == (
        (1, "发放扩岗补助", HRSS, f"{HRSS}(牵头)、{FIN}(配合)", 1.0, 3, "发放扩岗补助", FIN,
         f"{FIN}(牵头)", False, HRSS, ""),
        (2, "开发公共岗位", f"{HRSS}、{EDU}", f"{HRSS}(共同)、{EDU}(共同)", 1.0, 1, "开发公共岗位",
         EDU, f"{EDU}(牵头)、{HRSS}(配合)", False, "", ""),
        (3, "结对帮扶困难青年", UNCLASSIFIED, f"{UNCLASSIFIED}(牵头)", None, None, None, None,
         None, None, None, None),
        (None, None, None, None, None, 2, "建设乡镇驿站", VET, f"{VET}(牵头)", None, None, None),
    )  # fmt: skip
    assert roles_table(found).rows == (
        (1, 3, HRSS, "lead", None, "hrss"),
        (1, 3, FIN, "support", "lead", "finance"),
        (2, 1, EDU, "shared", "lead", "education"),
        (2, 1, HRSS, "shared", "support", "hrss"),
    )
    assert totals_table(found).rows[0] == (HRSS, 1, 1, 0, 2, 0, 0, 1, 1, 1, 0, "hrss")
