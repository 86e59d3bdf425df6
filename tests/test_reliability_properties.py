"""Properties of the reader, checked on generated inputs (hypothesis).

Шинж чанарын шалгалт / Property checks. Each property runs :data:`EXAMPLES` generated examples,
with a fixed seed (``derandomize=True``) so that every run, here and in CI, tries the same ones;
each test counts the examples that reached its end and checks that there were exactly
:data:`EXAMPLES`. ``docs/reliability.md`` lists the properties and the counts.

* percent parsing (:func:`nlp.read.percent.parse_percent`) never raises, gives a value in
  ``[0, 100]`` or NaN, and reads back what was written (``"85,5"`` → 85.5, ``"100 хувь"`` → 100);
* normalisation (:func:`nlp.text.normalize`) never raises, is idempotent, and adds no control
  character;
* row assembly: for a generated table of measure, narrative and percent cells written as a CSV
  file or as a text dump, every data row reaches the rows read or a listed warning.

Failures the normalisation properties found are fixed in :mod:`nlp.text` and kept as regression
cases below (:data:`FIXED_NORMALIZE_BUGS`).
"""

from __future__ import annotations

import atexit
import csv
import io
import math
import re
import shutil
import tempfile
import unicodedata

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="pip install -e '.[test]' (hypothesis)")

import hypothesis.configuration  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Hypothesis keeps its caches in ./.hypothesis: in a temporary folder instead, never in the repository.
_HOME = tempfile.mkdtemp(prefix="biyelelt-hypothesis-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
hypothesis.configuration.set_hypothesis_home_dir(_HOME)

from nlp.errors import ReportError  # noqa: E402
from nlp.read import read_file  # noqa: E402
from nlp.read.percent import parse_percent  # noqa: E402
from nlp.text import LEGACY_MAP, normalize, strip_html  # noqa: E402

#: Examples each property tries.
EXAMPLES = 300
#: The properties, by test name (each tries EXAMPLES examples).
PROPERTIES = (
    "test_percent_never_raises_on_any_text",
    "test_percent_never_raises_on_any_value",
    "test_percent_reads_back_what_was_written",
    "test_normalize_never_raises",
    "test_normalize_is_idempotent",
    "test_normalize_adds_no_control_character",
    "test_no_row_is_lost_from_a_csv_table",
    "test_no_row_is_lost_from_a_text_dump",
)


def run_property(check, strategy) -> int:
    """Run ``check`` on EXAMPLES examples drawn from ``strategy``; the number that reached its end."""
    done = 0

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(strategy)
    def property_(example):
        nonlocal done
        check(example)
        done += 1

    property_()
    return done


# ---------------------------------------------------------------------------------------------
# what the cells are made of

CYR_WORDS = ("сургалт", "зохион", "байгуулсан", "албан", "хаагч", "төлөвлөгөө", "батлуулсан", "хяналт",
             "тавьсан", "иргэн", "мэдээлэл", "хийгдээгүй", "тушаал", "тайлан", "хэрэгжилт", "биелэлт", "арга",
             "хэмжээ", "зорилт", "хувь", "гүйцэтгэл", "ажил", "Facebook", "www.gov.mn", "А/12", "2024", "онд",
             "3", "удаа", "Д.Батболд", "тaйлан", "тєлєвлєгєє", "байхгvй")
PIECES = ("<p>", "</p>", "<br>", "&nbsp;", "&amp;", "&lt;", "&gt;", "&#1257;", "5.1.1.", "3ах", "хийсэн.Мөн",
          "\u00a0", "\u00ad", "\u200b", "\ufeff", "\t", "\n", "\r\n", "  ", ".", ",", "!", "?", ";", "-", "«", "»")

word = st.sampled_from(CYR_WORDS)
#: Text like a report cell: words, markup, entities, odd spaces, legacy and look-alike letters.
cell_text = st.lists(st.one_of(word, word, st.sampled_from(PIECES), st.just(" ")), max_size=25).map("".join)
#: Any text at all.
any_text = st.text(max_size=60)
texts = st.one_of(cell_text, any_text)


# ---------------------------------------------------------------------------------------------
# percent


def _in_range_or_nan(parsed) -> None:
    assert isinstance(parsed.value, float)
    if math.isnan(parsed.value):
        assert parsed.warning is None or (" / " in parsed.warning and "percent" in parsed.warning)
    else:
        assert 0.0 <= parsed.value <= 100.0 and parsed.warning is None


percent_like = st.lists(st.sampled_from(["100", "85", "0", "5", "1000", ",", ".", "5", "%", " хувь", "хувиар", " ",
                                          "-", "–", "ХБ", "х/б", "<p>", "</p>", "&nbsp;", "n/a", "ok", "+", "e3"]),
                        max_size=8).map("".join)


def test_percent_never_raises_on_any_text():
    assert run_property(lambda raw: _in_range_or_nan(parse_percent(raw)), st.one_of(any_text, percent_like)) \
        == EXAMPLES


def test_percent_never_raises_on_any_value():
    values = st.one_of(st.integers(), st.integers(min_value=-(10**400), max_value=10**400),
                       st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans(),
                       st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=1000, min_value=-1000))
    assert run_property(lambda raw: _in_range_or_nan(parse_percent(raw)), values) == EXAMPLES


