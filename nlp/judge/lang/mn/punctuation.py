"""Prefix, suffix and infix rules for the Mongolian tokenizer.

On top of spaCy's defaults:

* **Hyphenated suffixes are split off.** Mongolian writes case and ordinal
  suffixes on abbreviations, numbers and Latin-script words with a hyphen
  (``ЗДТГ-ын``, ``АТГ-аас``, ``3-р``, ``2024-ний``, ``Tender.gov.mn-д``). The
  suffix, hyphen included, becomes its own token: ``ЗДТГ`` + ``-ын``. The stem
  keeps one spelling in every case form, so ``LOWER == "здтг"`` finds all of
  them, and no character is lost. A hyphen between two lower-case Cyrillic
  words (a compound such as ``нийгэм-эдийн``) is left to spaCy's default rule.
* The tugrik sign ``₮`` is split from the amount before it (``500₮``).
* A comma between a digit and a letter is split (``2.3.2,Орон``).
* Digits glued to a lower-case Cyrillic word are split (``3удаа`` → ``3`` +
  ``удаа``), a common typing slip; an upper-case letter after digits is left
  alone because :func:`nlp.text.normalize` uses that shape for numbering.

:data:`TOKEN_MATCH` keeps multi-level numbering with its final point
(``1.1.2.``) and ISO dates (``2024-03-15``) whole. Dates with points
(``2024.03.15``), web addresses and document numbers (``А/45``, ``01/234``)
already stay whole under the default rules.
"""

from __future__ import annotations

import re

from spacy.lang.char_classes import ALPHA
from spacy.lang.punctuation import TOKENIZER_INFIXES as BASE_INFIXES
from spacy.lang.punctuation import TOKENIZER_PREFIXES as BASE_PREFIXES
from spacy.lang.punctuation import TOKENIZER_SUFFIXES as BASE_SUFFIXES

#: Lower-case Mongolian Cyrillic letters, as suffixes are written.
CYR_LOWER = "а-яёөү"
#: Upper-case Mongolian Cyrillic letters.
CYR_UPPER = "А-ЯЁӨҮ"

#: ``-ын``, ``-аас``, ``-р`` after an abbreviation, a number, a Latin word or a
#: closing bracket or quote: ``ХАСУМ-ийг``, ``(ХАСУМ)-ийг``, ``3-р``.
HYPHEN_SUFFIX = rf"(?<=[{CYR_UPPER}A-Za-z0-9)»”\"'])-[{CYR_LOWER}]{{1,8}}"

TOKENIZER_PREFIXES = list(BASE_PREFIXES)

TOKENIZER_SUFFIXES = [HYPHEN_SUFFIX, r"₮"] + list(BASE_SUFFIXES)

TOKENIZER_INFIXES = list(BASE_INFIXES) + [
    rf"(?<=[0-9]),(?=[{ALPHA}])",
    rf"(?<=[0-9])(?=[{CYR_LOWER}]{{2}})",
]

#: Numbering such as ``1.1.`` or ``1.1.2.`` (levels of one to three digits) and
#: ISO dates ``2024-03-15`` stay single tokens.
TOKEN_MATCH = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.|\d{4}-\d{1,2}-\d{1,2})$").match
