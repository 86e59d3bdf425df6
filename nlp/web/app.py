"""The Flask application behind ``biyelelt serve``.

Pages: upload or pick a folder → a progress bar while :func:`nlp.batch.run_score` reads and
scores in the background → the ranked reports (sortable, filterable by aimag, organisation kind
and year) → a report's rows with statuses, gaps and reasons, flagged rows highlighted, where an
auditor sets a row's status and comment (stored as a label with provenance in the
:class:`~nlp.review.store.LabelStore` that ``label import`` uses) → downloads (``report.xlsx``,
``report.html``) → a retrain compared with the current model.

Security: loopback by default; with a token every request carries it (header, or a cookie
set by ``?token=``); without a token only ``localhost``/loopback ``Host`` headers are served
(no DNS rebinding); every POST carries the session's CSRF token and must come from the same
origin; everything shown is escaped (Jinja autoescaping), a strict Content-Security-Policy
forbids inline scripts and styles, and downloads are attachments.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
import shutil
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import urlencode, urlsplit

import pandas as pd
from flask import (Flask, flash, g, jsonify, redirect, render_template, request, send_file, session,
                   url_for)
from werkzeug.exceptions import HTTPException

from ..errors import BiyeleltError, ModelError, bilingual
from ..judge.audit import flag_states
from ..settings import STATUSES
from .config import MB, WebConfig, is_loopback
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, translate, status_name
from .jobs import JobManager
from .runs import (FileTooLarge, Run, RunData, get_run, list_runs, load_run_data, new_run, resolve_folder,
                   safe_relpath, save_upload)

__all__ = ["create_app", "WebState", "RANKING_COLUMNS", "PER_PAGE"]

#: Columns of the ranking table that can be sorted, in display order.
RANKING_COLUMNS = ("rank", "report_id", "org", "kind", "aimag", "soum", "year_facet", "n_rows", "n_flagged",
                   "share_flagged", "reported_mean", "predicted_mean", "inconsistency")
_COLUMN_KEYS = {"rank": "col.rank", "report_id": "col.report", "org": "col.org", "kind": "col.kind",
                "aimag": "col.aimag", "soum": "col.soum", "year_facet": "col.year", "n_rows": "col.n_rows",
                "n_flagged": "col.n_flagged", "share_flagged": "col.share_flagged",
                "reported_mean": "col.reported_mean", "predicted_mean": "col.predicted_mean",
                "inconsistency": "col.inconsistency"}
_NUMERIC = {"rank", "n_rows", "n_flagged", "share_flagged", "reported_mean", "predicted_mean", "inconsistency"}
PER_PAGE = 100
DOWNLOADS = {"report.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "report.html": "text/html", "rows.csv": "text/csv", "reports.csv": "text/csv",
             "problems.csv": "text/csv", "rows.parquet": "application/octet-stream"}
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _both(key: str, **fields) -> str:
    """A catalogue message in both languages, as stored in files (``mn / en``)."""
    return bilingual(translate(key, "mn", **fields), translate(key, "en", **fields))


class _CountingEncoder:
    """Passes texts to an encoder and counts them into a job's progress (cache misses only)."""

    def __init__(self, encoder, job):
        self.encoder = encoder
        self.job = job
        self.id = encoder.id
        self.dim = encoder.dim

    def encode(self, texts):
        out = self.encoder.encode(texts)
        self.job.embedded += len(texts)
        return out


