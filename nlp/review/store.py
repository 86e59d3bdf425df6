"""The label store: auditors' labels with provenance, in one SQLite file.

Шошгын сан: аудиторын тогтоосон төлөв бүрийг хэн, хэзээ, аль файлаас, аль загварын
үнэлгээг засаж оруулсныг хадгална / Every label an auditor gives is kept with who gave
it, when, from which file and sheet row, and which model had scored the row.

The store is one SQLite file in WAL mode. Every write is one short ``BEGIN IMMEDIATE``
transaction on its own connection with a generous busy timeout, so several auditors'
imports and the web app can write at once without losing a label. A label's
``label_key`` (the row key, the narrative hash, the status, the auditor and the comment)
is unique: adding the same label twice adds nothing, while a later, different judgement
on the same row is kept beside the earlier one (the history of who said what).

Path: ``$BIYELELT_LABELS``, else ``$XDG_DATA_HOME/biyelelt/labels.sqlite``
(``~/.local/share/biyelelt/labels.sqlite``).

For training, :meth:`LabelStore.export_csv` writes the latest label of each row as a CSV
that :func:`nlp.learn.labelled.load_labelled` reads (``split`` = ``train``), and
:func:`load_label_sources` reads label CSVs, folders and stores together.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..judge.embed import _wal
from ..learn.labelled import LABEL_COLUMNS, load_labelled, rubric_scores
from ..settings import STATUSES

__all__ = ["LabelStore", "default_store_path", "narrative_hash", "label_key", "load_label_sources",
           "STORE_COLUMNS", "STORE_SUFFIXES", "PROVENANCE_COLUMNS"]

#: File name endings read as a label store rather than a CSV.
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

#: Columns of the ``labels`` table after ``id`` (in this order in :meth:`LabelStore.frame`).
STORE_COLUMNS = (
    "label_key", "report_id", "row_id", "source", "org_id", "org_type", "year", "objective_no", "measure_no",
    "measure", "narrative", "narrative_hash", "reported_percent", "status", "model_status", "auditor", "comment",
    "date", "imported_at", "source_file", "sheet", "sheet_row", "model_version",
)
#: Provenance columns written beside :data:`~nlp.learn.labelled.LABEL_COLUMNS` by :meth:`LabelStore.export_csv`.
PROVENANCE_COLUMNS = ("report_id", "row_id", "source", "narrative_hash", "model_status", "auditor", "comment",
                      "date", "source_file", "sheet", "sheet_row", "model_version", "label_key")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in STORE_COLUMNS)},
    UNIQUE (label_key)
);
CREATE INDEX IF NOT EXISTS labels_row ON labels (report_id, row_id, source, narrative_hash);
"""
_REQUIRED = ("narrative", "status", "auditor")
_KEY_FIELDS = ("report_id", "row_id", "source", "narrative_hash", "status", "auditor", "comment")


def default_store_path() -> Path:
    """``$BIYELELT_LABELS``, else ``$XDG_DATA_HOME/biyelelt/labels.sqlite`` (``~/.local/share/...``)."""
    env = os.environ.get("BIYELELT_LABELS")
    if env:
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "biyelelt" / "labels.sqlite"


def narrative_hash(text: str) -> str:
    """A short SHA-256 of a narrative exactly as written (the review workbook uses it to see edits)."""
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:16]


