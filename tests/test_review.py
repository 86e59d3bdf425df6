"""The review queue: which rows are picked and why, the workbook, and importing it back."""

import numpy as np
import openpyxl
import pandas as pd
import pytest

from nlp.judge.audit import score, summarize_reports
from nlp.cli import main
from nlp.outputs.tables import write_scored
from nlp.review.queue import (REVIEW_COLUMNS, REVIEW_SHEET, STATUS_SHEET, ReviewError, export_review, import_review,
                        parse_status, read_review_workbook, select_for_review, status_label)
from nlp.settings import STATUSES
from nlp.review.store import LabelStore
from nlp.learn.train import train

from _models import MEASURE, tiny_frame

COL = {k: i + 1 for i, (k, _) in enumerate(REVIEW_COLUMNS)}


@pytest.fixture(scope="module")
def scored_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    model = train(tiny_frame(3), root / "model", encoder_spec=None, name="tiny")
    rows = tiny_frame(2)
    rows["row_id"] = np.arange(1, len(rows) + 1)
    rows["source"] = rows["report_id"] + ".docx"
    rows.loc[3, "narrative"] = ""  # no_evidence by rule: never worth a review
    rows.loc[4, "narrative"] = rows.loc[5, "narrative"]  # the same text twice is offered once
    scored = score(rows, model)
    write_scored(scored, summarize_reports(scored), root / "scored")
    return root


def _fill(path, edits):
    wb = openpyxl.load_workbook(path)
    ws = wb[REVIEW_SHEET]
    for (row, key), value in edits.items():
        ws.cell(row=row, column=COL[key], value=value)
    wb.save(path)


def _scored_frame(n=30, seed=0):
    rng = np.random.RandomState(seed)
    p = rng.dirichlet(np.ones(6) * 0.5, size=n)
    df = pd.DataFrame({f"p_{s}": p[:, j] for j, s in enumerate(STATUSES)})
    df["narrative"] = [f"Мөр {i}: " + " ".join(rng.choice(["сургалт", "тушаал", "ирээгүй", "орон тоо", "байхгүй",
                                                            "төлөвлөгөө", "хийгдээгүй"], 4)) for i in range(n)]
    df["status"] = [STATUSES[j] for j in p.argmax(1)]
    df["confidence"] = p.max(1)
    df["gap"] = rng.uniform(-50, 90, n).round(1)
    df["flag"] = df["gap"] >= 30
    df["reported_percent"] = 100.0
    return df


