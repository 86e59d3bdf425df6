"""The synthetic year of benchmarks/bench_year.py: what its options promise about the rows it writes."""

import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
bench_year = pytest.importorskip("bench_year")

from nlp.read import read_paths  # noqa: E402


def _pairs(df) -> set:
    return {(bench_year._one_line(m), bench_year._one_line(n)) for m, n in zip(df["measure"], df["narrative"])}


@pytest.mark.parametrize("measures, own_pairs", [("own", True), ("programme", False)])
def test_measures_own_keeps_each_narrative_with_its_measure(tmp_path, measures, own_pairs):
    year, written = bench_year.build_year(tmp_path, 4, seed=3, verbatim=True, narratives="probe", measures=measures)
    rows = read_paths([str(year)]).rows
    assert len(rows) == written  # every format of the year (docx, xlsx, csv, txt) reads back whole
    probe = _pairs(bench_year._labelled("probe"))
    read = _pairs(rows)
    if own_pairs:
        assert read <= probe
    else:  # narratives drawn apart from the programme's measures: most pairs are not the written ones
        assert len(read & probe) < len(read) / 2
        assert rows["measure"].nunique() <= 150


def test_measures_own_numbers_each_measure_once(tmp_path):
    year, _ = bench_year.build_year(tmp_path, 4, seed=5, narratives="probe", measures="own")
    rows = read_paths([str(year)]).rows
    numbered = rows.groupby("measure")["measure_no"].nunique()
    assert (numbered == 1).all()
    assert rows.groupby("measure_no")["measure"].nunique().max() == 1


@pytest.mark.parametrize("text, years", [
    ("2024 оны 3 дугаар сарын 14-нд 34 албан хаагч", 1),
    ("А/08 тушаал, 2023.01.20, 2025 он", 2),
    ("нийт 4521 төгрөг, 87/87", 0),
])
def test_redraw_digits_keeps_years_plausible_and_lengths(text, years):
    out = bench_year._redraw_digits(text, random.Random(7))
    before, after = re.findall(r"\d+", text), re.findall(r"\d+", out)
    assert [len(r) for r in before] == [len(r) for r in after]  # as many digits in each run
    assert re.sub(r"\d+", "#", out) == re.sub(r"\d+", "#", text)  # only the digits change
    kept = [a for b, a in zip(before, after) if len(b) == 4 and 1990 <= int(b) <= 2039]
    assert len(kept) == years and all(2019 <= int(a) <= 2025 for a in kept)
    others = [a for b, a in zip(before, after) if not (len(b) == 4 and 1990 <= int(b) <= 2039)]
    assert all(not a.startswith("0") for a in others)
