"""The label store: idempotent adds, provenance, history, CSV export for training, several writers."""

import multiprocessing as mp

import pandas as pd
import pytest

from nlp.errors import DataError
from nlp.learn.labelled import LABEL_COLUMNS, load_labelled
from nlp.review.store import LabelStore, default_store_path, load_label_sources, narrative_hash


def _label(i=0, status="done", auditor="Б. Болд", **kw):
    rec = {"report_id": f"r{i % 3}", "row_id": str(i), "source": "a.docx", "org_id": f"org{i % 2}",
           "measure": "Сургалт зохион байгуулах.", "narrative": f"Сургалтыг {i} удаа зохион байгуулсан.",
           "reported_percent": "100", "status": status, "auditor": auditor, "source_file": "review.xlsx",
           "sheet": "Хянах", "sheet_row": str(i + 2), "model_version": "base@0123456789ab"}
    rec.update(kw)
    return rec


def test_adding_the_same_labels_twice_adds_nothing(tmp_path):
    store = LabelStore(tmp_path / "labels.sqlite")
    labels = [_label(i) for i in range(5)]
    assert store.add(labels) == (5, 0)
    assert store.add(labels) == (0, 5)
    assert len(store) == 5
    # a fresh object on the same file sees the same store
    assert len(LabelStore(tmp_path / "labels.sqlite")) == 5


def test_provenance_is_kept(tmp_path):
    store = LabelStore(tmp_path / "labels.sqlite")
    store.add([_label(1, comment="нотолгоо хавсаргаагүй")], imported_at="2025-03-01T10:00:00+00:00")
    row = store.frame().iloc[0]
    assert row["auditor"] == "Б. Болд"
    assert row["comment"] == "нотолгоо хавсаргаагүй"
    assert row["source_file"] == "review.xlsx" and row["sheet"] == "Хянах" and row["sheet_row"] == "3"
    assert row["model_version"] == "base@0123456789ab"
    assert row["date"] == "2025-03-01" and row["imported_at"] == "2025-03-01T10:00:00+00:00"
    assert row["narrative_hash"] == narrative_hash(_label(1)["narrative"])


def test_a_later_judgement_is_kept_and_the_latest_trains(tmp_path):
    store = LabelStore(tmp_path / "labels.sqlite")
    store.add([_label(1, status="done")])
    store.add([_label(1, status="partial", auditor="Д. Сараа")])
    assert len(store) == 2  # both judgements are in the history
    train = store.training_frame()
    assert len(train) == 1 and train["status"].iat[0] == "partial" and train["auditor"].iat[0] == "Д. Сараа"


def test_bad_records_store_nothing(tmp_path):
    store = LabelStore(tmp_path / "labels.sqlite")
    with pytest.raises(DataError, match="unknown status"):
        store.add([_label(0), _label(1, status="finished")])
    with pytest.raises(DataError, match="auditor"):
        store.add([_label(0), _label(2, auditor="")])
    assert len(store) == 0


def test_export_csv_is_read_by_load_labelled(tmp_path):
    store = LabelStore(tmp_path / "labels.sqlite")
    store.add([_label(i, status=s) for i, s in enumerate(["done", "not_done", "not_applicable"])])
    path = store.export_csv(tmp_path / "git" / "auditor_labels.csv")
    df = load_labelled(path)
    assert len(df) == 3
    assert list(df["status"]) == ["done", "not_done", "not_applicable"]
    assert set(df["split"]) == {"train"}
    assert list(df["score"]) == ["100", "0", ""]
    header = pd.read_csv(path, nrows=0).columns
    assert list(header[:len(LABEL_COLUMNS)]) == list(LABEL_COLUMNS)
    assert {"auditor", "source_file", "model_version", "narrative_hash"} <= set(header)
    # the same labels read from the CSV or from the store are marked as auditors' labels
    for source in (path, tmp_path / "labels.sqlite"):
        got = load_label_sources([source])
        assert list(got["auditor"]) == ["Б. Болд"] * 3
        assert list(got["narrative"]) == list(df["narrative"])


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BIYELELT_LABELS", str(tmp_path / "x.sqlite"))
    assert default_store_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("BIYELELT_LABELS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "biyelelt" / "labels.sqlite"


def _writer(path, start):
    store = LabelStore(path)
    for i in range(start, start + 20):
        store.add([_label(i, auditor=f"auditor{start}")])


def test_several_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "labels.sqlite"
    LabelStore(path)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(path, k * 100)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert len(LabelStore(path)) == 80