@st.composite
def written_percent(draw) -> tuple[str, float]:
    """A percent as reports write it, and its value: "85,5", "100 хувь", "<p>70%</p>", "90 - 100"."""
    def number(low: int = 0) -> tuple[str, float]:
        places = draw(st.sampled_from([0, 0, 1, 2]))
        whole = draw(st.integers(low * 10**places, 100 * 10**places))
        value = whole / 10**places
        shown = f"{value:.{places}f}"
        return (shown.replace(".", draw(st.sampled_from([".", ","]))) if places else shown), value

    suffix = st.sampled_from(["", "%", " %", " хувь", "хувь", " ХУВЬ", " хувиар", " хувьтай"])
    text, value = number()
    text += draw(suffix)
    if draw(st.booleans()):  # a range keeps its lower bound
        other, other_value = number()
        text = f"{text}{draw(st.sampled_from(['-', ' - ', '–', '—']))}{other}{draw(suffix)}"
        value = min(value, other_value)
    wrap = draw(st.sampled_from(["{}", " {} ", "<p>{}</p>", "\u00a0{}", "{}&nbsp;", "<b>{}</b>\n"]))
    return wrap.format(text), value


def test_percent_reads_back_what_was_written():
    def check(case):
        text, value = case
        parsed = parse_percent(text)
        assert parsed.warning is None and parsed.value == pytest.approx(value), (text, parsed)

    assert run_property(check, written_percent()) == EXAMPLES


@pytest.mark.parametrize(("raw", "value"), [("85,5", 85.5), ("100 хувь", 100.0), ("<p>70%</p>", 70.0),
                                            ("90 - 100", 90.0), ("0,25 %", 0.25)])
def test_percent_examples_from_the_reports(raw, value):
    assert parse_percent(raw).value == value


# ---------------------------------------------------------------------------------------------
# normalisation

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Excluded from the idempotence property, each for a stated reason:
# 1. markup left after one pass ("&lt;b&gt;" becomes "<b>", a second pass strips the tag): entities are
#    decoded once on purpose (the raw text is kept, pages escape it; see test_web's escaping test);
# 2. a legacy letter before a combining mark ("Є" + U+0308): fixed, FIXED_NORMALIZE_BUGS below.
_LEGACY_THEN_MARK = re.compile("[" + "".join(chr(c) for c in LEGACY_MAP) + "][\u0300-\u036f]")


def _markup_left(text: str) -> bool:
    return strip_html(text) != text


def test_normalize_never_raises():
    objects = st.one_of(texts, st.none(), st.integers(), st.floats(allow_nan=True), st.booleans())

    def check(raw):
        for keep in (False, True):
            out = normalize(raw, keep_newlines=keep)
            assert isinstance(out, str) and out == out.strip()
            assert "\r" not in out and ("\n" not in out or keep)

    assert run_property(check, objects) == EXAMPLES


def test_normalize_is_idempotent():
    def check(raw):
        assume(not _LEGACY_THEN_MARK.search(raw))
        for keep in (False, True):
            once = normalize(raw, keep_newlines=keep)
            assume(not _markup_left(once))
            assert normalize(once, keep_newlines=keep) == once, (raw, once)

    assert run_property(check, texts) == EXAMPLES


def test_normalize_adds_no_control_character():
    def check(raw):
        out = normalize(raw)
        assert set(_CONTROL.findall(out)) <= set(_CONTROL.findall(raw)), (raw, out)

    assert run_property(check, st.one_of(texts, st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
                                         .map(lambda t: t + "&#27;&#x7f;&#128;"))) == EXAMPLES


#: Failures the properties above found in nlp/text.py, since fixed: kept as regression cases.
FIXED_NORMALIZE_BUGS = (
    # the output keeps control characters (ESC, BEL, DEL, C1): wanted "no control character"
    ("control-characters-kept", "хяналт\x1b тавьсан\x07"),
    # NFC runs before the legacy letters are mapped: "Є" + U+0308 becomes "Ө" + U+0308, which NFC
    # would compose to "Ӫ" on a second pass
    ("nfc-before-legacy-map", "Є\u0308"),
)


@pytest.mark.parametrize("raw", [raw for _, raw in FIXED_NORMALIZE_BUGS], ids=[n for n, _ in FIXED_NORMALIZE_BUGS])
def test_fixed_normalize_bug(raw):
    once = normalize(raw)
    assert not _CONTROL.search(once)
    assert normalize(once) == once and unicodedata.is_normalized("NFC", once)