def test_picks_uncertain_then_flagged_then_spread_with_reasons():
    df = _scored_frame(60)
    picked = select_for_review(df, 15)
    assert len(picked) == 15 and picked["scored_index"].is_unique
    assert list(picked["pick_reason"]) == ["uncertain"] * 5 + ["flagged"] * 5 + ["spread"] * 5
    top2 = np.sort(df[[f"p_{s}" for s in STATUSES]].to_numpy(), axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    assert set(picked["scored_index"][:5]) == set(np.argsort(margin)[:5])
    flagged = picked[picked["pick_reason"] == "flagged"]
    assert df.loc[flagged["scored_index"], "flag"].all()
    rest = df.drop(index=picked["scored_index"][:5])
    assert set(flagged["scored_index"]) == set(rest[rest["flag"]].nlargest(5, "gap").index)
    assert all("/" in d and d.strip() for d in picked["pick_detail"])  # a bilingual reason on every row
    # same input, same output
    pd.testing.assert_frame_equal(picked, select_for_review(df, 15))


def test_spread_uses_given_embeddings():
    df = _scored_frame(40)
    df["flag"] = False
    emb = np.zeros((40, 2))
    emb[:20, 0] = 1.0  # two clear groups: the spread takes one row from each
    emb[20:, 1] = 1.0
    emb += np.random.RandomState(1).normal(scale=0.01, size=emb.shape)
    picked = select_for_review(df, 2, embeddings=emb, uncertain_share=0, flagged_share=0)
    assert list(picked["pick_reason"]) == ["spread", "spread"]
    assert sorted(i < 20 for i in picked["scored_index"]) == [False, True]
    assert all("20" in d for d in picked["pick_detail"])  # group size named


def test_empty_and_repeated_narratives(scored_dir):
    rows = pd.read_csv(scored_dir / "scored" / "rows.csv", keep_default_na=False)
    picked = select_for_review(rows, 500)
    assert 3 not in set(picked["scored_index"])
    assert not ({4, 5} <= set(picked["scored_index"]))
    assert picked["narrative"].is_unique
    twice = picked[picked["narrative"] == rows.loc[5, "narrative"]]
    assert twice["n_same"].tolist() == [2]
    assert len(picked) == len(rows) - 2


def test_workbook_has_dropdown_key_and_instructions(scored_dir, tmp_path):
    path, picked = export_review(scored_dir / "scored", tmp_path / "review.xlsx", n=10)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["Заавар", REVIEW_SHEET, STATUS_SHEET]
    ws = wb[REVIEW_SHEET]
    assert [c.value for c in ws[1]] == [h for _, h in REVIEW_COLUMNS]
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list"
    assert f"'{STATUS_SHEET}'!$A$2:$A$7" in dv[0].formula1
    letter = openpyxl.utils.get_column_letter(COL["auditor_status"])
    assert str(dv[0].sqref) == f"{letter}2:{letter}11"
    assert [wb[STATUS_SHEET].cell(row=i + 2, column=1).value for i in range(6)] == [status_label(s) for s in STATUSES]
    instructions = " ".join(str(c.value or "") for row in wb["Заавар"].iter_rows() for c in row)
    assert "Аудиторын төлөв" in instructions and "auditor's status" in instructions
    assert ws.cell(row=2, column=COL["narrative_hash"]).value
    assert ws.cell(row=2, column=COL["model_status"]).value.endswith(f"({picked['status'].iat[0]})")
    assert ws.cell(row=2, column=COL["reasons"]).value == picked["reasons"].iat[0]
    assert ws.cell(row=2, column=COL["pick_detail"]).value == picked["pick_detail"].iat[0]


def test_a_formula_like_narrative_stays_text(tmp_path):
    df = _scored_frame(3)
    df.loc[0, "narrative"] = "=HYPERLINK(\"http://x\")"
    from nlp.review.queue import write_review_workbook
    path = write_review_workbook(select_for_review(df, 3), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    values = [wb[REVIEW_SHEET].cell(row=r, column=COL["narrative"]) for r in range(2, 5)]
    assert any(c.value == df.loc[0, "narrative"] and c.data_type == "s" for c in values)


def test_status_accepts_dropdown_code_and_mongolian():
    assert parse_status(status_label("partial")) == "partial"
    assert parse_status("  blocked_staffing ") == "blocked_staffing"
    assert parse_status("Хэрэгжээгүй") == "not_done"
    assert parse_status("") is None and parse_status(None) is None
    with pytest.raises(ValueError):
        parse_status("finished")


def test_import_stores_labels_with_provenance(scored_dir, tmp_path):
    path, picked = export_review(scored_dir / "scored", tmp_path / "review.xlsx", n=6)
    _fill(path, {(2, "auditor_status"): status_label("done"), (2, "auditor"): "Б. Болд",
                 (3, "auditor_status"): "not_applicable", (3, "comment"): "өргөдөл ирээгүй"})
    store = LabelStore(tmp_path / "labels.sqlite")
    result = import_review(path, store, auditor="Д. Сараа")
    assert (result.added, result.skipped, result.not_reviewed) == (2, 0, 4)
    got = store.frame()
    assert list(got["status"]) == ["done", "not_applicable"]
    assert list(got["auditor"]) == ["Б. Болд", "Д. Сараа"]  # --auditor fills only the empty name
    assert list(got["sheet_row"]) == ["2", "3"]
    assert list(got["report_id"]) == list(picked["report_id"][:2])
    assert list(got["row_id"]) == [str(v) for v in picked["row_id"][:2]]
    assert list(got["narrative"]) == list(picked["narrative"][:2])
    assert set(got["source_file"]) == {"review.xlsx"}
    assert list(got["model_status"]) == list(picked["status"][:2])


def test_cli_export_and_import_twice_is_a_no_op(scored_dir, tmp_path, capsys):
    xlsx = tmp_path / "review.xlsx"
    assert main(["label", "export", str(scored_dir / "scored"), "--out", str(xlsx), "--n", "8",
                 "--model", str(scored_dir / "model")]) == 0
    assert "8" in capsys.readouterr().out
    wb = openpyxl.load_workbook(xlsx)
    assert wb[REVIEW_SHEET].cell(row=2, column=COL["model_version"]).value.startswith("tiny@")
    _fill(xlsx, {(r, "auditor_status"): status_label(STATUSES[r % 6]) for r in range(2, 7)})
    store = tmp_path / "labels.sqlite"
    args = ["label", "import", str(xlsx), "--store", str(store), "--auditor", "Б. Болд"]
    assert main(args) == 0
    assert "5" in capsys.readouterr().out
    before = LabelStore(store).frame()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "added 0" in out and "already stored 5" in out
    pd.testing.assert_frame_equal(LabelStore(store).frame(), before)
    assert main(["label", "dump", "--store", str(store), "--out", str(tmp_path / "labels.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "labels.csv")) == 5


def test_malformed_workbook_is_refused_with_the_rows_named(scored_dir, tmp_path, capsys):
    path, picked = export_review(scored_dir / "scored", tmp_path / "review.xlsx", n=8)
    _fill(path, {
        (2, "auditor_status"): "done", (2, "auditor"): "Б. Болд",  # fine
        (3, "auditor_status"): "finished", (3, "auditor"): "Б. Болд",  # unknown status
        (4, "auditor"): "Б. Болд", (4, "comment"): "эргэлзээтэй",  # empty status
        (5, "auditor_status"): "partial", (5, "auditor"): "Б. Болд",
        (5, "narrative"): picked["narrative"].iat[3] + " засвар",  # edited narrative
        (6, "auditor_status"): "not_done",  # no name, and no --auditor
    })
    store = tmp_path / "labels.sqlite"
    assert main(["label", "import", str(path), "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "review.xlsx" in err and "the workbook is refused" in err and "ажлын номыг хүлээн авсангүй" in err
    for row, words in ((3, "unknown status 'finished'"), (4, "empty status"), (5, "narrative was edited"),
                       (6, "no auditor's name")):
        line = next(l for l in err.splitlines() if f"sheet {REVIEW_SHEET}, row {row}:" in l)
        assert words in line and f"{row}-р мөр" in line
    assert "row 2:" not in err
    assert len(LabelStore(store)) == 0  # nothing stored, not even the good row
    with pytest.raises(ReviewError) as info:
        read_review_workbook(path)
    assert [p[1] for p in info.value.problems] == [3, 4, 5, 6]


def test_missing_key_columns_and_bad_files_are_refused(scored_dir, tmp_path):
    path, _ = export_review(scored_dir / "scored", tmp_path / "review.xlsx", n=3)
    wb = openpyxl.load_workbook(path)
    wb[REVIEW_SHEET].delete_cols(COL["narrative_hash"])
    wb.save(path)
    with pytest.raises(ReviewError, match="missing columns: Биелэлтийн хэш / narrative_hash") as info:
        read_review_workbook(path)
    assert info.value.problems[0][:2] == (REVIEW_SHEET, 1)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(Exception, match="not a readable .xlsx"):
        read_review_workbook(junk)


def test_cli_import_one_bad_workbook_does_not_stop_the_others(scored_dir, tmp_path, capsys):
    good, _ = export_review(scored_dir / "scored", tmp_path / "good.xlsx", n=3)
    bad, _ = export_review(scored_dir / "scored", tmp_path / "bad.xlsx", n=3)
    _fill(good, {(2, "auditor_status"): "done"})
    _fill(bad, {(2, "auditor_status"): "??"})
    store = tmp_path / "labels.sqlite"
    assert main(["label", "import", str(bad), str(good), "--store", str(store), "--auditor", "Б"]) == 1
    assert len(LabelStore(store)) == 1
    assert "bad.xlsx" in capsys.readouterr().err


def test_export_reads_org_from_reports(scored_dir):
    from nlp.review.queue import load_scored_dir
    rows = load_scored_dir(scored_dir / "scored")
    assert {"org", "year"} <= set(rows.columns) and len(rows) == 48
    assert MEASURE in set(rows["measure"])
