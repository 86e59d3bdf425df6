"""Compare the full model with TF-IDF-only and embedding-only models on the same held-out split.

Usage: python benchmarks/evaluation.py > /tmp/eval.md   (then paste into docs/evaluation.md)

Every model is trained on the ``train`` organisations of data/labelled and evaluated on the
``test`` organisations, with the shipped settings (threshold 30, score temperature 0.5), and
then on every row of data/probe (written in other styles, never trained on).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.learn.labelled import load_labelled  # noqa: E402
from nlp.judge.model import AuditModel  # noqa: E402
from nlp.learn.train import evaluate_model, train  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"

VARIANTS = {
    "full (embedding + TF-IDF + cues + similarity)": ("e5", {}),
    "TF-IDF only (char + word n-grams)": (None, {"use_embedding": False, "use_cues": False, "use_similarity": False}),
    "embedding only (e5)": ("e5", {"use_tfidf": False, "use_cues": False, "use_similarity": False}),
    "TF-IDF + cues + similarity (no embedding)": (None, {"use_embedding": False}),
}


def main() -> None:
    df = load_labelled(DATA / "labelled")
    probe = load_labelled(DATA / "probe")
    encoder = AuditModel(pipeline=None, encoder_spec="e5").encoder()
    print("| model | macro-F1 | accuracy | flag precision | flag recall | partial F1 | train s "
          "| probe macro-F1 | probe flag precision | probe flag recall |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, (spec, features) in VARIANTS.items():
        t0 = time.time()
        m = train(df, None, encoder_spec=spec, encoder=encoder if spec else None, features=features)
        r = m.meta["metrics"]
        seconds = time.time() - t0
        p = evaluate_model(m, probe, encoder=encoder if spec else None)
        print(f"| {name} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | {r['flag_precision']:.3f} | "
              f"{r['flag_recall']:.3f} | {r['per_status']['partial']['f1']:.3f} | {seconds:.0f} | "
              f"{p['macro_f1']:.3f} | {p['flag_precision']:.3f} | {p['flag_recall']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
