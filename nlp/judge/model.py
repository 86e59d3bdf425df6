"""A trained audit model on disk: skops weights, a config, and a generated model card.

A model folder holds:

* ``model.skops`` — the scikit-learn pipeline, saved with skops. It is loaded
  only after checking that every type in the file is on :data:`TRUSTED_TYPES`;
  nothing is ever unpickled.
* ``config.json`` — encoder, settings (rubric, threshold), classes, data hash,
  label counts and held-out metrics.
* ``README.md`` — the model card, generated from the config by :func:`model_card`.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError
from ..settings import STATUS_MN, STATUSES, Settings

__all__ = ["AuditModel", "save_model", "load_model", "model_card", "TRUSTED_TYPES", "default_model_dir",
           "models_root", "check_can_save"]

#: Every type a biyelelt model file may contain. Anything else makes loading fail.
TRUSTED_TYPES: tuple[str, ...] = (
    "nlp.judge.classify.StatusClassifier",
    "nlp.judge.features.NarrativeFeatures",
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.calibration._TemperatureScaling",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.utils._metadata_requests.MetadataRequest",
    "sklearn.utils._metadata_requests.MethodMetadataRequest",
    "builtins.slice",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "scipy.sparse._csr.csr_matrix",
)

_CODE_ROOT = Path(__file__).resolve().parents[2]


def models_root() -> Path:
    """The folder that holds the named models and ``DEFAULT``: ``$BIYELELT_MODELS``, else ``models/``."""
    env = os.environ.get("BIYELELT_MODELS")
    return Path(env) if env else _CODE_ROOT / "models"


def default_model_dir() -> Path:
    """``$BIYELELT_MODEL``, else the model named in ``<models>/DEFAULT``, else ``<models>/default``
    (``<models>`` is :func:`models_root`)."""
    env = os.environ.get("BIYELELT_MODEL")
    if env:
        return Path(env)
    models = models_root()
    pointer = models / "DEFAULT"
    if pointer.is_file():
        name = pointer.read_text(encoding="utf-8").strip()
        if name:
            return models / name
    return models / "default"


@dataclass
class AuditModel:
    """A fitted pipeline with the encoder it was trained with and its settings.

    Parameters
    ----------
    pipeline : sklearn Pipeline
        :func:`nlp.judge.classify.make_pipeline`, fitted.
    encoder_spec : str or None
        What :func:`nlp.judge.embed.get_encoder` builds the encoder from (``"e5"``, a folder);
        ``None`` for a model without the embedding block.
    settings : Settings
    meta : dict
        Data hash, label counts, metrics and the like, written to the config and card.
    cascade : dict, optional
        ``{"model": folder, "margin": m}``, optionally with ``"route_review": True`` and
        ``"route_latin": True``: a second opinion.
        Rows where this model's margin (top-1 minus top-2 status probability) is under ``m`` are scored by
        the model in ``folder`` (a path relative to this model's folder, or to :func:`models_root`)
        instead; with ``route_review`` also the rows this model would flag ``review``, with
        ``route_latin`` also the narratives typed in Latin letters (:func:`nlp.judge.audit.cascade_routes`).
        The shipped default is a fast static-encoder model whose uncertain rows go to the e5 model
        (``docs/encoders.md``).
    """

    pipeline: object
    encoder_spec: str | None = "e5"
    settings: Settings = field(default_factory=Settings)
    meta: dict = field(default_factory=dict)
    path: Path | None = None
    cascade: dict | None = None
    _fallback: "AuditModel | None" = field(default=None, repr=False, compare=False)
    _encoder: object = field(default=None, repr=False, compare=False)

    @property
    def classes_(self):
        return self.pipeline.classes_

    @property
    def needs_embeddings(self) -> bool:
        return bool(self.pipeline.named_steps["features"].use_embedding
                    or self.pipeline.named_steps["features"].use_similarity) and self.encoder_spec is not None

    def fallback(self) -> "AuditModel | None":
        """The cascade's second model, loaded once (``None`` without a cascade)."""
        if not self.cascade:
            return None
        if self._fallback is None:
            folder = Path(self.cascade["model"])
            if not folder.is_absolute():
                base = self.path if self.path is not None else models_root()
                folder = (base / folder).resolve()
            self._fallback = load_model(folder)
        return self._fallback

    def shared_encoder(self, cache=None):
        """:meth:`encoder`, built once per model object and reused (loading e5 costs a second)."""
        if self._encoder is None or (cache is not None and getattr(self._encoder, "cache", None) is not cache):
            self._encoder = self.encoder(cache)
        return self._encoder

    def encoder(self, cache=None):
        """The model's encoder, wrapped in a :class:`nlp.judge.embed.CachedEncoder`.

        Parameters
        ----------
        cache : EmbeddingCache, optional
            Default: an :class:`~nlp.judge.embed.EmbeddingCache` in :func:`nlp.judge.embed.default_cache_dir`.
        """
        from .embed import CachedEncoder, EmbeddingCache, get_encoder

        return CachedEncoder(get_encoder(self.resolved_encoder_spec()),
                             cache if cache is not None else EmbeddingCache())

    def resolved_encoder_spec(self) -> str | None:
        """``encoder_spec`` with a relative folder found beside the model, else in the code's root.

        A model trained with ``--encoder models/static-e5`` then works from any working folder.
        """
        spec = self.encoder_spec
        if spec and spec != "e5" and not Path(spec).is_absolute():
            if self.path is not None and (self.path / spec).exists():
                return str(self.path / spec)
            if not Path(spec).exists() and (_CODE_ROOT / spec).exists():
                return str(_CODE_ROOT / spec)
        return spec

    def config(self) -> dict:
        return {
            "format": "biyelelt-model/1",
            "encoder": self.encoder_spec,
            "classes": [str(c) for c in self.classes_],
            "settings": self.settings.to_dict(),
            "meta": self.meta,
            **({"cascade": self.cascade} if self.cascade else {}),
        }


def check_can_save(path: str | Path, *, overwrite: bool = False) -> None:
    """Raise :class:`ModelError` when ``path`` already holds a model and ``overwrite`` is not given.

    :func:`save_model` calls it; long jobs call it first to fail before the work, not after.
    """
    path = Path(path)
    if (path / "model.skops").exists() and not overwrite:
        raise ModelError(
            f"загвар аль хэдийн байна, дарж бичихгүй: {path} (--overwrite ашиглана уу)",
            f"a model already exists and is not overwritten: {path} (use --overwrite)",
            path=path,
        )


def save_model(model: AuditModel, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``model`` to the folder ``path`` (skops + config + card).

    Refuses to replace an existing model unless ``overwrite`` is given.
    """
    import skops.io as sio

    path = Path(path)
    check_can_save(path, overwrite=overwrite)
    path.mkdir(parents=True, exist_ok=True)
    # The TF-IDF vocabularies make a large JSON schema: store it deflated.
    sio.dump(model.pipeline, path / "model.skops", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = [t for t in sio.get_untrusted_types(file=path / "model.skops") if t not in TRUSTED_TYPES]
    if untrusted:  # a type we would refuse at load time: fail now, not in the auditor's hands
        raise ModelError("загварт итгэмжлэгдээгүй төрөл байна", f"model holds untrusted types: {untrusted}")
    (path / "config.json").write_text(json.dumps(model.config(), ensure_ascii=False, indent=2, sort_keys=True),
                                      encoding="utf-8")
    (path / "README.md").write_text(model_card(model.config()), encoding="utf-8")
    model.path = path
    return path


def load_model(path: str | Path | None = None) -> AuditModel:
    """Load a model folder written by :func:`save_model`.

    Parameters
    ----------
    path : str or Path, optional
        Default: :func:`default_model_dir`.

    Raises
    ------
    ModelError
        The folder or its files are missing, or the file holds a type outside
        :data:`TRUSTED_TYPES`.
    """
    import skops.io as sio

    path = Path(path) if path is not None else default_model_dir()
    weights, config_file = path / "model.skops", path / "config.json"
    if not weights.is_file() or not config_file.is_file():
        raise ModelError(
            f"загвар олдсонгүй: {path} (model.skops, config.json хэрэгтэй; `biyelelt train` ажиллуулна уу)",
            f"model not found: {path} (needs model.skops and config.json; run `biyelelt train`)",
            path=path,
        )
    untrusted = [t for t in sio.get_untrusted_types(file=weights) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ModelError(
            f"загварын файлд итгэмжлэгдээгүй төрөл байна, ачаалахгүй: {', '.join(untrusted)}",
            f"the model file holds untrusted types and is not loaded: {', '.join(untrusted)}",
            path=weights,
        )
    pipeline = sio.load(weights, trusted=list(TRUSTED_TYPES))
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError("config.json уншигдсангүй", f"config.json is unreadable ({exc})", path=config_file) from exc
    cascade = config.get("cascade")
    if cascade is not None and not (isinstance(cascade, dict) and isinstance(cascade.get("model"), str)
                                    and isinstance(cascade.get("margin"), (int, float))
                                    and isinstance(cascade.get("route_review", False), bool)
                                    and isinstance(cascade.get("route_latin", False), bool)):
        raise ModelError("config.json-ийн cascade буруу", "config.json has a malformed cascade "
                         "(needs {\"model\": folder, \"margin\": number}, optionally \"route_review\" and "
                         "\"route_latin\": true/false)",
                         path=config_file)
    return AuditModel(pipeline=pipeline, encoder_spec=config.get("encoder"),
                      settings=Settings.from_dict(config.get("settings")), meta=config.get("meta", {}), path=path,
                      cascade=cascade)


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _in_status_order(per_status: dict) -> list:
    """``per_status`` items in :data:`STATUSES` order (config.json stores its keys sorted), then any others."""
    return [(s, per_status[s]) for s in STATUSES if s in per_status] + \
        [(s, m) for s, m in per_status.items() if s not in STATUSES]


def model_card(config: dict) -> str:
    """The model card (Markdown, Mongolian and English) for a model's config.

    The card's layout is fixed; ``tests/test_model_card.py`` checks it against a golden pattern.
    """
    meta = config.get("meta", {})
    settings = config.get("settings", {})
    rubric = settings.get("rubric", {})
    metrics = meta.get("metrics", {})
    counts = meta.get("label_counts", {})
    split_counts = meta.get("split_counts", {})
    out = [
        f"# biyelelt model: {meta.get('name', 'default')}",
        "",
        "Авлигын эсрэг хөтөлбөрийн биелэлтийн тайлангийн мөр бүрийн хэрэгжилтийн төлөвийг тогтоох загвар.",
        "Classifies each row of an anti-corruption implementation report into an implementation status.",
        "",
        "## Өгөгдөл / Data",
        "",
        f"- data hash (sha256): `{meta.get('data_hash', '')}`",
        f"- rows: {meta.get('n_rows', '')} (train {split_counts.get('train', '')}, "
        f"held-out test {split_counts.get('test', '')})",
        f"- organisations: {meta.get('n_orgs', '')} (held-out organisations: {meta.get('n_test_orgs', '')})",
        "",
        _table(["status", "статус", "train", "test"],
               [[s, STATUS_MN[s], counts.get("train", {}).get(s, 0), counts.get("test", {}).get(s, 0)]
                for s in STATUSES]),
        "",
        "## Загвар / Model",
        "",
        f"- encoder: `{config.get('encoder')}`",
        f"- features: {', '.join(meta.get('feature_blocks', []))}",
        f"- classifier: {meta.get('classifier', '')}",
        f"- seed: {meta.get('seed', '')}",
        f"- biyelelt: {meta.get('version', '')}",
        "",
        "## Тохиргоо / Settings",
        "",
        _table(["status", "rubric score"],
               [[s, "excluded" if rubric.get(s) is None else rubric.get(s)] for s in STATUSES]),
        "",
        f"- overstated when reported − rubric score ≥: {settings.get('threshold')}",
        f"- not_applicable overstated when reported ≥: {settings.get('na_flag_min')}",
        f"- flag = true when p_over ≥ {settings.get('flag_high', 0.9)}; flag = review when p_over ≥ "
        f"{settings.get('flag_low', 0.3)} (p_over: the probability that the row is overstated)",
        f"- score temperature (1 = plain probability weighting): {settings.get('score_temperature', 1.0)}",
        *([f"- cascade: rows whose top-1 − top-2 probability is under {config['cascade']['margin']}"
           + (", and rows this model would flag review," if config["cascade"].get("route_review") else "")
           + (" and narratives typed in Latin letters" if config["cascade"].get("route_latin") else "")
           + f" are scored by `{config['cascade']['model']}` / эргэлзсэн мөрийг хоёр дахь загвар үнэлнэ"]
          if config.get("cascade") else []),
        "",
        "## Үнэлгээ / Evaluation on held-out organisations",
        "",
    ]
    if metrics:
        out += [
            f"- macro-F1: {metrics.get('macro_f1', float('nan')):.3f}",
            f"- accuracy: {metrics.get('accuracy', float('nan')):.3f}",
            f"- overstated-flag precision: {metrics.get('flag_precision', float('nan')):.3f}",
            f"- overstated-flag recall: {metrics.get('flag_recall', float('nan')):.3f}",
            "",
            _table(["status", "precision", "recall", "F1", "support"],
                   [[s, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", m["support"]]
                    for s, m in _in_status_order(metrics.get("per_status", {}))]),
        ]
    else:
        out.append("- no held-out evaluation / тусдаа үнэлгээ хийгдээгүй"
                   + ("; trained on every row, judged by leave-one-writer-out cross-validation and the probe "
                      "(docs/evaluation.md) / бүх мөрөөр сурсан; үнэлгээ docs/evaluation.md-д"
                      if meta.get("split_counts", {}).get("test", 1) == 0 else ""))
    for title, extra in meta.get("extra_sections", {}).items():
        out += ["", f"## {title}", "", extra]
    out += [
        "",
        "## Хязгаарлалт / Limits",
        "",
        "- Загвар зөвхөн бичсэн текстийг уншина; хавсралт, баримтыг шалгахгүй. Тэмдэглэгээ нь шалгах шалтгаан, дүгнэлт биш.",
        "- The model reads only the written narrative, never the attached evidence. A flag is a reason to look, "
        "not a verdict.",
        "",
    ]
    return "\n".join(out)
