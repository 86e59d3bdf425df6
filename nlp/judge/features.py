"""Turn narratives into the feature matrix the status classifier reads.

:class:`NarrativeFeatures` is a scikit-learn transformer over a DataFrame with
the columns ``narrative`` and ``measure`` (normalised text) and, when the
embedding block is on, ``narrative_emb`` and ``measure_emb`` (one float vector
per row, made by :mod:`nlp.embed`). It stacks four blocks:

* the narrative embedding;
* character n-gram TF-IDF of the narrative;
* the cue features of the Mongolian language layer (:mod:`nlp.cues`);
* measure–narrative similarity (embedding cosine, TF-IDF cosine, stem overlap,
  length ratio): a narrative that restates its measure is no_evidence.

Encoders are not stored in the transformer: embeddings arrive as columns, so a
saved model holds only plain arrays and scikit-learn objects.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from . import cues as cue_layer

__all__ = ["NarrativeFeatures", "SIMILARITY_NAMES", "stem_overlap"]

SIMILARITY_NAMES: tuple[str, ...] = (
    "sim_embedding",
    "sim_tfidf",
    "stem_overlap",
    "length_ratio",
    "is_empty",
)

_WORD = re.compile(r"\w+")


def _stems(text: str, n: int = 5) -> set[str]:
    return {w[:n] for w in _WORD.findall(text.lower()) if len(w) > 2 and not w.isdigit()}


def stem_overlap(narrative: str, measure: str) -> float:
    """Share of the narrative's word stems (first 5 letters) that also occur in the measure."""
    a = _stems(narrative)
    if not a:
        return 0.0
    return len(a & _stems(measure)) / len(a)


def _drop_stop_words(vectorizer: TfidfVectorizer) -> None:
    # ``stop_words_`` lists every n-gram cut by min_df/max_features: only for introspection,
    # and most of a saved model's size. scikit-learn documents it as safe to remove.
    if hasattr(vectorizer, "stop_words_"):
        del vectorizer.stop_words_


def _emb(X: pd.DataFrame, column: str) -> np.ndarray:
    if column not in X:
        raise ValueError(f"column {column!r} is missing: embed the rows first (nlp.embed)")
    return np.vstack([np.asarray(v, dtype=np.float32) for v in X[column]]) if len(X) else np.zeros((0, 1))


