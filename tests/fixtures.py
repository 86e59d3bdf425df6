"""Builders of test inputs: the seed report written as .docx, .xlsx, .html and .pdf.

The seed text dump is laid out once (:func:`seed_layout`) as paragraphs and
tables, with the merged cells a word processor would make: an objective
heading spans the whole row, and empty № and target cells under a filled one
are merged into it. Each builder writes that layout in its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nlp.text import strip_html

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt"
#: The seed line where the narrative of 3.2.1 goes on after a page break.
SEED_PAGE_BREAK_LINE = 36
MERGED_COLUMNS = (0, 1)  # № and target


@dataclass
class Table:
    """Rows of cells, with the vertical merges (top row, column) → span."""

    rows: list[list[str]] = field(default_factory=list)
    spans: dict[tuple[int, int], int] = field(default_factory=dict)
    covered: set[tuple[int, int]] = field(default_factory=set)

    def full_width(self, r: int) -> bool:
        """A row whose only text is in its first cell (a heading, a fragment) spans the row."""
        row = self.rows[r]
        return len(row) > 1 and bool(row[0]) and not any(row[1:])


def _is_data(row: list[str]) -> bool:
    """A row with a numbered measure cell (not a header, column-number or separator row)."""
    return len(row) > 2 and re.match(r"\d+\.\d", row[2]) is not None


def _merge(table: Table) -> Table:
    for column in MERGED_COLUMNS:
        top = None
        for r, row in enumerate(table.rows):
            if not _is_data(row):
                top = None
            elif row[column]:
                top = r
            elif top is not None:
                table.spans[(top, column)] = r - top + 1
                table.covered.add((r, column))
    return table


def seed_lines() -> list[list[str]]:
    """The seed's lines split into cells."""
    return [line.split("\t") for line in SEED.read_text(encoding="utf-8").split("\n")]


def seed_layout(page_break_line: int | None = SEED_PAGE_BREAK_LINE) -> list[tuple[str, object]]:
    """The seed as blocks: ``("paragraph", text)``, ``("table", Table)``, ``("page_break", None)``.

    One-cell lines become paragraphs (blank ones are dropped); runs of
    multi-cell lines become tables. At ``page_break_line`` the table is cut:
    a page break, then a new table that repeats the header row.
    """
    blocks: list[tuple[str, object]] = []
    table: Table | None = None
    header: list[str] | None = None
    for number, cells in enumerate(seed_lines(), start=1):
        cells = [strip_html(cell).strip() for cell in cells]
        if number == page_break_line and table is not None:
            blocks.append(("table", _merge(table)))
            blocks.append(("page_break", None))
            table = Table(rows=[list(header or [])])
        if len(cells) == 1:
            if cells[0]:
                if table is not None:
                    blocks.append(("table", _merge(table)))
                    table = None
                blocks.append(("paragraph", cells[0]))
            continue
        if header is None:
            header = cells
        if table is None:
            table = Table()
        table.rows.append(cells)
    if table is not None:
        blocks.append(("table", _merge(table)))
    return blocks


def build_docx(path: Path, blocks: list[tuple[str, object]]) -> Path:
    """Write the blocks as a .docx with merged cells, several tables and a page break."""
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "paragraph":
            document.add_paragraph(str(content))
        elif kind == "page_break":
            document.add_page_break()
        else:
            assert isinstance(content, Table)
            width = max(len(row) for row in content.rows)
            grid = document.add_table(rows=len(content.rows), cols=width)
            for r, row in enumerate(content.rows):
                for c, text in enumerate(row):
                    grid.cell(r, c).text = text
            for (top, column), span in content.spans.items():
                grid.cell(top, column).merge(grid.cell(top + span - 1, column))
            for r in range(len(content.rows)):
                if content.full_width(r):
                    grid.cell(r, 0).merge(grid.cell(r, width - 1))
    document.save(path)
    return path


def _excel_value(text: str) -> object:
    return int(text) if text.isdigit() else text


