"""Clause tenses: plans, past facts, ongoing work and negations, clause by clause (nlp.judge.tense)."""

import numpy as np
import pytest

from nlp.judge.audit import prepare
from nlp.judge.classify import make_pipeline
from nlp.judge.tense import TENSE_NAMES, clause_tenses, tense_matrix

from _models import HashEncoder, tiny_frame

CASES = [
    # plans, however busy
    ("Сургалтыг 4-р улиралд зохион байгуулна.", ["plan"]),
    ("1) Журмын төслийг 11 сард хэлэлцүүлнэ; 2) санал асуулга явуулах болно", ["plan", "plan"]),
    ("- Ёс зүйн сургалтыг 2025 оны II улиралд хийхээр төлөвлөсөн\n- Гарын авлага хэвлүүлэхээр товлосон",
     ["plan", "plan"]),
    ("Самбарт байршуулах гэж байна.", ["plan"]),
    ("zohion baiguulna", ["plan"]),  # typed in Latin letters
    # past facts
    ("Журмыг А/45 тушаалаар батлуулсан.", ["past"]),
    ("Хуралдаан 3 удаа хэлэлцэв. Шийдвэрийг нийтэллээ.", ["past", "past"]),
    ("hurald helelcsen", ["past"]),
    # ongoing
    ("Журмын төслийг хэлэлцүүлж байна.", ["ongoing"]),
    ("Батлуулах шатандаа.", ["ongoing"]),
    # negations, an auxiliary after one too
    ("Сургалт зохион байгуулаагүй.", ["negated"]),
    ("Систем нэвтрүүлэх боломжгүй байсан.", ["negated"]),
    # mixed: the order is kept
    ("Сургалт хийсэн, гарын авлагыг ирэх онд хэвлэнэ.", ["past", "plan"]),
    ("Хийгдээгүй, ирэх онд хийнэ.", ["negated", "plan"]),
    # no verb at the end: not counted
    ("12 албан хаагч, 3 хэлтэс", []),
    ("шинэ журам", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_clause_tenses(text, expected):
    assert clause_tenses(text) == expected


def test_tense_matrix_shares_and_flags():
    plans = "1) Сургалт зохион байгуулна. 2) Журам батлуулна. 3) Тайлан хүргүүлэхээр төлөвлөсөн."
    mixed = "Сургалт зохион байгуулсан. Журмыг ирэх онд батлуулна."
    done = "Журмыг батлуулсан, цаашид мөрдөнө. Сургалтад 34 хүн хамрагдсан."
    m = dict(zip(["plans", "mixed", "done", "empty"],
                 (dict(zip(TENSE_NAMES, r)) for r in tense_matrix([plans, mixed, done, ""]))))
    assert m["plans"]["tense_plan_share"] == 1.0 and m["plans"]["tense_only_plans"] == 1.0
    assert m["mixed"]["tense_plan_share"] == 0.5 and m["mixed"]["tense_plan_last"] == 1.0
    assert m["mixed"]["tense_only_plans"] == 0.0
    assert m["done"]["tense_past_share"] == pytest.approx(2 / 3) and m["done"]["tense_plan_last"] == 0.0
    assert all(v == 0.0 for v in m["empty"].values())
    assert tense_matrix([]).shape == (0, len(TENSE_NAMES))


def test_tense_block_is_off_by_default_and_adds_its_columns_when_on():
    df = tiny_frame(copies=3)
    X = prepare(df, HashEncoder())
    off = make_pipeline({}).fit(X, df["status"]).named_steps["features"]
    on = make_pipeline({"use_tense": True}).fit(X, df["status"]).named_steps["features"]
    assert not any(n.startswith("tense_") for n in off.get_feature_names_out())
    assert list(on.get_feature_names_out()[-len(TENSE_NAMES):]) == list(TENSE_NAMES)
    assert on.n_features_out_ == off.n_features_out_ + len(TENSE_NAMES)
    assert on.transform(X).shape == (len(df), on.n_features_out_)
    assert np.isfinite(on.tense_scale_).all() and (on.tense_scale_ > 0).all()


def test_a_model_saved_before_the_tense_block_loads_with_it_off():
    from sklearn.base import clone

    from nlp.judge.features import NarrativeFeatures

    df = tiny_frame(copies=3)
    X = prepare(df, HashEncoder())
    fitted = make_pipeline({}).fit(X, df["status"]).named_steps["features"]
    state = fitted.__getstate__()
    for name in ("use_tense", "tense_weight"):  # as a model saved before the parameters existed
        del state[name]
    old = NarrativeFeatures.__new__(NarrativeFeatures)
    old.__setstate__(state)
    assert old.get_params()["use_tense"] is False and clone(old).use_tense is False
    np.testing.assert_array_equal(old.transform(X).toarray(), fitted.transform(X).toarray())
