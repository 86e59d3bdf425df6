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
