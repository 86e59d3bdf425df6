"""One test per bad input: each gets a clear bilingual error naming the file."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest

from fixtures import SEED, build_docx, build_xlsx, ole_bytes, seed_layout, write, zip_bomb
from nlp.errors import ReportError
from nlp.read import archive
from nlp.read import read_file, read_paths

CYRILLIC = re.compile("[А-Яа-яӨөҮү]")


def read_error(path: Path, match: str) -> ReportError:
    """Read ``path``, expect a ReportError whose English part matches ``match``."""
    with pytest.raises(ReportError) as info:
        read_file(path)
    error = info.value
    assert error.path == str(path)
    assert str(path) in error.message
    assert CYRILLIC.search(error.mn), error.mn
    assert re.search(match, error.en), error.en
    return error


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory) -> Path:
    return build_docx(tmp_path_factory.mktemp("good") / "good.docx", seed_layout())


def test_empty_file(tmp_path):
    read_error(write(tmp_path / "empty.txt", b""), "empty")


def test_blank_text_file(tmp_path):
    read_error(write(tmp_path / "blank.txt", " \n\t\n"), "empty")


def test_empty_docx(tmp_path):
    read_error(write(tmp_path / "empty.docx", b""), "empty")


def test_binary_junk(tmp_path):
    read_error(write(tmp_path / "junk.txt", random.Random(0).randbytes(4096)), "binary")


def test_corrupt_docx_not_a_zip(tmp_path):
    read_error(write(tmp_path / "corrupt.docx", "this is not a word document"), "corrupt .docx.*not a zip")


def test_corrupt_docx_truncated(tmp_path, good_docx):
    read_error(write(tmp_path / "truncated.docx", good_docx.read_bytes()[:2000]), "corrupt .docx")


def test_corrupt_docx_broken_xml(tmp_path, good_docx):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(good_docx) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    read_error(path, "corrupt .docx")


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("xl/workbook.xml", "<workbook><sheets>")
    read_error(path, "corrupt .xlsx")


def test_password_protected_docx(tmp_path):
    read_error(write(tmp_path / "protected.docx", ole_bytes(encrypted=True)), "password-protected")


def test_password_protected_xlsx(tmp_path):
    read_error(write(tmp_path / "protected.xlsx", ole_bytes(encrypted=True)), "password-protected")


def test_legacy_doc_saved_as_docx(tmp_path):
    read_error(write(tmp_path / "old.docx", ole_bytes(encrypted=False)), "legacy binary .doc/.xls")


def test_oversized_archive(tmp_path, good_docx, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", good_docx.stat().st_size - 1)
    read_error(good_docx, "too large")


def test_zip_bomb(tmp_path):
    read_error(zip_bomb(tmp_path / "bomb.docx"), "compression ratio")


def test_archive_unpacking_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED_BYTES", 1000)
    read_error(build_xlsx(tmp_path / "big.xlsx", seed_layout(None)), "unpacks to too many bytes")


def test_archive_with_too_many_entries(tmp_path, good_docx, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    read_error(good_docx, "too many entries")


def test_table_with_no_narrative_column(tmp_path):
    path = write(
        tmp_path / "no_narrative.txt",
        "№\tЗорилт\tХэрэгжүүлэх арга хэмжээ\tХувь\n1.1\t1.1. Томилох\t1.1.1. Томилох\t100\n",
    )
    error = read_error(path, "no narrative column")
    assert error.where == "no_narrative.txt:line 1"


def test_no_table_at_all(tmp_path):
    read_error(write(tmp_path / "letter.txt", "Эрхэм хүндэт дарга аа,\nтайланг хавсаргав.\n"), "no table header")


def test_header_without_rows(tmp_path):
    path = write(tmp_path / "header_only.txt", "№\tЗорилт\tХэрэгжүүлэх арга хэмжээ\tБиелэлт\tХувь\n1\t2\t3\t4\t5\n")
    read_error(path, "no report row")


@pytest.mark.parametrize("name", ["report.json", "report.rtf", "report"])
def test_wrong_extension(tmp_path, name):
    read_error(write(tmp_path / name, SEED.read_bytes()), "extension|save the file as")


def test_legacy_extension_names_the_modern_one(tmp_path):
    error = read_error(write(tmp_path / "report.doc", ole_bytes(encrypted=False)), r"save the file as \.docx")
    assert ".docx" in error.mn


def test_missing_file(tmp_path):
    read_error(tmp_path / "missing.txt", "not found")


def test_a_folder_named_as_a_file(tmp_path):
    with pytest.raises(ReportError, match="not a file"):
        read_file(tmp_path)


def test_bad_files_do_not_stop_the_batch(tmp_path):
    empty = write(tmp_path / "empty.txt", b"")
    wrong = write(tmp_path / "report.json", "{}")
    protected = write(tmp_path / "protected.xlsx", ole_bytes(encrypted=True))
    result = read_paths([empty, SEED, wrong, tmp_path / "missing.docx", protected])
    assert result.files == [str(SEED)]
    assert len(result.rows) == 26
    assert [failure.path for failure in result.failures] == [
        str(empty), str(wrong), str(tmp_path / "missing.docx"), str(protected)
    ]
    for failure in result.failures:
        assert failure.path in failure.message and " / " in failure.message


def test_explicit_wrong_extension_fails_but_in_a_folder_is_skipped(tmp_path):
    wrong = write(tmp_path / "notes.json", "{}")
    assert [f.path for f in read_paths([wrong]).failures] == [str(wrong)]
    folder = read_paths([tmp_path])
    assert folder.failures == [] and folder.files == []
    assert any("notes.json" in w for w in folder.warnings)
