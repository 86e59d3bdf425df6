"""Table-driven tests of the reported-percent parser."""

from __future__ import annotations

import math

import pytest

from nlp.read.percent import parse_percent

NAN = math.nan

# raw cell, value (NaN for none), warned
CASES = [
    ("100", 100.0, False),
    ("<p>100</p>", 100.0, False),
    ("100%", 100.0, False),
    ("100 %", 100.0, False),
    ("100 хувь", 100.0, False),
    ("100 ХУВЬ", 100.0, False),
    ("85,5", 85.5, False),
    ("85.5", 85.5, False),
    ("0", 0.0, False),
    (" 70 ", 70.0, False),
    ("90-100", 90.0, False),
    ("90 - 100%", 90.0, False),
    ("90–100", 90.0, False),
    ("100-90", 90.0, False),
    ("ХБ", NAN, False),
    ("хб", NAN, False),
    ("-", NAN, False),
    ("", NAN, False),
    ("<p></p>", NAN, False),
    (None, NAN, False),
    (NAN, NAN, False),
    (85, 85.0, False),
    (99.5, 99.5, False),
    ("140", NAN, True),
    ("90-140", NAN, True),
    (140, NAN, True),
    ("-5", NAN, True),
    ("хийгдсэн", NAN, True),
    ("100 хувь хийгдсэн", NAN, True),
    ("1 2", NAN, True),
]


@pytest.mark.parametrize(("raw", "value", "warned"), CASES)
def test_parse_percent(raw, value, warned):
    parsed = parse_percent(raw)
    if math.isnan(value):
        assert math.isnan(parsed.value)
    else:
        assert parsed.value == pytest.approx(value)
    assert (parsed.warning is not None) == warned


def test_warning_is_bilingual_and_quotes_the_cell():
    warning = parse_percent("140").warning
    assert "140" in warning
    mn, en = warning.split(" / ")
    assert "хувь" in mn and "percent" in en
