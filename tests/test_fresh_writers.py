"""benchmarks/fresh_writers.py: the «Fresh writers» figures, scored as ``biyelelt evaluate`` scores."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from _models import MEASURE, TINY, tiny_frame

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
fresh_writers = pytest.importorskip("fresh_writers")

from nlp import score  # noqa: E402
from nlp.learn.train import train  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return train(tiny_frame(copies=3), encoder_spec=None, all_rows=True)


def _write(path: Path, org: str, rows) -> Path:
    pd.DataFrame([{"org_id": f"{org}{i % 2}", "org_type": "soum_governor", "year": "2025", "objective_no": "1",
                   "measure_no": f"1.{i + 1}", "measure": MEASURE, "narrative": text, "reported_percent": pct,
                   "status": status, "score": "", "split": "train"}
                  for i, (text, status, pct) in enumerate(rows)]).to_csv(path, index=False)
    return path


def test_one_line_per_file_then_pooled_as_evaluate_scores(model, tmp_path):
    a = _write(tmp_path / "w90_a.csv", "a", TINY[::2])
    b = _write(tmp_path / "w91_b.csv", "b", [(t + " 2025 онд.", s, p) for t, s, p in TINY[1::2]])
    table = fresh_writers.fresh_table(model, [a, b])
    assert list(table["file"]) == ["w90_a.csv", "w91_b.csv", "pooled"]
    assert list(table["n"]) == [12, 12, 24]
    assert (table["routed_share"] == 0).all()  # no cascade in this model
    # The pooled macro-F1 is that of the statuses nlp.score gives every row of both files.
    rows = pd.concat([pd.read_csv(a, dtype=str, keep_default_na=False),
                      pd.read_csv(b, dtype=str, keep_default_na=False)], ignore_index=True)
    scored = score(rows, model)
    present = sorted(set(rows["status"]))
    want = f1_score(rows["status"], scored["status"], labels=present, average="macro", zero_division=0)
    assert table["macro_f1"].iat[-1] == pytest.approx(want)
    listed = fresh_writers.false_true_rows(model, [a, b])
    assert int(table["false_true"].iat[-1]) == len(listed) == int(table["false_true"].iloc[:2].sum())


def test_false_true_rows_are_flagged_rows_that_deserve_no_flag(model, tmp_path):
    # Concrete done rows at 100 and blank not_applicable rows deserve no flag; one boilerplate narrative the
    # model learned as no_evidence is labelled done here, so a `true` on it is a false accusation to list.
    rows = [r for r in TINY if r[1] == "done"] + [(t, s, "") for t, s, _ in TINY if s == "not_applicable"]
    rows.append(("Анхааран ажиллаж байна.", "done", "100"))
    f = _write(tmp_path / "w92_c.csv", "c", rows)
    listed = fresh_writers.false_true_rows(model, [f])
    scored = score(pd.read_csv(f, dtype=str, keep_default_na=False), model)
    assert len(listed) == int((scored["flag"].astype(str) == "true").sum())
    assert "Анхааран ажиллаж байна." in set(listed["narrative"])
    assert np.isin(listed["status"], ["done", "not_applicable"]).all()
    assert (listed["read_as"] != listed["status"]).all()
