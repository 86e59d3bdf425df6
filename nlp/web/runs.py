"""Scored runs on disk, uploads, safe paths, and the facets of the ranking (aimag, soum, kind, year).

A run lives in ``<data-dir>/runs/<id>/``: ``run.json`` (what was scored, by whom, how it went),
``uploads/`` (the uploaded files, under their own relative paths) and ``out/`` (what
``biyelelt score`` writes: ``rows.csv``, ``reports.csv``, ``problems.csv``, ``report.xlsx``,
``report.html``, ``rows.parquet``).

Facets: a year's submissions are usually filed as ``2024/<aimag>/<soum>/<file>``. The aimag and
soum are the one or two folders after a folder named like a year; the year is the report's own
(from its title) or that folder's. The organisation kind is guessed from keywords in the
organisation's name (when the file gives one) and the file's name; «unknown» when none match.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

__all__ = ["Run", "new_run", "get_run", "list_runs", "safe_relpath", "save_upload", "resolve_folder",
           "load_run_data", "RunData", "guess_kind", "path_facets", "KINDS", "FileTooLarge"]

RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
_MAX_DEPTH = 12
_MAX_NAME = 150

#: Organisation kinds and the keywords (lower case, Cyrillic) that reveal them, most specific first.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vocational", ("мэргэжлийн сургалт", "мсүт", "политехник")),
    ("kindergarten", ("цэцэрлэг",)),
    ("school", ("сургууль", "ебс", "лицей")),
    ("health_centre", ("эрүүл мэндийн төв", "өэмт", "сэмт", "эмт")),
    ("hospital", ("эмнэлэг", "нэгдсэн эмнэлэг", "клиник")),
    ("district_governor", ("дүүргийн засаг", "дүүргийн здтг")),
    ("aimag_governor", ("аймгийн засаг", "аймгийн здтг")),
    ("soum_governor", ("сумын засаг", "сумын здтг", "здтг")),
    ("khoroo", ("хорооны засаг", "багийн засаг")),
    ("ministry", ("яам",)),
    ("police", ("цагдаа",)),
    ("prosecutor", ("прокурор",)),
    ("court", ("шүүх",)),
    ("tax", ("татвар",)),
    ("customs", ("гааль",)),
    ("emergency", ("онцгой байд",)),
    ("inspection", ("мэргэжлийн хяналт",)),
    ("social_insurance", ("нийгмийн даатгал",)),
    ("welfare", ("халамж",)),
    ("land_office", ("газрын харилцаа", "газар зохион байгуулалт")),
    ("culture_centre", ("соёлын төв", "музей", "номын сан")),
    ("soe", ("төрийн өмчит", "төхк", " хк", "ххк")),
    ("agency", ("агентлаг", "газар", "алба", "хороо")),
)
_YEAR = re.compile(r"^(19|20)\d\d$")


class FileTooLarge(Exception):
    """An uploaded file went over the per-file limit (it is not kept)."""


# ---------------------------------------------------------------------------------------------
# runs


@dataclass
class Run:
    """One scoring run: its folder and its ``run.json``."""

    id: str
    dir: Path
    meta: dict
    # The request thread and the job's thread both write run.json; one at a time, each with the whole meta.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def out(self) -> Path:
        return self.dir / "out"

    @property
    def uploads(self) -> Path:
        return self.dir / "uploads"

    @property
    def state(self) -> str:
        return self.meta.get("state", "failed")

    def save(self, **changes) -> None:
        """Apply ``changes`` to ``meta`` and write ``run.json``.

        Atomic (a page never reads half of it) and serialised: the change and the write happen
        under one lock, so a slower writer never puts back an older state over a newer one.
        """
        with self._lock:
            self.meta.update(changes)
            tmp = self.dir / f".run.json.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_text(json.dumps(self.meta, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
            os.replace(tmp, self.dir / "run.json")

    def display(self, path: str | os.PathLike) -> str:
        """A path as shown to people: relative to the upload folder or the picked root."""
        return display_path(path, self.meta.get("base", ""))


def display_path(path, base: str) -> str:
    text = os.fspath(path)
    if base:
        try:
            return PurePosixPath(Path(text).resolve().relative_to(Path(base).resolve())).as_posix()
        except (ValueError, OSError):
            pass
    return text


def _runs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "runs"


def new_run(data_dir: Path, kind: str, **meta) -> Run:
    """Make a run folder with a fresh id (``YYYYMMDD-HHMMSS-xxxxxx``)."""
    root = _runs_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    while True:
        run_id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        folder = root / run_id
        try:
            folder.mkdir()
            break
        except FileExistsError:  # pragma: no cover - same second and same random suffix
            continue
    run = Run(run_id, folder, {"id": run_id, "kind": kind, "state": "queued",
                               "created": time.strftime("%Y-%m-%d %H:%M:%S"), **meta})
    run.save()
    return run


def get_run(data_dir: Path, run_id: str) -> Run | None:
    """The run ``run_id``, or None (also for an id that is not one: nothing outside the runs folder)."""
    if not RUN_ID.match(run_id or ""):
        return None
    folder = _runs_dir(data_dir) / run_id
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Run(run_id, folder, meta)


def list_runs(data_dir: Path) -> list[Run]:
    """All runs, newest first."""
    root = _runs_dir(data_dir)
    if not root.is_dir():
        return []
    runs = [get_run(data_dir, p.name) for p in root.iterdir() if p.is_dir()]
    return sorted((r for r in runs if r is not None), key=lambda r: r.id, reverse=True)


# ---------------------------------------------------------------------------------------------
# uploads and folders


def _clean_part(part: str) -> str:
    part = unicodedata.normalize("NFC", part)
    part = "".join(ch for ch in part if ch.isprintable() and ch not in '<>:"|?*\\')
    part = part.strip().strip(".").strip()
    return part[:_MAX_NAME]


def safe_relpath(filename: str | None) -> PurePosixPath | None:
    """An uploaded file's name as a safe relative path, or None when nothing usable is left.

    Browsers send a folder upload's files with their relative path (``2024/Архангай/x.docx``);
    that path is kept (it gives the aimag and soum) but every part is cleaned: no ``..``, no
    leading dot, no drive or root, no control characters; Cyrillic names are kept as they are.
    """
    if not filename:
        return None
    parts = [_clean_part(p) for p in re.split(r"[\\/]+", filename)]
    parts = [p for p in parts if p and p not in (".", "..")]
    if not parts or len(parts) > _MAX_DEPTH:
        return None
    return PurePosixPath(*parts)


def save_upload(stream, dest: Path, max_bytes: int, chunk: int = 1 << 20) -> int:
    """Copy an uploaded file's stream to ``dest``, stopping at ``max_bytes``.

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    FileTooLarge
        The file is larger than ``max_bytes``; nothing is left at ``dest``.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with open(dest, "xb") as fh:
            while True:
                block = stream.read(chunk)
                if not block:
                    break
                written += len(block)
                if written > max_bytes:
                    raise FileTooLarge(written)
                fh.write(block)
    except FileTooLarge:
        dest.unlink(missing_ok=True)
        raise
    return written


