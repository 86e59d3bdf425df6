"""Labelled examples: loading, validation, organisation-level splits and the data hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..settings import STATUSES, Settings

__all__ = ["LABEL_COLUMNS", "load_labelled", "assign_splits", "data_hash"]

#: Columns of a labelled file (``score`` and ``split`` may be absent in a user's own labels).
LABEL_COLUMNS = ("org_id", "org_type", "year", "objective_no", "measure_no", "measure", "narrative",
                 "reported_percent", "status", "score", "split")
_REQUIRED = ("narrative", "status")


def _files(paths) -> list[Path]:
    out: list[Path] = []
    for p in [paths] if isinstance(paths, (str, Path)) else paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.csv") if q.is_file())
        elif p.is_file():
            out.append(p)
        else:
            raise DataError("файл олдсонгүй", "file not found", path=p)
    return out


def load_labelled(paths) -> pd.DataFrame:
    """Read labelled CSV files (a file, a folder of them, or a list of both).

    Every row is checked: a missing narrative column or an unknown status is an
    error naming the file and the line. Empty narratives are kept (they are
    no_evidence by definition).

    Returns
    -------
    DataFrame
        :data:`LABEL_COLUMNS` plus ``file`` and ``line``; ``org_id`` defaults to the
        file stem, ``split`` to ``"train"``.
    """
    frames = []
    for f in _files(paths):
        try:
            df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise DataError("CSV файл уншигдсангүй", f"unreadable CSV file ({exc})", path=f) from exc
        missing = [c for c in _REQUIRED if c not in df.columns]
        if missing:
            raise DataError(f"багана дутуу: {', '.join(missing)}", f"missing columns: {', '.join(missing)}", path=f)
        bad = ~df["status"].str.strip().isin(STATUSES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"үл мэдэгдэх төлөв «{df['status'].iat[i]}» (зөвшөөрөгдөх: {', '.join(STATUSES)})",
                f"unknown status {df['status'].iat[i]!r} (allowed: {', '.join(STATUSES)})",
                path=f, where=f"line {i + 2}",
            )
        df["status"] = df["status"].str.strip()
        for c in LABEL_COLUMNS:
            if c not in df:
                df[c] = ""
        df.loc[df["org_id"] == "", "org_id"] = f.stem
        df.loc[df["split"] == "", "split"] = "train"
        df["file"] = str(f)
        df["line"] = np.arange(2, len(df) + 2)
        frames.append(df[list(LABEL_COLUMNS) + ["file", "line"]])
    if not frames:
        raise DataError("шошготой өгөгдөл олдсонгүй", "no labelled data found", path=str(paths))
    return pd.concat(frames, ignore_index=True)


def assign_splits(orgs: pd.DataFrame, test_share: float = 0.2, seed: int = 0) -> dict[str, str]:
    """Hold out whole organisations: about ``test_share`` of them within each org type.

    Parameters
    ----------
    orgs : DataFrame
        Columns ``org_id`` and ``org_type`` (one row per labelled row is fine).
    test_share : float
    seed : int
        Mixed into the hash that orders organisations; the split is stable for a seed.

    Returns
    -------
    dict
        ``org_id -> "train" | "test"``.
    """
    table = orgs[["org_id", "org_type"]].drop_duplicates("org_id")
    order = lambda o: hashlib.sha256(f"{seed}:{o}".encode()).hexdigest()  # noqa: E731
    split: dict[str, str] = {}
    carry = 0.0
    for _, group in sorted(table.groupby("org_type"), key=lambda kv: kv[0]):
        ids = sorted(group["org_id"], key=order)
        want = len(ids) * test_share + carry
        k = int(np.floor(want + 1e-9))
        carry = want - k
        for i, o in enumerate(ids):
            split[o] = "test" if i < k else "train"
    return split


def data_hash(df: pd.DataFrame) -> str:
    """SHA-256 over the labelled content (order-independent within a file set)."""
    cols = ["org_id", "measure", "narrative", "reported_percent", "status", "split"]
    lines = sorted("\x1f".join(str(v) for v in row) for row in df[cols].itertuples(index=False))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def rubric_scores(statuses, settings: Settings | None = None) -> list:
    """The rubric score of each status ('' for not_applicable)."""
    settings = settings or Settings()
    return ["" if settings.true_score(s) is None else int(settings.true_score(s)) for s in statuses]
