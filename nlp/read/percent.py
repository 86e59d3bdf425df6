"""Parse the reported percent cell of a report row.

Reports write the percent in many ways: ``100``, ``<p>100</p>``, ``100%``,
``100 хувь``, ``85,5``, a range ``90-100`` (its lower bound is kept), or a mark
that says there is no value: ``ХБ`` (хамаарахгүй / not applicable) or ``-``.
Anything else, a value above 100 or words, gives no value and a warning.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import bilingual
from ..text import normalize

__all__ = ["Percent", "parse_percent", "NO_VALUE_MARKS"]

#: Cell texts that say "no value" on purpose; they give NaN and no warning.
NO_VALUE_MARKS = frozenset({"", "-", "--", "—", "–", "хб", "х/б", "х.б", "n/a", "na"})

_NUMBER = r"\d{1,3}(?:[.,]\d+)?"
_SUFFIX = r"\s*(?:%|хувь|хувиар|хувьтай)?"
_SINGLE = re.compile(rf"^({_NUMBER}){_SUFFIX}$", re.IGNORECASE)
_RANGE = re.compile(rf"^({_NUMBER}){_SUFFIX}\s*[-–—]\s*({_NUMBER}){_SUFFIX}$", re.IGNORECASE)


@dataclass(frozen=True)
class Percent:
    """A parsed percent cell.

    Attributes
    ----------
    value : float
        The percent in ``[0, 100]``, or NaN when the cell gives no value.
    warning : str or None
        A bilingual message when the cell holds something that is not a percent.
    """

    value: float
    warning: str | None = None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_percent(raw: object) -> Percent:
    """Parse one reported-percent cell.

    Parameters
    ----------
    raw : object
        The raw cell: text (HTML allowed), a number, ``None`` or NaN.

    Returns
    -------
    Percent
        ``value`` is a float in ``[0, 100]`` or NaN; ``warning`` is set when the
        cell is neither a percent nor a "no value" mark.

    Examples
    --------
    >>> parse_percent("<p>85,5 %</p>").value
    85.5
    >>> parse_percent("90-100").value
    90.0
    >>> parse_percent("ХБ")
    Percent(value=nan, warning=None)
    """
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isnan(raw):
            return Percent(math.nan)
        if isinstance(raw, int) and abs(raw) > 10**9:  # float() of a huge int overflows
            return Percent(math.nan, _invalid(str(raw) if abs(raw) < 10**40 else f"{'-' * (raw < 0)}1e40+"))
        return _checked(float(raw), str(raw))
    text = normalize(raw)
    if text.lower() in NO_VALUE_MARKS:
        return Percent(math.nan)
    match = _SINGLE.match(text)
    if match:
        return _checked(_number(match.group(1)), text)
    match = _RANGE.match(text)
    if match:
        low, high = sorted((_number(match.group(1)), _number(match.group(2))))
        if high > 100:
            return _checked(high, text)
        return Percent(low)
    return Percent(math.nan, _invalid(text))


def _checked(value: float, text: str) -> Percent:
    if 0 <= value <= 100:
        return Percent(value)
    return Percent(math.nan, _invalid(text))


def _invalid(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return bilingual(
        f"хувь «{shown}» 0-100 хооронд тоо биш тул утгагүй гэж үзэв",
        f"percent '{shown}' is not a number from 0 to 100; read as no value",
    )
