"""The synthetic year of benchmarks/bench_year.py: what its options promise about the rows it writes."""

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
