"""Model files: skops with trusted types only, no silent overwrite, and the generated card."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator

from nlp.errors import ModelError
from nlp.judge.model import AuditModel, load_model, model_card, save_model
from nlp.learn.train import train

from _models import HashEncoder, tiny_frame

GOLDEN = Path(__file__).parent / "golden" / "model_card.pattern"


class Untrusted(BaseEstimator):
    """A type no biyelelt model contains."""

    def __init__(self, payload=1):
        self.payload = payload


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    df = tiny_frame(copies=3)
    df.loc[df["org_id"] == "org5", "split"] = "test"
    out = tmp_path_factory.mktemp("m") / "tiny"
    model = train(df, out, encoder_spec=None, encoder=HashEncoder(), name="tiny")
    return model, out, df


def test_saved_model_reloads_and_predicts_the_same(trained):
    model, out, df = trained
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "config.json", "model.skops"]
    again = load_model(out)
    from nlp.judge.audit import prepare
    X = prepare(df, HashEncoder())
    np.testing.assert_array_equal(model.pipeline.predict_proba(X), again.pipeline.predict_proba(X))
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["classes"] == sorted(df["status"].unique())
    assert cfg["meta"]["split_counts"] == {"train": int((df.split == "train").sum()), "test": int((df.split == "test").sum())}


def test_never_overwritten_silently(trained):
    model, out, _ = trained
    with pytest.raises(ModelError, match="not overwritten"):
        save_model(model, out)
    save_model(model, out, overwrite=True)


def test_untrusted_types_are_refused(tmp_path, trained):
    _, out, _ = trained
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "config.json").write_text((out / "config.json").read_text())
    sio.dump(Untrusted(), bad / "model.skops")
    with pytest.raises(ModelError, match="untrusted types"):
        load_model(bad)


def test_missing_model_names_the_folder(tmp_path):
    with pytest.raises(ModelError) as err:
        load_model(tmp_path / "nothing")
    assert "nothing" in str(err.value) and "загвар олдсонгүй" in str(err.value)


def test_no_pickle_in_package():
    src = Path(__file__).resolve().parent.parent / "nlp"
    for f in src.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"\b(pickle|joblib|cloudpickle)\.load", text), f


def test_model_card_matches_golden_pattern(trained):
    _, out, _ = trained
    card = (out / "README.md").read_text(encoding="utf-8").splitlines()
    patterns = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert len(card) == len(patterns), "\n".join(card)
    for i, (line, pat) in enumerate(zip(card, patterns), 1):
        assert re.fullmatch(pat, line), f"line {i}: {line!r} !~ {pat!r}"


def test_model_card_is_generated_from_config(trained):
    model, _, _ = trained
    cfg = model.config()
    cfg["settings"]["threshold"] = 25.0
    cfg["settings"]["flag_high"] = 0.85
    card = model_card(cfg)
    assert "overstated when reported − rubric score ≥: 25.0" in card
    assert "flag = true when p_over ≥ 0.85" in card and "cascade" not in card
    cfg["cascade"] = {"model": "../second", "margin": 0.07}
    assert "under 0.07 are scored by `../second`" in model_card(cfg)
