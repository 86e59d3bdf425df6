"""Leave-one-writer-out cross-validation: every setting of the shipped model is chosen here.

Usage::

    python benchmarks/writer_cv.py                       # every variant, tables in Markdown
    python benchmarks/writer_cv.py --only base,romanize  # some variants
    python benchmarks/writer_cv.py --cache /tmp/wcv      # where out-of-fold probabilities are kept

Each file of ``data/labelled`` was written by one writer in one style (``g1``…``g9``, ``pa``,
``pb``, ``w01``…``w72``, and the seed report), so a writer is the unit a new user's reports differ
by. For every writer, a model is trained on all the other writers' rows and predicts that writer's
rows; the out-of-fold probabilities give, per writer and pooled: macro-F1, partial F1, flag
precision (``true`` only), recall, the share of ``review`` rows and the report-rank Spearman.
The same variant is then trained on every labelled row and scored on ``data/probe`` (four writers
never trained on, never used to choose anything).

The flag thresholds (``flag_high``, ``flag_low``) are chosen on the out-of-fold probabilities only
(:func:`choose_thresholds`: pooled precision and mean precision over the writers), then applied unchanged
to the probe. The cascade
rows combine two variants' probabilities: the static-encoder model's, and the e5 model's where the
static model's margin (top-1 minus top-2 probability) is under the margin; the shipped margin is the one
:func:`choose_margin` picks.

The static-encoder variant uses the shipped ``models/static-e5``, distilled from every labelled row, so its
figures here are optimistic (each held-out writer's words are in the vocabulary); the shipped default's margin
and thresholds are chosen on ``benchmarks/distill_cv.py``'s per-fold encoders, with the same rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.stats import spearmanr
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.judge.audit import applicable_weight, cascade_routes, overstatement, prepare  # noqa: E402
from nlp.judge.embed import folder_fingerprint  # noqa: E402
from nlp.judge.model import AuditModel  # noqa: E402
from nlp.learn.evaluate import true_flags  # noqa: E402
from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.learn.train import fit_pipeline  # noqa: E402
from nlp.read.percent import parse_percent  # noqa: E402
from nlp.settings import STATUSES, Settings  # noqa: E402

DATA = ROOT / "data"
STATIC = "models/static-e5"
#: name -> (encoder, feature parameters, classifier parameters)
VARIANTS: dict[str, tuple[str | None, dict, dict]] = {
    "base": ("e5", {"romanize": False, "use_evidence": False}, {}),
    "romanize": ("e5", {"romanize": True, "use_evidence": False}, {}),
    "romanize+evidence": ("e5", {"romanize": True, "use_evidence": True}, {}),
    "romanize+evidence+tense": ("e5", {"romanize": True, "use_evidence": True, "use_tense": True}, {}),
    "static+romanize+evidence": (STATIC, {"romanize": True, "use_evidence": True}, {}),
    "tfidf only": (None, {"use_embedding": False, "use_cues": False, "use_similarity": False,
                          "romanize": False, "use_evidence": False}, {}),
}
#: Targets of issue 11, for the "met" column.
TARGETS = {"macro_f1": 0.92, "partial_f1": 0.85, "flag_precision": 0.96, "flag_recall": 0.90,
           "review_share": 0.10, "spearman": 0.95}


def writer_of(files: pd.Series) -> np.ndarray:
    """The writer of each row: the prefix of its file's name (``g3_education.csv`` → ``g3``)."""
    return files.map(lambda f: Path(str(f)).stem.split("_")[0]).to_numpy(dtype=object)


def _reported(rows: pd.DataFrame) -> np.ndarray:
    return np.array([parse_percent(v).value for v in rows["reported_percent"]], dtype=float)


def _encoder(spec: str | None, cache):
    if spec is None:
        return None
    return AuditModel(pipeline=None, encoder_spec=spec).encoder(cache)


def _proba(pipe, X: pd.DataFrame) -> np.ndarray:
    """Probabilities in STATUSES order; an empty narrative is no_evidence without the model."""
    out = np.zeros((len(X), len(STATUSES)))
    empty = np.array([not t.strip() for t in X["narrative"]])
    if (~empty).any():
        p = pipe.predict_proba(X.loc[~empty].reset_index(drop=True))
        classes = list(pipe.classes_)
        out[~empty] = p[:, [classes.index(s) for s in STATUSES]]
    out[empty, STATUSES.index("no_evidence")] = 1.0
    return out


