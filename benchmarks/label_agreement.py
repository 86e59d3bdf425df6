"""How far do blind re-annotations agree with the team's labels, and what does that do to the figures?

Usage::

    python benchmarks/label_agreement.py                        # agreement tables (Markdown)
    python benchmarks/label_agreement.py --wcv-cache /tmp/wcv   # also the seed report's fold under both labels

``data/agreement/*.csv`` holds labels given blind (label guide and rows only, no team label, no model
output) to rows of ``data/labelled``: one line per (row, annotator), keyed by the labelled file's name and
CSV line. For each set the script prints every annotator's agreement and Cohen's κ with the team label and
with each other, and the blind majority (a status at least two annotators chose; none on a tie).

With ``--wcv-cache`` (the folder ``benchmarks/writer_cv.py`` kept its out-of-fold probabilities in) it
scores writer_cv's cascade (its static variant → e5, margin 0.4) on the seed report's fold twice: against the
team's labels and against the blind majority where there is one. The figures in ``docs/evaluation.md`` came from
a cache made on 40 writers with the November static encoder (the default of that day); a cache made now uses the
shipped encoder and corpus. Nothing here changes a label or chooses a setting.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from nlp.learn.labelled import load_labelled  # noqa: E402

AGREEMENT = ROOT / "data" / "agreement"


def load_annotations(folder: Path = AGREEMENT, labelled: pd.DataFrame | None = None) -> pd.DataFrame:
    """The blind labels joined to their rows: ``set, file, line, annotator, status, reason, team``.

    Raises ``ValueError`` naming the file and line when a key points at no labelled row.
    """
    ann = pd.concat([pd.read_csv(f, dtype={"line": int}) for f in sorted(folder.glob("*.csv"))], ignore_index=True)
    rows = labelled if labelled is not None else load_labelled(ROOT / "data" / "labelled")
    key = rows.assign(file=rows["file"].map(lambda f: Path(f).name))[["file", "line", "status"]]
    out = ann.merge(key.rename(columns={"status": "team"}), on=["file", "line"], how="left")
    missing = out[out["team"].isna()]
    if len(missing):
        r = missing.iloc[0]
        raise ValueError(f"{r['file']}, line {r['line']}: no labelled row there")
    return out


def majority(labels: list[str]) -> str | None:
    """The status at least half of the annotators (and at least two) chose, ``None`` when no status is."""
    values, counts = np.unique(np.asarray(labels, dtype=object), return_counts=True)
    best = counts.max()
    if best < 2 or best * 2 < len(labels) or (counts == best).sum() > 1:
        return None
    return str(values[counts.argmax()])


def agreement_table(ann: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Per pair of raters (``team`` and each annotator): rows compared, share agreeing, Cohen's κ; and the
    blind majority per row (index ``(file, line)``)."""
    wide = ann.pivot_table(index=["file", "line"], columns="annotator", values="status", aggfunc="first")
    wide["team"] = ann.groupby(["file", "line"])["team"].first()
    raters = ["team"] + sorted(c for c in wide.columns if c != "team")
    lines = []
    for a, b in itertools.combinations(raters, 2):
        both = wide[[a, b]].dropna()
        if both.empty:  # two annotators given different rows
            continue
        lines.append({"raters": f"{a} – {b}", "n": len(both), "agree": float((both[a] == both[b]).mean()),
                      "kappa": float(cohen_kappa_score(both[a], both[b]))})
    blind = [r for r in raters if r != "team"]
    maj = pd.Series([majority(list(r.dropna())) for _, r in wide[blind].iterrows()], index=wide.index, dtype=object)
    return pd.DataFrame(lines), maj


def seed_fold(cache: Path, maj: pd.Series) -> pd.DataFrame:
    """writer_cv's cascade (margin 0.4) out-of-fold on the seed report, against the team's and the blind labels."""
    import writer_cv as W
    from nlp.settings import STATUSES, Settings

    rows = load_labelled(W.DATA / "labelled").reset_index(drop=True)
    probe = load_labelled(W.DATA / "probe").reset_index(drop=True)
    writers = W.writer_of(rows["file"])
    static = W.run_variant("static+romanize+evidence", rows, probe, None, None, writers, cache)
    e5 = W.run_variant("romanize+evidence", rows, probe, None, None, writers, cache)
    oof, _ = W.cascade(static[0], e5[0], 0.4)
    status = rows["status"].to_numpy(dtype=object)
    reported = W._reported(rows)
    high, low = W.choose_thresholds(status, oof, reported, Settings(), writers=writers)
    settings = Settings(flag_high=high, flag_low=low)
    seed = writers == "seed"
    names = rows["file"].map(lambda f: Path(f).name).to_numpy()
    blind = np.array([maj.get((names[i], int(rows["line"].iat[i]))) for i in range(len(rows))], dtype=object)
    # An empty narrative is no_evidence by rule; the annotators were not asked about those rows.
    blind[seed & (rows["narrative"].str.strip() == "").to_numpy()] = "no_evidence"
    out = []
    for name, truth in (("team labels", status), ("blind majority", blind)):
        keep = seed & np.array([t is not None for t in truth])
        m = W.metrics(truth[keep].astype(object), oof[keep], reported[keep], rows["org_id"].to_numpy()[keep], settings)
        pred = np.array(STATUSES, dtype=object)[oof[keep].argmax(axis=1)]
        out.append({"labels": name, "rows": int(keep.sum()), "agree with model": float((pred == truth[keep]).mean()),
                    **{k: m[k] for k in ("macro_f1", "flag_precision", "flag_recall", "review_share")}})
    return pd.DataFrame(out)


def _md(df: pd.DataFrame, index: bool = False) -> str:
    """A Markdown table (floats to three places)."""
    df = df.reset_index() if index else df
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in df.itertuples(index=False)]
    head = [str(c) for c in df.columns]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in cells])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wcv-cache", default="", help="writer_cv.py's --cache folder: also score the seed fold")
    args = ap.parse_args(argv)
    ann = load_annotations()
    for name, part in ann.groupby("set", sort=True):
        table, maj = agreement_table(part)
        print(f"\n### {name}: {part[['file', 'line']].drop_duplicates().shape[0]} rows, "
              f"{part['annotator'].nunique()} blind annotators\n")
        print(_md(table))
        team = part.groupby(["file", "line"])["team"].first()
        known = maj.dropna()
        print(f"\nblind majority on {len(known)} rows; agrees with the team on {(known == team[known.index]).mean():.3f}")
        print("\n" + _md(pd.crosstab(team[known.index].rename("team"), known.rename("blind majority")), index=True))
        if name == "seed" and args.wcv_cache:
            print("\n" + _md(seed_fold(Path(args.wcv_cache), maj)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
