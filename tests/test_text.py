"""Table-driven tests of text normalisation (nlp.text.normalize)."""

from __future__ import annotations

import math
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from nlp.text import KEYBOARD_FILE, latin_share, normalize, strip_html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data"))
import make_keyboard_lexicon  # noqa: E402

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
    # typed on a Russian keyboard (no Ө, Ү keys): restored from nlp/keyboard.tsv and the «-гуй» suffix
    ("Тайлант хугацаанд гомдол ирээгуй.", "Тайлант хугацаанд гомдол ирээгүй."),
    ("Шинэ 4 багшид танилцуулж гарын усэг зуруулсан.", "Шинэ 4 багшид танилцуулж гарын үсэг зуруулсан."),
    ("Ёс зуйн зовлолийн хурлаар батлуулж амжаагуй.", "Ёс зүйн зөвлөлийн хурлаар батлуулж амжаагүй."),
    ("ХИЙГДЭЭГУЙ", "ХИЙГДЭЭГҮЙ"),
    # ... but not a normally typed cell: «ус» (water) is a word of its own, and one odd word beside ө/ү stays
    ("Ус хангамжийн шугамыг шалгасан.", "Ус хангамжийн шугамыг шалгасан."),
    ("Сургалт зохион байгуулсан, 24 хүн хамрагдсан.", "Сургалт зохион байгуулсан, 24 хүн хамрагдсан."),
    ("Өргөдөл ирээгуй.", "Өргөдөл ирээгуй."),
    ("агуй", "агуй"),
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


def test_keyboard_restoration_can_be_turned_off():
    assert normalize("гомдол ирээгуй", restore_keyboard=False) == "гомдол ирээгуй"
    assert normalize("гомдол ирээгуй") == "гомдол ирээгүй"


def _labelled_file(folder, name, cells):
    pd.DataFrame({"measure": ["Арга хэмжээ авах"] * len(cells), "narrative": cells}).to_csv(folder / name,
                                                                                          index=False)


def test_keyboard_lexicon_counts_cells_typed_with_o_and_u(tmp_path):
    _labelled_file(tmp_path, "w01_a.csv", ["3 хүн хамрагдсан", "5 хүн ирсэн", "үс засуулсан өдөр",
                                           "үс ус хоёр өөр", "ус ус ус ус ус өдөр"])
    # w37 types on a Russian keyboard: its file is never counted, whatever it holds
    _labelled_file(tmp_path, "w37_b.csv", ["хүн хүн хүн өгсөн өгсөн өгсөн"])
    lexicon = make_keyboard_lexicon.build(tmp_path)
    assert lexicon == {"хун": "хүн", "одор": "өдөр"}  # «үс» is rarer than «ус» as a word of its own


def test_shipped_keyboard_lexicon_is_a_fresh_build():
    assert KEYBOARD_FILE.read_text(encoding="utf-8") == make_keyboard_lexicon.render(make_keyboard_lexicon.build())


def test_keep_newlines():
    assert normalize("нэг  \n\n  хоёр<br>гурав", keep_newlines=True) == "нэг\nхоёр гурав"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("<p>100</p>", "100 "), ("a<br/>b", "a b"), ("&quot;x&quot;", '"x"'), ("no tags", "no tags")],
)
def test_strip_html(raw, expected):
    # Block-level tags become a space; normalize() collapses and strips it.
    assert strip_html(raw) == expected


@pytest.mark.parametrize(("text", "latin"), [
    ("surgalt zohion baiguulj 34 ajiltan hamragdsan", True),     # Mongolian typed in Latin letters
    ("khuselt ireegui", True),
    ("Oron too sul tul hiigdeegui, HAA-nii ajiltan", True),
    ("Сургалтад 34 ажилтан хамрагдсан.", False),
    ("tender.gov.mn-д 2 удаа нийтэлсэн, А/12 тушаал", False),       # an address in Cyrillic text
    ("Cургалт хийсэн", False),                                       # a Latin look-alike «C»
    ("OK, 100%", False),                                              # fewer than three letters
    ("", False),
])
def test_latin_share(text, latin):
    assert (latin_share(text) >= 0.5) is latin
