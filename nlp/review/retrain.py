"""Safe model updates: retrain with auditors' labels, compare with the current default, switch.

Шинэ загварыг одоогийн анхдагч загвартай харьцуулж, загварын картад бичнэ / A new model is
compared with the current default model and the comparison is written into its card:

* on the held-out organisations (``split == "test"``) — both models score the same rows;
* on the auditor-labelled rows, by grouped cross-validation (folds by organisation): the new
  recipe is trained without each fold and predicts it; the current model predicts the same rows.

:func:`list_models` and :func:`use_model` show and switch the default model
(``<models>/DEFAULT``, see :func:`nlp.judge.model.models_root`). Nothing is ever overwritten
silently: :func:`retrain` refuses an existing model folder unless told to overwrite, before
any work is done.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..learn.evaluate import evaluate_predictions
from ..judge.model import AuditModel, check_can_save, default_model_dir, load_model, models_root, save_model
from ..settings import STATUSES

__all__ = ["retrain", "compare_models", "comparison_section", "list_models", "use_model", "COMPARISON_TITLE"]

COMPARISON_TITLE = "Харьцуулалт / Comparison with the current default model"


def _metrics(m: dict) -> dict:
    keys = ("n", "macro_f1", "accuracy", "flag_precision", "flag_recall")
    return {k: (float(m[k]) if k != "n" else int(m[k])) for k in keys if k in m}


def _auditor_mask(df: pd.DataFrame) -> np.ndarray:
    if "auditor" not in df:
        return np.zeros(len(df), dtype=bool)
    return (df["auditor"].fillna("").astype(str).str.strip() != "").to_numpy() & (df["split"] != "test").to_numpy()


def compare_models(new: AuditModel, rows: pd.DataFrame, *, encoder=None, current: AuditModel | None = None,
                   current_encoder=None, n_splits: int = 5, seed: int = 0, features: dict | None = None,
                   classifier: dict | None = None) -> dict:
    """Compare a newly trained model with the current one.

    Parameters
    ----------
    new : AuditModel
        Trained on the ``train`` split of ``rows`` (:func:`nlp.learn.train.train`).
    rows : DataFrame
        All labelled rows (``split``; ``auditor`` non-empty on auditor-labelled rows, as
        :func:`nlp.review.store.load_label_sources` gives).
    encoder : Encoder, optional
        The new model's encoder.
    current : AuditModel, optional
        The model to compare with (usually the default); ``None``: the new model's figures only.
    current_encoder : Encoder, optional
        The current model's encoder (built from its spec when it needs one and none is given).
    n_splits, seed, features, classifier
        Cross-validation on the auditor-labelled rows, with the new model's recipe.

    Returns
    -------
    dict
        ``current`` (its version or ``None``), ``held_out`` and ``auditor_cv``, each with ``n``
        and the ``new`` / ``current`` metrics (``auditor_cv`` also ``folds``).
    """
    from ..judge.audit import score
    from .quality import out_of_fold_proba
    from .queue import model_version
    from ..learn.train import evaluate_model

    df = rows.reset_index(drop=True)
    if current is not None and current_encoder is None and current.needs_embeddings:
        current_encoder = current.encoder()
    # The current model by name and data hash, never by a local path: the config ships with the model.
    out: dict = {"current": model_version(current) if current is not None else None}
    if current is not None and current.meta.get("split_counts", {}).get("test", 1) == 0:
        out["current_saw_held_out"] = True  # trained with --all-rows

    test = df[df["split"] == "test"].reset_index(drop=True)
    held = {"n": int(len(test))}
    if len(test):
        held["new"] = _metrics(new.meta.get("metrics") or evaluate_model(new, test, encoder=encoder))
        if current is not None:
            held["current"] = _metrics(evaluate_model(current, test, encoder=current_encoder))
    out["held_out"] = held

    pool = df[df["split"] != "test"].reset_index(drop=True)
    mask = _auditor_mask(pool)
    cv = {"n": int(mask.sum())}
    if mask.sum() >= 2:
        proba, _, how = out_of_fold_proba(pool, encoder=encoder, rotate=mask, n_splits=n_splits, seed=seed,
                                          features=features, classifier=classifier)
        truth = pool.loc[mask, "status"].to_numpy(dtype=object)
        pred = np.array(STATUSES, dtype=object)[np.argmax(proba[mask], axis=1)]
        cv["folds"] = how
        cv["new"] = _metrics(evaluate_predictions(truth, pred))
        if current is not None:
            got = score(pool.loc[mask].reset_index(drop=True), current, encoder=current_encoder)
            cv["current"] = _metrics(evaluate_predictions(truth, got["status"].to_numpy(dtype=object)))
    out["auditor_cv"] = cv
    return out


def _fmt(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def comparison_section(comparison: dict) -> str:
    """The model card's comparison section (Markdown) for :func:`compare_models`'s result."""
    current = comparison.get("current")
    lines = [f"- одоогийн анхдагч загвар / current default: `{current}`" if current
             else "- одоогийн анхдагч загвар алга / no current default model"]
    table = []
    blocks = (("held_out", "held-out organisations / тусдаа байгууллагууд",
               ("macro_f1", "accuracy", "flag_precision", "flag_recall")),
              ("auditor_cv", "auditor-labelled rows / аудиторын шошго (CV)", ("macro_f1", "accuracy")))
    for key, label, metrics in blocks:
        block = comparison.get(key, {})
        if not block.get("n") or "new" not in block:
            lines.append(f"- {label}: мөр алга / no rows")
            continue
        for m in metrics:
            new = block["new"].get(m)
            cur = block.get("current", {}).get(m)
            change = "" if new is None or cur is None or np.isnan(new) or np.isnan(cur) else f"{new - cur:+.3f}"
            table.append([label, block["n"], m, _fmt(cur), _fmt(new), change])
        if key == "held_out" and comparison.get("current_saw_held_out"):
            lines.append("- held-out organisations: the current model was trained on every row, these too, so its "
                         "figures here are optimistic; compare by leave-one-writer-out cross-validation "
                         "(benchmarks/writer_cv.py) / одоогийн загвар эдгээр мөрөөр сурсан тул түүний тоо "
                         "өөдрөг")
        if key == "auditor_cv":
            lines.append(f"- auditor-labelled rows: new model by cross-validation ({block.get('folds', '')}); "
                         "the current model may have been trained on some of them / одоогийн загвар эдгээр "
                         "мөрийн заримаар сурсан байж болно")
    if table:
        from ..judge.model import _table
        lines += ["", _table(["rows / мөр", "n", "metric", "current", "new", "change"], table)]
    return "\n".join(lines)


def retrain(labels, out: str | Path, *, encoder_spec: str | None = "e5", encoder=None, seed: int = 0,
            features: dict | None = None, classifier: dict | None = None, name: str | None = None,
            overwrite: bool = False, compare: bool = True, current: AuditModel | str | Path | None = None,
            current_encoder=None, n_splits: int = 5, cache=None, all_rows: bool = False,
            cascade: dict | None = None, settings=None) -> AuditModel:
    """Train on ``labels``, compare with the current default, save with the comparison in the card.

    Parameters
    ----------
    labels : DataFrame or paths
        :func:`nlp.review.store.load_label_sources` output, or what it reads (CSV files, folders,
        label stores).
    out : path
        The new model's folder; an existing model there is refused unless ``overwrite``.
    encoder_spec, encoder, seed, features, classifier, name, all_rows, cascade, settings
        As for :func:`nlp.learn.train.train`.
    overwrite : bool, default False
    compare : bool, default True
        Compare with ``current`` and write the result into the card.
    current : AuditModel or path, optional
        Default: the model in :func:`nlp.judge.model.default_model_dir`, when there is one.
    current_encoder : Encoder, optional
        Default: the current model's own encoder over ``cache``.
    n_splits : int, default 5
    cache : EmbeddingCache, optional
        For the encoders built here (default: :func:`nlp.judge.embed.default_cache_dir`).

    Returns
    -------
    AuditModel
        Saved; ``meta["comparison"]`` holds the figures.
    """
    from .store import load_label_sources
    from ..learn.train import train

    out = Path(out)
    check_can_save(out, overwrite=overwrite)
    df = labels if isinstance(labels, pd.DataFrame) else load_label_sources(labels)
    if compare and not isinstance(current, AuditModel):
        where = Path(current) if current is not None else default_model_dir()
        try:
            current = load_model(where)  # loaded before anything is saved: out may be the default itself
        except ModelError:
            if current is not None:
                raise
            current = None
    if current is not None and current_encoder is None and current.needs_embeddings:
        current_encoder = current.encoder(cache)
    if encoder is None and encoder_spec is not None:
        encoder = AuditModel(pipeline=None, encoder_spec=encoder_spec).encoder(cache)
    model = train(df, None, encoder_spec=encoder_spec, encoder=encoder, seed=seed, features=features,
                  classifier=classifier, name=name or out.name, all_rows=all_rows, cascade=cascade,
                  settings=settings)
    model.meta["n_auditor_rows"] = int(_auditor_mask(df).sum())
    if compare:
        comparison = compare_models(model, df, encoder=encoder, current=current, current_encoder=current_encoder,
                                    n_splits=n_splits, seed=seed, features=features, classifier=classifier)
        model.meta["comparison"] = comparison
        model.meta.setdefault("extra_sections", {})[COMPARISON_TITLE] = comparison_section(comparison)
    save_model(model, out, overwrite=overwrite)
    return model


def _valid_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and name == name.strip()


def list_models(root: str | Path | None = None) -> list[dict]:
    """The model folders under the models root, sorted by name.

    Returns
    -------
    list of dict
        ``name``, ``path``, ``default`` (named in ``DEFAULT``, or ``default`` when there is no
        ``DEFAULT``), ``encoder``, ``n_rows``, ``data_hash`` (12 characters), ``macro_f1``
        (held-out; NaN when none) and ``auditor_rows``.
    """
    root = Path(root) if root is not None else models_root()
    pointer = root / "DEFAULT"
    chosen = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else ""
    chosen = chosen or "default"
    found = []
    for d in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if not (d / "config.json").is_file() or not (d / "model.skops").is_file():
            continue
        try:
            cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cfg = {}
        meta = cfg.get("meta", {})
        found.append({
            "name": d.name, "path": str(d), "default": d.name == chosen, "encoder": cfg.get("encoder"),
            "n_rows": meta.get("n_rows"), "data_hash": str(meta.get("data_hash", ""))[:12],
            "macro_f1": float(meta.get("metrics", {}).get("macro_f1", float("nan"))),
            "auditor_rows": meta.get("n_auditor_rows", 0),
        })
    return found


def use_model(name: str, root: str | Path | None = None) -> Path:
    """Make the model ``name`` (a folder under the models root) the default, by writing ``DEFAULT``.

    The model is loaded first (trusted types checked), so a broken folder never becomes the
    default. ``$BIYELELT_MODEL``, when set, still wins over ``DEFAULT``.

    Raises
    ------
    ModelError
        No such model, or it does not load.
    """
    root = Path(root) if root is not None else models_root()
    names = [m["name"] for m in list_models(root)]
    if not _valid_name(name) or name not in names:
        raise ModelError(f"загвар олдсонгүй: {name} (байгаа: {', '.join(names) or '—'})",
                         f"no such model: {name} (available: {', '.join(names) or 'none'})", path=root)
    try:
        load_model(root / name)
    except ModelError:
        raise
    except Exception as exc:  # a damaged model.skops fails inside skops/zipfile
        raise ModelError(f"загвар ачаалагдахгүй байна: {name}", f"the model does not load: {name} ({exc})",
                         path=root / name) from exc
    tmp = root / f".DEFAULT.{os.getpid()}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, root / "DEFAULT")
    return root / name
