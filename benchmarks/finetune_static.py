"""A fine-tuned static encoder, compared with the shipped static encoder and e5 by leave-one-writer-out CV.

Usage::

    python benchmarks/finetune_static.py                  # table in Markdown; ~5 min of fine-tuning on 2 cores,
                                                          # plus the baselines when writer_cv.py has not cached them
    python benchmarks/finetune_static.py --cache /tmp/wcv # reuse writer_cv.py's cached variants

The SetFit recipe on the static encoder (``models/static-e5``): pairs of labelled narratives, half of
the same status (target cosine 1) and half of different statuses (target 0), trained with
sentence-transformers' ``CosineSimilarityLoss``. The loop is a plain torch loop over that loss:
sentence-transformers' trainer needs the ``datasets`` and ``accelerate`` packages, which the project
does not otherwise use.

Honest by construction: in each fold of :mod:`writer_cv` the encoder is fine-tuned on the other
writers' rows only, then the classifier is trained on the same rows with the fine-tuned vectors and
predicts the held-out writer. For the probe, the encoder and the classifier are trained on every
labelled row. Nothing here reads the probe before its single prediction. The flag thresholds are
chosen on the pooled out-of-fold probabilities, as in :mod:`writer_cv`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import writer_cv as cv  # noqa: E402

from nlp.judge.audit import prepare  # noqa: E402
from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.settings import STATUSES, Settings  # noqa: E402

STATIC_DIR = cv.ROOT / cv.STATIC
BASE_VARIANT = "static+romanize+evidence"
E5_VARIANT = "romanize+evidence"


def pairs(labels: np.ndarray, per_text: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SetFit pairs: for each text, ``per_text // 2`` partners of its status and as many of another."""
    by_label = {s: np.flatnonzero(labels == s) for s in sorted(set(labels))}
    a, b, y = [], [], []
    for i, s in enumerate(labels):
        same, other = by_label[s], np.flatnonzero(labels != s)
        k = per_text // 2
        if len(same) > 1:
            a += [i] * k
            b += list(rng.choice(same, k))
            y += [1.0] * k
        a += [i] * k
        b += list(rng.choice(other, k))
        y += [0.0] * k
    order = rng.permutation(len(a))
    return np.array(a)[order], np.array(b)[order], np.array(y, dtype=np.float32)[order]


def finetune(texts: list[str], labels: np.ndarray, out_dir: Path, seed: int = 0, epochs: int = 1,
             per_text: int = 8, batch: int = 128, lr: float = 0.05) -> Path:
    """Fine-tune a copy of the static encoder on ``texts`` with their ``labels``; saved to ``out_dir``."""
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer import losses
    except ImportError:  # sentence-transformers before 6
        from sentence_transformers import losses

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    model = SentenceTransformer(str(STATIC_DIR), device="cpu")
    loss = losses.CosineSimilarityLoss(model)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    tokenize = getattr(model, "preprocess", None) or model.tokenize
    model.train()
    for _ in range(epochs):
        a, b, y = pairs(labels, per_text, rng)
        for start in range(0, len(a), batch):
            sl = slice(start, start + batch)
            feats = [tokenize([texts[i] for i in a[sl]]), tokenize([texts[i] for i in b[sl]])]
            value = loss(feats, torch.from_numpy(y[sl]))
            opt.zero_grad()
            value.backward()
            opt.step()
    model.eval()
    model.save(str(out_dir))
    return out_dir


def with_vectors(X: pd.DataFrame, encoder) -> pd.DataFrame:
    """``X`` (from :func:`prepare` without an encoder) with this encoder's narrative and measure vectors."""
    texts = list(dict.fromkeys(list(X["narrative"]) + list(X["measure"])))
    vectors = dict(zip(texts, np.asarray(encoder.encode(texts))))
    out = X.copy()
    out["narrative_emb"] = [vectors[t] for t in X["narrative"]]
    out["measure_emb"] = [vectors[t] for t in X["measure"]]
    return out


