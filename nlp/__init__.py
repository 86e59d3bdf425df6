"""biyelelt: audit Mongolian anti-corruption implementation reports.

Авлигатай тэмцэх үндэсний хөтөлбөр болон байгууллагын төлөвлөгөөний биелэлтийн
тайланг уншиж, биелэлт бүрийг ангилж, нотолгоонд суурилсан оноо гаргаж, тайлагнасан
хувьтай харьцуулан зөрүүтэй мөрийг илрүүлнэ.

One folder per stage; data flows one way, and a module imports only its own stage and earlier ones
(``tests/test_layout.py`` checks it):

* shared base — :mod:`nlp.errors`, :mod:`nlp.settings`, :mod:`nlp.text`
* :mod:`nlp.read` — files to rows (formats, layout, assembly, percents, archive safety, schema)
* :mod:`nlp.judge` — rows to statuses, scores and flags (language layer, cues, encoders, features, classifier, audit, model files)
* :mod:`nlp.learn` — labelled corpus, training, evaluation, distilling the static encoder
* :mod:`nlp.outputs` — rows/reports/problems tables, report.xlsx, report.html
* :mod:`nlp.review` — review queue, label store, label quality, retrain-and-compare
* :mod:`nlp.batch`, :mod:`nlp.web`, :mod:`nlp.cli` — the ways in
"""

__version__ = "0.1.0"

from .judge.lang import mn as _mn  # noqa: E402,F401  registers spaCy's "mn" language
from .text import normalize  # noqa: E402
from .errors import BiyeleltError, DataError, ModelError, ReportError  # noqa: E402
from .settings import STATUSES, Settings  # noqa: E402
from .read import read_file, read_paths  # noqa: E402
from .judge.embed import CachedEncoder, E5Encoder, EmbeddingCache, Encoder, SentenceTransformerEncoder, get_encoder  # noqa: E402
from .judge.features import NarrativeFeatures  # noqa: E402
from .judge.classify import StatusClassifier, make_pipeline  # noqa: E402
from .judge.audit import score, summarize_reports  # noqa: E402
from .judge.model import AuditModel, load_model, save_model  # noqa: E402
from .learn.train import evaluate_model, train  # noqa: E402

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
