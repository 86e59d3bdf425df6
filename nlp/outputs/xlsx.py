"""A small, fast writer of ``.xlsx`` workbooks (SpreadsheetML), for the auditor's workbook.

openpyxl builds a Python object per cell; a year's workbook (100,000 rows of 20 columns) took it about
45 s even in write-only mode. This writer turns a block of rows into sheet XML column by column, keeps
every text once in the shared-strings table, and knows only what ``report.xlsx`` uses: column widths,
a frozen header, an auto-filter, a few fixed cell styles (:data:`STYLES`), colour scales, formula fills
and links to other sheets. Text is always a string cell (never a formula or an error value); characters
XML cannot hold are dropped and text longer than Excel's cell limit is cut with "…". Same calls → same
bytes (fixed times inside the zip). Reading workbooks is not done here (see :mod:`nlp.read.office`).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

__all__ = ["Book", "Sheet", "STYLES", "MAX_ROWS", "MAX_TEXT", "column_letter", "clean_text"]

MAX_ROWS = 1_048_576  # Excel's rows per sheet
MAX_TEXT = 32_767  # Excel's characters per cell
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]|[\ud800-\udfff]|[\ufffe\uffff]")  # XML can't hold them

#: The cell styles a sheet can use, by name → index in the workbook's ``cellXfs``.
STYLES = {"plain": 0, "head": 1, "code": 2, "wrap": 3, "percent1": 4, "percent0": 5, "link": 6, "title": 7}

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def column_letter(index: int) -> str:
    """Excel's letters for a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_text(text: str) -> str:
    """``text`` as a cell can hold it: characters XML refuses dropped, cut to Excel's limit with "…"."""
    text = _ILLEGAL.sub("", text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    return text


def _attr(value: str) -> str:
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


class Sheet:
    """One worksheet, filled row by row (:meth:`row`) or a block of rows at a time (:meth:`rows`).

    Made by :meth:`Book.sheet`; the layout calls (:meth:`widths`, :meth:`freeze`, :meth:`auto_filter`,
    :meth:`color_scale`, :meth:`fill_where`, :meth:`link`) may come before or after the rows.
    """

    def __init__(self, book: Book, name: str):
        self.book = book
        self.name = name
        self.n_rows = 0
        self._chunks: list[str] = []
        self._widths: dict[int, float] = {}
        self._freeze: str | None = None
        self._filter: str | None = None
        self._formats: list[str] = []
        self._links: list[str] = []

    # ---------------------------------------------------------------------------------------- layout
    def widths(self, widths: Sequence[float]) -> None:
        """Column widths (characters), first column first."""
        self._widths = {j: float(w) for j, w in enumerate(widths, start=1)}

    def freeze(self, cell: str) -> None:
        """Keep the rows above ``cell`` in view (``"A3"``: two header rows)."""
        self._freeze = cell

    def auto_filter(self, ref: str) -> None:
        """An auto-filter over ``ref`` (``"A2:T100"``)."""
        self._filter = ref

    def color_scale(self, ref: str, points: Sequence[tuple[str, float | None, str]]) -> None:
        """A colour scale over ``ref``: two or three ``(type, value, RRGGBB)``, type ``num``, ``min`` or ``max``."""
        cfvo = "".join(f'<cfvo type="{t}"/>' if v is None else f'<cfvo type="{t}" val="{v:g}"/>'
                       for t, v, _ in points)
        colors = "".join(f'<color rgb="FF{c}"/>' for _, _, c in points)
        self._format(ref, f'<cfRule type="colorScale" priority="{{p}}"><colorScale>{cfvo}{colors}'
                          f'</colorScale></cfRule>')

    def fill_where(self, ref: str, formula: str, fill: str) -> None:
        """Fill the cells of ``ref`` where ``formula`` (relative to its first cell) holds; ``fill`` is
        one of the book's :attr:`Book.FILLS`."""
        dxf = list(Book.FILLS).index(fill)
        self._format(ref, f'<cfRule type="expression" dxfId="{dxf}" priority="{{p}}">'
                          f'<formula>{escape(formula)}</formula></cfRule>')

    def _format(self, ref: str, rule: str) -> None:
        self._formats.append(f'<conditionalFormatting sqref="{ref}">{rule}</conditionalFormatting>')

    def link(self, ref: str, location: str, tooltip: str = "") -> None:
        """Make the cell ``ref`` a link to ``location`` in this workbook (``"'Sheet'!A1"``)."""
        tip = f" tooltip={_attr(tooltip)}" if tooltip else ""
        self._links.append(f'<hyperlink ref="{ref}" location={_attr(location)}{tip}/>')

    # ------------------------------------------------------------------------------------------ rows
    def row(self, values: Iterable, styles: Sequence[int] | int = 0) -> None:
        """Append one row of values (``None`` leaves a cell empty; no values: a blank row), each with a
        style from :data:`STYLES`."""
        values = list(values)
        if not values:
            self.n_rows += 1
            return
        if isinstance(styles, int):
            styles = [styles] * len(values)
        self.rows([[v] for v in values], styles)

    def rows(self, columns: Sequence[Sequence], styles: Sequence[int | Sequence[int]]) -> None:
        """Append ``len(columns[0])`` rows given column by column.

        ``styles[j]`` is column ``j``'s style, or one style per row. Text becomes a shared string,
        whole and decimal numbers numbers, booleans booleans; ``None``, NaN, NA and infinities empty.
        """
        n = len(columns[0]) if columns else 0
        if self.n_rows + n > MAX_ROWS:
            raise ValueError(f"sheet {self.name!r} would pass Excel's {MAX_ROWS:,} rows")
        first = self.n_rows + 1
        numbers = [str(r) for r in range(first, first + n)]
        cells = [self._cells(values, column_letter(j + 1), numbers, styles[j]) for j, values in enumerate(columns)]
        out = self._chunks
        for number, *row in zip(numbers, *cells):
            out.append(f'<row r="{number}">{"".join(row)}</row>')
        self.n_rows += n

    def _cells(self, values: Sequence, letter: str, numbers: list[str], style) -> list[str]:
        strings = self.book._strings
        per_row = not isinstance(style, (int, np.integer))
        out = []
        s = "" if per_row or not style else f' s="{style}"'
        for i, (v, number) in enumerate(zip(values, numbers)):
            if per_row:
                s = f' s="{style[i]}"' if style[i] else ""
            if isinstance(v, (bool, np.bool_)):
                out.append(f'<c r="{letter}{number}"{s} t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, (int, np.integer)):
                out.append(f'<c r="{letter}{number}"{s}><v>{int(v)}</v></c>')
            elif isinstance(v, (float, np.floating)) and math.isfinite(v):
                out.append(f'<c r="{letter}{number}"{s}><v>{float(v)!r}</v></c>')
            elif v is None or v is pd.NA or v is pd.NaT or isinstance(v, (float, np.floating)):
                out.append(f'<c r="{letter}{number}"{s}/>' if s else "")  # empty (NaN, infinities too)
            else:  # text, and anything else as its text: one shared string per distinct text
                text = v if isinstance(v, str) else str(v)
                k = strings.get(text)
                if k is None:
                    k = strings[text] = len(strings)
                out.append(f'<c r="{letter}{number}"{s} t="s"><v>{k}</v></c>')
        return out

    # ----------------------------------------------------------------------------------------- XML
    def _xml(self, selected: bool) -> Iterable[str]:
        yield f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        tab = ' tabSelected="1"' if selected else ""
        if self._freeze:
            m = re.fullmatch(r"([A-Z]+)(\d+)", self._freeze)
            ncol = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(m.group(1)))) - 1
            nrow = int(m.group(2)) - 1
            split = (f' xSplit="{ncol}"' if ncol else "") + (f' ySplit="{nrow}"' if nrow else "")
            pane = "bottomRight" if ncol and nrow else "bottomLeft" if nrow else "topRight"
            yield (f'<sheetViews><sheetView{tab} workbookViewId="0"><pane{split} topLeftCell="{self._freeze}" '
                   f'activePane="{pane}" state="frozen"/><selection pane="{pane}" activeCell="{self._freeze}" '
                   f'sqref="{self._freeze}"/></sheetView></sheetViews>')
        else:
            yield f'<sheetViews><sheetView{tab} workbookViewId="0"/></sheetViews>'
        if self._widths:
            yield "<cols>" + "".join(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
                                     for j, w in sorted(self._widths.items())) + "</cols>"
        yield "<sheetData>"
        yield from self._chunks
        yield "</sheetData>"
        if self._filter:
            yield f'<autoFilter ref="{self._filter}"/>'
        for p, fmt in enumerate(self._formats, start=1):
            yield fmt.replace("{p}", str(p))
        if self._links:
            yield "<hyperlinks>" + "".join(self._links) + "</hyperlinks>"
        yield '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'


