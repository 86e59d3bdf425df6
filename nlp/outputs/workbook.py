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

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import bilingual
from ..settings import STATUS_MN, STATUSES
from .common import (_REPORT_SHEET_COLUMNS, COLUMN_TITLES, SHEETS, ReportOptions, _report_frame, _rows_frame,
                     _write_whole)
from .xlsx import MAX_ROWS, STYLES, Book, column_letter

__all__ = ["write_workbook"]

_WIDTHS = {"rank": 8, "report_id": 22, "org": 24, "year": 7, "source": 30, "row_id": 7, "objective_no": 8,
           "measure_no": 10, "measure": 40, "narrative": 60, "reported_percent": 11, "predicted_score": 11,
           "gap": 10, "status_mn": 20, "status": 16, "confidence": 10, "flag": 10, "reasons": 50,
           "location": 20, "warnings": 30, "n_rows": 9, "n_flagged": 12, "share_flagged": 12,
           "reported_mean": 14, "predicted_mean": 14, "inconsistency": 12, "total": 9}
_WRAP = ("measure", "narrative", "reasons", "warnings")
_NUMBER_FORMATS = {"share_flagged": "percent1", "confidence": "percent0"}  # styles of nlp.outputs.xlsx
_BLOCK = 20_000  # rows converted at a time


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


def _location(sheet: str) -> str:
    """A link target: cell A1 of ``sheet``, the name quoted as Excel wants it."""
    return "'" + sheet.replace("'", "''") + "'!A1"


def _column_style(column: str, wrap: bool) -> int:
    if wrap and column in _WRAP:
        return STYLES["wrap"]
    return STYLES[_NUMBER_FORMATS.get(column, "plain")]


def _write_table(book: Book, title: str, table: pd.DataFrame, used: set[str], *,
                 links: dict[int, str] | None = None, footer: list | None = None,
                 titles: dict[str, tuple[str, str]] | None = None, wrap: bool = True) -> list[str]:
    """Write ``table`` to the sheet ``title`` with the two-row header, going on in ``title (2)``…
    past Excel's row limit (``used``: the sheet names taken, for those continuations).

    ``links`` maps a table row position to a sheet the ``report_id`` cell links to; ``footer`` is one
    row written after a blank line, outside the filter (totals); ``wrap`` wraps long text columns.
    Returns the sheet names written.
    """
    columns = list(table.columns)
    titles = titles or {}
    per_sheet = MAX_ROWS - 2 - (2 if footer else 0)
    starts = range(0, max(len(table), 1), per_sheet)
    styles = [_column_style(c, wrap) for c in columns]
    rid_col = columns.index("report_id") if "report_id" in columns else -1
    tooltip = bilingual("тайлангийн хуудас", "report's sheet")
    names = []
    for part, start in enumerate(starts):
        chunk = table.iloc[start:start + per_sheet]
        ws = book.sheet(title if part == 0 else _sheet_name(f"{title} ({part + 1})", used))
        names.append(ws.name)
        last = column_letter(max(len(columns), 1))
        ws.widths([_WIDTHS.get(c, 12) for c in columns])
        ws.freeze("A3")
        head = [titles.get(c, COLUMN_TITLES.get(c, (c, c, ""))[:2]) for c in columns]
        ws.row([mn for mn, _ in head], STYLES["head"])
        ws.row([c if c in COLUMN_TITLES or c in STATUSES else en for c, (_, en) in zip(columns, head)],
               STYLES["code"])
        end_row = 2 + len(chunk)
        ws.auto_filter(f"A2:{last}{max(end_row, 2)}")
        if "gap" in columns and len(chunk):
            g = column_letter(columns.index("gap") + 1)
            ws.color_scale(f"{g}3:{g}{end_row}", [("num", 0, "FFFFFF"), ("num", 30, "FFEB84"), ("num", 100, "F8696B")])
        if "flag" in columns and len(chunk):
            f = column_letter(columns.index("flag") + 1)
            ws.fill_where(f"A3:{last}{end_row}", f'${f}3="true"', "flag")
            ws.fill_where(f"A3:{last}{end_row}", f'${f}3="review"', "review")
        if "inconsistency" in columns and len(chunk):
            i = column_letter(columns.index("inconsistency") + 1)
            ws.color_scale(f"{i}3:{i}{end_row}", [("min", None, "FFFFFF"), ("max", None, "F8696B")])
        for s0 in range(0, len(chunk), _BLOCK):  # column by column, a block of rows at a time
            block = chunk.iloc[s0:s0 + _BLOCK]
            data = [block[c].tolist() for c in columns]
            block_styles: list = list(styles)
            linked = [start + s0 + k in links for k in range(len(block))] if links and rid_col >= 0 else []
            if any(linked):
                rid = data[rid_col] = ["" if v is None or v is pd.NA else str(v) for v in data[rid_col]]
                block_styles[rid_col] = [STYLES["link"] if hit else styles[rid_col] for hit in linked]
                for k, hit in enumerate(linked):
                    if hit and rid[k]:
                        ws.link(f"{column_letter(rid_col + 1)}{s0 + k + 3}", _location(links[start + s0 + k]),
                                tooltip)
            ws.rows(data, block_styles)
        if footer and part == len(starts) - 1:
            ws.row([])
            ws.row(footer)
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
    options = options or ReportOptions()
    path = Path(path)
    rows = _rows_frame(scored, reports)
    rep = _report_frame(reports)
    per_report = len(rep) <= options.per_report_sheets_max
    used: set[str] = set(n.lower() for n in SHEETS.values())  # sheet names taken, in lower case

    book = Book(creator="biyelelt")
    report_sheets: dict[int, str] = {}
    if per_report:
        for pos, (rank, rid) in enumerate(zip(rep["rank"], rep["report_id"])):
            report_sheets[pos] = _sheet_name(f"{rank} {rid}", used)

    _write_table(book, SHEETS["ranking"], rep, used, links=report_sheets)
    _write_table(book, SHEETS["flagged"], rows.loc[rows["flag"] != "false"], used)
    counts = _status_counts(rows, reports)
    totals = [bilingual("Нийт", "total") if c == "report_id" else None if c in ("rank", "org")
              else int(counts[c].sum()) for c in counts.columns]
    status_titles = {s: (STATUS_MN.get(s, s), s) for s in counts.columns if s not in COLUMN_TITLES}
    _write_table(book, SHEETS["status"], counts, used, footer=totals, titles=status_titles)

    ws = book.sheet(SHEETS["about"])
    ws.widths([34, 60, 70])
    for i, line in enumerate(_about_rows(rows, rep, per_report, options, rows.columns)):
        ws.row(line, STYLES["title"] if i == 0 else STYLES["plain"])

    if per_report:
        positions = pd.Series(np.arange(len(rows))).groupby(rows["report_id"].to_numpy(), sort=False)
        index = {k: v.to_numpy() for k, v in positions} if len(rows) else {}
        for pos, rid in enumerate(rep["report_id"]):
            sheet_rows = rows.iloc[index.get(rid, [])]
            _write_table(book, report_sheets[pos], sheet_rows, used)
    else:
        # No wrapping here: one line per row keeps a year's rows scannable (and the file fast to write).
        _write_table(book, SHEETS["all_rows"], rows, used, wrap=False)

    return _write_whole(path, book.save)
