"""Writing scored results: ``rows.csv``, ``reports.csv`` and ``problems.csv`` in an output folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..judge.audit import REPORT_OUTPUT_COLUMNS, ROW_OUTPUT_COLUMNS, flag_states

__all__ = ["write_scored", "read_scored", "format_ranking", "PROBLEM_COLUMNS"]

PROBLEM_COLUMNS = ("source", "kind", "message")


def _csv_ready(df: pd.DataFrame, columns) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for c in columns:
        col = df[c] if c in df else pd.Series([""] * len(df), index=df.index)
        if c == "flag":
            col = pd.Series(flag_states(col), index=df.index)
        out[c] = col
    return out


def write_scored(scored: pd.DataFrame, reports: pd.DataFrame, out_dir: str | Path,
                 problems: list[tuple[str, str, str]] | None = None) -> dict[str, Path]:
    """Write the scored rows, the ranked reports and the list of problems.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.judge.audit.score`, one line per input row, in input order.
    reports : DataFrame
        Output of :func:`nlp.judge.audit.summarize_reports`, sorted by rank.
    out_dir : path
    problems : list of (source, kind, message), optional
        Files that failed and file-level warnings (``kind`` is ``failure`` or ``warning``).

    Returns
    -------
    dict
        Paths written, by name.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"rows": out / "rows.csv", "reports": out / "reports.csv", "problems": out / "problems.csv"}
    rows = _csv_ready(scored, ROW_OUTPUT_COLUMNS + tuple(c for c in ("warnings",) if c in scored))
    rows.to_csv(paths["rows"], index=False, encoding="utf-8", float_format="%g")
    _csv_ready(reports, REPORT_OUTPUT_COLUMNS).to_csv(paths["reports"], index=False, encoding="utf-8",
                                                       float_format="%g")
    pd.DataFrame(problems or [], columns=list(PROBLEM_COLUMNS)).to_csv(paths["problems"], index=False,
                                                                        encoding="utf-8")
    return paths


def read_scored(out_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``rows.csv`` and ``reports.csv`` back from a scored folder."""
    out = Path(out_dir)
    rows = pd.read_csv(out / "rows.csv", dtype={"report_id": str, "measure_no": str, "objective_no": str},
                       keep_default_na=True)
    reports = pd.read_csv(out / "reports.csv", dtype={"report_id": str})
    return rows, reports


def format_ranking(reports: pd.DataFrame, top: int | None = None) -> str:
    """The ranking as a plain-text table (Mongolian and English headers)."""
    cols = [("rank", "Эрэмбэ/rank"), ("report_id", "Тайлан/report"), ("org", "Байгууллага/org"),
            ("year", "Он/year"), ("n_rows", "Мөр/rows"), ("n_flagged", "Тэмдэглэсэн/flagged"),
            ("reported_mean", "Тайлагнасан/reported"), ("predicted_mean", "Нотолгоо/predicted"),
            ("inconsistency", "Зөрүү/inconsistency")]
    df = reports.head(top) if top else reports
    table = [[h for _, h in cols]]
    for _, r in df.iterrows():
        line = []
        for c, _ in cols:
            v = r.get(c, "")
            if isinstance(v, float):
                v = "" if np.isnan(v) else (f"{v:.0f}" if c == "year" else f"{v:.1f}")
            line.append(str(v))
        table.append(line)
    widths = [max(len(row[i]) for row in table) for i in range(len(cols))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table)
