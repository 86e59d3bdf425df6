"""Turn a submitted file into raw cell rows, each with its place in the file.

Every reader gives the same thing: a list of :class:`RawRow` in document order.
A table row is a tuple of cell texts (the text of a merged cell stands in its
first cell, the cells it covers are empty); a paragraph or a line outside a
table is a row of one cell. What the rows mean is decided later by
:mod:`nlp.read.assemble` or :mod:`nlp.read.preparsed`.

The format comes from the extension, checked against the content: a ``.docx``
must be a zip, a text file must be text, and a ``.txt`` that holds an HTML
table is read as HTML.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportError
from .archive import MAX_TEXT_BYTES, OLE_MAGIC, ZIP_MAGIC, check_size, describe_ole
from .schema import RawRow

__all__ = [
    "Document",
    "SUPPORTED_EXTENSIONS",
    "load_document",
    "read_text",
    "text_dump_rows",
    "csv_rows",
]

#: Extensions read, and the reader each one uses.
SUPPORTED_EXTENSIONS = {
    ".txt": "text",
    ".tsv": "text",
    ".csv": "csv",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_LEGACY_EXTENSIONS = {".doc": ".docx", ".xls": ".xlsx", ".rtf": ".docx", ".odt": ".docx", ".ods": ".xlsx"}
_HTML_TABLE = re.compile(r"<\s*table\b", re.IGNORECASE)
# Control characters that never occur in a text report (tab, newlines, form feed allowed).
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass
class Document:
    """The raw rows of one file, and how they were read.

    Attributes
    ----------
    rows : list of RawRow
        All rows in document order.
    kind : str
        The reader used: ``"text"``, ``"csv"``, ``"docx"``, ``"xlsx"``, ``"html"`` or ``"pdf"``.
    """

    rows: list[RawRow]
    kind: str


def _empty(path: Path) -> ReportError:
    return ReportError("файл хоосон байна", "the file is empty", path=path)


def _binary(path: Path) -> ReportError:
    return ReportError(
        "файл текст биш, уншигдахгүй өгөгдөл агуулж байна",
        "the file is not text: it holds binary data",
        path=path,
    )


def _zip_named_as_text(path: Path) -> ReportError:
    return ReportError(
        f"файл текст биш, zip архив (.docx эсвэл .xlsx?) боловч {path.suffix} өргөтгөлтэй; өргөтгөлийг шалгана уу",
        f"the file is not text but a zip archive (a .docx or .xlsx?) named {path.suffix}; check its extension",
        path=path,
    )


def _decode_legacy(data: bytes) -> str:
    """Text that is not all UTF-8: Windows-1251, or line by line when most lines are UTF-8.

    A UTF-8 file into which lines from a Windows-1251 file were pasted keeps its UTF-8
    lines instead of turning every one of them into mojibake.
    """
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    utf8 = legacy = 0
    for line in lines:
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8 += 1
            except UnicodeDecodeError:
                legacy += 1
    if utf8 <= legacy:
        return data.decode("cp1251", errors="replace")
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1251", errors="replace"))
    return "\n".join(out)


def read_text(path: Path) -> str:
    """Read a text file, guessing its encoding, and refuse binary content.

    Parameters
    ----------
    path : Path
        A ``.txt``, ``.csv`` or ``.html`` file.

    Returns
    -------
    str
        The decoded text, line ends turned into ``"\\n"``.

    Raises
    ------
    ReportError
        When the file is too large, empty, binary or cannot be decoded.

    Notes
    -----
    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark
    are tried first, then Windows-1251, the legacy Cyrillic code page (line by
    line when most lines are UTF-8).
    """
    check_size(path, MAX_TEXT_BYTES)
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _binary(path) from None
    else:
        if data.startswith(OLE_MAGIC):
            raise describe_ole(path, data)
        head = data[: 1 << 16]
        if data.startswith(ZIP_MAGIC):
            raise _zip_named_as_text(path)
        if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 200:
            raise _binary(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _empty(path)
    return text


def text_dump_rows(text: str, name: str) -> list[RawRow]:
    """Rows of a raw text dump: one line a row, cells separated by tabs.

    Parameters
    ----------
    text : str
        The decoded file.
    name : str
        The file name used in locations (``"report.txt:line 12"``).

    Returns
    -------
    list of RawRow
    """
    return [
        RawRow(tuple(line.split("\t")), f"{name}:line {number}", 1)
        for number, line in enumerate(text.split("\n"), start=1)
    ]


def csv_rows(text: str, name: str) -> list[RawRow]:
    """Rows of a CSV file; the delimiter (``,``, ``;`` or tab) is guessed.

    Parameters
    ----------
    text : str
        The decoded file.
    name : str
        The file name used in locations (``"rows.csv:line 3"``, the record's first line).

    Returns
    -------
    list of RawRow
    """
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # A cell may be as large as the file (a text file is read up to MAX_TEXT_BYTES), not just 128 KiB.
    if csv.field_size_limit() < MAX_TEXT_BYTES:
        csv.field_size_limit(MAX_TEXT_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start = 1
    for record in reader:
        rows.append(RawRow(tuple(record), f"{name}:line {start}", 1))
        start = reader.line_num + 1
    return rows


def _is_tab_dump(text: str) -> bool:
    """Whether some line holds three or more tab-separated cells with text.

    Such a file is a text dump even when a narrative in it carries an inline
    HTML ``<table>``; an HTML page saved as ``.txt`` indents with tabs but
    keeps at most one piece of text on a line.
    """
    return any(
        sum(1 for cell in line.split("\t") if cell.strip()) >= 3
        for line in text.split("\n")
        if "\t" in line
    )


def load_document(path: Path) -> Document:
    """Read a file into raw rows with the reader its extension and content call for.

    Parameters
    ----------
    path : Path
        An existing file.

    Returns
    -------
    Document

    Raises
    ------
    ReportError
        For an unsupported or legacy extension, an empty, binary, corrupt,
        protected or oversized file.
    """
    suffix = path.suffix.lower()
    if suffix in _LEGACY_EXTENSIONS:
        new = _LEGACY_EXTENSIONS[suffix]
        raise ReportError(
            f"{suffix} хэлбэрийг уншихгүй; {new} болгон хадгална уу",
            f"{suffix} files are not read; save the file as {new}",
            path=path,
        )
    kind = SUPPORTED_EXTENSIONS.get(suffix)
    if kind is None:
        known = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise ReportError(
            f"«{suffix or '(өргөтгөлгүй)'}» өргөтгөлтэй файлыг уншихгүй; дэмжих өргөтгөл: {known}",
            f"unsupported file extension '{suffix or '(none)'}'; supported: {known}",
            path=path,
        )
    if path.stat().st_size == 0:
        raise _empty(path)
    if kind == "docx":
        from .office import docx_rows

        return Document(docx_rows(path), kind)
    if kind == "xlsx":
        from .office import xlsx_rows

        return Document(xlsx_rows(path), kind)
    if kind == "pdf":
        from .pdf import pdf_rows

        return Document(pdf_rows(path), kind)
    text = read_text(path)
    if kind == "html" or (kind == "text" and _HTML_TABLE.search(text) and not _is_tab_dump(text)):
        from .htmltable import html_rows

        return Document(html_rows(text), "html")
    if kind == "csv":
        try:
            return Document(csv_rows(text, path.name), kind)
        except csv.Error as exc:
            raise ReportError("CSV файл эвдэрсэн, уншигдахгүй байна", f"broken CSV file ({exc})", path=path) from None
    return Document(text_dump_rows(text, path.name), kind)
