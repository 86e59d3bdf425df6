"""Read submitted implementation reports into one table of clean rows.

Тайланг уншиж, арга хэмжээ бүрийг нэг мөр болгоно / Reads a report into one row
per measure.

Stage 1 of the pipeline (read → judge → outputs → review). May import only the shared base
(:mod:`nlp.errors`, :mod:`nlp.settings`, :mod:`nlp.text`) and its own modules.

Inputs: raw text dumps (tab-separated cells with HTML fragments), ``.docx``,
``.xlsx``, ``.csv``, ``.html`` and ``.pdf`` with a text layer. A ``.csv`` or
``.xlsx`` whose header has a ``narrative`` (or ``Биелэлт``) column is read as
rows already parsed. The output schema is :data:`ROW_COLUMNS`, described in
``docs/rows-schema.md``.

Examples
--------
>>> from nlp.read import read_file, read_paths
>>> rows = read_file("data/examples/000_1fb14d448e6d2ac5.txt")  # doctest: +SKIP
>>> result = read_paths(["data/examples"])  # doctest: +SKIP
>>> result.rows.shape, result.failures  # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Failure, ReportError, bilingual
from .assemble import Row, assemble, snippet
from .formats import SUPPORTED_EXTENSIONS, Document, RawRow, load_document
from . import archive
from .preparsed import ignored_columns, preparsed_columns, preparsed_rows
from .schema import DTYPES, ROW_COLUMNS, WARNING_SEPARATOR

__all__ = [
    "ROW_COLUMNS",
    "TABLE_EXTENSIONS",
    "WARNING_SEPARATOR",
    "ReadResult",
    "empty_rows",
    "read_file",
    "read_paths",
    "write_table",
]

#: Extensions written by :func:`write_table`.
TABLE_EXTENSIONS = (".csv", ".parquet", ".xlsx")
# Extensions a folder walk hands to the reader: the supported ones, and the legacy
# Office ones so that a .doc gets its "save as .docx" failure instead of being skipped.
_FOLDER_EXTENSIONS = frozenset(SUPPORTED_EXTENSIONS) | {".doc", ".xls"}


@dataclass
class ReadResult:
    """What :func:`read_paths` read.

    Attributes
    ----------
    rows : pandas.DataFrame
        The rows of all files read, file after file, columns :data:`ROW_COLUMNS`.
    files : list of str
        The files read, as given or as found in a folder.
    failures : list of nlp.errors.Failure
        The files that could not be read, each with its bilingual message.
    warnings : list of str
        Messages about files or the batch as a whole (an orphan fragment, a
        skipped file), each naming its file.
    """

    rows: pd.DataFrame
    files: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def empty_rows() -> pd.DataFrame:
    """An empty rows table with the columns and dtypes of :data:`ROW_COLUMNS`."""
    return _frame([])


def _frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(ROW_COLUMNS)).astype(DTYPES)


def _cap_cells(row: Row) -> None:
    """Cut a text cell longer than :data:`nlp.read.archive.MAX_CELL_CHARS`, with a row warning.

    The raw narrative is kept whole; the scorer reads the cut text.
    """
    limit = archive.MAX_CELL_CHARS
    for name in ("objective", "target", "measure", "narrative"):
        text = getattr(row, name)
        if len(text) > limit:
            setattr(row, name, text[:limit])
            row.warnings.append(bilingual(
                f"{name} нүд хэт урт ({len(text)} тэмдэгт): эхний {limit} тэмдэгтийг уншив",
                f"the {name} cell is too long ({len(text)} characters): its first {limit} were read",
            ))


def _records(rows: list[Row], report_id: str, source: str, year: int | None) -> list[dict]:
    records = []
    positions: dict[str, int] = {}
    for row in rows:
        _cap_cells(row)
        rid = row.report_id or report_id
        positions[rid] = positions.get(rid, 0) + 1
        row_year = row.year if row.year is not None else year
        records.append({
            "report_id": rid,
            "source": source,
            "org": row.org or "",
            "year": pd.NA if row_year is None else row_year,
            "row_id": positions[rid],
            "objective_no": row.objective_no,
            "objective": row.objective,
            "target_no": row.target_no,
            "target": row.target,
            "measure_no": row.measure_no,
            "measure": row.measure,
            "narrative": row.narrative,
            "narrative_raw": row.narrative_raw,
            "reported_percent": row.reported_percent,
            "reported_raw": row.reported_raw,
            "location": row.location,
            "warnings": WARNING_SEPARATOR.join(row.warnings),
        })
    return records


def _tables(rows: list[RawRow]) -> list[list[RawRow]]:
    groups: dict[int | None, list[RawRow]] = {}
    for row in rows:
        groups.setdefault(row.table, []).append(row)
    return list(groups.values())


def _parse_document(document: Document, source: str) -> tuple[list[Row], list[tuple[str, str]], int | None]:
    """Rows, file-level warnings and year of a document, pre-parsed tables first."""
    if document.kind in ("csv", "xlsx"):
        parsed: list[Row] = []
        other: list[list[RawRow]] = []
        notes: list[tuple[str, str]] = []
        for table in _tables(document.rows):
            filled = [row for row in table if any(cell.strip() for cell in row.cells)]
            columns = preparsed_columns(filled[0].cells) if filled else None
            if columns is not None:
                parsed.extend(preparsed_rows(filled[1:], columns))
                notes.extend(
                    (filled[0].location, bilingual(
                        f"«{snippet(name)}» багана давхардсан тул алгасав (эхнийхийг уншив)",
                        f"column '{snippet(name)}' repeats an earlier one: ignored (the first is read)",
                    ))
                    for name in ignored_columns(filled[0].cells, columns)
                )
            elif filled:
                other.append(filled)
        if parsed:
            skipped = [
                (table[0].location, bilingual("мөрийн хүснэгт биш тул алгасав", "not a rows table: skipped"))
                for table in other
            ]
            return parsed, notes + skipped, None
    assembled = assemble(document.rows, source)
    return assembled.rows, assembled.warnings, assembled.year


def read_source(source: str, report_id: str | None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Read one file into rows and its (location, message) warnings; used by the batch too.

    Raises
    ------
    ReportError
        When the file is missing, unreadable or holds no report row.
    """
    file = Path(source)
    if not file.exists():
        raise ReportError("файл олдсонгүй", "file not found", path=source)
    if not file.is_file():
        raise ReportError("энэ нь файл биш (хавтас?)", "not a file (a folder?)", path=source)
    document = load_document(file)
    rows, warnings, year = _parse_document(document, source)
    if not rows:
        raise ReportError(
            "тайлангаас нэг ч арга хэмжээний мөр олдсонгүй",
            "no report row (measure) was found in the file",
            path=source,
        )
    return _frame(_records(rows, report_id or file.stem, source, year)), warnings


