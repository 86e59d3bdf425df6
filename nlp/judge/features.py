"""Turn narratives into the feature matrix the status classifier reads.

:class:`NarrativeFeatures` is a scikit-learn transformer over a DataFrame with
the columns ``narrative`` and ``measure`` (normalised text) and, when the
embedding block is on, ``narrative_emb`` and ``measure_emb`` (one float vector
per row, made by :mod:`nlp.judge.embed`). It stacks four blocks:

* the narrative embedding;
* character n-gram TF-IDF of the narrative;
* the cue features of the Mongolian language layer (:mod:`nlp.judge.cues`);
* measure–narrative similarity (embedding cosine, TF-IDF cosine, stem overlap,
  length ratio): a narrative that restates its measure is no_evidence;
* optionally, measure-aware evidence (:mod:`nlp.judge.evidence`: counts, dates, document
  numbers, addresses, tallies, coverage of the measure, restatement).

Every block is a function of its row's own texts, so each is computed once per distinct
narrative (or narrative–measure pair) and spread back to the rows: a year repeats its 150
measures and many stock phrases. The character TF-IDF is counted a word at a time
(:func:`_char_wb_counts`); the numbers are exactly scikit-learn's.

With ``romanize=True`` the TF-IDF blocks read a script-blind form of the text
(:func:`nlp.text.romanize`), so a narrative typed in Latin letters shares n-grams with
its Cyrillic twin.

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
from .evidence import EVIDENCE_NAMES, evidence_matrix
from .tense import TENSE_NAMES, tense_matrix
from ..text import romanize as _romanize

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
        raise ValueError(f"column {column!r} is missing: embed the rows first (nlp.judge.embed)")
    return np.vstack([np.asarray(v, dtype=np.float32) for v in X[column]]) if len(X) else np.zeros((0, 1))


def _distinct(values) -> tuple[list, np.ndarray]:
    """The distinct values in order of first appearance, and each value's position among them.

    ``[distinct[i] for i in index] == list(values)``. Features are computed once per distinct
    narrative (or narrative–measure pair) and spread back to the rows with ``index``: every block
    is a function of its row's text alone, so the result is the same as row by row.
    """
    seen: dict = {}
    index = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.intp, count=len(values))
    return list(seen), index


def _char_wb_counts(vectorizer: TfidfVectorizer, texts: list[str]):
    """The term-count matrix ``vectorizer`` (``analyzer="char_wb"``) makes of ``texts``, a word at a time.

    ``char_wb`` n-grams never cross a word boundary, so a text's counts are the sum of its words'
    counts: each distinct word is cut into n-grams once (a year has far fewer distinct words than
    word tokens), and the texts' counts are one sparse product, words per text × n-grams per word.
    The counts are whole numbers, so the matrix is exactly the one scikit-learn builds.
    """
    preprocess = vectorizer.build_preprocessor()
    spaces = vectorizer._white_spaces
    vocabulary = vectorizer.vocabulary_
    min_n, max_n = vectorizer.ngram_range
    word_ids: dict[str, int] = {}
    flat: list[int] = []
    indptr = [0]
    for doc in texts:
        flat.extend(word_ids.setdefault(w, len(word_ids))
                    for w in spaces.sub(" ", preprocess(vectorizer.decode(doc))).split())
        indptr.append(len(flat))
    w_indices: list[int] = []
    w_counts: list[int] = []
    w_indptr = [0]
    get = vocabulary.get
    for w in word_ids:  # as sklearn's _char_wb_ngrams, one word
        w = " " + w + " "
        w_len = len(w)
        counter: dict[int, int] = {}
        for n in range(min_n, max_n + 1):
            offset = 0
            while True:
                k = get(w[offset:offset + n])
                if k is not None:
                    counter[k] = counter.get(k, 0) + 1
                if offset + n >= w_len:
                    break
                offset += 1
            if offset == 0:  # a short word counts once
                break
        w_indices.extend(counter)
        w_counts.extend(counter.values())
        w_indptr.append(len(w_indices))
    n_features = len(vocabulary)
    words = sp.csr_matrix((np.asarray(w_counts, dtype=np.int64), np.asarray(w_indices, dtype=np.int64),
                           np.asarray(w_indptr, dtype=np.int64)), shape=(len(word_ids), n_features))
    docs = sp.csr_matrix((np.ones(len(flat), dtype=np.int64), np.asarray(flat, dtype=np.int64),
                          np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(word_ids)))
    docs.sum_duplicates()
    counts = (docs @ words).tocsr()
    counts.eliminate_zeros()
    counts.sort_indices()
    return sp.csr_matrix((counts.data.astype(vectorizer.dtype), counts.indices.astype(np.int32),
                          counts.indptr.astype(np.int32)), shape=(len(texts), n_features))


def _tfidf_transform(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)``, the same numbers, faster for ``char_wb`` (:func:`_char_wb_counts`)."""
    fast = (getattr(vectorizer, "analyzer", None) == "char_wb" and not vectorizer.binary
            and vectorizer.input == "content" and vectorizer.preprocessor is None
            and hasattr(vectorizer, "_tfidf") and hasattr(vectorizer, "_white_spaces"))
    if not fast or not texts:
        return sp.csr_matrix(vectorizer.transform(texts))
    check_is_fitted(vectorizer, "vocabulary_")
    return sp.csr_matrix(vectorizer._tfidf.transform(_char_wb_counts(vectorizer, texts), copy=False))


