"""A fast static encoder distilled from the bundled e5 model (the model2vec approach).

Хурдан статик кодлогч: багцтай e5 загвараас шууд векторын хүснэгт гаргана /
a static encoder: one vector per vocabulary entry, a sentence is the mean of its
tokens' vectors, so embedding costs a table look-up instead of a 12-layer
transformer.

How it is made (:func:`distill`):

1. **Vocabulary.** A WordPiece vocabulary (:func:`train_tokenizer`) built from the
   team's corpus (:func:`corpus_texts`: narratives and measures of
   ``data/labelled/*.csv`` and the bundled example report). Text is NFC and
   lower-cased by the tokenizer; words are split at spaces and punctuation, and
   numbers into single digits. Every word of the corpus is one entry (the
   teacher sees whole, meaningful words), and the rest of the budget goes to
   word-initial stems and ``##`` suffixes shared by several words, so an unseen
   inflected form (``хэрэгжүүлэхээр``) falls back to a known stem and suffix
   instead of ``[UNK]``.
2. **Teacher.** Each entry (``##`` removed) is embedded by the teacher
   (:class:`nlp.judge.embed.E5Encoder`, ``passage:`` prefix) through the on-disk
   :class:`nlp.judge.embed.EmbeddingCache`, so a rerun embeds nothing again.
3. **PCA** to ``dim`` dimensions (centring also removes the direction every e5
   vector shares).
4. **Frequency weighting** (SIF, Arora et al. 2017): entry ``i`` is scaled by
   ``a / (a + p_i)``, ``p_i`` its smoothed relative frequency in the corpus, so
   frequent, uninformative tokens (``байна``, ``.``, ``ийн``) weigh little in the mean.
5. Saved as a SentenceTransformer holding one ``StaticEmbedding`` module and the
   tokenizer (``tokenizer.json``, ``model.safetensors``), plus ``distill.json``
   (parameters, corpus hash, teacher) and a bilingual ``README.md``. It loads
   with ``nlp.judge.embed.get_encoder("models/static-e5")``.

Why WordPiece with our own vocabulary selection: the corpus has about 6,000
distinct words. Unigram training (``tokenizers.trainers.UnigramTrainer``) keeps
only ~3,300 pieces and splits common words into meaningless fragments
(``зохи`` + ``он``), whose teacher vectors carry little meaning. WordPiece keeps
whole words and falls back to stems and suffixes. The ``tokenizers`` trainers
are also not deterministic (two runs on the same corpus gave different entries
with WordPiece, different ids and scores with Unigram), which breaks "same input →
same weights"; :func:`wordpiece_vocabulary` chooses the entries with fixed, documented
rules, and ``tokenizers`` does the normalising, splitting and WordPiece
tokenizing. Nothing here is random, so no seed is needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DataError, ModelError, bilingual

__all__ = [
    "DEFAULT_VOCAB_SIZE",
    "DEFAULT_DIM",
    "DEFAULT_SIF",
    "UNK",
    "corpus_texts",
    "frame_texts",
    "train_tokenizer",
    "wordpiece_vocabulary",
    "teacher_texts",
    "embed_vocabulary",
    "token_counts",
    "sif_weights",
    "reduce_dim",
    "distill",
    "DistillResult",
    "compare_encoders",
    "model_for_encoder",
]

#: Vocabulary size (upper bound; the corpus may fill less).
DEFAULT_VOCAB_SIZE = 16000
#: Width of the static vectors after PCA.
DEFAULT_DIM = 128
#: SIF coefficient ``a`` of the frequency weighting ``a / (a + p)``.
DEFAULT_SIF = 1e-2
#: The unknown-token entry (a zero vector).
UNK = "[UNK]"
#: Continuation prefix of WordPiece suffix entries.
CONTINUATION = "##"
#: Longest entry kept (characters); longer words still tokenize, through stems and suffixes.
MAX_ENTRY_CHARS = 24
#: Share of the vocabulary kept for stems and suffixes even when the corpus's words could fill it.
MIN_PIECE_SHARE = 0.25

_CODE_ROOT = Path(__file__).resolve().parents[2]
_EXAMPLES = _CODE_ROOT / "data" / "examples"
_LABELLED = _CODE_ROOT / "data" / "labelled"


def corpus_texts(data: Iterable[str | os.PathLike] | None = None,
                 examples: Iterable[str | os.PathLike] | None = None) -> list[str]:
    """The distillation corpus: narratives and measures, normalised, in a stable order.

    Parameters
    ----------
    data : iterable of path, optional
        Labelled CSV files or folders (:func:`nlp.learn.labelled.load_labelled`); default ``data/labelled``.
    examples : iterable of path, optional
        Report files or folders read with :func:`nlp.read.read_paths`; default the bundled
        ``data/examples``. Pass ``[]`` to leave them out.

    Returns
    -------
    list of str
        Every non-empty narrative and measure, passed through :func:`nlp.text.normalize`
        (repeats kept: they are the frequencies the weighting uses).

    Raises
    ------
    DataError
        A labelled file is missing or malformed, an example file cannot be read,
        or the corpus is empty.
    """
    from .labelled import load_labelled
    from ..read import read_paths

    data = [_LABELLED] if data is None else list(data)
    examples = [_EXAMPLES] if examples is None else list(examples)
    frames = []
    if data:
        frames.append(load_labelled(data))
    if examples:
        result = read_paths(examples)
        if result.failures:
            f = result.failures[0]
            raise DataError("жишээ тайлан уншигдсангүй", f"an example report could not be read ({f.message})",
                            path=f.path)
        frames.append(result.rows)
    texts = [t for frame in frames for t in frame_texts(frame)]
    if not texts:
        raise DataError("нэрэх корпус хоосон байна", "the distillation corpus is empty",
                        path=", ".join(str(p) for p in data + examples))
    return texts


def frame_texts(frame) -> list[str]:
    """The non-empty narratives, then measures, of one table, normalised (:func:`nlp.text.normalize`)."""
    from ..text import normalize

    texts = []
    for column in ("narrative", "measure"):
        if column in frame.columns:
            texts += [normalize(str(v)) for v in frame[column].tolist() if isinstance(v, str)]
    return [t for t in texts if t.strip()]


def _blank_tokenizer():
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.WordPiece(vocab={UNK: 0}, unk_token=UNK))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(),
                                                 pre_tokenizers.Digits(individual_digits=True)])
    return tok


def _word_counts(tokenizer, texts: Iterable[str]) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        normal = tokenizer.normalizer.normalize_str(text)
        counts.update(word for word, _ in tokenizer.pre_tokenizer.pre_tokenize_str(normal))
    return counts


def wordpiece_vocabulary(word_counts: Mapping[str, int], vocab_size: int, *, min_piece_words: int = 2) -> list[str]:
    """Choose WordPiece entries from word counts, deterministically.

    Order of the result: ``[UNK]``; every character seen, word-initial then ``##``
    continuation (so no in-alphabet text becomes ``[UNK]``); the corpus's words, most
    frequent first; then stems (proper word-initial prefixes of two or more characters)
    and suffixes (``##`` + proper suffixes of two or more characters) shared by at least
    ``min_piece_words`` distinct words, most widely shared first. Words may take at most
    ``1 - MIN_PIECE_SHARE`` of the room left after the alphabet. Ties are broken by the
    entry's text, so the same counts always give the same list.

    Parameters
    ----------
    word_counts : mapping of str to int
        Pre-tokenized, normalised words and their counts.
    vocab_size : int
        Upper bound on the number of entries.
    min_piece_words : int, default 2
        A stem or suffix must occur in at least this many distinct words.

    Returns
    -------
    list of str
        The entries; index = token id.

    Raises
    ------
    ValueError
        ``vocab_size`` is smaller than ``[UNK]`` plus the alphabet.
    """
    chars: Counter = Counter()
    for word, n in word_counts.items():
        for ch in word:
            chars[ch] += n
    alphabet = sorted(chars, key=lambda ch: (-chars[ch], ch))
    vocab = [UNK] + alphabet + [CONTINUATION + ch for ch in alphabet]
    room = vocab_size - len(vocab)
    if room < 0:
        raise ValueError(bilingual(
            f"толь бичгийн хэмжээ хэт бага: {vocab_size} < {len(vocab)} (үсгийн сан)",
            f"vocab_size too small: {vocab_size} < {len(vocab)} (the alphabet needs that many)"))
    taken = set(vocab)
    words = sorted((w for w in word_counts if len(w) > 1 and len(w) <= MAX_ENTRY_CHARS and w not in taken),
                   key=lambda w: (-word_counts[w], w))
    words = words[:max(0, room - int(np.ceil(room * MIN_PIECE_SHARE)))] if len(words) > room else words
    vocab += words
    taken.update(words)
    shared: Counter = Counter()
    for word in word_counts:
        if len(word) > 64:
            continue
        for k in range(2, min(len(word), MAX_ENTRY_CHARS + 1)):
            shared[word[:k]] += 1
        for k in range(max(1, len(word) - MAX_ENTRY_CHARS), len(word) - 1):
            shared[CONTINUATION + word[k:]] += 1
    pieces = sorted((p for p, n in shared.items() if n >= min_piece_words and p not in taken),
                    key=lambda p: (-shared[p], -len(p), p))
    vocab += pieces[:vocab_size - len(vocab)]
    return vocab


def train_tokenizer(texts: Iterable[str], vocab_size: int = DEFAULT_VOCAB_SIZE, *, min_piece_words: int = 2):
    """A WordPiece tokenizer (``tokenizers.Tokenizer``) with a vocabulary chosen from ``texts``.

    Normaliser: NFC, lower case. Pre-tokenizer: split at whitespace and punctuation,
    numbers into single digits. Vocabulary: :func:`wordpiece_vocabulary`.

    Parameters
    ----------
    texts : iterable of str
        The corpus (:func:`corpus_texts`).
    vocab_size : int, default DEFAULT_VOCAB_SIZE
        Upper bound on the vocabulary; a small corpus may fill less.
    min_piece_words : int, default 2
        See :func:`wordpiece_vocabulary`.

    Returns
    -------
    tokenizers.Tokenizer
    """
    from tokenizers import models

    tok = _blank_tokenizer()
    vocab = wordpiece_vocabulary(_word_counts(tok, texts), vocab_size, min_piece_words=min_piece_words)
    tok.model = models.WordPiece(vocab={entry: i for i, entry in enumerate(vocab)}, unk_token=UNK,
                                 continuing_subword_prefix=CONTINUATION, max_input_chars_per_word=100)
    return tok


def _vocab_list(tokenizer) -> list[str]:
    vocab = tokenizer.get_vocab()
    out = [""] * len(vocab)
    for entry, i in vocab.items():
        out[i] = entry
    return out


def teacher_texts(tokenizer) -> list[str]:
    """What the teacher embeds for each token id: the entry without ``##``; ``""`` for ``[UNK]``."""
    return ["" if e == UNK else (e[len(CONTINUATION):] if e.startswith(CONTINUATION) else e)
            for e in _vocab_list(tokenizer)]


def embed_vocabulary(texts: list[str], teacher, cache=None, *, chunk: int = 512,
                     progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Embed each vocabulary text with the teacher, through the embedding cache.

    Texts are sent shortest first in chunks of ``chunk`` (little padding); each chunk is
    stored in ``cache`` as soon as it is done, so a stopped run resumes where it stopped.
    Empty texts get a zero vector and are never sent.

    Parameters
    ----------
    texts : list of str
        :func:`teacher_texts`.
    teacher : Encoder
        E.g. :class:`nlp.judge.embed.E5Encoder` (passage prefix).
    cache : EmbeddingCache, optional
        On-disk cache; ``None`` keeps vectors in memory only.
    chunk : int, default 512
    progress : callable, optional
        Called with (texts done, texts in all) after every chunk.

    Returns
    -------
    ndarray of shape (len(texts), teacher.dim), float32
    """
    from ..judge.embed import CachedEncoder

    encoder = CachedEncoder(teacher, cache)
    out = np.zeros((len(texts), teacher.dim), dtype=np.float32)
    order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: (len(texts[i]), texts[i]))
    for start in range(0, len(order), chunk):
        ids = order[start:start + chunk]
        out[ids] = encoder.encode([texts[i] for i in ids])
        if progress is not None:
            progress(min(start + chunk, len(order)), len(order))
    return out


def token_counts(tokenizer, texts: Iterable[str]) -> np.ndarray:
    """How often each token id occurs when ``texts`` are tokenized (int64, one per id)."""
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    ids = np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64)
    return np.bincount(ids, minlength=tokenizer.get_vocab_size()).astype(np.int64)


def sif_weights(counts: np.ndarray, a: float = DEFAULT_SIF) -> np.ndarray:
    """SIF weights ``a / (a + p)``, ``p`` the add-one smoothed relative frequency of each token.

    Parameters
    ----------
    counts : ndarray of int
        :func:`token_counts`.
    a : float, default DEFAULT_SIF
        Smaller ``a`` down-weights frequent tokens more.

    Returns
    -------
    ndarray of float32, in (0, 1]
    """
    counts = np.asarray(counts, dtype=np.float64)
    p = (counts + 1.0) / (counts.sum() + len(counts))
    return (a / (a + p)).astype(np.float32)


def reduce_dim(vectors: np.ndarray, dim: int) -> np.ndarray:
    """PCA (exact SVD, so deterministic) of ``vectors`` to ``dim`` components.

    Rows that are all zero (``[UNK]``) are left out of the fit and stay zero.

    Raises
    ------
    ValueError
        ``dim`` is larger than the teacher's width or than the number of non-zero rows.
    """
    from sklearn.decomposition import PCA

    live = np.any(vectors != 0, axis=1)
    n, width = int(live.sum()), vectors.shape[1]
    if dim < 1 or dim > width or dim > n:
        raise ValueError(bilingual(
            f"хэмжээс {dim} буруу: 1..{min(width, n)} байх ёстой (багшийн {width}, толь {n})",
            f"dim {dim} out of range: must be 1..{min(width, n)} (teacher width {width}, {n} vocabulary vectors)"))
    out = np.zeros((len(vectors), dim), dtype=np.float32)
    out[live] = PCA(n_components=dim, svd_solver="full").fit_transform(vectors[live].astype(np.float64))
    return out


def _static_embedding_class():
    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # older sentence-transformers
        from sentence_transformers.models import StaticEmbedding
    return StaticEmbedding


def _corpus_hash(texts: list[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class DistillResult:
    """What :func:`distill` wrote.

    Attributes
    ----------
    path : Path
        The SentenceTransformer folder.
    info : dict
        The contents of ``distill.json``.
    weights : ndarray
        The static vectors (vocabulary × dim), as saved.
    """

    path: Path
    info: dict = field(default_factory=dict)
    weights: np.ndarray | None = None


_CARD = """# biyelelt static encoder: {name}

Багцтай e5 загвараас нэрсэн статик кодлогч (model2vec арга). Өгүүлбэрийн вектор нь
токенуудын векторын дундаж тул трансформергүйгээр маш хурдан.

A static encoder distilled from the bundled e5 model (the model2vec approach). A
sentence vector is the mean of its tokens' vectors: no transformer at run time.

## Хэрхэн хийсэн / How it was made

- teacher: `{teacher}` (passage prefix)
- tokenizer: WordPiece, NFC + lower case, vocabulary {vocab_size} entries chosen from the corpus
- corpus: {n_texts} texts (narratives and measures), sha256 `{corpus_hash}`
- PCA: {teacher_dim} → {dim} dimensions
- weighting: SIF a / (a + p), a = {sif}
- reproduce: `biyelelt distill --out models/{name} --vocab-size {vocab_size_arg} --dim {dim} --sif {sif}`

## Ашиглах / Use

```python
from nlp.judge.embed import get_encoder
encoder = get_encoder("models/{name}")
```

`biyelelt train data/labelled --encoder models/{name} --out models/NAME`
"""


def distill(out: str | os.PathLike, texts: list[str] | None = None, *, teacher=None, cache=None,
            vocab_size: int = DEFAULT_VOCAB_SIZE, dim: int = DEFAULT_DIM, sif: float = DEFAULT_SIF,
            overwrite: bool = False, progress: Callable[[int, int], None] | None = None) -> DistillResult:
    """Distil a static encoder from ``teacher`` and save it as a SentenceTransformer in ``out``.

    Parameters
    ----------
    out : path
        Folder to write (refused when it already holds a model, unless ``overwrite``).
    texts : list of str, optional
        The corpus; default :func:`corpus_texts`.
    teacher : Encoder, optional
        Default :class:`nlp.judge.embed.E5Encoder` with the passage prefix.
    cache : EmbeddingCache, optional
        Where the teacher's vectors of the vocabulary are kept; ``None``: memory only.
    vocab_size : int, default DEFAULT_VOCAB_SIZE
    dim : int, default DEFAULT_DIM
    sif : float, default DEFAULT_SIF
    overwrite : bool, default False
    progress : callable, optional
        See :func:`embed_vocabulary`.

    Returns
    -------
    DistillResult

    Raises
    ------
    ModelError
        ``out`` already holds a model and ``overwrite`` is not given.
    ValueError
        ``vocab_size`` or ``dim`` out of range.
    """
    from sentence_transformers import SentenceTransformer

    out = Path(out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise ModelError(
            f"хавтас хоосон биш, дарж бичихгүй: {out} (--overwrite ашиглана уу)",
            f"the folder is not empty and is not overwritten: {out} (use --overwrite)",
            path=out,
        )
    if teacher is None:
        from ..judge.embed import E5Encoder

        teacher = E5Encoder(batch_size=128, prefix="passage")
    texts = corpus_texts() if texts is None else list(texts)
    tokenizer = train_tokenizer(texts, vocab_size)
    vectors = embed_vocabulary(teacher_texts(tokenizer), teacher, cache, progress=progress)
    counts = token_counts(tokenizer, texts)
    weights = reduce_dim(vectors, dim) * sif_weights(counts, sif)[:, None]
    weights = np.ascontiguousarray(weights, dtype=np.float32)

    if out.exists() and overwrite:
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    module = _static_embedding_class()(tokenizer, embedding_weights=weights, base_model=teacher.id)
    SentenceTransformer(modules=[module], device="cpu").save(str(out))
    for f in out.iterdir():  # safetensors writes its file owner-only; the folder is shipped, readable by all
        if f.is_file():
            f.chmod(0o644)
    info = {
        "format": "biyelelt-static/1",
        "teacher": teacher.id,
        "teacher_dim": int(teacher.dim),
        "vocab_size_arg": int(vocab_size),
        "vocab_size": int(tokenizer.get_vocab_size()),
        "dim": int(dim),
        "sif": float(sif),
        "n_texts": len(texts),
        "n_tokens": int(counts.sum()),
        "unk_share": float(counts[tokenizer.token_to_id(UNK)] / max(1, counts.sum())),
        "corpus_hash": _corpus_hash(texts),
        "weights_sha256": hashlib.sha256(weights.tobytes()).hexdigest(),
    }
    (out / "distill.json").write_text(json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
    (out / "README.md").write_text(_CARD.format(name=out.name, **info), encoding="utf-8")
    return DistillResult(path=out, info=info, weights=weights)


def _timed_encode(encoder, texts: list[str], min_seconds: float) -> tuple[float, float, int]:
    """Wall and CPU seconds per pass of ``encoder.encode(texts)``, repeated for at least ``min_seconds``."""
    import time

    passes, wall, cpu = 0, 0.0, 0.0
    while passes == 0 or wall < min_seconds:
        w0, c0 = time.perf_counter(), time.process_time()
        encoder.encode(texts)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        passes += 1
    return wall / passes, cpu / passes, passes


def compare_encoders(labels, specs: Iterable[str | None], *, cache=None, speed_texts: list[str] | None = None,
                     min_seconds: float = 5.0, seed: int = 0) -> list[dict]:
    """Train one model per encoder on the train split, evaluate on the test split, time the encoders.

    This is what produced the table in ``docs/encoders.md``.

    Parameters
    ----------
    labels : path, list of paths or DataFrame
        Labelled data with a ``split`` column (:func:`nlp.learn.labelled.load_labelled`).
    specs : iterable of str or None
        Encoders as ``--encoder`` takes them (``"e5"``, a SentenceTransformer folder);
        ``None`` trains without embeddings (no speed measured).
    cache : EmbeddingCache, optional
        Used while training, so known texts are not embedded again. The speed is always
        measured on the bare encoder, without the cache.
    speed_texts : list of str, optional
        The texts every encoder embeds for the timing (normalised narratives);
        default the test split's distinct narratives.
    min_seconds : float, default 5.0
        Each encoder repeats the pass until it has run this long (fast encoders get many passes).
    seed : int, default 0

    Returns
    -------
    list of dict
        Per encoder: ``encoder``, ``dim``, ``macro_f1``, ``accuracy``, ``flag_precision``,
        ``flag_recall``, ``n_test``, ``narratives_per_s`` (wall clock), ``cpu_ms_per_narrative``,
        ``passes``.
    """
    from .labelled import load_labelled
    from ..judge.model import AuditModel
    from ..text import normalize
    from .train import train

    df = labels if hasattr(labels, "columns") else load_labelled(labels)
    if speed_texts is None:
        test = df[df["split"] == "test"]["narrative"].tolist()
        speed_texts = list(dict.fromkeys(normalize(t) for t in test if normalize(t)))
    results = []
    for spec in specs:
        probe = AuditModel(pipeline=None, encoder_spec=spec)
        encoder = probe.encoder(cache) if spec is not None else None
        model = train(df, None, encoder_spec=spec, encoder=encoder, seed=seed)
        m = model.meta.get("metrics", {})
        row = {"encoder": spec or "none", "dim": encoder.dim if encoder is not None else 0,
               "macro_f1": m.get("macro_f1"), "accuracy": m.get("accuracy"),
               "flag_precision": float(m.get("flag_precision", np.nan)),
               "flag_recall": float(m.get("flag_recall", np.nan)), "n_test": m.get("n")}
        if encoder is not None and speed_texts:
            wall, cpu, passes = _timed_encode(encoder.encoder, speed_texts, min_seconds)
            row.update(narratives_per_s=len(speed_texts) / wall, cpu_ms_per_narrative=1000 * cpu / len(speed_texts),
                       passes=passes, n_speed=len(speed_texts))
        results.append(row)
    return results


def _same_folder(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def model_for_encoder(encoder: str, model: str | os.PathLike | None = None):
    """The audit model to score with when the user picks an encoder (``score --encoder``).

    Parameters
    ----------
    encoder : str
        ``"e5"``: the model in ``model`` or the default model if it uses e5, else its cascade's
        second model if that uses e5 (the shipped default is a static model whose second opinion is
        ``models/default-e5``); ``"static"``: ``model`` or the default model, which must use a
        SentenceTransformer folder, with its cascade off (every row by the fast model); a path to a
        SentenceTransformer folder: ``model`` is required and must have been trained with that folder.
    model : path, optional
        The ``--model`` folder.

    Returns
    -------
    AuditModel

    Raises
    ------
    ModelError
        The model was trained with another encoder, or a folder encoder is given without ``--model``.
    """
    from ..judge.embed import E5Encoder
    from ..judge.model import load_model

    def mismatch(m, wanted_mn: str, wanted_en: str) -> ModelError:
        return ModelError(
            f"загвар өөр кодлогчоор сурсан ({m.encoder_spec}), {wanted_mn} хэрэгтэй",
            f"the model was trained with another encoder ({m.encoder_spec}); {wanted_en} is needed",
            path=m.path)

    if encoder == "e5":
        m = load_model(model)
        if m.encoder_spec not in ("e5", E5Encoder.id) and m.cascade:
            m = m.fallback()
        if m.encoder_spec not in ("e5", E5Encoder.id):
            raise mismatch(m, "e5 кодлогчоор сурсан загвар", "a model trained with the e5 encoder")
        return m
    if encoder == "static":
        m = load_model(model)
        if m.encoder_spec in (None, "e5", E5Encoder.id):
            raise mismatch(m, "статик кодлогчоор сурсан загвар", "a model trained with a static encoder")
        m.cascade = None  # every row by the fast model
        return m
    if not Path(encoder).is_dir():
        raise ModelError(
            f"кодлогч олдсонгүй: {encoder} (e5, static эсвэл SentenceTransformer хавтас өгнө үү)",
            f"encoder not found: {encoder} (give e5, static or a SentenceTransformer folder)",
            path=encoder)
    if model is None:
        raise ModelError(
            f"--encoder {encoder} хэрэглэхэд тэр кодлогчоор сурсан загварыг --model-оор өгнө үү",
            f"--encoder {encoder} needs --model, a model trained with that encoder",
            path=encoder)
    m = load_model(model)
    spec = m.encoder_spec
    if spec is None or not _same_folder(m.resolved_encoder_spec(), encoder):
        raise mismatch(m, f"{encoder} кодлогчоор сурсан загвар", f"a model trained with {encoder}")
    return m
