"""biyelelt: audit Mongolian anti-corruption implementation reports.

Авлигатай тэмцэх үндэсний хөтөлбөр болон байгууллагын төлөвлөгөөний биелэлтийн
тайланг уншиж, биелэлт бүрийг ангилж, нотолгоонд суурилсан оноо гаргаж, тайлагнасан
хувьтай харьцуулан зөрүүтэй мөрийг илрүүлнэ.
"""

__version__ = "0.1.0"

from .lang import mn as _mn  # noqa: E402,F401  registers spaCy's "mn" language
from .text import normalize  # noqa: E402
from .errors import BiyeleltError, DataError, ModelError, ReportError  # noqa: E402
from .settings import STATUSES, Settings  # noqa: E402
from .read import read_file, read_paths  # noqa: E402
from .embed import CachedEncoder, E5Encoder, EmbeddingCache, Encoder, SentenceTransformerEncoder, get_encoder  # noqa: E402
from .features import NarrativeFeatures  # noqa: E402
from .classify import StatusClassifier, make_pipeline  # noqa: E402
from .audit import score, summarize_reports  # noqa: E402
from .model import AuditModel, load_model, save_model  # noqa: E402
from .train import evaluate_model, train  # noqa: E402

__all__ = [
    "__version__",
    "normalize",
    "BiyeleltError", "DataError", "ModelError", "ReportError",
    "STATUSES", "Settings",
    "read_file", "read_paths",
    "Encoder", "E5Encoder", "SentenceTransformerEncoder", "CachedEncoder", "EmbeddingCache", "get_encoder",
    "NarrativeFeatures", "StatusClassifier", "make_pipeline",
    "score", "summarize_reports",
    "AuditModel", "load_model", "save_model",
    "train", "evaluate_model",
]
