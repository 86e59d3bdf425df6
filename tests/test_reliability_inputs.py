"""A corpus of broken inputs, each scored in a batch beside one good report.

Эвдэрсэн файлууд / Broken inputs. Every input is made here, in the test (no binary fixture is
committed). For each one a folder holds it and a good report (the seed report, 26 rows); the batch
(:func:`nlp.batch.run_score`, what ``biyelelt score`` runs) scores the folder with a tiny model, and:

* the good report's rows are all scored, in order;
* a file that cannot be read is in ``problems.csv`` once, with a message in Mongolian and English
  that names the file and says what is wrong;
* a file that can be read (another encoding, a huge cell, a repeated column) gives all its rows;
* no row is lost: rows in = rows in ``rows.csv`` + rows of the files listed as failures.

:data:`CASES` is the corpus; ``docs/reliability.md`` lists it and the test in
``test_reliability_doc.py`` keeps the two the same.
"""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

import nlp.batch as batch
from _models import MEASURE, TINY, HashEncoder, tiny_frame
from fixtures import SEED, build_docx, build_xlsx, ole_bytes, seed_layout, zip_bomb
from nlp.read import archive
from nlp.learn.train import train

CYRILLIC = re.compile("[А-Яа-яӨөҮү]")
GOOD_NAME = "000_good.txt"
GOOD_ROWS = 26  # the seed report
BIG_CELL_BYTES = 10 * 1024 * 1024

# --------------------------------------------------------------------------------------------
# what the inputs are made of

_WORDS = ["сургалт", "зохион", "байгуулсан.", "албан", "хаагч", "Төлөвлөгөө", "батлуулсан", "хяналт", "тавьсан",
          "иргэн", "мэдээлэл", "2024", "онд", "ил", "тод", "Шилэн", "дансанд", "байршуулсан."]


def _records(n: int = 6) -> list[dict]:
    return [{"measure_no": f"1.{i + 1}", "measure": MEASURE, "narrative": TINY[i][0], "reported_percent": TINY[i][2]}
            for i in range(n)]


def _csv_text(records: list[dict], columns: list[str] | None = None) -> str:
    frame = pd.DataFrame(records)
    return frame.to_csv(index=False, columns=columns, lineterminator="\n")


def _legacy(text: str) -> str:
    """Ө/Ү as Windows-1251 has no such letters: typed with Є/Ї, as legacy Mongolian fonts did."""
    return text.translate(str.maketrans("ӨөҮү", "ЄєЇї"))


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _many_entries(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(archive.MAX_ENTRIES + 1):
            package.writestr(f"xl/parts/{i}.xml", "")


def _big_cell_text() -> tuple[str, str]:
    """A CSV of three rows whose second narrative is a single 10 MB cell; and that cell."""
    rng = random.Random(13)
    words = []
    size = 0
    while size < BIG_CELL_BYTES:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word.encode("utf-8")) + 1
    big = " ".join(words)
    records = _records(3)
    records[1]["narrative"] = big
    return _csv_text(records), big


def _short_rows() -> str:
    """A report form whose data rows stop before the last columns (no narrative, no percent cell)."""
    return "\n".join([
        "№\tЗорилт\tХэрэгжүүлэх арга хэмжээ\tБиелэлт\tХувь",
        "1\t1.1. Ил тод байдал\t1.1.1. Мэдээллийг ил тод болгох\tШилэн дансанд байршуулсан.\t100",
        "2\t\t1.1.2. Сургалт зохион байгуулах\tСургалтад 40 хүн хамрагдсан.",
        "3\t\t1.1.3. Хяналт тавих",
        "4\t\t1.1.4. Тайлагнах\tТайланг хүргүүлсэн.\t90",
    ]) + "\n"


def _late_nul() -> bytes:
    """A CSV whose first 64 KiB are clean text (so it is not taken for binary) and whose row 601 holds a NUL byte."""
    records = [{"measure_no": f"1.{i + 1}", "measure": MEASURE, "narrative": TINY[i % len(TINY)][0] + f" ({i})",
                "reported_percent": "100"} for i in range(800)]
    records[600]["narrative"] = "эвдэрсэн\x00мөр"
    return _csv_text(records).encode("utf-8")


