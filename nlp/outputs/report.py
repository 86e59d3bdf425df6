"""Outputs for people: the auditor's workbook ``report.xlsx``, one self-contained page ``report.html``
and ``rows.parquet`` for analysts.

They are written next to ``rows.csv`` and ``reports.csv`` (:mod:`nlp.outputs.tables`) from the same two
frames: the scored rows (:func:`nlp.judge.audit.score`) and the ranked reports
(:func:`nlp.judge.audit.summarize_reports`). :func:`write_outputs` writes all three.

Each file has its module: :mod:`nlp.outputs.workbook` (:func:`write_workbook`), :mod:`nlp.outputs.html`
(:func:`write_html`: Jinja2 templates in ``nlp/outputs/templates``, matplotlib charts inlined as SVG) and
:func:`write_parquet` here. What the workbook and the page share (:class:`ReportOptions`, :data:`SHEETS`,
:data:`COLUMN_TITLES`) is in :mod:`nlp.outputs.common`; this module re-exports all of it.

Workbook (``report.xlsx``)
    Ranking, every flagged and review row, status counts, an about sheet, then one sheet per report
    (at most :attr:`ReportOptions.per_report_sheets_max`) or one all-rows sheet. Mongolian and English
    headers, frozen, filtered.

Page (``report.html``)
    No external file, style sheet, script or font; the charts are inline SVG. The page stays small for
    a whole year: flagged rows (``flag = true``) and rows for review (``flag = review``) are listed for
    the top :attr:`ReportOptions.html_top_reports` reports that have any, and the page says so; the
    workbook, ``rows.csv`` and ``rows.parquet`` hold all of them. Every value is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import BiyeleltError
from .common import COLUMN_TITLES, SHEETS, ReportOptions, _write_whole
from .html import write_html
from .workbook import write_workbook

__all__ = ["write_outputs", "write_workbook", "write_html", "write_parquet", "parse_formats", "ReportOptions",
           "FORMATS", "OUTPUT_FILES", "COLUMN_TITLES", "SHEETS"]

#: Formats :func:`write_outputs` can write, and the file each goes to.
FORMATS: tuple[str, ...] = ("xlsx", "html", "parquet")
OUTPUT_FILES: dict[str, str] = {"xlsx": "report.xlsx", "html": "report.html", "parquet": "rows.parquet"}


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------

def write_parquet(scored: pd.DataFrame, path: str | Path) -> Path:
    """Write every scored row and column to ``rows.parquet`` for analysts.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.judge.audit.score` (all its columns, in input order).
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
    # One chunk per column: the file's pages then depend on the values alone, not on how the rows were
    # put together (a frame assembled from many parts converts to many chunks): same rows, same bytes.
    table = pa.Table.from_pandas(df, preserve_index=False).combine_chunks()
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
        Output of :func:`nlp.judge.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.judge.audit.summarize_reports`.
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
