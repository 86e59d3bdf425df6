"""Kill a scoring batch with SIGKILL at many points, resume it, and get the bytes of an uninterrupted run.

Тасалж үргэлжлүүлэх / Kill and resume. The batch (:func:`nlp.batch.run_score`, what ``biyelelt
score`` runs) runs in a child process forked from this one (forked, so that the libraries need not
be imported again: a few tenths of a second per kill instead of seconds). Just before or after a
chosen step the child kills itself with SIGKILL, the signal nothing can catch, so no ``finally``
and no ``atexit`` runs: what is on disk is what a power cut or ``kill -9`` would leave. Then the
batch is run again with ``resume=True`` (in another child when the plan kills it again, else in
this process) and its ``rows.csv``, ``reports.csv`` and ``problems.csv`` must be byte for byte
those of a run that was never stopped.

The steps are those the batch takes on disk (see ``nlp/batch.py``): reading a file, storing the
embeddings of a chunk, writing a part (before and after its atomic rename), appending the
manifest (a line cut in the middle of a Cyrillic letter, then killed), after the manifest is
synced, writing ``run.json`` (cut short), and writing the final tables. The counts are
:data:`N_KILLS` kills over :data:`KILL_PLANS`; ``docs/reliability.md`` lists them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

import pandas as pd
import pytest

import nlp.batch as batch
from _models import MEASURE, TINY, HashEncoder, tiny_frame
from nlp.learn.train import train

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

OUTPUTS = ("rows.csv", "reports.csv", "problems.csv")
N_REPORTS = 9  # good reports, 3 rows each, and one broken file
ROWS_PER_REPORT = 3
N_ROWS = N_REPORTS * ROWS_PER_REPORT
CHUNK_ROWS = 6  # two reports a chunk: 5 chunks
CHILD_TIMEOUT_S = 60

#: Each plan is the kills of one test, in order: (step, n) kills the batch at the n-th time it
#: reaches that step in that process. After the last kill the batch is resumed to the end.
KILL_PLANS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("read", 1),),
    (("read", 2),),
    (("read", 5),),
    (("read", 10),),
    (("cache", 1),),
    (("cache", 3),),
    (("part-tmp", 1),),
    (("part-tmp", 3),),
    (("part-tmp", 5),),
    (("part-replaced", 1),),
    (("part-replaced", 3),),
    (("part-replaced", 5),),
    (("manifest-torn", 1),),
    (("manifest-torn", 3),),
    (("manifest-torn", 5),),
    (("manifest-synced", 2),),
    (("manifest-synced", 4),),
    (("run-json-torn", 1),),
    (("write-rows", 1),),
    (("write-done", 1),),
    (("manifest-torn", 2), ("read", 3)),
    (("part-replaced", 2), ("manifest-torn", 1), ("cache", 1)),
)
#: Kills over all plans (each at its own point of the run).
N_KILLS = sum(len(plan) for plan in KILL_PLANS)


def _plan_id(plan) -> str:
    return "+".join(f"{step}-{n}" for step, n in plan)


# ---------------------------------------------------------------------------------------------
# inputs, model, the uninterrupted run


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Nine small reports with Cyrillic names (one with a file-level warning) and a broken file."""
    root = tmp_path_factory.mktemp("resume") / "2024"
    root.mkdir()
    for r in range(N_REPORTS):
        rows = []
        for i in range(ROWS_PER_REPORT):
            text, _, pct = TINY[(r * 5 + i * 7) % len(TINY)]
            rows.append({"measure_no": f"1.{i + 1}", "measure": MEASURE, "narrative": f"{text} ({r}-{i})",
                         "reported_percent": pct})
        frame = pd.DataFrame(rows)
        if r == 3:  # a repeated column: a file-level warning, which the manifest keeps
            frame["Биелэлт"] = "давхар"
        frame.to_csv(root / f"тайлан_{r:02d}.csv", index=False)
    (root / "тайлан_05б.docx").write_bytes(b"not a word file")  # a failure, which the manifest keeps too
    return root


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return train(tiny_frame(1), tmp_path_factory.mktemp("model") / "m", encoder_spec=None, encoder=HashEncoder(),
                 classifier={"calibration": None})


