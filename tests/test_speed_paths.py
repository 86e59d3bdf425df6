"""The fast paths give what the plain ones give: features per distinct text, the char TF-IDF a word at a
time, cues without span groups, the compact vocabularies of a saved model."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer

from _models import MEASURE, TINY, HashEncoder, tiny_frame
from nlp.judge import cues as cue_layer
from nlp.judge.audit import prepare, prepare_texts, precomputed, score
from nlp.judge.embed import CachedEncoder
from nlp.judge.features import NarrativeFeatures, _tfidf_transform
from nlp.judge.model import AuditModel, load_model, save_model
from nlp.learn.train import fit_pipeline

OTHER_MEASURE = "Ил тод байдлыг хангах, мэдээллийг цахим хуудсанд байршуулах."


def _rows_with_repeats(n: int = 150, seed: int = 0) -> pd.DataFrame:
    """Rows that repeat a few narratives under two measures, with Latin and odd-spacing twins and cells
    that are not text."""
    rng = np.random.RandomState(seed)
    texts = [t for t, _, _ in TINY] + ["", "  ", "Sургалт   3 udaa  zohion baiguulsan .", "12/12 тоот\tтушаал"]
    narratives = [texts[i] for i in rng.randint(0, len(texts), n)]
    narratives[5], narratives[6], narratives[7] = np.nan, 100, 100.0  # cells that are not text
    measures = [MEASURE if rng.rand() < 0.7 else OTHER_MEASURE for _ in range(n)]
    return pd.DataFrame({"report_id": [f"r{i % 7}" for i in range(n)], "narrative": narratives,
                         "measure": measures, "reported_percent": rng.choice([0, 50, 90, 100], n)})


def _same_matrix(a, b) -> None:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    a.sort_indices()
    b.sort_indices()
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)  # bit for bit, not approximately


@pytest.fixture(scope="module")
def fitted():
    df = tiny_frame(copies=3)
    feats = {"use_evidence": True, "use_interaction": True, "min_df": 1}
    return {
        "plain": fit_pipeline(df, HashEncoder(), features=feats),
        "romanized": fit_pipeline(df, HashEncoder(), features={**feats, "romanize": True}),
    }


@pytest.mark.parametrize("kind", ["plain", "romanized"])
def test_features_per_distinct_text_equal_features_row_by_row(fitted, kind):
    pipe = fitted[kind]
    features = pipe.named_steps["features"]
    rows = _rows_with_repeats()
    encoder = CachedEncoder(HashEncoder())
    X = prepare(rows, encoder)
    assert X["narrative"].nunique() < len(X) / 5  # many repeats: the distinct path has work to share
    together = features.transform(X)
    # One row at a time: nothing to share.
    alone = sp.vstack([features.transform(prepare(rows.iloc[[i]], encoder)) for i in range(len(rows))],
                      format="csr")
    _same_matrix(together, alone)
    np.testing.assert_array_equal(pipe.predict_proba(X),
                                  np.vstack([pipe.predict_proba(prepare(rows.iloc[[i]], encoder))
                                             for i in range(len(rows))]))


def test_scores_per_distinct_text_equal_scores_row_by_row(fitted):
    model = AuditModel(pipeline=fitted["plain"], encoder_spec=None)
    rows = _rows_with_repeats(60, seed=1)
    together = score(rows, model, encoder=HashEncoder())
    alone = pd.concat([score(rows.iloc[[i]], model, encoder=HashEncoder()) for i in range(len(rows))],
                      ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)


def test_prepare_takes_what_readers_prepared_and_gets_the_same(fitted):
    rows = _rows_with_repeats(80, seed=2)
    plain = prepare(rows, HashEncoder())
    with precomputed(*prepare_texts(list(rows["narrative"]), list(rows["measure"]))):
        given = prepare(rows, HashEncoder())
    with precomputed(*prepare_texts(list(rows["narrative"])[:10])):  # known in part: the rest is found
        part = prepare(rows, HashEncoder())
    for other in (given, part):
        pd.testing.assert_frame_equal(plain.drop(columns=["cues", "narrative_emb", "measure_emb"]),
                                      other.drop(columns=["cues", "narrative_emb", "measure_emb"]))
        assert [list(c) for c in plain["cues"]] == [list(c) for c in other["cues"]]
        np.testing.assert_array_equal(np.vstack(plain["narrative_emb"]), np.vstack(other["narrative_emb"]))


def test_prepare_embeds_each_distinct_text_once():
    rows = _rows_with_repeats()
    encoder = HashEncoder()
    X = prepare(rows, encoder)
    distinct = set(X["narrative"]) | set(X["measure"])
    assert encoder.calls == 1 and encoder.texts_seen == len(distinct)
    np.testing.assert_array_equal(np.vstack(X["narrative_emb"]), HashEncoder().encode(list(X["narrative"])))
    np.testing.assert_array_equal(np.vstack(X["measure_emb"]), HashEncoder().encode(list(X["measure"])))


@pytest.mark.parametrize("params", [
    {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "sublinear_tf": False, "norm": "l1"},
    {"analyzer": "char_wb", "ngram_range": (3, 3), "lowercase": False, "max_features": 40},
    {"analyzer": "word", "ngram_range": (1, 2)},  # not char_wb: scikit-learn's own transform
])
def test_char_tfidf_a_word_at_a_time_is_sklearns(params):
    texts = [t for t, _, _ in TINY] + ["", " ", "a", "ab", "Ёс  ЗҮЙН\tсургалт\n", "x" * 30, "12/12 №5 А/45"]
    vectorizer = TfidfVectorizer(dtype=np.float32, **params).fit(texts[:20])
    _same_matrix(_tfidf_transform(vectorizer, texts), vectorizer.transform(texts))
    _same_matrix(_tfidf_transform(vectorizer, texts[:1]), vectorizer.transform(texts[:1]))


def test_cues_without_span_groups_are_the_components_cues():
    texts = [t for t, _, _ in TINY] + ["", "-", "байхгүй", "ХБ.", "2024 оны 3 дугаар сарын 15-нд А/45 тоот тушаал",
                                       "Төрийн бус байгууллагатай хамтарсан.", "  сургалт  "]
    nlp = cue_layer.get_pipeline()
    expected = [list(nlp(t)._.cues) for t in texts]
    found = cue_layer.find_cues_many(texts + texts)  # repeats share one search
    assert [list(c) for c in found] == expected + expected
    assert [c.text for c in found] == texts + texts
    assert found[0] is found[len(texts)]


def _zip_entries(path) -> int:
    with zipfile.ZipFile(path) as archive:
        return len(archive.namelist())


def test_saved_vocabularies_are_compact_and_load_back_the_same(fitted, tmp_path, monkeypatch):
    pipe = fitted["plain"]
    features = pipe.named_steps["features"]
    vocab = dict(features.tfidf_.vocabulary_)
    model = AuditModel(pipeline=pipe, encoder_spec=None)
    save_model(model, tmp_path / "new")
    assert features.tfidf_.vocabulary_ == vocab  # saving leaves the fitted object alone
    assert _zip_entries(tmp_path / "new" / "model.skops") < 50 < len(vocab)
    back = load_model(tmp_path / "new").pipeline.named_steps["features"]
    assert back.tfidf_.vocabulary_ == vocab
    assert back.word_tfidf_.vocabulary_ == features.word_tfidf_.vocabulary_
    assert not hasattr(back, "_vocabularies")
    X = prepare(_rows_with_repeats(40), HashEncoder())
    _same_matrix(back.transform(X), features.transform(X))

    # A model saved before (one entry per n-gram) still loads.
    monkeypatch.setattr(NarrativeFeatures, "__getstate__", BaseEstimator.__getstate__)
    save_model(AuditModel(pipeline=pipe, encoder_spec=None), tmp_path / "old")
    monkeypatch.undo()
    assert _zip_entries(tmp_path / "old" / "model.skops") > len(vocab)
    old = load_model(tmp_path / "old").pipeline.named_steps["features"]
    assert old.tfidf_.vocabulary_ == vocab
    _same_matrix(old.transform(X), features.transform(X))
