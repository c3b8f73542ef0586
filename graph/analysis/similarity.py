"""Text similarity of measures: cosine of character n-gram sets, one scoring for the whole project.

Chinese has no spaces, so a measure is read as the *set* of its character bigrams and trigrams
(after NFKC folding, without whitespace and punctuation, and without its trailing
responsibility clause: two measures are alike by what they do, not by who does it). Two
measures score the cosine of those sets, |A ∩ B| / sqrt(|A| · |B|) (the Otsuka–Ochiai
coefficient), rounded to 6 decimals: 1.0 for the same wording, 0.0 for no shared n-gram.

The n-grams are hashed by scikit-learn's ``HashingVectorizer``, which is *stateless*: a
measure's vector does not depend on the rest of the corpus (no IDF), so the corpus index
(graph/similar_index.py) adds or drops one document without recomputing the others, and
``pairwise`` (document comparison) scores exactly as the similar-measures answer does.
Candidates are found with datasketch's MinHash LSH over the same n-gram ids
(:func:`signatures`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash
from numpy.typing import ArrayLike
from sklearn.feature_extraction.text import HashingVectorizer

NGRAM_RANGE = (2, 3)
N_FEATURES = 2**22  # hashed n-gram space; collisions are negligible at this size
#: A link needs at least this score. Reworded copies of one measure (another city, another
#: number: 每年开发基层服务岗位不少于5000个 / …800个) score 0.75-0.95; measures that share only
#: the administrative vocabulary (面向…等群体, 完善…机制) score below 0.6.
THRESHOLD = 0.75
#: At most this many links per measure (its best-scoring ones; ties by the other's IRI).
TOP_K = 5
#: Up to this many measures in the corpus every pair is scored (exact lists: a few hundred
#: documents, the size of a real collection); beyond, candidates come from the LSH.
EXACT_MAX = 3000
#: MinHash permutations and the LSH bands × rows (candidates, rescored exactly). A pair is a
#: candidate with probability 1 - (1 - J^8)^16 for n-gram Jaccard J: 0.48 at J = 0.67
#: (cosine ≈ 0.8), 0.95 at 0.8, 1.00 at 0.9; 0.01 at J = 0.4 — the synthetic corpora of
#: bench/generate.py have most pairs near J = 0.3-0.5, where wider bands swamp the index
#: (bench/README.md, "Similar measures": recall against the exact lists, and the cost).
NUM_PERM = 128
LSH_BANDS = 16
LSH_ROWS = 8
SEED = 1

# Everything that is not a letter or a digit in any script (CJK ideographs are letters).
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# One trailing parenthesised clause, one level of nesting allowed: （A（牵头）、B）.
_CLAUSE = re.compile(r"[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]\s*$")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


def normalise(text: str) -> str:
    """Drop the trailing responsibility clause, NFKC-fold, keep only letters and digits."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", _CLAUSE.sub("", text))).lower()


@lru_cache(maxsize=1)
def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char",
        ngram_range=NGRAM_RANGE,
        preprocessor=normalise,
        lowercase=False,
        binary=True,
        norm=None,
        alternate_sign=False,
        n_features=N_FEATURES,
        dtype=np.float64,
    )


def vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """Binary n-gram incidence rows (1.0 where the text has the n-gram), one per text."""
    matrix = sp.csr_matrix(_vectorizer().transform(list(texts)), dtype=np.float64)
    matrix.sort_indices()
    return matrix


def ngram_ids(texts: Sequence[str]) -> list[np.ndarray]:
    """The sorted hashed n-gram ids (int32) of each text."""
    m = vectors(texts)
    return [m.indices[m.indptr[i] : m.indptr[i + 1]].astype(np.int32) for i in range(m.shape[0])]