def label_key(record: Mapping) -> str:
    """The identity of one judgement: row key, narrative hash, status, auditor and comment."""
    parts = [str(record.get(k, "") or "").strip() for k in _KEY_FIELDS]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class LabelStore:
    """Auditors' labels in one SQLite file.

    Parameters
    ----------
    path : str or Path, optional
        Default: :func:`default_store_path`. The folder is created when missing.
    timeout : float, default 60
        Seconds a writer waits for another writer's transaction to end.

    Examples
    --------
    >>> store = LabelStore("labels.sqlite")  # doctest: +SKIP
    >>> store.add([{"narrative": "...", "status": "done", "auditor": "Б. Бат"}])  # doctest: +SKIP
    (1, 0)
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 60.0):
        self.path = Path(path) if path is not None else default_store_path()
        self.timeout = timeout
        if self.path.exists() and not self.path.is_file():
            raise DataError("шошгын сан файл биш", "the label store is not a file", path=self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            _wal(con, wait=self.timeout)
            con.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            con.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            raise DataError("шошгын санг нээж чадсангүй", f"cannot open the label store ({exc})",
                            path=self.path) from exc
        return _Closing(con)

    def add(self, records: Iterable[Mapping], *, imported_at: str | None = None) -> tuple[int, int]:
        """Store labels; a label already in the store is skipped.

        Parameters
        ----------
        records : iterable of mapping
            Each with at least ``narrative``, ``status`` (one of :data:`~nlp.settings.STATUSES`) and
            ``auditor``; any of :data:`STORE_COLUMNS` may be given. ``narrative_hash`` and
            ``label_key`` are computed when absent; ``date`` defaults to today (UTC).
        imported_at : str, optional
            Timestamp recorded with the labels (default: now, UTC, ISO 8601).

        Returns
        -------
        (added, skipped) : tuple of int

        Raises
        ------
        DataError
            A record lacks a required field or has an unknown status; nothing is stored then.
        """
        now = imported_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = []
        for i, rec in enumerate(records):
            r = {c: _text(rec.get(c, "")).strip() if c != "narrative" else _text(rec.get(c, ""))
                 for c in STORE_COLUMNS}
            missing = [c for c in _REQUIRED if not r[c].strip()]
            if missing:
                raise DataError(f"{i + 1}-р шошгонд {', '.join(missing)} алга",
                                f"label {i + 1} lacks {', '.join(missing)}", path=self.path)
            if r["status"] not in STATUSES:
                raise DataError(f"үл мэдэгдэх төлөв «{r['status']}»", f"unknown status {r['status']!r}",
                                path=self.path, where=f"label {i + 1}")
            r["narrative_hash"] = r["narrative_hash"] or narrative_hash(r["narrative"])
            r["label_key"] = r["label_key"] or label_key(r)
            r["date"] = r["date"] or now[:10]
            r["imported_at"] = r["imported_at"] or now
            rows.append(tuple(r[c] for c in STORE_COLUMNS))
        sql = (f"INSERT OR IGNORE INTO labels ({', '.join(STORE_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(STORE_COLUMNS))})")
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                before = con.total_changes
                con.executemany(sql, rows)
                added = con.total_changes - before
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return added, len(rows) - added

    def frame(self, *, latest_only: bool = False) -> pd.DataFrame:
        """All labels, oldest first (``id`` order); ``latest_only`` keeps the newest label of each row.

        A row is identified by ``report_id``, ``row_id``, ``source`` and ``narrative_hash``.
        """
        with self._connect() as con:
            df = pd.read_sql_query(f"SELECT id, {', '.join(STORE_COLUMNS)} FROM labels ORDER BY id", con)
        if latest_only and len(df):
            df = df.drop_duplicates(["report_id", "row_id", "source", "narrative_hash"], keep="last")
            df = df.reset_index(drop=True)
        return df

    def __len__(self) -> int:
        with self._connect() as con:
            return int(con.execute("SELECT COUNT(*) FROM labels").fetchone()[0])

    def training_frame(self) -> pd.DataFrame:
        """The newest label of each row in the columns of :func:`nlp.learn.labelled.load_labelled`.

        Returns
        -------
        DataFrame
            :data:`~nlp.learn.labelled.LABEL_COLUMNS` (``split`` = ``train``, ``score`` from the rubric)
            then :data:`PROVENANCE_COLUMNS`.
        """
        df = self.frame(latest_only=True)
        out = pd.DataFrame({c: df[c] if c in df else "" for c in LABEL_COLUMNS}, index=df.index)
        out["org_id"] = [o or r or "auditor" for o, r in zip(df["org_id"], df["report_id"])]
        out["score"] = rubric_scores(df["status"])
        out["split"] = "train"
        for c in PROVENANCE_COLUMNS:
            out[c] = df[c]
        return out

    def export_csv(self, path: str | Path) -> Path:
        """Write :meth:`training_frame` to ``path`` (UTF-8 CSV, one line per labelled row, stable order).

        The file is read by :func:`nlp.learn.labelled.load_labelled` and ``biyelelt train``; the extra
        provenance columns make it reviewable in git.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.training_frame().to_csv(path, index=False, encoding="utf-8")
        return path


class _Closing:
    """A connection used as a context manager that closes (not only commits) on exit."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def __getattr__(self, name):
        return getattr(self.con, name)

    def __enter__(self) -> sqlite3.Connection:
        return self.con

    def __exit__(self, *exc) -> None:
        self.con.close()


def _is_store(path: Path) -> bool:
    return path.suffix.lower() in STORE_SUFFIXES


def load_label_sources(paths) -> pd.DataFrame:
    """Labelled rows from CSV files, folders of them and label stores, in the order given.

    Parameters
    ----------
    paths : path or list of paths
        A ``.csv`` file, a folder (its CSV files, recursively), or a label store
        (``.sqlite``, ``.sqlite3``, ``.db``).

    Returns
    -------
    DataFrame
        The columns of :func:`nlp.learn.labelled.load_labelled` (``file``, ``line``) plus ``auditor``:
        the auditor's name for rows labelled by an auditor (from a store, or from a CSV with an
        ``auditor`` column such as :meth:`LabelStore.export_csv` writes), empty otherwise.
    """
    frames = []
    for p in [paths] if isinstance(paths, (str, Path)) else paths:
        p = Path(p)
        if _is_store(p):
            if not p.is_file():
                raise DataError("шошгын сан олдсонгүй", "label store not found", path=p)
            df = LabelStore(p).training_frame()
            df["file"] = str(p)
            df["line"] = np.arange(1, len(df) + 1)
            frames.append(df[list(LABEL_COLUMNS) + ["file", "line", "auditor"]])
            continue
        df = load_labelled(p)
        df["auditor"] = ""
        for f, idx in df.groupby("file", sort=False).groups.items():
            header = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8", nrows=0).columns
            if "auditor" in header:
                who = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8", usecols=["auditor"])
                df.loc[idx, "auditor"] = who["auditor"].to_numpy()
        frames.append(df)
    if not frames:
        raise DataError("шошготой өгөгдөл өгөөгүй", "no labelled data given")
    return pd.concat(frames, ignore_index=True)