# ---------------------------------------------------------------------------------------------
# row assembly: no row is lost

_SEPARATOR = re.compile(r"^[-–—=_*\s]+$")


def _sentence(cap: bool, close: bool):
    return st.lists(word, min_size=1, max_size=8).map(" ".join).map(
        lambda s: (s[:1].upper() + s[1:] if cap else s) + ("." if close else ""))


_plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)
narrative_cell = st.one_of(st.just(""), _sentence(True, True), _sentence(False, False), _sentence(True, False), _plain)
measure_cell = st.one_of(st.just(""), st.builds(lambda k, s: f"1.1.{k}. {s}", st.integers(1, 30), _sentence(True, True)),
                         _sentence(True, True), _sentence(False, False))
percent_cell = st.one_of(st.just(""), st.sampled_from(["100", "85,5", "90-100", "100 хувь", "ХБ", "-", "140",
                                                       "хийгдсэн", "<p>70</p>", "0"]), _plain)
number_cell = st.one_of(st.just(""), st.integers(1, 40).map(str), st.sampled_from(["1.1", "6.", "x"]))
table = st.lists(st.tuples(number_cell, measure_cell, narrative_cell, percent_cell), min_size=1, max_size=8)


def _norm(cells) -> tuple[str, ...]:
    return tuple(normalize(cell) for cell in cells)


def _is_data(cells) -> bool:
    """A row with a measure, narrative or percent that is not only dashes (a separator row)."""
    filled = [c for c in _norm(cells) if c]
    return bool(any(normalize(c) for c in cells[1:])) and not all(_SEPARATOR.match(c) for c in filled)


def _line_of(message: str) -> int:
    return int(re.search(r"line (\d+)", message).group(1))


def test_no_row_is_lost_from_a_csv_table(tmp_path):
    """A rows table (``measure_no, measure, narrative, reported_percent``): one row per data row, in order."""
    path = tmp_path / "rows.csv"

    def check(rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["measure_no", "measure", "narrative", "reported_percent"])
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        data = [r for r in rows if any(_norm(r))]
        try:
            out = read_file(path)
        except ReportError as error:
            assert not data, error.message  # a file fails only when it has no row at all
            return
        assert len(out) == len(data), (rows, list(out["narrative"]))
        assert list(out["narrative"]) == [normalize(r[2]) for r in data]

    assert run_property(check, table) == EXAMPLES


def test_no_row_is_lost_from_a_text_dump(tmp_path):
    """A report form as a text dump: every data row is a row, or is named (by its line) in a warning.

    A row may be joined to the row above (a cut cell: the warning of that row names its line), be a
    percent alone (a file warning names its line), or look so much like a header that it is read as
    one (a file warning names it; a row identical to it is then a repeated header); rows after a
    header without a narrative column are skipped with a warning that says so.
    """
    path = tmp_path / "form.txt"
    header = ["№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь"]

    def check(rows):
        lines = [header] + [[n, "", m, t, p] for n, m, t, p in rows]
        path.write_text("\n".join("\t".join(cells) for cells in lines), encoding="utf-8")
        data = [number for number, cells in enumerate(lines, start=1) if number > 1 and _is_data(cells)]
        try:
            out = read_file(path)
        except ReportError as error:
            # only a file that has no numbered measure may fail, its rows all having been taken for headers
            assert not any(re.match(r"\d+\.\d+\.\d+\.", m) for _, m, _, _ in rows), error.message
            assert str(path) in error.message and " / " in error.message
            return
        file_warnings = out.attrs["warnings"]
        skipped_after = [_line_of(w) for w in file_warnings if "its rows were skipped" in w]
        headers = [_line_of(w) for w in file_warnings if "read as a new table header" in w]
        named = " ".join(list(out["location"]) + list(out["warnings"]) + file_warnings)
        for number in data:
            if any(number > k for k in skipped_after):
                continue
            if any(_norm(lines[number - 1]) == _norm(lines[k - 1]) for k in headers):
                continue
            assert re.search(rf"line {number}(?!\d)", named), (number, rows, list(out["location"]), file_warnings)
        # the text of a narrative is in the rows, unless its row was named in a file warning
        narratives = " ".join(out["narrative"])
        for number in data:
            text = normalize(lines[number - 1][3])
            if text and not headers and not skipped_after and not re.search(rf"line {number}:", " ".join(file_warnings)):
                assert text in narratives, (number, text, rows)

    assert run_property(check, table) == EXAMPLES


def test_the_property_list_is_complete():
    here = {name for name in globals() if name.startswith("test_")}
    assert set(PROPERTIES) <= here and len(PROPERTIES) == 8
