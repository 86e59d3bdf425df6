"""The web app (``biyelelt serve``) through Flask's test client, with a tiny model and a fast encoder."""

from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote_plus

import pandas as pd
import pytest

pytest.importorskip("flask", reason="the web extra (Flask) is not installed: pip install 'biyelelt[web]'")

from nlp.judge.audit import score  # noqa: E402
from nlp.cli import main  # noqa: E402
from nlp.errors import BiyeleltError  # noqa: E402
from nlp.read import read_file, read_paths  # noqa: E402
from nlp.review.queue import model_version  # noqa: E402
from nlp.review.store import LabelStore  # noqa: E402
from nlp.learn.train import train  # noqa: E402
from nlp.web import WebConfig, check_bind, create_app, is_loopback  # noqa: E402
from nlp.web.runs import guess_kind, path_facets, safe_relpath  # noqa: E402

from _models import MEASURE, TINY, HashEncoder, tiny_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt"
FAST = {"calibration": None}  # one logistic regression: the tests need a model, not a good one


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny model trained on the in-code corpus with the hashing encoder."""
    folder = tmp_path_factory.mktemp("web-model")
    return train(tiny_frame(3), folder / "tiny", encoder_spec=None, encoder=HashEncoder(), classifier=FAST,
                 name="tiny")


def make_app(tmp_path, model, **options):
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    options = {"labels": [], **options}
    config = WebConfig(data_dir=tmp_path / "web", store_path=tmp_path / "labels.sqlite", model=model,
                       encoder=HashEncoder(), cache_dir=tmp_path / "cache", roots=[root], **options)
    return create_app(config)


def csrf(client, path="/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def finish(app, client, response):
    """Follow an upload or folder POST to its job, wait for it, and return the run page's URL."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    job = app.extensions["biyelelt"].jobs.wait(job_id, timeout=120)
    assert job.state == "done", job.error
    page = client.get(response.headers["Location"])
    assert page.status_code == 302  # a finished job sends the browser on to its results
    return page.headers["Location"]


def upload(app, client, files):
    token = csrf(client)
    data = {"csrf_token": token, "files": [(open(p, "rb") if isinstance(p, Path) else p, name) for p, name in files]}
    try:
        return client.post("/upload", data=data, content_type="multipart/form-data")
    finally:
        for f, _ in data["files"]:
            f.close()


def report_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'class="report-link" href="([^"]+)"', page)]


def flagged_rows(page: str) -> list[str]:
    return re.findall(r'<tr id="row-\d+" class="flagged" data-row-id="([^"]*)"', page)


# ---------------------------------------------------------------------------------------------
# binding and access


def test_loopback_only_without_token():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", "a-long-enough-token-1234")
    with pytest.raises(BiyeleltError) as err:
        check_bind("0.0.0.0", None)
    assert "--token" in err.value.mn and "--token" in err.value.en and " / " in err.value.message
    with pytest.raises(BiyeleltError, match="too short"):
        check_bind("0.0.0.0", "short")


def test_serve_refuses_a_network_host_without_token(monkeypatch, capsys):
    monkeypatch.delenv("BIYELELT_TOKEN", raising=False)
    started = time.monotonic()
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert time.monotonic() - started < 30  # refused before anything starts listening
    err = capsys.readouterr().err
    assert "--token" in err and "заавал" in err and "required" in err


def test_every_request_needs_the_token(tmp_path, tiny):
    token = "s3cret-token-for-the-tests"
    client = make_app(tmp_path, tiny, token=token, host="0.0.0.0").test_client()
    assert client.get("/").status_code == 401
    assert client.get("/static/app.css").status_code == 401
    assert client.get("/?token=wrong-token-wrong-token").status_code == 401
    assert client.get("/", headers={"Authorization": "Bearer " + token}).status_code == 200
    assert client.get("/", headers={"Authorization": "Bearer nope"}).status_code == 401
    login = client.get("/models?token=" + token)
    assert login.status_code == 302 and login.headers["Location"] == "/models"  # the token leaves the URL
    assert "HttpOnly" in login.headers["Set-Cookie"]
    assert client.get("/").status_code == 200  # the cookie carries it from now on
    assert client.get("/static/app.css").status_code == 200
    # the token lets a request in; a POST still needs the form's CSRF token
    assert client.post("/auditor", data={"auditor": "Б. Бат"}).status_code == 400


