"""Outputs for people: the auditor's workbook ``report.xlsx``, one self-contained page ``report.html``
and ``rows.parquet`` for analysts.

They are written next to ``rows.csv`` and ``reports.csv`` (:mod:`nlp.output`) from the same two
frames: the scored rows (:func:`nlp.audit.score`) and the ranked reports
(:func:`nlp.audit.summarize_reports`). :func:`write_outputs` writes all three.

Workbook (``report.xlsx``)
    ``Эрэмбэ (Ranking)``: the reports, most inconsistent first. ``Тэмдэглэсэн мөр (Flagged)``: every
    flagged row with its reasons, gaps highlighted by a colour scale. ``Төлөвийн тоо (Status counts)``:
    rows per status and report. ``Тайлбар (About)``: what the sheets and columns mean. Drill-down:
    with at most :attr:`ReportOptions.per_report_sheets_max` reports (50) each report gets its own sheet,
    linked from the ranking; with more, one ``Бүх мөр (All rows)`` sheet holds every row, ranked
    report by report, with filters. Every table has a Mongolian header row, the English column name
    (as in ``rows.csv``/``reports.csv``) in a second header row, a frozen header and an auto-filter.
    A sheet never exceeds Excel's row limit: a longer table goes on in ``… (2)``.

Page (``report.html``)
    No external file, style sheet, script or font; the charts are inline SVG drawn here. The page
    stays small for a whole year: flagged rows are listed for the top
    :attr:`ReportOptions.html_top_reports` reports that have any, and the page says so; the
    workbook, ``rows.csv`` and ``rows.parquet`` hold all of them. Every value is HTML-escaped.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import BiyeleltError, bilingual
from .settings import STATUS_MN, STATUSES

__all__ = ["write_outputs", "write_workbook", "write_html", "write_parquet", "parse_formats", "ReportOptions",
           "FORMATS", "OUTPUT_FILES", "COLUMN_TITLES", "SHEETS"]

#: Formats :func:`write_outputs` can write, and the file each goes to.
FORMATS: tuple[str, ...] = ("xlsx", "html", "parquet")
OUTPUT_FILES: dict[str, str] = {"xlsx": "report.xlsx", "html": "report.html", "parquet": "rows.parquet"}

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
    "n_flagged": ("Тэмдэглэсэн мөр", "flagged rows", "rows flagged in the report"),
    "share_flagged": ("Тэмдэглэсэн хувь", "share flagged", "flagged rows / rows"),
    "reported_mean": ("Тайлагнасан дундаж хувь", "reported mean", "mean reported percent"),
    "predicted_mean": ("Нотолгооны дундаж оноо", "predicted mean", "mean evidence-based score"),
    "inconsistency": ("Зөрүүний индекс", "inconsistency",
                      "confidence-weighted mean of max(0, gap) over the rows with both numbers"),
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
    "flag": ("Тэмдэглэсэн эсэх", "flagged", "TRUE when the gap reaches the threshold, or a not-applicable "
             "row reports a high percent"),
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
_WIDTHS = {"rank": 8, "report_id": 22, "org": 24, "year": 7, "source": 30, "row_id": 7, "objective_no": 8,
           "measure_no": 10, "measure": 40, "narrative": 60, "reported_percent": 11, "predicted_score": 11,
           "gap": 10, "status_mn": 20, "status": 16, "confidence": 10, "flag": 10, "reasons": 50,
           "location": 20, "warnings": 30, "n_rows": 9, "n_flagged": 12, "share_flagged": 12,
           "reported_mean": 14, "predicted_mean": 14, "inconsistency": 12, "total": 9}
_WRAP = ("measure", "narrative", "reasons", "warnings")
_NUMBER_FORMATS = {"share_flagged": "0.0%", "confidence": "0%"}

_EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_TEXT = 32_767
_ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # as openpyxl's: XML can't hold them
_BLOCK = 20_000  # rows converted at a time
_FIXED_TIME = _dt.datetime(2000, 1, 1)  # file timestamps inside the workbook: same input → same bytes


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
        flagged rows.
    html_rows_per_report : int, default 200
        At most this many flagged rows per report on the page.
    html_ranking_max : int, default 5000
        At most this many reports in the page's ranking table.
    html_chart_reports : int, default 25
        Reports in the reported-against-predicted bar chart (the scatter plot shows them all).
    html_text_chars : int, default 600
        Measures and narratives longer than this are cut on the page (never in the workbook).
    """

    per_report_sheets_max: int = 50
    html_top_reports: int = 50
    html_rows_per_report: int = 200
    html_ranking_max: int = 5000
    html_chart_reports: int = 25
    html_text_chars: int = 600


# ---------------------------------------------------------------------------------------------
# Shared preparation
# ---------------------------------------------------------------------------------------------

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
            out[c] = col(c).fillna(False).astype(bool)
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


