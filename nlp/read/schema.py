"""What the reader produces: raw cell rows (:class:`RawRow`) and the columns of a rows table.

Shared by every format reader, the row assembly and the pre-parsed input; imports nothing from :mod:`nlp`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RawRow", "ROW_COLUMNS", "DTYPES", "PREPARSED_COLUMNS", "WARNING_SEPARATOR"]

#: The columns of a rows table, in order (see ``docs/rows-schema.md``).
ROW_COLUMNS = (
    "report_id",
    "source",
    "org",
    "year",
    "row_id",
    "objective_no",
    "objective",
    "target_no",
    "target",
    "measure_no",
    "measure",
    "narrative",
    "narrative_raw",
    "reported_percent",
    "reported_raw",
    "location",
    "warnings",
)
#: Columns that are not text.
DTYPES = {"year": "Int64", "row_id": "int64", "reported_percent": "float64"}
#: Columns a pre-parsed table may give: those of a row that the file, not the reader, states.
PREPARSED_COLUMNS = tuple(
    column
    for column in ROW_COLUMNS
    if column not in {"source", "row_id", "narrative_raw", "reported_raw", "location", "warnings"}
)
#: How a row's warnings are joined into one cell.
WARNING_SEPARATOR = " | "


@dataclass(frozen=True)
class RawRow:
    """One physical row of a submitted file.

    Attributes
    ----------
    cells : tuple of str
        The raw cell texts, left to right; one cell for a paragraph or text line.
    location : str
        Where the row is: ``"report.txt:line 12"``, ``"table 1, row 5"``,
        ``"sheet Sheet1, row 5"``, ``"paragraph 3"``, ``"page 2, table 1, row 4"``.
    table : int or None
        The table (or sheet) the row belongs to, counted from 1; ``None`` for a
        paragraph outside any table.
    """

    cells: tuple[str, ...]
    location: str
    table: int | None = None
