"""The auditor's judgement: status, evidence-based score, gap, flag and reasons per row;
inconsistency index and rank per report.

Data flows one way: rows from :mod:`nlp.read` → normalised text (:mod:`nlp.text`)
→ embeddings (:mod:`nlp.embed`) → status probabilities (:mod:`nlp.classify`) →
scores and flags here → files (:mod:`nlp.output`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import cues as cue_layer
from .settings import STATUSES, Settings
from .internal.percent import parse_percent
from .text import normalize

if TYPE_CHECKING:  # pragma: no cover
    from .model import AuditModel

__all__ = ["prepare", "score", "predicted_score", "summarize_reports", "ROW_OUTPUT_COLUMNS",
           "REPORT_OUTPUT_COLUMNS"]

ROW_OUTPUT_COLUMNS = ("report_id", "source", "row_id", "objective_no", "measure_no", "measure", "narrative",
                      "reported_percent", "status", "confidence", "predicted_score", "gap", "flag", "reasons")
REPORT_OUTPUT_COLUMNS = ("report_id", "source", "org", "year", "n_rows", "n_flagged", "reported_mean",
                         "predicted_mean", "inconsistency", "rank", "share_flagged")


def _col(rows: pd.DataFrame, name: str, default="") -> pd.Series:
    if name in rows:
        return rows[name]
    return pd.Series([default] * len(rows), index=rows.index)


def prepare(rows: pd.DataFrame, encoder=None) -> pd.DataFrame:
    """The classifier's input for ``rows``: normalised text, cues and (with an encoder) embeddings.

    Parameters
    ----------
    rows : DataFrame
        At least a ``narrative`` column; ``measure`` is used when present.
    encoder : Encoder, optional
        Embeds narratives and measures (wrap it in :class:`nlp.embed.CachedEncoder`
        to embed each distinct text once).
    """
    narratives = [normalize(v) for v in _col(rows, "narrative")]
    measures = [normalize(v) for v in _col(rows, "measure")]
    X = pd.DataFrame({"narrative": narratives, "measure": measures})
    X["cues"] = cue_layer.find_cues_many(narratives)
    if encoder is not None:
        # Narratives and measures in one call: shared texts and the cache are used once.
        both = encoder.encode(narratives + measures) if len(X) else np.zeros((0, encoder.dim), np.float32)
        X["narrative_emb"] = list(both[: len(X)])
        X["measure_emb"] = list(both[len(X):])
    return X


def predicted_score(proba: np.ndarray, classes, settings: Settings) -> np.ndarray:
    """Probability-weighted rubric score over the scored statuses (not_applicable excluded).

    The probabilities are first tempered by ``settings.score_temperature`` (1 = unchanged).
    Returns NaN where the top status has no rubric score (not_applicable).
    """
    classes = list(classes)
    scores = np.array([np.nan if settings.rubric.get(c) is None else float(settings.rubric[c]) for c in classes])
    scored = ~np.isnan(scores)
    t = float(getattr(settings, "score_temperature", 1.0) or 1.0)
    p = proba[:, scored]
    if t != 1.0:
        p = np.power(np.clip(p, 0.0, 1.0), 1.0 / t)
    mass = p.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (p * scores[scored]).sum(axis=1) / mass
    top_unscored = ~scored[np.argmax(proba, axis=1)]
    out[top_unscored | (mass <= 0)] = np.nan
    return out


def _fmt_cue(c) -> str:
    return c.text if len(c.text) <= 40 else c.text[:37] + "…"


def _row_reasons(status: str, conf: float, cues, gap, reported, flag: bool, settings: Settings,
                 empty: bool) -> str:
    parts: list[str] = []
    if empty:
        parts.append("биелэлт бичигдээгүй")
    else:
        parts.append(f"төлөв: {status} ({conf:.0%})")
        parts.extend(cue_layer.reasons_mn(cues)[:4])
    if flag:
        if status == "not_applicable" and np.isnan(gap):
            parts.append(f"хамаарахгүй мөртөө {reported:g}% гэж тайлагнасан")
        else:
            parts.append(f"тайлагнасан {reported:g}% нь нотолгооноос {gap:.0f} пунктээр их")
    return "; ".join(parts)


def score(rows: pd.DataFrame, model: "AuditModel | None" = None, *, encoder=None,
          settings: Settings | None = None) -> pd.DataFrame:
    """Score report rows.

    Parameters
    ----------
    rows : DataFrame
        Rows from :func:`nlp.read.read_file` / :func:`nlp.read.read_paths`, or any table with
        ``narrative`` (and ideally ``measure`` and ``reported_percent``).
    model : AuditModel, optional
        Default: :func:`nlp.load_model`.
    encoder : Encoder, optional
        Overrides the model's own encoder (it must be the one the model was trained with;
        use this to pass a :class:`nlp.embed.CachedEncoder`).
    settings : Settings, optional
        Overrides the model's settings (rubric, threshold).

    Returns
    -------
    DataFrame
        The input columns plus ``status``, ``confidence``, ``predicted_score``, ``gap``,
        ``flag``, ``reasons`` and one ``p_<status>`` column per status, in input order.
    """
    if model is None:
        from .model import load_model
        model = load_model()
    settings = settings or model.settings
    out = rows.reset_index(drop=True).copy()
    n = len(out)
    if "reported_percent" not in out:
        out["reported_percent"] = np.nan
    if not pd.api.types.is_numeric_dtype(out["reported_percent"]):
        # Raw cells ("100%", "90-100", "ХБ") as in labelled files: parse them like the reader does.
        if "reported_raw" not in out:
            out["reported_raw"] = out["reported_percent"]
        out["reported_percent"] = [parse_percent(v).value for v in out["reported_percent"]]
    reported = pd.to_numeric(out["reported_percent"], errors="coerce").to_numpy(dtype=float)

    X = prepare(out, encoder if encoder is not None else (model.encoder() if model.needs_embeddings else None))
    empty = np.array([not t.strip() for t in X["narrative"]], dtype=bool)
    classes = list(model.classes_)
    proba = np.zeros((n, len(classes)))
    if (~empty).any():
        proba[~empty] = model.pipeline.predict_proba(X.loc[~empty].reset_index(drop=True))
    # An empty narrative is no_evidence without asking the model.
    if empty.any():
        proba[empty] = 0.0
        proba[empty, classes.index("no_evidence")] = 1.0
    status = np.array(classes, dtype=object)[np.argmax(proba, axis=1)]
    confidence = proba.max(axis=1)
    # Whole rubric points: the rubric is in whole points, and a gap of 29.8 against a
    # threshold of 30 would otherwise hang on the last decimal of a probability.
    pred = np.round(predicted_score(proba, classes, settings))
    gap = reported - pred
    flag = np.nan_to_num(gap, nan=-np.inf) >= settings.threshold
    na_flag = (status == "not_applicable") & (np.nan_to_num(reported, nan=-np.inf) >= settings.na_flag_min)
    flag = flag | na_flag

    out["narrative_norm"] = X["narrative"]
    out["status"] = status
    out["confidence"] = np.round(confidence, 4)
    out["predicted_score"] = pred
    out["gap"] = np.round(gap, 1)
    out["flag"] = flag
    out["reasons"] = [
        _row_reasons(status[i], confidence[i], X["cues"].iat[i], gap[i], reported[i], bool(flag[i]), settings,
                     bool(empty[i]))
        for i in range(n)
    ]
    for j, c in enumerate(classes):
        out[f"p_{c}"] = np.round(proba[:, j], 4)
    for c in STATUSES:
        if f"p_{c}" not in out:
            out[f"p_{c}"] = 0.0
    return out


def summarize_reports(scored: pd.DataFrame) -> pd.DataFrame:
    """One line per report: counts, means, inconsistency index and rank (1 = most inconsistent).

    ``inconsistency`` is the confidence-weighted mean of max(0, gap) over the rows
    that have both a reported percent and a predicted score.
    """
    df = scored.copy()
    for c in ("report_id", "source", "org", "year"):
        if c not in df:
            df[c] = ""
    df["_rep"] = pd.to_numeric(df["reported_percent"], errors="coerce")
    df["_pos_gap"] = pd.to_numeric(df["gap"], errors="coerce").clip(lower=0)
    df["_w"] = pd.to_numeric(df["confidence"], errors="coerce")
    records = []
    for rid, g in df.groupby("report_id", sort=False):
        valid = g["_pos_gap"].notna() & g["_rep"].notna()
        w = g.loc[valid, "_w"]
        if valid.any() and w.sum() > 0:
            inc = float((g.loc[valid, "_pos_gap"] * w).sum() / w.sum())
        else:
            inc = np.nan
        n_flag = int(g["flag"].astype(bool).sum())
        first = g.iloc[0]
        records.append({
            "report_id": rid,
            "source": first["source"],
            "org": first["org"],
            "year": first["year"],
            "n_rows": int(len(g)),
            "n_flagged": n_flag,
            "share_flagged": round(n_flag / len(g), 4) if len(g) else np.nan,
            "reported_mean": round(float(g["_rep"].mean()), 1) if g["_rep"].notna().any() else np.nan,
            "predicted_mean": round(float(pd.to_numeric(g["predicted_score"], errors="coerce").mean()), 1)
            if pd.to_numeric(g["predicted_score"], errors="coerce").notna().any() else np.nan,
            "inconsistency": round(inc, 2) if not np.isnan(inc) else np.nan,
        })
    rep = pd.DataFrame.from_records(records, columns=[c for c in REPORT_OUTPUT_COLUMNS if c != "rank"])
    # Stable ranking: inconsistency (desc), then share flagged (desc), then report_id.
    rep["_inc"] = rep["inconsistency"].fillna(-1.0)
    rep = rep.sort_values(["_inc", "share_flagged", "report_id"], ascending=[False, False, True], kind="mergesort")
    rep = rep.drop(columns="_inc").reset_index(drop=True)
    rep["rank"] = np.arange(1, len(rep) + 1)
    return rep
