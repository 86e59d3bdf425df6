"""Text normalisation for Mongolian report cells.

Every narrative and measure passes through :func:`normalize` before it is
embedded, matched or classified. The raw cell text is always kept beside it by
the reader, so nothing an auditor typed is lost.

What it does, in order:

1. HTML tags removed (``<p>``, ``<br>``, ...) and entities decoded (``&nbsp;``).
2. Unicode NFC.
3. Legacy-font letters mapped to modern Cyrillic (Є/є, Ѳ/ѳ → Ө/ө; Ї/ї → Ү/ү).
4. Latin ö/ü → ө/ү.
5. Latin look-alike letters inside a Cyrillic word → Cyrillic (``тaйлан`` with a Latin ``a``).
6. A digit typed for a Cyrillic letter after a numbering prefix (``5.1.1.3ах`` → ``5.1.1.Зах``).
7. A missing space after sentence punctuation (``хийсэн.Мөн`` → ``хийсэн. Мөн``),
   but not after an initial (``Д.Батболд``).
8. Whitespace collapsed and stripped; invisible characters (soft hyphen,
   zero-width space, byte-order mark) removed.
9. A cell typed on a Russian keyboard, which has no Ө and Ү keys («ирээгуй», «хун»), restored word by word
   (:func:`restore_keyboard_typing`): «ирээгүй», «хүн».
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["normalize", "romanize", "strip_html", "is_cyrillic_word", "latin_share", "restore_keyboard_typing",
           "fold_keyboard",
           "LEGACY_MAP", "LOOKALIKE_MAP", "KEYBOARD_FILE"]

#: Letters from pre-Unicode Mongolian fonts, typed with Ukrainian/Old-Cyrillic code points.
LEGACY_MAP = str.maketrans({
    "Є": "Ө", "є": "ө",
    "Ѳ": "Ө", "ѳ": "ө",
    "Ї": "Ү", "ї": "ү",
    "ö": "ө", "Ö": "Ө",
    "ü": "ү", "Ü": "Ү",
})

#: Latin letters that look like Cyrillic ones (replaced only inside Cyrillic words).
LOOKALIKE_MAP = str.maketrans({
    "a": "а", "A": "А", "e": "е", "E": "Е", "o": "о", "O": "О",
    "p": "р", "P": "Р", "c": "с", "C": "С", "x": "х", "X": "Х",
    "y": "у", "Y": "У", "H": "Н", "K": "К", "M": "М", "T": "Т",
    "B": "В", "k": "к", "m": "т",
    # "v" is typed for "ү" on Latin keyboards ("байхгvй").
    "v": "ү", "V": "Ү",
})
# ``m`` is only a look-alike of italic ``т``; keep it out of the map to avoid surprises.
del LOOKALIKE_MAP[ord("m")]

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
_BR = re.compile(r"<\s*(br|/p|/div|/li|/tr)\b[^<>]*>", re.IGNORECASE)
_CYR = "А-Яа-яЁёӨөҮүЄєЇїѲѳ"
_LATIN_LOOK = "aAeEoOpPcCxXyYHKMTBkvV"
# A whole word (letters only). Look-alikes are replaced only in a word that has a
# Cyrillic letter and no Latin letter other than a look-alike: "Facebook-ийн" and
# "Facebookийн" keep their Latin letters.
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_HAS_CYR = re.compile(rf"[{_CYR}]")
_HAS_LATIN = re.compile(rf"[{_LATIN_LOOK}]")
_OTHER_LATIN = re.compile(rf"[A-Za-z](?<![{_LATIN_LOOK}])")
# Invisible characters removed outright: soft hyphen, zero-width space and joiners, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Control characters (C0 but tab and line breaks, DEL, C1): never text; a space keeps words apart.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# 3 typed for З, 0 for О at the start of a word right after a numbering prefix:
# "5.1.1.3ах зээлийн" is measure 5.1.1 "Зах зээлийн". Only after "N." and before a
# vowel, so counts such as "3удаа" or "3сард" elsewhere stay digits.
_DIGIT_FOR_LETTER = re.compile(r"(?<=\d\.)([30])(?=[аэиоуөүеяёю][а-яөүё])")
_DIGIT_LETTER = {"3": "З", "0": "О"}
# Sentence punctuation directly followed by a capital Cyrillic letter, except after
# an initial: "Д.Батболд" keeps its form.
_MISSING_SPACE = re.compile(rf"(?<!\b[А-ЯЁӨҮA-Z])([.!?;])(?=[А-ЯЁӨҮ][{_CYR}])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def strip_html(text: str) -> str:
    """Remove HTML tags and decode entities; block-level tags become spaces.

    Parameters
    ----------
    text : str
        Cell text that may hold HTML fragments such as ``<p>100</p>``.

    Returns
    -------
    str
        The text without tags, entities decoded.
    """
    if "<" in text:
        text = _BR.sub(" ", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def is_cyrillic_word(word: str) -> bool:
    """True when ``word`` holds at least one Cyrillic letter."""
    return bool(_HAS_CYR.search(word))


def latin_share(text: str) -> float:
    """Share of the letters of ``text`` that are Latin (``a``–``z``): near 1 for Mongolian typed in Latin letters.

    ``0.0`` for a text with fewer than three letters. A Cyrillic narrative with a web address, an
    abbreviation or a few look-alike letters stays far under one half.

    Examples
    --------
    >>> latin_share("surgalt zohion baiguulj 34 ajiltan hamragdsan")
    1.0
    >>> latin_share("tender.gov.mn-д 2 удаа нийтэлсэн") < 0.5
    True
    """
    text = str(text)
    if _LATIN_LETTER.search(text) is None:  # most narratives: no Latin letter at all, skip the count
        return 0.0
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return 0.0
    return sum("a" <= c.lower() <= "z" for c in letters) / len(letters)


def _fix_lookalikes(match: re.Match) -> str:
    word = match.group(0)
    if _HAS_CYR.search(word) and _HAS_LATIN.search(word) and not _OTHER_LATIN.search(word):
        return word.translate(LOOKALIKE_MAP)
    return word


#: Words as a Russian keyboard types them and the words meant (``data/make_keyboard_lexicon.py`` writes it).
KEYBOARD_FILE = Path(__file__).resolve().parent / "keyboard.tsv"
_KEYBOARD_FOLD = str.maketrans("өүӨҮ", "оуОУ")
_CYR_WORD = re.compile(rf"[{_CYR}]+")
_HAS_OU = re.compile("[өүӨҮ]")
#: The negative suffix «-гүй» typed «-гуй» after at least three letters of a stem («хийгээгуй», «боломжгуй»).
_NEG_TYPED = re.compile(r"(?<=[а-яё]{3})гуй$")


def fold_keyboard(text: str) -> str:
    """ө → о and ү → у: a word the way a Russian keyboard layout types it."""
    return text.translate(_KEYBOARD_FOLD)


@lru_cache(maxsize=1)
def _keyboard_lexicon() -> dict[str, str]:
    out = {}
    for line in KEYBOARD_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            typed, meant = line.split("\t")
            out[typed] = meant
    return out


def _restored_word(word: str) -> str | None:
    low = word.lower()
    meant = _keyboard_lexicon().get(low)
    if meant is None and _NEG_TYPED.search(low):
        meant = low[:-3] + "гүй"
    if meant is None:
        return None
    if word.isupper() and len(word) > 1:
        return meant.upper()
    return meant[0].upper() + meant[1:] if word[0].isupper() else meant


def restore_keyboard_typing(text: str) -> str:
    """Restore ө and ү in a cell typed on a Russian keyboard; any other cell is returned unchanged.

    A word is restorable when the list in ``nlp/keyboard.tsv`` knows its folded form (``хун`` → ``хүн``;
    counted from cells typed with ө and ү, only where the ө/ү word is far more frequent than the folded one
    as a word of its own) or when it ends in the negative suffix typed ``-гуй``. The cell is restored when
    it has two restorable words, or one and no ө or ү anywhere, so a lone odd word in a normally typed
    cell is left alone.

    Examples
    --------
    >>> restore_keyboard_typing("Хусэлт ирээгуй.")
    'Хүсэлт ирээгүй.'
    >>> restore_keyboard_typing("Ус хангамжийн шугам шалгасан.")
    'Ус хангамжийн шугам шалгасан.'
    """
    restorable = [w for w in _CYR_WORD.findall(text) if _restored_word(w)]
    if len(restorable) >= 2 or (restorable and not _HAS_OU.search(text)):
        return _CYR_WORD.sub(lambda m: _restored_word(m.group()) or m.group(), text)
    return text


def normalize(text: object, *, keep_newlines: bool = False, restore_keyboard: bool = True) -> str:
    """Normalise one cell of report text.

    Parameters
    ----------
    text : object
        The raw cell. ``None`` and NaN give ``""``; other values are turned into ``str``.
    keep_newlines : bool, default False
        Keep line breaks (collapsed to one) instead of turning them into spaces.
    restore_keyboard : bool, default True
        Restore ө and ү in a cell typed on a Russian keyboard (:func:`restore_keyboard_typing`).

    Returns
    -------
    str
        Normalised text; ``""`` for an empty cell.

    Examples
    --------
    >>> normalize("<p>Сургалт зохион байгуулсан.Мөн&nbsp;3 албан хаагч</p>")
    'Сургалт зохион байгуулсан. Мөн 3 албан хаагч'
    >>> normalize("тєлєвлєгєє")
    'төлөвлөгөө'
    """
    if text is None:
        return ""
    if isinstance(text, float) and text != text:  # NaN
        return ""
    text = str(text)
    if not text:
        return ""
    text = strip_html(text)
    text = _CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = text.translate(LEGACY_MAP)
    text = unicodedata.normalize("NFC", text)  # a legacy letter may now compose with a following mark
    text = _WORD.sub(_fix_lookalikes, text)
    text = _DIGIT_FOR_LETTER.sub(lambda m: _DIGIT_LETTER[m.group(1)], text)
    text = _MISSING_SPACE.sub(r"\1 ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        text = _NEWLINES.sub("\n", text)
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    else:
        text = _SPACES.sub(" ", _NEWLINES.sub(" ", text))
    text = text.strip()
    return restore_keyboard_typing(text) if restore_keyboard and text else text


#: Cyrillic → Latin the way Mongolian is typed on a Latin keyboard, folded so that the common
#: spellings meet: ү and ө (typed v, u, o, ü, ö) both become ``u``; х/kh become ``h``.
_ROMAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "u", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
    "ы": "i", "ь": "i", "э": "e", "ю": "yu", "я": "ya", "є": "u", "ї": "u",
}
_ROMAN_TABLE = str.maketrans(_ROMAN)
_LATIN_FOLD = (("kh", "h"), ("ü", "u"), ("ö", "u"), ("w", "u"), ("q", "k"), ("x", "h"), ("y", "i"))


def romanize(text: str) -> str:
    """A script-blind form of ``text`` for character n-grams: Cyrillic and Latin typing of the same word meet.

    ``мэдүүлэг`` and the phone-typed ``medvvleg`` both give ``meduuleg``; ``хурал`` and ``hural``
    give ``hural``. Lossy on purpose (ө/ү/у fold together): it feeds a TF-IDF block, never the
    text an auditor reads.

    Examples
    --------
    >>> romanize("Мэдүүлэг") == romanize("medvvleg")
    True
    """
    t = text.lower().translate(_ROMAN_TABLE)
    for a, b in _LATIN_FOLD:
        t = t.replace(a, b)
    # Phone typists write ү as "v" ("medvvleg"); в (also "v") is rare in Mongolian, so every v folds to u.
    return t.replace("v", "u")