# --------------------------------------------------------------------------------------------
# the corpus


@dataclass(frozen=True)
class Case:
    """One broken input.

    name : the file's name (its extension is part of the case).
    build : writes the file, given its path and the module's good .docx/.xlsx.
    rows : the report rows the file holds (all of them must be scored or listed).
    fails : the English half of the failure message (a regex), or None when the file must be read.
    warns : for a file that is read, the English half of a file warning it must give (a regex).
    check : more checks on the rows read from the file.
    """

    name: str
    build: Callable[[Path, dict], None]
    rows: int
    fails: str | None = None
    warns: str | None = None
    check: Callable[[pd.DataFrame], None] | None = field(default=None, compare=False)


def _bytes(make: Callable[[dict], bytes]) -> Callable[[Path, dict], None]:
    return lambda path, built: path.write_bytes(make(built))


def _narratives_are(expected: list[str]) -> Callable[[pd.DataFrame], None]:
    def check(rows: pd.DataFrame) -> None:
        assert list(rows["narrative"]) == expected

    return check


def _measure_numbers_are(expected: list[str]) -> Callable[[pd.DataFrame], None]:
    def check(rows: pd.DataFrame) -> None:  # a byte-order mark left in the first column's name would lose them
        assert list(rows["measure_no"]) == expected

    return check


def _big_cell_cut(rows: pd.DataFrame) -> None:
    assert list(rows["narrative"].str.len() <= archive.MAX_CELL_CHARS) == [True, True, True]
    assert len(rows["narrative"].iloc[1]) == archive.MAX_CELL_CHARS
    assert "too long" in rows["warnings"].iloc[1] and "хэт урт" in rows["warnings"].iloc[1]
    assert list(rows["narrative"].iloc[[0, 2]]) == [TINY[0][0], TINY[2][0]]


def _nul_row_kept(rows: pd.DataFrame) -> None:
    assert rows["narrative"].iloc[600].startswith("эвдэрсэн") and rows["narrative"].iloc[600].endswith("мөр")
    assert list(rows["row_id"].astype(int)) == list(range(1, 801))


def _short_rows_read(rows: pd.DataFrame) -> None:
    assert list(rows["measure_no"]) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    assert list(rows["narrative"]) == ["Шилэн дансанд байршуулсан.", "Сургалтад 40 хүн хамрагдсан.", "",
                                       "Тайланг хүргүүлсэн."]


SIX = [TINY[i][0] for i in range(6)]

