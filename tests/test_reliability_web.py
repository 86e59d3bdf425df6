"""The web app refuses paths that lead outside its folders, oversized uploads, and a public address without a token.

Вэб програмын хамгаалалт / Web app safety, through Flask's test client with a tiny model:

* path traversal: ``..``, encoded ``..``, absolute paths and backslashes in run ids, report ids,
  download names, uploaded file names, picked folders (and a link pointing out) and model names
  never reach a file outside the app's folders (:data:`RUN_IDS`, :data:`DOWNLOAD_NAMES`,
  :data:`REPORT_IDS`, :data:`UPLOAD_NAMES`, :data:`FOLDER_PATHS`, :data:`MODEL_NAMES`);
* oversized uploads are refused with 413 and a message in both languages that names the file
  (:data:`OVERSIZED`);
* the app does not bind a non-loopback address without an access token, and without a token it
  serves no request whose ``Host`` is not local (:data:`NON_LOCAL_HOSTS`, :data:`FOREIGN_HOST_HEADERS`);
  with a token, no page is served without it (:data:`TOKEN_ROUTES`).

``docs/reliability.md`` lists the counts (:data:`N_TRAVERSAL`, :data:`N_OVERSIZED`, :data:`N_BIND`).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web extra (Flask) is not installed: pip install 'biyelelt[web]'")

from _models import HashEncoder, tiny_frame  # noqa: E402
from fixtures import SEED  # noqa: E402
from nlp.errors import BiyeleltError  # noqa: E402
from nlp.learn.train import train  # noqa: E402
from nlp.web import WebConfig, check_bind, create_app, is_loopback, serve  # noqa: E402

SECRET = "SECRET-OUTSIDE-THE-APP"
TOKEN = "a-long-enough-token-for-the-tests"
CYRILLIC = re.compile("[А-Яа-яӨөҮү]")

#: Run ids tried on the four routes that take one (a run page, a report, a download, a label).
RUN_IDS = ("..", "../evil", "..%2Fevil", "%2e%2e%2fevil", "....//evil", "..\\evil", "..%5Cevil", "%2e%2e",
           "evil", "/evil", "%2Fevil", "{run}/../../evil", "{run}%2F..%2F..%2Fevil", "{run}/..", "{run}\x00")
#: Names tried on a finished run's download route.
DOWNLOAD_NAMES = ("../run.json", "..%2Frun.json", "%2e%2e%2frun.json", "..%5Crun.json", "..\\run.json",
                  "../../secret.txt", "..%2F..%2F..%2Fsecret.txt", "%2Fetc%2Fpasswd", "/etc/passwd",
                  "rows.csv/../run.json", "rows.csv%00", "run.json", "uploads", ".", "..", "out")
#: Report ids tried on a finished run's report page.
REPORT_IDS = ("../evil", "..%2F..%2Fevil", "/etc/passwd", "..\\..\\evil", "")
#: File names sent in one upload; each is saved inside the run's upload folder or refused.
UPLOAD_NAMES = ("../../evil1.csv", "..\\..\\evil2.csv", "/tmp/evil3.csv", "C:\\Windows\\evil4.csv",
                "a/../../evil5.csv", "....//....//evil6.csv", "%2e%2e/%2e%2e/evil7.csv", "./../evil8.csv",
                "~/evil9.csv", "uploads/../../../evil10.csv", "..", "/", "\\\\server\\share\\evil11.csv",
                "a/" * 20 + "evil12.csv", "evil13\x00.csv", "evil14.csv\n../../x")
#: Folders tried on the folder picker (GET) and on scoring a folder (POST), under root 0.
FOLDER_PATHS = ("..", "../..", "/etc", "//etc", "..%2F..", "a/../..", "\\..\\..", "./../", "sub/../../",
                "link-out", "link-out/inner", "%2e%2e")
#: Root indexes tried with an allowed path.
ROOT_INDEXES = ("-1", "1", "99", "x")
#: Model names tried on "use this model".
MODEL_NAMES = ("../../evil", "..", "/etc", "default/../../evil", "..\\evil", "")
N_TRAVERSAL = (4 * len(RUN_IDS) + len(DOWNLOAD_NAMES) + len(REPORT_IDS) + len(UPLOAD_NAMES)
               + 2 * len(FOLDER_PATHS) + 2 * len(ROOT_INDEXES) + len(MODEL_NAMES))

#: Upload-size cases: (name, file sizes in units of the per-file limit + extra bytes, what must happen).
OVERSIZED = (
    ("one file one byte over the file limit", "file_over"),
    ("a file at the file limit, the control", "file_at"),
    ("a file over the limit beside a good one", "beside_good"),
    ("several files over the request limit", "request_over"),
    ("one file over both limits", "both_over"),
)
N_OVERSIZED = len(OVERSIZED)

#: Addresses ``serve`` must not bind without a token.
NON_LOCAL_HOSTS = ("0.0.0.0", "::", "[::]", "", "192.168.1.10", "10.0.0.5", "172.16.0.1", "203.0.113.7",
                   "example.org", "localhost.example.org", "127.0.0.1.nip.io", "localhost.")
#: Addresses it may bind without one.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]", "127.0.0.2")
#: ``Host`` headers refused by an app running without a token (DNS rebinding).
FOREIGN_HOST_HEADERS = ("evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil.example",
                        "192.168.1.10:8765", "0.0.0.0:8765")
#: Routes that refuse a request without the token when the app has one.
TOKEN_ROUTES = (("GET", "/"), ("GET", "/runs/20240101-000000-abcdef"), ("GET", "/folders"), ("GET", "/models"),
                ("GET", "/static/app.css"), ("GET", "/jobs/x/status"), ("POST", "/upload"), ("POST", "/auditor"))
N_BIND = len(NON_LOCAL_HOSTS) + len(LOCAL_HOSTS) + len(FOREIGN_HOST_HEADERS) + len(TOKEN_ROUTES)


# ---------------------------------------------------------------------------------------------
# the app


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return train(tiny_frame(1), tmp_path_factory.mktemp("web-model") / "tiny", encoder_spec=None,
                 encoder=HashEncoder(), classifier={"calibration": None}, name="tiny")


@pytest.fixture(autouse=True)
def _models_outside_the_repository(tmp_path, monkeypatch):
    """"Use this model" writes DEFAULT in the models root: a temporary one, never the repository's."""
    monkeypatch.setenv("BIYELELT_MODELS", str(tmp_path / "models"))
    monkeypatch.delenv("BIYELELT_MODEL", raising=False)
    monkeypatch.delenv("BIYELELT_TOKEN", raising=False)


