"""Outputs for people: report.xlsx, report.html and rows.parquet (nlp.report)."""

import html
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from nlp.audit import score, summarize_reports
from nlp.errors import BiyeleltError
from nlp.model import AuditModel
from nlp.report import (COLUMN_TITLES, OUTPUT_FILES, SHEETS, ReportOptions, write_html, write_outputs,
                        write_parquet, write_workbook)
from nlp.settings import STATUS_MN, STATUSES
from nlp.train import fit_pipeline

from _models import HashEncoder, tiny_frame

# Boilerplate the tiny corpus labels no_evidence, reported at 100: a flagged row, so the HTML page lists it.
SCRIPT = "<script>alert('x')</script> Анхааран ажиллаж байна."
FORMULA = '=HYPERLINK("http://example.com","click")'


@pytest.fixture(scope="module")
def scored():
    """The tiny corpus scored by a tiny model, in three reports, with hostile narratives mixed in."""
    labelled = tiny_frame(3)
    model = AuditModel(pipeline=fit_pipeline(labelled, HashEncoder()), encoder_spec=None)
    rows = labelled.drop(columns=["status", "split"]).rename(columns={"org_id": "org"})
    rows["report_id"] = rows["report_id"].map({"r0": "r0", "r1": "сум/1:[a]", "r2": "r2"})
    rows["source"] = "2024/aimag/" + rows["report_id"] + ".docx"
    rows["row_id"] = rows.groupby("report_id").cumcount() + 1
    rows["reported_percent"] = pd.to_numeric(rows["reported_percent"], errors="coerce")
    rows.loc[0, "narrative"] = SCRIPT
    rows.loc[1, "narrative"] = FORMULA
    rows.loc[2, "narrative"] = "#N/A"
    rows.loc[3, "narrative"] = "хяналт\x07 тавьсан"  # a control character XML cannot hold
    rows.loc[0:3, "reported_percent"] = 100.0
    out = score(rows, model, encoder=HashEncoder())
    assert out["flag"].any() and not out["flag"].all()  # the tests below need both kinds of rows
    assert out.loc[0, "flag"]  # the hostile narrative is on a flagged row, which the HTML page shows
    return out


@pytest.fixture(scope="module")
def reports(scored):
    return summarize_reports(scored)


@pytest.fixture(scope="module")
def book(scored, reports, tmp_path_factory):
    path = write_workbook(scored, reports, tmp_path_factory.mktemp("xlsx") / "report.xlsx")
    return load_workbook(path)


@pytest.fixture(scope="module")
def page(scored, reports, tmp_path_factory):
    return write_html(scored, reports, tmp_path_factory.mktemp("html") / "report.html").read_text(encoding="utf-8")


def _table(ws) -> pd.DataFrame:
    """A sheet's table: row 2 holds the column names, data from row 3 to the filter's last row."""
    rows = list(ws.iter_rows(values_only=True))
    last = int(re.search(r"(\d+)$", ws.auto_filter.ref).group(1))
    return pd.DataFrame(rows[2:last], columns=list(rows[1]))


def _key(df):
    return sorted(zip(df["report_id"].astype(str), df["row_id"].astype(int)))


# ------------------------------------------------------------------------------------------- workbook

def test_workbook_has_the_sheets_in_order(book, reports):
    per_report = [ws.title for ws in book.worksheets[4:]]
    assert book.sheetnames[:4] == [SHEETS["ranking"], SHEETS["flagged"], SHEETS["status"], SHEETS["about"]]
    assert len(per_report) == len(reports)  # 3 reports ≤ 50: one sheet each
    for title, (rank, rid) in zip(per_report, zip(reports["rank"], reports["report_id"])):
        assert title.startswith(f"{rank} ") and len(title) <= 31
        assert not set(title) & set("[]:*?/\\")  # characters Excel refuses were replaced


