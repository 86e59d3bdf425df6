"""Quality figures: per-status precision/recall/F1, macro-F1, confusion matrix, and the
precision/recall of the overstated-row flag against the flag the true labels imply."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from ..judge.audit import flag_states, overstated_if
from ..settings import STATUSES, Settings

__all__ = ["true_flags", "evaluate_predictions", "format_report"]


def true_flags(status, reported, settings: Settings | None = None) -> np.ndarray:
    """The flag a row deserves given its true status (:func:`nlp.judge.audit.overstated_if`):
    reported − rubric ≥ threshold, or a not_applicable row reported at ``na_flag_min`` or more."""
    settings = settings or Settings()
    reported = pd.to_numeric(pd.Series(reported), errors="coerce").to_numpy(dtype=float)
    codes, statuses = pd.factorize(pd.Series(list(status), dtype=object), use_na_sentinel=False)
    out = np.zeros(len(reported), dtype=bool)
    for k, s in enumerate(statuses):
        rows = codes == k
        out[rows] = overstated_if(reported[rows], s, settings)
    return out


def evaluate_predictions(y_true, y_pred, reported=None, flags=None, settings: Settings | None = None) -> dict:
    """Metrics for predicted statuses (and flags, when ``reported`` and ``flags`` are given)."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    labels = list(STATUSES)
    p, r, f, sup = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out = {
        "n": int(len(y_true)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=[s for s in labels if s in set(y_true)],
                                   average="macro", zero_division=0)),
        "per_status": {s: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                           "support": int(sup[i])} for i, s in enumerate(labels)},
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if reported is not None and flags is not None:
        truth = true_flags(y_true, reported, settings)
        states = flag_states(flags)
        pred = states == "true"
        review = states == "review"
        tp = int((truth & pred).sum())
        out.update({
            "flag_true": int(truth.sum()),
            "flag_pred": int(pred.sum()),
            "flag_review": int(review.sum()),
            # Precision counts `true` only: a `review` row accuses nobody.
            "flag_precision": tp / pred.sum() if pred.sum() else float("nan"),
            "flag_recall": tp / truth.sum() if truth.sum() else float("nan"),
            # Overstated rows that reach an auditor at all (`true` or `review`).
            "flag_recall_with_review": int((truth & (pred | review)).sum()) / truth.sum() if truth.sum()
            else float("nan"),
            "review_share": float(review.mean()) if len(review) else float("nan"),
        })
    return out


def format_report(m: dict) -> str:
    """Plain-text table of :func:`evaluate_predictions` output (for the CLI and docs)."""
    lines = [f"{'status':<18}{'precision':>10}{'recall':>10}{'F1':>8}{'support':>9}"]
    for s, v in m["per_status"].items():
        lines.append(f"{s:<18}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>8.3f}{v['support']:>9d}")
    lines.append(f"macro-F1 {m['macro_f1']:.3f}   accuracy {m['accuracy']:.3f}   rows {m['n']}")
    if "flag_precision" in m:
        lines.append(f"overstated flag (true only): precision {m['flag_precision']:.3f}   recall "
                     f"{m['flag_recall']:.3f}   (overstated {m['flag_true']}, flagged {m['flag_pred']})")
        lines.append(f"review: {m['flag_review']} rows ({m['review_share']:.1%}); overstated rows flagged or sent "
                     f"to review: {m['flag_recall_with_review']:.3f}")
    labels = m["labels"]
    short = [s[:8] for s in labels]
    lines.append("")
    lines.append("confusion (rows = true, columns = predicted)")
    lines.append(" " * 18 + "".join(f"{s:>10}" for s in short))
    for s, row in zip(labels, m["confusion"]):
        lines.append(f"{s:<18}" + "".join(f"{v:>10d}" for v in row))
    return "\n".join(lines)
