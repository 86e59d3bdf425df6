"""Label quality: out-of-fold probabilities by organisation, and the labels that look wrong.

Шошгын чанар / Label quality. Every row gets the probabilities of a model that never saw its
organisation (grouped cross-validation by ``org_id``: a model that saw an organisation's
other rows would recognise its style, not the status). cleanlab's ``find_label_issues``
then lists the rows whose given status disagrees with those probabilities, with the status
the models suggest. Nothing is changed or dropped: the list is for an auditor to check.

cleanlab is an optional extra: ``pip install 'biyelelt[quality]'``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..judge.audit import prepare
from ..errors import BiyeleltError, DataError
from ..settings import STATUSES
from ..learn.train import fit_pipeline

__all__ = ["out_of_fold_proba", "find_label_issues", "label_issues", "ISSUE_COLUMNS"]

#: Columns of :func:`label_issues` (and of ``biyelelt label issues --out``).
ISSUE_COLUMNS = ("rank", "file", "line", "org_id", "measure", "narrative", "given_status", "suggested_status",
                 "label_quality", "p_given", "p_suggested")


class MissingExtraError(BiyeleltError):
    """An optional dependency is not installed."""


def _cleanlab():
    """cleanlab's ``find_label_issues`` and ``get_label_quality_scores``, or an install hint."""
    try:
        from cleanlab.filter import find_label_issues as find
        from cleanlab.rank import get_label_quality_scores as quality
    except ImportError as exc:
        raise MissingExtraError(
            "cleanlab суулгаагүй байна: pip install 'biyelelt[quality]'",
            "cleanlab is not installed: pip install 'biyelelt[quality]'",
        ) from exc
    return find, quality


def _folds(y: np.ndarray, groups: np.ndarray, n_splits: int, seed: int) -> tuple[np.ndarray, str]:
    """Fold number of each row: grouped by organisation when there are at least 2 of them."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    fold = np.full(len(y), -1, dtype=int)
    n_groups = len(set(groups))
    if n_groups >= 2:
        k = min(n_splits, n_groups)
        splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        how = f"{k}-fold by organisation"
        splits = splitter.split(np.zeros(len(y)), y, groups)
    else:
        _, counts = np.unique(y, return_counts=True)
        k = min(n_splits, len(y))
        if k < 2:
            raise DataError("хөндлөн шалгалтад мөр хүрэлцэхгүй", "too few rows for cross-validation")
        if counts.min() >= k:
            splits = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
        else:
            from sklearn.model_selection import KFold
            splits = KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)))
        how = f"{k}-fold by row (one organisation only)"
    for i, (_, test) in enumerate(splits):
        fold[test] = i
    return fold, how


def out_of_fold_proba(rows: pd.DataFrame, *, encoder=None, rotate=None, n_splits: int = 5, seed: int = 0,
                      features: dict | None = None, classifier: dict | None = None,
                      prepared: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Probabilities of each row from models trained without its organisation.

    Parameters
    ----------
    rows : DataFrame
        Labelled rows (``narrative``, ``measure``, ``status``, ``org_id``).
    encoder : Encoder, optional
        Embeds the narratives; without it the models use TF-IDF, cues and similarity only.
    rotate : array of bool, optional
        The rows to split into folds and predict (default: all). The other rows are in every
        training set and get no prediction (a row of NaN).
    n_splits : int, default 5
        Folds (fewer when there are fewer organisations).
    seed : int, default 0
    features, classifier : dict, optional
        Parameters of the pipeline's two steps (as for :func:`nlp.learn.train.train`).
    prepared : DataFrame, optional
        ``prepare(rows, encoder)`` when already computed.

    Returns
    -------
    proba : ndarray, shape (n_rows, 6)
        Columns in :data:`~nlp.settings.STATUSES` order. An empty narrative is no_evidence by rule.
    fold : ndarray of int
        The fold of each row (-1 for rows not rotated).
    how : str
        The folds in words (for reports and model cards).
    """
    df = rows.reset_index(drop=True)
    rotate = np.ones(len(df), dtype=bool) if rotate is None else np.asarray(rotate, dtype=bool)
    X = prepare(df, encoder) if prepared is None else prepared.reset_index(drop=True)
    empty = np.array([not t.strip() for t in X["narrative"]], dtype=bool)
    y = df["status"].to_numpy(dtype=object)
    groups = df["org_id"].astype(str).to_numpy() if "org_id" in df else np.array(["all"] * len(df))
    idx = np.flatnonzero(rotate)
    proba = np.full((len(df), len(STATUSES)), np.nan)
    fold = np.full(len(df), -1, dtype=int)
    if not len(idx):
        return proba, fold, "no rows"
    f, how = _folds(y[idx], groups[idx], n_splits, seed)
    fold[idx] = f
    for k in range(f.max() + 1):
        test = fold == k
        train = ~test
        model = fit_pipeline(df.loc[train], encoder, features=features, classifier=classifier, seed=seed,
                             prepared=X.loc[train])
        classes = [str(c) for c in model.classes_]
        predict = test & ~empty
        p = np.zeros((int(test.sum()), len(STATUSES)))
        if predict.any():
            got = model.predict_proba(X.loc[predict].reset_index(drop=True))
            sub = np.zeros((int(predict.sum()), len(STATUSES)))
            for j, c in enumerate(classes):
                sub[:, STATUSES.index(c)] = got[:, j]
            p[predict[test]] = sub
        p[empty[test], STATUSES.index("no_evidence")] = 1.0
        proba[test] = p
    return proba, fold, how