@pytest.mark.parametrize("sheet", ["ranking", "flagged", "status", "report"])
def test_tables_have_mongolian_titles_english_names_frozen_header_and_filter(book, sheet):
    ws = book.worksheets[4] if sheet == "report" else book[SHEETS[sheet]]
    mongolian = [c.value for c in ws[1]]
    english = [c.value for c in ws[2]]
    for mn, en in zip(mongolian, english):
        expected = STATUS_MN[en] if en in STATUSES else COLUMN_TITLES[en][0]
        assert mn == expected
    assert re.search("[а-яөү]", "".join(mongolian).lower())
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:")
    last_col = re.match(r"A2:([A-Z]+)\d+", ws.auto_filter.ref).group(1)
    assert last_col == ws.cell(row=2, column=len(english)).column_letter


def test_ranking_sheet_is_the_ranking_and_links_each_report_to_its_sheet(book, reports):
    ws = book[SHEETS["ranking"]]
    table = _table(ws)
    assert table["report_id"].tolist() == reports["report_id"].tolist()
    assert table["rank"].tolist() == reports["rank"].tolist()
    assert table["n_flagged"].tolist() == reports["n_flagged"].tolist()
    for row in range(3, 3 + len(reports)):
        link = ws.cell(row=row, column=2).hyperlink
        target = link.location.split("!")[0].strip("'")
        assert target in book.sheetnames
        assert _table(book[target])["report_id"].unique().tolist() == [ws.cell(row=row, column=2).value]


def test_flagged_sheet_holds_exactly_the_flagged_rows_with_reasons(book, scored, reports):
    ws = book[SHEETS["flagged"]]
    table = _table(ws)
    flagged = scored.loc[scored["flag"]]
    assert len(table) == len(flagged)
    assert _key(table) == _key(flagged)
    assert table["flag"].all()
    by_key = dict(zip(zip(flagged["report_id"], flagged["row_id"]), flagged["reasons"]))
    for rid, row, reason in zip(table["report_id"], table["row_id"], table["reasons"]):
        assert reason == by_key[(rid, row)] and reason
    # Most inconsistent report first, input order within a report.
    rank_of = dict(zip(reports["report_id"], reports["rank"]))
    ranks = table["report_id"].map(rank_of).tolist()
    assert ranks == sorted(ranks)
    for _, g in table.groupby("report_id"):
        assert g["row_id"].tolist() == sorted(g["row_id"])


def test_flagged_sheet_highlights_gaps_and_flagged_rows(book):
    ws = book[SHEETS["flagged"]]
    names = [c.value for c in ws[2]]
    gap_col = ws.cell(row=2, column=names.index("gap") + 1).column_letter
    rules = {str(cf.sqref): [r.type for r in cf.rules] for cf in ws.conditional_formatting}
    assert any(ref.startswith(f"{gap_col}3:") and "colorScale" in types for ref, types in rules.items())
    assert any(ref.startswith("A3:") and "expression" in types for ref, types in rules.items())


def test_per_report_sheets_hold_each_reports_rows(book, scored, reports):
    for ws, rid in zip(book.worksheets[4:], reports["report_id"]):
        table = _table(ws)
        assert _key(table) == _key(scored.loc[scored["report_id"] == rid])


def test_many_reports_get_one_all_rows_sheet_instead(scored, reports, tmp_path):
    path = write_workbook(scored, reports, tmp_path / "r.xlsx", options=ReportOptions(per_report_sheets_max=2))
    book = load_workbook(path)
    assert book.sheetnames == [SHEETS["ranking"], SHEETS["flagged"], SHEETS["status"], SHEETS["about"],
                               SHEETS["all_rows"]]
    ws = book[SHEETS["all_rows"]]
    table = _table(ws)
    assert len(table) == len(scored) and _key(table) == _key(scored)
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:{ws.cell(row=2, column=ws.max_column).column_letter}" \
                                                             f"{len(scored) + 2}"
    about = " ".join(str(c) for row in book[SHEETS["about"]].iter_rows(values_only=True) for c in row if c)
    assert "3 > 2" in about  # the page says which rule applied


