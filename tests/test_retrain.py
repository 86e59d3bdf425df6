"""Retraining with auditors' labels: review → import → train → compare → switch the default."""

import json
import re
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest

from nlp.judge.audit import score
from nlp.cli import main
from nlp.errors import ModelError
from nlp.judge.model import default_model_dir, load_model
from nlp.review.retrain import COMPARISON_TITLE, comparison_section, list_models, retrain, use_model
from nlp.review.queue import REVIEW_COLUMNS, REVIEW_SHEET, status_label
from nlp.review.store import LabelStore
from nlp.learn.train import train

from _models import MEASURE, TINY, tiny_frame

COL = {k: i + 1 for i, (k, _) in enumerate(REVIEW_COLUMNS)}

# A phrasing the tiny corpus never shows: the officer in charge moved to another organisation and the work
# stopped (blocked_staffing).
NEW_PHRASING = [
    "Хариуцагч өөр байгууллагад шилжсэнээс хойш уг ажил зогссон.",
    "Хуулийн зөвлөх өөр байгууллагад шилжсэнээс хойш энэ ажил зогссон.",
    "Нягтлан өөр байгууллагад шилжсэнээс хойш уг ажил зогсонги байна.",
    "Нярав өөр байгууллагад шилжсэнээс хойш уг ажил зогссон.",
]
UNSEEN = [
    "Дотоод хяналтын ажилтан өөр байгууллагад шилжсэнээс хойш уг ажил зогссон байна.",
    "Архивч өөр байгууллагад шилжсэнээс хойш уг ажил зогссон.",
]


