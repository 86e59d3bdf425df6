"""Raw rows of Office files: ``.docx`` tables and paragraphs, ``.xlsx`` sheets.

Both are checked by :func:`nlp.read.archive.check_office_archive` before
they are opened. A merged cell gives its text once, in its first (top-left)
grid cell; the grid cells it covers are empty, as in the text dumps.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import ReportError
from .archive import check_office_archive
from .schema import RawRow

__all__ = ["docx_rows", "xlsx_rows", "cell_value_text"]


def _corrupt(path: Path, kind: str, exc: Exception) -> ReportError:
    return ReportError(
        f"{kind} файл эвдэрсэн, нээгдэхгүй байна",
        f"corrupt {kind} file, it cannot be opened ({type(exc).__name__}: {exc})",
        path=path,
    )


def docx_rows(path: Path) -> list[RawRow]:
    """Paragraphs and table rows of a ``.docx``, in document order.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    list of RawRow
        A paragraph gives a one-cell row located ``"paragraph N"``; a table row
        gives one cell per grid column, located ``"table T, row R"``. A cell
        spanning several columns (``gridSpan``) leaves the covered cells empty;
        so does the continuation of a vertical merge (``vMerge``).

    Raises
    ------
    ReportError
        When the archive is unsafe or the package cannot be parsed.
    """
    check_office_archive(path, ".docx").close()
    try:
        import docx
        from docx.table import Table

        document = docx.Document(str(path))
        rows: list[RawRow] = []
        tables = paragraphs = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                tables += 1
                for number, cells in enumerate(_table_grid(block), start=1):
                    rows.append(RawRow(cells, f"table {tables}, row {number}", tables))
            else:
                paragraphs += 1
                rows.append(RawRow((block.text,), f"paragraph {paragraphs}", None))
    except ReportError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds for a broken package
        raise _corrupt(path, ".docx", exc) from None
    return rows


def _table_grid(table) -> list[tuple[str, ...]]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    grid = []
    for tr in table._tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                text = ""
            else:
                text = "\n".join(Paragraph(p, None).text for p in tc.iter(qn("w:p")))
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
        grid.append(tuple(cells))
    return grid


def cell_value_text(value: object, number_format: str | None = None) -> str:
    """The text of a spreadsheet value as a report writer would read it.

    Parameters
    ----------
    value : object
        The cell value: ``None``, a number, a date or text.
    number_format : str, optional
        The cell's number format; a percent format turns ``0.85`` into ``"85%"``.

    Returns
    -------
    str
        ``""`` for an empty cell; whole numbers without ``.0``.

    Examples
    --------
    >>> cell_value_text(100.0), cell_value_text(0.855, "0.0%")
    ('100', '85.5%')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return _number_text(value * 100) + "%"
        return _number_text(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return format(value, ".10g")


def xlsx_rows(path: Path) -> list[RawRow]:
    """Rows of every worksheet of an ``.xlsx``, sheet after sheet.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    list of RawRow
        Located ``"sheet NAME, row R"``; ``table`` is the sheet's position.
        Cached formula results are read, not formulas.

    Raises
    ------
    ReportError
        When the archive is unsafe or the workbook cannot be parsed.
    """
    check_office_archive(path, ".xlsx").close()
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise _corrupt(path, ".xlsx", exc) from None
    rows: list[RawRow] = []
    try:
        for index, sheet in enumerate(workbook.worksheets, start=1):
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                # Empty cells of a read-only sheet have no row number; filled ones do.
                number = next((cell.row for cell in cells if getattr(cell, "row", None)), number)
                texts = tuple(cell_value_text(cell.value, getattr(cell, "number_format", None)) for cell in cells)
                rows.append(RawRow(texts, f"sheet {sheet.title}, row {number}", index))
    except Exception as exc:
        raise _corrupt(path, ".xlsx", exc) from None
    finally:
        workbook.close()
    return rows