#: Stands for the encoder in fit_pipeline when the rows are already embedded (``prepared``).
_EMBEDDED = object()


def _fit(rows, X, features, classifier):
    return fit_pipeline(rows, _EMBEDDED if "narrative_emb" in X else None, features=features,
                        classifier=classifier, prepared=X)


def _fold(rows, X, train_mask, test_mask, features, classifier):
    pipe = _fit(rows.loc[train_mask].reset_index(drop=True), X.loc[train_mask].reset_index(drop=True),
                features, classifier)
    return _proba(pipe, X.loc[test_mask].reset_index(drop=True))


def writer_groups(writers: np.ndarray, groups: int) -> np.ndarray:
    """Each row's fold when the writers are dealt round-robin, in sorted order, into ``groups`` folds (a quick
    screen: a tenth of the fits of leave-one-writer-out, every writer still held out whole)."""
    order = {w: i % groups for i, w in enumerate(sorted(set(writers)))}
    return np.array([f"group{order[w]:02d}" for w in writers], dtype=object)


def run_variant(name, rows, probe, X_rows, X_probe, writers, cache_dir: Path, n_jobs: int = 2):
    """Out-of-fold probabilities on ``rows`` and all-rows-model probabilities on ``probe`` (cached).

    ``writers`` gives each row's fold: its writer (leave-one-writer-out) or its group of writers
    (:func:`writer_groups`)."""
    spec, features, classifier = VARIANTS[name]
    # A folder encoder counts by its content, not its path: a re-distilled models/static-e5 is a new variant.
    encoder_id = folder_fingerprint(ROOT / spec) if spec and (ROOT / spec).is_dir() else spec
    folds_id = [] if len(set(writers)) == len(set(writer_of(rows["file"]))) else sorted(set(writers))
    key = hashlib.sha256(json.dumps([name, encoder_id, features, classifier, list(rows["narrative"]),
                                     list(rows["status"]), list(probe["narrative"])] + folds_id,
                                    ensure_ascii=False).encode()).hexdigest()[:16]
    path = cache_dir / f"{key}.npz"
    if path.is_file():
        z = np.load(path)
        return z["oof"], z["probe"], float(z["seconds"])
    if spec is None:
        features = {**features, "use_embedding": False}
    t0 = time.time()
    folds = sorted(set(writers))
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fold)(rows, X_rows, writers != w, writers == w, features, classifier) for w in folds)
    oof = np.zeros((len(rows), len(STATUSES)))
    for w, p in zip(folds, results):
        oof[writers == w] = p
    full = _fit(rows, X_rows, features, classifier)
    probe_p = _proba(full, X_probe)
    seconds = time.time() - t0
    np.savez_compressed(path, oof=oof, probe=probe_p, seconds=seconds)
    return oof, probe_p, seconds


def report_rank_rho(org, status, reported, proba, settings) -> float:
    """Spearman between the gold and the predicted inconsistency of each report (organisation): the gold
    index is the mean of max(0, reported − rubric of the true status) over its scored rows, the predicted
    one that of :func:`nlp.judge.audit.summarize_reports` (expected gaps weighted by
    :func:`nlp.judge.audit.applicable_weight`)."""
    gold_score = np.array([np.nan if settings.rubric.get(s) is None else settings.rubric[s] for s in status],
                          dtype=float)
    gold = np.clip(reported - gold_score, 0, None)
    _, expected = overstatement(proba, STATUSES, reported, settings)
    weight = np.where(np.isnan(expected), np.nan, applicable_weight(proba[:, STATUSES.index("not_applicable")]))
    df = pd.DataFrame({"org": org, "gold": gold, "pw": expected * weight, "w": weight})
    per = df.groupby("org").agg(gold=("gold", "mean"), pw=("pw", "sum"), w=("w", "sum"))
    # The index of summarize_reports: the applicable-weighted mean expected overstatement.
    per = per.assign(pred=per["pw"] / per["w"].where(per["w"] > 0))[["gold", "pred"]].dropna()
    if len(per) < 3:
        return float("nan")
    return float(spearmanr(per["gold"], per["pred"]).statistic)