def _transform_distinct(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)``, computed once per distinct text.

    A year's reports share about 150 measures over 100,000 rows, so the
    measure side of the similarity is mostly repeats.
    """
    distinct, index = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    return vectorizer.transform(list(distinct))[index.ravel()]


class NarrativeFeatures(TransformerMixin, BaseEstimator):
    """Feature blocks for the status classifier.

    Parameters
    ----------
    use_embedding, use_tfidf, use_cues, use_similarity : bool, default True
        Which blocks to use (the ablations in ``docs/evaluation.md`` switch them off).
    embedding_weight, tfidf_weight, cue_weight, similarity_weight : float
        Multipliers applied to each block after its own scaling.
    ngram_range : tuple of int, default (2, 5)
        Character n-gram sizes (``char_wb``) for the TF-IDF block.
    word_ngram_range : tuple of int or None, default (1, 2)
        Word n-grams added to the TF-IDF block (``None``: characters only).
    use_interaction : bool, default False
        Add the element-wise product of narrative and measure embeddings.
    interaction_weight : float, default 1.0
    min_df : int, default 2
    max_features : int, default 60000

    Attributes
    ----------
    tfidf_ : TfidfVectorizer
    cue_mean_, cue_scale_ : ndarray
        Standardisation of the cue block, learned in ``fit``.
    feature_names_ : ndarray of str
    n_features_out_ : int
    """

    def __init__(self, use_embedding=True, use_tfidf=True, use_cues=True, use_similarity=True,
                 embedding_weight=2.0, tfidf_weight=1.0, cue_weight=0.1, similarity_weight=1.0,
                 ngram_range=(2, 5), min_df=2, max_features=60000, word_ngram_range=(1, 2),
                 use_interaction=False, interaction_weight=1.0):
        self.use_embedding = use_embedding
        self.use_tfidf = use_tfidf
        self.use_cues = use_cues
        self.use_similarity = use_similarity
        self.embedding_weight = embedding_weight
        self.tfidf_weight = tfidf_weight
        self.cue_weight = cue_weight
        self.similarity_weight = similarity_weight
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.word_ngram_range = word_ngram_range
        self.use_interaction = use_interaction
        self.interaction_weight = interaction_weight

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _texts(X: pd.DataFrame, column: str) -> list[str]:
        if column not in X:
            raise ValueError(f"column {column!r} is missing")
        return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in X[column]]

    def _cue_block(self, X: pd.DataFrame) -> np.ndarray:
        texts = self._texts(X, "narrative")
        found = list(X["cues"]) if "cues" in X else cue_layer.find_cues_many(texts)
        return np.asarray(cue_layer.cue_matrix(found, texts=texts), dtype=np.float64)

    def _similarity_block(self, X: pd.DataFrame, tfidf_n=None) -> np.ndarray:
        narratives = self._texts(X, "narrative")
        measures = self._texts(X, "measure")
        n = len(narratives)
        out = np.zeros((n, len(SIMILARITY_NAMES)))
        if "narrative_emb" in X and "measure_emb" in X:
            out[:, 0] = np.einsum("ij,ij->i", _emb(X, "narrative_emb"), _emb(X, "measure_emb"))
        if self.use_tfidf or tfidf_n is not None:
            a = tfidf_n if tfidf_n is not None else self.tfidf_.transform(narratives)
            b = _transform_distinct(self.tfidf_, measures)
            out[:, 1] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        out[:, 2] = [stem_overlap(a, b) for a, b in zip(narratives, measures)]
        out[:, 3] = [min(len(a) / max(len(b), 1), 5.0) / 5.0 for a, b in zip(narratives, measures)]
        out[:, 4] = [0.0 if a.strip() else 1.0 for a in narratives]
        return out

    # -- scikit-learn API ----------------------------------------------------------------
    def fit(self, X, y=None):
        """Learn the TF-IDF vocabulary and the cue scaling from ``X``."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("NarrativeFeatures expects a pandas DataFrame with 'narrative' and 'measure'")
        narratives = self._texts(X, "narrative")
        names: list[str] = []
        if self.use_embedding:
            names += [f"emb_{i}" for i in range(_emb(X, "narrative_emb").shape[1])]
        if self.use_tfidf or self.use_similarity:
            self.tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                                          min_df=self.min_df, max_features=self.max_features,
                                          sublinear_tf=True, lowercase=True, dtype=np.float32)
            self.tfidf_.fit(narratives + self._texts(X, "measure"))
            _drop_stop_words(self.tfidf_)
        if self.use_tfidf:
            names += [f"tfidf_{t}" for t in self.tfidf_.get_feature_names_out()]
        if self.use_tfidf and self.word_ngram_range:
            self.word_tfidf_ = TfidfVectorizer(analyzer="word", ngram_range=tuple(self.word_ngram_range),
                                               min_df=self.min_df, sublinear_tf=True, lowercase=True,
                                               token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
            self.word_tfidf_.fit(narratives)
            _drop_stop_words(self.word_tfidf_)
            names += [f"word_{t}" for t in self.word_tfidf_.get_feature_names_out()]
        if self.use_interaction:
            names += [f"inter_{i}" for i in range(_emb(X, "narrative_emb").shape[1])]
        if self.use_cues:
            block = self._cue_block(X)
            self.cue_mean_ = block.mean(axis=0)
            scale = block.std(axis=0)
            scale[scale == 0] = 1.0
            self.cue_scale_ = scale
            names += [f"cue_{n}" for n in cue_layer.FEATURE_NAMES]
        if self.use_similarity:
            names += list(SIMILARITY_NAMES)
        self.feature_names_ = np.asarray(names, dtype=object)
        self.n_features_out_ = len(names)
        return self

    def transform(self, X):
        """Feature matrix (CSR, float32) for the rows of ``X``."""
        check_is_fitted(self, "n_features_out_")
        blocks = []
        tfidf_n = None
        if self.use_embedding:
            blocks.append(sp.csr_matrix(_emb(X, "narrative_emb") * self.embedding_weight))
        if self.use_tfidf:
            tfidf_n = self.tfidf_.transform(self._texts(X, "narrative"))
            blocks.append(tfidf_n * self.tfidf_weight)
        if self.use_tfidf and self.word_ngram_range:
            blocks.append(self.word_tfidf_.transform(self._texts(X, "narrative")) * self.tfidf_weight)
        if self.use_interaction:
            inter = _emb(X, "narrative_emb") * _emb(X, "measure_emb")
            blocks.append(sp.csr_matrix(inter * (self.interaction_weight * np.sqrt(inter.shape[1]))))
        if self.use_cues:
            block = (self._cue_block(X) - self.cue_mean_) / self.cue_scale_
            blocks.append(sp.csr_matrix(np.clip(block, -5, 5) * self.cue_weight))
        if self.use_similarity:
            blocks.append(sp.csr_matrix(self._similarity_block(X, tfidf_n) * self.similarity_weight))
        if not blocks:
            return sp.csr_matrix((len(X), 0), dtype=np.float32)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return self.feature_names_