class WebState:
    """What the app keeps between requests: config, jobs, the model, the encoder, the label store.

    Parameters
    ----------
    config : WebConfig
    """

    def __init__(self, config: WebConfig):
        self.config = config
        self.jobs = JobManager()
        self._lock = threading.RLock()
        self._model = None
        self._encoder = None
        self._encoder_spec = None
        self._store = None
        self._data: dict[str, tuple[float, RunData]] = {}
        config.data_dir.mkdir(parents=True, exist_ok=True)

    # -- model and encoder
    def model(self):
        """The scoring model (loaded once; :class:`~nlp.errors.ModelError` when it cannot be)."""
        from ..judge.model import load_model

        with self._lock:
            if self._model is None:
                self._model = self.config.model if self.config.model is not None else \
                    load_model(self.config.model_dir)
            return self._model

    def reset_model(self) -> None:
        """Forget the loaded model (after the default changed); an injected model stays."""
        with self._lock:
            if self.config.model is None:
                self._model = None

    def encoder(self):
        """The encoder that embeds for the model (built once), or None when it needs none."""
        from ..judge.embed import get_encoder

        if self.config.encoder is not None:
            return self.config.encoder
        model = self.model()
        if not model.needs_embeddings:
            return None
        with self._lock:
            spec = model.resolved_encoder_spec()
            if self._encoder is None or self._encoder_spec != spec:
                self._encoder = get_encoder(spec)
                self._encoder_spec = spec
            return self._encoder

    def model_status(self) -> tuple[bool, str, str]:
        """``(ok, version, encoder)``, or ``(False, error message, "")``."""
        from ..review.queue import model_version

        try:
            model = self.model()
        except BiyeleltError as err:
            return False, err.message, ""
        encoder = getattr(self.config.encoder, "id", None) or model.encoder_spec or "—"
        return True, model_version(model), str(encoder)

    # -- label store
    def store(self):
        from ..review.store import LabelStore

        with self._lock:
            if self._store is None:
                self._store = LabelStore(self.config.store_path)
            return self._store

    # -- runs
    def run_data(self, run: Run) -> RunData:
        """A finished run's tables, cached while its ``reports.csv`` is unchanged."""
        stamp = (run.out / "reports.csv").stat().st_mtime
        with self._lock:
            hit = self._data.get(run.id)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        data = load_run_data(run)
        with self._lock:
            self._data[run.id] = (stamp, data)
            while len(self._data) > 4:
                self._data.pop(next(iter(self._data)))
        return data

    def secret_key(self) -> bytes:
        """The session key, kept in the data folder (mode 0600) so sessions survive a restart."""
        path = self.config.data_dir / "secret_key"
        try:
            key = path.read_bytes()
            if len(key) >= 32:
                return key
        except OSError:
            pass
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key


# ---------------------------------------------------------------------------------------------
# helpers used by templates


def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v, digits: int = 1) -> str:
    if _is_missing(v) or v == "":
        return "—"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return "—"
    return f"{f:.{digits}f}" if digits else f"{f:.0f}"


def _pct(v) -> str:
    if _is_missing(v) or v == "":
        return "—"
    return f"{float(v) * 100:.0f}%"


def _text(v) -> str:
    if _is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _mb(n_bytes: int) -> str:
    """Bytes as megabytes for people: ``20``, ``0.5``."""
    return f"{n_bytes / MB:.3g}"


