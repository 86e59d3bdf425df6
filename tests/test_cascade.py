"""The cascade: a fast model whose unsure rows are scored by a second model."""

import json

import numpy as np
import pandas as pd
import pytest

from nlp.errors import ModelError
from nlp.judge.audit import score
from nlp.judge.model import AuditModel, load_model, save_model
from nlp.learn.train import fit_pipeline
from nlp.settings import STATUSES

from _models import HashEncoder, tiny_frame

P = [f"p_{s}" for s in STATUSES]

# New wording, so that the fast model is unsure of some rows.
ROWS = pd.DataFrame({
    "report_id": "r", "source": "r.txt", "row_id": range(1, 9), "measure": "Сургалт зохион байгуулах.",
    "narrative": ["Сургалтад 40 хүн хамрагдсан.", "Ажил үргэлжилж байна.", "Орон тоо сул тул хийгээгүй.",
                  "Хийгдээгүй.", "Тохиолдол гараагүй.", "Хэрэгжүүлж ажилласан.", "", "Журам батлагдсан."],
    "reported_percent": [100, 100, 90, 80, 100, 100, 100, 100],
})


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """A fast model (TF-IDF only, words only) and a second model (hash embeddings), both saved."""
    root = tmp_path_factory.mktemp("models")
    df = tiny_frame(copies=3)
    fast = AuditModel(pipeline=fit_pipeline(df, None, features={"ngram_range": (3, 3), "max_features": 200},
                                            classifier={"C": 0.3, "calibration": None}),
                      encoder_spec=None)
    second = AuditModel(pipeline=fit_pipeline(df, HashEncoder()), encoder_spec=None)
    save_model(second, root / "second")
    return fast, load_model(root / "second"), root


def _with_cascade(fast, root, margin):
    return AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=fast.settings,
                      cascade={"model": str(root / "second"), "margin": margin})


def test_routed_rows_are_exactly_the_second_models_rows(pair):
    fast, second, root = pair
    alone = score(ROWS, fast)
    margins = np.sort(alone[P].to_numpy(), axis=1)
    margins = margins[:, -1] - margins[:, -2]
    # A cut halfway between two rows' margins (p_ columns are rounded), so about half the rows go on.
    written = np.unique(margins[(ROWS["narrative"].str.strip() != "").to_numpy()])
    assert len(written) >= 3
    cut = float(written[len(written) // 2 - 1:len(written) // 2 + 1].mean())
    out = score(ROWS, _with_cascade(fast, root, cut), fallback_encoder=HashEncoder())
    by_second = score(ROWS, second, encoder=HashEncoder())
    routed = out["second_opinion"].to_numpy()
    assert routed.any() and not routed.all()
    assert not routed[6]  # an empty narrative is no_evidence by rule, never routed
    np.testing.assert_array_equal(routed, (margins < cut) & (ROWS["narrative"].str.strip() != "").to_numpy())
    cols = P + ["status", "confidence", "predicted_score", "gap", "flag", "p_over"]
    pd.testing.assert_frame_equal(out.loc[routed, cols], by_second.loc[routed, cols])
    pd.testing.assert_frame_equal(out.loc[~routed, cols], alone.loc[~routed, cols])


def test_margin_zero_routes_nothing_and_cascade_false_turns_it_off(pair):
    fast, _, root = pair
    alone = score(ROWS, fast)
    assert not score(ROWS, _with_cascade(fast, root, 0.0))["second_opinion"].any()
    off = score(ROWS, _with_cascade(fast, root, 1.01), cascade=False)
    pd.testing.assert_frame_equal(off.drop(columns="second_opinion"), alone.drop(columns="second_opinion"))


def test_cascade_is_saved_and_found_beside_the_model(pair, tmp_path):
    fast, second, root = pair
    save_model(second, tmp_path / "second")
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None, cascade={"model": "../second", "margin": 0.3})
    save_model(model, tmp_path / "fast")
    back = load_model(tmp_path / "fast")
    assert back.cascade == {"model": "../second", "margin": 0.3}
    assert back.fallback().path == (tmp_path / "second").resolve()


def test_malformed_cascade_is_refused_with_the_file_named(pair, tmp_path):
    fast, _, _ = pair
    save_model(AuditModel(pipeline=fast.pipeline, encoder_spec=None), tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text(encoding="utf-8"))
    config["cascade"] = {"model": 3}
    (tmp_path / "m" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match="cascade") as err:
        load_model(tmp_path / "m")
    assert "config.json" in str(err.value)


def _band(p_over: np.ndarray) -> tuple[float, float]:
    """flag_low / flag_high halfway between distinct p_over values, so that the band holds some rows but not all."""
    v = np.unique(p_over[p_over > 0])
    assert len(v) >= 3
    return float(v[:2].mean()), float(v[-2:].mean())


def test_route_review_also_sends_the_rows_the_fast_model_would_leave_to_review(pair):
    fast, second, root = pair
    alone = score(ROWS, fast)
    low, high = _band(alone["p_over"].to_numpy())
    settings = fast.settings.__class__(flag_low=low, flag_high=high)
    in_band = ((alone["p_over"] >= low) & (alone["p_over"] < high)).to_numpy()
    assert in_band.any() and not in_band.all()
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=settings,
                       cascade={"model": str(root / "second"), "margin": 0.0, "route_review": True})
    out = score(ROWS, model, fallback_encoder=HashEncoder())
    routed = out["second_opinion"].to_numpy()
    # Margin 0 routes nothing by itself: every routed row is one the fast model would have flagged review.
    np.testing.assert_array_equal(routed, in_band)
    by_second = score(ROWS, second, encoder=HashEncoder(), settings=settings)
    cols = P + ["status", "flag", "p_over"]
    pd.testing.assert_frame_equal(out.loc[routed, cols], by_second.loc[routed, cols])
    # Without route_review the same model routes nothing.
    plain = AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=settings,
                       cascade={"model": str(root / "second"), "margin": 0.0})
    assert not score(ROWS, plain)["second_opinion"].any()


