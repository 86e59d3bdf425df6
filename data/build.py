"""Finish the labelled corpus: rubric scores, organisation-level splits, and its statistics.

Usage::

    python data/build.py            # rewrite score/split columns in data/labelled/*.csv, print stats
    python data/build.py --stats    # only print the statistics (Markdown, for data/README.md)

The narratives themselves are written by hand (see data/README.md); this script
never creates or changes a narrative, label or percent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from nlp.learn.labelled import LABEL_COLUMNS, assign_splits, load_labelled, rubric_scores  # noqa: E402
from nlp.settings import STATUSES  # noqa: E402

LABELLED = ROOT / "labelled"
#: Organisations always kept in training (the user's own sample report).
ALWAYS_TRAIN = {"seed_soum_taragt"}
#: The files the organisation split was drawn from (November). Every later file (g8, g9, the former probe
#: pa/pb, the writers w01–w72) trains only, so the held-out organisations stay the same; leave-one-writer-out
#: cross-validation (benchmarks/writer_cv.py) is the figure that covers every writer.
SPLIT_FILES = ("g1_", "g2_", "g3_", "g4_", "g5_", "g6_", "g7_", "seed_")
SEED = 20241


def shingles(text: str, n: int = 5) -> set[str]:
    t = " ".join(text.lower().split())
    return {t[i:i + n] for i in range(max(len(t) - n + 1, 0))}


def near_duplicate_rate(texts: list[str], threshold: float = 0.8, min_chars: int = 20) -> tuple[float, int, int]:
    """Share of narratives (≥ ``min_chars``) that have another narrative with 5-gram Jaccard > threshold."""
    items = sorted(((len(s), i, s) for i, t in enumerate(texts) if len(t.strip()) >= min_chars
                    for s in [shingles(t)]), key=lambda x: (x[0], x[1]))
    dup: set[int] = set()
    for k, (na, i, a) in enumerate(items):
        # Sorted by size: Jaccard ≤ min/max size, so only the next few sets can be close enough.
        for nb, j, b in items[k + 1:]:
            if na / max(nb, 1) <= threshold:
                break
            if len(a & b) / len(a | b) > threshold:
                dup.update((i, j))
    return (len(dup) / len(items) if items else 0.0), len(dup), len(items)


def finish() -> None:
    files = sorted(LABELLED.glob("*.csv"))
    frames = {f: pd.read_csv(f, dtype=str, keep_default_na=False) for f in files}
    frozen = [df for f, df in frames.items() if f.name.startswith(SPLIT_FILES)]
    allrows = pd.concat(frozen, ignore_index=True)
    split = assign_splits(allrows[~allrows["org_id"].isin(ALWAYS_TRAIN)], test_share=0.2, seed=SEED)
    for f, df in frames.items():
        df["score"] = rubric_scores(df["status"])
        df["split"] = [split.get(o, "train") for o in df["org_id"]]
        df[list(LABEL_COLUMNS)].to_csv(f, index=False, encoding="utf-8")


def stats() -> str:
    df = load_labelled(LABELLED)
    lines = [f"- rows: {len(df)}; organisations: {df['org_id'].nunique()}; organisation kinds: "
             f"{df['org_type'].nunique()}; years: {', '.join(sorted(df['year'].unique()))}", ""]
    lines += ["| status | train | test | all |", "|---|---|---|---|"]
    for s in STATUSES:
        sub = df[df["status"] == s]
        lines.append(f"| {s} | {(sub['split'] == 'train').sum()} | {(sub['split'] == 'test').sum()} | {len(sub)} |")
    lines += ["", "| org type | organisations | rows | test organisations |", "|---|---|---|---|"]
    for t, g in df.groupby("org_type"):
        lines.append(f"| {t} | {g['org_id'].nunique()} | {len(g)} | "
                     f"{g.loc[g['split'] == 'test', 'org_id'].nunique()} |")
    rate, n_dup, n = near_duplicate_rate(list(df["narrative"]))
    words = df["narrative"].str.split().str.len()
    lines += ["", f"- near-duplicates (character 5-gram Jaccard > 0.8, narratives of 20+ characters): "
                  f"{n_dup} of {n} = {rate:.2%}",
              f"- narrative length in words: median {words.median():.0f}, 25–75% {words.quantile(.25):.0f}–"
              f"{words.quantile(.75):.0f}, max {words.max()}; rows with 25–70 words: {((words >= 25) & (words <= 70)).mean():.0%}",
              f"- held-out (test) organisations: {', '.join(sorted(df.loc[df['split'] == 'test', 'org_id'].unique()))}"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stats", action="store_true", help="only print statistics")
    args = ap.parse_args()
    if not args.stats:
        finish()
    print(stats())


if __name__ == "__main__":
    main()