def _safe_next(target: str | None) -> str:
    """A local path to go back to (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("index")
    return target


def _unique_path(rel: PurePosixPath, used: set[str]) -> PurePosixPath:
    key = rel.as_posix().casefold()
    k = 1
    candidate = rel
    while key in used:
        k += 1
        candidate = rel.with_name(f"{rel.stem} ({k}){rel.suffix}")
        key = candidate.as_posix().casefold()
    used.add(key)
    return candidate


def _count_files(inputs) -> int:
    from ..read import expand_inputs

    return sum(1 for _ in expand_inputs(inputs, []))


# ---------------------------------------------------------------------------------------------
# the app


def create_app(config: WebConfig | None = None) -> Flask:
    """Build the web app.

    Parameters
    ----------
    config : WebConfig, optional
        Default: :class:`WebConfig` defaults (loopback, no token, the default model and store).

    Returns
    -------
    flask.Flask
        ``app.extensions["biyelelt"]`` is its :class:`WebState` (jobs, model, store).
    """
    config = config or WebConfig()
    state = WebState(config)
    app = Flask(__name__)
    # Jinja: the templates shared with report.html (nlp/outputs/templates) load as "outputs/…" (the flag
    # badge and status macros: "outputs/_macros.html.j2"); their colours, static/shared.css, are served at
    # /shared/shared.css. Autoescaping is on for every template, *.j2 ones included.
    from flask import Blueprint
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    from ..outputs.html import TEMPLATES as shared_templates

    app.jinja_options = {**app.jinja_options, "autoescape": True}
    app.jinja_loader = ChoiceLoader([app.jinja_loader,
                                     PrefixLoader({"outputs": FileSystemLoader(shared_templates)})])
    app.register_blueprint(Blueprint("shared", __name__, static_folder=shared_templates / "static",
                                     static_url_path="/shared"))
    app.extensions["biyelelt"] = state
    app.config.update(
        SECRET_KEY=state.secret_key(),
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        SESSION_COOKIE_NAME=f"biyelelt_session_{config.port}",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TEMPLATES_AUTO_RELOAD=False,
    )
    token_cookie = f"biyelelt_token_{config.port}"
    token_mark = hmac.new(app.config["SECRET_KEY"], (config.token or "").encode(), hashlib.sha256).hexdigest()

    def t(key: str, **fields) -> str:
        return translate(key, getattr(g, "lang", DEFAULT_LANGUAGE), **fields)

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    def error_page(code: int, message: str, extra: list[str] | None = None):
        return render_template("error.html", code=code, message=message, extra=extra or []), code

    app.jinja_env.globals.update(t=t, csrf_token=csrf_token, status_name=lambda s: status_name(s, g.lang),
                                 STATUSES=STATUSES, LANGUAGES=LANGUAGES)
    app.jinja_env.filters.update(num=_num, pct=_pct, text=_text)

    # -- access control, language, CSRF -------------------------------------------------------
    @app.before_request
    def guard():
        g.lang = session.get("lang") if session.get("lang") in LANGUAGES else DEFAULT_LANGUAGE
        if config.token:
            given = request.args.get("token")
            if given is not None:
                if not hmac.compare_digest(given.encode(), config.token.encode()):
                    return render_template("auth.html", wrong=True), 401
                args = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                response = redirect(request.path + ("?" + urlencode(args) if args else ""))
                response.set_cookie(token_cookie, token_mark, httponly=True, samesite="Lax")
                return response
            header = request.headers.get("Authorization", "")
            bearer = header[7:] if header.startswith("Bearer ") else request.headers.get("X-Biyelelt-Token", "")
            ok = (bool(bearer) and hmac.compare_digest(bearer.encode(), config.token.encode())) or \
                hmac.compare_digest(request.cookies.get(token_cookie, "").encode(), token_mark.encode())
            if not ok:
                return render_template("auth.html", wrong=False), 401
        elif not is_loopback(urlsplit("//" + request.host).hostname or ""):
            return error_page(400, t("error.host"))
        if request.method not in _SAFE_METHODS:
            site = request.headers.get("Sec-Fetch-Site")
            origin = request.headers.get("Origin")
            if (site and site not in ("same-origin", "none")) or \
                    (origin is not None and origin != request.host_url.rstrip("/")):
                return error_page(403, t("error.origin"))
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
            expected = session.get("csrf", "")
            if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
                return error_page(400, t("error.csrf"))
        return None

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(413)
    def too_large(_exc):
        return error_page(413, t("upload.too_big_request", limit=_mb(config.max_request_bytes)))

    @app.errorhandler(BiyeleltError)
    def biyelelt_error(err: BiyeleltError):
        return error_page(500, err.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404:
            return error_page(404, t("error.not_found"))
        return error_page(exc.code or 500, t("error.bad_request") + f" ({exc.code})")

    # -- language and auditor ------------------------------------------------------------------
    @app.get("/lang/<code>")
    def set_lang(code: str):
        if code in LANGUAGES:
            session["lang"] = code
        return redirect(_safe_next(request.args.get("next")))

    @app.post("/auditor")
    def set_auditor():
        name = " ".join(request.form.get("auditor", "").split())[:100]
        if name:
            session["auditor"] = name
            flash(t("auditor.saved", name=name), "ok")
        else:
            session.pop("auditor", None)
        return redirect(_safe_next(request.form.get("next")))

    # -- home, uploads, folders ----------------------------------------------------------------
    @app.get("/")
    def index():
        ok, version, encoder = state.model_status()
        runs = []
        for run in list_runs(config.data_dir)[:50]:
            run_state = run.state
            if run_state in ("queued", "running") and state.jobs.get(run.meta.get("job", "")) is None:
                run_state = "interrupted"
            runs.append((run, run_state))
        return render_template("index.html", model_ok=ok, model_version=version, model_encoder=encoder,
                               runs=runs, file_mb=_mb(config.max_file_bytes), request_mb=_mb(config.max_request_bytes),
                               max_request=config.max_request_bytes)

    def start_scoring(run: Run, inputs: list[str]):
        from ..batch import run_score
        from ..outputs.report import write_outputs
        from ..review.queue import model_version

        def work(job):
            run.save(state="running")
            job.stage = "model"
            model = state.model()
            encoder = state.encoder()
            run.save(model=model_version(model))
            job.total = _count_files(inputs)
            job.stage = "scoring"

            def on_file(_path):
                job.done += 1

            def writer(scored, reports, out):
                job.stage = "writing"
                return write_outputs(scored, reports, out)

            summary = run_score(inputs, run.out, model, encoder=_CountingEncoder(encoder, job) if encoder is not None else None,
                                cache=config.cache_dir, jobs=config.jobs, chunk_rows=config.chunk_rows,
                                progress=False, writers=[writer], on_file=on_file)
            base = run.meta.get("base", "")
            clean = (lambda text: text.replace(str(base) + os.sep, "")) if base else (lambda text: text)
            run.save(
                state="done", n_files=len(summary.files),
                failures=run.meta.get("failures", []) + [[run.display(f.path), clean(f.message)]
                                                         for f in summary.failures],
                warnings=[clean(w) for w in summary.warnings], n_rows=summary.n_rows,
                n_flagged=summary.n_flagged, n_reports=summary.n_reports,
                seconds=round(summary.seconds.get("total", 0.0), 1))
            return {"run": run.id}

        def failed(job):
            run.save(state="failed", error=job.error)

        job = state.jobs.submit("score", work, next_url=url_for("run_page", run_id=run.id), on_error=failed)
        run.save(job=job.id)
        return redirect(url_for("job_page", job_id=job.id))

    @app.post("/upload")
    def upload():
        files = [f for f in request.files.getlist("files") if f and f.filename]
        if not files:
            flash(t("upload.none"), "error")
            return redirect(url_for("index"))
        run = new_run(config.data_dir, "upload", auditor=session.get("auditor", ""))
        failures: list[list[str]] = []
        saved: list[PurePosixPath] = []
        used: set[str] = set()
        for f in files:
            raw = [p for p in re.split(r"[\\/]+", f.filename) if p]
            if any(p.startswith(".") for p in raw):
                continue  # hidden files of an uploaded folder are ignored, as in a folder walk
            rel = safe_relpath(f.filename)
            if rel is None:
                failures.append([f.filename[:200], _both("upload.bad_name")])
                continue
            rel = _unique_path(rel, used)
            try:
                save_upload(f.stream, run.uploads / rel, config.max_file_bytes)
            except FileTooLarge:
                failures.append([rel.as_posix(), _both("upload.too_big_file", limit=_mb(config.max_file_bytes))])
                continue
            saved.append(rel)
        if not saved:
            shutil.rmtree(run.dir, ignore_errors=True)
            code = 413 if failures else 400
            return error_page(code, t("upload.nothing_left"), [f"{name}: {msg}" for name, msg in failures])
        saved.sort(key=lambda p: p.as_posix())
        base = run.uploads.resolve()
        names = [p.as_posix() for p in saved]
        run.save(base=str(base), inputs=names, failures=failures,
                 label=names[0] if len(names) == 1 else f"{names[0]} … (+{len(names) - 1})")
        return start_scoring(run, [str(base / p) for p in saved])

    def picked_folder(rel: str):
        """``(root, folder, path relative to the root)``; ``(None, error page, "")`` when not allowed."""
        try:
            index_ = int(request.values.get("root", "0"))
        except ValueError:
            index_ = -1
        try:
            target = resolve_folder(config.roots, index_, rel)
        except PermissionError:
            return None, error_page(403, t("folder.outside", path=rel)), ""
        except FileNotFoundError:
            return None, error_page(404, t("folder.missing", path=rel)), ""
        root = config.roots[index_]
        return root, target, PurePosixPath(target.relative_to(root)).as_posix() if target != root else ""

    @app.get("/folders")
    def folders():
        from ..read.formats import SUPPORTED_EXTENSIONS

        root, target, rel_path = picked_folder(request.args.get("path", ""))
        if root is None:
            return target
        subdirs, n_files = [], 0
        try:
            for entry in sorted(os.scandir(target), key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    subdirs.append(entry.name)
                elif entry.is_file() and Path(entry.name).suffix.lower() in SUPPORTED_EXTENSIONS:
                    n_files += 1
        except OSError:
            pass
        parts = PurePosixPath(rel_path).parts if rel_path else ()
        crumbs = [(parts[i], "/".join(parts[: i + 1])) for i in range(len(parts))]
        parent = "/".join(parts[:-1]) if parts else None
        return render_template("folders.html", roots=config.roots, root_index=config.roots.index(root), root=root,
                               rel_path=rel_path, subdirs=subdirs, n_files=n_files, crumbs=crumbs,
                               parent=parent)

    @app.post("/folders/score")
    def score_folder():
        root, target, rel_path = picked_folder(request.form.get("path", ""))
        if root is None:
            return target
        run = new_run(config.data_dir, "folder", auditor=session.get("auditor", ""), base=str(root),
                      inputs=[str(target)], label=f"{root.name}/{rel_path}" if rel_path else root.name,
                      failures=[])
        return start_scoring(run, [str(target)])

    # -- jobs ----------------------------------------------------------------------------------
    def job_texts(job) -> dict:
        out = job.to_dict()
        out["stage_text"] = t(f"job.stage.{job.stage}")
        out["count_text"] = t("job.files", done=job.done, total=job.total) if job.total else ""
        out["embedded_text"] = t("job.embedded", n=job.embedded) if job.embedded else ""
        return out

    @app.get("/jobs/<job_id>")
    def job_page(job_id: str):
        job = state.jobs.get(job_id)
        if job is None:
            return error_page(404, t("job.unknown"))
        if job.state == "done" and job.next_url:
            return redirect(job.next_url)
        return render_template("job.html", job=job, info=job_texts(job))

    @app.get("/jobs/<job_id>/status")
    def job_status(job_id: str):
        job = state.jobs.get(job_id)
        if job is None:
            return jsonify({"state": "missing", "error": t("job.unknown")}), 404
        return jsonify(job_texts(job))

    # -- a run: the ranking --------------------------------------------------------------------
    def finished_run(run_id: str) -> tuple[Run | None, object]:
        run = get_run(config.data_dir, run_id)
        if run is None:
            return None, error_page(404, t("run.missing"))
        if run.state != "done" or not (run.out / "reports.csv").is_file():
            job = state.jobs.get(run.meta.get("job", ""))
            if job is not None and job.state in ("queued", "running"):
                return None, redirect(url_for("job_page", job_id=job.id))
            extra = [t("run.error", error=run.meta["error"])] if run.meta.get("error") else []
            return None, error_page(409, t("run.not_ready"), extra)
        return run, None

    @app.get("/runs/<run_id>")
    def run_page(run_id: str):
        run, problem = finished_run(run_id)
        if run is None:
            return problem
        data = state.run_data(run)
        rep = data.reports
        options = {c: sorted({v for v in rep[c] if v}) for c in ("aimag", "kind", "year_facet")}
        chosen = {"aimag": request.args.get("aimag", ""), "kind": request.args.get("kind", ""),
                  "year": request.args.get("year", ""), "q": request.args.get("q", "").strip(),
                  "flagged": request.args.get("flagged", "")}
        view = rep
        if chosen["aimag"]:
            view = view[view["aimag"] == chosen["aimag"]]
        if chosen["kind"]:
            view = view[view["kind"] == chosen["kind"]]
        if chosen["year"]:
            view = view[view["year_facet"] == chosen["year"]]
        if chosen["q"]:
            q = chosen["q"].casefold()
            hay = (view["report_id"] + " " + view["org"] + " " + view["file"]).str.casefold()
            view = view[hay.str.contains(q, regex=False)]
        if chosen["flagged"]:
            view = view[pd.to_numeric(view["n_flagged"], errors="coerce").fillna(0) > 0]
        sort = request.args.get("sort", "rank")
        sort = sort if sort in RANKING_COLUMNS else "rank"
        descending = request.args.get("dir", "asc") == "desc"
        if sort in _NUMERIC:
            key = pd.to_numeric(view[sort], errors="coerce")
        else:
            key = view[sort].fillna("").astype(str).str.casefold()
            key = key.where(key != "", None)
        view = view.assign(_key=key).sort_values(["_key", "rank"], ascending=[not descending, True],
                                                 na_position="last", kind="mergesort")
        n_pages = max(1, math.ceil(len(view) / PER_PAGE))
        try:
            page = min(max(1, int(request.args.get("page", "1"))), n_pages)
        except ValueError:
            page = 1
        shown = view.iloc[(page - 1) * PER_PAGE: page * PER_PAGE]
        params = {k: v for k, v in {**chosen, "sort": sort, "dir": "desc" if descending else "asc"}.items() if v}

        def link(**change) -> str:
            merged = {**params, **change}
            return url_for("run_page", run_id=run.id, **{k: v for k, v in merged.items() if v not in ("", None)})

        headers_ = [(c, t(_COLUMN_KEYS[c]), link(sort=c, dir="desc" if (c == sort and not descending) else "asc",
                                                  page=None), c == sort) for c in RANKING_COLUMNS]
        return render_template("run.html", run=run, rows=shown.to_dict("records"), headers=headers_,
                               sort=sort, descending=descending, options=options, chosen=chosen,
                               total=len(rep), n_view=len(view), page=page, n_pages=n_pages,
                               prev_url=link(page=page - 1) if page > 1 else None,
                               next_url=link(page=page + 1) if page < n_pages else None,
                               numeric=_NUMERIC, failures=run.meta.get("failures", []),
                               warnings=run.meta.get("warnings", []))

    # -- a report: its rows and the auditor's labels --------------------------------------------
    def labels_for(report_id: str) -> dict[tuple[str, str, str], list[dict]]:
        frame = state.store().frame()
        frame = frame[frame["report_id"] == report_id]
        found: dict[tuple[str, str, str], list[dict]] = {}
        for rec in frame.to_dict("records"):
            found.setdefault((rec["row_id"], rec["source"], rec["narrative_hash"]), []).append(rec)
        return found

    @app.get("/runs/<run_id>/report")
    def report_page(run_id: str):
        from ..review.store import narrative_hash

        run, problem = finished_run(run_id)
        if run is None:
            return problem
        report_id = request.args.get("id", "")
        data = state.run_data(run)
        match = data.reports[data.reports["report_id"] == report_id]
        if match.empty:
            return error_page(404, t("report.missing"))
        report = match.iloc[0].to_dict()
        rows = data.scored[data.scored["report_id"] == report_id]
        only_flagged = request.args.get("flagged") == "1"
        labels = labels_for(report_id)
        items = []
        n_attention = int((flag_states(rows["flag"]) != "false").sum()) if "flag" in rows else 0
        for i, row in rows.iterrows():
            flag_state = flag_states([row.get("flag")])[0]  # not "state": that is the app's WebState
            flagged = flag_state == "true"
            if only_flagged and flag_state == "false":
                continue
            key = (_text(row.get("row_id")), _text(row.get("source")), narrative_hash(_text(row.get("narrative"))))
            history = labels.get(key, [])
            items.append({"i": int(i), "row": row.to_dict(), "flagged": flagged, "review": flag_state == "review",
                          "history": history,
                          "latest": history[-1] if history else None})
        try:
            threshold = state.model().settings.threshold
        except BiyeleltError:
            threshold = 30
        return render_template("report.html", run=run, report=report, items=items, only_flagged=only_flagged,
                               n_attention=n_attention,
                               threshold=_num(threshold, 0), store_path=str(state.store().path),
                               auditor=session.get("auditor", ""))

    @app.post("/runs/<run_id>/label")
    def save_label(run_id: str):
        run, problem = finished_run(run_id)
        if run is None:
            return problem
        data = state.run_data(run)
        report_id = request.form.get("report_id", "")
        back = url_for("report_page", run_id=run.id, id=report_id,
                       **({"flagged": "1"} if request.form.get("flagged") == "1" else {}))
        try:
            i = int(request.form.get("i", ""))
            row = data.scored.iloc[i]
        except (ValueError, IndexError):
            return error_page(400, t("label.bad_row"))
        if str(row["report_id"]) != report_id:
            return error_page(400, t("label.bad_row"))
        status = request.form.get("status", "")
        if status not in STATUSES:
            return error_page(400, t("label.bad_status"))
        auditor = session.get("auditor") or " ".join(request.form.get("auditor", "").split())[:100]
        if not auditor:
            flash(t("auditor.missing"), "error")
            return redirect(back)
        session["auditor"] = auditor
        comment = request.form.get("comment", "").strip()[:2000]
        rep = data.reports[data.reports["report_id"] == report_id]
        kind = rep["kind"].iloc[0] if len(rep) else "unknown"
        source = _text(row.get("source"))
        record = {
            "report_id": report_id, "row_id": _text(row.get("row_id")), "source": source,
            "org_id": _text(row.get("org")) or report_id, "org_type": "" if kind == "unknown" else kind,
            "year": _text(row.get("year")), "objective_no": _text(row.get("objective_no")),
            "measure_no": _text(row.get("measure_no")), "measure": _text(row.get("measure")),
            "narrative": _text(row.get("narrative")), "reported_percent": _text(row.get("reported_percent")),
            "status": status, "model_status": _text(row.get("status")), "auditor": auditor, "comment": comment,
            "source_file": run.display(source), "sheet": "web", "sheet_row": _text(row.get("row_id")),
            "model_version": run.meta.get("model", ""),
        }
        added, _ = state.store().add([record])
        flash(t("label.saved" if added else "label.exists", row=record["row_id"],
                status=status_name(status, g.lang)), "ok")
        return redirect(back + f"#row-{i}")

    @app.get("/runs/<run_id>/download/<name>")
    def download(run_id: str, name: str):
        run, problem = finished_run(run_id)
        if run is None:
            return problem
        path = run.out / name
        if name not in DOWNLOADS or not path.is_file():
            return error_page(404, t("error.not_found"))
        return send_file(path, mimetype=DOWNLOADS[name], as_attachment=True, download_name=f"{run.id}-{name}")

    # -- models and retraining -----------------------------------------------------------------
    @app.get("/models")
    def models():
        import json

        from ..judge.model import models_root
        from ..review.retrain import list_models

        ok, version, encoder = state.model_status()
        found = list_models()
        show = request.args.get("show", "")
        comparison, shown_name = None, None
        if show and any(m["name"] == show for m in found):
            try:
                cfg = json.loads((models_root() / show / "config.json").read_text(encoding="utf-8"))
                comparison = cfg.get("meta", {}).get("comparison")
                shown_name = show
            except (OSError, ValueError):
                comparison = None
        sources = ", ".join(p.name for p in config.labels if p.exists()) or "—"
        try:
            n_labels = len(state.store())
        except BiyeleltError:
            n_labels = 0
        blocks = []
        for key in ("held_out", "auditor_cv"):
            block = (comparison or {}).get(key, {})
            if not block.get("n") or "new" not in block:
                continue
            for metric in ("macro_f1", "accuracy", "flag_precision", "flag_recall"):
                new = block["new"].get(metric)
                if new is None:
                    continue
                cur = block.get("current", {}).get(metric)
                change = None if cur is None or _is_missing(cur) or _is_missing(new) else new - cur
                blocks.append({"block": t(f"compare.{key}"), "n": block["n"], "metric": metric, "current": cur,
                               "new": new, "change": change})
        suggested = "web-" + pd.Timestamp.now().strftime("%Y%m%d-%H%M")
        return render_template("models.html", model_ok=ok, model_version=version, model_encoder=encoder,
                               models=found, root=str(models_root()), comparison=comparison, shown=shown_name,
                               blocks=blocks, sources=sources, n_labels=n_labels, suggested=suggested,
                               pinned=str(config.model_dir) if config.model_dir else "")

    @app.post("/models/retrain")
    def start_retrain():
        from ..judge.model import models_root

        name = request.form.get("name", "").strip()
        if not _MODEL_NAME.match(name):
            flash(t("retrain.bad_name"), "error")
            return redirect(url_for("models"))
        out = models_root() / name
        if out.exists():
            flash(t("retrain.exists", name=name), "error")
            return redirect(url_for("models"))

        def work(job):
            from ..judge.embed import EmbeddingCache
            from ..judge.model import AuditModel
            from ..review.retrain import retrain

            job.stage = "training"
            sources = [p for p in config.labels if p.exists()]
            store = state.store()
            if len(store):
                sources.append(store.path)
            if not sources:
                raise BiyeleltError(translate("retrain.no_labels", "mn"), translate("retrain.no_labels", "en"))
            try:
                current = state.model()
            except ModelError:
                current = None
            spec = config.retrain_encoder_spec
            if spec == "model":
                spec = current.encoder_spec if current is not None else "e5"
            cache = EmbeddingCache(config.cache_dir)
            encoder = config.encoder or (AuditModel(pipeline=None, encoder_spec=spec).encoder(cache) if spec else None)
            current_encoder = config.encoder if config.encoder is not None else None
            if current is not None and current_encoder is None and current.needs_embeddings:
                base = state.encoder()
                current_encoder = _cached(base, cache) if base is not None else None
            retrain(sources, out, encoder_spec=spec, encoder=encoder, current=current,
                    current_encoder=current_encoder, n_splits=config.retrain_folds, cache=cache, name=name,
                    classifier=config.retrain_classifier)
            return {"name": name}

        job = state.jobs.submit("retrain", work, next_url=url_for("models", show=name))
        return redirect(url_for("job_page", job_id=job.id))

    @app.post("/models/use")
    def use():
        from ..review.retrain import use_model

        name = request.form.get("name", "")
        try:
            use_model(name)
        except BiyeleltError as err:
            flash(err.message, "error")
            return redirect(url_for("models"))
        state.reset_model()
        flash(t("models.used", name=name), "ok")
        return redirect(url_for("models", show=name))

    return app


def _cached(encoder, cache):
    from ..judge.embed import CachedEncoder

    return CachedEncoder(encoder, cache)
