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


class _BusyConnection:
    """Answers «database is locked» to the first ``busy`` journal-mode statements, as SQLite does while
    another process is switching the same fresh file to WAL."""

    def __init__(self, busy: int, message: str = "database is locked"):
        self.busy, self.message, self.calls = busy, message, []

    def execute(self, sql):
        import sqlite3

        self.calls.append(sql)
        if self.busy:
            self.busy -= 1
            raise sqlite3.OperationalError(self.message)
        return self

    def fetchone(self):
        return ("wal" if self.calls[-1].endswith("=WAL") else "delete",)


def test_wal_switch_waits_while_another_process_holds_the_file():
    from nlp.judge.embed import _wal

    con = _BusyConnection(busy=3)
    _wal(con, wait=5.0)
    assert con.calls[-1] == "PRAGMA journal_mode=WAL"
    assert len(con.calls) == 5  # three refused reads, then the read and the switch


def test_wal_switch_gives_up_after_its_wait_and_passes_other_errors_on():
    import sqlite3

    from nlp.judge.embed import _wal

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _wal(_BusyConnection(busy=10**6), wait=0.05)
    con = _BusyConnection(busy=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk"):
        _wal(con, wait=5.0)
    assert len(con.calls) == 1


def _open_and_put(path, barrier, queue):
    import os

    barrier.wait()
    try:
        cache = EmbeddingCache(path)
        cache.put("enc", [(f"k{os.getpid()}", np.ones(3))])
        cache.close()
        queue.put("ok")
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(repr(exc))


def test_processes_opening_one_fresh_cache_together_all_succeed(tmp_path):
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for trial in range(6):
        path = tmp_path / f"t{trial}" / "embeddings.sqlite"
        barrier, queue = ctx.Barrier(3), ctx.Queue()
        procs = [ctx.Process(target=_open_and_put, args=(str(path), barrier, queue)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [queue.get(timeout=10) for _ in procs] == ["ok"] * 3
        assert len(EmbeddingCache(path)) == 3