def find_label_issues(rows: pd.DataFrame, proba: np.ndarray, *, filter_by: str = "prune_by_noise_rate"
                      ) -> pd.DataFrame:
    """cleanlab's verdict on each row's label, given out-of-fold ``proba``.

    Parameters
    ----------
    rows : DataFrame
        Labelled rows with ``status``.
    proba : ndarray, shape (n_rows, 6)
        From :func:`out_of_fold_proba` (columns in :data:`~nlp.settings.STATUSES` order).
    filter_by : str
        cleanlab's method (see ``cleanlab.filter.find_label_issues``).

    Returns
    -------
    DataFrame
        One line per row, in input order: ``given_status``, ``suggested_status`` (the most
        probable status), ``label_quality`` (cleanlab's self-confidence, low = suspect),
        ``p_given``, ``p_suggested``, ``is_issue``. The input rows are not changed.
    """
    find, get_label_quality_scores = _cleanlab()
    given = rows["status"].astype(str).to_numpy()
    present = [s for s in STATUSES if s in set(given)]
    if len(present) < 2:
        raise DataError("шошгонд дор хаяж 2 төлөв хэрэгтэй", "the labels need at least 2 statuses")
    cols = [STATUSES.index(s) for s in present]
    p = np.nan_to_num(np.asarray(proba, dtype=float)[:, cols])
    p = np.clip(p, 1e-6, None)
    p = p / p.sum(axis=1, keepdims=True)
    labels = np.array([present.index(s) for s in given])
    issues = find(labels=labels, pred_probs=p, filter_by=filter_by)
    quality = get_label_quality_scores(labels, p, method="self_confidence")
    top = np.argmax(p, axis=1)
    rows_ = np.arange(len(labels))
    return pd.DataFrame({
        "given_status": given,
        "suggested_status": [present[j] for j in top],
        "label_quality": np.round(quality, 4),
        "p_given": np.round(p[rows_, labels], 4),
        "p_suggested": np.round(p[rows_, top], 4),
        "is_issue": np.asarray(issues, dtype=bool),
    }, index=rows.index)


def label_issues(rows: pd.DataFrame, *, encoder=None, n_splits: int = 5, seed: int = 0,
                 features: dict | None = None, classifier: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The rows whose label looks wrong, most suspect first.

    Parameters
    ----------
    rows : DataFrame
        Labelled rows, e.g. :func:`nlp.review.store.load_label_sources` (``file`` and ``line`` name them).
    encoder, n_splits, seed, features, classifier
        As for :func:`out_of_fold_proba`.

    Returns
    -------
    issues : DataFrame
        :data:`ISSUE_COLUMNS`, sorted by ``label_quality`` (then file and line); only the rows
        cleanlab marks. Nothing is removed from ``rows``.
    how : str
        The cross-validation used, in words.
    """
    _cleanlab()  # fail before the cross-validation when the extra is missing
    df = rows.reset_index(drop=True)
    proba, _, how = out_of_fold_proba(df, encoder=encoder, n_splits=n_splits, seed=seed, features=features,
                                      classifier=classifier)
    verdict = find_label_issues(df, proba)
    out = pd.concat([df[[c for c in ("file", "line", "org_id", "measure", "narrative") if c in df]],
                     verdict], axis=1)
    out = out[out["is_issue"]].copy()
    sort = ["label_quality"] + [c for c in ("file", "line") if c in out]
    out = out.sort_values(sort, kind="mergesort").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    for c in ISSUE_COLUMNS:
        if c not in out:
            out[c] = ""
    return out[list(ISSUE_COLUMNS)], how