def test_without_token_only_local_host_names(tmp_path, tiny):
    client = make_app(tmp_path, tiny).test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400  # DNS rebinding


def test_posts_need_the_csrf_token_and_the_same_origin(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    with open(SEED, "rb") as fh:
        refused = client.post("/upload", data={"files": [(fh, SEED.name)]}, content_type="multipart/form-data")
    assert refused.status_code == 400 and "Хуудсыг дахин ачаалаад" in text(refused)
    token = csrf(client)
    cross = client.post("/auditor", data={"csrf_token": token, "auditor": "X"},
                        headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    same = client.post("/auditor", data={"csrf_token": token, "auditor": "Б. Бат"},
                       headers={"Origin": "http://localhost"})
    assert same.status_code == 302
    assert not (tmp_path / "web" / "runs").exists() or not any((tmp_path / "web" / "runs").iterdir())


def test_security_headers(tmp_path, tiny):
    response = make_app(tmp_path, tiny).test_client().get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


# ---------------------------------------------------------------------------------------------
# upload → flagged rows → relabel → store


def test_upload_seed_flagged_rows_and_relabel_into_the_store(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name)]))
    ranking = client.get(run_url)
    assert ranking.status_code == 200
    links = report_links(ranking.get_data(as_text=True))
    assert len(links) == 1 and SEED.stem in links[0]

    # the rows the page highlights are exactly the rows the model flags
    expected = score(read_file(SEED), tiny, encoder=HashEncoder())
    want = [str(r) for r in expected.loc[expected["flag"] == "true", "row_id"]]
    review = [str(r) for r in expected.loc[expected["flag"] == "review", "row_id"]]
    assert want, "the tiny model flags some seed rows"
    page = client.get(links[0]).get_data(as_text=True)
    assert flagged_rows(page) == want
    assert re.findall(r'<tr id="row-\d+" class="review" data-row-id="([^"]*)"', page) == review
    only = client.get(links[0] + "&flagged=1").get_data(as_text=True)
    # "flagged only" shows what needs an auditor: the flagged rows and the rows for review
    assert flagged_rows(only) == want and len(re.findall(r'<tr id="row-', only)) == len(want) + len(review)
    assert re.search(r'id="show-flagged">[^<]*\(%d\)</a>' % (len(want) + len(review)), only)  # the count says so

    # relabel the first flagged row, the auditor's name given once
    # the first flagged row with a narrative (an empty one is no_evidence by rule, nothing to relabel)
    written = expected[(expected["flag"] == "true") & (expected["narrative"].str.strip() != "")]
    first = written.iloc[0]
    new_status = "not_done" if first["status"] != "not_done" else "partial"
    index = int(written.index[0])
    token = csrf(client, links[0])
    saved = client.post(run_url + "/label", data={"csrf_token": token, "report_id": SEED.stem, "i": index,
                                                   "status": new_status, "comment": "нотлох баримт алга",
                                                   "auditor": "Б. Болд"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#row-{index}")
    store = LabelStore(tmp_path / "labels.sqlite")
    labels = store.frame()
    assert len(labels) == 1
    label = labels.iloc[0]
    assert label["status"] == new_status and label["auditor"] == "Б. Болд"
    assert label["comment"] == "нотлох баримт алга"
    assert label["model_status"] == first["status"]
    assert label["report_id"] == SEED.stem and label["row_id"] == str(first["row_id"])
    assert label["narrative"] == first["narrative"] and label["measure"] == first["measure"]
    assert label["source_file"] == SEED.name and label["sheet"] == "web"
    assert label["model_version"] == model_version(tiny)
    assert label["year"] == "2024"

    # the page shows it, the name is kept in the session, the same judgement twice is stored once
    page = text(client.get(saved.headers["Location"]))
    assert "Б. Болд" in page and "Label saved" not in page and "Шошго хадгалагдлаа" in page
    again = client.post(run_url + "/label", data={"csrf_token": token, "report_id": SEED.stem, "i": index,
                                                   "status": new_status, "comment": "нотлох баримт алга"})
    assert again.status_code == 302 and len(store) == 1
    assert "аль хэдийн" in text(client.get(again.headers["Location"]))
    other = client.post(run_url + "/label", data={"csrf_token": token, "report_id": SEED.stem, "i": index,
                                                   "status": "done", "comment": ""})
    assert other.status_code == 302 and len(store) == 2
    assert list(store.frame()["auditor"]) == ["Б. Болд", "Б. Болд"]
    # what training reads back: the latest judgement of the row
    assert list(store.training_frame()["status"]) == ["done"]


def test_a_label_needs_an_auditor_and_a_known_status(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name)]))
    token = csrf(client)
    form = {"csrf_token": token, "report_id": SEED.stem, "i": 0, "status": "done"}
    nameless = client.post(run_url + "/label", data=form)
    assert nameless.status_code == 302
    assert "Аудиторын нэрээ бичнэ үү" in text(client.get(nameless.headers["Location"]))
    assert client.post(run_url + "/label", data={**form, "auditor": "A", "status": "great"}).status_code == 400
    assert client.post(run_url + "/label", data={**form, "auditor": "A", "report_id": "other"}).status_code == 400
    assert client.post(run_url + "/label", data={**form, "auditor": "A", "i": 10_000}).status_code == 400
    assert len(LabelStore(tmp_path / "labels.sqlite")) == 0


