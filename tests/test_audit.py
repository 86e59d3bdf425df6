"""Scores, gaps, flags, reasons and the report ranking."""

import numpy as np
import pandas as pd
import pytest

from nlp.judge.audit import FLAG_STATES, flag_states, overstatement, predicted_score, score, summarize_reports
from nlp.judge.model import AuditModel
from nlp.settings import STATUSES, Settings
from nlp.learn.train import fit_pipeline

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
    assert out["flag"].tolist() == ["true", "false"]  # 100 reported against 0 for sure; no percent → no flag
    assert "биелэлт бичигдээгүй" in out["reasons"].iat[0]


def test_flag_threshold_and_order_kept(model):
    rows = _rows([("a", "Сургалтыг 3 удаа зохион байгуулж 45 албан хаагч хамрагдсан.", 100.0),
                  ("a", "Анхааран ажиллаж байна.", 100.0),
                  ("a", "Төсөв хүрэлцээгүй тул хийгдээгүй.", 0.0)])
    out = score(rows, model, encoder=HashEncoder())
    assert list(out["row_id"]) == [1, 2, 3]
    assert list(out["status"]) == ["done", "no_evidence", "not_done"]
    assert out["flag"].tolist()[0] == "false" and out["flag"].tolist()[2] == "false"
    assert out["flag"].iat[1] in ("true", "review")
    assert np.isclose(out["gap"], out["reported_percent"] - out["predicted_score"], atol=0.11).all()
    strict = score(rows, model, encoder=HashEncoder(), settings=Settings(threshold=101, na_flag_min=101))
    assert (strict["flag"] == "false").all()
    # The same row goes from an accusation to "ask an auditor" to nothing as the bar for "true" rises.
    p = out["p_over"].iat[1]
    for high, low, expected in [(p - 0.01, 0.0, "true"), (p + 0.01, p - 0.01, "review"), (p + 0.02, p + 0.01, "false")]:
        got = score(rows, model, encoder=HashEncoder(), settings=Settings(flag_high=high, flag_low=low))
        assert got["flag"].iat[1] == expected
    assert "аудитор шалгана" in score(rows, model, encoder=HashEncoder(),
                                      settings=Settings(flag_high=p + 0.01, flag_low=p - 0.01))["reasons"].iat[1]


def test_not_applicable_reported_high_is_flagged_with_its_own_reason(model):
    out = score(_rows([("a", "байхгүй", 100.0), ("a", "байхгүй", np.nan)]), model, encoder=HashEncoder())
    assert list(out["status"]) == ["not_applicable", "not_applicable"]
    assert np.isnan(out["predicted_score"]).all()
    assert out["flag"].iat[1] == "false"
    confident = score(_rows([("a", "байхгүй", 100.0)]), model, encoder=HashEncoder(),
                      settings=Settings(flag_high=0.5, flag_low=0.3))
    assert confident["flag"].iat[0] == "true"
    assert "хамаарахгүй" in confident["reasons"].iat[0]


def test_reports_ranked_by_confidence_weighted_positive_gap():
    scored = pd.DataFrame({
        "report_id": ["a", "a", "b", "b", "c"],
        "source": ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt"],
        "reported_percent": [100, 100, 100, np.nan, np.nan],
        "predicted_score": [100, 40, 0, 0, 10],
        "gap": [0, 60, 100, np.nan, np.nan],
        "confidence": [1.0, 0.5, 0.8, 0.9, 0.9],
        "flag": ["false", "true", "review", "false", "false"],
    })
    rep = summarize_reports(scored)
    assert list(rep["report_id"]) == ["b", "a", "c"]
    assert list(rep["rank"]) == [1, 2, 3]
    a = rep.set_index("report_id").loc["a"]
    assert a["inconsistency"] == pytest.approx((0 * 1.0 + 60 * 0.5) / 1.5)
    assert a["n_flagged"] == 1 and a["share_flagged"] == 0.5
    assert rep.set_index("report_id").loc["b", "n_flagged"] == 0  # review is not counted as flagged
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
    assert out["flag"].iat[1] == "false"  # ХБ: no percent, nothing to overstate
    assert out["flag"].iat[0] != "false" and out["flag"].iat[2] != "false"