class Book:
    """A workbook: :meth:`sheet` adds sheets in order, :meth:`save` writes the ``.xlsx``.

    Parameters
    ----------
    creator : str
        The author shown in the file's properties.
    compresslevel : int
        zlib level for the zip (1 fastest … 9 smallest).
    """

    #: Fills that :meth:`Sheet.fill_where` can use (name → RRGGBB).
    FILLS = {"flag": "FDE2E1", "review": "FFF6D6"}

    def __init__(self, creator: str = "biyelelt", compresslevel: int = 6):
        self.creator = creator
        self.compresslevel = compresslevel
        self.sheets: list[Sheet] = []
        self._strings: dict[str, int] = {}

    def sheet(self, name: str) -> Sheet:
        """A new sheet called ``name`` (at most 31 characters, none of ``[]:*?/\\``, unique)."""
        if len(name) > 31 or set(name) & set("[]:*?/\\") or not name:
            raise ValueError(f"not a sheet name Excel takes: {name!r}")
        if name.lower() in {s.name.lower() for s in self.sheets}:
            raise ValueError(f"sheet name used twice: {name!r}")
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: str | Path) -> Path:
        """Write the workbook to ``path`` (replaced); same sheets → same bytes."""
        path = Path(path)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel) as archive:
            def put(name: str, parts: Iterable[str]) -> None:
                info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                with archive.open(info, "w") as out:
                    buffer: list[str] = []
                    size = 0
                    for part in parts:
                        buffer.append(part)
                        size += len(part)
                        if size > 1 << 20:
                            out.write("".join(buffer).encode("utf-8"))
                            buffer, size = [], 0
                    out.write("".join(buffer).encode("utf-8"))

            put("[Content_Types].xml", [self._content_types()])
            put("_rels/.rels", [self._root_rels()])
            put("docProps/app.xml", [f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                                     f'2006/extended-properties"><Application>{escape(self.creator)}</Application>'
                                     f'</Properties>'])
            put("docProps/core.xml", [self._core()])
            put("xl/workbook.xml", [self._workbook()])
            put("xl/_rels/workbook.xml.rels", [self._workbook_rels()])
            put("xl/styles.xml", [self._styles()])
            for i, sheet in enumerate(self.sheets, start=1):
                put(f"xl/worksheets/sheet{i}.xml", sheet._xml(selected=i == 1))
            put("xl/sharedStrings.xml", self._shared_strings())
        return path

    # ----------------------------------------------------------------------------------------- parts
    def _content_types(self) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                         for i in range(1, len(self.sheets) + 1))
        return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{sheets}'
                f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')

    @staticmethod
    def _root_rels() -> str:
        base = "http://schemas.openxmlformats.org"
        return (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/>'
                f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/core-properties" '
                'Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/extended-properties" '
                'Target="docProps/app.xml"/></Relationships>')

    def _core(self) -> str:
        when = "2000-01-01T00:00:00Z"  # fixed: same input → same bytes
        return (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
                'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f'<dc:creator>{escape(self.creator)}</dc:creator>'
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>')

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name={_attr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, start=1))
        names = []
        for i, s in enumerate(self.sheets):
            if s._filter:
                a, b = s._filter.split(":")
                absolute = ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", x) for x in (a, b))
                quoted = "'" + s.name.replace("'", "''") + "'"
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                             f'{escape(quoted)}!{absolute}</definedName>')
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/>'
                f'</bookViews><sheets>{sheets}</sheets>{defined}<calcPr calcId="191029"/></workbook>')

    def _workbook_rels(self) -> str:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        n = len(self.sheets)
        rels = [f'<Relationship Id="rId{i}" Type="{kind}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{kind}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{kind}/sharedStrings" Target="sharedStrings.xml"/>')
        return f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'

    def _styles(self) -> str:
        def font(extra: str = "", size: int = 11) -> str:
            return f'<font>{extra}<sz val="{size}"/><name val="Calibri"/><family val="2"/></font>'

        def solid(rgb: str) -> str:
            return f'<patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor rgb="FF{rgb}"/></patternFill>'

        fonts = [font(), font("<b/>"), font('<i/><color rgb="FF666666"/>', 9),
                 font('<u/><color rgb="FF0563C1"/>'), font("<b/>", 13)]
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
                 f"<fill>{solid('DDEBF7')}</fill>", f"<fill>{solid('F2F2F2')}</fill>"]
        top_wrap = '<alignment vertical="top" wrapText="1"/>'
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',  # plain
               f'<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
               f'applyAlignment="1">{top_wrap}</xf>',  # head
               '<xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>',  # code
               f'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">{top_wrap}</xf>',
               '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',  # 0.0%
               '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',  # 0%
               '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>',  # link
               '<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>']  # title
        assert len(xfs) == len(STYLES)
        dxfs = "".join(f"<dxf><fill>{solid(rgb)}</fill></dxf>" for rgb in self.FILLS.values())
        return (f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/>'
                f'</numFmts><fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                f'<dxfs count="{len(self.FILLS)}">{dxfs}</dxfs></styleSheet>')

    def _shared_strings(self) -> Iterable[str]:
        n = len(self._strings)
        yield f'{_HEAD}<sst xmlns="{_MAIN}" count="{n}" uniqueCount="{n}">'
        for text in self._strings:  # insertion order = index order
            yield f'<si><t xml:space="preserve">{escape(clean_text(text))}</t></si>'
        yield "</sst>"
