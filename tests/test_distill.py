"""``nlp.learn.distill``: the static encoder distilled from a teacher, and ``--encoder`` in ``score``.

The teacher here is the fake :class:`HashEncoder` (character trigrams), never the real e5.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from nlp.learn.distill import (
    UNK,
    distill,
    model_for_encoder,
    sif_weights,
    token_counts,
    train_tokenizer,
    wordpiece_vocabulary,
)
from nlp.judge.embed import CachedEncoder, SentenceTransformerEncoder, get_encoder
from nlp.errors import ModelError
from nlp.judge.model import AuditModel

from _models import MEASURE, TINY, HashEncoder, tiny_frame

CORPUS = [t for t, _, _ in TINY] + [MEASURE]
DIM = 16


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static") / "static-hash"
    distill(folder, CORPUS, teacher=HashEncoder(64), vocab_size=400, dim=DIM)
    return folder


def _encode(folder, texts):
    return get_encoder(str(folder)).encode(texts)


def test_distilled_folder_loads_as_sentence_transformer(static_dir):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(static_dir), device="cpu")
    assert model.encode(["Сургалт зохион байгуулсан."]).shape == (1, DIM)
    enc = get_encoder(str(static_dir))
    assert isinstance(enc, SentenceTransformerEncoder) and enc.dim == DIM
    emb = enc.encode(["Сургалт зохион байгуулсан.", "Төсөв хүрэлцээгүй."])
    assert emb.shape == (2, DIM)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    info = json.loads((static_dir / "distill.json").read_text(encoding="utf-8"))
    assert info["dim"] == DIM and info["teacher"] == HashEncoder.id and info["n_texts"] == len(CORPUS)
    assert "Багцтай e5" in (static_dir / "README.md").read_text(encoding="utf-8")


def test_distillation_is_deterministic(static_dir, tmp_path):
    again = distill(tmp_path / "again", list(CORPUS), teacher=HashEncoder(64), vocab_size=400, dim=DIM)
    assert (again.path / "tokenizer.json").read_bytes() == (static_dir / "tokenizer.json").read_bytes()
    assert (again.path / "model.safetensors").read_bytes() == (static_dir / "model.safetensors").read_bytes()
    texts = ["Ажил эхлүүлсэн.", "Хариуцсан мэргэжилтэн байхгүй."]
    np.testing.assert_array_equal(_encode(again.path, texts), _encode(static_dir, texts))


def test_similar_texts_are_closer_than_unrelated(static_dir):
    a, b, c = _encode(static_dir, ["сургалтыг зохион байгуулсан",
                                   "Ёс зүйн сургалт зохион байгуулж албан хаагч хамрагдсан",
                                   "төсөв хүрэлцээгүй тул хийгдээгүй"])
    assert a @ b > a @ c + 0.2
    assert a @ b > b @ c + 0.2


def test_vocabulary_is_learnt_from_the_corpus(static_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(static_dir / "tokenizer.json"))
    vocab = tok.get_vocab()
    # every word of the corpus is one entry (lower-cased), so it is a single token
    for word in ("хасум", "жирэмсний", "шилэн", "тушаалаар"):
        assert word in vocab and tok.encode(word).tokens == [word]
    assert "хасум" in [t for t in tok.encode("ХАСУМ мэдүүлэг").tokens]
    # a word from outside the corpus is not an entry; it is split, never dropped
    assert "улаанбаатар" not in vocab
    tokens = tok.encode("Улаанбаатар").tokens
    assert len(tokens) > 1 and UNK not in tokens
    other = train_tokenizer(["Цэцэрлэгийн багш нар сургалтад хамрагдав."] * 3, 400)
    assert set(other.get_vocab()) != set(vocab)


def test_unseen_inflection_falls_back_to_stem_and_suffix():
    tok = train_tokenizer(["хэрэгжүүлсэн ажил", "хэрэгжүүлээгүй ажил", "хийгдээгүй ажил", "байгуулаагүй"], 200)
    assert tok.encode("хэрэгжүүлэхээр").tokens[0] == "хэрэгжүүл"
    assert "##ээгүй" in tok.get_vocab()  # suffix shared by two words


def test_wordpiece_vocabulary_does_not_depend_on_input_order():
    counts = {w: (i % 4) + 1 for i, w in enumerate(" ".join(CORPUS).lower().split())}
    items = list(counts.items())
    random.Random(0).shuffle(items)
    assert wordpiece_vocabulary(dict(items), 300) == wordpiece_vocabulary(counts, 300)
    small = wordpiece_vocabulary(counts, 150)
    assert len(small) == 150 and small[0] == UNK and any(e.startswith("##") for e in small)
    with pytest.raises(ValueError, match="vocab_size too small"):
        wordpiece_vocabulary(counts, 10)


def test_frequent_tokens_weigh_less():
    tok = train_tokenizer(CORPUS, 400)
    counts = token_counts(tok, CORPUS)
    w = sif_weights(counts)
    assert counts.sum() > len(CORPUS)
    frequent, rare = int(np.argmax(counts)), int(np.argmin(counts))
    assert w[frequent] < w[rare] <= 1.0


def test_dim_larger_than_teacher_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="dim 100 out of range"):
        distill(tmp_path / "x", CORPUS, teacher=HashEncoder(64), vocab_size=300, dim=100)


def test_existing_folder_is_not_overwritten(static_dir):
    with pytest.raises(ModelError, match="use --overwrite"):
        distill(static_dir, CORPUS, teacher=HashEncoder(64), vocab_size=300, dim=DIM)


def test_cli_distill_with_fake_teacher(tmp_path, monkeypatch, capsys):
    import nlp.judge.embed
    from nlp.cli import main

    class FakeE5(HashEncoder):
        def __init__(self, **kwargs):
            super().__init__(64)

    monkeypatch.setattr(nlp.judge.embed, "E5Encoder", FakeE5)
    tiny_frame(1).to_csv(tmp_path / "labels.csv", index=False)
    out = tmp_path / "static"
    args = ["distill", "--out", str(out), "--data", str(tmp_path / "labels.csv"), "--examples",
            "--vocab-size", "300", "--dim", "8", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "written" in printed and "MB" in printed
    assert get_encoder(str(out)).dim == 8
    assert main(args) == 1  # exists: refused
    assert "use --overwrite" in capsys.readouterr().err
    assert main(args + ["--overwrite", "--dim", "1000"]) == 2  # bad width: usage error
    assert "out of range" in capsys.readouterr().err


@pytest.fixture(scope="module")
def static_model(static_dir, tmp_path_factory):
    from nlp.learn.train import train

    folder = tmp_path_factory.mktemp("audit") / "model"
    encoder = CachedEncoder(get_encoder(str(static_dir)), None)  # nothing written to the user's cache
    train(tiny_frame(3), folder, encoder_spec=str(static_dir), encoder=encoder)
    return folder


def test_model_for_encoder_checks_the_encoder(static_dir, static_model, tmp_path):
    assert model_for_encoder(str(static_dir), static_model).encoder_spec == str(static_dir)
    with pytest.raises(ModelError, match="needs --model"):
        model_for_encoder(str(static_dir), None)
    other = distill(tmp_path / "other", CORPUS[:10], teacher=HashEncoder(64), vocab_size=300, dim=8).path
    with pytest.raises(ModelError, match="trained with another encoder"):
        model_for_encoder(str(other), static_model)
    with pytest.raises(ModelError, match="e5 encoder"):
        model_for_encoder("e5", static_model)
    assert model_for_encoder("static", static_model).encoder_spec == str(static_dir)
    with pytest.raises(ModelError, match="encoder not found"):
        model_for_encoder(str(tmp_path / "missing"), static_model)


def test_score_with_encoder_path(static_dir, static_model, tmp_path, capsys):
    from nlp.cli import main
    from nlp.outputs.tables import read_scored

    from fixtures import SEED

    out = tmp_path / "scored"
    code = main(["score", str(SEED), "--out", str(out), "--encoder", str(static_dir), "--model",
                 str(static_model), "--cache", str(tmp_path / "cache")])
    assert code == 0, capsys.readouterr().err
    rows, _ = read_scored(out)
    assert len(rows) > 0 and rows["status"].notna().all()
    assert main(["score", str(SEED), "--out", str(out), "--encoder", str(static_dir)]) == 1
    assert "needs --model" in capsys.readouterr().err


def test_relative_encoder_folder_is_found_from_any_working_folder(tmp_path, monkeypatch):
    from nlp.judge.model import _CODE_ROOT

    monkeypatch.chdir(tmp_path)
    assert AuditModel(pipeline=None, encoder_spec="data/labelled").resolved_encoder_spec() == \
        str(_CODE_ROOT / "data" / "labelled")
    assert AuditModel(pipeline=None, encoder_spec="e5").resolved_encoder_spec() == "e5"


def test_compare_encoders_trains_evaluates_and_times(static_dir, tmp_path):
    from nlp.learn.distill import compare_encoders
    from nlp.judge.embed import EmbeddingCache

    frame = tiny_frame(3)
    frame.loc[frame["org_id"] == "org0", "split"] = "test"
    rows = compare_encoders(frame, [str(static_dir), None], cache=EmbeddingCache(tmp_path), min_seconds=0.0)
    static, none = rows
    assert static["encoder"] == str(static_dir) and static["dim"] == DIM
    assert static["n_test"] == int((frame["split"] == "test").sum())
    assert 0.0 <= static["macro_f1"] <= 1.0 and static["narratives_per_s"] > 0 and static["passes"] >= 1
    assert static["n_speed"] == frame.loc[frame["split"] == "test", "narrative"].nunique()
    assert none["encoder"] == "none" and "narratives_per_s" not in none
