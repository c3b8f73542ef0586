"""Text similarity of measures: cosine of character n-gram sets, one scoring for the whole project.

Chinese has no spaces, so a measure is read as the *set* of its character bigrams and trigrams
(after NFKC folding, without whitespace and punctuation). Two measures score the cosine of those
sets, |A ∩ B| / sqrt(|A| · |B|) (the Otsuka–Ochiai coefficient): 1.0 for the same wording,
0.0 for no shared n-gram.

The vectors come from scikit-learn's ``HashingVectorizer``, which is *stateless*: a measure's
vector does not depend on the rest of the corpus (no IDF), so the corpus index can add or drop
one document without recomputing the others, and ``pairwise`` (used by document comparison)
scores exactly as the similar-measures index does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

NGRAM_RANGE = (2, 3)
N_FEATURES = 2**22  # hashed n-gram space; collisions are negligible at this size

# Everything that is not a letter or a digit in any script (CJK ideographs are letters).
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC-fold (full-width digits and letters become ASCII) and keep only letters and digits."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=1)
def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char",
        ngram_range=NGRAM_RANGE,
        preprocessor=normalise,
        lowercase=False,
        binary=True,
        norm="l2",
        alternate_sign=False,
        n_features=N_FEATURES,
        dtype=np.float64,
    )


def vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised binary n-gram vectors, one row per text (an empty text is a zero row)."""
    matrix = _vectorizer().transform(list(texts))
    return sp.csr_matrix(matrix, dtype=np.float64)


def pairwise(texts_a: Sequence[str], texts_b: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every text of ``texts_a`` with every text of ``texts_b``.

    A dense ``len(texts_a) × len(texts_b)`` float64 array in [0, 1], rounded to 6 decimals so
    that scores compare equal across the REST, SPARQL and Cypher answers and this function.
    """
    if not texts_a or not texts_b:
        return np.zeros((len(texts_a), len(texts_b)), dtype=np.float64)
    product = (vectors(texts_a) @ vectors(texts_b).T).toarray().astype(np.float64)
    return np.round(np.clip(product, 0.0, 1.0), 6)
