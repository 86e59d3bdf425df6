"""Mongolian (Cyrillic script) for spaCy: ``spacy.blank("mn")``.

Laid out like spaCy's own language packages (``spacy/lang/ky``):
:mod:`.stop_words`, :mod:`.tokenizer_exceptions`, :mod:`.lex_attrs`,
:mod:`.punctuation`. Importing this module registers the language; a saved
pipeline also finds it in a fresh process through the ``spacy_languages`` entry
point that ``pyproject.toml`` declares (``pip install -e .``), or after
``import nlp.judge.lang.mn``.

Tokenisation decisions
----------------------
* Cyrillic words with Ө ө Ү ү are ordinary letters.
* **Suffixed abbreviations split into abbreviation + suffix**, the same for all:
  ``ЗДТГ-ын`` → ``ЗДТГ`` ``-ын``; ``АТГ-аас`` → ``АТГ`` ``-аас``;
  ``ХАСУМ-ийг`` → ``ХАСУМ`` ``-ийг``. The suffix token keeps its hyphen. The
  same rule applies to numbers and Latin words (``3-р`` → ``3`` ``-р``,
  ``Tender.gov.mn-д`` → ``Tender.gov.mn`` ``-д``). A bare abbreviation is one
  token whose ``NORM`` is its full name.
* Numbering (``1.1.2.``), dates (``2024.03.15``, ``2024-03-15``), web addresses
  (``shilendans.gov.mn``, ``www.tender.gov.mn``) and document numbers
  (``А/45``, ``01/234``) are single tokens.

Examples
--------
>>> import spacy, nlp.judge.lang.mn
>>> [t.text for t in spacy.blank("mn")("ЗДТГ-ын А/45 тушаал")]
['ЗДТГ', '-ын', 'А/45', 'тушаал']
"""

from __future__ import annotations

import spacy
from spacy.language import BaseDefaults, Language

from .lex_attrs import LEX_ATTRS
from .punctuation import TOKEN_MATCH, TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from .stop_words import STOP_WORDS
from .tokenizer_exceptions import TOKENIZER_EXCEPTIONS


class MongolianDefaults(BaseDefaults):
    """Language data for Mongolian: exceptions, punctuation, lexical attributes."""

    tokenizer_exceptions = TOKENIZER_EXCEPTIONS
    prefixes = TOKENIZER_PREFIXES
    suffixes = TOKENIZER_SUFFIXES
    infixes = TOKENIZER_INFIXES
    token_match = TOKEN_MATCH
    lex_attr_getters = LEX_ATTRS
    stop_words = STOP_WORDS


@spacy.registry.languages("mn")
class Mongolian(Language):
    """The Mongolian language class, ``lang = "mn"``."""

    lang = "mn"
    Defaults = MongolianDefaults


__all__ = ["Mongolian"]
