"""The rules of benchmarks/writer_cv.py that choose the shipped model's settings."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
writer_cv = pytest.importorskip("writer_cv")


def _per_writer(f1, precision):
    return pd.DataFrame({"macro_f1": f1, "flag_precision": precision})


@pytest.mark.parametrize("f1_by_margin, precision_by_margin, expected", [
    ({0.05: [0.90, 0.90], 0.1: [0.91, 0.91], 0.2: [0.915, 0.915]}, None, 0.1),        # 0.91 is within 0.005
    ({0.05: [0.90, 0.90], 0.1: [0.905, 0.905], 0.2: [0.92, 0.92]}, None, 0.2),       # 0.905 is not
    ({0.05: [0.90, 0.90]}, None, None),                                               # none is close enough
    ({0.05: [0.915, 0.915], 0.1: [0.915, 0.915]}, {0.05: [0.93, 0.93], 0.1: [0.96, 0.96]}, 0.1),  # precision too
])
def test_choose_margin_takes_the_smallest_margin_close_enough_to_e5(f1_by_margin, precision_by_margin, expected):
    e5 = _per_writer([0.92, 0.91], [0.96, 0.96])
    per = {m: _per_writer(f1, (precision_by_margin or {}).get(m, [0.96, 0.96])) for m, f1 in f1_by_margin.items()}
    assert writer_cv.choose_margin(per, e5) == expected


def test_cascade_replaces_only_the_unsure_rows():
    static = np.array([[0.5, 0.45, 0.05], [0.9, 0.05, 0.05], [0.4, 0.3, 0.3]])
    e5 = np.full((3, 3), 1 / 3)
    out, share = writer_cv.cascade(static, e5, 0.15)
    np.testing.assert_array_equal(out[[0, 2]], e5[[0, 2]])
    np.testing.assert_array_equal(out[1], static[1])
    assert share == pytest.approx(2 / 3)


def test_cascade_review_band_also_routes_the_rows_the_static_model_would_leave_to_review():
    from nlp.settings import STATUSES

    def row(**p):
        return [p.get(s, 0.0) for s in STATUSES]

    static = np.array([row(done=0.6, no_evidence=0.4),     # margin 0.2, p_over 0.4: in the band
                       row(done=0.95, no_evidence=0.05),   # p_over 0.05: false
                       row(no_evidence=0.95, done=0.05),   # p_over 0.95: true
                       row(done=0.6, no_evidence=0.4)])    # no percent reported: nothing to overstate
    e5 = np.full_like(static, 1 / len(STATUSES))
    reported = np.array([100.0, 100.0, 100.0, np.nan])
    plain, share = writer_cv.cascade(static, e5, 0.1, reported)
    assert share == 0.0 and np.array_equal(plain, static)
    out, share = writer_cv.cascade(static, e5, 0.1, reported, review_band=(0.3, 0.85))
    np.testing.assert_array_equal(out[0], e5[0])
    np.testing.assert_array_equal(out[1:], static[1:])
    assert share == pytest.approx(1 / 4)


@pytest.mark.parametrize("routed, e5_precision, expected", [
    ((0.92, 0.91, 0.96), 0.96, True),    # as good or better on both, precision close to e5's
    ((0.91, 0.91, 0.96), 0.96, False),   # macro-F1 lower than the plain cascade's
    ((0.92, 0.89, 0.96), 0.96, False),   # recall lower
    ((0.92, 0.91, 0.94), 0.96, False),   # precision more than 0.01 under e5's
])
def test_choose_route_review(routed, e5_precision, expected):
    plain = pd.DataFrame({"macro_f1": [0.915], "flag_recall": [0.90], "flag_precision": [0.97]})
    f1, recall, precision = routed
    new = pd.DataFrame({"macro_f1": [f1], "flag_recall": [recall], "flag_precision": [precision]})
    e5 = pd.DataFrame({"macro_f1": [0.92], "flag_recall": [0.9], "flag_precision": [e5_precision]})
    assert writer_cv.choose_route_review(plain, new, e5) is expected


def test_routed_thresholds_are_their_own_review_band():
    from nlp.settings import STATUSES, Settings

    rng = np.random.default_rng(0)
    n = 400
    status = rng.choice(STATUSES, size=n)
    static = rng.dirichlet(np.ones(len(STATUSES)) * 0.5, size=n)
    # The second model knows the answer: routing more rows to it can only make the flags truer.
    e5 = np.full((n, len(STATUSES)), 0.01)
    e5[np.arange(n), [STATUSES.index(s) for s in status]] = 1 - 0.01 * (len(STATUSES) - 1)
    reported = rng.choice([100.0, 90.0, 70.0], size=n)
    high, low, routed = writer_cv.choose_routed_thresholds(status, static, e5, 0.1, reported, 0.3, Settings(),
                                                           precision=0.9, mean_precision=0.9)
    expected, _ = writer_cv.cascade(static, e5, 0.1, reported, (low, high))
    np.testing.assert_array_equal(routed, expected)
    # The chosen flag_high meets the precision conditions on the output it routes, and no lower grid value
    # does on its own output.
    truth = writer_cv.true_flags(status, reported, Settings())

    def ok(h):
        out, _ = writer_cv.cascade(static, e5, 0.1, reported, (low, h))
        p_over, _ = writer_cv.overstatement(out, STATUSES, reported, Settings())
        return writer_cv._precision_ok(truth, p_over, h, None, 0.9, 0.9)

    assert ok(high)
    assert not any(ok(float(h)) for h in writer_cv.GRID if low < h < high)


def test_writer_groups_hold_each_writer_out_whole_and_deal_them_round_robin():
    writers = np.array(["w03", "w01", "w02", "w01", "w04", "w03", "w05"], dtype=object)
    folds = writer_cv.writer_groups(writers, 2)
    for w in set(writers):  # a writer never spans two folds
        assert len(set(folds[writers == w])) == 1
    # sorted writers w01..w05 dealt to group00, group01, group00, group01, group00
    assert dict(zip(writers, folds)) == {"w01": "group00", "w02": "group01", "w03": "group00",
                                         "w04": "group01", "w05": "group00"}
    assert list(writer_cv.writer_groups(writers, 99)) == [f"group{int(w[1:]) - 1:02d}" for w in writers]