def read_file(path: str | os.PathLike, report_id: str | None = None) -> pd.DataFrame:
    """Read one report file into rows.

    Parameters
    ----------
    path : str or path-like
        The file: ``.txt``/``.tsv`` text dump, ``.docx``, ``.xlsx``, ``.csv``,
        ``.html``/``.htm`` or ``.pdf``.
    report_id : str, optional
        The report's id; default the file's stem. A pre-parsed table's own
        ``report_id`` column wins where it is filled.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ROW_COLUMNS`, one row per measure cell in document
        order. ``df.attrs["warnings"]`` lists the file-level warnings (an
        orphan fragment, a skipped table) as ``"location: message"``.

    Raises
    ------
    nlp.errors.ReportError
        When the file is missing, of a wrong extension, empty, binary, corrupt,
        password-protected, oversized, has no table with a narrative column or
        gives no row. The message is in Mongolian and English and names the file.
    """
    frame, warnings = read_source(os.fspath(path), report_id)
    frame.attrs["warnings"] = [f"{where}: {message}" for where, message in warnings]
    return frame


def _walk(folder: Path, warnings: list[str]) -> Iterator[Path]:
    """Files under ``folder`` in sorted order; hidden ones ignored, unknown ones warned."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root) / name
            if name.startswith("."):
                continue
            if name.startswith("~$"):
                warnings.append(f"{file}: " + bilingual("Office-ийн түр файлыг алгасав", "Office lock file skipped"))
            elif file.suffix.lower() not in _FOLDER_EXTENSIONS:
                warnings.append(
                    f"{file}: " + bilingual("танигдаагүй өргөтгөлтэй файлыг алгасав", "unknown extension, file skipped")
                )
            else:
                yield file


def expand_inputs(paths: Iterable[str | os.PathLike], warnings: list[str]) -> Iterator[str]:
    """The files to read, in a stable order: folders walked, skipped files appended to ``warnings``."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            before = len(warnings)
            found = False
            for file in _walk(path, warnings):
                found = True
                yield str(file)
            if not found and len(warnings) == before:
                warnings.append(f"{path}: " + bilingual("хавтаст тайлан алга", "no report file in the folder"))
        else:
            yield os.fspath(given)


