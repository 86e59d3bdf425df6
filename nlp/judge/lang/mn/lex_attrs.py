"""Lexical attributes for Mongolian: ``like_num``.

A token is number-like when it is

* digits, with an optional sign, thousands groups (``1,013``, ``1.000.000``) and
  one decimal part written with a comma or a point (``1,5``, ``85.5``);
* a fraction of digits (``1/2``);
* a Mongolian number word in its citation or attributive form (``гурав``,
  ``гурван``), or an ordinal in ``-дугаар``/``-дүгээр`` (``гуравдугаар``,
  ``нэгдүгээр``).

Multi-level numbering (``1.1.2``) and dates (``2024.03.15``) are not numbers.
Bare ``ер`` (90, but also the particle of ``ер нь``) and ``тавь`` (50, but also
"put!") are left out on purpose; their attributive forms ``ерэн`` and ``тавин``
count.
"""

from __future__ import annotations

import re

from spacy.attrs import LIKE_NUM

#: Citation forms of the cardinal numbers that take an ordinal suffix.
_CARDINALS = (
    "тэг нэг хоёр гурав дөрөв тав зургаа долоо найм ес арав "
    "хорь гуч дөч тавь жар дал ная ер зуу мянга сая тэрбум"
).split()

#: Attributive forms (``гурван хүн``) and the big units without an ordinal.
_ATTRIBUTIVE = (
    "нэгэн гурван дөрвөн таван зургаан долоон найман есөн арван "
    "хорин гучин дөчин тавин жаран далан наян ерэн зуун мянган "
    "их наяд триллион миллион миллиард"
).split()

_BACK_VOWELS = frozenset("аоуяёю")


def _ordinal(cardinal: str) -> str:
    """``гурав`` → ``гуравдугаар``, ``дөрөв`` → ``дөрөвдүгээр`` (vowel harmony)."""
    suffix = "дугаар" if _BACK_VOWELS & set(cardinal) else "дүгээр"
    return cardinal + suffix


#: Every Mongolian word that :func:`like_num` accepts.
NUM_WORDS = frozenset(
    [w for w in _CARDINALS if w not in ("ер", "тавь")]
    + _ATTRIBUTIVE
    + [_ordinal(w) for w in _CARDINALS if w not in ("тэг", "сая", "тэрбум")]
)

_DIGITS = re.compile(r"^[+\-±~]?\d+(?:[,.]\d{3})*(?:[,.]\d+)?$")
_FRACTION = re.compile(r"^\d+/\d+$")


def like_num(text: str) -> bool:
    """Whether ``text`` reads as a number.

    Parameters
    ----------
    text : str
        The token text.

    Returns
    -------
    bool
        True for digits (``12``, ``1,5``, ``85.5``), fractions (``1/2``) and
        Mongolian number words (``гурав``, ``хоёрдугаар``, ``мянга``).

    Examples
    --------
    >>> like_num("1,5"), like_num("гуравдугаар"), like_num("1.1.2")
    (True, True, False)
    """
    if _DIGITS.match(text) or _FRACTION.match(text):
        return True
    return text.lower() in NUM_WORDS


LEX_ATTRS = {LIKE_NUM: like_num}
