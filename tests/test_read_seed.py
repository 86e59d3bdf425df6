"""The bundled seed report: every row-assembly case of the issue occurs in it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from fixtures import SEED
from nlp.read import ROW_COLUMNS, read_file

# The measure cells of the seed in document order, as the issue lists them.
EXPECTED_MEASURES = [
    "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "1.3.1", "1.3.2",
    "2.1.1", "2.3.1; 2.3.2; 2.3.3",
    "3.1.1", "3.1.2", "3.2.1", "3.2.2", "3.2.3",
    "6.1.1", "6.1.2", "6.1.3", "6.1.4",
    "7.1.1", "7.1.2",
    "4.1.1", "4.1.2", "4.1.3",
    "5.1.1",
]


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return read_file(SEED)


def row(rows: pd.DataFrame, measure_no: str) -> pd.Series:
    match = rows[rows["measure_no"] == measure_no]
    assert len(match) == 1, measure_no
    return match.iloc[0]


def test_one_row_per_measure_cell_in_document_order(rows):
    assert list(rows["measure_no"]) == EXPECTED_MEASURES
    assert list(rows["row_id"]) == list(range(1, len(EXPECTED_MEASURES) + 1))


def test_schema_and_file_fields(rows):
    assert tuple(rows.columns) == ROW_COLUMNS
    assert set(rows["report_id"]) == {SEED.stem}
    assert set(rows["source"]) == {str(SEED)}
    assert set(rows["year"]) == {2024}
    assert set(rows["org"]) == {""}
    assert rows["reported_percent"].dtype == "float64"
    assert rows.iloc[0]["location"] == f"{SEED.name}:line 12"


def test_report_id_argument_replaces_the_stem():
    assert set(read_file(SEED, report_id="tarialan-2024")["report_id"]) == {"tarialan-2024"}


def test_several_measures_in_one_cell_stay_one_row(rows):
    r = row(rows, "2.3.1; 2.3.2; 2.3.3")
    assert r["reported_percent"] == 70
    assert r["target_no"] == "2.3"
    assert "2.3.2" in r["measure"] and "2.3.3" in r["measure"]


def test_empty_narrative_keeps_its_percent(rows):
    r = row(rows, "3.1.2")
    assert r["narrative"] == ""
    assert r["reported_percent"] == 100


def test_no_percent_is_nan_without_warning(rows):
    r = row(rows, "3.2.3")
    assert r["narrative"] == "байхгүй"
    assert math.isnan(r["reported_percent"])
    assert r["reported_raw"] == ""
    assert r["warnings"] == ""


def test_digit_typed_for_letter(rows):
    r = row(rows, "5.1.1")
    assert r["measure"].startswith("Зах зээлийн")
    assert r["target_no"] == "5.1"
    assert r["target"].startswith("Зах зээлийн")


def test_numbering_variants(rows):
    assert row(rows, "4.1.1")["target_no"] == "4.1"  # "4.1 ." and "4.1.1 ."
    assert row(rows, "1.1.2")["measure"].startswith("Төрийн албаны салбар зөвлөлийн")


def test_objectives_carried_down_in_document_order(rows):
    firsts = list(dict.fromkeys(rows["objective_no"]))
    assert firsts == ["1", "2", "3", "6", "7", "4", "5"]
    for measure_no, objective_no in zip(rows["measure_no"], rows["objective_no"]):
        assert measure_no.startswith(objective_no + ".")
    assert row(rows, "1.3.2")["objective"].startswith("Шударга, хариуцлагатай")


def test_objective_opened_by_number_cell(rows):
    six = rows[rows["measure_no"].str.startswith("6.")]
    assert len(six) == 4
    assert set(six["objective_no"]) == {"6"}
    assert set(six["objective"]) == {""}  # no heading for objective 6 in the seed
    seven = rows[rows["objective_no"] == "7"]
    assert seven["objective"].iloc[0].startswith("Шударга ёсны үзэл санааг")


def test_merged_cells_inherit_target(rows):
    assert list(rows.loc[rows["target_no"] == "1.1", "measure_no"]) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    assert row(rows, "1.1.4")["target"] == row(rows, "1.1.1")["target"]


def test_narrative_cut_by_page_break_is_joined_with_its_percent(rows):
    first, second = row(rows, "3.2.1"), row(rows, "3.2.2")
    assert "иргэд олон нийтийн саналыг тусган" in first["narrative"]
    assert first["reported_percent"] == 100
    assert first["reported_raw"] == "<p>100</p>"
    assert "line 36" in first["warnings"] and "100" in first["warnings"]
    assert second["narrative"] == ""
    assert math.isnan(second["reported_percent"])
    assert second["measure"].startswith("Орон нутгийн төсвийн төсөлд санал авах")


def test_target_cut_by_page_break_is_joined(rows):
    joined = row(rows, "3.2.2")["target"]
    assert joined.startswith("Төсөв, санхүү, аудитын")
    assert "аудитын дүгнэлтийн дагуу" in joined
    assert row(rows, "3.2.1")["target"] == joined == row(rows, "3.2.3")["target"]
    assert "3.2" in row(rows, "3.2.2")["warnings"]


def test_lower_case_narrative_after_empty_one_is_not_joined(rows):
    assert row(rows, "4.1.2")["narrative"] == ""
    assert row(rows, "4.1.2")["reported_percent"] == 100
    assert row(rows, "4.1.3")["narrative"].startswith("тендер шалгаруулалт")
    assert row(rows, "4.1.3")["warnings"] == ""


def test_only_the_page_break_rows_warn(rows):
    assert list(rows.loc[rows["warnings"] != "", "measure_no"]) == ["3.2.1", "3.2.2"]


def test_orphan_fragment_is_a_file_warning_not_a_row(rows):
    warnings = rows.attrs["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{SEED.name}:line 56:")
    assert "жиллагаанд иргэд" in warnings[0]
    assert not rows["narrative"].str.contains("жиллагаанд иргэд, олон нийтийн хяналт").any()
    assert not rows["measure"].str.contains("жиллагаанд иргэд, олон нийтийн хяналт").any()


def test_raw_text_kept_beside_normalised(rows):
    r = row(rows, "1.1.1")
    assert r["narrative_raw"].startswith("<p>Төрийн захиргааны")
    assert not r["narrative"].startswith("<")
    assert row(rows, "1.1.3")["reported_raw"] == "<p>100</p>"


def test_reading_is_deterministic(rows):
    pd.testing.assert_frame_equal(read_file(SEED), rows)
