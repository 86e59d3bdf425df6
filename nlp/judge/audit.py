"""The auditor's judgement: status, evidence-based score, gap, flag and reasons per row;
inconsistency index and rank per report.

Data flows one way: rows from :mod:`nlp.read` → normalised text (:mod:`nlp.text`)
→ embeddings (:mod:`nlp.judge.embed`) → status probabilities (:mod:`nlp.judge.classify`) →
scores and flags here → files (:mod:`nlp.outputs.tables`).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import cues as cue_layer
from ..settings import STATUSES, Settings
from ..read.percent import parse_percent
from ..text import latin_share, normalize

if TYPE_CHECKING:  # pragma: no cover
    from .model import AuditModel

__all__ = ["prepare", "score", "predicted_score", "overstatement", "overstated_if", "applicable_weight",
           "summarize_reports",
           "flag_states", "FLAG_STATES", "ROW_OUTPUT_COLUMNS", "REPORT_OUTPUT_COLUMNS"]

#: The three values of ``flag``: overstated (an accusation), needs an auditor's look, not overstated.
FLAG_STATES: tuple[str, ...] = ("true", "review", "false")

#: A cascade with ``route_latin`` sends a narrative on when at least this share of its letters are Latin
#: (:func:`cascade_routes`); 0.3 to 0.9 route the same rows of the corpus.
LATIN_ROUTE_SHARE = 0.5

ROW_OUTPUT_COLUMNS = ("report_id", "source", "row_id", "objective_no", "measure_no", "measure", "narrative",
                      "reported_percent", "status", "confidence", "predicted_score", "gap", "flag", "reasons")
REPORT_OUTPUT_COLUMNS = ("report_id", "source", "org", "year", "n_rows", "n_flagged", "reported_mean",
                         "predicted_mean", "inconsistency", "rank", "share_flagged")


def _col(rows: pd.DataFrame, name: str, default="") -> pd.Series:
    if name in rows:
        return rows[name]
    return pd.Series([default] * len(rows), index=rows.index)


#: Normalised texts and cues found elsewhere (reader processes, see :func:`precomputed`).
_PRECOMPUTED: ContextVar[tuple[dict, dict] | None] = ContextVar("biyelelt_precomputed", default=None)


def cell_key(value):
    """What :func:`prepare` knows a text cell by: its text, or its type and repr (1, 1.0 and -0.0 stay apart)."""
    return value if type(value) is str else (type(value), repr(value))


def prepare_texts(narratives, measures=(), known: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Normalised texts (by :func:`cell_key`) and the cues of the normalised narratives, for :func:`precomputed`.

    ``narratives`` and ``measures`` are raw cells. The maps in ``known`` (found earlier) are reused and
    extended in place.
    """
    normal, found = known if known is not None else ({}, {})
    todo: dict[str, None] = {}
    for v in narratives:
        k = cell_key(v)
        t = normal.get(k)
        if t is None:
            t = normal[k] = normalize(v)
        if t not in found:
            todo[t] = None
    for v in measures:
        k = cell_key(v)
        if k not in normal:
            normal[k] = normalize(v)
    todo_list = list(todo)
    found.update(zip(todo_list, cue_layer.find_cues_many(todo_list)))
    return normal, found


@contextmanager
def precomputed(normalized: dict, cues: dict):
    """Inside the block, :func:`prepare` takes normalised texts and cues from these maps when they have them.

    ``normalized`` maps :func:`cell_key` of a raw cell to :func:`nlp.text.normalize` of it; ``cues`` maps a
    normalised narrative to its :func:`nlp.judge.cues.find_cues_many` result. :mod:`nlp.batch` fills them in
    its reader processes (:func:`prepare_texts`), so that the cue search runs beside the classifier.
    """
    token = _PRECOMPUTED.set((normalized, cues))
    try:
        yield
    finally:
        _PRECOMPUTED.reset(token)


def _normalized(values, known: dict) -> list[str]:
    """:func:`nlp.text.normalize` of each value, computed once per distinct value (or taken from ``known``)."""
    keys = [cell_key(v) for v in values]
    memo: dict = {}
    for k, v in zip(keys, values):
        if k not in memo:
            t = known.get(k)
            memo[k] = t if t is not None else normalize(v)
    return [memo[k] for k in keys]


