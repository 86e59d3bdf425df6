"""The Mongolian language for spaCy: tokenizer, stop words, like_num, registration."""

from __future__ import annotations

import importlib.metadata

import pytest
import spacy
from fresh_process import run_json

from nlp.judge.lang.mn import Mongolian, MongolianDefaults
from nlp.judge.lang.mn.lex_attrs import like_num
from nlp.judge.lang.mn.stop_words import STOP_WORDS
from nlp.judge.lang.mn.tokenizer_exceptions import ABBREVIATIONS


@pytest.fixture(scope="module")
def mn():
    return spacy.blank("mn")


def tokens(nlp, text):
    return [t.text for t in nlp(text)]


# --------------------------------------------------------------------------- #
# Tokenizer                                                                   #
# --------------------------------------------------------------------------- #

TOKEN_TABLE = [
    # Mongolian letters are letters
    ("Өргөдөл гомдол ирээгүй.", ["Өргөдөл", "гомдол", "ирээгүй", "."]),
    ("Үүрэг даалгаврын дагуу", ["Үүрэг", "даалгаврын", "дагуу"]),
    # abbreviations with case suffixes: abbreviation + "-suffix"
    ("ЗДТГ-ын даргаар", ["ЗДТГ", "-ын", "даргаар"]),
    ("АТГ-аас ирүүлсэн", ["АТГ", "-аас", "ирүүлсэн"]),
    ("ХАСУМ-ийг хянасан", ["ХАСУМ", "-ийг", "хянасан"]),
    ("ТАСЗ-д хүргүүлсэн", ["ТАСЗ", "-д", "хүргүүлсэн"]),
    ("ТАСЗ-өөс.", ["ТАСЗ", "-өөс", "."]),
    ("ТӨҮГ-ын дарга", ["ТӨҮГ", "-ын", "дарга"]),
    ("МСҮТ-ийн багш", ["МСҮТ", "-ийн", "багш"]),
    ("ЕБС-ийн", ["ЕБС", "-ийн"]),
    ("ИТХ-ын тогтоол", ["ИТХ", "-ын", "тогтоол"]),
    ("ОНХС-ын санал", ["ОНХС", "-ын", "санал"]),
    ("ТББ-ууд", ["ТББ", "-ууд"]),
    ("СӨББ-ын", ["СӨББ", "-ын"]),
    ("(ХАСУМ)-ийг", ["(", "ХАСУМ", ")", "-ийг"]),
    ("ЗДТГ, ИТХ, ЗГ.", ["ЗДТГ", ",", "ИТХ", ",", "ЗГ", "."]),
    # glued without a hyphen: one token
    ("ИТХурлын тэмдэглэл", ["ИТХурлын", "тэмдэглэл"]),
    ("ЭМТөв", ["ЭМТөв"]),
    # numbering
    ("1.1.2. Төрийн албанд", ["1.1.2.", "Төрийн", "албанд"]),
    ("5.1. Зах зээлийн", ["5.1.", "Зах", "зээлийн"]),
    ("2.3.2,Орон нутгийн", ["2.3.2", ",", "Орон", "нутгийн"]),
    # dates
    ("2024.03.15 өдөр", ["2024.03.15", "өдөр"]),
    ("2024-03-15", ["2024-03-15"]),
    ("15.03.2024 өдөр", ["15.03.2024", "өдөр"]),
    (
        "2024 оны 3 дугаар сарын 15-ны өдөр",
        ["2024", "оны", "3", "дугаар", "сарын", "15", "-ны", "өдөр"],
    ),
    ("3-р сард", ["3", "-р", "сард"]),
    ("2020-2024 оны", ["2020", "-", "2024", "оны"]),
    # web addresses
    ("shilendans.gov.mn хаягаар", ["shilendans.gov.mn", "хаягаар"]),
    ("www.tender.gov.mn цахим", ["www.tender.gov.mn", "цахим"]),
    ("Tender.gov.mn-д байршуулсан", ["Tender.gov.mn", "-д", "байршуулсан"]),
    ("https://www.facebook.com/taragt.sum хуудсанд", ["https://www.facebook.com/taragt.sum", "хуудсанд"]),
    # document numbers
    ("А/45 тушаал", ["А/45", "тушаал"]),
    ("01/234 тоот", ["01/234", "тоот"]),
    ("Б/123-р тушаалаар", ["Б/123", "-р", "тушаалаар"]),
    ("№ 45", ["№", "45"]),
    # numbers and money
    ("1,5 сая ₮", ["1,5", "сая", "₮"]),
    ("500₮", ["500", "₮"]),
    ("85.5%", ["85.5", "%"]),
    ("3удаа", ["3", "удаа"]),
    # short forms
    ("сургалт, уулзалт г.м.", ["сургалт", ",", "уулзалт", "г.м."]),
    ("д/д", ["д/д"]),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_TABLE, ids=[t for t, _ in TOKEN_TABLE])
def test_tokens(mn, text, expected):
    assert tokens(mn, text) == expected


@pytest.mark.parametrize("abbr", sorted(ABBREVIATIONS))
def test_every_abbreviation_splits_the_same_way(mn, abbr):
    assert tokens(mn, abbr) == [abbr]
    for suffix in ("-ын", "-ийн", "-аас", "-д", "-ийг", "-тай", "-ууд"):
        assert tokens(mn, f"{abbr}{suffix} ажил") == [abbr, suffix, "ажил"]


