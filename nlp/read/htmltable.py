"""Raw rows of an HTML file: its tables and the text between them.

Built on :class:`html.parser.HTMLParser` so that no extra package is needed.
``rowspan``/``colspan`` are laid out on a grid: the text of a spanning cell
stands in its first grid cell and the cells it covers are empty, as in the text
dumps. A table nested in a cell adds its text to that cell.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .schema import RawRow

__all__ = ["html_rows"]

_BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "title", "caption"})
_SKIP = frozenset({"script", "style", "head"})
_MAX_SPAN = 1000


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            try:
                return min(max(int(value.strip()), 1), _MAX_SPAN)
            except ValueError:
                return 1
    return 1


class _Collector(HTMLParser):
    """Collect blocks in order: ``("text", str)`` and ``("table", rows)``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, object]] = []
        self._text: list[str] = []
        self._depth = 0  # table nesting
        self._skip = 0
        self._rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def _flush_text(self) -> None:
        text = "".join(self._text).strip()
        if text:
            self.blocks.append(("text", text))
        self._text = []

    def _close_cell(self) -> None:
        if self._cell is not None and self._rows:
            self._rows[-1].append(("".join(self._cell).strip(), *self._spans))
        self._cell = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "table":
            if self._depth == 0:
                self._flush_text()
                self._rows = []
            self._depth += 1
        elif self._depth == 1 and tag == "tr":
            self._close_cell()
            self._rows.append([])
        elif self._depth == 1 and tag in ("td", "th"):
            self._close_cell()
            if not self._rows:
                self._rows.append([])
            self._cell = []
            self._spans = (_span(attrs, "rowspan"), _span(attrs, "colspan"))
        elif tag in _BLOCK:
            self._newline()
        elif tag in ("td", "th") and self._cell is not None:
            self._cell.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self._close_cell()
                self.blocks.append(("table", self._rows))
                self._rows = []
        elif self._depth == 1 and tag in ("td", "th"):
            self._close_cell()
        elif tag in _BLOCK:
            self._newline()

    def _newline(self) -> None:
        if self._depth == 0:
            self._flush_text()
        elif self._cell is not None:
            self._cell.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._depth == 0:
            self._text.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    def close(self) -> None:
        super().close()
        if self._depth:
            self._close_cell()
            self.blocks.append(("table", self._rows))
            self._depth = 0
        self._flush_text()


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[tuple[str, ...]]:
    """Lay spanning cells out on a grid; covered cells are empty."""
    covered: dict[tuple[int, int], bool] = {}
    grid: list[tuple[str, ...]] = []
    for r, row in enumerate(rows):
        cells: list[str] = []
        column = 0
        for text, rowspan, colspan in row:
            while covered.pop((r, column), False):
                cells.append("")
                column += 1
            cells.append(text)
            cells.extend([""] * (colspan - 1))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    covered[(r + dr, column + dc)] = True
            column += colspan
        last = max((c for (rr, c) in covered if rr == r), default=-1)
        cells.extend([""] * (last + 1 - column))
        for c in range(column, last + 1):
            covered.pop((r, c), None)
        grid.append(tuple(cells))
    return grid


def html_rows(text: str) -> list[RawRow]:
    """Raw rows of an HTML document.

    Parameters
    ----------
    text : str
        The decoded HTML.

    Returns
    -------
    list of RawRow
        Text outside tables as one-cell rows located ``"paragraph N"``; table
        rows located ``"table T, row R"``.
    """
    collector = _Collector()
    collector.feed(text)
    collector.close()
    rows: list[RawRow] = []
    tables = paragraphs = 0
    for kind, content in collector.blocks:
        if kind == "text":
            paragraphs += 1
            rows.append(RawRow((str(content),), f"paragraph {paragraphs}", None))
        else:
            tables += 1
            for number, cells in enumerate(_grid(content), start=1):  # type: ignore[arg-type]
                rows.append(RawRow(cells, f"table {tables}, row {number}", tables))
    return rows