def _cues_for(texts: list[str], known: dict) -> list:
    """The cues of each distinct normalised narrative (or those in ``known``)."""
    todo = [t for t in texts if t not in known]
    found = dict(zip(todo, cue_layer.find_cues_many(todo))) if todo else {}
    return [known[t] if t in known else found[t] for t in texts]


def prepare(rows: pd.DataFrame, encoder=None) -> pd.DataFrame:
    """The classifier's input for ``rows``: normalised text, cues and (with an encoder) embeddings.

    Each distinct text is normalised, searched for cues and embedded once; rows that repeat a
    narrative share its cues and vectors (the result is the same as row by row).

    Parameters
    ----------
    rows : DataFrame
        At least a ``narrative`` column; ``measure`` is used when present.
    encoder : Encoder, optional
        Embeds narratives and measures (wrap it in :class:`nlp.judge.embed.CachedEncoder`
        to keep the vectors across calls).
    """
    known_normal, known_cues = _PRECOMPUTED.get() or ({}, {})
    narratives = _normalized(list(_col(rows, "narrative")), known_normal)
    measures = _normalized(list(_col(rows, "measure")), known_normal)
    X = pd.DataFrame({"narrative": narratives, "measure": measures})
    distinct: dict[str, int] = {}
    at = [distinct.setdefault(t, len(distinct)) for t in narratives]
    found = _cues_for(list(distinct), known_cues)
    X["cues"] = [found[j] for j in at]
    if encoder is not None:
        # Narratives and measures in one call, each distinct text once, in order of first appearance.
        for t in measures:
            distinct.setdefault(t, len(distinct))
        vectors = encoder.encode(list(distinct)) if distinct else np.zeros((0, encoder.dim), np.float32)
        vectors = np.asarray(vectors)
        X["narrative_emb"] = list(vectors[np.asarray(at, dtype=np.intp)]) if len(X) else []
        X["measure_emb"] = list(vectors[np.fromiter((distinct[t] for t in measures), dtype=np.intp,
                                                    count=len(measures))]) if len(X) else []
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


def flag_states(values) -> np.ndarray:
    """Normalise flag values to :data:`FLAG_STATES` strings.

    Booleans (older outputs), ``"TRUE"``, ``"1"`` and ``"yes"`` read as ``"true"``; ``"review"`` stays;
    anything else (``False``, empty, missing) is ``"false"``.
    """
    out = []
    for v in (values.tolist() if hasattr(values, "tolist") else list(values)):
        if isinstance(v, (bool, np.bool_)):
            out.append("true" if v else "false")
            continue
        t = "" if v is None or (isinstance(v, float) and v != v) else str(v).strip().lower()
        out.append("true" if t in ("true", "1", "1.0", "yes") else "review" if t == "review" else "false")
    return np.array(out, dtype=object)


def overstated_if(reported, status: str, settings: Settings) -> np.ndarray:
    """Whether each row, reporting ``reported`` percent, is overstated if its true status is ``status``.

    The rule: reported − rubric score ≥ ``settings.threshold``; for a status without a rubric score
    (not_applicable), reported ≥ ``settings.na_flag_min``. A row with no reported percent never is.
    :func:`nlp.learn.evaluate.true_flags` applies it to the true status; :func:`overstatement` to every
    status the model weighs.
    """
    r = np.nan_to_num(np.asarray(reported, dtype=float), nan=-np.inf)
    rubric = settings.rubric.get(status)
    return r >= settings.na_flag_min if rubric is None else r - float(rubric) >= settings.threshold


def _overstated_matrix(reported: np.ndarray, classes, settings: Settings) -> np.ndarray:
    """``[i, j]`` is :func:`overstated_if` of row i under ``classes[j]``."""
    cols = [overstated_if(reported, c, settings) for c in classes]
    return np.stack(cols, axis=1) if cols else np.zeros((len(reported), 0), dtype=bool)