@pytest.fixture
def env(tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("BIYELELT_MODELS", str(models))
    monkeypatch.delenv("BIYELELT_MODEL", raising=False)
    monkeypatch.setenv("BIYELELT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("BIYELELT_LABELS", str(tmp_path / "labels.sqlite"))
    base = tiny_frame(3)
    base.loc[base["org_id"] == "org5", "split"] = "test"
    base.to_csv(tmp_path / "base.csv", index=False)
    return tmp_path, models


def _statuses(model, texts):
    return list(score(pd.DataFrame({"narrative": texts, "measure": MEASURE}), model)["status"])


def test_new_phrasing_is_learned_after_review_import_and_retrain(env, capsys):
    tmp, models = env
    assert main(["train", str(tmp / "base.csv"), "--out", str(models / "base"), "--encoder", "none"]) == 0
    assert main(["models", "use", "base"]) == 0
    base = load_model()
    assert base.path == models / "base"
    wrong = _statuses(base, NEW_PHRASING + UNSEEN)
    assert "blocked_staffing" not in wrong, wrong  # the model gets the new phrasing wrong

    # a season's report with the new phrasing among ordinary rows, scored by the default model
    report = pd.DataFrame({
        "report_id": "soum_2025", "org": "Тариат сум", "year": 2025, "measure": MEASURE,
        "narrative": NEW_PHRASING + [t for t, _, _ in TINY[:8]],
        "reported_percent": 100,
    })
    report.to_csv(tmp / "report.csv", index=False)
    assert main(["score", str(tmp / "report.csv"), "--out", str(tmp / "scored")]) == 0
    xlsx = tmp / "review.xlsx"
    assert main(["label", "export", str(tmp / "scored"), "--out", str(xlsx)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[REVIEW_SHEET]
    marked = 0
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=COL["narrative"]).value in NEW_PHRASING:
            ws.cell(row=r, column=COL["auditor_status"], value=status_label("blocked_staffing"))
            ws.cell(row=r, column=COL["comment"], value="хариуцагч шилжсэн, орон тоо хоосон")
            marked += 1
    assert marked == len(NEW_PHRASING)
    wb.save(xlsx)
    assert main(["label", "import", str(xlsx), "--auditor", "Б. Болд"]) == 0
    assert main(["label", "import", str(xlsx), "--auditor", "Б. Болд"]) == 0  # twice: nothing more
    store = LabelStore(tmp / "labels.sqlite")
    assert len(store) == len(NEW_PHRASING)
    assert set(store.frame()["model_version"]) == {f"base@{base.meta['data_hash'][:12]}"}

    capsys.readouterr()
    assert main(["train", "--labels", str(tmp / "base.csv"), "--labels", str(tmp / "labels.sqlite"),
                 "--out", str(models / "season2"), "--encoder", "none", "--folds", "2"]) == 0
    printed = capsys.readouterr().out
    assert "current default" in printed and "base@" in printed
    new = load_model(models / "season2")
    assert _statuses(new, UNSEEN) == ["blocked_staffing"] * len(UNSEEN)
    assert new.meta["n_auditor_rows"] == len(NEW_PHRASING)

    comparison = new.meta["comparison"]
    assert comparison["current"].startswith("base@")
    assert comparison["held_out"]["n"] == int((pd.read_csv(tmp / "base.csv")["split"] == "test").sum())
    assert {"new", "current"} <= set(comparison["held_out"])
    cv = comparison["auditor_cv"]
    assert cv["n"] == len(NEW_PHRASING) and cv["folds"].startswith("2-fold")
    assert cv["current"]["accuracy"] == 0.0  # the old model got every auditor's row wrong
    card = (models / "season2" / "README.md").read_text(encoding="utf-8")
    assert f"## {COMPARISON_TITLE}" in card
    assert re.search(r"\| auditor-labelled rows / аудиторын шошго \(CV\) \| 4 \| accuracy \| 0\.000 \| "
                     r"[01]\.\d{3} \| \+[01]\.\d{3} \|", card), card
    assert card.index(f"## {COMPARISON_TITLE}") < card.index("## Хязгаарлалт / Limits")

    # the default switches only when asked
    assert default_model_dir() == models / "base"
    assert main(["models", "use", "season2"]) == 0
    assert default_model_dir() == models / "season2"
    assert (models / "DEFAULT").read_text().strip() == "season2"
    capsys.readouterr()
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(l.startswith("* season2") for l in lines) and any(l.startswith("  base") for l in lines)


def test_comparison_card_section_layout():
    comparison = {
        "current": "base@0123456789ab",
        "held_out": {"n": 12, "new": {"macro_f1": 0.9, "accuracy": 0.91, "flag_precision": 1.0, "flag_recall": 0.5},
                     "current": {"macro_f1": 0.8, "accuracy": 0.85, "flag_precision": 1.0,
                                 "flag_recall": float("nan")}},
        "auditor_cv": {"n": 0},
    }
    text = comparison_section(comparison).splitlines()
    patterns = [
        r"- одоогийн анхдагч загвар / current default: `base@0123456789ab`",
        r"- auditor-labelled rows / аудиторын шошго \(CV\): мөр алга / no rows",
        r"",
        r"\| rows / мөр \| n \| metric \| current \| new \| change \|",
        r"\|---\|---\|---\|---\|---\|---\|",
        r"\| held-out organisations / тусдаа байгууллагууд \| 12 \| macro_f1 \| 0\.800 \| 0\.900 \| \+0\.100 \|",
        r"\| held-out organisations / тусдаа байгууллагууд \| 12 \| accuracy \| 0\.850 \| 0\.910 \| \+0\.060 \|",
        r"\| held-out organisations / тусдаа байгууллагууд \| 12 \| flag_precision \| 1\.000 \| 1\.000 \| \+0\.000 \|",
        r"\| held-out organisations / тусдаа байгууллагууд \| 12 \| flag_recall \|  \| 0\.500 \|  \|",
    ]
    assert len(text) == len(patterns), text
    for line, pat in zip(text, patterns):
        assert re.fullmatch(pat, line), (line, pat)
    alone = comparison_section({"current": None, "held_out": {"n": 0}, "auditor_cv": {"n": 0}})
    assert "no current default model" in alone


def test_retrain_without_a_default_compares_with_nothing(env):
    tmp, models = env
    model = retrain([tmp / "base.csv"], models / "first", encoder_spec=None, n_splits=2)
    assert model.meta["comparison"]["current"] is None
    assert "current" not in model.meta["comparison"]["held_out"]
    assert "no current default model" in (models / "first" / "README.md").read_text(encoding="utf-8")


def test_existing_model_is_refused_before_any_work(env, monkeypatch):
    tmp, models = env
    train(pd.read_csv(tmp / "base.csv", dtype=str, keep_default_na=False), models / "m", encoder_spec=None)
    monkeypatch.setattr(sys.modules["nlp.learn.train"], "train", lambda *a, **k: pytest.fail("trained although refused"))
    with pytest.raises(ModelError, match="not overwritten"):
        retrain([tmp / "base.csv"], models / "m", encoder_spec=None)
    assert main(["train", str(tmp / "base.csv"), "--out", str(models / "m"), "--encoder", "none"]) == 1


def test_models_use_checks_the_model(env, capsys):
    tmp, models = env
    train(pd.read_csv(tmp / "base.csv", dtype=str, keep_default_na=False), models / "a", encoder_spec=None)
    (models / "broken").mkdir()
    (models / "broken" / "config.json").write_text(json.dumps({"meta": {}}))
    (models / "broken" / "model.skops").write_bytes(b"junk")
    (models / "notes").mkdir()  # not a model: not listed
    assert [m["name"] for m in list_models()] == ["a", "broken"]
    assert [m["default"] for m in list_models()] == [False, False]
    assert main(["models", "use", "nothing"]) == 1
    assert "no such model: nothing (available: a, broken)" in capsys.readouterr().err
    with pytest.raises(ModelError, match="does not load"):
        use_model("broken")
    assert main(["models", "use", "broken"]) == 1
    assert not (models / "DEFAULT").exists()
    with pytest.raises(ModelError):
        use_model("../a")
    use_model("a")
    assert default_model_dir() == models / "a" and [m["default"] for m in list_models()] == [True, False]


def test_train_needs_some_labels(env, capsys):
    tmp, models = env
    assert main(["train", "--out", str(models / "x")]) == 2
    assert "no labels given" in capsys.readouterr().err


def test_train_from_a_dataframe_of_sources_keeps_the_data_hash(env):
    tmp, _ = env
    from nlp.learn.labelled import data_hash, load_labelled
    from nlp.review.store import load_label_sources
    a = load_labelled(tmp / "base.csv")
    b = load_label_sources([tmp / "base.csv"])
    assert data_hash(a) == data_hash(b) and (b["auditor"] == "").all()
    assert np.array_equal(a["narrative"], b["narrative"])


def test_comparison_warns_when_the_current_model_saw_the_held_out_rows():
    from nlp.review.retrain import comparison_section

    block = {"n": 10, "new": {"macro_f1": 0.9, "accuracy": 0.9, "flag_precision": 0.9, "flag_recall": 0.9},
             "current": {"macro_f1": 0.99, "accuracy": 0.99, "flag_precision": 0.99, "flag_recall": 0.99}}
    plain = comparison_section({"current": "default@x", "held_out": block})
    warned = comparison_section({"current": "default@x", "held_out": block, "current_saw_held_out": True})
    assert "optimistic" not in plain
    assert "optimistic" in warned and "өөдрөг" in warned


@pytest.mark.parametrize("extra, named", [
    (["--all-rows"], "--no-compare"),
    (["--no-compare", "--flag-high", "0.3", "--flag-low", "0.6"], "--flag-low"),
    (["--no-compare", "--cascade-review"], "--cascade"),
    (["--no-compare", "--cascade-latin"], "--cascade-latin needs --cascade"),
])
def test_train_refuses_contradictory_options_before_training(tmp_path, capsys, extra, named):
    labels = tmp_path / "l.csv"
    labels.write_text("narrative,status\nСургалт хийсэн.,done\n", encoding="utf-8")
    assert main(["train", str(labels), "--out", str(tmp_path / "m"), "--encoder", "none", *extra]) == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "m").exists()