def score(shared: ArrayLike, size_a: ArrayLike, size_b: ArrayLike) -> np.ndarray:
    """|A ∩ B| / sqrt(|A|·|B|), rounded to 6 decimals (0 where a set is empty)."""
    denom = np.sqrt(np.asarray(size_a, dtype=np.float64) * np.asarray(size_b, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, np.asarray(shared, dtype=np.float64) / denom, 0.0)
    return np.round(out, 6)


def pairwise(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    """Similarity of every text of ``texts_a`` with every text of ``texts_b``.

    A dense ``len(texts_a) × len(texts_b)`` float64 array in [0, 1] (6 decimals), the very
    scores of the similar-measures links.
    """
    if not texts_a or not texts_b:
        return np.zeros((len(texts_a), len(texts_b)), dtype=np.float64)
    return _set_cosines(vectors(texts_a), vectors(texts_b))


def _set_cosines(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """:func:`score` of every binary row of ``a`` with every binary row of ``b``."""
    shared = (a @ b.T).toarray()
    sizes_a = np.diff(a.indptr).reshape(-1, 1)
    sizes_b = np.diff(b.indptr).reshape(1, -1)
    return np.asarray(score(shared, sizes_a, sizes_b), dtype=np.float64)


def incidence(ids: Sequence[np.ndarray]) -> sp.csr_matrix:
    """The binary rows (one per n-gram id set) :func:`vectors` would give for their texts."""
    sizes = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
    indptr = np.concatenate(([0], np.cumsum(sizes)))
    flat = np.concatenate(ids) if len(ids) and sizes.sum() else np.zeros(0, dtype=np.int32)
    data = np.ones(len(flat), dtype=np.float64)
    return sp.csr_matrix((data, flat, indptr), shape=(len(ids), N_FEATURES))


def cross_scores(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> np.ndarray:
    """:func:`pairwise` of n-gram id sets: every set of ``a`` against every set of ``b``."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float64)
    return _set_cosines(incidence(a), incidence(b))


def pair_scores(
    queries: Sequence[np.ndarray], query_of: np.ndarray, others: Sequence[np.ndarray]
) -> np.ndarray:
    """:func:`score` of ``queries[query_of[k]]`` with ``others[k]`` for every k, vectorised
    (the index's rescoring of LSH candidates; n-gram id arrays sorted, as :func:`ngram_ids`
    gives them)."""
    n = len(others)
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    q_sizes = np.fromiter((len(q) for q in queries), dtype=np.int64, count=len(queries))
    o_sizes = np.fromiter((len(o) for o in others), dtype=np.int64, count=n)
    shift = np.int64(N_FEATURES.bit_length())
    if q_sizes.sum() == 0 or o_sizes.sum() == 0:
        return np.zeros(n, dtype=np.float64)
    # one sorted key per (query, n-gram); a candidate's n-gram is shared when its key is there
    keys = (np.repeat(np.arange(len(queries), dtype=np.int64), q_sizes) << shift) | np.concatenate(
        queries
    ).astype(np.int64)
    probe = (np.repeat(query_of.astype(np.int64), o_sizes) << shift) | np.concatenate(
        others
    ).astype(np.int64)
    where = np.minimum(np.searchsorted(keys, probe), len(keys) - 1)
    hits = (keys[where] == probe).astype(np.float64)
    shared = np.bincount(np.repeat(np.arange(n), o_sizes), weights=hits, minlength=n)
    return np.asarray(score(shared, q_sizes[query_of], o_sizes), dtype=np.float64)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="legacy").permutations
    return np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)


def signatures(ids: Sequence[np.ndarray]) -> np.ndarray:
    """MinHash signatures (``len(ids)`` × NUM_PERM, uint64) of n-gram id sets.

    datasketch's own permutations and "legacy" scheme, computed for many sets at once:
    equal to ``MinHash(num_perm, seed, scheme="legacy", hashfunc=int).update_batch(ids)``
    (tests/graph/analysis/test_similarity.py checks it), without its per-token Python loop.
    An empty set keeps datasketch's initial values (it collides only with empty sets).
    """
    a, b = _permutations()
    out = np.full((len(ids), NUM_PERM), _MAX_HASH, dtype=np.uint64)
    sizes = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
    full = np.flatnonzero(sizes)
    if not len(full):
        return out
    flat = np.concatenate([ids[int(i)] for i in full]).astype(np.uint64).reshape(-1, 1)
    hashed = ((flat * a + b) % _MERSENNE) & _MAX_HASH
    starts = np.concatenate(([0], np.cumsum(sizes[full])[:-1]))
    out[full] = np.minimum.reduceat(hashed, starts, axis=0)
    return out


#: One document for the corpus index (graph/similar_index.py): its id, its measures' IRIs,
#: their n-gram ids and MinHash signatures (rows of a NUM_PERM-wide array).
Entry = tuple[str, Sequence[str], Sequence[np.ndarray], np.ndarray]


def entry(doc_id: str, measures: Sequence[tuple[str, str]]) -> Entry:
    """The :data:`Entry` of a document's ``(measure IRI, text)`` pairs (pure: built in the
    worker that extracted the document, graph/prepared.py)."""
    grams = ngram_ids([text for _, text in measures]) if measures else []
    # legacy MinHash values are below 2^32: half the bytes to pickle from the worker
    return doc_id, [m for m, _ in measures], grams, signatures(grams).astype(np.uint32)