def overstatement(proba: np.ndarray, classes, reported, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The probability that each row is overstated, and its expected positive gap.

    ``p_over`` sums the (calibrated) probabilities of the statuses under which the reported percent
    would be overstated (see :func:`_overstated_matrix`); the flag compares it with
    ``settings.flag_high`` and ``settings.flag_low``. ``expected_gap`` is E[max(0, reported − rubric)]
    over the scored statuses, renormalised; NaN where no percent is reported or no scored status has
    probability. Both use the plain probabilities, not the score temperature.
    """
    classes = list(classes)
    reported = np.asarray(reported, dtype=float)
    p_over = (proba * _overstated_matrix(reported, classes, settings)).sum(axis=1)
    rubric = np.array([np.nan if settings.rubric.get(c) is None else float(settings.rubric[c]) for c in classes])
    scored = ~np.isnan(rubric)
    mass = proba[:, scored].sum(axis=1)
    pos = np.clip(reported[:, None] - rubric[scored][None, :], 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = (proba[:, scored] * pos).sum(axis=1) / mass
    expected[(mass <= 0) | np.isnan(reported)] = np.nan
    return p_over, expected


def cascade_routes(proba: np.ndarray, classes, margin: float, reported=None, settings: Settings | None = None,
                   route_review: bool = False, narratives=None) -> np.ndarray:
    """Which rows a cascade sends to its second model.

    A row goes when the first model's margin (top-1 minus top-2 status probability) is under ``margin``,
    and, with ``route_review``, also when the first model would leave it to an auditor: its ``p_over``
    (:func:`overstatement`, from ``reported``) is at or over ``settings.flag_low`` and under
    ``settings.flag_high``. The second model's reading then decides the row's flag. Given ``narratives``,
    a narrative typed mostly in Latin letters (:func:`nlp.text.latin_share` at least
    :data:`LATIN_ROUTE_SHARE`) goes too, however sure the first model is: the static encoder's vocabulary
    is Cyrillic, and in cross-validation its readings of Latin-typed Mongolian are far worse than e5's.

    Parameters
    ----------
    proba : ndarray of shape (n_rows, n_classes)
        The first model's probabilities, columns in ``classes`` order.
    classes : sequence of str
    margin : float
    reported : array-like of float, optional
        The reported percents (NaN where none); needed with ``route_review``.
    settings : Settings, optional
        The flag thresholds and rubric (default :class:`nlp.settings.Settings`).
    route_review : bool, default False
    narratives : sequence of str, optional
        The rows' narratives as written (not normalised); routes the Latin-typed ones.

    Returns
    -------
    ndarray of bool, shape (n_rows,)
    """
    proba = np.asarray(proba, dtype=float)
    top2 = np.sort(proba, axis=1)[:, -2:]
    routed = (top2[:, 1] - top2[:, 0]) < margin
    if route_review:
        settings = settings or Settings()
        if reported is None:
            raise ValueError("route_review needs the reported percents")
        p_over, _ = overstatement(proba, classes, reported, settings)
        routed |= (p_over >= settings.flag_low) & (p_over < settings.flag_high)
    if narratives is not None:
        routed |= np.array([latin_share(t) >= LATIN_ROUTE_SHARE for t in narratives], dtype=bool)
    return routed


def _fmt_cue(c) -> str:
    return c.text if len(c.text) <= 40 else c.text[:37] + "…"


def _row_reasons(status: str, conf: float, cues, gap, reported, flag: str, settings: Settings,
                 empty: bool, p_over: float = 0.0) -> str:
    parts: list[str] = []
    if empty:
        parts.append("биелэлт бичигдээгүй")
    else:
        parts.append(f"төлөв: {status} ({conf:.0%})")
        parts.extend(cue_layer.reasons_mn(cues)[:4])
    if flag == "true":
        if status == "not_applicable" and np.isnan(gap):
            parts.append(f"хамаарахгүй мөртөө {reported:g}% гэж тайлагнасан")
        else:
            parts.append(f"тайлагнасан {reported:g}% нь нотолгооноос {gap:.0f} пунктээр их")
    elif flag == "review":
        parts.append(f"хэтрүүлсэн эсэх нь тодорхойгүй ({p_over:.0%}): аудитор шалгана")
    return "; ".join(parts)


def _model_proba(model, X: pd.DataFrame, classes) -> np.ndarray:
    """``model``'s probabilities for the prepared rows ``X``, columns in the order of ``classes``."""
    p = model.pipeline.predict_proba(X.reset_index(drop=True))
    own = list(model.classes_)
    return p[:, [own.index(c) for c in classes]] if own != list(classes) else p


def score(rows: pd.DataFrame, model: "AuditModel | None" = None, *, encoder=None,
          settings: Settings | None = None, cascade: bool = True, fallback_encoder=None) -> pd.DataFrame:
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
        use this to pass a :class:`nlp.judge.embed.CachedEncoder`).
    settings : Settings, optional
        Overrides the model's settings (rubric, threshold).
    cascade : bool, default True
        With a model that has a cascade (``model.cascade``), send the rows whose margin is under the
        cascade's margin (and, with its ``route_review``, the rows ``model`` would flag ``review``) to its
        second model (:func:`cascade_routes`); ``False`` scores every row with ``model`` alone.
    fallback_encoder : Encoder, optional
        The second model's encoder (default: its own, sharing ``encoder``'s cache when it has one).

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
        proba[~empty] = _model_proba(model, X.loc[~empty], classes)
    # The cascade: rows this model is unsure of get the second model's probabilities instead.
    routed = np.zeros(n, dtype=bool)
    second = model.fallback() if (cascade and getattr(model, "cascade", None)) else None
    if second is not None and (~empty).any():
        routed = ~empty & cascade_routes(proba, classes, float(model.cascade["margin"]), reported, settings,
                                         route_review=bool(model.cascade.get("route_review", False)),
                                         narratives=(out["narrative"].fillna("").astype(str).tolist()
                                                     if model.cascade.get("route_latin") else None))
        if routed.any():
            enc2 = fallback_encoder if fallback_encoder is not None else \
                second.shared_encoder(getattr(encoder, "cache", None)) if second.needs_embeddings else None
            proba[routed] = _model_proba(second, prepare(out.loc[routed], enc2), classes)
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
    # Abstain rather than accuse: "true" only where the row is overstated with high probability,
    # "review" (an auditor decides) where it may be.
    p_over, expected_gap = overstatement(proba, classes, reported, settings)
    flag = np.where(p_over >= settings.flag_high, "true", np.where(p_over >= settings.flag_low, "review", "false"))
    flag = flag.astype(object)

    out["narrative_norm"] = X["narrative"]
    out["status"] = status
    out["confidence"] = np.round(confidence, 4)
    out["predicted_score"] = pred
    out["gap"] = np.round(gap, 1)
    out["flag"] = flag
    out["reasons"] = [
        _row_reasons(status[i], confidence[i], X["cues"].iat[i], gap[i], reported[i], flag[i], settings,
                     bool(empty[i]), p_over[i])
        for i in range(n)
    ]
    out["second_opinion"] = routed
    out["p_over"] = np.round(p_over, 4)
    out["expected_gap"] = np.round(expected_gap, 2)
    for j, c in enumerate(classes):
        out[f"p_{c}"] = np.round(proba[:, j], 4)
    for c in STATUSES:
        if f"p_{c}" not in out:
            out[f"p_{c}"] = 0.0
    return out