def test_abbreviation_norm_is_its_full_name_in_every_case_form(mn):
    for text in ("ЗДТГ", "ЗДТГ-ын", "ЗДТГ-аас", "(ЗДТГ)-ыг"):
        doc = mn(text)
        (abbr,) = [t for t in doc if t.text == "ЗДТГ"]
        assert abbr.norm_ == "засаг даргын тамгын газар"


def test_tokenizer_keeps_every_character(mn):
    text = "ЗДТГ-ын 1.1.2. А/45, 2024.03.15-нд shilendans.gov.mn-д 3удаа"
    assert mn(text).text == text


# --------------------------------------------------------------------------- #
# Stop words                                                                  #
# --------------------------------------------------------------------------- #

#: Words that carry a status label; never stop words.
LABEL_WORDS = [
    "үгүй", "биш", "бус", "байхгүй", "алга", "хийгээгүй", "чадаагүй", "боломжгүй",
    "хийгдээгүй", "байна", "байгаа", "болно", "зарим", "боловч", "гэвч", "гэхдээ",
    "харин", "дутуу", "бүх", "бүр", "нийт", "сул", "хамаарахгүй",
]  # fmt: skip


@pytest.mark.parametrize("word", LABEL_WORDS)
def test_label_words_are_not_stop_words(mn, word):
    assert word not in STOP_WORDS
    assert not mn.vocab[word].is_stop


def test_no_stop_word_is_a_negative_form():
    assert not [w for w in STOP_WORDS if w.endswith("гүй")]


def test_stop_words_are_function_words(mn):
    for word in ("ба", "болон", "нь", "энэ", "тухай", "талаар", "бөгөөд"):
        assert mn.vocab[word].is_stop, word


def test_no_stop_word_alone_is_a_cue():
    from nlp.judge.cues import find_cues

    assert {w: find_cues(w) for w in STOP_WORDS if find_cues(w)} == {}


# --------------------------------------------------------------------------- #
# like_num                                                                    #
# --------------------------------------------------------------------------- #

LIKE_NUM_TABLE = [
    ("12", True), ("1,5", True), ("85.5", True), ("1,013", True), ("1.000.000", True),
    ("1/2", True), ("-3", True), ("0", True),
    ("нэг", True), ("хоёр", True), ("гурав", True), ("Гурав", True), ("дөрөв", True),
    ("тав", True), ("зургаа", True), ("долоо", True), ("найм", True), ("ес", True),
    ("арав", True), ("хорь", True), ("зуу", True), ("мянга", True), ("сая", True),
    ("тэрбум", True), ("гурван", True), ("арван", True), ("зуун", True), ("мянган", True),
    ("нэгдүгээр", True), ("хоёрдугаар", True), ("гуравдугаар", True),
    ("дөрөвдүгээр", True), ("есдүгээр", True), ("аравдугаар", True),
    ("1.1.2", False), ("2024.03.15", False), ("А/45", False), ("хүн", False),
    ("тавьсан", False), ("ер", False), ("дугаар", False), ("", False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LIKE_NUM_TABLE)
def test_like_num(text, expected):
    assert like_num(text) is expected


def test_like_num_is_the_token_attribute(mn):
    doc = mn("гурван сургалтад 12 хүн 1.1.2. удаа")
    assert [t.like_num for t in doc] == [True, False, True, False, False, False]


# --------------------------------------------------------------------------- #
# Registration and serialisation                                              #
# --------------------------------------------------------------------------- #


def test_blank_mn_is_mongolian():
    pipeline = spacy.blank("mn")
    assert isinstance(pipeline, Mongolian)
    assert pipeline.lang == "mn"
    assert spacy.util.get_lang_class("mn") is Mongolian
    assert pipeline.Defaults is MongolianDefaults


SAMPLE = "ЗДТГ-ын 2024 оны А/45 тушаалаар 1.1.2. арга хэмжээг shilendans.gov.mn-д байршуулсан."


def _entry_point_installed() -> bool:
    return any(ep.name == "mn" for ep in importlib.metadata.entry_points(group="spacy_languages"))


@pytest.mark.parametrize(
    "via",
    [
        "import nlp.judge.lang.mn",
        pytest.param(
            "the entry point",
            marks=pytest.mark.skipif(
                not _entry_point_installed(), reason="package not installed (pip install -e .)"
            ),
        ),
    ],
)
def test_saved_pipeline_reloads_in_a_fresh_process(mn, tmp_path, via):
    mn.to_disk(tmp_path / "pipe")
    with_import = via.startswith("import")
    code = (
        f"import json, spacy\n{via if with_import else ''}\n"
        f"n = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"d = n({SAMPLE!r})\n"
        "print(json.dumps({'lang': n.lang, 'tokens': [t.text for t in d],"
        " 'norm': d[0].norm_, 'stop': n.vocab['ба'].is_stop}))"
    )
    assert run_json(code, repo_on_path=with_import) == {
        "lang": "mn",
        "tokens": tokens(mn, SAMPLE),
        "norm": "засаг даргын тамгын газар",
        "stop": True,
    }
