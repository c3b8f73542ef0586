"""The one similarity scoring (graph/analysis/similarity.py), with values worked out by hand.

A text becomes the set of its character bigrams and trigrams after dropping punctuation and
the trailing responsibility clause; two texts score |A ∩ B| / sqrt(|A| · |B|).
"""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from graph.analysis.similarity import (
    NUM_PERM,
    SEED,
    ngram_ids,
    normalise,
    pair_scores,
    pairwise,
    signatures,
)


def test_normalise_drops_clause_punctuation_and_folds_width() -> None:
    assert normalise("开发岗位。每年１０００个（牵头单位：市人社局；配合单位：市财政局）") == (
        "开发岗位每年1000个"
    )
    assert normalise("甲乙（市人社局（牵头）、市财政局）") == "甲乙"
    assert normalise("甲，乙 丙") == "甲乙丙"


def test_pairwise_scores_worked_out_by_hand() -> None:
    # 甲乙丙: {甲乙, 乙丙, 甲乙丙}; 甲乙丁: {甲乙, 乙丁, 甲乙丁}: 1 shared of 3 and 3
    # 甲乙丙丁: {甲乙, 乙丙, 丙丁, 甲乙丙, 乙丙丁}: 3 shared with 甲乙丙 -> 3 / sqrt(3 * 5)
    scores = pairwise(
        ["甲乙丙", "甲乙丙（市财政局负责）"], ["甲乙丁", "甲乙丙丁", "甲，乙丙", "戊己", ""]
    )
    assert scores.shape == (2, 5)
    assert scores[0].tolist() == [0.333333, round(3 / 15**0.5, 6), 1.0, 0.0, 0.0]
    assert scores[1].tolist() == scores[0].tolist()  # the clause does not count


def test_pairwise_is_symmetric_and_empty_inputs_give_empty_matrices() -> None:
    texts = ["对吸纳高校毕业生的企业发放补助", "对吸纳农民工的企业发放补助", "建设零工市场"]
    scores = pairwise(texts, texts)
    assert np.array_equal(scores, scores.T)
    assert scores.diagonal().tolist() == [1.0, 1.0, 1.0]
    assert pairwise([], texts).shape == (0, 3)
    assert pairwise(texts, []).shape == (3, 0)


def test_pair_scores_are_the_pairwise_scores() -> None:
    texts = ["甲乙丙", "甲乙丁", "甲乙丙丁", "", "戊己庚"]
    grams = ngram_ids(texts)
    query_of = np.repeat(np.arange(len(texts)), len(texts))
    others = [grams[j] for _ in texts for j in range(len(texts))]
    got = pair_scores(grams, query_of, others).reshape(len(texts), len(texts))
    assert np.array_equal(got, pairwise(texts, texts))


def test_signatures_are_datasketch_minhashes() -> None:
    grams = ngram_ids(["对吸纳高校毕业生的企业发放补助", "建设零工市场", ""])
    sigs = signatures(grams)
    for ids, sig in zip(grams, sigs, strict=True):
        m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="legacy", hashfunc=int)
        m.update_batch(ids.tolist())
        assert np.array_equal(m.hashvalues, sig)