def read_paths(paths: Iterable[str | os.PathLike]) -> ReadResult:
    """Read a batch of files and folders; a bad file does not stop the batch.

    Parameters
    ----------
    paths : iterable of str or path-like
        Files and folders. Folders are walked recursively in sorted order;
        hidden files are ignored and files of unknown extension skipped with a
        warning, while a file named explicitly with a wrong extension is a failure.

    Returns
    -------
    ReadResult
        All rows in order, the files read, the failures and the warnings.
    """
    result = ReadResult(rows=empty_rows())
    frames = []
    seen: set[str] = set()
    owner: dict[str, str] = {}
    for source in expand_inputs(paths, result.warnings):
        key = os.path.realpath(source)
        if key in seen:
            result.warnings.append(f"{source}: " + bilingual("файл давхар өгөгдсөн, нэг удаа уншив", "file given twice, read once"))
            continue
        seen.add(key)
        try:
            frame, warnings = read_source(source, None)
        except ReportError as error:
            result.failures.append(Failure(source, error.message))
            continue
        frames.append(frame)
        result.files.append(source)
        result.warnings.extend(f"{source} ({where}): {message}" for where, message in warnings)
        for report_id in dict.fromkeys(frame["report_id"]):
            if report_id in owner:
                result.warnings.append(f"{source}: " + bilingual(
                    f"report_id «{report_id}» {owner[report_id]} файлд бас байна",
                    f"report_id '{report_id}' is also used by {owner[report_id]}",
                ))
            else:
                owner[report_id] = source
    if frames:
        result.rows = pd.concat(frames, ignore_index=True)
    return result


def _joined(value: object) -> object:
    if isinstance(value, (list, tuple, np.ndarray)):
        return WARNING_SEPARATOR.join(str(item) for item in value)
    return value


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a rows table as ``.csv``, ``.parquet`` or ``.xlsx``, by extension.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; list-like cells (warnings kept as lists) are joined with
        ``" | "`` in CSV and Excel.
    path : str or path-like
        The output file; missing parent folders are created.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        For an extension other than ``.csv``, ``.parquet`` or ``.xlsx``.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        raise ValueError(bilingual(
            f"гаралтын файлын өргөтгөл {', '.join(TABLE_EXTENSIONS)}-ийн нэг байх ёстой: {out}",
            f"output extension must be one of {', '.join(TABLE_EXTENSIONS)}: {out}",
        ))
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        table = frame.copy()
        table.attrs = {}
        table.to_parquet(out, index=False)
        return out
    table = frame.copy()
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].map(_joined)
    if suffix == ".csv":
        table.to_csv(out, index=False, encoding="utf-8", lineterminator="\n", float_format="%.10g")
    else:
        _write_xlsx(table, out)
    return out


def _excel_value(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write_xlsx(table: pd.DataFrame, out: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "rows"
    sheet.append([str(column) for column in table.columns])
    for record in table.itertuples(index=False, name=None):
        sheet.append([_excel_value(value) for value in record])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
                cell.data_type = "s"
    workbook.save(out)
