"""The columns of a rows table, shared by the reader and the pre-parsed input."""

from __future__ import annotations

__all__ = ["ROW_COLUMNS", "DTYPES", "PREPARSED_COLUMNS", "WARNING_SEPARATOR"]

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