def _fold(rows, X_rows, X_test, train_mask, features, seed, lr, epochs):
    from nlp.judge.embed import SentenceTransformerEncoder

    train = rows.loc[train_mask].reset_index(drop=True)
    X_train = X_rows.loc[train_mask].reset_index(drop=True)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        finetune(list(X_train["narrative"]), train["status"].to_numpy(dtype=object), Path(tmp), seed=seed,
                 lr=lr, epochs=epochs)
        tuned = time.time() - t0
        enc = SentenceTransformerEncoder(tmp)
        pipe = cv._fit(train, with_vectors(X_train, enc), features, {})
        return cv._proba(pipe, with_vectors(X_test, enc)), tuned


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "biyelelt" / "writer_cv"),
                    help="writer_cv.py's cache of the baseline variants")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--margin", type=float, default=0.05, help="cascade margin to report")
    ap.add_argument("--lr", type=float, default=0.05, help="AdamW learning rate of the fine-tuning")
    ap.add_argument("--epochs", type=int, default=1, help="passes over freshly drawn pairs")
    args = ap.parse_args(argv)
    rows = load_labelled(cv.DATA / "labelled").reset_index(drop=True)
    probe = load_labelled(cv.DATA / "probe").reset_index(drop=True)
    writers = cv.writer_of(rows["file"])
    X_rows, X_probe = prepare(rows), prepare(probe)
    features = cv.VARIANTS[BASE_VARIANT][1]

    t0 = time.time()
    folds = sorted(set(writers))
    jobs = [(writers != w, X_rows.loc[writers == w].reset_index(drop=True)) for w in folds]
    jobs.append((np.ones(len(rows), dtype=bool), X_probe))
    results = Parallel(n_jobs=args.jobs)(
        delayed(_fold)(rows, X_rows, X_test, mask, features, args.seed, args.lr, args.epochs)
        for mask, X_test in jobs)
    oof = np.zeros((len(rows), len(STATUSES)))
    for w, (p, _) in zip(folds, results[:-1]):
        oof[writers == w] = p
    probe_p = results[-1][0]
    seconds = time.time() - t0
    tune_s = [t for _, t in results]
    print(f"fine-tuning: {np.mean(tune_s):.1f} s a fold (mean of {len(tune_s)}); whole run {seconds:.0f} s",
          file=sys.stderr)

    # Baselines from writer_cv (cached there when it has run with the same --cache).
    from nlp.judge.embed import EmbeddingCache

    cache_dir = Path(args.cache)
    cache_dir.mkdir(parents=True, exist_ok=True)
    emb_cache = EmbeddingCache()
    tuned_name = f"static fine-tuned (SetFit pairs, lr {args.lr:g}, {args.epochs} epoch(s))+romanize+evidence"
    probas = {tuned_name: (oof, probe_p, seconds)}
    for name in (BASE_VARIANT, E5_VARIANT):
        enc = cv._encoder(cv.VARIANTS[name][0], emb_cache)
        probas[name] = cv.run_variant(name, rows, probe, prepare(rows, enc), prepare(probe, enc), writers,
                                      cache_dir)
    for static in (BASE_VARIANT, tuned_name):
        o, share = cv.cascade(probas[static][0], probas[E5_VARIANT][0], args.margin)
        p, pshare = cv.cascade(probas[static][1], probas[E5_VARIANT][1], args.margin)
        probas[f"cascade {static} → e5, margin {args.margin:g} (routes {share:.1%} / probe {pshare:.1%})"] = \
            (o, p, probas[static][2] + probas[E5_VARIANT][2])

    status, pstatus = rows["status"].to_numpy(dtype=object), probe["status"].to_numpy(dtype=object)
    rep_rows, rep_probe = cv._reported(rows), cv._reported(probe)
    results_t = {}
    for name, (o, p, s) in probas.items():
        high, low = cv.choose_thresholds(status, o, rep_rows, Settings(), writers=writers)
        settings = Settings(flag_high=high, flag_low=low)
        per_writer = {w: cv.metrics(status[writers == w], o[writers == w], rep_rows[writers == w],
                                    rows["org_id"].to_numpy()[writers == w], settings) for w in folds}
        results_t[name] = {"per_writer": per_writer,
                           "pooled": cv.metrics(status, o, rep_rows, rows["org_id"].to_numpy(), settings),
                           "probe": cv.metrics(pstatus, p, rep_probe, probe["org_id"].to_numpy(), settings),
                           "thresholds": (high, low), "seconds": s}
    print(cv.table(results_t, writers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