def test_downloads_are_the_run_outputs(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name)]))
    xlsx = client.get(run_url + "/download/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert xlsx.headers["Content-Disposition"].startswith("attachment")
    page = client.get(run_url + "/download/report.html")
    assert page.status_code == 200 and page.headers["Content-Disposition"].startswith("attachment")
    assert SEED.stem in page.get_data(as_text=True)
    assert client.get(run_url + "/download/run.json").status_code == 404
    assert client.get(run_url + "/download/..%2Frun.json").status_code == 404


# ---------------------------------------------------------------------------------------------
# upload limits and the reader's errors


def test_an_oversized_file_is_refused_and_named(tmp_path, tiny):
    app = make_app(tmp_path, tiny, max_file_bytes=SEED.stat().st_size + 1000)
    client = app.test_client()
    big = tmp_path / "big.txt"
    big.write_bytes(SEED.read_bytes() * 3)
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name), (big, "big.txt")]))
    page = text(client.get(run_url))
    assert "big.txt" in page and "file too large" in page and "файл хэт том" in page
    assert len(report_links(client.get(run_url).get_data(as_text=True))) == 1  # the seed is still scored
    alone = upload(app, client, [(big, "big.txt")])
    assert alone.status_code == 413
    assert "big.txt" in text(alone) and "file too large" in text(alone)
    assert not list((tmp_path / "web" / "runs").glob("*/uploads/big.txt"))


def test_an_upload_over_the_request_limit_is_refused(tmp_path, tiny):
    app = make_app(tmp_path, tiny, max_request_bytes=2 * SEED.stat().st_size)
    client = app.test_client()
    response = upload(app, client, [(SEED, "a.txt"), (SEED, "b.txt"), (SEED, "c.txt")])
    assert response.status_code == 413
    assert "Оруулсан файлууд нийтдээ хэт том" in text(response)
    client.get("/lang/en")
    assert "The upload is too large" in text(upload(app, client, [(SEED, "a.txt"), (SEED, "b.txt")]))


def test_a_bad_file_shows_the_readers_error_and_the_rest_is_scored(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    broken = tmp_path / "тайлан.docx"
    broken.write_bytes(b"this is not a word document")
    expected = read_paths([broken]).failures[0].message.split(": ", 1)[1]
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name), (broken, broken.name)]))
    page = text(client.get(run_url))
    assert "тайлан.docx" in page and expected in page
    assert str(tmp_path / "web") not in page  # the server's folders are not shown
    assert len(report_links(client.get(run_url).get_data(as_text=True))) == 1
    only_bad = upload(app, client, [(broken, broken.name)])
    failed_url = finish(app, client, only_bad)
    assert expected in text(client.get(failed_url))


