"""Leave-one-writer-out cross-validation: how well each feature set carries to a style it never saw.

Usage: python benchmarks/style_cv.py > /tmp/style_cv.md   (then paste into docs/evaluation.md)

Each file ``data/labelled/g1_*.csv`` … ``g7_*.csv`` was written by a different writer in a
different style. For every file, a model is trained on the other six (and the seed report's
rows) and evaluated on all rows of the held-out file, with the shipped settings. The table gives
the mean over the seven folds and the worst fold. Only data/labelled is used: data/probe stays
an untouched check.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.judge.model import AuditModel  # noqa: E402
from nlp.learn.train import train  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"

VARIANTS = {
    "full (embedding + TF-IDF + cues + similarity)": ("e5", {}),
    "full, cue weight 0.2": ("e5", {"cue_weight": 0.2}),
    "full, cue weight 0.1": ("e5", {"cue_weight": 0.1}),
    "full, cue weight 0.1, similarity weight 0.5": ("e5", {"cue_weight": 0.1, "similarity_weight": 0.5}),
    "embedding + TF-IDF + cues": ("e5", {"use_similarity": False}),
    "embedding + TF-IDF + similarity": ("e5", {"use_cues": False}),
    "embedding + TF-IDF": ("e5", {"use_cues": False, "use_similarity": False}),
    "TF-IDF only (char + word n-grams)": (None, {"use_embedding": False, "use_cues": False, "use_similarity": False}),
    "embedding only (e5)": ("e5", {"use_tfidf": False, "use_cues": False, "use_similarity": False}),
}


def main(only: list[str] | None = None) -> None:
    df = load_labelled(DATA / "labelled")
    writer = df["org_id"].str.split("_").str[0]
    folds = sorted(w for w in writer.unique() if w.startswith("g"))
    encoder = AuditModel(pipeline=None, encoder_spec="e5").encoder()
    print("| features | macro-F1 mean | macro-F1 worst | flag precision mean | flag recall mean | s |")
    print("|---|---|---|---|---|---|")
    for name, (spec, features) in VARIANTS.items():
        if only and name not in only:
            continue
        t0 = time.time()
        f1, precision, recall = [], [], []
        for held_out in folds:
            fold = df.assign(split=np.where(writer == held_out, "test", "train"))
            m = train(fold, None, encoder_spec=spec, encoder=encoder if spec else None, features=features)
            r = m.meta["metrics"]
            f1.append(r["macro_f1"])
            precision.append(r["flag_precision"])
            recall.append(r["flag_recall"])
        print(f"| {name} | {np.mean(f1):.3f} | {np.min(f1):.3f} | {np.mean(precision):.3f} | "
              f"{np.mean(recall):.3f} | {time.time() - t0:.0f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or None)  # optional: the names of the variants to run
