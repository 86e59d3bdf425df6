"""``biyelelt parse``: summary, output files and exit status."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from fixtures import SEED, read_table
from nlp.cli import build_parser, main
from nlp.read import ROW_COLUMNS


def summary(text: str) -> dict[str, int]:
    """The numbers of the summary lines, keyed by their English word."""
    found = {}
    for english in ("files", "rows", "warnings", "failures"):
        match = re.search(rf"/ {english}: (\d+)", text)
        assert match, (english, text)
        found[english] = int(match.group(1))
    return found


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_parse_writes_rows_and_prints_summary(tmp_path, capsys, suffix):
    out = tmp_path / f"rows{suffix}"
    assert main(["parse", str(SEED), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert summary(printed.out) == {"files": 1, "rows": 26, "warnings": 3, "failures": 0}
    assert "line 56" in printed.err
    back = read_table(out)
    assert list(back.columns) == list(ROW_COLUMNS)
    assert len(back) == 26


def test_parse_folder_and_bad_file_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    out = tmp_path / "rows.csv"
    assert main(["parse", str(SEED.parent), str(bad), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert summary(printed.out)["files"] == 1
    assert summary(printed.out)["failures"] == 1
    assert "bad.docx" in printed.err and "corrupt .docx" in printed.err
    assert len(pd.read_csv(out)) == 26


def test_parse_without_out_only_checks(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["parse", str(SEED)]) == 0
    assert summary(capsys.readouterr().out)["rows"] == 26
    assert list(tmp_path.iterdir()) == []


def test_parse_missing_file_exits_1(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "missing.txt")]) == 1
    assert "not found" in capsys.readouterr().err


def test_parse_empty_folder_exits_1(tmp_path, capsys):
    assert main(["parse", str(tmp_path)]) == 1
    assert "no report file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["parse"],
        ["parse", str(SEED), "--out", "rows.json"],
        ["parse", str(SEED), "--unknown"],
        ["nosuchcommand"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err


def test_help_is_in_mongolian_and_english(capsys):
    assert main(["parse", "--help"]) == 0
    text = capsys.readouterr().out
    assert "FILE_OR_DIR" in text and "--out" in text
    assert "тайлан" in text.lower() and "report" in text.lower()
    assert "exit status" in text and "Гарах төлөв" in text


def test_parser_has_one_function_per_subcommand():
    args = build_parser().parse_args(["parse", "a.txt", "--out", "r.parquet"])
    assert args.func.__name__ == "cmd_parse"
    assert args.inputs == ["a.txt"] and args.out == "r.parquet"
