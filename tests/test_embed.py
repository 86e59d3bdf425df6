"""Encoders and the embedding cache."""

import numpy as np
import pytest

from nlp.judge.embed import CachedEncoder, E5Encoder, EmbeddingCache, SentenceTransformerEncoder, get_encoder
from nlp.errors import ModelError

from _models import HashEncoder, build_static_sentence_transformer


def test_bundled_e5_encoder_embeds_mongolian_offline():
    enc = E5Encoder(batch_size=2)
    texts = ["Сургалт зохион байгуулсан.", "Сургалт зохион байгуулж 12 албан хаагч хамрагдсан.",
             "Төсөв хүрэлцээгүй тул хийгдээгүй."]
    emb = enc.encode(texts)
    assert emb.shape == (3, 384) and emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    # the two training sentences are closer to each other than to the budget sentence
    assert emb[0] @ emb[1] > emb[0] @ emb[2]
    np.testing.assert_array_equal(emb, enc.encode(texts))  # deterministic


def test_sentence_transformer_encoder_loads_local_folder(tmp_path):
    folder = build_static_sentence_transformer(tmp_path / "st")
    enc = get_encoder(str(folder))
    assert isinstance(enc, SentenceTransformerEncoder)
    emb = enc.encode(["сургалт зохион байгуулсан", "байхгүй"])
    assert emb.shape == (2, 16)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    assert enc.id.startswith("st/st/")


def test_unknown_encoder_is_a_clear_error():
    with pytest.raises(ModelError, match="encoder not found"):
        get_encoder("no-such-encoder")


def test_cache_embeds_each_text_once_across_objects(tmp_path):
    cache = EmbeddingCache(tmp_path)
    base = HashEncoder()
    texts = ["нэг", "хоёр", "нэг", "гурав"]
    first = CachedEncoder(base, cache).encode(texts)
    assert base.texts_seen == 3  # duplicates embedded once
    again = CachedEncoder(base, EmbeddingCache(tmp_path))  # a new run, same cache on disk
    second = again.encode(texts)
    assert again.n_encoded_ == 0 and base.texts_seen == 3
    np.testing.assert_array_equal(first, second)
    assert len(cache) == 3


def test_cache_is_keyed_by_encoder_id(tmp_path):
    cache = EmbeddingCache(tmp_path)
    a, b = HashEncoder(), HashEncoder(dim=32)
    b.id = "test/other"
    CachedEncoder(a, cache).encode(["нэг"])
    out = CachedEncoder(b, cache).encode(["нэг"])
    assert b.texts_seen == 1 and out.shape == (1, 32)