def _status_counts(rows: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Rows per status and report, in rank order (every status a column, zeros included)."""
    rep = _report_frame(reports)
    base = rep[[c for c in ("rank", "report_id", "org", "n_rows") if c in rep]].copy()
    present = list(rows["status"].unique()) if len(rows) else []
    # A status the settings don't know is shown, never dropped.
    statuses = list(STATUSES) + sorted(str(s) for s in present if s not in STATUSES)
    if len(rows):
        counts = pd.crosstab(rows["report_id"], rows["status"]).reindex(columns=statuses, fill_value=0)
    else:
        counts = pd.DataFrame(columns=statuses, dtype="int64")
    joined = counts.reindex(base["report_id"]).fillna(0).astype("int64").reset_index(drop=True)
    out = pd.concat([base, joined], axis=1)
    out["n_flagged"] = rep["n_flagged"].to_numpy() if "n_flagged" in rep else 0
    return out


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


# ---------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------

def _excel_value(v):
    """A cell value Excel accepts: NaN/NA → empty, numpy → Python, text cleaned and cut to Excel's limit."""
    if isinstance(v, str):
        text = _ILLEGAL_CHARACTERS_RE.sub("", v)
    elif v is None or v is pd.NA or v is pd.NaT:
        return None
    elif isinstance(v, (bool, np.bool_)):
        return bool(v)
    elif isinstance(v, (int, np.integer)):
        return int(v)
    elif isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    else:
        text = _ILLEGAL_CHARACTERS_RE.sub("", str(v))
    if len(text) > _EXCEL_MAX_TEXT:
        text = text[:_EXCEL_MAX_TEXT - 1] + "…"
    return text


def _sheet_name(base: str, used: set[str]) -> str:
    name = "".join("_" if ch in '[]:*?/\\' else ch for ch in base).strip("'") or "_"
    name = name[:31]
    k = 2
    while name.lower() in used:
        suffix = f" ({k})"
        name = name[:31 - len(suffix)] + suffix
        k += 1
    used.add(name.lower())
    return name


class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Font, PatternFill

        self.head_font = Font(bold=True)
        self.head_fill = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
        self.head_align = Alignment(wrap_text=True, vertical="top")
        self.code_font = Font(italic=True, color="666666", size=9)
        self.code_fill = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.flag_fill = PatternFill("solid", start_color="FDE2E1", end_color="FDE2E1")
        self.link_font = Font(color="0563C1", underline="single")
        self.title_font = Font(bold=True, size=13)


def _cell_maker(ws, column: str, styles: _Styles, wrap: bool):
    """A function turning one value of ``column`` into what ``ws.append`` takes.

    Plain values where possible (fast); a styled cell for wrapped text and percent formats, the
    style copied from one template (setting styles cell by cell is slow in openpyxl); text that
    Excel would read as a formula or an error code is forced to stay text.
    """
    from copy import copy

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    template = WriteOnlyCell(ws)
    styled = False
    if wrap and column in _WRAP:
        template.alignment = styles.wrap
        styled = True
    if column in _NUMBER_FORMATS:
        template.number_format = _NUMBER_FORMATS[column]
        styled = True
    style = template._style

    def make(v):
        v = _excel_value(v)
        as_text = isinstance(v, str) and (v.startswith("=") or v in ERROR_CODES)
        if not (styled or as_text):
            return v
        cell = WriteOnlyCell(ws, value=v)
        if styled:
            cell._style = copy(style)
        if isinstance(v, str):
            cell.data_type = "s"  # never a formula or an error value
        return cell

    return make


def _write_table(wb, title: str, table: pd.DataFrame, styles: _Styles, used: set[str], *,
                 links: dict[int, str] | None = None, footer: list | None = None,
                 titles: dict[str, tuple[str, str]] | None = None, wrap: bool = True) -> list[str]:
    """Write ``table`` to the sheet ``title`` with the two-row header, going on in ``title (2)``…
    past Excel's row limit (``used``: the sheet names taken, for those continuations).

    ``links`` maps a table row position to a sheet the ``report_id`` cell links to; ``footer`` is one
    row written after a blank line, outside the filter (totals); ``wrap`` wraps long text columns.
    Returns the sheet names written.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    columns = list(table.columns)
    titles = titles or {}
    per_sheet = _EXCEL_MAX_ROWS - 2 - (2 if footer else 0)
    starts = range(0, max(len(table), 1), per_sheet)
    names = []
    for part, start in enumerate(starts):
        chunk = table.iloc[start:start + per_sheet]
        ws = wb.create_sheet(title if part == 0 else _sheet_name(f"{title} ({part + 1})", used))
        names.append(ws.title)
        last = get_column_letter(max(len(columns), 1))
        for j, c in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(c, 12)
        ws.freeze_panes = "A3"
        head, code = [], []
        for c in columns:
            mn, en = titles.get(c, COLUMN_TITLES.get(c, (c, c, ""))[:2])
            cell = WriteOnlyCell(ws, value=mn)
            cell.font, cell.fill, cell.alignment = styles.head_font, styles.head_fill, styles.head_align
            head.append(cell)
            cell = WriteOnlyCell(ws, value=c if c in COLUMN_TITLES or c in STATUSES else en)
            cell.font, cell.fill = styles.code_font, styles.code_fill
            code.append(cell)
        ws.append(head)
        ws.append(code)
        end_row = 2 + len(chunk)
        ws.auto_filter.ref = f"A2:{last}{max(end_row, 2)}"
        # Conditional formats: written before the rows is fine, they live in the sheet's tail.
        if "gap" in columns and len(chunk):
            g = get_column_letter(columns.index("gap") + 1)
            ws.conditional_formatting.add(f"{g}3:{g}{end_row}", ColorScaleRule(
                start_type="num", start_value=0, start_color="FFFFFF", mid_type="num", mid_value=30,
                mid_color="FFEB84", end_type="num", end_value=100, end_color="F8696B"))
        if "flag" in columns and len(chunk):
            f = get_column_letter(columns.index("flag") + 1)
            ws.conditional_formatting.add(f"A3:{last}{end_row}", FormulaRule(
                formula=[f"${f}3=TRUE"], fill=styles.flag_fill))
        if "inconsistency" in columns and len(chunk):
            i = get_column_letter(columns.index("inconsistency") + 1)
            ws.conditional_formatting.add(f"{i}3:{i}{end_row}", ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="F8696B"))
        convert = [_cell_maker(ws, c, styles, wrap) for c in columns]
        rid_col = columns.index("report_id") if "report_id" in columns else -1
        for s0 in range(0, len(chunk), _BLOCK):  # column by column, a block of rows at a time
            block = chunk.iloc[s0:s0 + _BLOCK]
            data = [[make(v) for v in block[c].tolist()] for c, make in zip(columns, convert)]
            for k, values in enumerate(zip(*data)):
                pos = start + s0 + k
                if links and pos in links:
                    values = list(values)
                    cell = WriteOnlyCell(ws, value=_excel_value(chunk.iat[s0 + k, rid_col]))
                    cell.data_type = "s"
                    cell.hyperlink = Hyperlink(ref=f"{get_column_letter(rid_col + 1)}{pos - start + 3}",
                                               location=f"'{links[pos]}'!A1",
                                               tooltip=bilingual("тайлангийн хуудас", "report's sheet"))
                    cell.font = styles.link_font
                    values[rid_col] = cell
                ws.append(values)
        if footer and part == len(starts) - 1:
            ws.append([])
            ws.append([_excel_value(v) for v in footer])
    return names


def _about_rows(rows: pd.DataFrame, reports: pd.DataFrame, per_report: bool, options: ReportOptions,
                row_columns: Sequence[str]) -> list[list]:
    n_flag = int(rows["flag"].sum()) if len(rows) else 0
    drill = (bilingual(f"тайлан бүр тусдаа хуудастай ({len(reports)} ≤ {options.per_report_sheets_max})",
                       f"one sheet per report ({len(reports)} ≤ {options.per_report_sheets_max})")
             if per_report else
             bilingual(f"бүх мөр «{SHEETS['all_rows']}» хуудсанд ({len(reports)} > {options.per_report_sheets_max} "
                       "тайлан)", f"every row in the “{SHEETS['all_rows']}” sheet ({len(reports)} > "
                       f"{options.per_report_sheets_max} reports)"))
    out = [
        ["Биелэлтийн тайлангийн шалгалт / Implementation report audit"],
        [],
        ["Тайлан / reports", len(reports)],
        ["Мөр / rows", len(rows)],
        ["Тэмдэглэсэн мөр / flagged rows", n_flag],
        [],
        ["Хуудас / sheet", "Агуулга / contents"],
        [SHEETS["ranking"], bilingual("тайлангууд, хамгийн их зөрүүтэй нь эхэндээ; тайлангийн дугаар нь "
                                      "хуудас руу нь холбоостой (тайлан бүр хуудастай үед)",
                                      "the reports, most inconsistent first; a report id links to its "
                                      "sheet when reports have sheets")],
        [SHEETS["flagged"], bilingual("бүх тэмдэглэсэн мөр шалтгаантай нь; зөрүүг өнгөөр тодруулсан",
                                      "every flagged row with its reasons; gaps coloured")],
        [SHEETS["status"], bilingual("тайлан бүрийн төлөв тус бүрийн мөрийн тоо; доор нь нийт",
                                     "rows per status for each report; totals below")],
        [bilingual("Тайлан бүрийн хуудас", "per-report sheets"),
         bilingual(f"{options.per_report_sheets_max} хүртэл тайлантай бол тайлан бүр тусдаа хуудастай "
                   f"(«эрэмбэ тайлан»); түүнээс олон бол бүх мөр нэг «{SHEETS['all_rows']}» хуудсанд шүүлттэй",
                   f"up to {options.per_report_sheets_max} reports: one sheet per report (“rank report”); "
                   f"more: every row in one “{SHEETS['all_rows']}” sheet with filters")],
        [bilingual("Энэ ажлын номд", "in this workbook"), drill],
        [],
        [bilingual("Толгой", "header"),
         bilingual("1-р мөр монгол нэр, 2-р мөр англи нэр (rows.csv, reports.csv-ийн баганын нэр); "
                   "шүүлт 2-р мөрөнд", "row 1: Mongolian title; row 2: the English column name as in "
                   "rows.csv and reports.csv; filters on row 2")],
        [bilingual("Тэмдэглэсэн мөр", "flagged row"),
         bilingual("ягаан дэвсгэртэй; зөрүү их байх тусам улаан", "pink background; the larger the gap, "
                   "the redder")],
        [],
        ["Багана / column", "Монгол нэр / Mongolian title", "Утга / meaning"],
    ]
    for c in dict.fromkeys(list(_REPORT_SHEET_COLUMNS) + list(row_columns)):
        mn, _, meaning = COLUMN_TITLES[c]
        out.append([c, mn, meaning])
    return out


def write_workbook(scored: pd.DataFrame, reports: pd.DataFrame, path: str | Path, *,
                   options: ReportOptions | None = None) -> Path:
    """Write the auditor's workbook ``report.xlsx``.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.audit.summarize_reports`.
    path : path
        The ``.xlsx`` file to write (replaced when it exists; written whole or not at all).
    options : ReportOptions, optional
        ``per_report_sheets_max`` decides between one sheet per report and one all-rows sheet.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Sheets: ranking, flagged rows (all of them), status counts, about, then one sheet per report
    (at most ``per_report_sheets_max`` reports) or one all-rows sheet. Every table: Mongolian titles
    in row 1, English column names in row 2, frozen at ``A3``, auto-filter on row 2. Same input →
    same bytes (fixed timestamps).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    options = options or ReportOptions()
    path = Path(path)
    rows = _rows_frame(scored, reports)
    rep = _report_frame(reports)
    per_report = len(rep) <= options.per_report_sheets_max
    styles = _Styles()
    used: set[str] = set(n.lower() for n in SHEETS.values())  # sheet names taken, in lower case

    wb = Workbook(write_only=True)
    wb.properties.creator = "biyelelt"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    report_sheets: dict[int, str] = {}
    if per_report:
        for pos, (rank, rid) in enumerate(zip(rep["rank"], rep["report_id"])):
            report_sheets[pos] = _sheet_name(f"{rank} {rid}", used)

    _write_table(wb, SHEETS["ranking"], rep, styles, used, links=report_sheets)
    _write_table(wb, SHEETS["flagged"], rows.loc[rows["flag"]], styles, used)
    counts = _status_counts(rows, reports)
    totals = [bilingual("Нийт", "total") if c == "report_id" else None if c in ("rank", "org")
              else int(counts[c].sum()) for c in counts.columns]
    status_titles = {s: (STATUS_MN.get(s, s), s) for s in counts.columns if s not in COLUMN_TITLES}
    _write_table(wb, SHEETS["status"], counts, styles, used, footer=totals, titles=status_titles)

    ws = wb.create_sheet(SHEETS["about"])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 70
    for i, line in enumerate(_about_rows(rows, rep, per_report, options, rows.columns)):
        if i == 0:
            cell = WriteOnlyCell(ws, value=line[0])
            cell.font = styles.title_font
            line = [cell]
        ws.append(line)

    if per_report:
        positions = pd.Series(np.arange(len(rows))).groupby(rows["report_id"].to_numpy(), sort=False)
        index = {k: v.to_numpy() for k, v in positions} if len(rows) else {}
        for pos, rid in enumerate(rep["report_id"]):
            sheet_rows = rows.iloc[index.get(rid, [])]
            _write_table(wb, report_sheets[pos], sheet_rows, styles, used)
    else:
        # No wrapping here: one line per row keeps a year's rows scannable (and the file fast to write).
        _write_table(wb, SHEETS["all_rows"], rows, styles, used, wrap=False)

    return _write_whole(path, lambda tmp: _save_reproducible(wb, tmp))


def _save_reproducible(wb, target: Path) -> None:
    """Save ``wb`` to ``target`` with fixed times inside the zip: same workbook, same bytes.

    openpyxl stamps each zip entry with the current time; it writes an uncompressed zip here, which is
    then copied, compressed once, into the final file with a fixed time on every entry.
    """
    from openpyxl.writer.excel import ExcelWriter

    stored = target.with_name(target.name + ".zip")
    try:
        with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
        with zipfile.ZipFile(stored) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                                                             allowZip64=True) as dst:
            for info in src.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = info.external_attr
                # Zip64 only where the size needs it: some Excel versions refuse it elsewhere.
                big = info.file_size >= zipfile.ZIP64_LIMIT
                with src.open(info) as fin, dst.open(fixed, "w", force_zip64=big) as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
    finally:
        stored.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# HTML page