def metrics(status, proba, reported, org, settings: Settings) -> dict:
    pred = np.array(STATUSES, dtype=object)[proba.argmax(axis=1)]
    present = [s for s in STATUSES if s in set(status)]
    truth = true_flags(status, reported, settings)
    p_over, _ = overstatement(proba, STATUSES, reported, settings)
    flag_true = p_over >= settings.flag_high
    review = (p_over >= settings.flag_low) & ~flag_true
    tp = int((truth & flag_true).sum())
    return {
        "n": len(status),
        "macro_f1": f1_score(status, pred, labels=present, average="macro", zero_division=0),
        "partial_f1": f1_score(status, pred, labels=["partial"], average="macro", zero_division=0),
        "flag_precision": tp / flag_true.sum() if flag_true.sum() else float("nan"),
        "flag_recall": tp / truth.sum() if truth.sum() else float("nan"),
        "recall_with_review": (truth & (flag_true | review)).sum() / truth.sum() if truth.sum() else float("nan"),
        "review_share": float(review.mean()),
        "spearman": report_rank_rho(org, status, reported, proba, settings),
    }


def choose_thresholds(status, proba, reported, settings: Settings, precision: float = 0.97,
                      review_max: float = 0.08, writers=None, mean_precision: float = 0.96) -> tuple[float, float]:
    """``flag_high``: the lowest grid value whose pooled precision (``true`` only) reaches ``precision`` and,
    given ``writers``, whose mean precision over the writers (those with a ``true`` row) reaches
    ``mean_precision``; ``flag_low``: the lowest grid value keeping the ``review`` share at or under
    ``review_max``.

    The mean condition (added with the writers ``w17``–``w20``) keeps the rule from choosing a lower
    threshold only because easier writers joined the pool: issue 11 judges precision per writer.
    """
    truth = true_flags(status, reported, settings)
    p_over, _ = overstatement(proba, STATUSES, reported, settings)
    high = next((float(h) for h in GRID if _precision_ok(truth, p_over, h, writers, precision, mean_precision)),
                float(GRID[-1]))
    return high, _lowest_low(p_over, high, review_max)


#: The thresholds' grid.
GRID = np.round(np.arange(0.30, 0.99, 0.025), 3)


def _precision_ok(truth, p_over, h, writers, precision, mean_precision) -> bool:
    """``choose_thresholds``'s condition on ``flag_high = h``: pooled precision and, given writers, the mean."""
    flagged = p_over >= h
    if not flagged.sum() or (truth & flagged).sum() / flagged.sum() < precision:
        return False
    if writers is None:
        return True
    per = [(truth & flagged & (writers == w)).sum() / (flagged & (writers == w)).sum()
           for w in sorted(set(writers)) if (flagged & (writers == w)).any()]
    return float(np.mean(per)) >= mean_precision


def _lowest_low(p_over, high, review_max) -> float:
    return next((float(lo) for lo in GRID if lo < high and ((p_over >= lo) & (p_over < high)).mean() <= review_max),
                high)


def choose_routed_thresholds(status, static_p, e5_p, margin, reported, low: float, settings: Settings,
                             precision: float = 0.97, review_max: float = 0.08, writers=None,
                             mean_precision: float = 0.96) -> tuple[float, float, np.ndarray]:
    """The thresholds of a route-review cascade, where the review band the cascade routes is the thresholds
    themselves: the lowest ``flag_high`` on the grid whose routed probabilities (band [``low``, ``flag_high``))
    meet :func:`choose_thresholds`'s precision conditions at that same value; ``flag_low`` by the review-share
    condition on them. (Choosing on a band fixed beforehand has no fixed point: at margin 0.4 over 56 writers a
    band up to 0.825 makes the rule choose 0.850, and a band up to 0.850 makes it choose 0.825.) Returns
    (flag_high, flag_low, routed probabilities)."""
    truth = true_flags(status, reported, settings)
    for h in GRID:
        if h <= low:
            continue
        routed, _ = cascade(static_p, e5_p, margin, reported, (low, float(h)))
        p_over, _ = overstatement(routed, STATUSES, reported, settings)
        if _precision_ok(truth, p_over, h, writers, precision, mean_precision):
            return float(h), _lowest_low(p_over, float(h), review_max), routed
    raise ValueError("no flag_high on the grid meets the precision conditions")