def test_status_counts_sheet_counts_rows_per_status_and_report(book, scored, reports):
    ws = book[SHEETS["status"]]
    table = _table(ws)
    expected = pd.crosstab(scored["report_id"], scored["status"]).reindex(columns=list(STATUSES), fill_value=0)
    for _, row in table.iterrows():
        assert [row[s] for s in STATUSES] == expected.loc[row["report_id"]].tolist()
        assert row["n_rows"] == sum(row[s] for s in STATUSES)
    total = [c.value for c in ws[ws.max_row]]
    assert total[list(table.columns).index("n_rows")] == len(scored)


def test_text_stays_text_in_the_workbook(book):
    cells = {c.value: c for ws in book.worksheets[4:] for row in ws.iter_rows(min_row=3) for c in row
             if isinstance(c.value, str)}
    assert cells[FORMULA].data_type == "s"  # not a formula Excel would run
    assert cells["#N/A"].data_type == "s"  # not an error value
    assert SCRIPT in cells
    assert "хяналт тавьсан" in cells  # the control character was dropped, not the row


# ------------------------------------------------------------------------------------------- page

def test_page_is_one_self_contained_file(page):
    lower = page.replace(html.escape(FORMULA, quote=True), "").lower()  # a narrative's URL is text, not a link
    assert "http:" not in lower and "https:" not in lower and "//" not in lower.replace("<!--", "")
    assert "<script" not in lower and "<link" not in lower and "@import" not in lower and "url(" not in lower
    assert not re.search(r"\ssrc\s*=", lower)
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', lower))
    assert lower.count("<svg") >= 3  # reported vs predicted (two views), gaps, statuses


def test_page_names_every_report_and_escapes_every_value(page, reports):
    for rid in reports["report_id"]:
        assert html.escape(rid, quote=True) in page
    assert html.escape(SCRIPT, quote=True) in page
    assert "alert('x')" not in page  # quotes escaped as well
    assert html.escape(FORMULA, quote=True) in page and FORMULA not in page


def test_page_is_bilingual_and_shows_the_charts(page):
    for text in ("Тайлангийн эрэмбэ", "Report ranking", "Зөрүүний тархалт", "Distribution of gaps",
                 "Reported against predicted", "Flagged rows by report"):
        assert text in page


def test_page_lists_each_reports_flagged_rows_with_reasons(page, scored, reports):
    sections = re.findall(r'<details open id="rep-(\d+)">(.*?)</details>', page, flags=re.S)
    with_flags = reports.loc[reports["n_flagged"] > 0]
    assert [int(r) for r, _ in sections] == with_flags["rank"].tolist()
    for (rank, body), (_, rep) in zip(sections, with_flags.iterrows()):
        flagged = scored.loc[scored["flag"] & (scored["report_id"] == rep["report_id"])]
        assert body.count("<tr>") - 1 == len(flagged)  # one table row per flagged row, and the header
        for reason in flagged["reasons"]:
            assert html.escape(reason, quote=True) in body


def test_page_lists_flagged_rows_only_for_the_top_reports_and_says_so(scored, reports, tmp_path):
    text = write_html(scored, reports, tmp_path / "p.html",
                      options=ReportOptions(html_top_reports=1)).read_text(encoding="utf-8")
    assert len(re.findall(r"<details", text)) == 1
    n_with = int((reports["n_flagged"] > 0).sum())
    assert f"top 1 of the {n_with} reports with flagged rows" in text
    assert f"All {int(scored['flag'].sum())} flagged rows are in report.xlsx" in text


def test_page_stays_small_for_a_large_year(scored, tmp_path):
    # 120 copies of the corpus in 360 reports: the page lists flagged rows for 50 of them only.
    big = pd.concat([scored.assign(report_id=scored["report_id"] + f"-{k}") for k in range(120)],
                    ignore_index=True)
    reports = summarize_reports(big)
    path = write_html(big, reports, tmp_path / "big.html")
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r"<details", text)) == 50
    listed_rows = text[text.index('id="flagged"'):].count("<tr>") - 50  # each table's header row aside
    assert listed_rows < big["flag"].sum() / 5
    assert path.stat().st_size < 1_000_000


