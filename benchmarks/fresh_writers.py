"""Score a new round of writers as fresh writers: labelled files no model has been trained on.

Usage::

    python benchmarks/fresh_writers.py new/w65_spoken.csv new/w66_hedged.csv ...          # the default model
    python benchmarks/fresh_writers.py --model models/default-e5 new/*.csv --errors       # and the false flags

Before a round of writers joins ``data/labelled``, the shipped models score its files exactly as
``biyelelt evaluate`` does (``nlp.score``, cascade included). For each file and for all of them pooled the table
gives rows, macro-F1, partial F1, flag precision (``true`` only), recall, the share of ``review`` rows, the
report-rank Spearman ρ over the file's organisations (:func:`writer_cv.report_rank_rho`: a writer's own four
reports when the file holds four), the share of rows sent to the cascade's second model and the number of false
``true`` flags. ``--errors`` lists each false ``true`` row (the one error an auditor cannot absorb).
These are the «Fresh writers» figures of ``docs/evaluation.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlp.judge.audit import score  # noqa: E402
from nlp.learn.evaluate import true_flags  # noqa: E402
from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.settings import STATUSES  # noqa: E402
from label_agreement import _md  # noqa: E402
from writer_cv import _reported, metrics  # noqa: E402

COLUMNS = ["file", "n", "macro_f1", "partial_f1", "flag_precision", "flag_recall", "review_share", "spearman",
           "routed_share", "false_true"]


def score_files(model, files, encoder=None) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """``(name, labelled rows, scored rows)`` for each file, in the order given."""
    out = []
    for f in files:
        rows = load_labelled(f)
        out.append((Path(f).name, rows, score(rows, model, encoder=encoder)))
    return out


def _false_true(rows: pd.DataFrame, scored: pd.DataFrame, settings) -> np.ndarray:
    """Rows flagged ``true`` that deserve no flag."""
    deserved = true_flags(rows["status"].to_numpy(dtype=object), _reported(rows), settings)
    return (scored["flag"].astype(str).to_numpy() == "true") & ~deserved


def _line(name: str, rows: pd.DataFrame, scored: pd.DataFrame, settings) -> dict:
    proba = scored[[f"p_{s}" for s in STATUSES]].to_numpy(dtype=float)
    m = metrics(rows["status"].to_numpy(dtype=object), proba, _reported(rows), rows["org_id"].to_numpy(), settings)
    return {"file": name, **{k: m[k] for k in COLUMNS[1:8]},
            "routed_share": float(scored["second_opinion"].astype(bool).mean()),
            "false_true": int(_false_true(rows, scored, settings).sum())}


def table_of(parts, settings) -> pd.DataFrame:
    """:func:`fresh_table` of files already scored (:func:`score_files`)."""
    lines = [_line(name, rows, scored, settings) for name, rows, scored in parts]
    if parts:
        rows = pd.concat([p[1] for p in parts], ignore_index=True)
        scored = pd.concat([p[2] for p in parts], ignore_index=True)
        lines.append(_line("pooled", rows, scored, settings))
    return pd.DataFrame(lines, columns=COLUMNS)


def false_true_of(parts, settings) -> pd.DataFrame:
    """:func:`false_true_rows` of files already scored (:func:`score_files`)."""
    out = []
    for name, rows, scored in parts:
        for i in np.flatnonzero(_false_true(rows, scored, settings)):
            out.append({"file": name, "org_id": rows["org_id"].iat[i], "measure_no": rows["measure_no"].iat[i],
                        "status": rows["status"].iat[i], "read_as": scored["status"].iat[i],
                        "confidence": scored["confidence"].iat[i],
                        "reported_percent": rows["reported_percent"].iat[i], "narrative": rows["narrative"].iat[i]})
    return pd.DataFrame(out, columns=["file", "org_id", "measure_no", "status", "read_as", "confidence",
                                      "reported_percent", "narrative"])


def fresh_table(model, files, encoder=None) -> pd.DataFrame:
    """One line per file, then ``pooled`` (every file's rows together)."""
    return table_of(score_files(model, files, encoder), model.settings)


def false_true_rows(model, files, encoder=None) -> pd.DataFrame:
    """The rows flagged ``true`` that do not deserve a flag, with what the model read."""
    return false_true_of(score_files(model, files, encoder), model.settings)


def main(argv=None) -> int:
    from nlp.judge.embed import EmbeddingCache
    from nlp.judge.model import load_model

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="labelled CSV files of writers no model was trained on")
    ap.add_argument("--model", default=None, help="model folder (default: the installed default)")
    ap.add_argument("--cache", default=None, help="embedding cache folder (default: ~/.cache/biyelelt)")
    ap.add_argument("--errors", action="store_true", help="also list every false `true` row")
    args = ap.parse_args(argv)
    model = load_model(args.model)
    encoder = model.encoder(cache=EmbeddingCache(args.cache)) if model.needs_embeddings else None
    parts = score_files(model, args.files, encoder)  # scored once for both tables
    print(_md(table_of(parts, model.settings)))
    if args.errors:
        print()
        print(_md(false_true_of(parts, model.settings)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