def choose_margin(per_writer: dict[float, pd.DataFrame], e5: pd.DataFrame, f1_within: float = 0.005,
                  precision_within: float = 0.01) -> float | None:
    """The smallest cascade margin whose per-writer mean macro-F1 is within ``f1_within`` of the e5 model's and
    whose mean flag precision (``true`` only) is within ``precision_within``; ``None`` when no margin is.

    ``per_writer`` maps each margin to its per-writer metrics (one row per writer), ``e5`` is the e5 model's.
    Issue 12 allows 0.01 macro-F1; the rule asks half of it of cross-validation because in three rounds the
    gap on the probe was 1.7–4.6 times the cross-validation gap (0.015 against 0.008 with 32 writers).
    """
    f1, prec = e5["macro_f1"].mean(), e5["flag_precision"].mean()
    for m in sorted(per_writer):
        d = per_writer[m]
        if d["macro_f1"].mean() >= f1 - f1_within and d["flag_precision"].mean() >= prec - precision_within:
            return m
    return None


def choose_route_review(plain: pd.DataFrame, routed: pd.DataFrame, e5: pd.DataFrame,
                        precision_within: float = 0.01) -> bool:
    """Whether the cascade should also route the rows its static model would flag review: yes when that
    keeps the per-writer mean macro-F1 and recall at least the plain cascade's and the mean flag precision
    within ``precision_within`` of the e5 model's (the precision condition of :func:`choose_margin`)."""
    return bool(routed["macro_f1"].mean() >= plain["macro_f1"].mean()
                and routed["flag_recall"].mean() >= plain["flag_recall"].mean()
                and routed["flag_precision"].mean() >= e5["flag_precision"].mean() - precision_within)


def evaluate(combos: dict, rows: pd.DataFrame, probe: pd.DataFrame, writers: np.ndarray,
             thresholds: tuple[float, float] | None = None) -> dict:
    """Every figure of each variant: ``combos`` maps a name to (out-of-fold probabilities on ``rows``,
    probabilities on ``probe``, seconds). Thresholds are chosen per variant on its out-of-fold
    probabilities (:func:`choose_thresholds`), or given as (flag_high, flag_low), and applied unchanged to
    the probe."""
    status, pstatus = rows["status"].to_numpy(dtype=object), probe["status"].to_numpy(dtype=object)
    rep_rows, rep_probe = _reported(rows), _reported(probe)
    org = rows["org_id"].to_numpy()
    results = {}
    for name, (oof, probe_p, seconds) in combos.items():
        high, low = thresholds or choose_thresholds(status, oof, rep_rows, Settings(), writers=writers)
        settings = Settings(flag_high=high, flag_low=low)
        results[name] = {
            "per_writer": {w: metrics(status[writers == w], oof[writers == w], rep_rows[writers == w],
                                      org[writers == w], settings) for w in sorted(set(writers))},
            "pooled": metrics(status, oof, rep_rows, org, settings),
            "probe": metrics(pstatus, probe_p, rep_probe, probe["org_id"].to_numpy(), settings),
            "thresholds": (high, low),
            "seconds": seconds,
        }
    return results


def cascade(static_p: np.ndarray, e5_p: np.ndarray, margin: float, reported=None,
            review_band: tuple[float, float] | None = None, narratives=None) -> tuple[np.ndarray, float]:
    """The shipped cascade's probabilities (routing by :func:`nlp.judge.audit.cascade_routes`) and the share
    routed; ``review_band`` (flag_low, flag_high) also routes the rows the static model would flag review,
    ``narratives`` the Latin-typed ones (route-latin)."""
    settings = Settings(flag_low=review_band[0], flag_high=review_band[1]) if review_band else Settings()
    routed = cascade_routes(static_p, STATUSES, margin, reported, settings, route_review=review_band is not None,
                            narratives=narratives)
    return np.where(routed[:, None], e5_p, static_p), float(routed.mean())