def make_app(tmp_path: Path, model, **options):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True, exist_ok=True)
    config = WebConfig(data_dir=tmp_path / "web", store_path=tmp_path / "labels.sqlite", model=model,
                       encoder=HashEncoder(), cache_dir=tmp_path / "cache", roots=[root], labels=[], jobs=1,
                       **options)
    return create_app(config)


def csrf(client, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def upload(client, files: list[tuple[bytes, str]]):
    from io import BytesIO

    data = {"csrf_token": csrf(client), "files": [(BytesIO(content), name) for content, name in files]}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def finish(app, client, response) -> str:
    """Wait for the job an upload started; the run's URL."""
    assert response.status_code == 302, text(response)[:2000]
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    job = app.extensions["biyelelt"].jobs.wait(job_id, timeout=120)
    assert job.state == "done", job.error
    page = client.get(response.headers["Location"])
    assert page.status_code == 302
    return page.headers["Location"]


def plant_decoys(tmp_path: Path) -> None:
    """Files a traversal would reach: beside the runs, above the data folder, a fake run outside."""
    (tmp_path / "secret.txt").write_text(SECRET)
    web = tmp_path / "web"
    web.mkdir(exist_ok=True)
    (web / "secret.txt").write_text(SECRET)
    evil = web / "evil"
    (evil / "out").mkdir(parents=True, exist_ok=True)
    (evil / "run.json").write_text('{"id": "evil", "state": "done"}')
    for name in ("rows.csv", "reports.csv", "problems.csv", "report.html"):
        (evil / "out" / name).write_text(SECRET)


def refused(response, *codes: int, client=None) -> None:
    """Refused with one of ``codes`` (default 400, 403, 404), never showing a decoy.

    Werkzeug answers ``/runs//evil`` with a redirect to ``/runs/evil`` (merged slashes): a
    redirect within the app is followed once, and what it leads to must be refused.
    """
    if response.status_code in (301, 302, 307, 308) and client is not None:
        location = response.headers["Location"]
        assert location.startswith(("/", "http://localhost/")), location
        response = client.get(location.removeprefix("http://localhost"))
        codes = (codes or (400, 403, 404)) + (405,)  # a POST redirected, then sent as a GET
    assert response.status_code in (codes or (400, 403, 404)), (response.status_code, text(response)[:500])
    assert SECRET not in response.get_data(as_text=True)


def files_outside(tmp_path: Path) -> list[Path]:
    """Files written anywhere under tmp_path except inside a run's folder, the caches and the decoys."""
    runs = (tmp_path / "web" / "runs").resolve()
    allowed = {(tmp_path / "secret.txt"), (tmp_path / "web" / "secret.txt"), (tmp_path / "labels.sqlite")}
    found = []
    for path in tmp_path.rglob("*"):
        if path.is_dir() or path in allowed or runs in path.resolve().parents:
            continue
        rel = path.relative_to(tmp_path).parts
        if rel[0] in ("cache", "models", "root") or rel[:2] in (("web", "evil"),) or path.name.startswith(
                ("labels.sqlite", "secret_key", ".secret")):
            continue
        found.append(path)
    return found


# ---------------------------------------------------------------------------------------------
# path traversal


def test_run_ids_report_ids_and_download_names_stay_inside_the_runs(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    plant_decoys(tmp_path)
    run_url = finish(app, client, upload(client, [(SEED.read_bytes(), SEED.name)]))
    run_id = run_url.rsplit("/", 1)[1]
    assert client.get(run_url + "/download/rows.csv").status_code == 200  # the control: a real download
    token = csrf(client)
    tried = 0
    for raw in RUN_IDS:
        rid = raw.format(run=run_id)
        for response in (client.get(f"/runs/{rid}"), client.get(f"/runs/{rid}/report?id={SEED.stem}"),
                         client.get(f"/runs/{rid}/download/rows.csv"),
                         client.post(f"/runs/{rid}/label", data={"csrf_token": token, "report_id": SEED.stem,
                                                                 "i": "0", "status": "done", "auditor": "A"})):
            refused(response, client=client)
            tried += 1
    for name in DOWNLOAD_NAMES:
        refused(client.get(f"{run_url}/download/{name}"), client=client)
        tried += 1
    for report_id in REPORT_IDS:
        refused(client.get(f"{run_url}/report", query_string={"id": report_id}), client=client)
        tried += 1
    assert tried == 4 * len(RUN_IDS) + len(DOWNLOAD_NAMES) + len(REPORT_IDS)
    assert files_outside(tmp_path) == []


def test_uploaded_file_names_are_kept_inside_the_upload_folder(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    plant_decoys(tmp_path)
    content = "measure_no,narrative,reported_percent\n1.1,Сургалт зохион байгуулсан.,100\n".encode()
    run_url = finish(app, client, upload(client, [(content, name) for name in UPLOAD_NAMES]))
    run_dir = tmp_path / "web" / "runs" / run_url.rsplit("/", 1)[1]
    uploads = (run_dir / "uploads").resolve()
    saved = [p for p in uploads.rglob("*") if p.is_file()]
    assert all(uploads in p.resolve().parents for p in saved)
    assert all(not part.startswith(".") for p in saved for part in p.relative_to(uploads).parts)
    import json

    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    refused_names = [name for name, message in meta["failures"] if "unusable file name" in message]
    # a name with a part that starts with a dot ("..", "....") is skipped, as a hidden file of an uploaded folder
    hidden = [name for name in UPLOAD_NAMES if any(p.startswith(".") for p in re.split(r"[\\/]+", name) if p)]
    # every name is accounted for: saved under a cleaned name, refused with a reason, or skipped as hidden
    assert len(saved) + len(refused_names) + len(hidden) == len(UPLOAD_NAMES), (saved, refused_names, hidden)
    assert len(saved) == len(meta["inputs"]) >= 6
    assert all(".." not in Path(p).parts for p in meta["inputs"])
    assert files_outside(tmp_path) == []
    assert not [p for p in tmp_path.rglob("evil[0-9]*") if uploads not in p.resolve().parents]


def test_folder_picker_and_folder_scoring_stay_inside_the_roots(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    plant_decoys(tmp_path)
    outside = tmp_path / "outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner" / "r.csv").write_text("measure_no,narrative\n1.1,Хийсэн.\n", encoding="utf-8")
    os.symlink(outside, tmp_path / "root" / "link-out")
    assert client.get("/folders", query_string={"path": "sub"}).status_code == 200  # the control
    token = csrf(client)
    for path in FOLDER_PATHS:
        refused(client.get("/folders", query_string={"path": path}), 403, 404)
        refused(client.post("/folders/score", data={"csrf_token": token, "path": path}), 403, 404)
    for index in ROOT_INDEXES:
        refused(client.get("/folders", query_string={"path": "sub", "root": index}), 403, 404)
        refused(client.post("/folders/score", data={"csrf_token": token, "path": "sub", "root": index}), 403, 404)
    runs = tmp_path / "web" / "runs"
    assert not runs.exists() or not any(runs.iterdir())  # nothing was scored


def test_model_names_cannot_leave_the_models_folder(tmp_path, tiny):
    app = make_app(tmp_path, tiny)
    client = app.test_client()
    token = csrf(client)
    for name in MODEL_NAMES:
        response = client.post("/models/use", data={"csrf_token": token, "name": name})
        assert response.status_code == 302 and response.headers["Location"].endswith("/models")
        assert client.get(f"/models?show={name}").status_code == 200
    assert not list(tmp_path.rglob("DEFAULT")) and not list(tmp_path.rglob(".DEFAULT*"))


# ---------------------------------------------------------------------------------------------
# oversized uploads


@pytest.mark.parametrize("case", [kind for _, kind in OVERSIZED])
def test_oversized_uploads_are_refused_and_named(case, tmp_path, tiny):
    limit = 4096
    app = make_app(tmp_path, tiny, max_file_bytes=limit, max_request_bytes=4 * limit)
    client = app.test_client()
    row = "1.1,Сургалт зохион байгуулсан.,100\n".encode()

    def csv_of(size: int) -> bytes:
        body = b"measure_no,narrative,reported_percent\n"
        return body + row * ((size - len(body)) // len(row)) + b" " * ((size - len(body)) % len(row))

    if case == "file_over":
        response = upload(client, [(csv_of(limit + 1), "big.csv")])
        refused(response, 413)
        assert "big.csv" in text(response) and "file too large" in text(response) and "файл хэт том" in text(response)
        assert not list((tmp_path / "web").rglob("big.csv"))
    elif case == "file_at":
        run_url = finish(app, client, upload(client, [(csv_of(limit), "exact.csv")]))
        assert "exact.csv" not in text(client.get(run_url)).split("file too large")[0][-300:]
        assert list((tmp_path / "web").rglob("uploads/exact.csv"))
    elif case == "beside_good":
        run_url = finish(app, client, upload(client, [(csv_of(1000), "good.csv"), (csv_of(limit + 1), "big.csv")]))
        page = text(client.get(run_url))
        assert "big.csv" in page and "file too large" in page and "файл хэт том" in page
        assert re.search(r'class="report-link" href="[^"]*good', client.get(run_url).get_data(as_text=True))
        assert not list((tmp_path / "web").rglob("big.csv"))
    elif case == "request_over":
        response = upload(client, [(csv_of(limit), f"{k}.csv") for k in range(5)])
        refused(response, 413)
        assert "Оруулсан файлууд нийтдээ хэт том" in text(response)
        client.get("/lang/en")
        assert "The upload is too large" in text(upload(client, [(csv_of(limit), f"{k}.csv") for k in range(5)]))
    elif case == "both_over":
        refused(upload(client, [(csv_of(5 * limit), "huge.csv")]), 413)
        assert not list((tmp_path / "web").rglob("huge.csv"))
    else:  # pragma: no cover
        raise AssertionError(case)
    runs = tmp_path / "web" / "runs"
    if case in ("file_over", "request_over", "both_over"):
        assert not runs.exists() or not any(runs.iterdir())  # a refused upload leaves no run behind


# ---------------------------------------------------------------------------------------------
# binding and tokens


def test_a_network_address_needs_a_token(monkeypatch):
    import werkzeug.serving

    def no_listening(*args, **kwargs):  # pragma: no cover - reached only if the check failed
        raise AssertionError("serve() started listening on a network address without a token")

    monkeypatch.setattr(werkzeug.serving, "make_server", no_listening)
    for host in NON_LOCAL_HOSTS:
        assert not is_loopback(host), host
        with pytest.raises(BiyeleltError) as err:
            check_bind(host, None)
        assert "--token" in err.value.mn and "--token" in err.value.en and CYRILLIC.search(err.value.mn)
        with pytest.raises(BiyeleltError, match="too short"):
            check_bind(host, "short")
        check_bind(host, TOKEN)
        with pytest.raises(BiyeleltError, match="--token"):
            serve(WebConfig(host=host, port=0, token=None))
    for host in LOCAL_HOSTS:
        assert is_loopback(host), host
        check_bind(host, None)


def test_the_command_refuses_a_network_address_without_a_token(capsys):
    from nlp.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "--token" in err and "заавал" in err and "required" in err


def test_without_a_token_only_local_host_names_are_served(tmp_path, tiny):
    client = make_app(tmp_path, tiny).test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    for host in FOREIGN_HOST_HEADERS:
        refused(client.get("/", headers={"Host": host}), 400)


def test_with_a_token_nothing_is_served_without_it(tmp_path, tiny):
    client = make_app(tmp_path, tiny, token=TOKEN, host="0.0.0.0").test_client()
    for method, path in TOKEN_ROUTES:
        response = client.open(path, method=method, headers={"Host": "192.168.1.10:8765"})
        assert response.status_code == 401, (method, path, response.status_code)
        response = client.open(path, method=method, headers={"Authorization": "Bearer wrong-token-wrong-token"})
        assert response.status_code == 401, (method, path)
    assert client.get("/", headers={"Authorization": "Bearer " + TOKEN}).status_code == 200  # the control
