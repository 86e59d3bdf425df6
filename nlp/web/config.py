"""Settings of the web app and the rule that keeps it private: loopback, or a token.

Вэб програмын тохиргоо / Web app settings. The app binds ``127.0.0.1`` unless told
otherwise; any other address needs an access token (:func:`check_bind`).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BiyeleltError

__all__ = ["WebConfig", "check_bind", "is_loopback", "default_data_dir", "MIN_TOKEN_LENGTH", "MB"]

MB = 1024 * 1024
#: Shortest access token accepted (a guessable token is no protection on a network).
MIN_TOKEN_LENGTH = 16
_CODE_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/biyelelt/web`` (``~/.local/share/biyelelt/web``): uploads and scored runs."""
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "biyelelt" / "web"


def _default_labels() -> list[Path]:
    labelled = _CODE_ROOT / "data" / "labelled"
    return [labelled] if labelled.is_dir() else []


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.1``, ``::1``, ``127.x.y.z``)."""
    host = (host or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback address without an access token, and a short token.

    Raises
    ------
    BiyeleltError
        With a Mongolian and English message naming the address.
    """
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise BiyeleltError(
            f"нэвтрэх түлхүүр хэт богино ({len(token)} тэмдэгт; дор хаяж {MIN_TOKEN_LENGTH}). Жишээ нь: "
            "python -c \"import secrets; print(secrets.token_urlsafe(24))\"",
            f"the access token is too short ({len(token)} characters; at least {MIN_TOKEN_LENGTH}). For example: "
            "python -c \"import secrets; print(secrets.token_urlsafe(24))\"")
    if not is_loopback(host) and not token:
        raise BiyeleltError(
            f"--host {host}: энэ хаягаар бусад компьютер хандах боломжтой тул --token (эсвэл $BIYELELT_TOKEN) "
            "заавал өгнө; эсвэл 127.0.0.1 дээр ажиллуулна уу",
            f"--host {host}: other computers can reach this address, so --token (or $BIYELELT_TOKEN) is "
            "required; or run on 127.0.0.1")


@dataclass
class WebConfig:
    """What ``biyelelt serve`` runs with.

    Parameters
    ----------
    data_dir : Path
        Uploads and scored runs (``runs/<id>/``) and the session key; default :func:`default_data_dir`.
    store_path : Path, optional
        The label store (default :func:`nlp.review.store.default_store_path`), the one ``label import`` uses.
    model_dir : Path, optional
        The model folder; default the current default model (:func:`nlp.judge.model.default_model_dir`).
    roots : list of Path
        Folders on this computer whose sub-folders may be picked for scoring (default: the current folder).
    token : str, optional
        Access token; when set, every request must carry it.
    host, port : str, int
    labels : list of Path
        Labelled data a retrain starts from (default ``data/labelled``), besides the label store.
    cache_dir : Path, optional
        Embedding cache (default :func:`nlp.judge.embed.default_cache_dir`).
    max_file_bytes, max_request_bytes : int
        Upload limits: 20 MB per file, 200 MB per request.
    chunk_rows : int
        Rows scored together (smaller: a finer progress bar).
    jobs : int, optional
        Reader processes for a large folder (default: the number of CPUs).
    retrain_folds : int
        Cross-validation folds of the comparison on auditor-labelled rows.
    model, encoder : optional
        An :class:`~nlp.judge.model.AuditModel` and an encoder object used instead of loading them
        (tests inject a tiny model and a fast encoder). The encoder is also used for retraining.
    retrain_encoder_spec : str or None, optional
        Encoder recorded in a retrained model; default the current model's.
    retrain_classifier : dict, optional
        Classifier parameters of a retrain (:func:`nlp.learn.train.train`); default the standard ones.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    store_path: Path | None = None
    model_dir: Path | None = None
    roots: list[Path] = field(default_factory=lambda: [Path.cwd()])
    token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8765
    labels: list[Path] = field(default_factory=_default_labels)
    cache_dir: Path | None = None
    max_file_bytes: int = 20 * MB
    max_request_bytes: int = 200 * MB
    chunk_rows: int = 200
    jobs: int | None = None
    retrain_folds: int = 5
    model: object | None = None
    encoder: object | None = None
    retrain_encoder_spec: str | None = "model"
    retrain_classifier: dict | None = None

    def __post_init__(self):
        self.data_dir = Path(self.data_dir)
        self.roots = [Path(r).resolve() for r in self.roots]
        self.labels = [Path(p) for p in self.labels]
        if self.store_path is not None:
            self.store_path = Path(self.store_path)
        if self.model_dir is not None:
            self.model_dir = Path(self.model_dir)
        if self.token == "":
            self.token = None