def _fmt(v):
    return "–" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def table(results: dict, writers: np.ndarray) -> str:
    lines = ["| variant | macro-F1 mean (worst) | partial F1 mean (worst) | flag P mean (worst) | "
             "recall mean (worst) | review mean (worst) | pooled ρ | probe macro-F1 | probe partial F1 | "
             "probe flag P | probe recall | probe review | probe ρ | thresholds | s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        per = pd.DataFrame(r["per_writer"]).T
        def mw(k, worst=min):
            return f"{per[k].mean():.3f} ({worst(per[k].dropna()):.3f})"
        pr = r["probe"]
        lines.append(
            f"| {name} | {mw('macro_f1')} | {mw('partial_f1')} | {mw('flag_precision')} | {mw('flag_recall')} | "
            f"{per['review_share'].mean():.3f} ({per['review_share'].max():.3f}) | {_fmt(r['pooled']['spearman'])} | "
            f"{_fmt(pr['macro_f1'])} | {_fmt(pr['partial_f1'])} | {_fmt(pr['flag_precision'])} | "
            f"{_fmt(pr['flag_recall'])} | {_fmt(pr['review_share'])} | {_fmt(pr['spearman'])} | "
            f"{r['thresholds'][0]:.3f}/{r['thresholds'][1]:.3f} | {r['seconds']:.0f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="comma-separated variant names (default: all)")
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "biyelelt" / "writer_cv"))
    ap.add_argument("--margins", default="0.05,0.1,0.2", help="cascade margins to report")
    ap.add_argument("--json", default="", help="also write every figure to this JSON file")
    ap.add_argument("--groups", type=int, default=0,
                    help="hold out groups of writers instead of one writer (a quick screen; 0: one writer)")
    args = ap.parse_args(argv)
    cache_dir = Path(args.cache)
    cache_dir.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.only.split(",") if n] or list(VARIANTS)
    rows = load_labelled(DATA / "labelled").reset_index(drop=True)
    probe = load_labelled(DATA / "probe").reset_index(drop=True)
    writers = writer_of(rows["file"])
    folds = writer_groups(writers, args.groups) if args.groups else writers
    from nlp.judge.embed import EmbeddingCache
    emb_cache = EmbeddingCache()
    prepared = {}
    probas = {}
    for name in names:
        spec = VARIANTS[name][0]
        if spec not in prepared:
            enc = _encoder(spec, emb_cache)
            prepared[spec] = (prepare(rows, enc), prepare(probe, enc))
        X_rows, X_probe = prepared[spec]
        oof, probe_p, seconds = run_variant(name, rows, probe, X_rows, X_probe, folds, cache_dir)
        probas[name] = (oof, probe_p, seconds)
    combos = dict(probas)
    margin_of = {}
    static_best = next((n for n in ("static+romanize+evidence", "static+romanize", "static") if n in probas), None)
    e5_best = next((n for n in ("romanize+evidence", "romanize", "evidence", "base") if n in probas), None)
    if static_best and e5_best:
        for m in [float(x) for x in args.margins.split(",") if x]:
            oof, share = cascade(probas[static_best][0], probas[e5_best][0], m)
            probe_p, probe_share = cascade(probas[static_best][1], probas[e5_best][1], m)
            name = f"cascade {static_best} → {e5_best}, margin {m:g} (routes {share:.1%} / probe {probe_share:.1%})"
            combos[name] = (oof, probe_p, probas[static_best][2] + probas[e5_best][2])
            margin_of[name] = m
    results = evaluate(combos, rows, probe, writers)
    print(f"rows {len(rows)}, writers {len(set(writers))}, probe rows {len(probe)} "
          f"({probe['org_id'].nunique()} reports)\n")
    print(table(results, writers))
    for name, r in results.items():
        per = pd.DataFrame(r["per_writer"]).T
        worst = per.sort_values("macro_f1").head(3)
        print(f"\n{name}: worst writers by macro-F1: " + ", ".join(
            f"{w} {v:.3f}" for w, v in worst["macro_f1"].items()))
    if margin_of:
        chosen = choose_margin({m: pd.DataFrame(results[n]["per_writer"]).T for n, m in margin_of.items()},
                               pd.DataFrame(results[e5_best]["per_writer"]).T)
        print(f"\ncascade margin chosen (choose_margin): {chosen}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
