"""The shipped model on the bundled seed report (issue 4's acceptance checks)."""

from pathlib import Path

import pandas as pd
import pytest

from nlp import load_model, read_file, score
from nlp.cli import main
from nlp.embed import CachedEncoder, E5Encoder, EmbeddingCache

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt"
MODEL = ROOT / "models" / "default"

FLAGGED = ["2.3.1; 2.3.2; 2.3.3", "3.1.2", "4.1.2", "6.1.3", "6.1.4"]
NOT_FLAGGED = ["1.1.2", "1.2.3", "3.1.1", "7.1.2"]


class CountingE5(E5Encoder):
    """The real bundled encoder, counting the texts it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.texts_seen = 0

    def encode(self, texts):
        self.texts_seen += len(texts)
        return super().encode(texts)


@pytest.fixture(scope="module")
def scored_twice(tmp_path_factory):
    cache_dir = tmp_path_factory.mktemp("cache")
    model = load_model(MODEL)
    rows = read_file(SEED)
    first_encoder = CountingE5()
    first = score(rows, model, encoder=CachedEncoder(first_encoder, EmbeddingCache(cache_dir)))
    second_encoder = CountingE5()
    second = score(rows, model, encoder=CachedEncoder(second_encoder, EmbeddingCache(cache_dir)))
    return first, second, first_encoder.texts_seen, second_encoder.texts_seen


def test_seed_flags_the_rows_whose_words_do_not_support_their_numbers(scored_twice):
    scored = scored_twice[0].set_index("measure_no")
    for m in FLAGGED:
        assert scored.loc[m, "flag"], (m, scored.loc[m, ["status", "predicted_score", "reported_percent"]].tolist())
    for m in NOT_FLAGGED:
        assert not scored.loc[m, "flag"], (m, scored.loc[m, ["status", "predicted_score"]].tolist())
    assert scored.loc["2.3.1; 2.3.2; 2.3.3", "status"] == "blocked_staffing"
    assert "орон тоо" in scored.loc["2.3.1; 2.3.2; 2.3.3", "reasons"]
    assert scored.loc["3.2.3", "status"] == "not_applicable" and not scored.loc["3.2.3", "flag"]


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
    assert set(rows["flag"]) == {"true", "false"}
    assert rows.loc[rows["measure_no"] == "3.2.3", "gap"].iat[0] == ""  # no value → empty cell
    reports = pd.read_csv(out / "reports.csv", dtype=str)
    assert list(reports.columns) == ["report_id", "source", "org", "year", "n_rows", "n_flagged",
                                     "reported_mean", "predicted_mean", "inconsistency", "rank", "share_flagged"]
    assert reports["rank"].tolist() == ["1"]