CASES: tuple[Case, ...] = (
    Case("empty.txt", _bytes(lambda b: b""), 0, fails=r"the file is empty"),
    Case("blank.csv", _bytes(lambda b: b" \r\n\t\r\n"), 0, fails=r"the file is empty"),
    Case("garbage.txt", _bytes(lambda b: random.Random(0).randbytes(4096)), 0, fails=r"not text: it holds binary"),
    Case("garbage.xlsx", _bytes(lambda b: random.Random(1).randbytes(4096)), 0,
         fails=r"corrupt \.xlsx file: not a zip archive"),
    Case("truncated.docx", _bytes(lambda b: _truncated(b["docx"])), GOOD_ROWS,
         fails=r"corrupt \.docx file: broken zip archive"),
    Case("truncated.xlsx", _bytes(lambda b: _truncated(b["xlsx"])), GOOD_ROWS,
         fails=r"corrupt \.xlsx file: broken zip archive"),
    Case("old-word.docx", _bytes(lambda b: ole_bytes(encrypted=False)), 0,
         fails=r"legacy binary \.doc/\.xls file; save it as \.docx or \.xlsx"),
    Case("encrypted.xlsx", _bytes(lambda b: ole_bytes(encrypted=True)), 0,
         fails=r"password-protected; save it without a password"),
    Case("bomb-ratio.docx", lambda path, b: zip_bomb(path), 0, fails=r"compression ratio is too high .*zip bomb"),
    Case("bomb-entries.xlsx", lambda path, b: _many_entries(path), 0, fails=r"archive has too many entries"),
    Case("xlsx-named.csv", _bytes(lambda b: b["xlsx"]), GOOD_ROWS,
         fails=r"not text but a zip archive .*named \.csv; check its extension"),
    Case("csv-named.xlsx", _bytes(lambda b: _csv_text(_records()).encode()), 6,
         fails=r"corrupt \.xlsx file: not a zip archive"),
    Case("csv-named.pdf", _bytes(lambda b: _csv_text(_records()).encode()), 6, fails=r"not a PDF file"),
    Case("cp1251.csv", _bytes(lambda b: _legacy(_csv_text(_records())).encode("cp1251")), 6,
         check=_narratives_are(SIX)),
    Case("utf16.csv", _bytes(lambda b: _csv_text(_records()).encode("utf-16")), 6, check=_narratives_are(SIX)),
    Case("utf8-bom.csv", _bytes(lambda b: _csv_text(_records()).encode("utf-8-sig")), 6,
         check=_measure_numbers_are([f"1.{i}" for i in range(1, 7)])),
    Case("utf8-with-cp1251-lines.csv",
         _bytes(lambda b: _csv_text(_records(4)).encode() + _legacy(_csv_text(_records(6)[4:]).split("\n", 1)[1])
                .encode("cp1251")), 6, check=_narratives_are(SIX)),
    Case("big-cell.csv", _bytes(lambda b: _big_cell_text()[0].encode()), 3, check=_big_cell_cut),
    Case("no-narrative.csv", _bytes(lambda b: _csv_text(_records(3), ["measure_no", "measure", "reported_percent"])
                                    .encode()), 3, fails=r"header has no narrative column"),
    Case("short-rows.txt", _bytes(lambda b: _short_rows().encode()), 4, check=_short_rows_read),
    Case("duplicate-column.csv",
         _bytes(lambda b: ("measure_no,narrative,narrative,reported_percent\n"
                           "1.1,Сургалт зохион байгуулсан.,Өөр текст.,100\n"
                           "1.2,Хийгдээгүй.,,0\n").encode()), 2,
         warns=r"column 'narrative' repeats an earlier one: ignored",
         check=_narratives_are(["Сургалт зохион байгуулсан.", "Хийгдээгүй."])),
    Case("duplicate-header.csv",
         _bytes(lambda b: (_csv_text(_records(3)) + _csv_text(_records(6)[3:])).encode()), 6,
         check=_narratives_are(SIX)),
    Case("late-nul.csv", _bytes(lambda b: _late_nul()), 800, check=_nul_row_kept),
)
N_CASES = len(CASES)
N_FAILING = sum(case.fails is not None for case in CASES)
#: Report rows the corpus holds, besides the good report beside each case.
N_CASE_ROWS = sum(case.rows for case in CASES)


# --------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """A good .docx and .xlsx of the seed report, to truncate or misname."""
    folder = tmp_path_factory.mktemp("good")
    layout = seed_layout()
    return {"docx": build_docx(folder / "seed.docx", layout).read_bytes(),
            "xlsx": build_xlsx(folder / "seed.xlsx", layout).read_bytes()}


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return train(tiny_frame(1), tmp_path_factory.mktemp("model") / "m", encoder_spec=None, encoder=HashEncoder(),
                 classifier={"calibration": None})


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def bilingual_naming(message: str, path: Path, english: str) -> None:
    """``message`` names ``path`` and says what is wrong in Mongolian, then in English."""
    assert message.startswith(str(path)), message
    mn, en = message[len(str(path)):].split(" / ", 1)
    assert CYRILLIC.search(mn), message
    assert re.search(english, en), (english, en)
    assert re.search(r"[a-z]{2,} [a-z]{2,}", en), en


def _score(folder: Path, out: Path, model, cache: Path) -> batch.RunSummary:
    return batch.run_score([folder], out, model, encoder=HashEncoder(), cache=cache, jobs=1, progress=False)