def applicable_weight(p_not_applicable) -> np.ndarray:
    """The weight of each row in its report's inconsistency index: the probability that the row has a
    rubric score, 1 − ``p_not_applicable`` (a missing probability counts as 0).

    The gold index (``benchmarks/writer_cv.py``) is the mean of max(0, reported − rubric) over the
    rows whose true status is scored; this weight makes the predicted index the same mean in
    expectation. Chosen by leave-one-writer-out cross-validation (``docs/evaluation.md``): pooled
    report-rank Spearman 0.856 → 0.875 for the default model.
    """
    p = np.nan_to_num(np.asarray(p_not_applicable, dtype=float), nan=0.0)
    return np.clip(1.0 - p, 0.0, 1.0)


def summarize_reports(scored: pd.DataFrame) -> pd.DataFrame:
    """One line per report: counts, means, inconsistency index and rank (1 = most inconsistent).

    ``inconsistency`` is the mean expected overstatement, E[max(0, reported − rubric)] under the
    status probabilities (``expected_gap``), over the rows that have a reported percent and a scored
    status: an uncertain row adds what it may be overstated by, weighted by how likely that is, so a
    report is not ranked by the style of its prose. Each row counts by the probability that it is
    applicable (:func:`applicable_weight`, 1 − ``p_not_applicable``), as the gold index leaves
    not_applicable rows out: a row that is probably "nothing to do" hardly moves its report. Tables
    without ``expected_gap`` (older outputs) fall back to the confidence-weighted mean of max(0, gap).
    ``n_flagged`` counts ``flag = true`` rows only.
    """
    n_all = len(scored)

    def column(name: str) -> pd.Series:  # a column the table lacks reads as empty text
        return scored[name] if name in scored else pd.Series([""] * n_all, index=scored.index, dtype=object)

    def numbers(name: str) -> pd.Series:
        return pd.to_numeric(scored[name], errors="coerce")

    rep_pct = numbers("reported_percent").to_numpy(dtype=float)
    if "expected_gap" in scored:
        pos_gap = numbers("expected_gap").to_numpy(dtype=float)
        weight = applicable_weight(numbers("p_not_applicable").to_numpy(dtype=float)
                                   if "p_not_applicable" in scored else np.zeros(n_all))
    else:
        pos_gap = numbers("gap").clip(lower=0).to_numpy(dtype=float)
        weight = numbers("confidence").to_numpy(dtype=float)
    true = np.asarray(flag_states(scored["flag"]) == "true", dtype=bool) if "flag" in scored else \
        np.zeros(n_all, dtype=bool)
    pred = numbers("predicted_score").to_numpy(dtype=float)
    source, org, year = (column(c).to_numpy(dtype=object) for c in ("source", "org", "year"))
    # Per report, in order of first appearance, on numpy arrays (a year has thousands of reports; a pandas
    # group each took seconds). Sums and means as pandas' skipna sums (NaN as 0, numpy's summation), so the
    # figures are those of the pandas expressions, to the last bit.
    codes, uniques = pd.factorize(column("report_id"))  # a missing report id (-1) has no line, as in groupby
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1

    def nansum(x: np.ndarray) -> float:
        return float(np.where(np.isnan(x), 0.0, x).sum())

    def nanmean(x: np.ndarray) -> float:
        n = int((~np.isnan(x)).sum())
        return nansum(x) / n if n else np.nan

    records = []
    for idx in np.split(order, bounds) if len(order) else []:
        valid = ~np.isnan(pos_gap[idx]) & ~np.isnan(rep_pct[idx])
        w = weight[idx][valid]
        total = nansum(w)
        inc = nansum(pos_gap[idx][valid] * w) / total if valid.any() and total > 0 else np.nan
        n, n_flag, first = len(idx), int(true[idx].sum()), idx[0]
        rep_mean, pred_mean = nanmean(rep_pct[idx]), nanmean(pred[idx])
        records.append({
            "report_id": uniques[codes[first]],
            "source": source[first],
            "org": org[first],
            "year": year[first],
            "n_rows": n,
            "n_flagged": n_flag,
            "share_flagged": round(n_flag / n, 4),
            "reported_mean": round(rep_mean, 1) if not np.isnan(rep_mean) else np.nan,
            "predicted_mean": round(pred_mean, 1) if not np.isnan(pred_mean) else np.nan,
            "inconsistency": round(float(inc), 2) if not np.isnan(inc) else np.nan,
        })
    rep = pd.DataFrame.from_records(records, columns=[c for c in REPORT_OUTPUT_COLUMNS if c != "rank"])
    # Stable ranking: inconsistency (desc), then share flagged (desc), then report_id.
    rep["_inc"] = rep["inconsistency"].fillna(-1.0)
    rep = rep.sort_values(["_inc", "share_flagged", "report_id"], ascending=[False, False, True], kind="mergesort")
    rep = rep.drop(columns="_inc").reset_index(drop=True)
    rep["rank"] = np.arange(1, len(rep) + 1)
    return rep
