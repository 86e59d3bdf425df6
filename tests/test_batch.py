"""A year's batch: parallel reading, chunks, the shared cache, resume, the Dask engine."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pandas as pd
import pytest

import nlp.batch as batch
from _models import MEASURE, TINY, HashEncoder, tiny_frame
from fixtures import SEED, build_docx, seed_layout
from nlp.judge.audit import score, summarize_reports
from nlp.judge.embed import CachedEncoder, EmbeddingCache
from nlp.outputs.tables import write_scored
from nlp.read import read_paths
from nlp.text import normalize
from nlp.learn.train import train

OUTPUTS = ("rows.csv", "reports.csv", "problems.csv")


def _table(a: int, s: int, kind: str) -> pd.DataFrame:
    """Six rows of a soum's report; narratives repeat across files (the same text in many reports)."""
    rows = []
    for i in range(6):
        text, _, pct = TINY[(a * 7 + s * 3 + i * 5 + (kind == "xlsx")) % len(TINY)]
        rows.append({"report_id": f"{kind}_{a}_{s}", "org": f"Сум {a}-{s}", "year": 2024,
                     "measure_no": f"1.{i + 1}", "measure": MEASURE, "narrative": text, "reported_percent": pct})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """2024/<aimag>/<soum>/ with .csv and .xlsx reports, the seed as .txt and .docx, a corrupt file, a stray note."""
    root = tmp_path_factory.mktemp("year") / "2024"
    for a in range(2):
        for s in range(3):
            folder = root / f"aimag{a}" / f"soum{s}"
            folder.mkdir(parents=True)
            _table(a, s, "csv").to_csv(folder / f"r{a}{s}.csv", index=False)
            _table(a, s, "xlsx").to_excel(folder / f"x{a}{s}.xlsx", index=False)
    shutil.copy(SEED, root / "aimag0" / "seed.txt")
    build_docx(root / "aimag1" / "seed.docx", seed_layout())  # same report_id as seed.txt: a warning
    (root / "aimag1" / "soum0" / "broken.docx").write_bytes(b"this is not a docx file")
    (root / "notes.md").write_text("not a report", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A tiny saved model that uses embeddings, scored with :class:`HashEncoder`."""
    return train(tiny_frame(3), tmp_path_factory.mktemp("model") / "m", encoder_spec=None, encoder=HashEncoder())


def _run(tree, out, model, cache, **kwargs) -> batch.RunSummary:
    kwargs.setdefault("encoder", HashEncoder())
    return batch.run_score([tree], out, model, cache=cache, progress=False, **kwargs)


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


def test_batch_writes_what_one_shot_scoring_writes(tree, model, tmp_path):
    """The chunked, parted run gives byte for byte what reading and scoring everything at once gives."""
    result = read_paths([tree])
    encoder = CachedEncoder(HashEncoder(), EmbeddingCache(tmp_path / "c1"))
    scored = score(result.rows, model, encoder=encoder)
    problems = [(f.path, "failure", f.message) for f in result.failures] + [("", "warning", w)
                                                                           for w in result.warnings]
    write_scored(scored, summarize_reports(scored), tmp_path / "one", problems)

    summary = _run(tree, tmp_path / "batch", model, tmp_path / "c2", jobs=1, chunk_rows=7)
    _same_outputs(tmp_path / "one", tmp_path / "batch")
    # every input row reaches rows.csv, in input order
    rows = pd.read_csv(tmp_path / "batch" / "rows.csv", dtype=str, keep_default_na=False)
    assert len(rows) == len(result.rows) == summary.n_rows > 0
    assert list(zip(rows["source"], rows["row_id"].astype(int))) == \
        list(zip(result.rows["source"], result.rows["row_id"]))
    assert summary.files == result.files and len(summary.files) == 14
    assert summary.n_flagged == int((scored["flag"] == "true").sum())
    assert any("also used by" in w for w in summary.warnings)
    assert any("notes.md" in w for w in summary.warnings)


def test_bad_file_is_reported_and_the_batch_goes_on(tree, model, tmp_path):
    summary = _run(tree, tmp_path / "out", model, tmp_path / "cache", jobs=2)
    assert [Path(f.path).name for f in summary.failures] == ["broken.docx"]
    assert "broken.docx" in summary.failures[0].message and "docx" in summary.failures[0].message
    assert not summary.ok and summary.n_rows > 0
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", dtype=str, keep_default_na=False)
    failed = problems[problems["kind"] == "failure"]
    assert list(failed["source"].map(lambda p: Path(p).name)) == ["broken.docx"]
    text = summary.format()
    assert "broken.docx" in text and "14" in text and str(summary.n_rows) in text
    assert set(summary.seconds) == set(batch.STAGES) | {"total"}


@pytest.mark.parametrize("method", ["fork", pytest.param("forkserver", marks=pytest.mark.slow)])
def test_parallel_reading_gives_the_serial_output(tree, model, tmp_path, monkeypatch, method):
    serial = _run(tree, tmp_path / "serial", model, tmp_path / "c1", jobs=1, chunk_rows=100_000)
    monkeypatch.setattr(batch, "_START_METHOD", method)
    parallel = _run(tree, tmp_path / "parallel", model, tmp_path / "c2", jobs=2, chunk_rows=5)
    _same_outputs(tmp_path / "serial", tmp_path / "parallel")
    assert parallel.files == serial.files


class _RecordingEncoder(HashEncoder):
    def __init__(self):
        super().__init__()
        self.sizes: list[int] = []
        self.texts: list[str] = []

    def encode(self, texts):
        self.sizes.append(len(texts))
        self.texts.extend(texts)
        return super().encode(texts)


def test_identical_texts_are_embedded_once_and_a_second_run_embeds_nothing(tree, model, tmp_path):
    first = _RecordingEncoder()
    s1 = _run(tree, tmp_path / "a", model, tmp_path / "cache", encoder=first, chunk_rows=10, jobs=1)
    rows = read_paths([tree]).rows
    distinct = {normalize(t) for t in list(rows["narrative"]) + list(rows["measure"])}
    assert len(first.texts) == len(set(first.texts)) == len(distinct) == s1.n_embedded
    assert len(distinct) < len(rows)  # the tree repeats narratives: deduplication did real work
    # memory bounded: no encoder call holds much more than a chunk (plus one file) of rows
    largest_file = int(rows.groupby("source").size().max())
    assert max(first.sizes) <= 2 * (10 + largest_file)

    second = _RecordingEncoder()
    s2 = _run(tree, tmp_path / "b", model, tmp_path / "cache", encoder=second, jobs=1)
    assert second.calls == 0 and s2.n_embedded == 0
    _same_outputs(tmp_path / "a", tmp_path / "b")


def _interrupt_after(n: int):
    seen: list[str] = []

    def hook(path: str) -> None:
        seen.append(path)
        if len(seen) == n:
            raise KeyboardInterrupt

    return hook, seen


def test_resume_after_interruption_gives_the_uninterrupted_output(tree, model, tmp_path):
    jobs = 2  # reader processes are stopped by the interruption (the serial path: the next test)
    _run(tree, tmp_path / "full", model, tmp_path / "c1", jobs=1)

    hook, seen = _interrupt_after(4)
    with pytest.raises(KeyboardInterrupt):
        _run(tree, tmp_path / "out", model, tmp_path / "c2", jobs=jobs, chunk_rows=1, on_file=hook)
    assert len(seen) == 4 and not (tmp_path / "out" / "rows.csv").exists()

    later: list[str] = []
    resumed = _run(tree, tmp_path / "out", model, tmp_path / "c2", jobs=jobs, resume=True, on_file=later.append)
    assert resumed.n_resumed == 4
    assert not set(later) & set(seen) and len(later) == 15 - 4  # finished files are not read again
    _same_outputs(tmp_path / "full", tmp_path / "out")

    # Resuming a finished run reads nothing; other settings make the old parts useless.
    again: list[str] = []
    assert _run(tree, tmp_path / "out", model, tmp_path / "c2", resume=True, on_file=again.append).n_resumed == 15
    assert again == []
    other = _run(tree, tmp_path / "out", model, tmp_path / "c2", resume=True, threshold=10, on_file=again.append)
    assert other.n_resumed == 0 and len(again) == 15


def test_resume_rereads_a_file_that_changed(tree, model, tmp_path):
    year = tmp_path / "2024"
    shutil.copytree(tree, year)
    hook, _ = _interrupt_after(3)
    with pytest.raises(KeyboardInterrupt):
        _run(year, tmp_path / "out", model, tmp_path / "cache", jobs=1, chunk_rows=1, on_file=hook)
    changed = year / "aimag0" / "soum0" / "r00.csv"  # the first file: finished before the interruption
    frame = pd.read_csv(changed)
    frame.loc[0, "narrative"] = "Төсөв хүрэлцээгүй тул хийгдээгүй."
    frame.to_csv(changed, index=False)
    later: list[str] = []
    resumed = _run(year, tmp_path / "out", model, tmp_path / "cache", jobs=1, resume=True, on_file=later.append)
    assert str(changed) in later and resumed.n_resumed == 2
    _run(year, tmp_path / "fresh", model, tmp_path / "cache", jobs=1)
    _same_outputs(tmp_path / "fresh", tmp_path / "out")


def test_empty_input_writes_empty_outputs(model, tmp_path):
    (tmp_path / "empty").mkdir()
    summary = _run(tmp_path / "empty", tmp_path / "out", model, tmp_path / "cache")
    assert summary.n_rows == 0 and not summary.ok
    assert pd.read_csv(tmp_path / "out" / "rows.csv").empty
    assert "no report file" in pd.read_csv(tmp_path / "out" / "problems.csv")["message"].iloc[0]


def test_cli_score_runs_the_batch_and_resumes(tree, tmp_path, capsys):
    from nlp.cli import main

    plain = train(tiny_frame(3), tmp_path / "plain", encoder_spec=None)  # no embeddings: the CLI needs no encoder
    args = ["score", str(tree), "--out", str(tmp_path / "out"), "--model", str(plain.path),
            "--cache", str(tmp_path / "cache"), "--jobs", "2", "--chunk-rows", "20", "--no-progress"]
    assert main(args) == 1  # one file failed
    out, err = capsys.readouterr()
    assert "broken.docx" in err and "rows" in out and "flagged" in out
    assert main(args + ["--resume"]) == 1
    out, _ = capsys.readouterr()
    assert "from the earlier run: 15" in out  # every file came from the parts
    assert main(args + ["--jobs", "0"]) == 2


def test_dask_engine_gives_the_single_process_output(tree, model, tmp_path):
    pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'biyelelt[cluster]')")
    _run(tree, tmp_path / "local", model, tmp_path / "c1", jobs=1)
    summary = _run(tree, tmp_path / "dask", model, tmp_path / "c2", engine="dask", jobs=2, chunk_rows=50)
    assert summary.engine == "dask" and summary.n_embedded > 0
    _same_outputs(tmp_path / "local", tmp_path / "dask")


def test_engine_and_chunk_size_are_checked(model, tmp_path):
    with pytest.raises(ValueError, match="engine"):
        batch.run_score([], tmp_path, model, engine="ray")
    with pytest.raises(ValueError, match="chunk_rows"):
        batch.run_score([], tmp_path, model, chunk_rows=0)


def test_summary_counts_match_the_written_rows(tree, model, tmp_path):
    summary = _run(tree, tmp_path / "out", model, tmp_path / "cache", jobs=1)
    rows = pd.read_csv(tmp_path / "out" / "rows.csv")
    reports = pd.read_csv(tmp_path / "out" / "reports.csv")
    assert summary.n_rows == len(rows) and summary.n_reports == len(reports)
    assert summary.n_flagged == int((rows["flag"].astype(str).str.lower() == "true").sum())
    assert all(summary.seconds[s] >= 0 for s in batch.STAGES) and summary.seconds["total"] > 0


def test_dask_missing_gives_an_install_hint(tree, model, tmp_path, monkeypatch):
    import sys

    from nlp.errors import ModelError

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask[distributed] were not installed
    with pytest.raises(ModelError, match=r"pip install 'biyelelt\[cluster\]'"):
        _run(tree, tmp_path / "out", model, tmp_path / "cache", engine="dask")


def test_cli_ctrl_c_keeps_the_work_and_says_how_to_resume(monkeypatch, capsys, tmp_path):
    from nlp import cli

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "run_score", stopped)
    monkeypatch.setattr("nlp.judge.model.load_model", lambda path=None: None)
    assert cli.main(["score", str(tmp_path), "--out", str(tmp_path / "out"), "--no-progress"]) == 130
    assert "--resume" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# The cascade in a batch, a warm cache, the writers side by side
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cascade(tree, tmp_path_factory):
    """A fast model without embeddings whose unsure rows go to a second model with a static encoder folder."""
    from _models import build_static_sentence_transformer
    from nlp.judge.embed import SentenceTransformerEncoder
    from nlp.judge.model import AuditModel, save_model
    from nlp.settings import STATUSES

    root = tmp_path_factory.mktemp("cascade")
    folder = build_static_sentence_transformer(root / "static")
    df = tiny_frame(3)
    train(df, root / "second", encoder_spec=str(folder), encoder=CachedEncoder(SentenceTransformerEncoder(folder)))
    fast = train(df, None, encoder_spec=None, features={"ngram_range": (3, 3), "max_features": 200},
                 classifier={"C": 0.3, "calibration": None})
    alone = score(read_paths([tree]).rows, fast)
    top2 = pd.DataFrame(alone[[f"p_{s}" for s in STATUSES]]).to_numpy()
    top2.sort(axis=1)
    margin = float(pd.Series(top2[:, -1] - top2[:, -2]).median())  # about half the rows go on
    model = AuditModel(pipeline=fast.pipeline, encoder_spec=None, settings=fast.settings,
                       cascade={"model": "../second", "margin": margin})
    save_model(model, root / "fast")
    return model, folder


class _CountingST:
    """Counts what the cascade's second encoder embeds, and how often it is built."""

    def __init__(self, monkeypatch, folder):
        import nlp.judge.embed as embed

        self.built = 0
        self.texts = 0
        real = embed.get_encoder

        def get_encoder(spec=None, **kwargs):
            encoder = real(spec, **kwargs)
            if spec == str(folder):
                self.built += 1
                encode = encoder.encode

                def counted(texts):
                    self.texts += len(texts)
                    return encode(texts)

                encoder.encode = counted
            return encoder

        monkeypatch.setattr(embed, "get_encoder", get_encoder)


def test_batch_with_a_cascade_routes_the_rows_one_shot_scoring_routes(tree, cascade, tmp_path, monkeypatch):
    from nlp.judge.embed import SentenceTransformerEncoder

    model, folder = cascade
    result = read_paths([tree]).rows
    one = score(result, model, fallback_encoder=CachedEncoder(SentenceTransformerEncoder(folder)))
    routed = one["second_opinion"].to_numpy()
    assert routed.any() and not routed.all()

    counting = _CountingST(monkeypatch, folder)
    summary = batch.run_score([tree], tmp_path / "batch", model, cache=tmp_path / "cache", jobs=2, chunk_rows=10,
                              progress=False)
    assert list(summary.scored["second_opinion"]) == list(routed)
    cols = ["status", "confidence", "predicted_score", "gap", "flag", "reasons"] + \
        [c for c in one.columns if c.startswith("p_")]
    pd.testing.assert_frame_equal(summary.scored[cols], one[cols])
    # The second encoder is built once for the run (not per chunk), over the run's cache, and timed as embedding.
    assert counting.built == 1
    assert summary.n_embedded == counting.texts > 0
    assert summary.seconds["embed"] > 0
    assert len(EmbeddingCache(tmp_path / "cache")) == counting.texts

    # A re-run with the warm cache embeds nothing and writes the same.
    again = batch.run_score([tree], tmp_path / "again", model, cache=tmp_path / "cache", jobs=1, chunk_rows=7,
                            progress=False)
    assert again.n_embedded == 0 and counting.texts == summary.n_embedded
    _same_outputs(tmp_path / "batch", tmp_path / "again")


def test_writers_side_by_side_write_what_one_after_another_writes(tree, model, tmp_path, monkeypatch):
    from functools import partial

    from nlp.outputs.report import write_outputs

    writers = [partial(write_outputs, formats=None)]
    monkeypatch.setattr(batch, "_FORK_WRITERS", False)
    serial = _run(tree, tmp_path / "serial", model, tmp_path / "cache", jobs=1, writers=writers)
    monkeypatch.setattr(batch, "_FORK_WRITERS", True)
    forked = _run(tree, tmp_path / "forked", model, tmp_path / "cache", jobs=1, writers=writers)
    assert list(forked.paths) == list(serial.paths) == ["rows", "reports", "problems", "xlsx", "html", "parquet"]
    for name in OUTPUTS + ("report.xlsx", "report.html", "rows.parquet"):
        assert filecmp.cmp(tmp_path / "serial" / name, tmp_path / "forked" / name, shallow=False), name


def test_a_writer_failing_in_its_process_fails_the_run_with_its_own_error(tree, model, tmp_path, monkeypatch):
    from nlp.errors import BiyeleltError

    def broken(scored, reports, out):
        raise BiyeleltError("бичиж чадсангүй", "could not write the file", path=Path(out) / "extra.txt")

    monkeypatch.setattr(batch, "_FORK_WRITERS", True)
    with pytest.raises(BiyeleltError, match="could not write the file") as err:
        _run(tree, tmp_path / "out", model, tmp_path / "cache", jobs=1, writers=[lambda *a: {}, broken])
    assert "extra.txt" in str(err.value)


# --------------------------------------------------------------------------------------
# The result store: a re-score reads only new and changed files
# --------------------------------------------------------------------------------------
def _recording_reads(monkeypatch) -> list[str]:
    """Record the files read (``jobs=1`` reads in this process)."""
    read: list[str] = []
    original = batch._read_one

    def recording(path, fingerprint, prepare=True):
        read.append(path)
        return original(path, fingerprint, prepare)

    monkeypatch.setattr(batch, "_read_one", recording)
    return read


def test_a_rescore_reads_only_new_and_changed_files_and_writes_a_fresh_runs_bytes(tree, model, tmp_path,
                                                                                   monkeypatch):
    year = tmp_path / "2024"
    shutil.copytree(tree, year)
    first = _run(year, tmp_path / "first", model, tmp_path / "cache", jobs=1, chunk_rows=7)
    assert first.n_reused == 0
    changed = year / "aimag1" / "soum2" / "r12.csv"
    frame = pd.read_csv(changed)
    frame.loc[0, "narrative"] = "Орон тоо дутуу тул сургалт хийгдээгүй."
    frame.to_csv(changed, index=False)
    added = year / "aimag1" / "soum2" / "late.csv"
    _table(1, 2, "late").to_csv(added, index=False)

    read = _recording_reads(monkeypatch)
    again = _run(year, tmp_path / "again", model, tmp_path / "cache", jobs=1, chunk_rows=7)
    broken = str(year / "aimag1" / "soum0" / "broken.docx")  # a failed file is always read again
    assert sorted(read) == sorted([str(changed), str(added), broken])
    assert again.n_reused == len(again.files) + len(again.failures) - 3
    assert "scored before, not read again" in again.format()

    read.clear()
    fresh = _run(year, tmp_path / "fresh", model, tmp_path / "other-cache", jobs=1)
    assert fresh.n_reused == 0 and len(read) == len(fresh.files) + len(fresh.failures)
    _same_outputs(tmp_path / "fresh", tmp_path / "again")
    assert "Орон тоо дутуу" in (tmp_path / "again" / "rows.csv").read_text(encoding="utf-8")

    read.clear()
    off = _run(year, tmp_path / "off", model, tmp_path / "cache", jobs=1, reuse=False)
    assert off.n_reused == 0 and len(read) == len(off.files) + len(off.failures)
    other = _run(year, tmp_path / "other", model, tmp_path / "cache", jobs=1, threshold=10)
    assert other.n_reused == 0  # other settings: another store
    _same_outputs(tmp_path / "fresh", tmp_path / "off")


def test_a_damaged_result_store_costs_a_reread_never_a_row(tree, model, tmp_path, monkeypatch):
    _run(tree, tmp_path / "first", model, tmp_path / "cache", jobs=1, chunk_rows=7)
    stores = list((tmp_path / "cache" / "scored").iterdir())
    assert len(stores) == 1
    parts = sorted(stores[0].glob("part-*.parquet"))
    assert len(parts) > 1
    parts[0].write_bytes(b"not parquet")
    read = _recording_reads(monkeypatch)
    again = _run(tree, tmp_path / "again", model, tmp_path / "cache", jobs=1)
    assert 0 < again.n_reused < len(again.files) and read
    _same_outputs(tmp_path / "first", tmp_path / "again")


def test_a_file_missing_rows_in_the_result_store_is_read_again(tree, model, tmp_path, monkeypatch):
    _run(tree, tmp_path / "first", model, tmp_path / "cache", jobs=1, chunk_rows=7)
    store = next((tmp_path / "cache" / "scored").iterdir())
    part = max(sorted(store.glob("part-*.parquet")),
               key=lambda p: pd.read_parquet(p)[batch._FILE_COLUMN].nunique())
    rows = pd.read_parquet(part)
    files = rows[batch._FILE_COLUMN].unique()
    assert len(files) > 1  # the other files of the part are still taken from it
    cut = files[0]
    rows.drop(index=rows.index[rows[batch._FILE_COLUMN] == cut][-1:]).to_parquet(part, index=False)
    read = _recording_reads(monkeypatch)
    again = _run(tree, tmp_path / "again", model, tmp_path / "cache", jobs=1)
    broken = [f.path for f in again.failures]
    assert sorted(read) == sorted([cut, *broken])
    _same_outputs(tmp_path / "first", tmp_path / "again")


def test_only_the_most_recently_used_result_stores_are_kept(tree, model, tmp_path):
    for threshold in (10, 20, 30, 40):
        _run(tree, tmp_path / f"out{threshold}", model, tmp_path / "cache", jobs=1, threshold=threshold)
    assert len(list((tmp_path / "cache" / "scored").iterdir())) == batch.RESULT_STORES_KEPT
    # the store used last is among them: the same run again reads nothing but the failed file
    last = _run(tree, tmp_path / "last", model, tmp_path / "cache", jobs=1, threshold=40)
    assert last.n_reused == len(last.files)