# ---------------------------------------------------------------------------------------------

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;
margin:0;color:#1f2328;background:#f6f8fa;line-height:1.45}
main{max-width:1240px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:1.7em;margin:.2em 0 .1em}
h2{font-size:1.25em;margin:0 0 .5em}
h3{font-size:1.05em;margin:.2em 0}
.en{color:#656d76;font-weight:normal;font-size:.85em}
nav a{margin-right:14px}
a{color:#0969da;text-decoration:none}
a:hover{text-decoration:underline}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:170px}
.card b{display:block;font-size:1.6em}
.card.alert b{color:#cf222e}
.note{color:#57606a;font-size:.9em;margin:.4em 0 .8em}
.scroll{max-height:620px;overflow:auto;border:1px solid #eaeef2}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eaeef2;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f0f3f6;position:sticky;top:0;z-index:1;font-weight:600}
th .en{display:block;font-size:.8em}
table.fixed th{font-size:12px}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}
tr.hot td{background:#fff5f5}
.charts{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
.charts figure{margin:0;flex:1 1 520px}
figcaption{font-size:.9em;color:#57606a;margin-top:4px}
svg{max-width:100%;height:auto;font-family:inherit}
details{border-top:1px solid #eaeef2;padding:8px 0}
summary{cursor:pointer;font-weight:600}
summary .en{font-weight:normal}
.reason{color:#57606a}
footer{color:#57606a;font-size:.85em;margin-top:24px}
svg.scatter circle{fill:#0969da;fill-opacity:.65}
svg.scatter circle.h{fill:#cf222e}
"""


def _e(value) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _fmt(v, kind: str = "num") -> str:
    if v is None or v is pd.NA:
        return "—"
    if isinstance(v, (float, np.floating)) and math.isnan(v):
        return "—"
    if kind == "pct":
        return f"{float(v):.1%}"
    if kind == "conf":
        return f"{float(v):.0%}"
    if kind == "int":
        return f"{int(v)}"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.1f}"
    return str(v)


def _cut(text, limit: int) -> str:
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _th(mn: str, en: str, num: bool = False) -> str:
    cls = ' class="num"' if num else ""
    return f"<th{cls}>{_e(mn)}<span class=\"en\">{_e(en)}</span></th>"


def _colgroup(widths: dict[str, float], columns: Sequence[str]) -> str:
    """Fixed column widths, in percent of the table, for the columns shown."""
    total = sum(widths[c] for c in columns)
    return "<colgroup>" + "".join(f'<col style="width:{100 * widths[c] / total:.1f}%">' for c in columns) \
        + "</colgroup>"


def _gap_style(gap) -> str:
    """Background for a gap cell: white at ≤ 0, red at ≥ 100 (a number we computed, never input)."""
    if gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return ""
    t = max(0.0, min(1.0, float(gap) / 100.0))
    g = int(round(255 - t * (255 - 120)))
    return f' style="background:rgb(255,{g},{g})"'


def _nice_step(vmax: float, target: int = 5) -> float:
    if vmax <= 0:
        return 1.0
    raw = vmax / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _svg_scatter(rep: pd.DataFrame, highlight: int) -> str:
    """Reported mean (y) against predicted mean (x), one point per report, with the y = x line."""
    w, h, left, right, top, bottom = 560, 440, 56, 16, 16, 48
    pw, ph = w - left - right, h - top - bottom
    ok = rep.dropna(subset=["reported_mean", "predicted_mean"])
    vmax = max(100.0, float(ok["reported_mean"].max()) if len(ok) else 0.0,
               float(ok["predicted_mean"].max()) if len(ok) else 0.0)

    def x(v):
        return left + pw * float(v) / vmax

    def y(v):
        return top + ph - ph * float(v) / vmax

    parts = [f'<svg class="scatter" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{_e(bilingual("Тайлагнасан ба нотолгооны дундаж", "reported against predicted mean"))}">']
    parts.append(f'<polygon points="{x(0):.1f},{y(0):.1f} {x(vmax):.1f},{y(vmax):.1f} {x(0):.1f},{y(vmax):.1f}" '
                 'fill="#fff1f0"/>')
    for t in np.arange(0, vmax + 1e-9, 20):
        parts.append(f'<line x1="{x(t):.1f}" y1="{top}" x2="{x(t):.1f}" y2="{top + ph}" stroke="#eaeef2"/>')
        parts.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{left + pw}" y2="{y(t):.1f}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle" '
                     f'fill="#57606a">{t:g}</text>')
        parts.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#57606a">{t:g}</text>')
    parts.append(f'<line x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(vmax):.1f}" y2="{y(vmax):.1f}" stroke="#8c959f" '
                 'stroke-dasharray="5 4"/>')
    parts.append(f'<text x="{left + 8}" y="{top + 16}" font-size="12" fill="#cf222e">'
                 f'{_e(bilingual("нотолгооноос их тайлагнасан", "reported above evidence"))}</text>')
    # Lower-ranked first so the top reports are drawn on top.
    for _, r in ok.sort_values("rank", ascending=False, kind="mergesort").iterrows():
        hot = int(r["rank"]) <= highlight and r.get("n_flagged", 0) > 0
        # Short markup: a year has thousands of points (the tooltip reads "#rank id: reported / predicted").
        tip = f"#{int(r['rank'])} {r['report_id']}: {r['reported_mean']:.1f} / {r['predicted_mean']:.1f}"
        parts.append(f'<circle cx="{x(r["predicted_mean"]):.1f}" cy="{y(r["reported_mean"]):.1f}" r="4"'
                     f'{" class=h" if hot else ""}><title>{_e(tip)}</title></circle>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{h - 10}" font-size="12" text-anchor="middle" fill="#1f2328">'
                 f'{_e(bilingual("Нотолгооны дундаж оноо", "predicted mean"))}</text>')
    parts.append(f'<text transform="translate(14 {top + ph / 2:.1f}) rotate(-90)" font-size="12" '
                 f'text-anchor="middle" fill="#1f2328">{_e(bilingual("Тайлагнасан дундаж хувь", "reported mean"))}'
                 '</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_dumbbell(rep: pd.DataFrame) -> str:
    """Reported and predicted mean side by side for the top reports: a line from one to the other."""
    ok = rep.dropna(subset=["reported_mean", "predicted_mean"])
    row_h, left, right, top = 22, 215, 20, 34
    w = 640
    pw = w - left - right
    h = top + row_h * max(len(ok), 1) + 34
    vmax = max(100.0, float(ok["reported_mean"].max()) if len(ok) else 0.0)

    def x(v):
        return left + pw * float(v) / vmax

    parts = [f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{_e(bilingual("Эхний тайлангууд", "top reports"))}">']
    parts.append(f'<circle cx="{left}" cy="12" r="5" fill="#8c959f"/><text x="{left + 9}" y="16" font-size="12">'
                 f'{_e(bilingual("нотолгоо", "predicted"))}</text>')
    parts.append(f'<circle cx="{left + 150}" cy="12" r="5" fill="#cf222e"/><text x="{left + 159}" y="16" '
                 f'font-size="12">{_e(bilingual("тайлагнасан", "reported"))}</text>')
    for t in np.arange(0, vmax + 1e-9, 20):
        parts.append(f'<line x1="{x(t):.1f}" y1="{top - 6}" x2="{x(t):.1f}" y2="{h - 28}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{h - 14}" font-size="11" text-anchor="middle" fill="#57606a">'
                     f'{t:g}</text>')
    for i, (_, r) in enumerate(ok.iterrows()):
        cy = top + row_h * i + row_h / 2
        label = _cut(f"#{int(r['rank'])} {r['report_id']}", 30)
        parts.append(f'<text x="{left - 8}" y="{cy + 4:.1f}" font-size="11" text-anchor="end">{_e(label)}</text>')
        x1, x2 = x(r["predicted_mean"]), x(r["reported_mean"])
        parts.append(f'<line x1="{x1:.1f}" y1="{cy:.1f}" x2="{x2:.1f}" y2="{cy:.1f}" stroke="#d0d7de" '
                     'stroke-width="3"/>')
        tip = (f"{r['report_id']}: " + bilingual("тайлагнасан", "reported") + f" {r['reported_mean']:.1f}, "
               + bilingual("нотолгоо", "predicted") + f" {r['predicted_mean']:.1f}")
        parts.append(f'<circle cx="{x1:.1f}" cy="{cy:.1f}" r="5" fill="#8c959f"><title>{_e(tip)}</title></circle>')
        parts.append(f'<circle cx="{x2:.1f}" cy="{cy:.1f}" r="5" fill="#cf222e"><title>{_e(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_histogram(gaps: np.ndarray, flags: np.ndarray) -> str:
    """Rows per 10-point gap bin, the flagged part of each bar in red."""
    edges = np.arange(-100, 101, 10)
    ok = ~np.isnan(gaps)
    g = np.clip(gaps[ok], -100, 100)
    fl = flags[ok]
    all_counts, _ = np.histogram(g, bins=edges)
    flag_counts, _ = np.histogram(g[fl], bins=edges)
    w, h, left, right, top, bottom = 620, 300, 56, 12, 28, 48
    pw, ph = w - left - right, h - top - bottom
    step = _nice_step(float(all_counts.max()) if len(all_counts) else 0.0)
    ymax = max(step, math.ceil((all_counts.max() if len(all_counts) else 0) / step) * step)
    bw = pw / (len(edges) - 1)

    def y(v):
        return top + ph - ph * v / ymax

    parts = [f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{_e(bilingual("Зөрүүний тархалт", "distribution of gaps"))}">']
    parts.append(f'<rect x="{left + 8}" y="6" width="10" height="10" fill="#cf222e"/><text x="{left + 22}" y="15" '
                 f'font-size="12">{_e(bilingual("тэмдэглэсэн", "flagged"))}</text>')
    parts.append(f'<rect x="{left + 190}" y="6" width="10" height="10" fill="#8c959f"/><text x="{left + 204}" '
                 f'y="15" font-size="12">{_e(bilingual("бусад", "other"))}</text>')
    for t in np.arange(0, ymax + 1e-9, step):
        parts.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{left + pw}" y2="{y(t):.1f}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" font-size="11" text-anchor="end" fill="#57606a">'
                     f'{t:g}</text>')
    for i in range(len(edges) - 1):
        x0 = left + i * bw
        n_all, n_flag = int(all_counts[i]), int(flag_counts[i])
        tip = (f"{edges[i]:g}…{edges[i + 1]:g}: {n_all} " + bilingual("мөр", "rows") + f", {n_flag} "
               + bilingual("тэмдэглэсэн", "flagged"))
        parts.append(f'<g><title>{_e(tip)}</title>')
        parts.append(f'<rect x="{x0 + 1:.1f}" y="{y(n_all):.1f}" width="{bw - 2:.1f}" '
                     f'height="{ph * (n_all - n_flag) / ymax:.1f}" fill="#8c959f"/>')
        if n_flag:
            parts.append(f'<rect x="{x0 + 1:.1f}" y="{y(n_flag):.1f}" width="{bw - 2:.1f}" '
                         f'height="{ph * n_flag / ymax:.1f}" fill="#cf222e"/>')
        if n_all:
            parts.append(f'<text x="{x0 + bw / 2:.1f}" y="{y(n_all) - 3:.1f}" font-size="10" text-anchor="middle" '
                         f'fill="#57606a">{n_all}</text>')
        parts.append("</g>")
    for i in range(0, len(edges), 2):
        parts.append(f'<text x="{left + i * bw:.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle" '
                     f'fill="#57606a">{edges[i]:g}</text>')
    parts.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#8c959f"/>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{h - 10}" font-size="12" text-anchor="middle">'
                 f'{_e(bilingual("Зөрүү = тайлагнасан − нотолгоо (пункт)", "gap = reported − predicted (points)"))}'
                 '</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_status_bars(counts: dict[str, int]) -> str:
    """Rows per predicted status."""
    items = list(counts.items())
    w, left, right, row_h, top = 620, 330, 60, 24, 8
    h = top + row_h * max(len(items), 1) + 8
    vmax = max([v for _, v in items] + [1])
    pw = w - left - right
    parts = [f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
             f'aria-label="{_e(bilingual("Төлөвийн тоо", "status counts"))}">']
    for i, (status, n) in enumerate(items):
        cy = top + i * row_h
        label = f"{STATUS_MN.get(status, status)} ({status})"
        parts.append(f'<text x="{left - 8}" y="{cy + 16}" font-size="12" text-anchor="end">{_e(label)}</text>')
        bw = pw * n / vmax
        parts.append(f'<rect x="{left}" y="{cy + 4}" width="{bw:.1f}" height="{row_h - 8}" fill="#0969da" '
                     'fill-opacity="0.75"/>')
        parts.append(f'<text x="{left + bw + 6:.1f}" y="{cy + 16}" font-size="12" fill="#57606a">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _ranking_table(rep: pd.DataFrame, anchors: set[int], limit: int) -> tuple[str, str]:
    """The ranking as an HTML table, and the CSS that right-aligns its number columns.

    Number columns are aligned by position (CSS) rather than a class on every cell: a year's
    ranking has thousands of rows.
    """
    cols = [("rank", "int"), ("report_id", "text"), ("org", "text"), ("year", "text"), ("n_rows", "int"),
            ("n_flagged", "int"), ("share_flagged", "pct"), ("reported_mean", "num"), ("predicted_mean", "num"),
            ("inconsistency", "num")]
    cols = [(c, k) for c, k in cols if c in rep]
    numeric = {"int", "pct", "num"}
    widths = {"rank": 6, "report_id": 19, "org": 15, "year": 5, "n_rows": 7, "n_flagged": 9.5, "share_flagged": 9.5,
              "reported_mean": 9.5, "predicted_mean": 9.5, "inconsistency": 10}
    css = ",".join(f".rank td:nth-child({i})" for i, (_, k) in enumerate(cols, start=1) if k in numeric)
    css = (css + "{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}") if css else ""
    out = [f'<div class="scroll"><table class="fixed rank">{_colgroup(widths, [c for c, _ in cols])}<thead><tr>']
    out += [_th(COLUMN_TITLES[c][0], COLUMN_TITLES[c][1], k in numeric) for c, k in cols]
    out.append("</tr></thead><tbody>")
    for _, r in rep.head(limit).iterrows():
        hot = r.get("n_flagged", 0) > 0
        out.append('<tr class="hot">' if hot else "<tr>")
        for c, k in cols:
            v = r[c]
            if c == "year" and isinstance(v, (float, np.floating)) and not math.isnan(v):
                v = int(v)
            text = _e(_fmt(v, k))
            if c == "report_id" and int(r["rank"]) in anchors:
                text = f'<a href="#rep-{int(r["rank"])}">{text}</a>'
            out.append(f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out), css


def _flagged_section(rows: pd.DataFrame, rep: pd.DataFrame, listed: pd.DataFrame, options: ReportOptions,
                     n_with_flags: int, n_flagged: int) -> str:
    out = []
    out.append('<p class="note">' + _e(bilingual(
        f"Тэмдэглэсэн мөртэй {n_with_flags} тайлангаас эрэмбээрээ эхний {len(listed)}-ийн тэмдэглэсэн мөрийг энд "
        f"жагсаав (тохиргоо: {options.html_top_reports} тайлан, тайлан бүрт {options.html_rows_per_report} "
        f"хүртэл мөр). Бүх {n_flagged} тэмдэглэсэн мөр report.xlsx-ийн «{SHEETS['flagged']}» хуудас, "
        "rows.csv, rows.parquet-д бий.",
        f"Flagged rows are listed here for the top {len(listed)} of the {n_with_flags} reports with flagged rows "
        f"(setting: {options.html_top_reports} reports, up to {options.html_rows_per_report} rows each). All "
        f"{n_flagged} flagged rows are in report.xlsx (sheet “{SHEETS['flagged']}”), rows.csv and rows.parquet."))
        + "</p>")
    flagged = rows.loc[rows["flag"] & rows["rank"].isin(listed["rank"])]
    by_rank = {int(k): g for k, g in flagged.groupby("rank", sort=True)}
    has = {c: c in rows for c in ("measure_no", "measure", "org")}
    numeric = {"reported_percent", "predicted_score", "gap"}
    widths = {"row_id": 4, "measure_no": 7, "measure": 13, "narrative": 22, "reported_percent": 9.5,
              "predicted_score": 9.5, "gap": 7, "status_mn": 11, "reasons": 17}
    head_cols = [c for c in widths if c not in ("measure_no", "measure") or has[c]]
    colgroup = _colgroup(widths, head_cols)
    for _, r in listed.iterrows():
        rank = int(r["rank"])
        g = by_rank.get(rank, rows.iloc[0:0])
        org = f" — {r['org']}" if "org" in r and isinstance(r["org"], str) and r["org"] else ""
        out.append(f'<details open id="rep-{rank}"><summary>#{rank} {_e(r["report_id"])}{_e(org)} '
                   f'<span class="en">{_e(bilingual("тэмдэглэсэн", "flagged"))}: {int(r["n_flagged"])} / '
                   f'{int(r["n_rows"])}; {_e(bilingual("зөрүүний индекс", "inconsistency"))}: '
                   f'{_e(_fmt(r.get("inconsistency")))}</span></summary>')
        out.append(f'<table class="fixed">{colgroup}<thead><tr>')
        out += [_th(COLUMN_TITLES[c][0], COLUMN_TITLES[c][1], c in numeric) for c in head_cols]
        out.append("</tr></thead><tbody>")
        for _, row in g.head(options.html_rows_per_report).iterrows():
            out.append("<tr>")
            for c in head_cols:
                v = row[c]
                if c in ("measure", "narrative"):
                    out.append(f"<td>{_e(_cut(v, options.html_text_chars) or '—')}</td>")
                elif c == "gap":
                    out.append(f'<td class="num"{_gap_style(v)}>{_e(_fmt(v))}</td>')
                elif c in numeric:
                    out.append(f'<td class="num">{_e(_fmt(v))}</td>')
                elif c == "status_mn":
                    out.append(f'<td>{_e(v)}<br><span class="en">{_e(row["status"])} '
                               f'{_e(_fmt(row["confidence"], "conf"))}</span></td>')
                elif c == "reasons":
                    out.append(f'<td class="reason">{_e(v)}</td>')
                else:
                    out.append(f"<td>{_e(_fmt(v))}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        if len(g) > options.html_rows_per_report:
            out.append('<p class="note">' + _e(bilingual(
                f"…бас {len(g) - options.html_rows_per_report} мөр: report.xlsx-д бий",
                f"…and {len(g) - options.html_rows_per_report} more rows: see report.xlsx")) + "</p>")
        out.append("</details>")
    return "".join(out)


def _heading(mn: str, en: str, anchor: str) -> str:
    return f'<h2 id="{anchor}">{_e(mn)} <span class="en">/ {_e(en)}</span></h2>'


def write_html(scored: pd.DataFrame, reports: pd.DataFrame, path: str | Path, *,
               options: ReportOptions | None = None) -> Path:
    """Write one self-contained page ``report.html``.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.audit.summarize_reports`.
    path : path
        The ``.html`` file to write (replaced when it exists).
    options : ReportOptions, optional
        Limits for large years (reports whose flagged rows are listed, rows per report, text length).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    No external file, style sheet, script, font or network access; the charts are inline SVG. Text is
    Mongolian with English labels. Every value from the input is HTML-escaped.
    """
    options = options or ReportOptions()
    path = Path(path)
    rows = _rows_frame(scored, reports)
    rep = _report_frame(reports)
    n_rows, n_rep = len(rows), len(rep)
    n_flag = int(rows["flag"].sum()) if n_rows else 0
    with_flags = rep.loc[rep["n_flagged"] > 0] if n_rep else rep
    listed = with_flags.head(options.html_top_reports)
    anchors = {int(k) for k in listed["rank"]}

    ranking_html, ranking_css = _ranking_table(rep, anchors, options.html_ranking_max)

    p = ['<!DOCTYPE html><html lang="mn"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{_e(bilingual('Биелэлтийн тайлангийн шалгалт', 'Implementation report audit'))}</title>",
         f"<style>{_CSS}{ranking_css}</style></head><body><main>"]
    p.append(f"<h1>{_e('Биелэлтийн тайлангийн шалгалт')}</h1>"
             f"<div class=\"en\">{_e('Implementation report audit · biyelelt')}</div>")
    share = f" ({n_flag / n_rows:.1%})" if n_rows else ""
    cards = [("Тайлан", "reports", f"{n_rep}", False), ("Мөр", "rows", f"{n_rows}", False),
             ("Тэмдэглэсэн мөр", "flagged rows", f"{n_flag}{share}", n_flag > 0),
             ("Тэмдэглэсэн мөртэй тайлан", "reports with flagged rows", f"{len(with_flags)}", len(with_flags) > 0)]
    p.append('<div class="cards">' + "".join(
        f'<div class="card{" alert" if alert else ""}"><b>{_e(v)}</b>{_e(mn)} <span class="en">/ {_e(en)}</span>'
        "</div>" for mn, en, v, alert in cards) + "</div>")
    p.append("<nav>" + "".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in (
        ("ranking", "Эрэмбэ / ranking"), ("charts", "Тайлагнасан ба нотолгоо / reported vs predicted"),
        ("gaps", "Зөрүү / gaps"), ("flagged", "Тэмдэглэсэн мөр / flagged rows"))) + "</nav>")

    # Ranking
    p.append("<section>" + _heading("Тайлангийн эрэмбэ", "Report ranking", "ranking"))
    p.append('<p class="note">' + _e(bilingual(
        "Зөрүүний индекс: мөр бүрийн эерэг зөрүүгийн (тайлагнасан − нотолгоо) магадлалаар жигнэсэн дундаж; "
        "их нь эхэндээ. Тэмдэглэсэн мөртэй тайлан ягаан.",
        "Inconsistency: confidence-weighted mean of the positive gaps (reported − predicted); highest first. "
        "Reports with flagged rows are pink.")) + "</p>")
    if n_rep > options.html_ranking_max:
        p.append('<p class="note">' + _e(bilingual(
            f"Эхний {options.html_ranking_max} тайланг харуулав; бүгд reports.csv, report.xlsx-д бий.",
            f"The first {options.html_ranking_max} reports are shown; all are in reports.csv and report.xlsx."))
            + "</p>")
    p.append(ranking_html + "</section>")

    # Reported against predicted
    p.append("<section>" + _heading("Тайлагнасан ба нотолгооны дундаж", "Reported against predicted, per report",
                                    "charts"))
    missing = int(rep[["reported_mean", "predicted_mean"]].isna().any(axis=1).sum()) if n_rep else 0
    note = bilingual("Тасархай шугамаас дээрх цэг нотолгооноосоо их тайлагнасан тайлан; улаан нь "
                     f"тэмдэглэсэн мөртэй эхний {options.html_top_reports} тайлан. Цэг дээр хулганаа "
                     "аваачвал нэр нь гарна.",
                     "A point above the dashed line reported more than its evidence supports; red: the top "
                     f"{options.html_top_reports} reports with flagged rows. Hover a point for its name.")
    if missing:
        note += " " + bilingual(f"{missing} тайланд дундаж тооцоогүй тул орхив.",
                                f"{missing} reports without both means are left out.")
    p.append(f'<p class="note">{_e(note)}</p><div class="charts">')
    top_chart = rep.head(options.html_chart_reports)
    p.append("<figure>" + _svg_dumbbell(top_chart) + "<figcaption>" + _e(bilingual(
        f"Эрэмбээрээ эхний {len(top_chart)} тайлан", f"The top {len(top_chart)} reports by rank"))
        + "</figcaption></figure>")
    p.append("<figure>" + _svg_scatter(rep, options.html_top_reports) + "<figcaption>" + _e(bilingual(
        f"Бүх {n_rep} тайлан", f"All {n_rep} reports")) + "</figcaption></figure></div></section>")

    # Gaps and statuses
    p.append("<section>" + _heading("Зөрүүний тархалт", "Distribution of gaps", "gaps"))
    gaps = rows["gap"].to_numpy(dtype=float) if n_rows else np.zeros(0)
    flags = rows["flag"].to_numpy(dtype=bool) if n_rows else np.zeros(0, dtype=bool)
    no_gap = int(np.isnan(gaps).sum())
    p.append('<p class="note">' + _e(bilingual(
        f"{n_rows - no_gap} мөрийн зөрүү, 10 пунктээр бүлэглэв; {no_gap} мөрөнд зөрүү алга (хувь эсвэл оноо "
        "байхгүй, жишээ нь хамаарахгүй).",
        f"Gaps of {n_rows - no_gap} rows in 10-point bins; {no_gap} rows have no gap (no percent or no "
        "score, e.g. not applicable).")) + "</p>")
    counts = rows["status"].value_counts() if n_rows else pd.Series(dtype=int)
    status_counts = {s: int(counts.get(s, 0)) for s in STATUSES}
    status_counts.update({s: int(v) for s, v in counts.items() if s not in status_counts})
    p.append('<div class="charts"><figure>' + _svg_histogram(gaps, flags) + "</figure>")
    p.append("<figure>" + _svg_status_bars(status_counts) + "<figcaption>" + _e(bilingual(
        "Таамагласан төлөв тус бүрийн мөрийн тоо", "Rows per predicted status")) + "</figcaption></figure>")
    p.append("</div></section>")

    # Flagged rows
    p.append("<section>" + _heading("Тайлан бүрийн тэмдэглэсэн мөр", "Flagged rows by report", "flagged"))
    if len(listed):
        p.append(_flagged_section(rows, rep, listed, options, len(with_flags), n_flag))
    else:
        p.append('<p class="note">' + _e(bilingual("Тэмдэглэсэн мөр алга.", "No flagged rows.")) + "</p>")
    p.append("</section>")
    p.append("<footer>" + _e(bilingual(
        "biyelelt үүсгэв. Хавтсанд: rows.csv (бүх мөр), reports.csv (эрэмбэ), problems.csv (уншигдаагүй файл), "
        "report.xlsx (аудиторын ажлын ном), rows.parquet (шинжээчдэд).",
        "Made by biyelelt. In the folder: rows.csv (all rows), reports.csv (ranking), problems.csv (files not "
        "read), report.xlsx (the auditor's workbook), rows.parquet (for analysts).")) + "</footer>")
    p.append("</main></body></html>\n")

    return _write_whole(path, lambda tmp: tmp.write_text("".join(p), encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------

def write_parquet(scored: pd.DataFrame, path: str | Path) -> Path:
    """Write every scored row and column to ``rows.parquet`` for analysts.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.audit.score` (all its columns, in input order).
    path : path
        The ``.parquet`` file to write (replaced when it exists).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    A text column that mixes types (a percent given as ``"100"`` in one row and ``100`` in another)
    is written as text, ``None`` where missing; every other column keeps its type.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    df = scored.reset_index(drop=True).copy()
    for c in df.columns:
        if df[c].dtype == object:
            try:
                pa.array(df[c], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                df[c] = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in df[c]]
    table = pa.Table.from_pandas(df, preserve_index=False)
    return _write_whole(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


# ---------------------------------------------------------------------------------------------
# All of them
# ---------------------------------------------------------------------------------------------

def parse_formats(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"xlsx,html"`` → ``("xlsx", "html")``; ``None`` → all; ``""`` or ``"none"`` → none.

    Raises
    ------
    BiyeleltError
        For a format that is not one of :data:`FORMATS`.
    """
    if text is None:
        return FORMATS
    items = text.split(",") if isinstance(text, str) else list(text)
    items = [s.strip().lower() for s in items if s and s.strip()]
    if items == ["none"]:
        return ()
    bad = [s for s in items if s not in FORMATS]
    if bad:
        raise BiyeleltError(f"үл мэдэх хэлбэр: {', '.join(bad)} (боломжтой: {', '.join(FORMATS)})",
                            f"unknown format: {', '.join(bad)} (choose from: {', '.join(FORMATS)})")
    return tuple(dict.fromkeys(items))


def write_outputs(scored: pd.DataFrame, reports: pd.DataFrame, out_dir: str | Path,
                  formats: str | Iterable[str] | None = FORMATS, *,
                  options: ReportOptions | None = None) -> dict[str, Path]:
    """Write the outputs for people next to ``rows.csv``: ``report.xlsx``, ``report.html``, ``rows.parquet``.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.audit.summarize_reports`.
    out_dir : path
        The output folder (created when missing).
    formats : iterable of str or str, default all
        Any of ``"xlsx"``, ``"html"``, ``"parquet"`` (or ``"xlsx,html"``); ``None`` means all.
    options : ReportOptions, optional
        Limits for large years.

    Returns
    -------
    dict
        Paths written, by format.

    Raises
    ------
    BiyeleltError
        For an unknown format or a file that cannot be written (naming the file).
    """
    formats = parse_formats(formats)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for fmt in formats:
        target = out / OUTPUT_FILES[fmt]
        if fmt == "xlsx":
            paths[fmt] = write_workbook(scored, reports, target, options=options)
        elif fmt == "html":
            paths[fmt] = write_html(scored, reports, target, options=options)
        else:
            paths[fmt] = write_parquet(scored, target)
    return paths
