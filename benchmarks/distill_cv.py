"""Leave-one-writer-out cross-validation of a static encoder re-distilled per fold.

Usage::

    python benchmarks/distill_cv.py --wcv-cache /tmp/wcv [--out /tmp/distill_cv] [--json F]

``models/static-e5`` is distilled from every labelled row (since 2026-12-06; before, from the November files
``g1``–``g7`` and the seed report), so in ``benchmarks/writer_cv.py`` every held-out writer's words are in its
vocabulary and cross-validation flatters it. Here each fold distils its own encoder from the other writers'
text only (narratives and measures; the bundled example report only when its writer, ``seed``, is not held
out), trains the static-encoder variant of ``benchmarks/writer_cv.py`` on the other writers with it, and
predicts the held-out writer. The probe is scored by an encoder distilled from every labelled row (never the
probe): the shipped one. These are the figures the shipped default's margin and thresholds are chosen on.

The e5 variant's out-of-fold probabilities are read from writer_cv's cache (``--wcv-cache``: run
``benchmarks/writer_cv.py --only static+romanize+evidence,romanize+evidence --cache DIR`` first), so the
table compares, on the same folds and with the same threshold and margin rules: the e5 model, the shipped
static encoder, the per-fold static encoder, and each static encoder's cascade to e5 (``--no-shipped`` leaves
the shipped static encoder out: then only ``--only romanize+evidence`` need be cached). At the margin the rule
chooses it also reports the cascade that routes the static model's ``review`` rows too, and whether
``writer_cv.choose_route_review`` takes it. The per-fold
out-of-fold probabilities are kept in ``OUT/per-fold-probabilities.npz`` (``oof``, ``probe``, ``writers``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import writer_cv as W  # noqa: E402
from nlp.judge.audit import prepare  # noqa: E402
from nlp.judge.embed import EmbeddingCache, SentenceTransformerEncoder  # noqa: E402
from nlp.learn.distill import corpus_texts, distill, frame_texts  # noqa: E402
from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.read import read_paths  # noqa: E402
from nlp.settings import STATUSES  # noqa: E402

STATIC_VARIANT = "static+romanize+evidence"
E5_VARIANT = "romanize+evidence"


def _fold(w, rows, writers, example_texts, out_dir: Path, features, classifier):
    train = writers != w
    texts = frame_texts(rows.loc[train]) + (example_texts if w != "seed" else [])
    folder = out_dir / f"fold-{w}"
    distill(folder, texts, cache=EmbeddingCache(), overwrite=True)
    X = prepare(rows, SentenceTransformerEncoder(folder))
    pipe = W._fit(rows.loc[train].reset_index(drop=True), X.loc[train].reset_index(drop=True), features, classifier)
    return W._proba(pipe, X.loc[~train].reset_index(drop=True))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wcv-cache", required=True, help="writer_cv.py's --cache folder (the e5 and static variants)")
    ap.add_argument("--out", default="/tmp/biyelelt-distill-cv", help="where the per-fold encoders are written")
    ap.add_argument("--json", default="", help="also write every figure to this JSON file")
    ap.add_argument("--margins", default="0.05,0.15,0.3,0.4,0.5")
    ap.add_argument("--no-shipped", action="store_true",
                    help="leave out the shipped static encoder's rows (its writer_cv variant, if not cached, "
                         "costs as long again)")
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = load_labelled(W.DATA / "labelled").reset_index(drop=True)
    probe = load_labelled(W.DATA / "probe").reset_index(drop=True)
    writers = W.writer_of(rows["file"])
    _, features, classifier = W.VARIANTS[STATIC_VARIANT]
    example_texts = frame_texts(read_paths([ROOT / "data" / "examples"]).rows)

    # Every entry any fold can need is embedded once first (the full corpus's vocabulary; the folds' are subsets).
    t0 = time.time()
    full = out_dir / "all-rows"
    distill(full, corpus_texts(), cache=EmbeddingCache(), overwrite=True)
    folds = sorted(set(writers))
    results = Parallel(n_jobs=2)(delayed(_fold)(w, rows, writers, example_texts, out_dir, features, classifier)
                                 for w in folds)
    oof = np.zeros((len(rows), len(STATUSES)))
    for w, p in zip(folds, results):
        oof[writers == w] = p
    X_full = prepare(rows, SentenceTransformerEncoder(full))
    pipe = W._fit(rows, X_full, features, classifier)
    probe_p = W._proba(pipe, prepare(probe, SentenceTransformerEncoder(full)))
    seconds = time.time() - t0
    # Kept for later analysis (the ranking by writer, error lists): the honest per-fold probabilities.
    np.savez_compressed(out_dir / "per-fold-probabilities.npz", oof=oof, probe=probe_p, writers=writers.astype(str))

    # The shipped static encoder's and the e5 model's probabilities from writer_cv's cache.
    emb_cache = EmbeddingCache()
    cached = {}
    for name in ((E5_VARIANT,) if args.no_shipped else (STATIC_VARIANT, E5_VARIANT)):
        enc = W._encoder(W.VARIANTS[name][0], emb_cache)
        cached[name] = W.run_variant(name, rows, probe, prepare(rows, enc), prepare(probe, enc), writers,
                                     Path(args.wcv_cache))
    combos = {"e5 model": (cached[E5_VARIANT][0], cached[E5_VARIANT][1])}
    if not args.no_shipped:
        combos["shipped static encoder (models/static-e5)"] = (cached[STATIC_VARIANT][0], cached[STATIC_VARIANT][1])
    combos["static encoder distilled per fold"] = (oof, probe_p)
    per_fold_names = {}  # margin -> the per-fold cascade's name in combos
    for m in [float(x) for x in args.margins.split(",") if x]:
        for label, (o, p) in ((() if args.no_shipped else
                               (("shipped static", combos["shipped static encoder (models/static-e5)"]),))
                              + (("per-fold static", (oof, probe_p)),)):
            co, share = W.cascade(o, cached[E5_VARIANT][0], m)
            cp, pshare = W.cascade(p, cached[E5_VARIANT][1], m)
            name = f"cascade {label} → e5, margin {m:g} (routes {share:.1%} / probe {pshare:.1%})"
            combos[name] = (co, cp)
            if label == "per-fold static":
                per_fold_names[m] = name
    out = W.evaluate({name: (o, p, seconds if "per fold" in name else 0.0) for name, (o, p) in combos.items()},
                     rows, probe, writers)
    print(f"rows {len(rows)}, writers {len(folds)}, probe rows {len(probe)}; per-fold distillation {seconds:.0f} s\n")
    print(W.table(out, writers))
    # The shipped default's margin: the rule of writer_cv.choose_margin on the per-fold cascades.
    e5_per = pd.DataFrame(out["e5 model"]["per_writer"]).T
    per_margin = {m: pd.DataFrame(out[name]["per_writer"]).T for m, name in per_fold_names.items()}
    chosen = W.choose_margin(per_margin, e5_per)
    print(f"\ncascade margin chosen for the per-fold static encoder (choose_margin): {chosen}")
    if chosen is not None:
        # Route-review at the chosen margin: also route the rows the static model would flag review. The band is
        # the thresholds themselves, so both are chosen together (writer_cv.choose_routed_thresholds).
        _, low = out[per_fold_names[chosen]]["thresholds"]
        rep_rows, rep_probe = W._reported(rows), W._reported(probe)
        high, low, co = W.choose_routed_thresholds(rows["status"].to_numpy(dtype=object), oof,
                                                   cached[E5_VARIANT][0], chosen, rep_rows, low, W.Settings(),
                                                   writers=writers)
        share = float(np.mean(W.cascade_routes(oof, W.STATUSES, chosen, rep_rows,
                                               W.Settings(flag_high=high, flag_low=low), route_review=True)))
        cp, pshare = W.cascade(probe_p, cached[E5_VARIANT][1], chosen, rep_probe, (low, high))
        name = (f"cascade per-fold static → e5, margin {chosen:g} + review band [{low:g}, {high:g}) "
                f"(routes {share:.1%} / probe {pshare:.1%})")
        out.update(W.evaluate({name: (co, cp, 0.0)}, rows, probe, writers, thresholds=(high, low)))
        print(W.table({name: out[name]}, writers))
        print(f"route the review band too (choose_route_review): "
              f"{W.choose_route_review(per_margin[chosen], pd.DataFrame(out[name]['per_writer']).T, e5_per)}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