def resolve_folder(roots: list[Path], root_index: int, rel: str) -> Path:
    """The folder ``rel`` under ``roots[root_index]``, after resolving links.

    Raises
    ------
    PermissionError
        The path leads outside the root (``..``, an absolute path, a link pointing out).
    FileNotFoundError
        No such folder.
    """
    if not 0 <= root_index < len(roots):
        raise PermissionError(rel)
    root = roots[root_index].resolve()
    rel = (rel or "").strip().rstrip("/")
    if rel and (rel.startswith(("/", "\\")) or ".." in PurePosixPath(rel.replace("\\", "/")).parts):
        raise PermissionError(rel)
    target = (root / rel).resolve()
    if target != root and root not in target.parents:
        raise PermissionError(rel)
    if not target.is_dir():
        raise FileNotFoundError(rel)
    return target


# ---------------------------------------------------------------------------------------------
# facets


def guess_kind(*texts: str) -> str:
    """The organisation kind (a key of :data:`KINDS`) named in ``texts``, else ``"unknown"``."""
    text = " " + " ".join(str(t) for t in texts if isinstance(t, str) and t).lower().replace("_", " ") + " "
    for kind, words in KINDS:
        if any(w in text for w in words):
            return kind
    return "unknown"


def path_facets(rel: str) -> tuple[str, str, str]:
    """``(year, aimag, soum)`` from a relative path like ``2024/Архангай/Батцэнгэл/report.docx``.

    The aimag and soum are the (at most two) folders after a folder named like a year; empty when
    the path has no such folder or stops before them. The file name itself is never a facet.
    """
    parts = PurePosixPath(rel).parts[:-1]
    for i, part in enumerate(parts):
        if _YEAR.match(part):
            after = parts[i + 1:]
            return part, (after[0] if len(after) > 0 else ""), (after[1] if len(after) > 1 else "")
    return "", "", ""


@dataclass
class RunData:
    """A finished run's rows and ranked reports (with ``aimag``, ``soum``, ``kind``, ``year_facet``, ``file``)."""

    scored: pd.DataFrame
    reports: pd.DataFrame


def _text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def load_run_data(run: Run) -> RunData:
    """Read a finished run's ``rows.parquet`` (every scored column; ``rows.csv`` when it is missing)
    and ``reports.csv``, and add the facets to the reports.

    Raises
    ------
    FileNotFoundError
        The run wrote no ``reports.csv``.
    """
    from ..outputs.tables import read_scored

    rows, reports = read_scored(run.out)
    parquet = run.out / "rows.parquet"
    if parquet.is_file():
        rows = pd.read_parquet(parquet)
    rows = rows.reset_index(drop=True)
    reports = reports.copy()
    for c in ("org", "source", "year"):
        if c not in reports:
            reports[c] = ""
    files, years, aimags, soums, kinds = [], [], [], [], []
    for _, r in reports.iterrows():
        rel = run.display(_text(r["source"]))
        files.append(rel)
        year, aimag, soum = path_facets(rel)
        years.append(_text(r["year"]) or year)
        aimags.append(aimag)
        soums.append(soum)
        kinds.append(guess_kind(_text(r["org"]), PurePosixPath(rel).stem))
    reports["file"] = files
    reports["year_facet"] = years
    reports["aimag"] = aimags
    reports["soum"] = soums
    reports["kind"] = kinds
    reports["org"] = [_text(v) for v in reports["org"]]
    reports["report_id"] = reports["report_id"].astype(str)
    rows["report_id"] = rows["report_id"].astype(str)
    return RunData(scored=rows, reports=reports)
