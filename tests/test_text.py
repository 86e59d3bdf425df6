"""Table-driven tests of text normalisation (nlp.text.normalize)."""

from __future__ import annotations

import math
import unicodedata

import pytest

from nlp.text import normalize, strip_html

CASES = [
    # HTML tags and entities
    ("<p>Сургалт</p>", "Сургалт"),
    ("<p>нэг</p><p>хоёр</p>", "нэг хоёр"),
    ("мөр<br>мөр", "мөр мөр"),
    ("Иргэд&nbsp;олон", "Иргэд олон"),
    ("&lt;тайлан&gt; &amp; биелэлт", "<тайлан> & биелэлт"),
    ("5 < 10 хувь", "5 < 10 хувь"),
    # NFC: и + combining breve → й
    ("и\u0306рээдүй", "йрээдүй"),
    # whitespace
    ("  хоёр   зай\tтаб\n мөр  ", "хоёр зай таб мөр"),
    ("зай\u00a0\u202fзай", "зай зай"),
    ("зөөлөн\u00adзураас", "зөөлөнзураас"),
    ("\ufeffтайлан", "тайлан"),
    # legacy-font letters
    ("тєлєвлєгєє", "төлөвлөгөө"),
    ("ЄНДЄР", "ӨНДӨР"),
    ("Їйлчилгээ їзїїлэх", "Үйлчилгээ үзүүлэх"),
    ("ѲѲР ѳѳр", "ӨӨР өөр"),
    # Latin ö/ü
    ("төлöвлөгöö", "төлөвлөгөө"),
    ("Üйл ажиллагаа", "Үйл ажиллагаа"),
    # Latin look-alikes inside Cyrillic words
    ("тaйлан", "тайлан"),
    ("ТАЙЛAН", "ТАЙЛАН"),
    ("Mөн", "Мөн"),
    ("хoрoo", "хороо"),
    # "v" typed for "ү" inside a Cyrillic word
    ("байхгvй", "байхгүй"),
    # ... but not in Latin words or words with other Latin letters
    ("vote", "vote"),
    ("E Mongolia", "E Mongolia"),
    ("www.tender.gov.mn", "www.tender.gov.mn"),
    ("Facebookийн", "Facebookийн"),
    ("фэйсбүүк-д", "фэйсбүүк-д"),
    # a digit typed for a letter after a numbering prefix
    ("5.1.1.3ах зээлийн", "5.1.1. Зах зээлийн"),
    ("5.1.3ах", "5.1. Зах"),
    ("3удаа сургалт", "3удаа сургалт"),
    ("2024 онд 3 удаа", "2024 онд 3 удаа"),
    # missing space after sentence punctuation
    ("хийсэн.Мөн", "хийсэн. Мөн"),
    ("хийсэн!Мөн", "хийсэн! Мөн"),
    ("хийсэн;Мөн", "хийсэн; Мөн"),
    ("ЗДТГ.Дарга", "ЗДТГ. Дарга"),
    ("Д.Батболд", "Д.Батболд"),
    ("shilendans.gov.mn", "shilendans.gov.mn"),
    ("12.5 сая", "12.5 сая"),
    # empty
    ("", ""),
    (None, ""),
    (math.nan, ""),
    (100, "100"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_normalize_is_idempotent_and_nfc(raw, _):
    once = normalize(raw)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_keep_newlines():
    assert normalize("нэг  \n\n  хоёр<br>гурав", keep_newlines=True) == "нэг\nхоёр гурав"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("<p>100</p>", "100 "), ("a<br/>b", "a b"), ("&quot;x&quot;", '"x"'), ("no tags", "no tags")],
)
def test_strip_html(raw, expected):
    # Block-level tags become a space; normalize() collapses and strips it.
    assert strip_html(raw) == expected
