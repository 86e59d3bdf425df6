"""Raw rows of a PDF with a text layer, through :mod:`pdfplumber` (optional).

Each page gives its ruled tables (``page.find_tables``) and the text lines
outside them, ordered top to bottom, so that a title above a table comes first.
A scanned PDF (no text layer) is refused: the reader does not do OCR.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from .archive import MAX_TEXT_BYTES, check_size
from .schema import RawRow

__all__ = ["pdf_rows", "MAX_PDF_PAGES"]

#: Most pages read from one PDF.
MAX_PDF_PAGES = 500


def pdf_rows(path: Path) -> list[RawRow]:
    """Table rows and text lines of a PDF, page after page.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    list of RawRow
        Table rows located ``"page P, table T, row R"`` (``table`` counts the
        tables of the whole file); text lines located ``"page P, line L"``.

    Raises
    ------
    ReportError
        When pdfplumber is not installed, the file is too large, not a PDF,
        encrypted, broken, has too many pages, or has no text layer.
    """
    try:
        import pdfplumber
    except ImportError:
        raise ReportError(
            "PDF унших pdfplumber сан суугаагүй байна (pip install 'biyelelt[pdf]')",
            "pdfplumber is not installed, PDF files cannot be read (pip install 'biyelelt[pdf]')",
            path=path,
        ) from None
    check_size(path, MAX_TEXT_BYTES)
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF-"):
            raise ReportError("PDF файл биш эсвэл эвдэрсэн", "not a PDF file, or a corrupt one", path=path)
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ReportError(
                    f"хэт олон хуудас ({len(pdf.pages)}, дээд тоо {MAX_PDF_PAGES})",
                    f"too many pages ({len(pdf.pages)}, limit {MAX_PDF_PAGES})",
                    path=path,
                )
            rows, chars = _read_pages(pdf.pages)
    except ReportError:
        raise
    except Exception as exc:  # pdfminer raises many kinds, encryption included
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise ReportError(
                "PDF нууц үгээр хамгаалагдсан",
                "the PDF is password-protected",
                path=path,
            ) from None
        raise ReportError(
            "PDF файл эвдэрсэн, нээгдэхгүй байна",
            f"corrupt PDF file, it cannot be opened ({name}: {exc})",
            path=path,
        ) from None
    if chars == 0:
        raise ReportError(
            "PDF-д текст давхарга алга (скан хийсэн зураг); текстээр нь илгээнэ үү",
            "the PDF has no text layer (a scanned image); submit it as text, .docx or .xlsx",
            path=path,
        )
    return rows


def _read_pages(pages) -> tuple[list[RawRow], int]:
    rows: list[RawRow] = []
    chars = 0
    tables_seen = 0
    for page_number, page in enumerate(pages, start=1):
        chars += len(page.chars)
        found = page.find_tables()
        boxes = [table.bbox for table in found]

        def outside(obj, boxes=boxes) -> bool:
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

        items: list[tuple[float, int, object]] = []
        for line in page.filter(outside).extract_text_lines():
            items.append((line["top"], 0, line["text"]))
        for table in found:
            items.append((table.bbox[1], 1, table))
        line_number = 0
        for _, kind, item in sorted(items, key=lambda entry: (entry[0], entry[1])):
            if kind == 0:
                line_number += 1
                rows.append(RawRow((str(item),), f"page {page_number}, line {line_number}", None))
                continue
            tables_seen += 1
            for number, cells in enumerate(item.extract(), start=1):  # type: ignore[attr-defined]
                texts = tuple("" if cell is None else cell for cell in cells)
                rows.append(RawRow(texts, f"page {page_number}, table {tables_seen}, row {number}", tables_seen))
    return rows, chars
