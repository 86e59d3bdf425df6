"""Training and evaluating audit models from labelled data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..judge.audit import prepare, score
from ..judge.classify import make_pipeline
from .evaluate import evaluate_predictions
from .labelled import data_hash, load_labelled
from ..judge.model import AuditModel, save_model
from ..settings import STATUSES, Settings

__all__ = ["fit_pipeline", "evaluate_model", "train"]


def fit_pipeline(rows: pd.DataFrame, encoder=None, *, features: dict | None = None,
                 classifier: dict | None = None, seed: int = 0, prepared: pd.DataFrame | None = None):
    """Fit :func:`nlp.judge.classify.make_pipeline` on labelled ``rows`` (narrative, measure, status).

    Rows with an empty narrative are left out: they are no_evidence by rule, never by the model.
    ``prepared`` is ``prepare(rows, encoder)`` when the caller already has it (cross-validation
    prepares once and fits many times).
    """
    features = dict(features or {})
    if encoder is None:
        features.update(use_embedding=False)
    classifier = {"random_state": seed, **(classifier or {})}
    X = prepare(rows, encoder) if prepared is None else prepared.reset_index(drop=True)
    keep = np.array([bool(t.strip()) for t in X["narrative"]])
    y = rows["status"].to_numpy(dtype=object)[keep]
    pipe = make_pipeline(features, classifier)
    pipe.fit(X.loc[keep].reset_index(drop=True), y)
    return pipe


def evaluate_model(model: AuditModel, rows: pd.DataFrame, encoder=None, settings: Settings | None = None) -> dict:
    """Score labelled ``rows`` with ``model`` and compare with their labels."""
    settings = settings or model.settings
    scored = score(rows, model, encoder=encoder, settings=settings)
    return evaluate_predictions(rows["status"].to_numpy(dtype=object), scored["status"].to_numpy(dtype=object),
                                reported=scored["reported_percent"], flags=scored["flag"], settings=settings)


def _counts(df: pd.DataFrame) -> dict:
    return {s: int(n) for s, n in df["status"].value_counts().reindex(STATUSES, fill_value=0).items()}


def train(labels, out: str | Path | None = None, *, encoder_spec: str | None = "e5", encoder=None,
          seed: int = 0, features: dict | None = None, classifier: dict | None = None,
          settings: Settings | None = None, name: str | None = None, overwrite: bool = False,
          all_rows: bool = False, cascade: dict | None = None) -> AuditModel:
    """Train a model on the ``train`` split of ``labels`` and evaluate it on the ``test`` split.

    Parameters
    ----------
    labels : path or list of paths, or DataFrame
        Labelled CSV files/folders (see :func:`nlp.learn.labelled.load_labelled`).
    out : path, optional
        Folder to save the model in (skops + config + model card).
    encoder_spec : str or None
        Encoder recorded in the model (``"e5"`` or a SentenceTransformer folder);
        ``None`` trains a model without embeddings.
    encoder : Encoder, optional
        The encoder instance to embed with (e.g. a :class:`nlp.judge.embed.CachedEncoder`);
        built from ``encoder_spec`` when omitted.
    seed : int
    features, classifier : dict, optional
        Parameters of the two pipeline steps.
    all_rows : bool, default False
        Train on every row, the ``test`` split too (no held-out figures then: the shipped models are
        trained so, and judged by leave-one-writer-out cross-validation, ``benchmarks/writer_cv.py``).
    cascade : dict, optional
        Recorded in the model (see :class:`nlp.judge.model.AuditModel`).
    """
    df = labels if isinstance(labels, pd.DataFrame) else load_labelled(labels)
    settings = settings or Settings()
    if encoder is None and encoder_spec is not None:
        model_probe = AuditModel(pipeline=None, encoder_spec=encoder_spec)
        encoder = model_probe.encoder()
    train_rows = df.reset_index(drop=True) if all_rows else df[df["split"] != "test"].reset_index(drop=True)
    test_rows = df.iloc[0:0] if all_rows else df[df["split"] == "test"].reset_index(drop=True)
    pipe = fit_pipeline(train_rows, encoder, features=features, classifier=classifier, seed=seed)
    feat = pipe.named_steps["features"]
    blocks = [b for b, on in (("embedding", feat.use_embedding), ("char-tfidf", feat.use_tfidf),
                              ("cues", feat.use_cues), ("measure-similarity", feat.use_similarity),
                              ("evidence", feat.use_evidence)) if on]
    if feat.romanize and feat.use_tfidf:
        blocks = [("char-tfidf (romanised)" if b == "char-tfidf" else b) for b in blocks]
    clf = pipe.named_steps["clf"]
    model = AuditModel(pipeline=pipe, encoder_spec=encoder_spec, settings=settings, cascade=cascade)
    model.meta = {
        "name": name or (Path(out).name if out else "model"),
        "version": __version__,
        "seed": seed,
        "data_hash": data_hash(df),
        "n_rows": int(len(df)),
        "n_orgs": int(df["org_id"].nunique()),
        "n_test_orgs": int(test_rows["org_id"].nunique()),
        "split_counts": {"train": int(len(train_rows)), "test": int(len(test_rows))},
        "label_counts": {"train": _counts(train_rows), "test": _counts(test_rows)},
        "feature_blocks": blocks,
        "classifier": f"logistic regression (C={clf.C}, class_weight={clf.class_weight}), "
                      f"{clf.calibration or 'no'} calibration, {clf.cv}-fold",
    }
    if len(test_rows):
        m = evaluate_model(model, test_rows, encoder=encoder, settings=settings)
        model.meta["metrics"] = {k: m[k] for k in ("macro_f1", "accuracy", "per_status", "labels", "confusion",
                                                   "flag_precision", "flag_recall", "n")}
    if out is not None:
        save_model(model, out, overwrite=overwrite)
    return model