def test_names_and_narratives_are_escaped(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    csv = tmp_path / "evil.csv"
    # entities in a file become real angle brackets in the rows: the pages must escape them
    pd.DataFrame({"org": ["&lt;img src=x onerror=alert(1)&gt; сургууль"] * 2, "measure": [MEASURE] * 2,
                  "narrative": ["&lt;script&gt;alert(1)&lt;/script&gt; хийгдээгүй", "&lt;b&gt;bold&lt;/b&gt; хийсэн"],
                  "reported_percent": ["100", "100"]}).to_csv(csv, index=False)
    rows = read_file(csv)
    assert rows["narrative"][0].startswith("<script>") and rows["org"][0].startswith("<img")
    run_url = finish(app, client, upload(app, client, [(csv, "<i>x</i>.csv")]))
    ranking = client.get(run_url).get_data(as_text=True)
    assert "<img src=x" not in ranking and "&lt;img src=x onerror=alert(1)&gt;" in ranking
    assert "<i>x" not in ranking
    report = client.get(report_links(ranking)[0]).get_data(as_text=True)
    assert "<script>alert(1)" not in report and "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "<b>bold" not in report and "&lt;b&gt;bold&lt;/b&gt;" in report
    assert "<img src=x" not in report


# ---------------------------------------------------------------------------------------------
# folders, facets, filters, sorting


def _tiny_csv(path: Path, org: str, texts: list[str], pct: str = "100") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"org": org, "year": 2024, "measure": MEASURE, "narrative": texts,
                  "reported_percent": pct}).to_csv(path, index=False)


def test_pick_a_folder_then_filter_and_sort_the_ranking(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    year = tmp_path / "root" / "2024"
    (year / "Архангай" / "Батцэнгэл").mkdir(parents=True)
    shutil.copy(SEED, year / "Архангай" / "Батцэнгэл" / "Батцэнгэл сумын ЗДТГ.txt")
    _tiny_csv(year / "Дархан-Уул" / "Шарын гол" / "school.csv", "Шарын гол сумын ЕБС",
              [t for t, s, _ in TINY if s in ("not_done", "no_evidence")])
    _tiny_csv(year / "Дархан-Уул" / "hospital.csv", "Дархан-Уул аймгийн нэгдсэн эмнэлэг",
              [t for t, s, _ in TINY if s == "done"])

    browse = client.get("/folders?root=0&path=2024")
    assert browse.status_code == 200 and "Архангай" in text(browse) and "Дархан-Уул" in text(browse)
    assert client.get("/folders?root=0&path=../..").status_code == 403
    assert client.get("/folders?root=0&path=/etc").status_code == 403
    assert client.get("/folders?root=3").status_code == 403
    (tmp_path / "root" / "out").symlink_to(tmp_path.parent, target_is_directory=True)
    assert client.get("/folders?root=0&path=out").status_code == 403
    token = csrf(client)
    assert client.post("/folders/score", data={"csrf_token": token, "root": 0, "path": "../"}).status_code == 403

    run_url = finish(app, client, client.post("/folders/score", data={"csrf_token": token, "root": 0,
                                                                      "path": "2024"}))
    job = app.extensions["biyelelt"].jobs.jobs()[-1]
    assert job.kind == "score" and job.done == job.total == 3  # the progress bar counted every file
    page = text(client.get(run_url))
    for value in ("Архангай", "Дархан-Уул", "Батцэнгэл", "Шарын гол", "Сургууль", "Эмнэлэг", "Сумын ЗДТГ"):
        assert value in page, value
    assert len(report_links(page)) == 3

    def ids(url):
        return [unquote_plus(link.split("id=")[1]) for link in report_links(client.get(url).get_data(as_text=True))]

    assert ids(run_url + "?aimag=Архангай") == ["Батцэнгэл сумын ЗДТГ"]
    assert ids(run_url + "?kind=school") == ["school"]
    assert ids(run_url + "?aimag=Дархан-Уул&kind=hospital") == ["hospital"]
    assert ids(run_url + "?year=2024") and ids(run_url + "?year=1999") == []
    assert ids(run_url + "?q=ШАРЫН") == ["school"]
    assert sorted(ids(run_url + "?sort=report_id")) == ids(run_url + "?sort=report_id")
    assert ids(run_url + "?sort=report_id&dir=desc") == ids(run_url + "?sort=report_id")[::-1]
    ranks = ids(run_url)
    assert ids(run_url + "?sort=no_such_column") == ranks  # an unknown column sorts by rank
    reports = pd.read_csv(next((tmp_path / "web" / "runs").glob("*/out/reports.csv")))
    assert ranks == [str(v) for v in reports.sort_values("rank")["report_id"]]
    flagged = ids(run_url + "?flagged=1")
    assert set(flagged) == {str(r) for r in reports.loc[reports["n_flagged"] > 0, "report_id"]}


def test_facets_from_paths_and_names():
    assert path_facets("2024/Архангай/Батцэнгэл/x.docx") == ("2024", "Архангай", "Батцэнгэл")
    assert path_facets("reports/2023/Дархан-Уул/x.docx") == ("2023", "Дархан-Уул", "")
    assert path_facets("2024/x.docx") == ("2024", "", "")
    assert path_facets("x.docx") == ("", "", "")
    assert guess_kind("Эрүүл мэндийн яам") == "ministry"
    assert guess_kind("", "Батцэнгэл сумын ЗДТГ") == "soum_governor"
    assert guess_kind("Улаангом сумын 3-р цэцэрлэг") == "kindergarten"
    assert guess_kind("000_1fb14d448e6d2ac5") == "unknown"
    assert str(safe_relpath("../../etc/passwd")) == "etc/passwd"
    assert str(safe_relpath("C:\\Users\\.\\a.docx")) == "C/Users/a.docx"
    assert str(safe_relpath("2024/Архангай/тайлан.docx")) == "2024/Архангай/тайлан.docx"
    assert safe_relpath("..") is None and safe_relpath("") is None


# ---------------------------------------------------------------------------------------------
# language, pages, jobs


def test_mongolian_by_default_english_on_request(tmp_path, tiny):
    client = make_app(tmp_path, tiny).test_client()
    home = text(client.get("/"))
    assert "Файл оруулах" in home and 'lang="mn"' in home
    switched = client.get("/lang/en?next=/models")
    assert switched.status_code == 302 and switched.headers["Location"] == "/models"
    home = text(client.get("/"))
    assert "Upload files" in home and 'lang="en"' in home and "Файл оруулах" not in home
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"


def test_missing_runs_reports_and_jobs(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    assert client.get("/runs/../../etc").status_code == 404
    assert client.get("/runs/20240101-000000-abcdef").status_code == 404
    assert client.get("/jobs/nope").status_code == 404
    assert client.get("/jobs/nope/status").json["state"] == "missing"
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name)]))
    assert client.get(run_url + "/report?id=nope").status_code == 404
    job_id = app.extensions["biyelelt"].jobs.jobs()[-1].id
    status = client.get(f"/jobs/{job_id}/status").json
    assert status["state"] == "done" and status["done"] == status["total"] == 1 and status["next"] == run_url


