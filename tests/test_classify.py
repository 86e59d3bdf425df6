"""The status classifier keeps the scikit-learn estimator contract and learns the tiny corpus."""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from nlp.judge.classify import StatusClassifier, make_pipeline
from nlp.learn.train import fit_pipeline

from _models import HashEncoder, tiny_frame


@parametrize_with_checks([StatusClassifier(), StatusClassifier(calibration=None),
                          StatusClassifier(calibration="sigmoid")],
                         expected_failed_checks=lambda est: (
                             # A sigmoid calibrator is fitted without class weights, so extreme class
                             # weights no longer decide the class; temperature scaling keeps the argmax.
                             {"check_class_weight_classifiers": "sigmoid calibration re-balances class weights"}
                             if est.calibration == "sigmoid" else {}))
def test_sklearn_contract(estimator, check):
    check(estimator)


def test_fit_returns_self_and_learned_attributes():
    X = np.random.RandomState(0).randn(30, 4)
    y = np.array(["a", "b", "c"] * 10)
    clf = StatusClassifier()
    assert clf.fit(X, y) is clf
    assert list(clf.classes_) == ["a", "b", "c"]
    assert clf.n_features_in_ == 4
    assert clf.calibrated_ is True
    proba = clf.predict_proba(X)
    assert proba.shape == (30, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_calibration_skipped_when_a_class_is_tiny():
    X = np.random.RandomState(0).randn(12, 3)
    y = np.array(["a"] * 10 + ["b"] * 2)
    clf = StatusClassifier(cv=3).fit(X, y)
    assert clf.calibrated_ is False


def test_pipeline_learns_tiny_corpus_with_all_blocks():
    df = tiny_frame(copies=3)
    pipe = fit_pipeline(df, HashEncoder())
    from nlp.judge.audit import prepare
    X = prepare(df, HashEncoder())
    pred = pipe.predict(X)
    assert (pred == df["status"].to_numpy()).mean() > 0.9
    names = pipe.named_steps["features"].get_feature_names_out()
    assert any(n.startswith("emb_") for n in names) and any(n.startswith("cue_") for n in names)
    assert "sim_embedding" in names


@pytest.mark.parametrize("block", ["use_embedding", "use_tfidf", "use_cues", "use_similarity"])
def test_each_block_can_be_switched_off(block):
    df = tiny_frame(copies=3)
    from nlp.judge.audit import prepare
    X = prepare(df, HashEncoder())
    pipe = make_pipeline({block: False}).fit(X, df["status"])
    names = pipe.named_steps["features"].get_feature_names_out()
    prefix = {"use_embedding": "emb_", "use_tfidf": "tfidf_", "use_cues": "cue_", "use_similarity": "sim_"}[block]
    assert not any(n.startswith(prefix) for n in names)
    assert pipe.predict_proba(X).shape == (len(df), 6)


def test_same_data_same_model():
    df = tiny_frame(copies=3)
    from nlp.judge.audit import prepare
    X = prepare(df, HashEncoder())
    p1 = fit_pipeline(df, HashEncoder()).predict_proba(X)
    p2 = fit_pipeline(df, HashEncoder()).predict_proba(X)
    np.testing.assert_array_equal(p1, p2)


def test_measure_tfidf_once_per_distinct_measure_gives_the_same_matrix():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.judge.features import _transform_distinct

    texts = ["сургалт зохион байгуулах", "мэдээлэл байршуулах", "сургалт зохион байгуулах", ""] * 3
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(texts)
    expected = vectorizer.transform(texts).toarray()
    np.testing.assert_array_equal(_transform_distinct(vectorizer, texts).toarray(), expected)
