"""The shipped model on the bundled seed report (issue 4's acceptance checks)."""

from pathlib import Path

import pandas as pd
import pytest

from nlp import load_model, read_file, score
from nlp.cli import main
from nlp.judge.embed import CachedEncoder, E5Encoder, EmbeddingCache

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt"
MODEL = ROOT / "models" / "default"

FLAGGED = ["2.3.1; 2.3.2; 2.3.3", "3.1.2", "4.1.2", "6.1.3", "6.1.4"]
NOT_FLAGGED = ["1.1.2", "1.2.3", "3.1.1", "7.1.2"]


class Counting:
    """Wraps an encoder and counts the texts it is asked to embed."""

    def __init__(self, encoder):
        self.encoder, self.id, self.dim = encoder, encoder.id, encoder.dim
        self.texts_seen = 0

    def encode(self, texts):
        self.texts_seen += len(texts)
        return self.encoder.encode(texts)


@pytest.fixture(scope="module")
def scored_twice(tmp_path_factory):
    """The shipped default scored twice over one embedding cache: its static encoder for every row, the
    real bundled e5 for the rows its cascade sends to the second model."""
    cache_dir = tmp_path_factory.mktemp("cache")
    model = load_model(MODEL)
    static = model.encoder().encoder
    runs = []
    for _ in range(2):
        cache = EmbeddingCache(cache_dir)
        fast, e5 = Counting(static), Counting(E5Encoder())
        out = score(read_file(SEED), model, encoder=CachedEncoder(fast, cache),
                    fallback_encoder=CachedEncoder(e5, cache))
        runs.append((out, fast.texts_seen + e5.texts_seen))
    return runs[0][0], runs[1][0], runs[0][1], runs[1][1]


def test_seed_flags_the_rows_whose_words_do_not_support_their_numbers(scored_twice):
    scored = scored_twice[0].set_index("measure_no")
    # An overstated row is flagged or sent to an auditor ("review"), never passed; an honest one never is.
    for m in FLAGGED:
        assert scored.loc[m, "flag"] != "false", (m, scored.loc[m, ["status", "predicted_score", "reported_percent"]].tolist())
    assert (scored.loc[FLAGGED, "flag"] == "true").any()
    for m in NOT_FLAGGED:
        assert scored.loc[m, "flag"] == "false", (m, scored.loc[m, ["status", "predicted_score"]].tolist())
    assert scored.loc["2.3.1; 2.3.2; 2.3.3", "status"] == "blocked_staffing"
    assert "орон тоо" in scored.loc["2.3.1; 2.3.2; 2.3.3", "reasons"]
    assert scored.loc["3.2.3", "status"] == "not_applicable" and scored.loc["3.2.3", "flag"] == "false"


def test_second_run_embeds_nothing_and_gives_the_same_result(scored_twice):
    first, second, seen_first, seen_second = scored_twice
    assert seen_first > 0
    assert seen_second == 0
    pd.testing.assert_frame_equal(first, second)


def test_score_command_writes_the_pinned_files(tmp_path, monkeypatch):
    monkeypatch.setenv("BIYELELT_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["score", str(SEED.parent), "--out", str(out), "--model", str(MODEL), "--formats", "none"]) == 0
    rows = pd.read_csv(out / "rows.csv", dtype=str, keep_default_na=False)
    assert list(rows.columns[:14]) == ["report_id", "source", "row_id", "objective_no", "measure_no", "measure",
                                       "narrative", "reported_percent", "status", "confidence",
                                       "predicted_score", "gap", "flag", "reasons"]
    assert len(rows) == 26 and list(rows["row_id"]) == [str(i) for i in range(1, 27)]
    assert {"true", "false"} <= set(rows["flag"]) <= {"true", "review", "false"}
    assert rows.loc[rows["measure_no"] == "3.2.3", "gap"].iat[0] == ""  # no value → empty cell
    reports = pd.read_csv(out / "reports.csv", dtype=str)
    assert list(reports.columns) == ["report_id", "source", "org", "year", "n_rows", "n_flagged",
                                     "reported_mean", "predicted_mean", "inconsistency", "rank", "share_flagged"]
    assert reports["rank"].tolist() == ["1"]
