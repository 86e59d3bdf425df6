"""The auditor's workbook ``report.xlsx``.

``Эрэмбэ (Ranking)``: the reports, most inconsistent first. ``Тэмдэглэсэн мөр (Flagged)``: every
flagged (``true``) and review row with its reasons, gaps highlighted by a colour scale. ``Төлөвийн тоо
(Status counts)``: rows per status and report. ``Тайлбар (About)``: what the sheets and columns mean.
Drill-down: with at most :attr:`~nlp.outputs.report.ReportOptions.per_report_sheets_max` reports (50)
each report gets its own sheet, linked from the ranking; with more, one ``Бүх мөр (All rows)`` sheet
holds every row, ranked report by report, with filters. Every table has a Mongolian header row, the
English column name (as in ``rows.csv``/``reports.csv``) in a second header row, a frozen header and
an auto-filter. A sheet never exceeds Excel's row limit: a longer table goes on in ``… (2)``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import bilingual
from ..settings import STATUS_MN, STATUSES
from .common import (_REPORT_SHEET_COLUMNS, COLUMN_TITLES, SHEETS, ReportOptions, _report_frame, _rows_frame,
                     _write_whole)

__all__ = ["write_workbook"]

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
        self.review_fill = PatternFill("solid", start_color="FFF6D6", end_color="FFF6D6")
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
                formula=[f'${f}3="true"'], fill=styles.flag_fill))
            ws.conditional_formatting.add(f"A3:{last}{end_row}", FormulaRule(
                formula=[f'${f}3="review"'], fill=styles.review_fill))
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
    n_flag = int((rows["flag"] == "true").sum()) if len(rows) else 0
    n_review = int((rows["flag"] == "review").sum()) if len(rows) else 0
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
        ["Аудитор шалгах мөр / rows for review", n_review],
        [],
        ["Хуудас / sheet", "Агуулга / contents"],
        [SHEETS["ranking"], bilingual("тайлангууд, хамгийн их зөрүүтэй нь эхэндээ; тайлангийн дугаар нь "
                                      "хуудас руу нь холбоостой (тайлан бүр хуудастай үед)",
                                      "the reports, most inconsistent first; a report id links to its "
                                      "sheet when reports have sheets")],
        [SHEETS["flagged"], bilingual("бүх тэмдэглэсэн (true, ягаан) ба шалгах (review, шар) мөр шалтгаантай "
                                      "нь; зөрүүг өнгөөр тодруулсан",
                                      "every flagged (true, pink) and review (yellow) row with its reasons; "
                                      "gaps coloured")],
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
        Output of :func:`nlp.judge.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.judge.audit.summarize_reports`.
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
    _write_table(wb, SHEETS["flagged"], rows.loc[rows["flag"] != "false"], styles, used)
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