def build_xlsx(path: Path, blocks: list[tuple[str, object]], sheet: str = "Тайлан") -> Path:
    """Write the blocks on one sheet, paragraphs in column A, with merged ranges."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    r0 = 1
    for kind, content in blocks:
        if kind == "paragraph":
            ws.cell(r0, 1, str(content))
            r0 += 1
        elif kind == "table":
            assert isinstance(content, Table)
            width = max(len(row) for row in content.rows)
            for r, row in enumerate(content.rows):
                for c, text in enumerate(row):
                    if text:
                        ws.cell(r0 + r, c + 1, _excel_value(text))
                if content.full_width(r):
                    ws.merge_cells(start_row=r0 + r, start_column=1, end_row=r0 + r, end_column=width)
            for (top, column), span in content.spans.items():
                ws.merge_cells(start_row=r0 + top, start_column=column + 1, end_row=r0 + top + span - 1, end_column=column + 1)
            r0 += len(content.rows) + 1
    workbook.save(path)
    return path


def build_html(blocks: list[tuple[str, object]]) -> str:
    """The blocks as an HTML page, merged cells as rowspan/colspan."""
    from html import escape

    parts = ["<html><head><title>Тайлан</title></head><body>"]
    for kind, content in blocks:
        if kind == "paragraph":
            parts.append(f"<p>{escape(str(content))}</p>")
        elif kind == "table":
            assert isinstance(content, Table)
            width = max(len(row) for row in content.rows)
            parts.append("<table border=1>")
            for r, row in enumerate(content.rows):
                cells = []
                if content.full_width(r):
                    cells.append(f'<td colspan="{width}">{escape(row[0])}</td>')
                else:
                    for c, text in enumerate(row):
                        if (r, c) in content.covered:
                            continue
                        span = content.spans.get((r, c), 1)
                        attr = f' rowspan="{span}"' if span > 1 else ""
                        cells.append(f"<td{attr}>{escape(text)}</td>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


# -- a minimal PDF writer: ruled tables with Cyrillic text and a text layer --------

_GLYPHS = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁёӨөҮү№"
_CODES = {ch: 128 + i for i, ch in enumerate(_GLYPHS)}
_FONT_SIZE = 7
_CHAR_WIDTH = 500  # thousandths of the font size


def _pdf_string(text: str) -> str:
    out = []
    for ch in text:
        code = _CODES.get(ch, ord(ch) if 32 <= ord(ch) < 127 else ord("?"))
        if ch in "()\\":
            out.append("\\" + ch)
        elif code >= 128:
            out.append(f"\\{code:03o}")
        else:
            out.append(chr(code))
    return "(" + "".join(out) + ")"


def _pdf_file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def build_pdf(
    path: Path,
    title: str,
    rows: list[list[str]],
    widths: list[int],
    merge_down: set[tuple[int, int]] = frozenset(),
    merge_right: set[tuple[int, int]] = frozenset(),
) -> Path:
    """Write a one-page PDF: a title line, then a ruled table, with a text layer.

    Parameters
    ----------
    rows : list of list of str
        The table's cells; each cell's text on one line.
    widths : list of int
        Column widths in points.
    merge_down : set of (row, column)
        Cells merged into the cell above: no rule is drawn between them.
    merge_right : set of (row, column)
        Cells merged into the cell on their left: no rule is drawn between them.
    """
    height = 16
    left, top = 30, 760
    ops = [f"BT /F1 {_FONT_SIZE + 3} Tf {left} {top + 20} Td {_pdf_string(title)} Tj ET", "0.5 w"]
    xs = [left]
    for width in widths:
        xs.append(xs[-1] + width)
    for r in range(len(rows)):
        y0, y1 = top - height * r, top - height * (r + 1)
        for c, x in enumerate(xs):
            if (r, c) not in merge_right:
                ops.append(f"{x} {y0} m {x} {y1} l S")
    for r in range(len(rows) + 1):
        y = top - height * r
        for c in range(len(widths)):
            if (r, c) not in merge_down:
                ops.append(f"{xs[c]} {y} m {xs[c + 1]} {y} l S")
    for r, row in enumerate(rows):
        y = top - height * r - height + 5
        for c, text in enumerate(row):
            if text:
                ops.append(f"BT /F1 {_FONT_SIZE} Tf {xs[c] + 2} {y} Td {_pdf_string(text)} Tj ET")
    content = "\n".join(ops).encode("latin-1")
    differences = " ".join(f"/uni{ord(ch):04X}" for ch in _GLYPHS)
    font = (
        "<< /Type /Font /Subtype /Type1 /BaseFont /TestCyrillic /FirstChar 0 /LastChar 255 "
        f"/Widths [{' '.join([str(_CHAR_WIDTH)] * 256)}] /FontDescriptor 6 0 R "
        f"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [128 {differences}] >> >>"
    )
    descriptor = (
        "<< /Type /FontDescriptor /FontName /TestCyrillic /Flags 32 /FontBBox [0 -200 1000 800] "
        "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font.encode("ascii"),
        descriptor.encode("ascii"),
    ]
    path.write_bytes(_pdf_file(objects))
    return path


def read_table(path: Path):
    """Read back a table written by ``write_table``: every column as text, except parquet."""
    import pandas as pd

    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_excel(path, dtype=str, keep_default_na=False)


# -- bad inputs ---------------------------------------------------------------------

def write(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` and return it."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def ole_bytes(encrypted: bool) -> bytes:
    """Bytes that start like an OLE compound file; with the streams of an encrypted package if asked."""
    body = b"\x00" * 504
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body + b"\x00" * 512


def zip_bomb(path: Path, megabytes: int = 20) -> Path:
    """A .docx-named zip whose one entry of zeros packs about 1000:1."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (megabytes * 1024 * 1024))
    return path
