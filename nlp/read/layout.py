"""What one physical table row is: header, heading, separator, numbering, data.

All functions here take cells already passed through :func:`nlp.text.normalize`
and look at one row at a time; carrying state from row to row is the job of
:mod:`nlp.read.assemble`.
"""

from __future__ import annotations

import math
import re

from .percent import parse_percent

__all__ = [
    "ROLES",
    "header_roles",
    "objective_heading",
    "is_separator",
    "is_column_numbers",
    "parse_number_cell",
    "split_numbered",
    "starts_lower",
    "is_closed",
    "find_year",
]

#: Column roles of a report table, in the order of the usual template.
ROLES = ("no", "target", "measure", "narrative", "percent")

# Header keywords by role, tried in this order: "Биелэлтийн хувь" is a percent column,
# "Хэрэгжүүлэх арга хэмжээ" a measure column.
_ROLE_KEYWORDS = (
    ("percent", ("хувь", "%", "percent")),
    # "Хүрсэн үр дүн" (result reached) is a narrative; "Хүрэх үр дүн" (result to reach) is not.
    ("narrative", ("биелэлт", "хэрэгжилт", "гүйцэтгэл", "хүрсэн үр дүн", "гарсан үр дүн", "хийгдсэн ажил",
                   "хийсэн ажил", "narrative")),
    ("measure", ("арга хэмжээ", "төлөвлөсөн ажил", "ажлын нэр", "measure")),
    ("target", ("зорилт", "зорилго", "target", "objective")),
)
_NO_LABELS = frozenset({"№", "д/д", "д.д", "дд", "№ д/д", "no", "no.", "#", "n"})
# Header cells are short labels; a longer cell means a data row that mentions a keyword.
_HEADER_CELL_MAX = 60
# Nor does a header cell hold an item number ("5.3", "5.3.3.Орон нутгийн өмч хувьчлал…") or a value
# ("100", "70%"): such a row is data even when a word in it ("хувьчлал", "Зорилт 5.3") looks like a label.
_DATA_CELL = re.compile(r"^\d{1,2}(?:\s?\.\s?\d{1,2})+|^\d{1,3}(?:[.,]\d+)?\s*%?$")

