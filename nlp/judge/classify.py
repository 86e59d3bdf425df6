"""The status classifier: a calibrated, class-weighted linear model over narrative features.

:class:`StatusClassifier` follows the scikit-learn estimator contract (checked
with ``parametrize_with_checks``) and works on any numeric feature matrix.
:func:`make_pipeline` joins it with :class:`nlp.judge.features.NarrativeFeatures` into
the model that biyelelt trains, saves and scores with.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .features import NarrativeFeatures

__all__ = ["StatusClassifier", "make_pipeline"]


class StatusClassifier(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression with class weights and calibrated probabilities.

    Parameters
    ----------
    C : float, default 16.0
        Inverse regularisation strength (chosen by grouped cross-validation on the
        training organisations, see ``docs/evaluation.md``).
    class_weight : "balanced", dict or None, default "balanced"
        Weights against class imbalance.
    calibration : {"temperature", "sigmoid", "isotonic", None}, default "temperature"
        Probability calibration fitted on out-of-fold predictions (``ensemble=False``:
        the final model is fitted on all rows, the calibrator on cross-validated
        predictions); ``None`` keeps the raw logistic probabilities. Calibration is
        skipped (and ``calibrated_`` is False) when a class has fewer rows than ``cv``.
    cv : int, default 5
        Folds for calibration.
    max_iter : int, default 3000
    random_state : int, default 0

    Attributes
    ----------
    classes_ : ndarray
    n_features_in_ : int
    estimator_ : fitted LogisticRegression or CalibratedClassifierCV
    calibrated_ : bool
    n_iter_ : ndarray
        Solver iterations of each fitted logistic regression (one per calibration fold).
    """

    def __init__(self, C=16.0, class_weight="balanced", calibration="temperature", cv=5,
                 max_iter=3000, random_state=0):
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.max_iter = max_iter
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y):
        """Fit on feature matrix ``X`` (dense or sparse) and labels ``y``; returns self."""
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=[np.float64, np.float32])
        check_classification_targets(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        if len(self.classes_) < 2:
            raise ValueError(f"StatusClassifier needs at least 2 classes; got {len(self.classes_)} class")
        base = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                  random_state=self.random_state)
        self.calibrated_ = bool(self.calibration) and bool(counts.min() >= max(self.cv, 2))
        if self.calibrated_:
            folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
            self.estimator_ = CalibratedClassifierCV(base, method=self.calibration, cv=folds, ensemble=False)
        else:
            self.estimator_ = base
        self.estimator_.fit(X, y)
        fitted = ([c.estimator for c in self.estimator_.calibrated_classifiers_] if self.calibrated_
                  else [self.estimator_])
        self.n_iter_ = np.array([int(np.max(e.n_iter_)) for e in fitted])
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        check_is_fitted(self, "estimator_")
        X = validate_data(self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """The most probable status of each row."""
        check_is_fitted(self, "estimator_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def make_pipeline(features: dict | None = None, classifier: dict | None = None) -> Pipeline:
    """The full model: :class:`NarrativeFeatures` then :class:`StatusClassifier`.

    Parameters
    ----------
    features, classifier : dict, optional
        Parameters for each step.
    """
    return Pipeline([
        ("features", NarrativeFeatures(**(features or {}))),
        ("clf", StatusClassifier(**(classifier or {}))),
    ])
