"""Every input format gives the rows the text dump gives; pre-parsed tables; output files."""

from __future__ import annotations

import csv
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from fixtures import SEED, build_docx, build_html, build_pdf, build_xlsx, read_table, seed_layout
from nlp.read import ROW_COLUMNS, read_file, read_paths, write_table
from nlp.text import normalize

COMPARED = [
    "row_id", "year", "org", "objective_no", "objective", "target_no", "target",
    "measure_no", "measure", "narrative", "reported_percent",
]


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns that must not depend on the format; raw text compared normalised."""
    out = frame[COMPARED].copy()
    out["narrative_raw"] = frame["narrative_raw"].map(normalize)
    out["reported_raw"] = frame["reported_raw"].map(normalize)
    out["warned"] = frame["warnings"] != ""
    return out.reset_index(drop=True)


@pytest.fixture(scope="module")
def seed_rows() -> pd.DataFrame:
    return read_file(SEED)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    return build_docx(tmp_path_factory.mktemp("docx") / "seed.docx", seed_layout())


def test_docx_fixture_has_merged_cells_several_tables_and_a_page_break(seed_docx):
    with zipfile.ZipFile(seed_docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") >= 3
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    assert 'w:type="page"' in xml


def test_docx_gives_the_rows_of_the_text_dump(seed_docx, seed_rows):
    rows = read_file(seed_docx)
    pd.testing.assert_frame_equal(comparable(rows), comparable(seed_rows))
    assert len(rows.attrs["warnings"]) == len(seed_rows.attrs["warnings"]) == 1
    assert rows["location"].iloc[0] == "table 1, row 4"  # header, column numbers, heading
    assert set(rows["report_id"]) == {"seed"}


def test_docx_split_table_joins_across_tables(seed_docx):
    rows = read_file(seed_docx)
    joined = rows[rows["measure_no"] == "3.2.1"].iloc[0]
    assert "иргэд олон нийтийн саналыг" in joined["narrative"]
    # The continuation row opens the table after the page break.
    assert "row 2" in joined["warnings"]


def test_xlsx_gives_the_rows_of_the_text_dump(tmp_path, seed_rows):
    path = build_xlsx(tmp_path / "seed.xlsx", seed_layout(page_break_line=None))
    from openpyxl import load_workbook

    assert len(load_workbook(path).active.merged_cells.ranges) > 10
    rows = read_file(path)
    pd.testing.assert_frame_equal(comparable(rows), comparable(seed_rows))
    assert rows["location"].iloc[0].startswith("sheet Тайлан, row ")


def test_html_gives_the_rows_of_the_text_dump(tmp_path, seed_rows):
    page = build_html(seed_layout())
    assert "rowspan" in page and "colspan" in page
    path = tmp_path / "seed.html"
    path.write_text(page, encoding="utf-8")
    pd.testing.assert_frame_equal(comparable(read_file(path)), comparable(seed_rows))


def test_txt_holding_an_html_table_is_read_as_html(tmp_path, seed_rows):
    path = tmp_path / "seed.txt"
    path.write_text(build_html(seed_layout()), encoding="utf-8")
    rows = read_file(path)
    assert list(rows["measure_no"]) == list(seed_rows["measure_no"])
    assert rows["location"].iloc[0].startswith("table ")


def test_text_dump_with_an_inline_html_table_in_a_narrative_stays_a_text_dump(tmp_path, seed_rows):
    text = SEED.read_text(encoding="utf-8")
    first = seed_rows.iloc[0]
    line = int(first["location"].rsplit(" ", 1)[1])
    lines = text.split("\n")
    cells = lines[line - 1].split("\t")
    cells[3] += "<table><tr><td>Сургалт</td><td>2</td></tr></table>"
    lines[line - 1] = "\t".join(cells)
    path = tmp_path / "inline.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    rows = read_file(path)
    assert list(rows["measure_no"]) == list(seed_rows["measure_no"])
    assert rows["location"].iloc[0] == f"inline.txt:line {line}"
    assert rows["narrative"].iloc[0].startswith(first["narrative"])
    assert "<table>" not in rows["narrative"].iloc[0]


def test_legacy_cyrillic_code_page_is_decoded(tmp_path, seed_rows):
    path = tmp_path / "cp1251.txt"
    text = SEED.read_text(encoding="utf-8")
    # cp1251 has no Ө/Ү: legacy fonts typed Є and Ї for them, which normalize() maps back.
    legacy = text.translate(str.maketrans({"Ө": "Є", "ө": "є", "Ү": "Ї", "ү": "ї"}))
    path.write_bytes(legacy.encode("cp1251"))
    pd.testing.assert_frame_equal(
        comparable(read_file(path)).drop(columns=["narrative_raw"]),
        comparable(seed_rows).drop(columns=["narrative_raw"]),
    )


def _write_csv(path: Path, header: list[str], records: list[list[object]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(records)
    return path


def test_csv_with_narrative_column_is_read_as_parsed_rows(tmp_path):
    path = _write_csv(
        tmp_path / "parsed.csv",
        ["report_id", "org", "year", "objective_no", "measure_no", "measure", "Биелэлт", "reported_percent", "note"],
        [
            ["A", "Тариалан сум", "2024", "1", "1.1.10", "Сургалт зохион байгуулах", "<p>Сургалт хийсэн.Мөн</p>", "85,5", "x"],
            ["A", "Тариалан сум", "2024", "1", "1.1.11", "Мэдээлэх", "", "ХБ", "y"],
            ["B", "", "", "6", "", "6.1.1. Хяналт тавих", "Хяналт тавьсан", "140", ""],
            ["", "", "", "", "", "", "", "", ""],
        ],
        delimiter=";",
    )
    rows = read_file(path)
    assert tuple(rows.columns) == ROW_COLUMNS
    assert list(rows["report_id"]) == ["A", "A", "B"]
    assert list(rows["row_id"]) == [1, 2, 1]
    assert list(rows["measure_no"]) == ["1.1.10", "1.1.11", "6.1.1"]
    assert rows["measure"].iloc[2] == "Хяналт тавих"
    assert rows["narrative"].iloc[0] == "Сургалт хийсэн. Мөн"
    assert rows["narrative_raw"].iloc[0] == "<p>Сургалт хийсэн.Мөн</p>"
    assert rows["reported_percent"].iloc[0] == 85.5
    assert math.isnan(rows["reported_percent"].iloc[1]) and rows["warnings"].iloc[1] == ""
    assert math.isnan(rows["reported_percent"].iloc[2]) and "140" in rows["warnings"].iloc[2]
    assert list(rows["year"].astype(object)) == [2024, 2024, pd.NA]
    assert list(rows["org"]) == ["Тариалан сум", "Тариалан сум", ""]
    assert rows["location"].iloc[2] == "parsed.csv:line 4"


def test_csv_report_form_is_assembled_not_taken_as_parsed(tmp_path):
    path = _write_csv(
        tmp_path / "form.csv",
        ["№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь"],
        [
            ["Зорилт 2. Үйлчилгээ", "", "", "", ""],
            ["2.1", "2.1. Цахим үйлчилгээ", "2.1.1. Шилжүүлэх", "Шилжүүлсэн.", "100%"],
            ["", "", "2.1.2. Сургах", "Сургасан.", "90-100"],
        ],
    )
    rows = read_file(path)
    assert list(rows["measure_no"]) == ["2.1.1", "2.1.2"]
    assert list(rows["objective_no"]) == ["2", "2"]
    assert list(rows["target_no"]) == ["2.1", "2.1"]
    assert list(rows["reported_percent"]) == [100.0, 90.0]
    assert rows["reported_raw"].iloc[1] == "90-100"


def test_xlsx_parsed_rows_read_spreadsheet_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Тэмдэглэл"
    notes["A1"] = "Тайлбар: энэ хуудас мөр биш"
    sheet = workbook.create_sheet("rows")
    sheet.append(["objective_no", "measure_no", "narrative", "reported_percent", "year"])
    sheet.append([6, "6.1.1", "Хийсэн.", 0.855, 2024])
    sheet["D2"].number_format = "0.0%"
    sheet.append([7, "7.1.1", "Хийгээгүй.", 40, 2023.0])
    workbook.save(tmp_path / "parsed.xlsx")
    rows = read_file(tmp_path / "parsed.xlsx")
    assert list(rows["objective_no"]) == ["6", "7"]
    assert list(rows["reported_percent"]) == [85.5, 40.0]
    assert list(rows["year"]) == [2024, 2023]
    assert rows["location"].iloc[1] == "sheet rows, row 3"
    assert len(rows.attrs["warnings"]) == 1 and "Тэмдэглэл" in rows.attrs["warnings"][0]


def test_pdf_table_with_text_layer(tmp_path):
    rows_in = [
        ["№", "Зорилт", "Арга хэмжээ", "Биелэлт", "Хувь"],
        ["1", "2", "3", "4", "5"],
        ["Зорилт 1. Шударга алба", "", "", "", ""],
        ["1.1", "1.1. Томилох", "1.1.1. Шалгуураар томилох", "Томилсон.", "100"],
        ["", "", "1.1.2. Ил тод болгох", "Нийтэлсэн.", "90%"],
        ["1.2", "1.2. Сургах", "1.2.1. Сургалт явуулах", "", "ХБ"],
    ]
    path = build_pdf(
        tmp_path / "report.pdf",
        "Тариалан сумын 2024 оны тайлан",
        rows_in,
        widths=[30, 90, 150, 120, 40],
        merge_down={(4, 0), (4, 1)},
        merge_right={(2, 1), (2, 2), (2, 3), (2, 4)},
    )
    rows = read_file(path)
    assert list(rows["measure_no"]) == ["1.1.1", "1.1.2", "1.2.1"]
    assert list(rows["target_no"]) == ["1.1", "1.1", "1.2"]
    assert list(rows["objective_no"]) == ["1", "1", "1"]
    assert rows["measure"].iloc[0] == "Шалгуураар томилох"
    assert rows["reported_percent"].iloc[1] == 90.0
    assert math.isnan(rows["reported_percent"].iloc[2])
    assert set(rows["year"]) == {2024}
    assert rows["location"].iloc[0] == "page 1, table 1, row 4"


def test_folder_is_walked_in_sorted_order(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "c.txt").write_text(text, encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("junk", encoding="utf-8")
    result = read_paths([tmp_path])
    names = [Path(name).relative_to(tmp_path).as_posix() for name in result.files]
    assert names == ["a.txt", "c.txt", "b/z.txt"]
    assert result.failures == []
    assert len(result.rows) == 3 * 26
    assert list(dict.fromkeys(result.rows["report_id"])) == ["a", "c", "z"]
    skipped = [w for w in result.warnings if "notes.json" in w]
    assert len(skipped) == 1 and "unknown extension" in skipped[0]
    assert not any(".hidden" in w for w in result.warnings)
    orphan = [w for w in result.warnings if "line 56" in w]
    assert len(orphan) == 3 and orphan[0].startswith(str(tmp_path / "a.txt"))


def test_same_report_id_in_two_files_is_warned(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "r.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = read_paths([tmp_path / "x", tmp_path / "y", tmp_path / "x" / "r.txt"])
    assert len(result.files) == 2
    assert any("'r'" in w and "also used" in w for w in result.warnings)
    assert any("given twice" in w for w in result.warnings)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_write_table_round_trip(tmp_path, seed_rows, suffix):
    path = write_table(seed_rows, tmp_path / "out" / f"rows{suffix}")
    back = read_table(path)
    assert list(back.columns) == list(ROW_COLUMNS)
    assert list(back["measure_no"]) == list(seed_rows["measure_no"])
    assert list(back["narrative"].fillna("")) == list(seed_rows["narrative"])


def test_write_table_joins_list_warnings_and_keeps_formulas_as_text(tmp_path):
    frame = pd.DataFrame({"measure_no": ["1.1.1"], "narrative": ["=1+1"], "warnings": [["a", "b"]]})
    write_table(frame, tmp_path / "rows.csv")
    assert pd.read_csv(tmp_path / "rows.csv")["warnings"].iloc[0] == "a | b"
    write_table(frame, tmp_path / "rows.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "rows.xlsx").active
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == "a | b"


def test_write_table_refuses_unknown_extension(tmp_path, seed_rows):
    with pytest.raises(ValueError, match="extension"):
        write_table(seed_rows, tmp_path / "rows.json")


HEADER = "№\tЗорилт\tХэрэгжүүлэх арга хэмжээ\tБиелэлт\tХувь"


def dump(tmp_path: Path, *lines: str) -> pd.DataFrame:
    """Read a small text dump made of the header and ``lines``."""
    path = tmp_path / "form.txt"
    path.write_text("\n".join((HEADER,) + lines) + "\n", encoding="utf-8")
    return read_file(path)


def test_measure_number_in_the_number_column(tmp_path):
    rows = dump(tmp_path, "1.1.1\t1.1. Томилох\tШалгуураар томилох\tТомилсон.\t100")
    assert list(rows["measure_no"]) == ["1.1.1"]
    assert rows["warnings"].iloc[0] == ""


def test_running_count_does_not_open_an_objective(tmp_path):
    rows = dump(
        tmp_path,
        "Зорилт 1. Шударга алба\t\t\t\t",
        "3\t1.2. Сургах\t1.2.1. Сургалт явуулах\tЯвуулсан.\t100",
    )
    assert list(rows["objective_no"]) == ["1"]
    assert rows["objective"].iloc[0] == "Шударга алба"


def test_row_cut_across_all_its_cells_is_joined(tmp_path):
    rows = dump(
        tmp_path,
        "1.1\t1.1. Томилох\t1.1.1. Шалгуураар томилох ажлыг\tНийт 3 албан хаагчийг\t",
        "\t\tзохион байгуулах.\tшалгуураар томилсон.\t100",
    )
    assert len(rows) == 1
    assert rows["measure"].iloc[0] == "Шалгуураар томилох ажлыг зохион байгуулах."
    assert rows["narrative"].iloc[0] == "Нийт 3 албан хаагчийг шалгуураар томилсон."
    assert rows["reported_percent"].iloc[0] == 100
    messages = rows["warnings"].iloc[0].split(" | ")
    assert len(messages) == 2 and all("line 3" in message for message in messages)


def test_percent_alone_on_the_next_row_goes_to_the_row_above(tmp_path):
    rows = dump(
        tmp_path,
        "1.1\t1.1. Томилох\t1.1.1. Томилох\tТомилсон.\t",
        "\t\t\t\t80",
    )
    assert list(rows["reported_percent"]) == [80.0]
    assert "line 3" in rows["warnings"].iloc[0]


def test_measure_under_another_target_is_warned(tmp_path):
    rows = dump(tmp_path, "1.1\t1.1. Томилох\t2.1.1. Цахимжуулах\tХийсэн.\t100")
    assert "2.1.1" in rows["warnings"].iloc[0] and "1.1" in rows["warnings"].iloc[0]


def test_a_later_table_without_narrative_is_skipped_with_a_warning(tmp_path):
    rows = dump(
        tmp_path,
        "1.1\t1.1. Томилох\t1.1.1. Томилох\tТомилсон.\t100",
        "№\tЗорилт\tХувь",
        "1.2\t1.2. Сургах\t50",
    )
    assert list(rows["measure_no"]) == ["1.1.1"]
    assert len(rows.attrs["warnings"]) == 1 and "line 3" in rows.attrs["warnings"][0]


def test_header_variants_are_recognised(tmp_path):
    path = tmp_path / "variant.txt"
    path.write_text(
        "д/д\tХэрэгжүүлэх арга хэмжээ\tХэрэгжилтийн явц\tБиелэлтийн хувь\n"
        "1\t1.1.1. Томилох\tТомилсон.\t100 хувь\n",
        encoding="utf-8",
    )
    rows = read_file(path)
    assert list(rows["measure_no"]) == ["1.1.1"]
    assert rows["narrative"].iloc[0] == "Томилсон."
    assert rows["reported_percent"].iloc[0] == 100
    assert rows["target_no"].iloc[0] == "1.1"


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь"],
         {0: "no", 1: "target", 2: "measure", 3: "narrative", 4: "percent"}),
        (["д/д", "Төлөвлөсөн ажил", "Хийгдсэн ажил", "Биелэлтийн хувь"],
         {0: "no", 1: "measure", 2: "narrative", 3: "percent"}),
        (["№", "Ажлын нэр", "Хүрсэн үр дүн", "%"], {0: "no", 1: "measure", 2: "narrative", 3: "percent"}),
        (["№", "Арга хэмжээ", "Хүрэх үр дүн", "Гүйцэтгэл", "Үнэлгээ, хувь"],
         {0: "no", 1: "measure", 3: "narrative", 4: "percent"}),
        (["No.", "Objective", "Measure", "Narrative", "Percent"],
         {0: "no", 1: "target", 2: "measure", 3: "narrative", 4: "percent"}),
        (["1.1", "1.1.1. Томилох", "Томилсон.", "100"], None),
        # a data row whose words look like labels: "Зорилт", "хувьчлал" (privatisation), an empty percent
        (["5.3", "5.3. Зорилт 5.3", "5.3.3.Орон нутгийн өмч хувьчлалыг ил тод явуулах.", "Мэдээлэл нээлттэй.", ""],
         None),
        (["№", "Арга хэмжээ", "2024 оны биелэлт", "Хувь"], {0: "no", 1: "measure", 2: "narrative", 3: "percent"}),
    ],
)
def test_header_roles_table(cells, expected):
    from nlp.read.layout import header_roles

    assert header_roles(cells) == expected


def test_a_data_row_that_mentions_label_words_does_not_open_a_new_table(tmp_path):
    rows = dump(
        tmp_path,
        "5.2\t5.2. Сургах\t5.2.1.Сургалт зохион байгуулах\tСургалтад 40 хүн хамрагдсан.\t100",
        "5.3\t5.3. Зорилт 5.3\t5.3.3.Орон нутгийн өмч хувьчлалыг ил тод явуулах.\tКадастрын мэдээлэл нээлттэй.\t",
        "\t\t5.3.4.Дуудлага худалдаа зарлах\tЗарласан.\t100",
    )
    assert list(rows["measure_no"]) == ["5.2.1", "5.3.3", "5.3.4"]
    assert rows.attrs["warnings"] == []
