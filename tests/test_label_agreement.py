"""benchmarks/label_agreement.py: blind re-annotations joined to their rows, majorities, agreement."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from nlp.settings import STATUSES

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
agreement = pytest.importorskip("label_agreement")


@pytest.mark.parametrize("labels, expected", [
    (["done", "done", "partial"], "done"),
    (["done", "partial", "no_evidence"], None),       # no status chosen twice
    (["done", "done"], "done"),
    (["done", "partial"], None),                      # a tie
    (["done"], None),                                 # one annotator is no majority
    (["done", "done", "partial", "partial"], None),   # a tie of two pairs
    (["partial", "done", "partial", "no_evidence"], "partial"),
])
def test_majority_needs_two_annotators_and_no_tie(labels, expected):
    assert agreement.majority(labels) == expected


def _labelled():
    return pd.DataFrame({"file": ["/x/a.csv", "/x/a.csv", "/x/b.csv"], "line": [2, 3, 2],
                         "status": ["done", "partial", "no_evidence"]})


def _write(tmp_path, rows):
    pd.DataFrame(rows, columns=["set", "file", "line", "annotator", "status", "reason"]).to_csv(
        tmp_path / "s.csv", index=False)


def test_annotations_join_their_rows_and_agreement_counts_them(tmp_path):
    _write(tmp_path, [("s", "a.csv", 2, "h1", "done", ""), ("s", "a.csv", 3, "h1", "done", ""),
                      ("s", "b.csv", 2, "h1", "no_evidence", ""), ("s", "a.csv", 2, "h2", "done", ""),
                      ("s", "a.csv", 3, "h2", "done", ""), ("s", "b.csv", 2, "h2", "done", "")])
    ann = agreement.load_annotations(tmp_path, _labelled())
    assert list(ann["team"]) == ["done", "partial", "no_evidence", "done", "partial", "no_evidence"]
    table, maj = agreement.agreement_table(ann)
    by = table.set_index("raters")
    assert by.loc["team – h1", "agree"] == pytest.approx(2 / 3)
    assert by.loc["team – h2", "agree"] == pytest.approx(1 / 3)
    assert by.loc["h1 – h2", "agree"] == pytest.approx(2 / 3)
    assert maj[("a.csv", 3)] == "done" and maj[("b.csv", 2)] is None


def test_a_key_that_points_at_no_row_is_an_error_naming_file_and_line(tmp_path):
    _write(tmp_path, [("s", "a.csv", 9, "h1", "done", "")])
    with pytest.raises(ValueError, match=r"a\.csv, line 9"):
        agreement.load_annotations(tmp_path, _labelled())


def test_the_shipped_annotations_point_at_real_rows_with_valid_statuses():
    ann = agreement.load_annotations()
    assert ann["status"].isin(STATUSES).all()
    assert not ann.duplicated(["file", "line", "annotator"]).any()
    # The seed report is covered whole (every non-empty row) by each of its annotators.
    seed = ann[ann["set"] == "seed"]
    assert seed.groupby("annotator")["line"].nunique().eq(21).all()


def test_data_readme_counts_the_annotation_files():
    import re
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    files = sorted((ROOT / "data" / "agreement").glob("*.csv"))
    assert files
    for f in files:
        m = re.search(rf"\| `{re.escape(f.name)}` \| (\d+) \|", text)
        assert m, f"data/README.md does not list {f.name}"
        assert int(m.group(1)) == len(pd.read_csv(f))