def test_route_review_routes_no_row_without_a_reported_percent(pair):
    fast, _, root = pair
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None,
                       settings=fast.settings.__class__(flag_low=1e-6, flag_high=1.0),
                       cascade={"model": str(root / "second"), "margin": 0.0, "route_review": True})
    assert score(ROWS, model, fallback_encoder=HashEncoder())["second_opinion"].any()
    # No percent, nothing to overstate: p_over is 0 and the row is never flagged, so never sent on.
    out = score(ROWS.assign(reported_percent=np.nan), model)
    assert not out["second_opinion"].any()


@pytest.mark.parametrize("option, card", [("route_review", "rows this model would flag review"),
                                           ("route_latin", "narratives typed in Latin letters")])
def test_cascade_option_is_saved_written_in_the_card_and_checked(pair, tmp_path, option, card):
    fast, second, _ = pair
    save_model(second, tmp_path / "second")
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None,
                       cascade={"model": "../second", "margin": 0.3, option: True})
    save_model(model, tmp_path / "fast")
    assert load_model(tmp_path / "fast").cascade[option] is True
    assert card in (tmp_path / "fast" / "README.md").read_text(encoding="utf-8")
    config = json.loads((tmp_path / "fast" / "config.json").read_text(encoding="utf-8"))
    config["cascade"][option] = "yes"
    (tmp_path / "fast" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match=option):
        load_model(tmp_path / "fast")


# Mongolian typed in Latin letters: the static encoder's vocabulary is Cyrillic, so such rows go to e5.
LATIN = ROWS.assign(narrative=["surgalt zohion baiguulj 40 hun hamragdsan", "Ажил үргэлжилж байна.",
                               "oron too sul tul hiigdeegui", "Хийгдээгүй.", "tender.gov.mn-д 2 удаа нийтэлсэн.",
                               "Хэрэгжүүлж ажилласан.", "", "baihgui"])


def test_route_latin_sends_every_latin_typed_narrative_and_nothing_else(pair):
    fast, second, root = pair
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=fast.settings,
                       cascade={"model": str(root / "second"), "margin": 0.0, "route_latin": True})
    out = score(LATIN, model, fallback_encoder=HashEncoder())
    # Margin 0 routes nothing by itself; a web address inside Cyrillic text is not Latin typing.
    np.testing.assert_array_equal(out["second_opinion"].to_numpy(),
                                  [True, False, True, False, False, False, False, True])
    by_second = score(LATIN, second, encoder=HashEncoder())
    routed = out["second_opinion"].to_numpy()
    pd.testing.assert_frame_equal(out.loc[routed, P + ["status", "flag"]], by_second.loc[routed, P + ["status", "flag"]])
    plain = AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=fast.settings,
                       cascade={"model": str(root / "second"), "margin": 0.0})
    assert not score(LATIN, plain)["second_opinion"].any()
