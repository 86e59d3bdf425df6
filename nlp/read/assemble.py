"""Assemble report rows, one per measure cell, from the raw rows of a report form.

The form is the usual implementation-report table, ``№ | Зорилт | Хэрэгжүүлэх
арга хэмжээ | Биелэлт | Хувь`` (columns found by their header labels), with
objective headings between its rows. What real reports do, and what is done:

* header rows (several, as when a table is split across pages) set the column
  roles; the column-number row ``1 2 3 4 5`` and separator rows are skipped;
* ``Зорилт N. …`` headings set the objective carried down; a № cell ``6.``
  opens objective 6 when the row's own numbers start with ``6.``;
* empty № and target cells (merged cells) inherit from the row above;
* item numbers are read from the cell text (``1.1.2.``, ``2.3.2,``, ``4.1 .``);
  several measure numbers in one cell stay one row that lists them all;
* a cell that starts lower-case right after a text with no closing punctuation
  was cut by a page break: it is joined to that text, with a warning. When a
  narrative moves up to the previous row and that row has no percent, the
  percent written beside the moved narrative moves with it;
* text outside the table after the header (an orphan fragment) is a warning
  for the file, not a row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import ReportError, bilingual
from ..text import normalize
from .formats import RawRow
from .layout import (
    find_year,
    header_roles,
    is_closed,
    is_column_numbers,
    is_separator,
    objective_heading,
    parse_number_cell,
    split_numbered,
    starts_lower,
)
from .percent import parse_percent

__all__ = ["Row", "Assembled", "assemble", "set_percent", "snippet"]


@dataclass
class Row:
    """One report row: a measure cell with its narrative and reported percent.

    The fields are those of :data:`nlp.read.ROW_COLUMNS` that come from the
    file itself; ``report_id``, ``org`` and ``year`` are ``None`` unless the
    row states them (pre-parsed tables), and the reader fills them in.
    """

    objective_no: str = ""
    objective: str = ""
    target_no: str = ""
    target: str = ""
    measure_no: str = ""
    measure: str = ""
    narrative: str = ""
    narrative_raw: str = ""
    reported_percent: float = math.nan
    reported_raw: str = ""
    location: str = ""
    warnings: list[str] = field(default_factory=list)
    report_id: str | None = None
    org: str | None = None
    year: int | None = None


@dataclass
class Assembled:
    """The rows of one file, with what was learnt about the file as a whole.

    Attributes
    ----------
    rows : list of Row
        In document order.
    warnings : list of tuple of (str, str)
        File-level messages as ``(location, bilingual message)``.
    year : int or None
        The report year found in the title, if any.
    """

    rows: list[Row]
    warnings: list[tuple[str, str]]
    year: int | None = None


def snippet(text: str, width: int = 60) -> str:
    """The start of ``text``, cut to ``width`` characters for a message."""
    return text if len(text) <= width else text[: width - 3] + "..."


def set_percent(row: Row, raw: str) -> None:
    """Store a raw percent cell on ``row``: raw text, parsed value, warning if any."""
    row.reported_raw = raw.strip()
    parsed = parse_percent(raw)
    row.reported_percent = parsed.value
    if parsed.warning:
        row.warnings.append(parsed.warning)


def _continues(previous: str, text: str) -> bool:
    return bool(previous) and starts_lower(text) and not is_closed(previous)


def _join(first: str, second: str) -> str:
    return f"{first} {second}" if first else second


class _Assembler:
    """Carries the objective, target and column roles down the rows of one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.roles: dict[int, str] | None = None
        self.valid_header = False
        self.bad_header: str | None = None
        self.objective_no = ""
        self.objective = ""
        self.target_no = ""
        self.target = ""
        self.rows: list[Row] = []
        self.warnings: list[tuple[str, str]] = []
        self.preamble: list[str] = []
        self.headers: set[tuple[str, ...]] = set()

    # -- helpers -------------------------------------------------------------
    def _cell(self, raw: RawRow, norm: list[str], role: str) -> tuple[str, str]:
        assert self.roles is not None
        for index, name in self.roles.items():
            if name == role:
                if index < len(norm):
                    return raw.cells[index], norm[index]
                break
        return "", ""

    def _file_warning(self, location: str, mn: str, en: str) -> None:
        self.warnings.append((location, bilingual(mn, en)))

    def _orphan(self, raw: RawRow, text: str) -> None:
        shown = snippet(text)
        self._file_warning(
            raw.location,
            f"мөр биш тасархай хэсэг алгасав: «{shown}»",
            f"orphan fragment that is not a row, skipped: '{shown}'",
        )

    # -- one physical row ----------------------------------------------------
    def feed(self, raw: RawRow) -> None:
        norm = [normalize(cell) for cell in raw.cells]
        filled = [text for text in norm if text]
        if not filled or is_separator(norm):
            return
        roles = header_roles(norm)
        if roles is not None:
            self._header(raw, roles, norm)
            return
        heading = objective_heading(norm)
        if heading is not None:
            self.objective_no, self.objective = heading
            self.target_no = self.target = ""
            return
        if self.roles is None:
            if not self.valid_header:
                self.preamble.append(" ".join(filled))
            return
        if is_column_numbers(norm):
            return
        if len(raw.cells) == 1:
            self._orphan(raw, filled[0])
            return
        self._data_row(raw, norm)

    def _header(self, raw: RawRow, roles: dict[int, str], norm: list[str]) -> None:
        if "narrative" in roles.values():
            texts = tuple(norm)
            if self.valid_header and texts not in self.headers:
                # A header is told from a data row by its words alone: a row read as a new header is
                # named, so that a report row taken for one is never lost without a word.
                shown = snippet(" | ".join(text for text in norm if text))
                self._file_warning(
                    raw.location,
                    f"хүснэгтийн шинэ толгой гэж уншив: «{shown}»; тайлангийн мөр бол шалгана уу",
                    f"read as a new table header: '{shown}'; if it is a report row, check it",
                )
            self.headers.add(texts)
            self.roles = roles
            self.valid_header = True
            return
        self.roles = None
        if self.bad_header is None:
            self.bad_header = raw.location
        if self.valid_header:
            self._file_warning(
                raw.location,
                "хүснэгтэд «Биелэлт» багана алга тул түүний мөрүүдийг алгасав",
                "table has no narrative (Биелэлт) column; its rows were skipped",
            )

    def _data_row(self, raw: RawRow, norm: list[str]) -> None:
        _, number = self._cell(raw, norm, "no")
        _, target = self._cell(raw, norm, "target")
        _, measure = self._cell(raw, norm, "measure")
        narrative_raw, narrative = self._cell(raw, norm, "narrative")
        percent_raw, percent = self._cell(raw, norm, "percent")
        notes: list[str] = []
        number_value = parse_number_cell(number) if number else None
        if not (target or measure or narrative or percent):
            orphan = number if number and number_value is None else ""
            orphan = orphan or next((t for i, t in enumerate(norm) if t and i not in self.roles), "")
            if orphan:
                self._orphan(raw, orphan)
            elif number_value:
                self._number_cell(number_value, [], alone=True)
                self._number_target(number_value)
            return
        if number and number_value is None:
            notes.append(bilingual(
                f"№ нүдэнд дугаар биш текст: «{snippet(number)}»",
                f"№ cell is not a number: '{snippet(number)}'",
            ))
        measures, measure_text = split_numbered(measure)
        if measure and not measures and number_value and number_value.count(".") >= 2:
            measures = [number_value]  # the measure number written in the № column
        target_numbers, target_text = split_numbered(target)
        if number_value:
            self._number_cell(number_value, target_numbers[:1] + measures)
        if target:
            self._target(target, target_numbers, target_text, number_value, notes)
        elif number_value:
            self._number_target(number_value)
        if measure and not measures and self.rows and _continues(self.rows[-1].measure, measure):
            self._continue_row(raw, measure, narrative, narrative_raw, percent_raw, notes)
            return
        if not measure and "measure" in self.roles.values():
            continued = narrative and self.rows and _continues(self.rows[-1].narrative, narrative)
            if continued or (not narrative and percent and self.rows):
                self._continue_row(raw, "", narrative, narrative_raw, percent_raw, notes)
                return
            if not narrative:
                if percent:  # a percent alone before any row: there is no row to give it to
                    self._lone_percent(raw, percent_raw)
                self._attach(notes)
                return
            notes.append(bilingual("арга хэмжээний нүд хоосон", "the measure cell is empty"))
        self._new_row(raw, measures, measure_text, narrative, narrative_raw, percent_raw, notes)

    def _number_cell(self, value: str, numbers: list[str], alone: bool = False) -> None:
        """A № cell such as ``6.`` opens objective 6 when the row's numbers start with ``6.``.

        A № cell alone on its row opens the objective by itself; a plain count
        (``3`` beside measure ``1.2.1``) does not.
        """
        if "." in value or not (alone or numbers):
            return
        if all(n.startswith(value + ".") for n in numbers) and value != self.objective_no:
            self.objective_no, self.objective = value, ""
            self.target_no = self.target = ""

    def _number_target(self, value: str) -> None:
        """A № cell such as ``1.2`` opens target 1.2 when the target cell is empty."""
        if value.count(".") == 1 and value != self.target_no:
            self.target_no, self.target = value, ""

    def _target(self, target: str, numbers: list[str], text: str, number_value: str | None, notes: list[str]) -> None:
        if not numbers and _continues(self.target, target):
            self.target = _join(self.target, target)
            for row in reversed(self.rows):
                if row.target_no != self.target_no:
                    break
                row.target = self.target
            notes.append(bilingual(
                f"зорилтын нүд жижиг үсгээр эхэлсэн тул дээрх {self.target_no or ''} зорилтын текстэд нэгтгэв",
                f"the target cell starts lower-case: joined to the text of target {self.target_no or ''} above",
            ))
            return
        self.target = text
        if numbers:
            self.target_no = numbers[0]
            if number_value and number_value.count(".") == 1 and number_value != numbers[0]:
                notes.append(bilingual(
                    f"№ {number_value} ба зорилтын дугаар {numbers[0]} зөрж байна",
                    f"№ {number_value} and target number {numbers[0]} differ",
                ))
        elif number_value and number_value.count(".") == 1:
            self.target_no = number_value
        else:
            self.target_no = ""

    def _attach(self, notes: list[str]) -> None:
        """Notes of a physical row that made no row go to the row above."""
        if notes and self.rows:
            self.rows[-1].warnings.extend(notes)

    def _continue_row(
        self, raw: RawRow, measure: str, narrative: str, narrative_raw: str, percent_raw: str, notes: list[str]
    ) -> None:
        """A physical row that only continues the row above (a row cut by a page break)."""
        previous = self.rows[-1]
        if measure:
            previous.measure = _join(previous.measure, measure)
            previous.warnings.append(bilingual(
                f"арга хэмжээний үргэлжлэл ({raw.location}) нэгтгэв",
                f"measure text continued at {raw.location}: joined here",
            ))
        if narrative:
            self._join_narrative(previous, raw, narrative, narrative_raw, percent_raw)
        elif percent_raw.strip():
            self._move_percent(previous, raw, percent_raw)
        previous.warnings.extend(notes)

    def _join_narrative(self, previous: Row, raw: RawRow, narrative: str, narrative_raw: str, percent_raw: str) -> bool:
        """Join a cut narrative to ``previous``; return True when its percent moved too."""
        previous.narrative = _join(previous.narrative, narrative)
        previous.narrative_raw = _join(previous.narrative_raw, narrative_raw.strip())
        moved = bool(percent_raw.strip()) and not previous.reported_raw
        mn = f"дараагийн мөрийн ({raw.location}) жижиг үсгээр эхэлсэн биелэлтийг энэ мөрийн тасарсан биелэлтэд нэгтгэв"
        en = f"the narrative at {raw.location} starts lower-case after this unfinished narrative: joined here"
        if moved:
            set_percent(previous, percent_raw)
            mn += f"; түүний хажууд бичсэн хувь ({previous.reported_raw}) мөн энэ мөрт шилжив"
            en += f"; the percent written beside it ({previous.reported_raw}) moved here too"
        previous.warnings.append(bilingual(mn, en))
        return moved

    def _lone_percent(self, raw: RawRow, percent_raw: str) -> None:
        self._file_warning(
            raw.location,
            f"мөр биш, ганц хувь «{percent_raw.strip()}» алгасав",
            f"a percent '{percent_raw.strip()}' alone, not a row: skipped",
        )

    def _move_percent(self, previous: Row, raw: RawRow, percent_raw: str) -> None:
        if previous.reported_raw:
            self._lone_percent(raw, percent_raw)
            return
        set_percent(previous, percent_raw)
        previous.warnings.append(bilingual(
            f"дараагийн мөрөнд ({raw.location}) ганцаар бичсэн хувийг энэ мөрт авав",
            f"the percent written alone at {raw.location} was taken for this row",
        ))

    def _new_row(
        self,
        raw: RawRow,
        measures: list[str],
        measure_text: str,
        narrative: str,
        narrative_raw: str,
        percent_raw: str,
        notes: list[str],
    ) -> None:
        row = Row(
            objective_no=self.objective_no,
            objective=self.objective,
            target_no=self.target_no,
            target=self.target,
            measure_no="; ".join(measures),
            measure=measure_text,
            location=raw.location,
        )
        if measure_text and not measures:
            notes.append(bilingual("арга хэмжээний дугаар олдсонгүй", "no measure number in the measure cell"))
        if measures:
            self._check_numbers(row, measures[0], notes)
        moved = False
        if narrative and self.rows and _continues(self.rows[-1].narrative, narrative):
            moved = self._join_narrative(self.rows[-1], raw, narrative, narrative_raw, percent_raw)
        else:
            row.narrative = narrative
            row.narrative_raw = narrative_raw.strip()
        if not moved:
            set_percent(row, percent_raw)
        row.warnings.extend(notes)
        self.rows.append(row)

    def _check_numbers(self, row: Row, measure: str, notes: list[str]) -> None:
        if not row.target_no and "." in measure:
            row.target_no = self.target_no = measure.rsplit(".", 1)[0]
        if row.target_no and not measure.startswith(row.target_no + "."):
            notes.append(bilingual(
                f"арга хэмжээ {measure} нь {row.target_no} зорилтын дор бичигдсэн",
                f"measure {measure} is listed under target {row.target_no}",
            ))
        elif row.objective_no and not measure.startswith(row.objective_no + "."):
            notes.append(bilingual(
                f"арга хэмжээ {measure} нь {row.objective_no}-р зорилтын дор бичигдсэн",
                f"measure {measure} is listed under objective {row.objective_no}",
            ))

    def finish(self) -> Assembled:
        if not self.valid_header:
            if self.bad_header is not None:
                raise ReportError(
                    "хүснэгтийн толгойд «Биелэлт» (биелэлтийн тайлбар) багана алга",
                    "the table header has no narrative column (Биелэлт / narrative)",
                    path=self.path,
                    where=self.bad_header,
                )
            raise ReportError(
                "«Биелэлт» баганатай хүснэгтийн толгой олдсонгүй",
                "no table header with a narrative column (Биелэлт / narrative) was found",
                path=self.path,
            )
        return Assembled(self.rows, self.warnings, find_year(self.preamble))


def assemble(rows: list[RawRow], path: str) -> Assembled:
    """Assemble the report rows of one file.

    Parameters
    ----------
    rows : list of RawRow
        The file's raw rows in document order.
    path : str
        The file, for error messages.

    Returns
    -------
    Assembled

    Raises
    ------
    ReportError
        When no header with a narrative column is found.
    """
    assembler = _Assembler(path)
    for raw in rows:
        assembler.feed(raw)
    return assembler.finish()
