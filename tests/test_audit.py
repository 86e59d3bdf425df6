"""Scores, gaps, flags, reasons and the report ranking."""

import numpy as np
import pandas as pd
import pytest

from nlp.audit import predicted_score, score, summarize_reports
from nlp.model import AuditModel
from nlp.settings import STATUSES, Settings
from nlp.train import fit_pipeline

from _models import HashEncoder, tiny_frame

CLASSES = list(STATUSES)


def _p(**kw):
    row = np.zeros(len(CLASSES))
    for k, v in kw.items():
        row[CLASSES.index(k)] = v
    return row


@pytest.mark.parametrize("proba, expected", [
    (_p(done=1.0), 100.0),
    (_p(partial=1.0), 70.0),
    (_p(blocked_staffing=1.0), 30.0),
    (_p(not_done=1.0), 0.0),
    (_p(no_evidence=1.0), 0.0),
    (_p(done=0.5, not_done=0.5), 50.0),
    (_p(done=0.4, not_applicable=0.2, no_evidence=0.4), 50.0),  # not_applicable mass left out
    (_p(not_applicable=0.6, done=0.4), np.nan),  # top status not_applicable: no score
])
def test_predicted_score_is_probability_weighted_rubric(proba, expected):
    got = predicted_score(proba[None, :], CLASSES, Settings())[0]
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected)


def test_rubric_is_a_setting():
    s = Settings(rubric={**Settings().rubric, "partial": 50.0}, score_temperature=1.0)
    assert predicted_score(_p(partial=1.0)[None, :], CLASSES, s)[0] == pytest.approx(50.0)


@pytest.fixture(scope="module")
def model():
    df = tiny_frame(copies=3)
    return AuditModel(pipeline=fit_pipeline(df, HashEncoder()), encoder_spec=None)


def _rows(items):
    return pd.DataFrame([{"report_id": rid, "source": f"{rid}.csv", "row_id": i + 1, "measure": "Сургалт зохион байгуулах.",
                          "narrative": n, "reported_percent": p} for i, (rid, n, p) in enumerate(items)])


def test_empty_narrative_is_no_evidence_without_the_model(model):
    out = score(_rows([("a", "", 100.0), ("a", "   ", np.nan)]), model, encoder=HashEncoder())
    assert list(out["status"]) == ["no_evidence", "no_evidence"]
    assert list(out["confidence"]) == [1.0, 1.0]
    assert out["flag"].tolist() == [True, False]  # 100 reported against 0; no percent → no flag
    assert "биелэлт бичигдээгүй" in out["reasons"].iat[0]


def test_flag_threshold_and_order_kept(model):
    rows = _rows([("a", "Сургалтыг 3 удаа зохион байгуулж 45 албан хаагч хамрагдсан.", 100.0),
                  ("a", "Анхааран ажиллаж байна.", 100.0),
                  ("a", "Төсөв хүрэлцээгүй тул хийгдээгүй.", 0.0)])
    out = score(rows, model, encoder=HashEncoder())
    assert list(out["row_id"]) == [1, 2, 3]
    assert list(out["status"]) == ["done", "no_evidence", "not_done"]
    assert out["flag"].tolist() == [False, True, False]
    assert np.isclose(out["gap"], out["reported_percent"] - out["predicted_score"], atol=0.11).all()
    strict = score(rows, model, encoder=HashEncoder(), settings=Settings(threshold=101))
    assert not strict["flag"].any()


def test_not_applicable_reported_high_is_flagged_with_its_own_reason(model):
    out = score(_rows([("a", "байхгүй", 100.0), ("a", "байхгүй", np.nan)]), model, encoder=HashEncoder())
    assert list(out["status"]) == ["not_applicable", "not_applicable"]
    assert np.isnan(out["predicted_score"]).all()
    assert out["flag"].tolist() == [True, False]
    assert "хамаарахгүй" in out["reasons"].iat[0]


def test_reports_ranked_by_confidence_weighted_positive_gap():
    scored = pd.DataFrame({
        "report_id": ["a", "a", "b", "b", "c"],
        "source": ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt"],
        "reported_percent": [100, 100, 100, np.nan, np.nan],
        "predicted_score": [100, 40, 0, 0, 10],
        "gap": [0, 60, 100, np.nan, np.nan],
        "confidence": [1.0, 0.5, 0.8, 0.9, 0.9],
        "flag": [False, True, True, False, False],
    })
    rep = summarize_reports(scored)
    assert list(rep["report_id"]) == ["b", "a", "c"]
    assert list(rep["rank"]) == [1, 2, 3]
    a = rep.set_index("report_id").loc["a"]
    assert a["inconsistency"] == pytest.approx((0 * 1.0 + 60 * 0.5) / 1.5)
    assert a["n_flagged"] == 1 and a["share_flagged"] == 0.5
    assert np.isnan(rep.set_index("report_id").loc["c", "inconsistency"])


def test_score_temperature_leans_towards_the_top_status():
    proba = _p(partial=0.6, done=0.4)[None, :]
    plain = predicted_score(proba, CLASSES, Settings(score_temperature=1.0))[0]
    sharp = predicted_score(proba, CLASSES, Settings(score_temperature=0.25))[0]
    assert plain == pytest.approx(82.0)
    assert 70.0 < sharp < plain
    assert sharp == pytest.approx((0.6 ** 4 * 70 + 0.4 ** 4 * 100) / (0.6 ** 4 + 0.4 ** 4))


def test_reported_percent_cells_are_parsed_like_the_reader(model):
    rows = _rows([("a", "Анхааран ажиллаж байна.", "100%"), ("a", "Анхааран ажиллаж байна.", "ХБ"),
                  ("a", "Анхааран ажиллаж байна.", "90-100")])
    out = score(rows, model, encoder=HashEncoder())
    assert out["reported_percent"].tolist()[0] == 100.0 and np.isnan(out["reported_percent"].iat[1])
    assert out["reported_percent"].iat[2] == 90.0
    assert out["reported_raw"].tolist() == ["100%", "ХБ", "90-100"]
    assert out["flag"].tolist() == [True, False, True]
