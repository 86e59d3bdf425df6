"""Outputs for people: report.xlsx, report.html and rows.parquet (nlp.outputs.report)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape
from openpyxl import load_workbook

from nlp.judge.audit import flag_states, score, summarize_reports
from nlp.errors import BiyeleltError
from nlp.judge.model import AuditModel
from nlp.outputs.report import (COLUMN_TITLES, OUTPUT_FILES, SHEETS, ReportOptions, write_html, write_outputs,
                        write_parquet, write_workbook)
from nlp.settings import STATUS_MN, STATUSES
from nlp.learn.train import fit_pipeline

from _models import HashEncoder, tiny_frame

# Boilerplate the tiny corpus labels no_evidence, reported at 100: a flagged row, so the HTML page lists it.
SCRIPT = "<script>alert('x')</script> Анхааран ажиллаж байна."
FORMULA = '=HYPERLINK("http://example.com","click")'
HOSTILE_ID = "<b>r2</b> $x$ & 'q'"  # a report id with markup, a dollar sign (no mathtext) and quotes


def states(df) -> np.ndarray:
    """The flag column as its three states: "true", "review", "false"."""
    return flag_states(df["flag"])


@pytest.fixture(scope="module")
def scored():
    """The tiny corpus scored by a tiny model, in three reports, with hostile narratives mixed in."""
    labelled = tiny_frame(3)
    model = AuditModel(pipeline=fit_pipeline(labelled, HashEncoder()), encoder_spec=None)
    rows = labelled.drop(columns=["status", "split"]).rename(columns={"org_id": "org"})
    rows["report_id"] = rows["report_id"].map({"r0": "r0", "r1": "сум/1:[a]", "r2": HOSTILE_ID})
    rows["source"] = "2024/aimag/" + rows["report_id"] + ".docx"
    rows["row_id"] = rows.groupby("report_id").cumcount() + 1
    rows["reported_percent"] = pd.to_numeric(rows["reported_percent"], errors="coerce")
    rows.loc[0, "narrative"] = SCRIPT
    rows.loc[1, "narrative"] = FORMULA
    rows.loc[2, "narrative"] = "#N/A"
    rows.loc[3, "narrative"] = "хяналт\x07 тавьсан"  # a control character XML cannot hold
    rows.loc[0:3, "reported_percent"] = 100.0
    out = score(rows, model, encoder=HashEncoder())
    # The tiny model is sure of itself: some of its unflagged rows become rows for review, in two reports.
    plain = out.loc[(states(out) == "false") & out["report_id"].isin(["r0", HOSTILE_ID])]
    by_report = plain.groupby("report_id").head(2).index
    out.loc[by_report, "flag"] = "review"
    flags = states(out)
    assert set(flags) == {"true", "review", "false"}  # the tests below need all three kinds of rows
    assert out.loc[by_report, "report_id"].nunique() == 2
    assert flags[0] == "true"  # the hostile narrative is on a flagged row, which the HTML page shows
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
        quoted = link.location.rsplit("!", 1)[0]
        assert quoted[0] == quoted[-1] == "'"
        target = quoted[1:-1].replace("''", "'")  # a quote inside a sheet name is doubled, as Excel wants
        assert target in book.sheetnames
        assert _table(book[target])["report_id"].unique().tolist() == [ws.cell(row=row, column=2).value]


def test_flagged_sheet_holds_exactly_the_flagged_and_review_rows_with_reasons(book, scored, reports):
    ws = book[SHEETS["flagged"]]
    table = _table(ws)
    flagged = scored.loc[states(scored) != "false"]
    assert len(table) == len(flagged)
    assert _key(table) == _key(flagged)
    assert set(table["flag"]) == {"true", "review"}
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


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(scored, reports, tmp_path, monkeypatch):
    import nlp.outputs.workbook as workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 12)  # 10 rows a sheet under the two header rows
    path = write_workbook(scored, reports, tmp_path / "r.xlsx", options=ReportOptions(per_report_sheets_max=0))
    book = load_workbook(path)
    base = SHEETS["all_rows"]
    parts = [base] + [n for n in book.sheetnames if n.startswith(base + " (")]
    assert len(parts) == -(-len(scored) // 10) and parts[1] == f"{base} (2)"
    tables = [_table(book[n]) for n in parts]
    assert all(len(t) == 10 for t in tables[:-1])
    joined = pd.concat(tables, ignore_index=True)
    assert len(joined) == len(scored) and _key(joined) == _key(scored)  # every row, once
    for n in parts:  # each part has the header, the freeze and the filter
        assert book[n].freeze_panes == "A3" and book[n].auto_filter.ref.startswith("A2:")


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

def _e(text) -> str:
    """Text as the page escapes it (Jinja2's autoescaping)."""
    return str(escape(text))


def _sections(page: str, prefix: str) -> list[tuple[int, str]]:
    return [(int(r), body) for r, body in re.findall(rf'<details open id="{prefix}-(\d+)">(.*?)</details>', page,
                                                     flags=re.S)]


def test_page_is_one_self_contained_file(page):
    lower = page.replace(_e(FORMULA), "").lower()  # a narrative's URL is text, not a link
    assert "http:" not in lower and "https:" not in lower  # no external URL, not even an XML namespace
    assert "<script" not in lower and "<link" not in lower and "@import" not in lower and "<iframe" not in lower
    assert not re.search(r"\ssrc\s*=", lower)
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', lower))
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", lower))
    assert lower.startswith("<!doctype html>") and "<?xml" not in lower and "<!doctype svg" not in lower


def test_page_has_the_charts_as_inline_svg(page):
    charts = re.findall(r'<div class="chart chart-(\w+)" role="img" aria-label="([^"]+)"><svg ', page)
    assert [name for name, _ in charts] == ["dumbbell", "scatter", "histogram", "statuses"]
    assert page.count("<svg") == 4 and page.count("</svg>") == 4
    assert all(re.search("[а-яөү]", label) and " / " in label for _, label in charts)  # both languages
    # Each chart's ids are its own: four charts on one page never share one.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for name, _ in charts:
        body = page[page.index(f'<div class="chart chart-{name}"'):]
        body = body[:body.index("</svg>")]
        assert all(ref.startswith(f"#{name}-") for ref in re.findall(r'href="([^"]*)"', body))
        assert "<text" in body  # text stays text (svg.fonttype = none): the browser's fonts show Mongolian
    # bilingual axis labels and legends drawn by matplotlib
    for text in ("Нотолгооны дундаж оноо / predicted mean", "Тайлагнасан дундаж хувь / reported mean",
                 "тэмдэглэсэн / flagged", "шалгах / review", "бусад / other", "gap = reported − predicted"):
        assert text in page


def test_page_names_every_report_and_escapes_every_value(page, reports):
    for rid in reports["report_id"]:
        assert _e(rid) in page
    assert "<b>r2" not in page and "&lt;b&gt;r2&lt;/b&gt; $x$ &amp;" in page  # in the tables and the charts
    assert _e(SCRIPT) in page and "<script" not in page
    assert "alert('x')" not in page  # quotes escaped as well
    assert _e(FORMULA) in page and FORMULA not in page


def test_page_is_bilingual_and_shows_the_charts(page):
    for text in ("Тайлангийн эрэмбэ", "Report ranking", "Зөрүүний тархалт", "Distribution of gaps",
                 "Reported against predicted", "Flagged rows by report", "Аудитор шалгах мөр", "Rows for review"):
        assert text in page


def test_page_shows_the_three_flag_states(page, scored):
    flags = states(scored)
    n_true, n_review = int((flags == "true").sum()), int((flags == "review").sum())
    flagged_card = re.search(r'<div class="card flagged" id="card-flagged"><b>(\d+) ', page)
    review_card = re.search(r'<div class="card review" id="card-review"><b>(\d+) ', page)
    assert int(flagged_card.group(1)) == n_true and int(review_card.group(1)) == n_review
    legend = re.search(r'<ul class="legend">(.*?)</ul>', page, flags=re.S).group(1)
    assert '<span class="swatch flagged">' in legend and '<span class="swatch review">' in legend
    for text in ("Ягаан", "Pink", "Шар", "Yellow", "flag = true", "flag = review", "flag = false",
                 "аудитор шийднэ", "an auditor decides"):
        assert text in legend
    # The ranking: pink for reports with flagged rows, yellow for those with only rows for review.
    ranking = page[page.index('<table class="fixed rank">'):]
    ranking = ranking[:ranking.index("</table>")]
    assert ranking.count('<tr class="flagged">') == int((summarize_reports(scored)["n_flagged"] > 0).sum())


def test_page_lists_each_reports_flagged_rows_with_reasons(page, scored, reports):
    sections = _sections(page, "rep")
    with_flags = reports.loc[reports["n_flagged"] > 0]
    assert [r for r, _ in sections] == with_flags["rank"].tolist()
    for (rank, body), (_, rep) in zip(sections, with_flags.iterrows()):
        flagged = scored.loc[(states(scored) == "true") & (scored["report_id"] == rep["report_id"])]
        assert body.count('<tr class="flagged">') == len(flagged) == body.count("<tr") - 1  # and the header
        assert body.count('<div class="badge">тэмдэглэсэн / flagged</div>') == len(flagged)
        for reason in flagged["reasons"]:
            assert _e(reason) in body
    assert f'<a href="#rep-{sections[0][0]}">' in page  # the ranking links to them


def test_page_lists_the_rows_for_review_after_the_flagged_rows(page, scored, reports):
    flags = states(scored)
    review = _sections(page, "review")
    n_review_of = scored.loc[flags == "review"].groupby("report_id").size()
    with_review = reports.loc[reports["report_id"].isin(n_review_of.index)]
    assert [r for r, _ in review] == with_review["rank"].tolist() and len(review) == 2
    assert page.index('id="flagged"') < page.index('id="review"') < page.index('<details open id="review-')
    assert page.index('<details open id="rep-') < page.index('id="review"')
    for (rank, body), rid in zip(review, with_review["report_id"]):
        rows = scored.loc[(flags == "review") & (scored["report_id"] == rid)]
        assert body.count('<tr class="review">') == len(rows) == body.count("<tr") - 1
        assert body.count('<div class="badge review">шалгах / review</div>') == len(rows)
        for narrative in rows["narrative"]:
            assert _e(narrative) in body
    assert f"All {int((flags == 'review').sum())} rows for review are in report.xlsx" in page


def test_page_lists_flagged_rows_only_for_the_top_reports_and_says_so(scored, reports, tmp_path):
    text = write_html(scored, reports, tmp_path / "p.html",
                      options=ReportOptions(html_top_reports=1)).read_text(encoding="utf-8")
    assert len(_sections(text, "rep")) == 1 and len(_sections(text, "review")) == 1
    n_with = int((reports["n_flagged"] > 0).sum())
    assert f"top 1 of the {n_with} reports with flagged rows" in text
    assert f"All {int((states(scored) == 'true').sum())} flagged rows are in report.xlsx" in text
    assert "top 1 of the 2 reports with rows for review" in text


def test_page_stays_small_for_a_large_year(scored, tmp_path):
    # 120 copies of the corpus in 360 reports: the page lists flagged rows for 50 of them only.
    big = pd.concat([scored.assign(report_id=scored["report_id"] + f"-{k}") for k in range(120)],
                    ignore_index=True)
    reports = summarize_reports(big)
    path = write_html(big, reports, tmp_path / "big.html")
    text = path.read_text(encoding="utf-8")
    assert len(_sections(text, "rep")) == 50 and len(_sections(text, "review")) == 50
    flags = states(big)
    top = reports.loc[reports["n_flagged"] > 0].head(50)
    listed = text[text.index('id="flagged"'):]  # the ranking above marks its rows the same way
    assert listed.count('<tr class="flagged">') == top["n_flagged"].sum() < (flags == "true").sum() / 4
    assert listed.count('<tr class="review">') < (flags == "review").sum() / 2
    assert path.stat().st_size < 1_000_000


def test_page_does_not_depend_on_the_users_matplotlib_settings(scored, reports, page, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    with matplotlib.rc_context({"lines.linewidth": 7, "font.size": 20, "axes.grid": False, "svg.hashsalt": "x",
                                "svg.fonttype": "path", "text.parse_math": True}):
        again = write_html(scored, reports, tmp_path / "again.html").read_text(encoding="utf-8")
        assert matplotlib.rcParams["font.size"] == 20  # and the page leaves them as they were
    assert again == page


def test_templates_and_shared_colours_ship_with_the_package():
    from nlp.outputs.html import TEMPLATES, palette

    names = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()}
    assert {"report.html.j2", "_macros.html.j2", "_ranking.html.j2", "_flagged.html.j2", "static/shared.css",
            "static/report.css"} <= names
    colours = palette()
    assert {"flag", "flag-line", "review", "review-line", "accent"} <= set(colours)
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"nlp.outputs" = ["templates/*.j2", "templates/static/*"]' in pyproject
    # The web app takes its colours and flag marks from the same file, not a copy of its own.
    web_css = (Path(__file__).resolve().parents[1] / "nlp" / "web" / "static" / "app.css").read_text(encoding="utf-8")
    assert "--flag:" not in web_css and "--review:" not in web_css and "tr.flagged td {" not in web_css


def test_web_app_shares_the_macros_and_colours(tmp_path):
    pytest.importorskip("flask")
    from nlp.web import WebConfig, create_app

    app = create_app(WebConfig(data_dir=tmp_path / "web", store_path=tmp_path / "labels.sqlite"))
    macros = app.jinja_env.get_template("outputs/_macros.html.j2").module
    badge = str(macros.flag_badge("review", {"true": "x", "review": "<i>шалгах</i>"}))
    assert badge == '<div class="badge review">&lt;i&gt;шалгах&lt;/i&gt;</div>'  # escaped in the web app too
    assert str(macros.row_class("true")) == "flagged" and str(macros.row_class("false")) == ""
    client = app.test_client()
    shared = client.get("/shared/shared.css")
    assert shared.status_code == 200 and b"--flag-line" in shared.data
    page = client.get("/no-such-page")  # any page: they all extend base.html
    assert page.status_code == 404 and '<link rel="stylesheet" href="/shared/shared.css">' in page.get_data(as_text=True)


# ------------------------------------------------------------------------------------------- parquet

def test_parquet_round_trips_the_rows(scored, tmp_path):
    path = write_parquet(scored, tmp_path / "rows.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, scored.reset_index(drop=True), check_dtype=False)
    assert set(back["flag"]) == {"true", "review", "false"} and back["gap"].dtype == np.float64


def test_parquet_bytes_depend_on_the_rows_not_on_how_they_were_put_together(tmp_path):
    # A year is assembled from many parts, so its text columns hold many Arrow chunks; with more distinct
    # text than a dictionary page holds, where the writer gives up the dictionary depended on the chunks.
    texts = [f"{i:06d} хяналт тавьж, үр дүнг тайлагнасан; нийт {i % 97} удаа, {i % 13} хүн хамрагдсан" * 2
             for i in range(30_000)]
    pieces = pd.concat([pd.DataFrame({"narrative": texts[i:i + 100], "n": range(i, i + 100)})
                        for i in range(0, len(texts), 100)], ignore_index=True)
    whole = pd.DataFrame({"narrative": texts, "n": range(len(texts))})
    pd.testing.assert_frame_equal(pieces, whole)
    a = write_parquet(pieces, tmp_path / "a.parquet").read_bytes()
    assert a == write_parquet(whole, tmp_path / "b.parquet").read_bytes()


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
    from nlp.judge.model import save_model

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