_HEADING = re.compile(
    r"^(?:зорилт|objective)\s*[-№#]?\s*(\d{1,2})(?!\d|\.\d)\s*[.:)-]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SEPARATOR = re.compile(r"^[-–—=_*\s]+$")
_NUMBER_CELL = re.compile(r"^(\d{1,2}(?:\s?\.\s?\d{1,2})*)\s?[.)]?$")
# A leading item number: "1.1.2.", "2.3.2,", "4.1 .", or a single "3." / "3)".
_LEADING = re.compile(r"^(\d{1,2}(?:\s?\.\d{1,2})+)\s?[.,:;)]?\s*|^(\d{1,2})\s?[.)]\s*(?=\D)")
# A further item number inside the cell: after a space, before punctuation and a capital.
_INNER = re.compile(r"(?<=\s)(\d{1,2}(?:\.\d{1,2})+)\s?[.,:;)]+\s*(?=[A-ZА-ЯЁӨҮ])")
_CLOSED = re.compile(r"[.!?…][\"'”»)\]]*$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:оны|онд|он)(?![а-яөүё])", re.IGNORECASE)
# "тайлан" (report) right after the year, at most three words later: "2024 ОНЫ ТАЙЛАН".
_REPORT_AFTER = re.compile(r"\s*(?:[^\s\d]+\s+){0,3}тайлан", re.IGNORECASE)


def _is_data_cell(cell: str) -> bool:
    """An item number, a № cell ("6.") or a percent value ("100 хувь", "90-100"): never a label."""
    return bool(_DATA_CELL.match(cell) or _NUMBER_CELL.match(cell)) or not math.isnan(parse_percent(cell).value)


def _role_of(cell: str) -> str | None:
    low = cell.lower()
    if low in _NO_LABELS:
        return "no"
    for role, words in _ROLE_KEYWORDS:
        if any(word in low for word in words):
            return role
    return None


def header_roles(cells: list[str]) -> dict[int, str] | None:
    """Recognise a header row and give each labelled column its role.

    Parameters
    ----------
    cells : list of str
        Normalised cells of one row.

    Returns
    -------
    dict or None
        Column index → role (one of :data:`ROLES`), or ``None`` when the row is
        not a header. A header has at least two short labelled cells, no long
        cell and no cell that holds an item number or a value. The first column
        with a role keeps it.

    Examples
    --------
    >>> header_roles(["№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь"])
    {0: 'no', 1: 'target', 2: 'measure', 3: 'narrative', 4: 'percent'}
    """
    roles: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if not cell:
            continue
        if len(cell) > _HEADER_CELL_MAX or _is_data_cell(cell):
            return None
        role = _role_of(cell)
        if role is not None and role not in roles.values():
            roles[index] = role
    return roles if len(roles) >= 2 else None


def objective_heading(cells: list[str]) -> tuple[str, str] | None:
    """Recognise an objective heading row such as ``Зорилт 3. Төсөв, санхүү ...``.

    Parameters
    ----------
    cells : list of str
        Normalised cells of one row.

    Returns
    -------
    tuple of (str, str) or None
        The objective number and the heading text after it, when every non-empty
        cell holds the same heading text (one cell, or a merged cell repeated).
    """
    filled = {cell for cell in cells if cell}
    if len(filled) != 1:
        return None
    match = _HEADING.match(filled.pop())
    if match is None:
        return None
    return match.group(1), match.group(2).strip()


def is_separator(cells: list[str]) -> bool:
    """True for a row made only of dashes, such as ``-- | -- | ---``."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(_SEPARATOR.match(cell) for cell in filled)


def is_column_numbers(cells: list[str]) -> bool:
    """True for the column-number row under a header: ``1 | 2 | 3 | 4 | 5``."""
    filled = [cell.rstrip(".") for cell in cells if cell]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def parse_number_cell(cell: str) -> str | None:
    """Read a № cell: ``"6."`` → ``"6"``, ``"1.1"`` → ``"1.1"``; ``None`` when not a number."""
    match = _NUMBER_CELL.match(cell)
    if match is None:
        return None
    return re.sub(r"\s", "", match.group(1))


def split_numbered(cell: str) -> tuple[list[str], str]:
    """Split the item numbers off a target or measure cell.

    Parameters
    ----------
    cell : str
        A normalised cell such as ``"2.3.1. Төрийн ... 2.3.2,Орон ..."``.

    Returns
    -------
    numbers : list of str
        The leading number, then any further number of the same parent that
        opens a new sentence inside the cell (several measures in one cell).
        Empty when the cell does not start with a number.
    text : str
        The cell without its leading number.

    Examples
    --------
    >>> split_numbered("4.1.1 . Худалдан авах")
    (['4.1.1'], 'Худалдан авах')
    """
    match = _LEADING.match(cell)
    if match is None:
        return [], cell
    first = re.sub(r"\s", "", match.group(1) or match.group(2))
    text = cell[match.end():].strip()
    numbers = [first]
    if "." in first:
        parent = first.rsplit(".", 1)[0] + "."
        for inner in _INNER.finditer(text):
            number = inner.group(1)
            if number.startswith(parent) and number.count(".") == first.count(".") and number not in numbers:
                numbers.append(number)
    return numbers, text


def starts_lower(text: str) -> bool:
    """True when ``text`` starts with a lower-case letter (a cell cut by a page break)."""
    return bool(text) and text[0].isalpha() and text[0].islower()


def is_closed(text: str) -> bool:
    """True when ``text`` ends with closing punctuation (``.``, ``!``, ``?``, ``…``)."""
    return bool(_CLOSED.search(text))


def find_year(lines: list[str]) -> int | None:
    """Find the report year in the title lines (``... 2024 ОНЫ ТАЙЛАН``).

    Parameters
    ----------
    lines : list of str
        Normalised text found before the first table header.

    Returns
    -------
    int or None
        The one year written as ``NNNN он/оны/онд``; when several differ, the
        one followed by ``тайлан`` on its line; otherwise ``None``.
    """
    found: list[tuple[int, bool]] = []
    for line in lines:
        for match in _YEAR.finditer(line):
            before_report = _REPORT_AFTER.match(line, match.end()) is not None
            found.append((int(match.group(1)), before_report))
    years = {year for year, _ in found}
    if len(years) == 1:
        return years.pop()
    titled = {year for year, report in found if report}
    return titled.pop() if len(titled) == 1 else None