# ------------------------------------------------------------------------------------------- parquet

def test_parquet_round_trips_the_rows(scored, tmp_path):
    path = write_parquet(scored, tmp_path / "rows.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, scored.reset_index(drop=True), check_dtype=False)
    assert back["flag"].dtype == bool and back["gap"].dtype == np.float64


def test_parquet_writes_a_mixed_column_as_text(scored, tmp_path):
    mixed = scored.copy()
    mixed["reported_raw"] = ["100" if i % 2 else 100 for i in range(len(mixed))]
    mixed.loc[0, "reported_raw"] = None
    back = pd.read_parquet(write_parquet(mixed, tmp_path / "rows.parquet"))
    assert pd.isna(back["reported_raw"].iloc[0])
    assert back["reported_raw"].iloc[1:].tolist() == ["100"] * (len(mixed) - 1)
    assert len(back) == len(mixed)


# ------------------------------------------------------------------------------------------- together

def test_write_outputs_writes_the_formats_asked_for(scored, reports, tmp_path):
    paths = write_outputs(scored, reports, tmp_path / "all")
    assert {p.name for p in paths.values()} == set(OUTPUT_FILES.values())
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(OUTPUT_FILES.values())  # no leftovers
    only = write_outputs(scored, reports, tmp_path / "some", formats="html,parquet")
    assert set(only) == {"html", "parquet"} and not (tmp_path / "some" / "report.xlsx").exists()
    assert write_outputs(scored, reports, tmp_path / "none", formats="none") == {}
    with pytest.raises(BiyeleltError, match="pdf"):
        write_outputs(scored, reports, tmp_path / "bad", formats=("xlsx", "pdf"))


def test_same_input_gives_the_same_bytes(scored, reports, tmp_path):
    first = write_outputs(scored, reports, tmp_path / "a")
    second = write_outputs(scored, reports, tmp_path / "b")
    for fmt in first:
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt


def test_no_rows_still_gives_every_output(scored, tmp_path):
    empty = scored.iloc[0:0]
    paths = write_outputs(empty, summarize_reports(empty), tmp_path)
    book = load_workbook(paths["xlsx"])
    assert book.sheetnames == [SHEETS["ranking"], SHEETS["flagged"], SHEETS["status"], SHEETS["about"]]
    assert [c.value for c in book[SHEETS["flagged"]][2]][:2] == ["rank", "report_id"]
    assert "No flagged rows" in paths["html"].read_text(encoding="utf-8")
    assert pd.read_parquet(paths["parquet"]).empty


def test_unwritable_target_names_the_file(scored, reports, tmp_path):
    target = tmp_path / "report.xlsx"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(BiyeleltError) as err:
        write_workbook(scored, reports, target)
    assert str(target) in err.value.message
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


def test_cli_score_writes_the_outputs_for_people(tmp_path, capsys):
    from nlp.cli import main
    from nlp.model import save_model

    # No embeddings: the CLI needs no encoder.
    save_model(AuditModel(pipeline=fit_pipeline(tiny_frame(3)), encoder_spec=None), tmp_path / "model")
    rows = tiny_frame(1).drop(columns=["status", "split"])
    rows.to_csv(tmp_path / "rows.csv", index=False)
    base = ["score", str(tmp_path / "rows.csv"), "--model", str(tmp_path / "model"),
            "--cache", str(tmp_path / "cache"),
            "--no-progress", "--jobs", "1"]
    assert main(base + ["--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    for name in OUTPUT_FILES.values():
        assert (tmp_path / "out" / name).is_file() and name in out
    assert main(base + ["--out", str(tmp_path / "html"), "--formats", "html"]) == 0
    assert (tmp_path / "html" / "report.html").is_file() and not (tmp_path / "html" / "report.xlsx").exists()
    assert main(base + ["--out", str(tmp_path / "x"), "--formats", "xlsx,docx"]) == 2
    assert "docx" in capsys.readouterr().err