def test_a_missing_model_fails_the_job_with_its_message(tmp_path, monkeypatch):
    monkeypatch.setenv("BIYELELT_MODELS", str(tmp_path / "no-models"))
    monkeypatch.delenv("BIYELELT_MODEL", raising=False)
    app = make_app(tmp_path, None)
    client = app.test_client()
    assert "did not load" in text(client.get("/lang/en?next=/", follow_redirects=True))
    response = upload(app, client, [(SEED, SEED.name)])
    job = app.extensions["biyelelt"].jobs.wait(response.headers["Location"].rsplit("/", 1)[1], timeout=60)
    assert job.state == "failed" and "/" in job.error and "model" in job.error.lower()
    assert job.error in text(client.get(response.headers["Location"]))
    assert "interrupted" not in text(client.get("/")) and "failed" in text(client.get("/"))


# ---------------------------------------------------------------------------------------------
# retrain and compare


def test_retrain_compares_with_the_current_model_and_switches_on_request(tmp_path, monkeypatch):
    models = tmp_path / "models"
    monkeypatch.setenv("BIYELELT_MODELS", str(models))
    monkeypatch.delenv("BIYELELT_MODEL", raising=False)
    base = tiny_frame(3)
    base.loc[base["org_id"] == "org5", "split"] = "test"
    base.to_csv(tmp_path / "base.csv", index=False)
    train(base, models / "base", encoder_spec=None, encoder=HashEncoder(), classifier=FAST, name="base")
    (models / "DEFAULT").write_text("base\n", encoding="utf-8")
    app = make_app(tmp_path, None, labels=[tmp_path / "base.csv"], retrain_folds=2, retrain_classifier=FAST)
    client = app.test_client()
    run_url = finish(app, client, upload(app, client, [(SEED, SEED.name)]))
    token = csrf(client)
    for i, status in ((0, "not_done"), (1, "blocked_staffing"), (2, "not_done")):
        client.post(run_url + "/label", data={"csrf_token": token, "report_id": SEED.stem, "i": i,
                                              "status": status, "auditor": "Б. Болд"})
    assert len(LabelStore(tmp_path / "labels.sqlite")) == 3
    assert client.post("/models/retrain", data={"csrf_token": token, "name": "../x"}).status_code == 302
    assert not (tmp_path / "x").exists()
    started = client.post("/models/retrain", data={"csrf_token": token, "name": "autumn"})
    assert started.status_code == 302
    job = app.extensions["biyelelt"].jobs.wait(started.headers["Location"].rsplit("/", 1)[1], timeout=300)
    assert job.state == "done", job.error
    page = text(client.get(started.headers["Location"], follow_redirects=True))
    assert "autumn" in page and "base@" in page  # compared with the current model
    assert "macro_f1" in page
    assert re.search(r"тусдаа байгууллагууд", page) and re.search(r"аудиторын шошго", page)
    from nlp.review.retrain import list_models
    assert [m["auditor_rows"] for m in list_models(models) if m["name"] == "autumn"] == [3]
    assert (models / "DEFAULT").read_text(encoding="utf-8").strip() == "base"  # not switched by itself
    used = client.post("/models/use", data={"csrf_token": token, "name": "autumn"})
    assert used.status_code == 302
    assert (models / "DEFAULT").read_text(encoding="utf-8").strip() == "autumn"
    ok, version, _ = app.extensions["biyelelt"].model_status()
    assert ok and version.startswith("autumn@")
    again = client.post("/models/retrain", data={"csrf_token": token, "name": "autumn"})
    assert again.status_code == 302 and again.headers["Location"] == "/models"  # an existing name is refused


