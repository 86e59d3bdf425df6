"""The workbook writer (nlp.outputs.xlsx): what it writes is what openpyxl, a strict reader, reads back."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from nlp.outputs import xlsx
from nlp.outputs.xlsx import STYLES, Book, clean_text, column_letter


@pytest.mark.parametrize("index, letters", [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"),
                                            (702, "ZZ"), (703, "AAA"), (16384, "XFD")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


@pytest.mark.parametrize("text, expected", [
    ("хяналт\x07 тавьсан", "хяналт тавьсан"),  # a control character XML cannot hold
    ("мөр\nмөр\tтаб", "мөр\nмөр\tтаб"),  # newline and tab stay
    ("a\ud800b", "ab"),  # a lone surrogate (cannot be encoded)
    ("x" * 40_000, "x" * 32_766 + "…"),  # Excel's cell limit
])
def test_clean_text(text, expected):
    assert clean_text(text) == expected


VALUES = [
    ("Монгол текст", "Монгол текст", "s"),
    ('=HYPERLINK("http://example.com","x")', '=HYPERLINK("http://example.com","x")', "s"),  # stays text
    ("#N/A", "#N/A", "s"),  # not an error value
    ("  spaces kept  ", "  spaces kept  ", "s"),
    ("<b>&amp;</b> 'q' \"d\"", "<b>&amp;</b> 'q' \"d\"", "s"),
    (42, 42, "n"),
    (np.int64(-7), -7, "n"),
    (0.1 + 0.2, 0.1 + 0.2, "n"),  # the float exactly
    (np.float32(2.5), 2.5, "n"),
    (True, True, "b"),
    (np.bool_(False), False, "b"),
    (None, None, None),
    (float("nan"), None, None),
    (pd.NA, None, None),
    (float("inf"), None, None),
    (pd.Timestamp("2024-03-05"), "2024-03-05 00:00:00", "s"),  # anything else: its text
]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory):
    book = Book()
    ws = book.sheet("Хүснэгт 'A'")
    ws.widths([10, 30])
    ws.freeze("A3")
    ws.row(["толгой", "head"], STYLES["head"])
    ws.row(["code", "code"], STYLES["code"])
    ws.rows([[v for v, _, _ in VALUES], [str(i) for i in range(len(VALUES))]], [STYLES["plain"], STYLES["wrap"]])
    ws.row([])
    ws.row([0.25, 0.5], [STYLES["percent1"], STYLES["percent0"]])
    ws.auto_filter(f"A2:B{2 + len(VALUES)}")
    ws.color_scale("A3:A10", [("num", 0, "FFFFFF"), ("num", 30, "FFEB84"), ("num", 100, "F8696B")])
    ws.fill_where("A3:B10", '$B3="1"', "flag")
    other = book.sheet("Other")
    other.row(["link"], [STYLES["link"]])
    other.link("A1", "'Хүснэгт ''A'''!A1", "back")
    return book.save(tmp_path_factory.mktemp("xlsx") / "t.xlsx")


def test_values_come_back_with_their_types(book_path):
    ws = load_workbook(book_path)["Хүснэгт 'A'"]
    for row, (_, expected, kind) in enumerate(VALUES, start=3):
        cell = ws.cell(row=row, column=1)
        if isinstance(expected, float):
            assert math.isclose(cell.value, expected, rel_tol=0, abs_tol=0) and cell.data_type == kind
        else:
            assert cell.value == expected, row
            if kind:
                assert cell.data_type == kind, row
    assert [ws.cell(row=r, column=2).value for r in range(3, 3 + len(VALUES))] == [str(i) for i in range(len(VALUES))]
    assert ws.cell(row=3 + len(VALUES), column=1).value is None  # the blank row
    last = ws.cell(row=4 + len(VALUES), column=1)
    assert last.value == 0.25 and last.number_format == "0.0%"
    assert ws.cell(row=4 + len(VALUES), column=2).number_format == "0%"


def test_layout_comes_back(book_path):
    book = load_workbook(book_path)
    ws = book["Хүснэгт 'A'"]
    assert book.sheetnames == ["Хүснэгт 'A'", "Other"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:B{2 + len(VALUES)}"
    assert ws.column_dimensions["A"].width == 10 and ws.column_dimensions["B"].width == 30
    assert ws["A1"].font.b and ws["A1"].alignment.wrap_text and ws["A2"].font.i
    assert ws["B3"].alignment.wrap_text and not ws["A3"].alignment.wrap_text
    rules = {str(cf.sqref): [(r.type, r.formula) for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules["A3:A10"] == [("colorScale", [])]
    assert rules["A3:B10"] == [("expression", ['$B3="1"'])]
    link = book["Other"]["A1"]
    assert link.hyperlink.location == "'Хүснэгт ''A'''!A1" and link.font.u == "single"


def test_same_calls_give_the_same_bytes(tmp_path):
    def write(path):
        book = Book()
        ws = book.sheet("S")
        ws.rows([["б", "а", "б"], [1, 2.5, None]], [0, 0])
        return book.save(path).read_bytes()

    assert write(tmp_path / "a.xlsx") == write(tmp_path / "b.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        sst = archive.read("xl/sharedStrings.xml").decode()
    assert sst.count("<si>") == 2  # each text once


@pytest.mark.parametrize("name", ["", "a/b", "x" * 32, "q[1]", "a:b"])
def test_names_excel_refuses_are_refused(name):
    with pytest.raises(ValueError):
        Book().sheet(name)


def test_a_name_twice_is_refused():
    book = Book()
    book.sheet("Rows")
    with pytest.raises(ValueError, match="twice"):
        book.sheet("rows")


def test_a_sheet_never_passes_excels_row_limit(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 5)
    ws = Book().sheet("S")
    ws.rows([[1, 2, 3, 4]], [0])
    with pytest.raises(ValueError, match="rows"):
        ws.rows([[5, 6]], [0])