def _transform_distinct(vectorizer: TfidfVectorizer, texts: list[str], romanize: bool = False) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` (of their :func:`nlp.text.romanize` form with ``romanize``), computed once
    per distinct text.

    A year's reports share about 150 measures over 100,000 rows, so the
    measure side of the similarity is mostly repeats.
    """
    distinct, index = _distinct(texts)
    if romanize:
        distinct = [_romanize(t) for t in distinct]
    return _tfidf_transform(vectorizer, distinct)[index]


def _standardizer(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations of ``block`` (a constant column's scale is 1)."""
    scale = block.std(axis=0)
    scale[scale == 0] = 1.0
    return block.mean(axis=0), scale


def _standardized(block: np.ndarray, mean: np.ndarray, scale: np.ndarray, weight: float) -> sp.csr_matrix:
    """``block`` standardised with ``mean`` and ``scale``, clipped to ±5, times ``weight``."""
    return sp.csr_matrix(np.clip((block - mean) / scale, -5, 5) * weight)


#: The fitted vectorizers whose vocabularies are saved compactly (see ``NarrativeFeatures.__getstate__``).
_VECTORIZERS = ("tfidf_", "word_tfidf_")

#: Parameters added after models were first saved, with the value such a model behaves as (the block they
#: switch did not exist): :meth:`NarrativeFeatures.__setstate__` fills them in, so ``get_params`` and ``clone``
#: work on every saved model.
_SAVED_BEFORE = {"use_evidence": False, "evidence_weight": 0.5, "romanize": False,
                 "use_tense": False, "tense_weight": 0.5}


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
    use_evidence : bool, default True
        Add the measure-aware evidence block (standardised, times ``evidence_weight``).
    evidence_weight : float, default 0.5
    use_tense : bool, default False
        Add the clause-tense block (:mod:`nlp.judge.tense`: shares of plan, past, ongoing and negated
        clauses), standardised, times ``tense_weight``. Off until leave-one-writer-out cross-validation
        chooses it (``benchmarks/writer_cv.py``'s ``romanize+evidence+tense``).
    tense_weight : float, default 0.5
    romanize : bool, default True
        Feed the TF-IDF blocks the script-blind form of the text.
        (Both chosen by leave-one-writer-out cross-validation, ``docs/evaluation.md``.)
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
    evidence_mean_, evidence_scale_ : ndarray
        Standardisation of the evidence block (only with ``use_evidence``).
    tense_mean_, tense_scale_ : ndarray
        Standardisation of the tense block (only with ``use_tense``).
    feature_names_ : ndarray of str
    n_features_out_ : int
    """

    def __init__(self, use_embedding=True, use_tfidf=True, use_cues=True, use_similarity=True,
                 embedding_weight=2.0, tfidf_weight=1.0, cue_weight=0.1, similarity_weight=1.0,
                 ngram_range=(2, 5), min_df=2, max_features=60000, word_ngram_range=(1, 2),
                 use_interaction=False, interaction_weight=1.0, use_evidence=True, evidence_weight=0.5,
                 romanize=True, use_tense=False, tense_weight=0.5):
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
        self.use_evidence = use_evidence
        self.evidence_weight = evidence_weight
        self.romanize = romanize
        self.use_tense = use_tense
        self.tense_weight = tense_weight

    # -- saving ------------------------------------------------------------------------
    def __getstate__(self):
        """The state to save, with each TF-IDF vocabulary as two arrays instead of a dict.

        A vocabulary of 30,000 n-grams is 60,000 small objects in a skops file (and seconds to check and
        load); as an array of terms and an array of their columns it is two. :meth:`__setstate__` turns
        them back into the same dict. Models saved the old way load as before.
        """
        state = dict(super().__getstate__())
        compact = {}
        for name in _VECTORIZERS:
            vectorizer = state.get(name)
            vocabulary = getattr(vectorizer, "vocabulary_", None)
            if not isinstance(vocabulary, dict) or not vocabulary or \
                    any(not isinstance(t, str) or t.endswith("\x00") for t in vocabulary):
                continue  # (numpy's text arrays drop a trailing NUL: such a vocabulary stays a dict)
            bare = object.__new__(type(vectorizer))  # a copy without the dict; the fitted object is left alone
            bare.__dict__.update({k: v for k, v in vectorizer.__dict__.items() if k != "vocabulary_"})
            state[name] = bare
            terms = list(vocabulary)
            compact[name] = (np.asarray(terms, dtype=str),
                             np.asarray([vocabulary[t] for t in terms], dtype=np.int64))
        if compact:
            state["_vocabularies"] = compact
        return state

    def __setstate__(self, state):
        state = dict(state)
        compact = state.pop("_vocabularies", None) or {}
        state = {**_SAVED_BEFORE, **state}
        super().__setstate__(state)
        for name, (terms, columns) in compact.items():
            getattr(self, name).vocabulary_ = dict(zip(terms.tolist(), columns.tolist()))

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _texts(X: pd.DataFrame, column: str) -> list[str]:
        if column not in X:
            raise ValueError(f"column {column!r} is missing")
        return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in X[column]]

    def _tfidf_texts(self, X: pd.DataFrame, column: str) -> list[str]:
        texts = self._texts(X, column)
        return [_romanize(t) for t in texts] if self.romanize else texts

    def _evidence_block(self, X: pd.DataFrame) -> np.ndarray:
        pairs, index = _distinct(list(zip(self._texts(X, "narrative"), self._texts(X, "measure"))))
        return evidence_matrix([a for a, _ in pairs], [b for _, b in pairs])[index]

    def _tense_block(self, X: pd.DataFrame) -> np.ndarray:
        distinct, index = _distinct(self._texts(X, "narrative"))
        return tense_matrix(distinct)[index]

    def _cue_block(self, X: pd.DataFrame) -> np.ndarray:
        texts = self._texts(X, "narrative")
        distinct, index = _distinct(texts)
        if "cues" in X:  # the cues prepare() found, row by row: those of each text's first row
            first = np.unique(index, return_index=True)[1]
            column = X["cues"]
            found = [column.iat[i] for i in first]
        else:
            found = cue_layer.find_cues_many(distinct)
        return np.asarray(cue_layer.cue_matrix(found, texts=distinct), dtype=np.float64)[index]

    def _similarity_block(self, X: pd.DataFrame, tfidf_n=None) -> np.ndarray:
        narratives = self._texts(X, "narrative")
        measures = self._texts(X, "measure")
        n = len(narratives)
        out = np.zeros((n, len(SIMILARITY_NAMES)))
        if "narrative_emb" in X and "measure_emb" in X:
            out[:, 0] = np.einsum("ij,ij->i", _emb(X, "narrative_emb"), _emb(X, "measure_emb"))
        if self.use_tfidf or tfidf_n is not None:
            romanize = self.romanize
            a = tfidf_n if tfidf_n is not None else _transform_distinct(self.tfidf_, narratives, romanize)
            b = _transform_distinct(self.tfidf_, measures, romanize)
            out[:, 1] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        # The text-only columns once per distinct (narrative, measure) pair.
        pairs, index = _distinct(list(zip(narratives, measures)))
        stems: dict[str, set] = {}

        def stems_of(text):
            found = stems.get(text)
            if found is None:
                found = stems[text] = _stems(text)
            return found

        text_only = np.zeros((len(pairs), 3))
        for i, (a, b) in enumerate(pairs):
            mine = stems_of(a)
            text_only[i] = (len(mine & stems_of(b)) / len(mine) if mine else 0.0,
                            min(len(a) / max(len(b), 1), 5.0) / 5.0,
                            0.0 if a.strip() else 1.0)
        out[:, 2:5] = text_only[index]
        return out

    # -- scikit-learn API ----------------------------------------------------------------
    def fit(self, X, y=None):
        """Learn the TF-IDF vocabulary and the cue scaling from ``X``."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("NarrativeFeatures expects a pandas DataFrame with 'narrative' and 'measure'")
        narratives = self._tfidf_texts(X, "narrative")
        names: list[str] = []
        if self.use_embedding:
            names += [f"emb_{i}" for i in range(_emb(X, "narrative_emb").shape[1])]
        if self.use_tfidf or self.use_similarity:
            self.tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range),
                                          min_df=self.min_df, max_features=self.max_features,
                                          sublinear_tf=True, lowercase=True, dtype=np.float32)
            self.tfidf_.fit(narratives + self._tfidf_texts(X, "measure"))
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
            self.cue_mean_, self.cue_scale_ = _standardizer(self._cue_block(X))
            names += [f"cue_{n}" for n in cue_layer.FEATURE_NAMES]
        if self.use_similarity:
            names += list(SIMILARITY_NAMES)
        if self.use_evidence:
            self.evidence_mean_, self.evidence_scale_ = _standardizer(self._evidence_block(X))
            names += list(EVIDENCE_NAMES)
        if self.use_tense:
            self.tense_mean_, self.tense_scale_ = _standardizer(self._tense_block(X))
            names += list(TENSE_NAMES)
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
            # Once per distinct narrative, spread back to the rows.
            distinct, index = _distinct(self._texts(X, "narrative"))
            texts = [_romanize(t) for t in distinct] if self.romanize else distinct
            tfidf_n = _tfidf_transform(self.tfidf_, texts)[index]
            blocks.append(tfidf_n * self.tfidf_weight)
            if self.word_ngram_range:
                blocks.append(sp.csr_matrix(self.word_tfidf_.transform(texts))[index] * self.tfidf_weight)
        if self.use_interaction:
            inter = _emb(X, "narrative_emb") * _emb(X, "measure_emb")
            blocks.append(sp.csr_matrix(inter * (self.interaction_weight * np.sqrt(inter.shape[1]))))
        if self.use_cues:
            blocks.append(_standardized(self._cue_block(X), self.cue_mean_, self.cue_scale_, self.cue_weight))
        if self.use_similarity:
            blocks.append(sp.csr_matrix(self._similarity_block(X, tfidf_n) * self.similarity_weight))
        if self.use_evidence:
            blocks.append(_standardized(self._evidence_block(X), self.evidence_mean_, self.evidence_scale_,
                                        self.evidence_weight))
        if self.use_tense:
            blocks.append(_standardized(self._tense_block(X), self.tense_mean_, self.tense_scale_,
                                        self.tense_weight))
        if not blocks:
            return sp.csr_matrix((len(X), 0), dtype=np.float32)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return self.feature_names_
