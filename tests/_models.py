"""Small models and corpora the tests build themselves (no downloads, no bundled weights)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

# A tiny corpus, one short narrative per line, written for the tests.
TINY = [
    ("Ёс зүйн сургалтыг 3 удаа зохион байгуулж 45 албан хаагч хамрагдсан.", "done", "100"),
    ("Төлөвлөгөөг А/12 дугаар тушаалаар батлуулж цахим хуудсанд байршуулсан.", "done", "100"),
    ("Шилэн дансанд 120 мэдээлэл байршуулсан, хугацаа хоцорсон мэдээлэл байхгүй.", "done", "100"),
    ("ХАСУМ мэдүүлгийг 28 албан хаагч хугацаандаа гаргасан.", "done", "100"),
    ("Журмын төслийг боловсруулсан боловч батлуулж амжаагүй байна.", "partial", "100"),
    ("Сургалтыг 2 сургуульд хийсэн, үлдсэн 3 сургуульд дараа онд хийнэ.", "partial", "90"),
    ("Ажил эхлүүлсэн, үргэлжлүүлэн хийгдэж байна.", "partial", "80"),
    ("Судалгааны ажлын эхний шатыг гүйцэтгэсэн, тайлан бэлтгэгдэж байна.", "partial", "100"),
    ("Сул орон тоо ихтэй байсан тул зохион байгуулаагүй.", "blocked_staffing", "70"),
    ("Хариуцсан мэргэжилтэн жирэмсний амралттай байгаа тул хийгдээгүй.", "blocked_staffing", "80"),
    ("Албан хаагчид тогтвор суурьшилгүй байсан учир хэрэгжүүлж чадаагүй.", "blocked_staffing", "50"),
    ("Нягтлан бодогч хүний нөөцийг хавсран гүйцэтгэдэг тул амжаагүй.", "blocked_staffing", "60"),
    ("Төсөв хүрэлцээгүй тул хийгдээгүй.", "not_done", "0"),
    ("Энэ онд хэрэгжүүлээгүй.", "not_done", "50"),
    ("Дээд байгууллагаас чиглэл ирээгүй тул зохион байгуулаагүй.", "not_done", "100"),
    ("Ирэх онд хийхээр төлөвлөж байна.", "not_done", "70"),
    ("байхгүй", "not_applicable", ""),
    ("Тайлант хугацаанд ийм тохиолдол гараагүй.", "not_applicable", "ХБ"),
    ("Өргөдөл гомдол ирээгүй.", "not_applicable", "-"),
    ("Хүсэлт гаргасан иргэн байхгүй.", "not_applicable", "100"),
    ("Анхааран ажиллаж байна.", "no_evidence", "100"),
    ("Тогтмол хяналт тавьж ажилладаг.", "no_evidence", "100"),
    ("Зохих журмын дагуу хэрэгжүүлж байна.", "no_evidence", "90"),
    ("Хэрэгжүүлж ажиллаж байна.", "no_evidence", "100"),
]
MEASURE = "Авлигын эсрэг сургалт, төлөвлөгөөний хэрэгжилтийг хангах."


def tiny_frame(copies: int = 2) -> pd.DataFrame:
    """The tiny corpus as a labelled frame; ``copies`` repeats it with a suffix so each class has ≥ cv rows."""
    rows = []
    for k in range(copies):
        for i, (text, status, pct) in enumerate(TINY):
            suffix = "" if k == 0 else f" ({k})"
            rows.append({"org_id": f"org{i % 6}", "org_type": "soum_governor", "measure": MEASURE,
                         "narrative": text + suffix, "reported_percent": pct, "status": status,
                         "split": "train", "report_id": f"r{i % 3}"})
    return pd.DataFrame(rows)


class HashEncoder:
    """Deterministic bag-of-character-trigram hashing encoder that counts the texts it embeds."""

    id = "test/hash-encoder"

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.calls = 0
        self.texts_seen = 0

    def encode(self, texts):
        self.calls += 1
        self.texts_seen += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            t = f"  {t.lower()}  "
            for j in range(len(t) - 2):
                h = int(hashlib.md5(t[j:j + 3].encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return out / norms


def build_static_sentence_transformer(folder: Path, dim: int = 16) -> Path:
    """A real SentenceTransformer (StaticEmbedding + a word-level tokenizer trained here), saved to ``folder``."""
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # older sentence-transformers
        from sentence_transformers.models import StaticEmbedding

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator([t for t, _, _ in TINY] + [MEASURE],
                            trainers.WordLevelTrainer(special_tokens=["[UNK]", "[PAD]"]))
    weights = np.random.RandomState(0).randn(tok.get_vocab_size(), dim).astype(np.float32)
    model = SentenceTransformer(modules=[StaticEmbedding(tok, embedding_weights=weights)], device="cpu")
    model.save(str(folder))
    return folder
