"""The labelled corpus meets the data brief, and data/README.md tells the truth about it."""

import importlib.util
import re
from pathlib import Path

import pytest

from nlp.learn.labelled import load_labelled
from nlp.settings import STATUSES

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def corpus():
    return load_labelled(DATA / "labelled")


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("data_build", DATA / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def duplicates(corpus, build):
    return build.near_duplicate_rate(list(corpus["narrative"]))


def test_size_and_coverage(corpus):
    assert len(corpus) >= 1500
    assert corpus["org_id"].nunique() >= 40
    assert corpus["org_type"].nunique() >= 10
    assert set(corpus["year"]) <= {"2022", "2023", "2024", "2025"} and len(set(corpus["year"])) == 4
    counts = corpus["status"].value_counts()
    for s in STATUSES:
        assert counts.get(s, 0) >= 150, s


def _writer(files):
    return files.map(lambda f: Path(f).stem.split("_")[0])


def test_split_is_by_organisation(corpus, build):
    per_org = corpus.groupby("org_id")["split"].nunique()
    assert (per_org == 1).all()
    orgs = corpus.drop_duplicates("org_id")
    from_split_files = orgs["file"].map(lambda f: Path(f).name.startswith(build.SPLIT_FILES))
    share = (orgs.loc[from_split_files, "split"] == "test").mean()
    assert 0.15 <= share <= 0.25
    assert (orgs.loc[~from_split_files, "split"] == "train").all()  # later writers train only
    assert (corpus.loc[corpus["org_id"] == "seed_soum_taragt", "split"] == "train").all()


def test_twelve_new_writers_with_every_status_covered(corpus):
    new = corpus[_writer(corpus["file"]).str.fullmatch(r"w\d\d")]
    assert _writer(new["file"]).nunique() >= 12
    assert len(new) >= 1500
    counts = new["status"].value_counts()
    for s in STATUSES:
        assert counts.get(s, 0) >= 150, s


def test_scores_follow_the_rubric(corpus):
    expected = {"done": "100", "partial": "70", "blocked_staffing": "30", "not_done": "0",
                "not_applicable": "", "no_evidence": "0"}
    assert (corpus["score"] == corpus["status"].map(expected)).all()


def test_near_duplicates_under_two_percent(duplicates):
    assert duplicates[0] < 0.02


def test_readme_counts_match_the_files(corpus, duplicates):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"- rows: {len(corpus)}; organisations: {corpus['org_id'].nunique()};" in readme
    for s in STATUSES:
        sub = corpus[corpus["status"] == s]
        line = f"| {s} | {(sub['split'] == 'train').sum()} | {(sub['split'] == 'test').sum()} | {len(sub)} |"
        assert line in readme, line
    rate, n_dup, n = duplicates
    assert f"{n_dup} of {n} = {rate:.2%}" in readme


def test_noise_is_present(corpus):
    text = corpus["narrative"]
    assert text.str.contains(r"<p>|&nbsp;").sum() >= 20
    assert text.str.contains("[єї]").sum() >= 20
    assert text.str.contains(re.compile(r"[а-яө][aeopcx][а-яө]")).sum() >= 10


def test_probe_is_separate_from_the_corpus_and_its_counts_are_documented(corpus):
    probe = load_labelled(DATA / "probe")
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"- probe rows: {len(probe)}; organisations: {probe['org_id'].nunique()};" in readme
    counts = probe["status"].value_counts()
    listed = ", ".join(f"{s} {counts.get(s, 0)}" for s in STATUSES)
    assert f"- probe status counts: {listed}" in readme
    # Four writers of their own: no organisation and no writer of the probe is in the corpus.
    probe_writers = probe["file"].map(lambda f: Path(f).stem)  # probe_c … probe_f
    assert len(probe) >= 400 and probe_writers.nunique() >= 4
    assert not set(probe["org_id"]) & set(corpus["org_id"])
    assert not set(probe_writers) & set(corpus["file"].map(lambda f: Path(f).stem))