@pytest.mark.parametrize("proba, reported, p_over, expected_gap", [
    (_p(done=1.0), 100.0, 0.0, 0.0),
    (_p(partial=0.5, done=0.5), 100.0, 0.5, 15.0),  # partial at 100: 30 points over, exactly the threshold
    (_p(partial=0.5, done=0.5), 90.0, 0.0, 10.0),  # 20 points over is not overstated, but still a gap
    (_p(no_evidence=0.8, done=0.2), 100.0, 0.8, 80.0),
    (_p(not_applicable=1.0), 100.0, 1.0, np.nan),  # a high percent on a not-applicable row; no score
    (_p(not_applicable=1.0), 50.0, 0.0, np.nan),
    (_p(not_done=1.0), np.nan, 0.0, np.nan),  # nothing reported, nothing overstated
])
def test_overstatement_is_the_probability_of_an_overstated_status(proba, reported, p_over, expected_gap):
    got_p, got_gap = overstatement(proba[None, :], CLASSES, np.array([reported]), Settings())
    assert got_p[0] == pytest.approx(p_over)
    assert (np.isnan(got_gap[0]) and np.isnan(expected_gap)) or got_gap[0] == pytest.approx(expected_gap)


@pytest.mark.parametrize("value, state", [
    (True, "true"), (False, "false"), (np.bool_(True), "true"), ("TRUE", "true"), ("true", "true"),
    ("review", "review"), (" Review ", "review"), ("false", "false"), ("", "false"), (None, "false"),
    (np.nan, "false"), ("1", "true"), ("yes", "true"),
])
def test_flag_states_reads_old_and_new_flag_values(value, state):
    assert flag_states([value]).tolist() == [state]
    assert state in FLAG_STATES


def test_reports_rank_by_expected_overstatement_not_by_point_gap():
    # Report "sure" has one row surely overstated by 30; "unsure" one row that is 60 over with p=0.4.
    scored = pd.DataFrame({
        "report_id": ["sure", "unsure"], "source": ["s", "u"], "reported_percent": [100, 100],
        "predicted_score": [70, 100], "gap": [30, 0], "confidence": [1.0, 0.6], "flag": ["true", "review"],
        "expected_gap": [30.0, 0.4 * 60.0],
    })
    rep = summarize_reports(scored)
    assert list(rep["report_id"]) == ["sure", "unsure"]
    assert rep.set_index("report_id").loc["unsure", "inconsistency"] == pytest.approx(24.0)


def test_probably_not_applicable_rows_hardly_move_their_report():
    # Report "a": a sure 30-point overstatement, and a row that is probably "nothing to do" (p_na 0.9) whose
    # scored remainder would be 100 over. The gold index leaves not_applicable rows out, so the second row
    # counts by 0.1: (30 * 1 + 100 * 0.1) / 1.1, not the plain mean 65 that would rank "a" above "b".
    scored = pd.DataFrame({
        "report_id": ["a", "a", "b"], "reported_percent": [100, 100, 100], "predicted_score": [70, np.nan, 50],
        "gap": [30, np.nan, 50], "confidence": [1.0, 0.9, 1.0], "flag": ["true", "review", "true"],
        "expected_gap": [30.0, 100.0, 50.0], "p_not_applicable": [0.0, 0.9, 0.0],
    })
    rep = summarize_reports(scored).set_index("report_id")
    assert rep.loc["a", "inconsistency"] == pytest.approx((30 + 100 * 0.1) / 1.1, abs=0.01)
    assert rep.loc["b", "rank"] == 1
    # A row surely not applicable (weight 0) leaves the index to the other rows.
    sure_na = scored.assign(p_not_applicable=[0.0, 1.0, 0.0])
    assert summarize_reports(sure_na).set_index("report_id").loc["a", "inconsistency"] == pytest.approx(30.0)


@pytest.mark.parametrize("p_na, weight", [(0.0, 1.0), (0.25, 0.75), (1.0, 0.0), (np.nan, 1.0), (1.2, 0.0)])
def test_applicable_weight(p_na, weight):
    from nlp.judge.audit import applicable_weight
    assert applicable_weight([p_na])[0] == pytest.approx(weight)