def _run(inputs: Path, out: Path, model, cache: Path, **kwargs) -> batch.RunSummary:
    return batch.run_score([inputs], out, model, encoder=HashEncoder(), cache=cache, jobs=1,
                           chunk_rows=CHUNK_ROWS, progress=False, **kwargs)


@pytest.fixture(scope="module")
def uninterrupted(inputs, model, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("full")
    summary = _run(inputs, out, model, out / "cache")
    assert summary.n_rows == N_ROWS and len(summary.failures) == 1
    n_chunks = len(list((out / batch.PARTS_DIR).glob("part-*.parquet")))
    assert n_chunks == 5, n_chunks  # the chunks the kill points below count on
    return {name: (out / name).read_bytes() for name in OUTPUTS}


# ---------------------------------------------------------------------------------------------
# the kill switch, armed in the child only


def _die() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(step: str, n: int) -> None:
    """Make this (child) process kill itself the n-th time it reaches ``step``."""
    seen = {"count": 0}

    def hit() -> bool:
        seen["count"] += 1
        return seen["count"] == n

    if step == "read":
        real_read = batch._read_one

        def read_one(path, fingerprint):
            if hit():
                _die()
            return real_read(path, fingerprint)

        batch._read_one = read_one
    elif step == "cache":
        from nlp.judge.embed import EmbeddingCache

        real_put = EmbeddingCache.put

        def put(self, encoder_id, items):
            if hit():  # the vectors of a chunk are made but not stored
                _die()
            return real_put(self, encoder_id, items)

        EmbeddingCache.put = put
    elif step in ("part-tmp", "part-replaced"):
        real_replace = os.replace

        def replace(src, dst, *args, **kwargs):
            is_part = str(src).endswith(".parquet.tmp")
            if is_part and step == "part-tmp" and hit():  # the part is written under its temporary name
                _die()
            real_replace(src, dst, *args, **kwargs)
            if is_part and step == "part-replaced" and hit():  # the part is in place, its manifest lines not
                _die()

        os.replace = replace
    elif step == "manifest-torn":
        real_open = open

        def torn_open(file, mode="r", *args, **kwargs):
            if Path(file).name == "manifest.jsonl" and "a" in mode and hit():
                return _TornManifest(file)
            return real_open(file, mode, *args, **kwargs)

        batch.open = torn_open  # the name batch's code looks up before the builtin
    elif step == "manifest-synced":
        real_fsync = os.fsync

        def fsync(fd):
            real_fsync(fd)
            if hit():  # the manifest lines of a chunk are on disk; the next chunk has not started
                _die()

        os.fsync = fsync
    elif step == "run-json-torn":
        real_write_text = Path.write_text

        def write_text(self, data, *args, **kwargs):
            if self.name == "run.json" and hit():
                real_write_text(self, data[: len(data) // 2], *args, **kwargs)
                _die()
            return real_write_text(self, data, *args, **kwargs)

        Path.write_text = write_text
    elif step == "write-rows":
        real_to_csv = pd.DataFrame.to_csv

        def to_csv(self, path=None, *args, **kwargs):
            result = real_to_csv(self, path, *args, **kwargs)
            if str(path).endswith("rows.csv") and hit():  # rows.csv written, reports.csv and problems.csv not
                _die()
            return result

        pd.DataFrame.to_csv = to_csv
    elif step == "write-done":
        import nlp.outputs.tables as tables

        real_write = tables.write_scored

        def write_scored(*args, **kwargs):
            result = real_write(*args, **kwargs)
            if hit():  # every table written, the run not yet returned
                _die()
            return result

        tables.write_scored = write_scored
    else:  # pragma: no cover - a typo in KILL_PLANS
        raise ValueError(step)


class _TornManifest:
    """A manifest opened for appending whose write stops inside a Cyrillic letter, then the process dies."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        cut = len(data) // 2
        while cut < len(data) and not 0x80 <= data[cut] < 0xC0:  # the middle of a multi-byte letter
            cut += 1
        assert cut < len(data), "the manifest lines hold no Cyrillic: nothing to cut inside"
        with open(self.file, "ab") as fh:
            fh.write(data[:cut])
            fh.flush()
            os.fsync(fh.fileno())
        _die()
        return len(text)  # pragma: no cover


def _killed_run(inputs: Path, out: Path, model, cache: Path, step: str, n: int, resume: bool) -> None:
    """Run the batch in a forked child that kills itself at (step, n); check that it did."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            _arm(step, n)
            _run(inputs, out, model, cache, resume=resume)
            code = 0  # finished: the kill point was never reached
        except BaseException:  # noqa: BLE001 - report anything, then leave
            traceback.print_exc()
            code = 71
        finally:
            os._exit(code)
    deadline = time.monotonic() + CHILD_TIMEOUT_S
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:  # a child hung (say, on a lock a thread of pytest held at the fork)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the batch child hung for {CHILD_TIMEOUT_S} s before kill point {step} {n}")
        time.sleep(0.01)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"kill point {step} {n} was not reached: the child exited with "
        f"{os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}")


def _finished_before(out: Path) -> set[str]:
    """Files whose manifest line is whole and whose part is on disk (what a resume may take over)."""
    manifest = out / batch.PARTS_DIR / "manifest.jsonl"
    if not (out / batch.PARTS_DIR / "run.json").is_file() or not manifest.is_file():
        return set()
    try:
        json.loads((out / batch.PARTS_DIR / "run.json").read_text(encoding="utf-8"))
    except ValueError:  # run.json cut short: the resume starts again
        return set()
    done = set()
    for line in manifest.read_bytes().split(b"\n"):
        try:
            entry = json.loads(line.decode("utf-8"))
        except ValueError:
            continue
        if entry["part"] is None or (out / batch.PARTS_DIR / entry["part"]).exists():
            done.add(entry["path"])
    return done


def _manifest_entries(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / batch.PARTS_DIR / "manifest.jsonl").read_bytes().decode().splitlines()]


# ---------------------------------------------------------------------------------------------
# the test


@pytest.mark.parametrize("plan", KILL_PLANS, ids=[_plan_id(p) for p in KILL_PLANS])
def test_killed_and_resumed_run_writes_the_uninterrupted_bytes(plan, inputs, model, uninterrupted, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    for k, (step, n) in enumerate(plan):
        _killed_run(inputs, out, model, cache, step, n, resume=k > 0)
        assert not (out / "problems.csv").exists() or step.startswith("write")
    finished = _finished_before(out)
    reread: list[str] = []
    summary = _run(inputs, out, model, cache, resume=True, on_file=reread.append)
    for name in OUTPUTS:
        assert (out / name).read_bytes() == uninterrupted[name], name
    # no row lost: every row of every good report is in rows.csv, once
    rows = pd.read_csv(out / "rows.csv", dtype=str, keep_default_na=False)
    assert len(rows) == summary.n_rows == N_ROWS
    assert rows.groupby("source").size().eq(ROWS_PER_REPORT).all() and rows["source"].nunique() == N_REPORTS
    # the manifest the next resume reads is whole: a line cut by the kill does not spoil the lines after it
    entries = _manifest_entries(out)
    assert {e["path"] for e in entries} == {str(p) for p in sorted(inputs.iterdir())}
    # a file finished before the kill is not read again
    assert not finished & set(reread) and summary.n_resumed == len(finished)


def test_the_plans_kill_at_enough_points():
    points = {(step, n) for plan in KILL_PLANS for step, n in plan}
    assert N_KILLS >= 20 and len(points) >= 20
    assert len({step for step, _ in points}) == 9  # every step the batch takes on disk
