"""Leave-one-writer-out check of the cascade's ``route_latin``: Latin-typed narratives to e5 as well.

Usage::

    python benchmarks/latin_route.py --dcv /tmp/dcv --wcv-cache /tmp/wcv [--margin 0.4] [--high 0.825] [--low 0.3]

Reads the out-of-fold probabilities that ``benchmarks/distill_cv.py`` kept (``DCV/per-fold-probabilities.npz``:
the static encoder distilled per fold) and the e5 model's from ``benchmarks/writer_cv.py``'s cache, over the
writers that run held (the corpus may have grown since), and scores the shipped default's cascade (margin,
route-review band) with and without routing the narratives typed mostly in Latin letters
(:func:`nlp.text.latin_share` ≥ ``nlp.judge.audit.LATIN_ROUTE_SHARE``). Prints the LOWO means, the pooled ρ,
the routed share and the writers with Latin-typed rows. Nothing is trained; it takes seconds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import writer_cv as W  # noqa: E402
from nlp.judge.audit import LATIN_ROUTE_SHARE  # noqa: E402
from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.settings import Settings  # noqa: E402
from nlp.text import latin_share  # noqa: E402

E5_VARIANT = "romanize+evidence"
KEYS = ("macro_f1", "partial_f1", "flag_precision", "flag_recall", "review_share")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dcv", required=True, help="distill_cv.py's --out folder")
    ap.add_argument("--wcv-cache", required=True, help="writer_cv.py's --cache folder (the e5 variant)")
    ap.add_argument("--margin", type=float, default=0.4)
    ap.add_argument("--high", type=float, default=0.825)
    ap.add_argument("--low", type=float, default=0.3)
    args = ap.parse_args(argv)
    z = np.load(Path(args.dcv) / "per-fold-probabilities.npz")
    held = set(z["writers"])
    files = sorted(p for p in (W.DATA / "labelled").glob("*.csv") if p.stem.split("_")[0] in held)
    rows = load_labelled(files).reset_index(drop=True)
    probe = load_labelled(W.DATA / "probe").reset_index(drop=True)
    writers = W.writer_of(rows["file"])
    if len(writers) != len(z["writers"]) or not (writers.astype(str) == z["writers"]).all():
        raise SystemExit("the per-fold probabilities do not match data/labelled's rows of those writers")
    # Cached by writer_cv over the same rows; the features are never needed when the cache holds them.
    e5, _, _ = W.run_variant(E5_VARIANT, rows, probe, None, None, writers, Path(args.wcv_cache))
    static = z["oof"]
    reported, status, org = W._reported(rows), rows["status"].to_numpy(dtype=object), rows["org_id"].to_numpy()
    settings = Settings(flag_high=args.high, flag_low=args.low)
    narratives = rows["narrative"].fillna("").astype(str).tolist()
    latin = np.array([latin_share(t) >= LATIN_ROUTE_SHARE for t in narratives])
    print(f"{len(rows)} rows, {len(held)} writers; Latin-typed narratives: {int(latin.sum())} "
          f"{pd.Series(writers[latin]).value_counts().to_dict()}\n")
    print("LOWO means over the writers; pooled ρ over their organisations\n")
    print("| cascade | routes | " + " | ".join(KEYS) + " | pooled ρ | Latin writers' macro-F1 |")
    print("|---" * (len(KEYS) + 4) + "|")
    heavy = [w for w in sorted(set(writers[latin])) if (writers[latin] == w).sum() >= 10]
    for name, by_script in (("shipped", None), ("+ route_latin", narratives)):
        p, share = W.cascade(static, e5, args.margin, reported, (args.low, args.high), narratives=by_script)
        per = pd.DataFrame({w: W.metrics(status[writers == w], p[writers == w], reported[writers == w],
                                         org[writers == w], settings) for w in sorted(held)}).T
        pooled = W.metrics(status, p, reported, org, settings)
        print(f"| {name} | {share:.1%} | " + " | ".join(f"{per[k].mean():.4f}" for k in KEYS)
              + f" | {pooled['spearman']:.4f} | " + ", ".join(f"{w} {per.loc[w, 'macro_f1']:.3f}" for w in heavy) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
