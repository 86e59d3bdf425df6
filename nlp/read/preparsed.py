"""Rows that are already parsed: a ``.csv``/``.xlsx`` table with a narrative column.

Such a table has its header in its first non-empty row, with a column named
``narrative`` or ``Биелэлт``, and optional columns ``report_id, org, year,
objective_no, objective, target_no, target, measure_no, measure,
reported_percent``; other columns are ignored. A header that also carries the
labels of the report form (``№``, ``Зорилт``, ``Хэрэгжүүлэх арга хэмжээ``,
``Хувь``) is a report form, read by :mod:`nlp.read.assemble` instead.
"""

from __future__ import annotations

import re

from ..errors import bilingual
from ..text import normalize
from .assemble import Row, set_percent, snippet
from .layout import header_roles, split_numbered
from .schema import PREPARSED_COLUMNS, RawRow

__all__ = ["PREPARSED_COLUMNS", "preparsed_columns", "preparsed_rows", "ignored_columns"]

_NARRATIVE_NAMES = {"narrative": "narrative", "биелэлт": "narrative"}
_FLOAT_ZERO = re.compile(r"^(\d+)\.0+$")


def _name(cell: str) -> str:
    return normalize(cell).lower()


def preparsed_columns(cells: tuple[str, ...]) -> dict[int, str] | None:
    """Map the columns of a pre-parsed header, or say it is not one.

    Parameters
    ----------
    cells : tuple of str
        The first non-empty row of a table.

    Returns
    -------
    dict or None
        Column index → column name; ``None`` when the row is not the header of
        a pre-parsed table.

    Examples
    --------
    >>> preparsed_columns(("measure_no", "Биелэлт", "reported_percent"))
    {0: 'measure_no', 1: 'narrative', 2: 'reported_percent'}
    >>> preparsed_columns(("№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь")) is None
    True
    """
    names = [_name(cell) for cell in cells]
    if "narrative" not in names and "биелэлт" not in names:
        return None
    form_roles = header_roles([name if name not in PREPARSED_COLUMNS else "" for name in names]) or {}
    if "narrative" not in names and set(form_roles.values()) - {"narrative"}:
        return None
    columns: dict[int, str] = {}
    for index, name in enumerate(names):
        name = _NARRATIVE_NAMES.get(name, name)
        if name in PREPARSED_COLUMNS and name not in columns.values():
            columns[index] = name
    return columns


def ignored_columns(cells: tuple[str, ...], columns: dict[int, str]) -> list[str]:
    """Header cells naming a column that an earlier cell already names (only the first is read).

    >>> ignored_columns(("narrative", "Биелэлт", "narrative"), {0: "narrative"})
    ['Биелэлт', 'narrative']
    """
    return [
        normalize(cell)
        for index, cell in enumerate(cells)
        if index not in columns and _NARRATIVE_NAMES.get(_name(cell), _name(cell)) in columns.values()
    ]


def _repeats_header(cells: tuple[str, ...], columns: dict[int, str]) -> bool:
    short = [cell for cell in cells if len(cell) <= 100]  # a header cell is a short name: skip long cells unread
    return any(_name(cell) in _NARRATIVE_NAMES for cell in short) and preparsed_columns(cells) == columns


def _number_text(cell: str) -> str:
    """``"6.0"`` (a number stored by a spreadsheet) → ``"6"``; other text unchanged."""
    text = normalize(cell)
    match = _FLOAT_ZERO.match(text)
    return match.group(1) if match else text


def _year(cell: str, row: Row) -> int | None:
    text = _number_text(cell)
    if not text:
        return None
    if re.fullmatch(r"(19|20)\d{2}", text):
        return int(text)
    row.warnings.append(bilingual(f"он «{snippet(text)}» буруу", f"year '{snippet(text)}' is not a year"))
    return None


def preparsed_rows(rows: list[RawRow], columns: dict[int, str]) -> list[Row]:
    """Read the data rows of a pre-parsed table.

    Parameters
    ----------
    rows : list of RawRow
        The rows after the header; empty rows are skipped.
    columns : dict
        The header mapping from :func:`preparsed_columns`.

    Returns
    -------
    list of Row
        Text normalised (the raw narrative and percent kept); ``measure_no`` is
        read from the measure text when its column is missing or empty.
    """
    out: list[Row] = []
    for raw in rows:
        if _repeats_header(raw.cells, columns):  # the header again (a table pasted twice): not a row
            continue
        values = {name: raw.cells[index] if index < len(raw.cells) else "" for index, name in columns.items()}
        if not any(normalize(value) for value in values.values()):
            continue
        row = Row(location=raw.location)
        for name in ("report_id", "org", "objective", "target", "narrative"):
            setattr(row, name, normalize(values.get(name, "")))
        for name in ("objective_no", "target_no", "measure_no"):
            setattr(row, name, _number_text(values.get(name, "")))
        row.narrative_raw = values.get("narrative", "").strip()
        numbers, text = split_numbered(normalize(values.get("measure", "")))
        row.measure = text
        if not row.measure_no:
            row.measure_no = "; ".join(numbers)
        row.report_id = row.report_id or None
        row.org = row.org or None
        row.year = _year(values.get("year", ""), row)
        set_percent(row, values.get("reported_percent", ""))
        out.append(row)
    return out
