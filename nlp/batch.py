"""Score a year of submissions in one run: parallel reading, chunks, resume, Dask.

Жилийн бүх тайланг нэг удаа үнэлэх хөдөлгүүр / The engine behind ``biyelelt score``.

:func:`run_score` reads the files of a folder tree in parallel processes, scores the
rows in chunks of about ``chunk_rows`` rows (so that no more than one chunk of
embeddings is ever held), and keeps what it has finished in ``DIR/.parts/``:

* ``run.json`` — what the parts were made with: a fingerprint of the model, the
  encoder and the settings. Parts made with anything else are never reused.
* ``part-NNNNNN.parquet`` — the scored rows of the files of one chunk.
* ``manifest.jsonl`` — one line per finished file (path, size and content hash,
  its part, its warnings, or why it failed), appended after its part is on disk.

A run stopped part-way (Ctrl-C, a crash, a lost machine) continues with
``resume=True`` (``--resume``): files whose path and content are in the manifest
are taken from their parts, the others are read and scored. The final
``rows.csv``, ``reports.csv`` and ``problems.csv`` are always assembled from the
parts in input order, so a resumed run writes the same bytes as an uninterrupted
one, and the local and Dask engines write the same bytes as each other.

Identical narratives are embedded once: each chunk's texts are deduplicated, and
every chunk (and every later run) shares one on-disk :class:`~nlp.judge.embed.EmbeddingCache`.
A model with a cascade gets its second encoder built once per run, over the same cache.

Both cores are used on a cached run: the reader processes also normalise the texts and find
the cues of the files they read, while this process classifies; and the outputs
(``rows.csv``, ``report.xlsx``, ``report.html``, ``rows.parquet``) are written side by side
in forked processes.

Examples
--------
>>> from nlp.batch import run_score
>>> summary = run_score(["2024"], "out/2024", resume=True)  # doctest: +SKIP
>>> print(summary.format())  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .errors import Failure, ModelError, ReportError, bilingual

__all__ = ["run_score", "RunSummary", "STAGES", "PARTS_DIR", "ENGINES"]

#: Stages timed in :attr:`RunSummary.seconds`.
STAGES = ("load", "scan", "read", "embed", "classify", "write")
#: Where finished work is kept inside the output folder.
PARTS_DIR = ".parts"
#: The engines :func:`run_score` can run on.
ENGINES = ("local", "dask")
_PARTS_FORMAT = "biyelelt-parts/1"
_FILE_COLUMN = "__file"
_READ_WINDOW_PER_JOB = 8  # files read ahead per reader process: bounds the rows waiting in memory
_READ_AHEAD_MAX_FILES = 128  # and up to a chunk's files more, so that readers work while a chunk is scored
_MIN_FILES_FOR_POOL = 16  # with jobs left to its default, fewer files are read in this process
_START_METHOD: str | None = None  # reader processes: None = fork when single-threaded, else forkserver


# --------------------------------------------------------------------------------------
# The summary
# --------------------------------------------------------------------------------------
@dataclass
class RunSummary:
    """What a :func:`run_score` run did.

    Attributes
    ----------
    files : list of str
        The files read (including those taken from an earlier run's parts), in input order.
    failures : list of nlp.errors.Failure
        The files that could not be read, each with its reason.
    warnings : list of str
        File-level and batch warnings, each naming its file.
    n_rows, n_flagged, n_reports : int
        Rows scored, rows flagged, reports ranked.
    n_embedded : int
        Texts sent to the encoder in this run (cache misses); 0 when everything was cached.
    n_resumed : int
        Files taken from an earlier, interrupted run instead of being read again.
    n_reused : int
        Files taken from the result store (scored before with the same model, encoder and settings,
        same path and content) instead of being read again.
    seconds : dict
        Seconds per stage (:data:`STAGES`): ``load`` (the model), ``scan`` (listing and
        hashing the files),
        ``read`` (summed over the reader processes), ``embed``, ``classify`` and
        ``write``; ``total`` is the wall-clock time of the whole run.
    paths : dict
        The files written, by name.
    engine : str
    scored, reports : pandas.DataFrame
        The scored rows (input order) and the ranked reports, as written.
    """

    files: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_flagged: int = 0
    n_reports: int = 0
    n_embedded: int = 0
    n_resumed: int = 0
    n_reused: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    engine: str = "local"
    scored: pd.DataFrame | None = field(default=None, repr=False)
    reports: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when at least one file was read and none failed."""
        return bool(self.files) and not self.failures

    def format(self, failures: bool = True) -> str:
        """The end-of-run summary for people (Mongolian and English).

        Parameters
        ----------
        failures : bool, default True
            List each failed file with its reason.
        """
        s = self.seconds
        lines = [
            f"{bilingual('файл', 'files')}: {len(self.files)} {bilingual('уншсан', 'read')}, "
            f"{len(self.failures)} {bilingual('алдаатай', 'failed')}"
            + (f" ({bilingual('өмнөх ажиллагаанаас', 'from the earlier run')}: {self.n_resumed})"
               if self.n_resumed else "")
            + (f" ({bilingual('өмнө үнэлсэн, дахин уншаагүй', 'scored before, not read again')}: {self.n_reused})"
               if self.n_reused else ""),
            f"{bilingual('мөр', 'rows')}: {self.n_rows}, {bilingual('тэмдэглэсэн', 'flagged')}: {self.n_flagged}, "
            f"{bilingual('тайлан', 'reports')}: {self.n_reports}",
            f"{bilingual('шинээр кодолсон текст', 'texts embedded')}: {self.n_embedded}",
            f"{bilingual('хугацаа', 'time')} (s): "
            + ", ".join(f"{stage} {s.get(stage, 0.0):.1f}" for stage in STAGES)
            + f"; {bilingual('нийт', 'total')} {s.get('total', 0.0):.1f}",
        ]
        for failure in self.failures if failures else ():
            lines.append(f"  {bilingual('алдаа', 'failed')}: {failure.message}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Reading one file (runs in reader processes and on Dask workers)
# --------------------------------------------------------------------------------------
@dataclass
class _FileResult:
    path: str
    fingerprint: str
    rows: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None
    seconds: float = 0.0
    n_rows: int = 0
    report_ids: list[str] = field(default_factory=list)
    #: Normalised texts and narrative cues of the rows (:func:`nlp.judge.audit.prepare_texts`), found where
    #: the file was read, so that the cue search runs in the reader processes, beside the classifier.
    texts: tuple[dict, dict] | None = None
    prep_seconds: float = 0.0


#: Texts a process has prepared, kept for the next files (a year repeats its measures and stock phrases).
_TEXT_MEMO: tuple[dict, dict] = ({}, {})
_TEXT_MEMO_MAX = 20_000


def _prepare_texts(frame: pd.DataFrame) -> tuple[dict, dict]:
    """This file's normalised cells and narrative cues, found once per distinct text in this process."""
    from .judge.audit import cell_key, prepare_texts

    narratives = list(frame["narrative"]) if "narrative" in frame else []
    measures = list(frame["measure"]) if "measure" in frame else []
    if len(_TEXT_MEMO[0]) > _TEXT_MEMO_MAX or len(_TEXT_MEMO[1]) > _TEXT_MEMO_MAX:
        _TEXT_MEMO[0].clear()
        _TEXT_MEMO[1].clear()
    normal_all, cues_all = prepare_texts(narratives, measures, _TEXT_MEMO)
    normal = {k: normal_all[k] for k in map(cell_key, narratives + measures)}
    cues = {t: cues_all[t] for t in (normal[cell_key(v)] for v in narratives)}
    return normal, cues


def _read_one(path: str, fingerprint: str, prepare: bool = True) -> _FileResult:
    """Read one file; a file that cannot be read is a failure, never an exception.

    With ``prepare``, the rows' texts are also normalised and searched for cues (:func:`_prepare_texts`).
    """
    from .read import read_source

    start = time.perf_counter()
    result = _FileResult(path, fingerprint)
    try:
        frame, warnings = read_source(path, None)
    except ReportError as error:
        result.failure = error.message
    except Exception as exc:  # a reader bug on one odd file must not stop a year's batch
        result.failure = f"{path}: " + bilingual("уншихад алдаа гарлаа", "unexpected error while reading") \
            + f" ({type(exc).__name__}: {exc})"
    else:
        result.rows = frame
        result.n_rows = len(frame)
        result.report_ids = [str(r) for r in dict.fromkeys(frame["report_id"])]
        result.warnings = [f"{path} ({where}): {message}" for where, message in warnings]
    result.seconds = time.perf_counter() - start
    if prepare and result.rows is not None and len(result.rows):
        start = time.perf_counter()
        try:
            result.texts = _prepare_texts(result.rows)
        except Exception:  # never fails a file: the classifier then finds the cues itself
            result.texts = None
        result.prep_seconds = time.perf_counter() - start
    return result


def _ignore_sigint() -> None:  # reader processes leave Ctrl-C to the main process
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _fingerprint(path: str) -> str:
    """Size and SHA-1 of a file's content (``"missing"`` when it cannot be opened)."""
    try:
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha1").hexdigest()
        return f"{os.path.getsize(path)}:{digest}"
    except OSError:
        return "missing"


def _discover(inputs: Iterable[str | os.PathLike]) -> tuple[list[str], list[tuple[int, str]]]:
    """The files to read, in sorted input order and once each, and the warnings of the walk.

    Each warning comes with the number of files found before it, so that the problems
    list keeps the order :func:`nlp.read.read_paths` gives.
    """
    from .read import expand_inputs

    warnings: list[str] = []
    walk: list[tuple[int, str]] = []
    files: list[str] = []
    seen: set[str] = set()
    for source in expand_inputs(inputs, warnings):
        walk.extend((len(files), w) for w in warnings)
        warnings.clear()
        key = os.path.realpath(source)
        if key in seen:
            walk.append((len(files), f"{source}: " + bilingual("файл давхар өгөгдсөн, нэг удаа уншив",
                                                               "file given twice, read once")))
            continue
        seen.add(key)
        files.append(source)
    walk.extend((len(files), w) for w in warnings)
    return files, walk


# --------------------------------------------------------------------------------------
# Scoring one chunk (runs in the main process and on Dask workers)
# --------------------------------------------------------------------------------------
class _TimedEncoder:
    """Wraps an encoder to time its calls (the ``embed`` stage)."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.id = encoder.id
        self.dim = encoder.dim
        self.seconds = 0.0

    def encode(self, texts):
        start = time.perf_counter()
        try:
            return self.encoder.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start


class _NoTexts:
    """A stand-in encoder for a run with no row at all (nothing is ever embedded)."""

    id = "none"
    dim = 1

    def encode(self, texts):  # pragma: no cover - never called with texts
        raise AssertionError("no text to embed")


class _ChunkEncoders:
    """One base encoder and one on-disk cache shared by every chunk of a run.

    Each chunk gets a fresh :class:`~nlp.judge.embed.CachedEncoder` over the shared base
    encoder and cache: a chunk's identical texts are embedded once, texts of earlier
    chunks and runs come from the cache, and no more than one chunk's vectors are
    held in memory.
    """

    def __init__(self, base, cache):
        self.base = base
        self.cache = cache
        self.n_encoded = 0

    def for_chunk(self):
        from .judge.embed import CachedEncoder

        if self.base is None:
            return None
        if isinstance(self.base, CachedEncoder):  # the caller's own cached encoder: used as given
            return self.base
        return CachedEncoder(self.base, self.cache)

    def done(self, chunk_encoder) -> None:
        if chunk_encoder is not None:
            if chunk_encoder is self.base:
                self.n_encoded = chunk_encoder.n_encoded_
            else:
                self.n_encoded += chunk_encoder.n_encoded_


def _base_encoder(model, encoder):
    """The encoder doing the work: ``encoder`` (object or spec) or the model's own; None without embeddings."""
    from .judge.embed import get_encoder

    if encoder is None:
        return get_encoder(model.resolved_encoder_spec()) if model.needs_embeddings else None
    if isinstance(encoder, (str, os.PathLike)):
        return get_encoder(os.fspath(encoder))
    return encoder


def _encoder_key(model, encoder) -> str | None:
    """What identifies the encoder in the run key, without building it (a folder by its files)."""
    from .judge.embed import folder_fingerprint

    if encoder is not None and not isinstance(encoder, (str, os.PathLike)):
        return f"id:{encoder.id}"
    spec = os.fspath(encoder) if encoder is not None else \
        (model.resolved_encoder_spec() if model.needs_embeddings else None)
    if spec is not None and Path(spec).is_dir():
        return f"folder:{spec}:{folder_fingerprint(Path(spec))}"
    return None if spec is None else f"spec:{spec}"


class _FallbackEncoders:
    """The cascade's second encoder (``model.fallback()``), built once per run over the run's cache.

    It is built when a chunk first sends rows to the second model (loading e5 takes a second or
    two), and each chunk gets a fresh :class:`~nlp.judge.embed.CachedEncoder` over it, as with
    :class:`_ChunkEncoders`. Its time (building included) is counted in ``seconds`` (the embed stage).
    """

    def __init__(self, spec: str | None, cache):
        self.spec = spec
        self.cache = cache
        self.base = None
        self.n_encoded = 0
        self.seconds = 0.0

    @classmethod
    def of(cls, model, cache) -> "_FallbackEncoders | None":
        """For ``model``'s cascade; None without one, or when the second model embeds nothing."""
        second = model.fallback() if getattr(model, "cascade", None) else None
        if second is None or not second.needs_embeddings:
            return None
        return cls(second.resolved_encoder_spec(), cache)

    def for_chunk(self) -> "_LazyChunkEncoder":
        return _LazyChunkEncoder(self)


class _LazyChunkEncoder:
    """One chunk's encoder for the cascade's second model: nothing is built until it is used."""

    def __init__(self, owner: _FallbackEncoders):
        self.owner = owner
        self._encoder = None

    def _get(self):
        if self._encoder is None:
            from .judge.embed import CachedEncoder, get_encoder

            owner = self.owner
            start = time.perf_counter()
            if owner.base is None:
                owner.base = get_encoder(owner.spec)
            self._encoder = CachedEncoder(owner.base, owner.cache)
            owner.seconds += time.perf_counter() - start
        return self._encoder

    @property
    def id(self) -> str:
        return self._get().id

    @property
    def dim(self) -> int:
        return self._get().dim

    def encode(self, texts):
        encoder = self._get()
        before = encoder.n_encoded_
        start = time.perf_counter()
        try:
            return encoder.encode(texts)
        finally:
            self.owner.seconds += time.perf_counter() - start
            self.owner.n_encoded += encoder.n_encoded_ - before


def _score_chunk(results: list[_FileResult], model, encoders: _ChunkEncoders, settings,
                 fallback: _FallbackEncoders | None = None) -> tuple[list, dict]:
    """Score the rows of the files read successfully in ``results``; one scored frame per file.

    The texts the reader processes prepared (``_FileResult.texts``) are used, and then dropped.

    Returns
    -------
    list of (index into results, DataFrame)
    dict
        ``embed`` and ``classify`` seconds (``classify`` includes the readers' cue search).
    """
    from .judge.audit import precomputed, score

    good = [(i, r) for i, r in enumerate(results) if r.rows is not None]
    if not good:
        return [], {"embed": 0.0, "classify": 0.0}
    rows = pd.concat([r.rows for _, r in good], ignore_index=True)
    normal: dict = {}
    cues: dict = {}
    prep = 0.0
    for _, r in good:
        if r.texts is not None:
            normal.update(r.texts[0])
            cues.update(r.texts[1])
            r.texts = None
        prep += r.prep_seconds
    chunk_encoder = encoders.for_chunk()
    timed = _TimedEncoder(chunk_encoder) if chunk_encoder is not None else None
    fallback_before = fallback.seconds if fallback is not None else 0.0
    start = time.perf_counter()
    with precomputed(normal, cues):
        scored = score(rows, model, encoder=timed, settings=settings,
                       fallback_encoder=fallback.for_chunk() if fallback is not None else None)
    total = time.perf_counter() - start
    encoders.done(chunk_encoder)
    embed = (timed.seconds if timed is not None else 0.0) + \
        (fallback.seconds - fallback_before if fallback is not None else 0.0)
    out = []
    start_row = 0
    for i, r in good:
        n = len(r.rows)
        out.append((i, scored.iloc[start_row:start_row + n].reset_index(drop=True)))
        start_row += n
    return out, {"embed": embed, "classify": total - embed + prep}


# --------------------------------------------------------------------------------------
# Finished work on disk: DIR/.parts
# --------------------------------------------------------------------------------------
class _Parts:
    """The parts folder: run key, scored parts and the manifest of finished files."""

    def __init__(self, folder: Path, run_key: str, resume: bool, notes: list[str]):
        self.dir = folder
        self.manifest = self.dir / "manifest.jsonl"
        self.entries: dict[str, dict] = {}
        self._seq = 0
        #: Another parts folder every new part is also added to (the result store), or None.
        self.mirror: _Parts | None = None
        reusable = False
        if resume:
            try:
                header = json.loads((self.dir / "run.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                notes.append(bilingual("үргэлжлүүлэх ажил олдсонгүй, эхнээс нь эхлэв",
                                       "nothing to resume: starting from the beginning"))
            else:
                reusable = header.get("format") == _PARTS_FORMAT and header.get("run_key") == run_key
                if not reusable:
                    notes.append(bilingual(
                        "загвар, кодлогч эсвэл тохиргоо өөрчлөгдсөн тул эхнээс нь эхлэв",
                        "the model, encoder or settings changed: starting from the beginning"))
        if reusable:
            self._load()
        else:
            if self.dir.exists():
                shutil.rmtree(self.dir)
            self.dir.mkdir(parents=True)
            (self.dir / "run.json").write_text(json.dumps({"format": _PARTS_FORMAT, "run_key": run_key}),
                                               encoding="utf-8")

    def _load(self) -> None:
        if self.manifest.exists():
            data = self.manifest.read_bytes()
            whole = data[: data.rfind(b"\n") + 1]
            if len(whole) < len(data):  # a last line cut short by the interruption (maybe inside a letter):
                with open(self.manifest, "r+b") as fh:  # dropped, so that the next line appended starts clean
                    fh.truncate(len(whole))
            for line in whole.decode("utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:  # a line cut short by an earlier interruption
                    continue
                if entry.get("part") is None or (self.dir / entry["part"]).exists():
                    self.entries[entry["path"]] = entry
        numbers = [int(p.stem.split("-")[1]) for p in self.dir.glob("part-*.parquet")]
        self._seq = max(numbers, default=-1) + 1

    def done(self, path: str, fingerprint: str) -> dict | None:
        entry = self.entries.get(path)
        return entry if entry is not None and entry["fingerprint"] == fingerprint else None

    def add(self, results: list[_FileResult], scored: list[tuple[int, pd.DataFrame]],
            mirror: bool = True) -> list[dict]:
        """Write the part of a chunk, then its manifest lines; returns the new entries.

        With ``mirror``, the chunk also goes to :attr:`mirror` (never failing the run when it cannot).
        """
        table = None
        if scored:
            frames = []
            for i, frame in scored:
                frame = frame.copy()
                frame[_FILE_COLUMN] = results[i].path
                frames.append(frame)
            table = pd.concat(frames, ignore_index=True)
        entries = self.add_table(results, table, {i for i, _ in scored})
        if mirror and self.mirror is not None:
            try:
                self.mirror.add_table(results, table, {i for i, _ in scored})
            except OSError:  # a full or read-only cache costs the next run's reuse, never this run
                self.mirror = None
        return entries

    def add_table(self, results: list[_FileResult], table: pd.DataFrame | None, have_rows: set[int]) -> list[dict]:
        """Write ``table`` (the rows of ``results[i]`` for ``i`` in ``have_rows``, each marked with its file in
        the file column) as one part, then the manifest lines of ``results``; returns the new entries."""
        part = None
        if table is not None and len(have_rows):
            # The process id keeps two runs adding to one result store from choosing the same name.
            part = f"part-{self._seq:06d}-{os.getpid()}.parquet"
            self._seq += 1
            tmp = self.dir / (part + ".tmp")
            table.to_parquet(tmp, index=False)
            os.replace(tmp, self.dir / part)
        entries = []
        for i, r in enumerate(results):
            entry = {
                "path": r.path,
                "fingerprint": r.fingerprint,
                "part": part if i in have_rows else None,
                "failure": r.failure,
                "warnings": r.warnings,
                "report_ids": r.report_ids,
                "n_rows": r.n_rows,
            }
            entries.append(entry)
            self.entries[r.path] = entry
        with open(self.manifest, "a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
            fh.flush()
            os.fsync(fh.fileno())
        return entries

    def tables(self, paths: list[str]) -> Iterator[tuple[pd.DataFrame, dict[str, int]]]:
        """The rows of ``paths`` (each in :attr:`entries` with a part), a part at a time: each part's rows of
        those files (file column kept, part order) and the number of rows found per file. A part that
        cannot be read is left out (its files have no rows here)."""
        from pyarrow import parquet

        by_part: dict[str, set[str]] = {}
        for path in paths:
            entry = self.entries.get(path)
            if entry is not None and entry["part"] is not None:
                by_part.setdefault(entry["part"], set()).add(path)
        for part, wanted in by_part.items():
            try:
                frame = parquet.read_table(self.dir / part).to_pandas()
            except Exception:  # noqa: BLE001 - a damaged part of the store: its files are read again
                continue
            # Only the files whose entry names this part: an older part may hold a file scored again since.
            frame = frame.loc[frame[_FILE_COLUMN].isin(wanted).to_numpy()].reset_index(drop=True)
            yield frame, frame[_FILE_COLUMN].value_counts(sort=False).to_dict()

    def assemble(self, files: list[str]) -> pd.DataFrame | None:
        """The scored rows of ``files`` (those that have rows), in the order given, each file's rows in order."""
        tables, found = [], set()
        for table, counts in self.tables(files):
            tables.append(table)
            found.update(counts)
        missing = [p for p in files if self.entries[p]["part"] is not None and p not in found]
        if missing:  # a part of this run's own folder lost: never a silent gap in the rows
            raise OSError(f"{self.dir}: " + bilingual(f"{missing[0]} файлын хэсэг уншигдсангүй",
                                                      f"the part of {missing[0]} cannot be read"))
        if not tables:
            return None
        table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
        position = {p: i for i, p in enumerate(files)}
        order = np.argsort(table[_FILE_COLUMN].map(position).to_numpy(dtype=np.int64), kind="stable")
        return table.drop(columns=_FILE_COLUMN).take(order).reset_index(drop=True)


#: Result stores kept in the cache folder (the most recently used run keys); older ones are deleted.
RESULT_STORES_KEPT = 3


def _cache_root(cache) -> Path:
    """The cache folder of ``cache`` (an EmbeddingCache, a folder, a ``.sqlite`` file or None)."""
    from .judge.embed import EmbeddingCache, cache_file

    return (cache.path if isinstance(cache, EmbeddingCache) else cache_file(cache)).parent


def _result_store(cache, run_key: str) -> _Parts | None:
    """The result store of ``run_key`` in the cache folder: every file scored with this model, encoder and
    settings, by path and content (``CACHE/scored/<run key>/``, the parts format). None when it cannot be made.

    Only the :data:`RESULT_STORES_KEPT` most recently used stores are kept.
    """
    root = _cache_root(cache) / "scored"
    try:
        store = _Parts(root / run_key[:32], run_key, True, [])
        os.utime(store.dir / "run.json")
        stores = sorted((d for d in root.iterdir() if (d / "run.json").is_file()),
                        key=lambda d: (d / "run.json").stat().st_mtime, reverse=True)
        for old in stores[RESULT_STORES_KEPT:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    return store


def _reuse(store: _Parts, parts: _Parts, todo: list[tuple[str, str]], on_file) -> list[tuple[str, str]]:
    """Move the files of ``todo`` the store has scored (same path and content, with rows, no failure) into
    ``parts`` without reading them, a store part at a time; returns the files still to read, in order."""
    hits = [path for path, fp in todo
            if (e := store.done(path, fp)) is not None and e["part"] is not None and e["failure"] is None]
    taken: set[str] = set()
    for table, counts in store.tables(hits) if hits else ():
        # A file whose rows in the store are not all there is read again.
        whole = [p for p, n in counts.items() if n == store.entries[p]["n_rows"]]
        if not whole:
            continue
        if len(whole) < len(counts):
            table = table.loc[table[_FILE_COLUMN].isin(set(whole)).to_numpy()].reset_index(drop=True)
        results = []
        for path in whole:
            entry = store.entries[path]
            results.append(_FileResult(path, entry["fingerprint"], warnings=list(entry["warnings"]),
                                       n_rows=entry["n_rows"], report_ids=list(entry["report_ids"])))
        parts.add_table(results, table, set(range(len(results))))
        taken.update(whole)
    rest = []
    for path, fp in todo:
        if path not in taken:
            rest.append((path, fp))
        elif on_file is not None:
            on_file(path)
    return rest


# --------------------------------------------------------------------------------------
# Model and run key
# --------------------------------------------------------------------------------------
def _load(model):
    from .judge.model import AuditModel, load_model

    return model if isinstance(model, AuditModel) else load_model(model)


def _model_fingerprint(model) -> str:
    """A stable hash of the model's weights and config (the same model gives the same hash)."""
    import re
    import zipfile
    from io import BytesIO

    h = hashlib.sha256(json.dumps(model.config(), sort_keys=True, default=str).encode())
    weights = Path(model.path) / "model.skops" if model.path is not None else None
    if weights is not None and weights.is_file():
        with open(weights, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
        return h.hexdigest()
    import skops.io as sio

    # An unsaved model: the skops payload, less the object ids that change from dump to dump.
    with zipfile.ZipFile(BytesIO(sio.dumps(model.pipeline))) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            if name == "schema.json":
                data = re.sub(rb'"__id__": \d+', b"", data)
            h.update(name.encode())
            h.update(data)
    return h.hexdigest()


def _run_key(model, encoder, settings) -> str:
    payload = {"version": __version__, "model": _model_fingerprint(model),
               "encoder": _encoder_key(model, encoder), "settings": settings.to_dict()}
    second = model.fallback() if getattr(model, "cascade", None) else None
    if second is not None:  # the cascade's second model: its weights and its encoder
        payload["fallback"] = [_model_fingerprint(second), _encoder_key(second, None)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------
class _Progress:
    """Rich progress bars per stage, with counts and time left (silent when disabled)."""

    def __init__(self, enabled: bool, n_files: int):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), TextColumn("/"), TimeRemainingColumn(),
                             console=Console(stderr=True), disable=not enabled)
        self.n_files = max(n_files, 1)
        self.read = self.bars.add_task(bilingual("унших", "read") + " (files)", total=n_files)
        self.score = self.bars.add_task(bilingual("үнэлэх", "score") + " (rows)", total=None)
        self._files = 0
        self._rows = 0
        self._scored = 0

    def __enter__(self):
        self.bars.start()
        return self

    def __exit__(self, *exc):
        self.bars.stop()

    def files_read(self, results: Sequence[_FileResult]) -> None:
        self._files += len(results)
        self._rows += sum(r.n_rows for r in results)
        # Rows still to come are estimated from the rows per file so far.
        estimate = self._rows if self._files >= self.n_files else int(self._rows / self._files * self.n_files)
        self.bars.update(self.read, advance=len(results))
        self.bars.update(self.score, total=max(estimate, self._scored))

    def rows_scored(self, n: int) -> None:
        self._scored += n
        self.bars.update(self.score, advance=n)

    def finish(self) -> None:
        self.bars.update(self.score, total=self._scored)


# --------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------
class _Readers:
    """Reader processes for the local engine (none when ``jobs`` is 1).

    The processes are forked at once when this process runs no other thread (fast: the
    libraries are already imported), else started from a clean fork server. Either way
    they start before the progress bars and the encoder start threads of their own.

    Besides reading, each process normalises the rows' texts and finds the narratives' cues
    (:func:`_prepare_texts`): the cue search is the largest part of classifying, and this way
    it runs on the readers' cores while this process classifies the chunk before.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool = None
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            method = _START_METHOD or ("fork" if threading.active_count() == 1 else "forkserver")
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["nlp.read", "nlp.judge.audit"])
            else:  # readers find cues too (_prepare_texts): forked, they inherit the pipeline built once here
                from .judge.cues import get_pipeline

                get_pipeline()
            self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_ignore_sigint)
            self.pool.submit(int).result()  # start the processes now

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def in_order(self, todo: list[tuple[str, str]], ahead: int = 0) -> Iterator[_FileResult]:
        """Results in input order, reading ahead a bounded window of files (``ahead`` more than the default)."""
        if self.pool is None:
            for path, fp in todo:
                yield _read_one(path, fp)
            return
        window = self.jobs * _READ_WINDOW_PER_JOB + max(0, min(ahead, _READ_AHEAD_MAX_FILES))
        pending: deque = deque(self.pool.submit(_read_one, *item) for item in todo[:window])
        rest = iter(todo[window:])
        try:
            while pending:
                result = pending.popleft().result()
                nxt = next(rest, None)
                if nxt is not None:
                    pending.append(self.pool.submit(_read_one, *nxt))
                yield result
        finally:
            for future in pending:
                future.cancel()


def _run_local(readers: _Readers, todo, parts: _Parts, model, encoder, cache, settings, chunk_rows, progress,
               seconds, on_file) -> int:
    from .judge.embed import EmbeddingCache

    base = _base_encoder(model, encoder)
    shared = cache if isinstance(cache, EmbeddingCache) else None
    if shared is None and (base is not None or getattr(model, "cascade", None)):
        shared = EmbeddingCache(cache)
    encoders = _ChunkEncoders(base, shared)
    fallback = _FallbackEncoders.of(model, shared)
    chunk: list[_FileResult] = []
    n_chunk_rows = 0

    def flush():
        nonlocal chunk, n_chunk_rows
        scored, took = _score_chunk(chunk, model, encoders, settings, fallback)
        for stage, value in took.items():
            seconds[stage] += value
        parts.add(chunk, scored)
        progress.rows_scored(n_chunk_rows)
        finished, chunk, n_chunk_rows = chunk, [], 0
        for r in finished:
            if on_file is not None:
                on_file(r.path)

    # While a chunk is scored the readers read (and find the cues of) about the next chunk's files.
    with closing(readers.in_order(todo, ahead=chunk_rows // 50)) as results:
        for result in results:
            seconds["read"] += result.seconds
            progress.files_read([result])
            chunk.append(result)
            n_chunk_rows += result.n_rows
            if n_chunk_rows >= chunk_rows:
                flush()
    if chunk:
        flush()
    return encoders.n_encoded + (fallback.n_encoded if fallback is not None else 0)


# Dask workers keep their model and encoder between tasks: building e5 takes seconds.
_WORKER_STATE: dict = {}


def _dask_score_files(items: list[tuple[str, str]], model_path: str, encoder, cache_path: str | None,
                      settings: dict) -> tuple[list[_FileResult], list[tuple[int, pd.DataFrame]], dict]:
    """One Dask task: read ``items`` and score their rows on the worker."""
    from .judge.embed import EmbeddingCache
    from .judge.model import load_model
    from .settings import Settings

    key = (model_path, cache_path, encoder if encoder is None or isinstance(encoder, str) else encoder.id)
    if key not in _WORKER_STATE:
        _WORKER_STATE.clear()
        model = load_model(model_path)
        cache = EmbeddingCache(cache_path)
        _WORKER_STATE[key] = (model, _ChunkEncoders(_base_encoder(model, encoder), cache),
                              _FallbackEncoders.of(model, cache))
    model, encoders, fallback = _WORKER_STATE[key]
    results = [_read_one(path, fp) for path, fp in items]
    before = encoders.n_encoded + (fallback.n_encoded if fallback is not None else 0)
    scored, took = _score_chunk(results, model, encoders, Settings.from_dict(settings), fallback)
    took["read"] = sum(r.seconds for r in results)
    took["n_encoded"] = encoders.n_encoded + (fallback.n_encoded if fallback is not None else 0) - before
    for r in results:  # the rows travel back once, as scored frames
        r.rows = None
    return results, scored, took


class _DaskCluster:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""

    def __init__(self, scheduler: str | None, workers: int):
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ModelError(
                "--engine dask-д dask хэрэгтэй: pip install 'biyelelt[cluster]'",
                "--engine dask needs dask: pip install 'biyelelt[cluster]' (or 'dask[distributed]')",
            ) from exc
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise ModelError(f"Dask scheduler-т холбогдож чадсангүй: {scheduler}",
                                 f"could not connect to the Dask scheduler at {scheduler} ({exc})") from exc
            return
        # Local workers are forked from this process: they start in a second instead of importing
        # the whole stack again (half a minute on 2 cores).
        with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None)
        self.client = Client(self.cluster)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _run_dask(dask: _DaskCluster, todo, parts: _Parts, model, encoder, cache_path: str | None, settings,
              chunk_rows, progress, seconds, on_file) -> int:
    from distributed import as_completed

    from .judge.model import save_model

    if model.path is None or not (Path(model.path) / "model.skops").is_file():
        # Workers load the model from a folder (skops, trusted types), never from a pickled object.
        save_model(model, parts.dir / "model", overwrite=True)
    n_workers = max(len(dask.client.scheduler_info().get("workers", {})), 1)
    # About four tasks per worker, and no task much larger than chunk_rows rows (at ~50 rows a file).
    size = max(1, min(-(-len(todo) // (4 * n_workers)), chunk_rows // 50))
    groups = [todo[i:i + size] for i in range(0, len(todo), size)]
    futures = dask.client.map(_dask_score_files, groups, model_path=str(model.path), encoder=encoder,
                              cache_path=cache_path, settings=settings.to_dict(), pure=False)
    n_encoded = 0
    try:
        for future in as_completed(futures):
            results, scored, took = future.result()
            for stage in ("read", "embed", "classify"):
                seconds[stage] += took[stage]
            n_encoded += took["n_encoded"]
            progress.files_read(results)
            parts.add(results, scored)
            progress.rows_scored(sum(len(frame) for _, frame in scored))
            for r in results:
                if on_file is not None:
                    on_file(r.path)
    finally:
        dask.client.cancel(futures)
    return n_encoded


# --------------------------------------------------------------------------------------
# Writing the outputs side by side
# --------------------------------------------------------------------------------------
#: Writers in forked processes: None = when this process runs no other thread (and can fork).
_FORK_WRITERS: bool | None = None


def _split_writers(writers: Sequence[Callable]) -> list[Callable]:
    """The writers, with :func:`nlp.outputs.report.write_outputs` (or a partial of it) as one writer per format.

    The workbook, the page and the parquet file are independent: apart, they are written side by side.
    """
    import functools

    report = sys.modules.get(f"{__package__}.outputs.report")
    write_outputs = getattr(report, "write_outputs", None)
    out: list[Callable] = []
    for writer in writers:
        partial = isinstance(writer, functools.partial) and not writer.args
        func, keywords = (writer.func, dict(writer.keywords)) if partial else (writer, {})
        if write_outputs is None or func is not write_outputs:
            out.append(writer)
            continue
        try:
            formats = report.parse_formats(keywords.get("formats", report.FORMATS))
        except Exception:  # let the writer itself say what is wrong, where it always did
            out.append(writer)
            continue
        out.extend(functools.partial(write_outputs, **{**keywords, "formats": (fmt,)}) for fmt in formats)
    return out


def _writer_child(conn, task, scored, reports, out) -> None:
    """In a forked process: one writer; sends back (True, its result) or (False, None)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops this process
        written = task(scored, reports, out)
        conn.send((True, written if isinstance(written, dict) else None))
    except BaseException:  # noqa: BLE001 - the parent writes it again and gets the error itself
        try:
            conn.send((False, None))
        except Exception:  # pragma: no cover
            pass
    finally:
        conn.close()


def _run_writers(tasks: list[Callable], scored, reports, out) -> list:
    """Each ``task(scored, reports, out)``; the first here, the others in forked processes at the same time.

    Forked processes see ``scored`` without a copy. A writer that fails in its process is run again
    here, so that its error (a file that cannot be written, naming it) is raised as it always was.
    Without fork, or while other threads run here, the writers run one after another here.
    """
    results: list = [None] * len(tasks)
    fork = _FORK_WRITERS if _FORK_WRITERS is not None else threading.active_count() == 1
    fork = fork and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods()
    children = []
    if fork:
        context = multiprocessing.get_context("fork")
        for i, task in enumerate(tasks[1:], start=1):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_writer_child, args=(send, task, scored, reports, out), daemon=True)
            process.start()
            send.close()
            children.append((i, process, receive))
    again = []
    try:
        for i in range(1 if fork else len(tasks)):
            results[i] = tasks[i](scored, reports, out)
        for i, process, receive in children:
            try:
                ok, value = receive.recv()
            except (EOFError, OSError):  # the process died
                ok, value = False, None
            receive.close()
            process.join()
            if ok:
                results[i] = value
            else:
                again.append(i)
    except BaseException:
        for _, process, _ in children:
            if process.is_alive():
                process.terminate()
            process.join()
        raise
    for i in again:
        results[i] = tasks[i](scored, reports, out)
    return results


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------
def _problems(files: list[str], parts: _Parts, walk: list[tuple[int, str]]):
    """The files read, the failures and the warnings, in the order :func:`nlp.read.read_paths` gives."""
    failures: list[Failure] = []
    warnings: list[str] = []
    read: list[str] = []
    owner: dict[str, str] = {}
    walk_at: dict[int, list[str]] = {}
    for index, message in walk:
        walk_at.setdefault(index, []).append(message)
    for index, path in enumerate(files):
        warnings.extend(walk_at.get(index, ()))
        entry = parts.entries[path]
        if entry["failure"] is not None:
            failures.append(Failure(path, entry["failure"]))
            continue
        read.append(path)
        warnings.extend(entry["warnings"])
        for report_id in entry["report_ids"]:
            if report_id in owner:
                warnings.append(f"{path}: " + bilingual(
                    f"report_id «{report_id}» {owner[report_id]} файлд бас байна",
                    f"report_id '{report_id}' is also used by {owner[report_id]}",
                ))
            else:
                owner[report_id] = path
    warnings.extend(walk_at.get(len(files), ()))
    return read, failures, warnings


def run_score(inputs: Sequence[str | os.PathLike], out_dir: str | os.PathLike, model=None, *,
              threshold: float | None = None, encoder=None, cache=None, resume: bool = False,
              jobs: int | None = None, chunk_rows: int = 5000, engine: str = "local",
              scheduler: str | None = None, progress: bool = True, reuse: bool = True,
              writers: Sequence[Callable] = (), on_file: Callable[[str], None] | None = None) -> RunSummary:
    """Read, score, rank and write a whole batch of reports (e.g. a year's folder tree).

    Parameters
    ----------
    inputs : sequence of str or path-like
        Files and folders; folders are walked recursively in sorted order.
    out_dir : str or path-like
        Where ``rows.csv``, ``reports.csv`` and ``problems.csv`` are written; the
        finished work of the run is kept in ``out_dir/.parts``.
    model : AuditModel, str or path-like, optional
        The model or its folder; default :func:`nlp.judge.model.load_model`'s default.
    threshold : float, optional
        Overrides the model's flag threshold.
    encoder : Encoder or str, optional
        An encoder object, or a spec for :func:`nlp.judge.embed.get_encoder` (``"e5"``, a
        SentenceTransformer folder), used instead of the model's own. With
        ``engine="dask"`` it travels to the workers, so give a spec (a string) for
        encoders that cannot be pickled, such as e5.
    cache : EmbeddingCache, str or path-like, optional
        The embedding cache (default :func:`nlp.judge.embed.default_cache_dir`), shared by every
        chunk and kept across runs. With Dask the workers open it by its path.
    resume : bool, default False
        Continue an interrupted run in ``out_dir``: files already scored with the same
        model, encoder and settings (same path and content) are not read again.
        Without it, earlier parts are cleared.
    jobs : int, optional
        Reader processes (local engine) or workers of the local Dask cluster; default
        the number of CPUs this process may use.
    chunk_rows : int, default 5000
        Rows scored together (whole files): bounds the embeddings held at once.
    engine : {"local", "dask"}, default "local"
        ``"dask"`` reads and scores on a Dask cluster (``pip install 'biyelelt[cluster]'``).
    scheduler : str, optional
        Address of a running Dask scheduler; default a local cluster of ``jobs``
        (default 2) worker processes on 127.0.0.1. Its workers must reach the input
        files, the model folder and the cache path.
    progress : bool, default True
        Show progress bars on stderr.
    reuse : bool, default True
        Take the scored rows of files already scored with the same model, encoder and settings (same
        path and content) from the result store in the cache folder (``CACHE/scored/``) instead of
        reading them again, in any output folder; the rows are the same bytes a fresh run gives.
        ``False`` reads and scores every file. Either way every file scored is added to the store.
    writers : sequence of callables, optional
        Extra outputs, each called as ``writer(scored, reports, out_dir)`` in the
        ``write`` stage (e.g. :func:`nlp.outputs.report.write_outputs`).
    on_file : callable, optional
        Called with each file's path once its result is safely on disk.

    Returns
    -------
    RunSummary
        Files read and failed (with reasons), rows, flagged rows, time per stage, paths.

    Raises
    ------
    nlp.errors.ModelError
        The model cannot be loaded, or Dask is asked for but not installed.
    KeyboardInterrupt
        On Ctrl-C; what was finished is kept, and ``resume=True`` continues.
    """
    from .judge.audit import flag_states, summarize_reports
    from .judge.embed import EmbeddingCache
    from .outputs.tables import write_scored
    from .read import empty_rows

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    started = time.perf_counter()
    seconds = dict.fromkeys(STAGES, 0.0)
    out = Path(out_dir)
    model = _load(model)
    settings = model.settings if threshold is None else \
        type(model.settings).from_dict({**model.settings.to_dict(), "threshold": float(threshold)})
    run_key = _run_key(model, encoder, settings)
    if jobs is None:  # the local engine reads with every CPU; a local Dask cluster has 2 workers
        jobs = 2 if engine == "dask" else len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else os.cpu_count() or 1
        auto_jobs = True
    else:
        auto_jobs = False
    seconds["load"] = time.perf_counter() - started

    start = time.perf_counter()
    files, walk = _discover(inputs)
    fingerprints = [_fingerprint(path) for path in files]
    notes: list[str] = []
    parts = _Parts(out / PARTS_DIR, run_key, resume, notes)
    todo = [(p, fp) for p, fp in zip(files, fingerprints) if parts.done(p, fp) is None]
    n_resumed = len(files) - len(todo)
    n_reused = 0
    store = _result_store(cache, run_key)
    if store is not None:
        if reuse:
            before = len(todo)
            todo = _reuse(store, parts, todo, on_file)
            n_reused = before - len(todo)
        parts.mirror = store
    if auto_jobs and engine == "local" and len(todo) < _MIN_FILES_FOR_POOL:
        jobs = 1  # starting reader processes costs more than reading a few files here
    seconds["scan"] = time.perf_counter() - start
    for note in notes:
        print(note, file=sys.stderr)

    # Reader processes or the Dask cluster start before the progress bars start their thread.
    if engine == "dask" and todo:
        # Workers open the cache themselves, by its path (or their own default).
        cache_arg = str(cache.path) if isinstance(cache, EmbeddingCache) else \
            (os.fspath(cache) if cache is not None else None)
        with _DaskCluster(scheduler, jobs) as cluster, _Progress(progress, len(todo)) as bars:
            n_embedded = _run_dask(cluster, todo, parts, model, encoder, cache_arg, settings, chunk_rows, bars,
                                   seconds, on_file)
            bars.finish()
    elif todo:
        with _Readers(jobs) as readers, _Progress(progress, len(todo)) as bars:
            n_embedded = _run_local(readers, todo, parts, model, encoder, cache, settings, chunk_rows, bars,
                                    seconds, on_file)
            bars.finish()
    else:
        n_embedded = 0

    start = time.perf_counter()
    read, failures, warnings = _problems(files, parts, walk)
    scored = parts.assemble(files)
    if scored is None:
        empty = _FileResult("", "", rows=empty_rows())
        scored = _score_chunk([empty], model, _ChunkEncoders(_NoTexts(), None), settings)[0][0][1]
    reports = summarize_reports(scored)
    problems = [(f.path, "failure", f.message) for f in failures] + [("", "warning", w) for w in warnings]
    tasks = [lambda s, r, o: write_scored(s, r, o, problems), *_split_writers(writers)]
    paths: dict = {}
    for written in _run_writers(tasks, scored, reports, out):
        if isinstance(written, dict):
            paths.update(written)
    seconds["write"] = time.perf_counter() - start
    seconds["total"] = time.perf_counter() - started
    return RunSummary(files=read, failures=failures, warnings=warnings, n_rows=len(scored),
                      n_flagged=int((flag_states(scored["flag"]) == "true").sum()) if len(scored) else 0,
                      n_reports=len(reports), n_embedded=n_embedded, n_resumed=n_resumed, n_reused=n_reused,
                      seconds=seconds,
                      paths=paths, engine=engine, scored=scored, reports=reports)