def test_serve_listens_on_loopback_and_stops(tmp_path, tiny, capsys):
    import threading
    import urllib.request

    from nlp.web import serve

    seen = {}

    def ready(server):
        def probe():
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(f"http://127.0.0.1:{server.server_port}/", timeout=30) as response:
                    seen["status"], seen["page"] = response.status, response.read().decode("utf-8")
            finally:
                server.shutdown()

        seen["address"] = server.server_address[0]
        threading.Thread(target=probe, daemon=True).start()

    serve(WebConfig(data_dir=tmp_path / "web", store_path=tmp_path / "labels.sqlite", model=tiny,
                    encoder=HashEncoder(), roots=[tmp_path], labels=[], port=0), ready=ready)
    assert seen["address"] == "127.0.0.1" and seen["status"] == 200 and "Тайлан үнэлэх" in seen["page"]
    err = capsys.readouterr().err
    assert "http://127.0.0.1:" in err and "Ctrl-C" in err


def test_every_word_on_the_pages_is_in_both_languages():
    from nlp.web.i18n import MESSAGES, translate

    templates = Path(__file__).resolve().parents[1] / "nlp" / "web" / "templates"
    used = set()
    for page in templates.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.]+)'", page.read_text(encoding="utf-8")))
    source = (Path(__file__).resolve().parents[1] / "nlp" / "web" / "app.py").read_text(encoding="utf-8")
    used |= set(re.findall(r'\bt\("([a-z_.]+)"', source)) | set(re.findall(r'_both\("([a-z_.]+)"', source))
    prefixes = {k for k in used if k.endswith(".")}
    assert prefixes == {"kind.", "state.", "job.title."}
    used -= prefixes
    used |= {f"state.{s}" for s in ("queued", "running", "done", "failed", "interrupted")}
    used |= {f"job.title.{k}" for k in ("score", "retrain")}
    used |= {f"job.stage.{s}" for s in ("queued", "model", "scoring", "writing", "training", "done", "failed")}
    assert len(used) > 60
    assert sorted(used - set(MESSAGES)) == []
    for key, (mn, en) in MESSAGES.items():
        assert mn.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", mn)) == set(re.findall(r"{(\w+)}", en)), key
    from nlp.web.runs import KINDS
    assert all(f"kind.{kind}" in MESSAGES for kind, _ in KINDS)
    assert translate("no.such.key", "en") == "no.such.key"


def test_without_flask_the_command_says_what_to_install(monkeypatch, capsys, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "flask", None)  # as if the web extra were not installed
    monkeypatch.delenv("BIYELELT_TOKEN", raising=False)
    assert main(["serve", "--port", "0", "--data-dir", str(tmp_path / "web")]) == 1
    err = capsys.readouterr().err
    assert "pip install 'biyelelt[web]'" in err and "Flask" in err