# --------------------------------------------------------------------------------------------
# the tests


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_input_beside_a_good_report(case, built, model, cache, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / GOOD_NAME
    shutil.copy(SEED, good)
    bad = folder / case.name
    case.build(bad, built)
    summary = _score(folder, tmp_path / "out", model, cache)

    rows = pd.read_csv(tmp_path / "out" / "rows.csv", dtype=str, keep_default_na=False)
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", dtype=str, keep_default_na=False)
    assert set(rows["source"]) <= {str(good), str(bad)}

    # the good report: every row scored, in order
    good_rows = rows[rows["source"] == str(good)]
    assert list(good_rows["row_id"].astype(int)) == list(range(1, GOOD_ROWS + 1))
    assert (good_rows["status"] != "").all()

    failures = problems[problems["kind"] == "failure"]
    warnings = problems[problems["kind"] == "warning"]
    bad_rows = rows[rows["source"] == str(bad)]
    if case.fails is not None:
        # listed once, named, explained in both languages; its rows are the rows of a listed failure
        assert list(failures["source"]) == [str(bad)] and [f.path for f in summary.failures] == [str(bad)]
        bilingual_naming(failures["message"].iloc[0], bad, case.fails)
        assert bad_rows.empty
        listed = case.rows
    else:
        assert failures.empty, list(failures["message"])
        assert len(bad_rows) == case.rows
        assert (bad_rows["status"] != "").all()
        if case.check is not None:
            case.check(bad_rows)
        listed = 0
    if case.warns is not None:
        named = [m for m in warnings["message"] if m.startswith(f"{bad} (")]
        assert len(named) == 1 and re.search(case.warns, named[0]) and CYRILLIC.search(named[0]), named
    else:
        assert not any(m.startswith(str(bad)) for m in warnings["message"]), list(warnings["message"])

    rows_in = GOOD_ROWS + case.rows
    lost = rows_in - (len(good_rows) + len(bad_rows) + listed)
    assert lost == 0
    assert summary.n_rows == len(rows) == len(good_rows) + len(bad_rows)


def test_the_whole_corpus_through_the_command_line(built, tmp_path, capsys):
    """``biyelelt score`` over every broken input (all but the 10 MB one) and two good reports at once."""
    from nlp.cli import main

    plain = train(tiny_frame(1), tmp_path / "plain", encoder_spec=None, classifier={"calibration": None})
    folder = tmp_path / "year"
    folder.mkdir()
    shutil.copy(SEED, folder / GOOD_NAME)
    shutil.copy(SEED, folder / "zzz_good.txt")
    cases = [case for case in CASES if case.name != "big-cell.csv"]
    for case in cases:
        case.build(folder / case.name, built)
    code = main(["score", str(folder), "--out", str(tmp_path / "out"), "--model", str(plain.path),
                 "--cache", str(tmp_path / "cache"), "--jobs", "2", "--chunk-rows", "40", "--no-progress",
                 "--formats", "none"])
    err = capsys.readouterr().err
    assert code == 1
    failing = [case for case in cases if case.fails is not None]
    for case in failing:
        line = next(line for line in err.splitlines() if str(folder / case.name) in line)
        bilingual_naming(line.split(": ", 1)[1], folder / case.name, case.fails)
    rows = pd.read_csv(tmp_path / "out" / "rows.csv", dtype=str, keep_default_na=False)
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", dtype=str, keep_default_na=False)
    assert sorted(problems.loc[problems["kind"] == "failure", "source"]) == sorted(
        str(folder / case.name) for case in failing)
    rows_in = 2 * GOOD_ROWS + sum(case.rows for case in cases)
    listed = sum(case.rows for case in failing)
    assert len(rows) + listed == rows_in  # no row lost


def test_the_corpus_covers_every_kind_of_broken_input():
    names = " ".join(case.name for case in CASES)
    for kind in ("empty", "garbage", "truncated.docx", "truncated.xlsx", "old-word.docx", "bomb-ratio",
                 "bomb-entries", "xlsx-named.csv", "csv-named.xlsx", "cp1251", "utf16", "utf8-bom", "big-cell",
                 "no-narrative", "duplicate-column", "duplicate-header"):
        assert kind in names, kind
    assert len({case.name for case in CASES}) == N_CASES
