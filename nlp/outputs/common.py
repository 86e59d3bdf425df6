"""What report.xlsx (:mod:`nlp.outputs.workbook`) and report.html (:mod:`nlp.outputs.html`) share: sheet
names, column titles, the limits (:class:`ReportOptions`), the rows and reports as shown to people, and
writing a file whole or not at all.

Import these from :mod:`nlp.outputs.report`, which re-exports them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import BiyeleltError
from ..judge.audit import flag_states
from ..settings import STATUS_MN

__all__ = ["ReportOptions", "SHEETS", "COLUMN_TITLES"]

#: Sheet names of the workbook (Excel allows 31 characters).
SHEETS: dict[str, str] = {
    "ranking": "Эрэмбэ (Ranking)",
    "flagged": "Тэмдэглэсэн мөр (Flagged)",
    "status": "Төлөвийн тоо (Status counts)",
    "about": "Тайлбар (About)",
    "all_rows": "Бүх мөр (All rows)",
}

#: Column name → (Mongolian title, English label, English meaning).
COLUMN_TITLES: dict[str, tuple[str, str, str]] = {
    "rank": ("Эрэмбэ", "rank", "1 = the most inconsistent report"),
    "report_id": ("Тайлан", "report", "report id: the file name without extension"),
    "org": ("Байгууллага", "organisation", "organisation, when the input gives it"),
    "year": ("Он", "year", "report year"),
    "source": ("Файл", "file", "the file the row was read from"),
    "n_rows": ("Мөрийн тоо", "rows", "rows in the report"),
    "n_flagged": ("Тэмдэглэсэн мөр", "flagged rows", "rows with flag = true in the report (review not counted)"),
    "share_flagged": ("Тэмдэглэсэн хувь", "share flagged", "flagged rows / rows"),
    "reported_mean": ("Тайлагнасан дундаж хувь", "reported mean", "mean reported percent"),
    "predicted_mean": ("Нотолгооны дундаж оноо", "predicted mean", "mean evidence-based score"),
    "inconsistency": ("Зөрүүний индекс", "inconsistency",
                      "mean expected overstatement, E[max(0, reported − rubric)] under the status probabilities, "
                      "each row weighted by the probability that it applies"),
    "row_id": ("Мөр №", "row", "position of the row in its report, from 1"),
    "objective_no": ("Зорилт №", "objective no", "objective number"),
    "measure_no": ("Арга хэмжээ №", "measure no", "measure number"),
    "measure": ("Арга хэмжээ", "measure", "the measure"),
    "narrative": ("Биелэлт", "narrative", "the implementation narrative as reported"),
    "reported_percent": ("Тайлагнасан хувь", "reported %", "percent the organisation reported"),
    "predicted_score": ("Нотолгооны оноо", "predicted score",
                        "score the narrative supports: probability-weighted rubric score"),
    "gap": ("Зөрүү (пункт)", "gap", "reported − predicted, in points"),
    "status_mn": ("Төлөв", "status (Mongolian)", "the predicted status"),
    "status": ("Төлөвийн код", "status", "the predicted status, as a code"),
    "confidence": ("Магадлал", "confidence", "probability of the predicted status"),
    "flag": ("Тэмдэглэсэн эсэх", "flag", "true: the model is confident the row is overstated; review: it may "
             "be, an auditor decides; false: not overstated"),
    "reasons": ("Шалтгаан", "reasons", "why: status, evidence cues found, the gap"),
    "location": ("Байршил", "location", "where the row is in its file"),
    "warnings": ("Анхааруулга", "warnings", "problems met while reading the row"),
    "total": ("Нийт", "total", "all rows"),
}

_REPORT_SHEET_COLUMNS = ("rank", "report_id", "org", "year", "n_rows", "n_flagged", "share_flagged",
                         "reported_mean", "predicted_mean", "inconsistency", "source")
_ROW_SHEET_COLUMNS = ("rank", "report_id", "org", "row_id", "objective_no", "measure_no", "measure", "narrative",
                      "reported_percent", "predicted_score", "gap", "status_mn", "status", "confidence", "flag",
                      "reasons", "source", "location", "warnings")
_OPTIONAL_ROW_COLUMNS = ("org", "objective_no", "measure_no", "measure", "source", "location", "warnings")


@dataclass(frozen=True)
class ReportOptions:
    """Limits that keep the outputs readable for a whole year.

    Parameters
    ----------
    per_report_sheets_max : int, default 50
        Up to this many reports the workbook has one sheet per report; above it, one
        ``Бүх мөр (All rows)`` sheet with every row and filters instead.
    html_top_reports : int, default 50
        The page lists the flagged rows of this many reports: the best-ranked ones that have
        flagged rows; and the rows for review of as many reports: the best-ranked ones that have
        rows for review.
    html_rows_per_report : int, default 200
        At most this many flagged rows, and this many rows for review, per report on the page.
    html_ranking_max : int, default 5000
        At most this many reports in the page's ranking table.
    html_chart_reports : int, default 25
        Reports in the reported-against-predicted dumbbell chart (the scatter plot shows them all).
    html_text_chars : int, default 600
        Measures and narratives longer than this are cut on the page (never in the workbook).
    """

    per_report_sheets_max: int = 50
    html_top_reports: int = 50
    html_rows_per_report: int = 200
    html_ranking_max: int = 5000
    html_chart_reports: int = 25
    html_text_chars: int = 600


def _rows_frame(scored: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """The rows as shown to people: report rank first, ranked report by report, input order within."""
    df = scored.reset_index(drop=True)
    n = len(df)

    def col(name):
        return df[name] if name in df else pd.Series([""] * n, index=df.index, dtype=object)

    rid = col("report_id")
    rank_of = dict(zip(reports["report_id"], reports["rank"])) if len(reports) else {}
    out = pd.DataFrame(index=df.index)
    out["rank"] = pd.array(pd.to_numeric(rid.map(rank_of), errors="coerce"), dtype="Int64")
    out["report_id"] = rid
    for c in _ROW_SHEET_COLUMNS[2:]:
        if c == "row_id":
            # Readers always give row_id; a bare table gets its position within the report.
            out[c] = _as_int(df[c]) if c in df else rid.fillna("").groupby(rid.fillna(""), sort=False).cumcount() + 1
        elif c == "status_mn":
            out[c] = col("status").map(lambda s: STATUS_MN.get(s, s))
        elif c in ("reported_percent", "predicted_score", "gap", "confidence"):
            out[c] = pd.to_numeric(col(c), errors="coerce")
        elif c == "flag":
            out[c] = pd.Series(flag_states(col(c)), index=out.index)
        elif c in _OPTIONAL_ROW_COLUMNS and c not in df:
            continue
        else:
            out[c] = col(c)
    order = np.argsort(out["rank"].fillna(np.iinfo(np.int64).max).to_numpy(dtype=np.int64), kind="stable")
    return out.iloc[order].reset_index(drop=True)


def _as_int(values: pd.Series) -> pd.Series:
    """Whole numbers as integers (``Int64``, missing kept); anything else unchanged."""
    num = pd.to_numeric(values, errors="coerce")
    if num.notna().sum() == values.notna().sum() and (num.dropna() % 1 == 0).all():
        return num.astype("Int64")
    return values


def _report_frame(reports: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in _REPORT_SHEET_COLUMNS if c in reports]
    return reports.sort_values("rank", kind="mergesort")[cols].reset_index(drop=True) if len(reports) \
        else reports.reindex(columns=cols)


def _write_whole(path: Path, write) -> Path:
    """``write(tmp)`` next to ``path``, then move it onto ``path``: the file is written whole or not at all.

    Raises
    ------
    BiyeleltError
        Naming ``path`` when it cannot be written.
    """
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise BiyeleltError(f"файл бичиж чадсангүй: {exc}", f"could not write the file: {exc}", path=path) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
