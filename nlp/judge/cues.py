"""Cue component: the words in a narrative that tell an auditor what happened.

A spaCy pipeline component, factory ``"mn_cues"``, built on :class:`spacy.matcher.Matcher`.
It needs no lemmatizer: Mongolian suffixes are matched with token-level regular
expressions on word stems (``^байгуул`` finds ``байгуулсан``, ``байгуулах``, ...)
and on the negative endings (``-аагүй``, ``-хгүй``, ``-лгүй``), next to exact
``LOWER`` words, ``LIKE_NUM``, ``LIKE_URL`` and ``SHAPE``.
Input text is expected to be normalised with :func:`nlp.text.normalize` already,
so legacy-font and Latin look-alike letters are Cyrillic by the time they get here.

Cue kinds, in the order of :data:`CUE_KINDS`:

``negation``
    ``-гүй`` forms (``зохион байгуулаагүй``, ``хийгдээгүй``, ``чадаагүй``,
    ``боломжгүй``, ``байхгүй``, ``хийлгүй``), ``үгүй``, ``биш``, ``бус``, ``алга``.
    Positive privatives (``тасралтгүй``, ``зөрчилгүй``, ``саадгүй``, ``зайлшгүй``,
    ...) and ``төрийн бус`` are not negation.
``staffing``
    Staff shortage or turnover: ``сул орон тоо``, ``орон тоо дутмаг``,
    ``тогтвор суурьшилгүй``, ``кадрын хөдөлгөөн``, ``ажлаас чөлөөлөгдсөн``,
    ``жирэмсний амралт``, ``хүүхэд асрах чөлөө``, ``хавсран гүйцэтгэдэг``,
    ``хүн хүч дутмаг``, ``мэргэжилтэн байхгүй``.
``budget``
    ``төсөв хүрэлцээгүй``, ``санхүүжилт шийдэгдээгүй``, ``хөрөнгө мөнгө байхгүй``.
``not_applicable``
    ``тохиолдол гараагүй``, ``хүсэлт ирээгүй``, ``өргөдөл гомдол ирээгүй``,
    ``хамаарахгүй``, ``шаардлага гараагүй``; and a narrative that is only
    ``байхгүй``, ``ХБ`` or a dash (the cue then spans the whole text).
``boilerplate``
    Phrases that say work goes on without saying what was done:
    ``ажиллаж байна``, ``анхааран ажилласан``, ``хэрэгжүүлж байна``,
    ``тогтмол хяналт тавьж``, ``зохих журмын дагуу``.
``ongoing``
    ``хийгдэж байна``, ``үргэлжилж байна``, ``эхлүүлсэн``, ``шатандаа``,
    ``төлөвлөж байна``, ``хийхээр``.
``partial_scope``
    ``зарим``, ``хэсэгчлэн``, ``боловч``, ``гэвч``, ``гэхдээ``, ``дутуу``,
    ``бүрэн бус``, ``бүрэн хийгдээгүй``.
``evidence_count``
    A number and a counting noun: ``12 албан хаагч``, ``3 удаа``,
    ``5 сургалт``, ``45 хувь``, ``гурван сургалт``.
``evidence_date``
    ``2024 оны 3 дугаар сарын 15``, ``2024.03.15``, ``3-р сард``, ``2024 онд``.
``evidence_docno``
    ``А/45``, ``01/234 тоот``, ``109 дүгээр тогтоол``, ``№ 45``.
``evidence_url``
    Web addresses (``shilendans.gov.mn``), social media (``facebook``,
    ``фэйсбүүк``), ``вэб сайт``, ``цахим хуудас``, ``шилэн данс``.
``evidence_verb``
    Past forms of verbs that leave a trace: ``батлуулсан``, ``байршуулсан``,
    ``зохион байгуулсан``, ``хүргүүлсэн``, ``хянуулсан``, ``нийтэлсэн``,
    ``олгосон``, ``хамруулсан``, ``шийдвэрлэсэн``.

Where matches overlap the longer one wins, then the more specific kind (the
order of ``_PRIORITY``): ``орон тоо хүрэлцээгүй`` is staffing, not negation;
``хүсэлт ирээгүй`` is not_applicable. Overlapping matches of one kind are
joined. A count, date, document number or address inside a wider cue of a
non-evidence kind is kept too (the date in a staffing sentence is still a date).

For speed each regular-expression token class becomes a lexeme flag
(``Vocab.add_flag``): the expression runs once per distinct word, not once per
token and pattern. About 2,000 narratives of some 37 words a second on one core.

The component writes the cues as ``doc.spans["cues"]`` (labels are the kinds,
so ``displacy.render(doc, style="span", options={"spans_key": "cues"})`` shows
them) and ``doc._.cues`` reads them back as :class:`Cue` tuples. A pipeline
saved with ``nlp.to_disk`` reloads with ``spacy.load`` once ``nlp.judge.cues`` is
imported (the import registers the factory and the extension).

Public API: :func:`get_pipeline`, :func:`find_cues`, :func:`find_cues_many`,
:func:`cue_matrix` with :data:`FEATURE_NAMES`, :func:`reasons_mn` with
:data:`REASON_MN` and its English gloss :data:`REASON_EN`.

Examples
--------
>>> from nlp.judge.cues import find_cues, reasons_mn
>>> cues = find_cues("Сул орон тоотой тул сургалт зохион байгуулаагүй.")
>>> [c.kind for c in cues]
['staffing', 'negation']
>>> reasons_mn(cues)
['орон тооны шалтгаан: «Сул орон тоотой»', 'үгүйсгэл: «зохион байгуулаагүй»']
"""

from __future__ import annotations

import math
import multiprocessing
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from .lang import mn as _mn  # noqa: F401  (registers the "mn" language)

__all__ = [
    "CUE_KINDS",
    "EVIDENCE_KINDS",
    "EXTRA_FEATURES",
    "FEATURE_NAMES",
    "REASON_EN",
    "REASON_MN",
    "SPANS_KEY",
    "Cue",
    "CueList",
    "CueComponent",
    "cue_matrix",
    "find_cues",
    "find_cues_many",
    "get_pipeline",
    "reasons_mn",
]

#: Every cue kind, in the order of the count columns of :func:`cue_matrix`.
CUE_KINDS: tuple[str, ...] = (
    "negation",
    "staffing",
    "budget",
    "not_applicable",
    "boilerplate",
    "ongoing",
    "partial_scope",
    "evidence_count",
    "evidence_date",
    "evidence_docno",
    "evidence_url",
    "evidence_verb",
)

#: The kinds that show the work was done and can be checked.
EVIDENCE_KINDS: tuple[str, ...] = tuple(k for k in CUE_KINDS if k.startswith("evidence_"))

#: Columns of :func:`cue_matrix` after the counts.
#:
#: ``log_chars``
#:     ``log(1 + number of characters)`` of the narrative.
#: ``boilerplate_share``
#:     Share of the narrative's words that stand inside boilerplate cues (0–1).
#: ``evidence_share``
#:     Share of the narrative's words that stand inside evidence cues (0–1).
#: ``neg_after_evidence``
#:     1 when a negation cue comes after an ``evidence_verb`` cue: work listed,
#:     then an unmet part ("... батлуулсан. ... зохион байгуулаагүй").
#: ``neg_position``
#:     Where the last negation starts, as a share of the text length (0 when
#:     there is none); a negation at the end weighs on the verdict.
EXTRA_FEATURES: tuple[str, ...] = (
    "log_chars",
    "boilerplate_share",
    "evidence_share",
    "neg_after_evidence",
    "neg_position",
)

#: Names of the columns of :func:`cue_matrix`: ``n_<kind>`` counts, then the extras.
FEATURE_NAMES: tuple[str, ...] = tuple(f"n_{k}" for k in CUE_KINDS) + EXTRA_FEATURES

#: Key of the span group the component writes.
SPANS_KEY = "cues"

#: Tie-break when two cues cover the same tokens: the earlier kind wins.
_PRIORITY: tuple[str, ...] = (
    "not_applicable",
    "staffing",
    "budget",
    "partial_scope",
    "evidence_docno",
    "evidence_date",
    "evidence_count",
    "evidence_url",
    "ongoing",
    "boilerplate",
    "evidence_verb",
    "negation",
)
_RANK = {kind: i for i, kind in enumerate(_PRIORITY)}

#: Short Mongolian reason per kind, ``{}`` is the cue text.
REASON_MN: dict[str, str] = {
    "not_applicable": "хамаарахгүй / тохиолдол гараагүй: «{}»",
    "staffing": "орон тооны шалтгаан: «{}»",
    "budget": "санхүүгийн шалтгаан: «{}»",
    "negation": "үгүйсгэл: «{}»",
    "partial_scope": "хэсэгчилсэн: «{}»",
    "ongoing": "хийгдэж буй: «{}»",
    "boilerplate": "ерөнхий үг хэллэг: «{}»",
    "evidence_count": "нотолгоо: тоо «{}»",
    "evidence_date": "нотолгоо: огноо «{}»",
    "evidence_docno": "нотолгоо: баримтын дугаар «{}»",
    "evidence_url": "нотолгоо: цахим хаяг «{}»",
    "evidence_verb": "нотолгоо: хийсэн ажил «{}»",
}

#: English gloss of :data:`REASON_MN`, for the docs.
REASON_EN: dict[str, str] = {
    "not_applicable": "not applicable / no case arose: «{}»",
    "staffing": "staffing reason: «{}»",
    "budget": "funding reason: «{}»",
    "negation": "negation: «{}»",
    "partial_scope": "partly done: «{}»",
    "ongoing": "still in progress: «{}»",
    "boilerplate": "boilerplate phrase: «{}»",
    "evidence_count": "evidence: count «{}»",
    "evidence_date": "evidence: date «{}»",
    "evidence_docno": "evidence: document number «{}»",
    "evidence_url": "evidence: web address «{}»",
    "evidence_verb": "evidence: work done «{}»",
}


class Cue(NamedTuple):
    """One cue: its kind, its text and its character offsets in the narrative."""

    kind: str
    text: str
    start_char: int
    end_char: int


class CueList(list):
    """The cues of one narrative, in text order, remembering the narrative.

    A plain ``list`` of :class:`Cue` in every respect; ``text`` lets
    :func:`cue_matrix` compute the length features without the texts.

    Parameters
    ----------
    cues : iterable of Cue
        The cues.
    text : str
        The narrative they were found in.
    """

    def __init__(self, cues: Iterable[Cue] = (), text: str = ""):
        super().__init__(cues)
        self.text = text


# --------------------------------------------------------------------------- #
# Token classes                                                               #
# --------------------------------------------------------------------------- #
#
# A token class is a regular expression over the lower-case word. The component
# turns each class into a lexeme flag (``Vocab.add_flag``), so the expression runs
# once per distinct word in the vocabulary rather than once per token and
# pattern; the Matcher then checks a bit. Where the vocabulary has no free flag
# left, the class falls back to a ``{"LOWER": {"REGEX": ...}}`` token pattern,
# which matches the same tokens, only slower.


class _TokenClass:
    """A picklable ``str -> bool`` test: does the lower-case word match ``pattern``?"""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._search = re.compile(pattern).search

    def __call__(self, text: str) -> bool:
        return self._search(text.lower()) is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TokenClass) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __reduce__(self):
        return (_TokenClass, (self.pattern,))

    def __repr__(self) -> str:
        return f"_TokenClass({self.pattern!r})"


class _Tok(NamedTuple):
    """A token of a pattern: a class and the Matcher operator (``?``, ``{0,3}``)."""

    cls: _TokenClass
    op: str | None = None


def _alt(words: str) -> str:
    """A regex alternation of the space-separated words."""
    return "|".join(words.split())


def _rx(pattern: str, op: str | None = None) -> _Tok:
    """A token whose lower-case form matches ``pattern``."""
    return _Tok(_TokenClass(pattern), op)


def _stem(words: str, op: str | None = None) -> _Tok:
    """A token starting with one of the stems: ``_stem("тоо")`` matches ``тоог``, ``тооны``."""
    return _rx(rf"^(?:{_alt(words)})", op)


def _word(words: str, op: str | None = None) -> dict | _Tok:
    """A token that is exactly one of the words (lower case)."""
    options = words.split()
    if len(options) > 1:
        return _rx(rf"^(?:{_alt(words)})$", op)
    return {"LOWER": options[0], "OP": op} if op else {"LOWER": options[0]}


#: Any word (not punctuation), optional; lets a phrase skip a word.
_GAP = {"IS_PUNCT": False, "OP": "?"}


def _clause_gap(most: int) -> dict:
    """Up to ``most`` tokens inside one sentence, commas included."""
    return {"ORTH": {"NOT_IN": [".", "!", "?", ";", ":", "—"]}, "OP": f"{{0,{most}}}"}


_NUM = {"LIKE_NUM": True}
_YEAR = {"SHAPE": "dddd"}
_ORDINAL = _word("дугаар дүгээр -р")
_ON = _rx(r"^он(?:ы|д|оос|ыг|ой)?$")
_MONTH = _stem("сар")
_DASH = _rx(r"^[-–—]$")

# Privatives that are good news, not negation: "тасралтгүй" (without a break),
# "зөрчилгүй" (without violations), "цаг алдалгүй" (promptly), "зайлшгүй" (necessarily).
_POSITIVE_PRIVATIVE = _alt(
    "тасралт тасалдал тасалдуулал зайлш саад саатал саатуулал алдаа алдал зөрчил асуудал "
    "хүндрэл хоцрол хоцролт хоцроол шийтгэл төлбөр үнэ эргэлзээ хязгаар завсарлага эрсдэл "
    "хохирол гомдол маргаан дутагдал доголдол чирэгдэл чирэгдүүлэл хүлээлгэл суртал"
)
#: A negative form: any ``-гүй`` word (with a case ending) except a positive privative.
_NEGATIVE = _rx(
    rf"^(?!(?:{_POSITIVE_PRIVATIVE})гүй)\w+гүй(?:г|н|д|гээр|гээс|тэй|гөөр|гөөс)?$|^(?:биш|алга|бус)$"
)
#: The first half of a compound verb: "зохион байгуулаагүй", "хянан шалгасан".
_COMPOUND_HEAD = _word(
    "зохион хүлээн хянан шинэчлэн тайлагнан нэгтгэн мэдээлэн мэдээллэн хэрэгжүүлэн батлан "
    "хүргүүлэн тогтоон хамруулан хамтран нэвтрүүлэн сурталчлан хэлэлцэн бүрдүүлэн "
    "тодорхойлон дэмжин олгон байршуулан",
    op="?",
)

# Stems of verbs whose past form leaves something to check.
_EVIDENCE_STEMS = _alt(
    "батал батлуул байршуул байгуул хүргүүл хүргэ хянуул хянул хяна шалга нийтэл нийтлүүл "
    "олго хамруул хамрагд шийдвэрлэ шийдвэрлүүл гарга боловсруул хэлэлц хэлэлцүүл "
    "танилцуул илгээ бүртгэ тайлагна тараа сурга томил томилуул шинэчил нэвтрүүл зарла "
    "зарлуул арилга арилгуул засуул барагдуул төлүүл ногдуул тооц шилжүүл гүйцэтгэ "
    "гүйцэтгүүл хэвлэ хэвлүүл бэлтгэ үзүүл хуваарил тодорхойл цуглуул нэгтгэ суралц оролц "
    "хийлгэ хий хийгд үнэл үнэлүүл оруул ирүүл хүлээлгэ өг мэдээл мэдээллэ болго суулга "
    "зарцуул мэдүүл гаргуул шалгаруул шагна суурилуул"
)
#: Past forms: -сан/-сэн/-сон/-сөн with case endings, the contracted -сны, -лаа/-лээ,
#: -в (батлав, хүргүүлэв) and -жээ/-чээ.
_EVIDENCE_VERB = _rx(rf"^(?:{_EVIDENCE_STEMS})(?:с[аэоө]н\w{{0,5}}|сн[ыи]й?|л[аэоө]{{2}}|[аэоө]?в|[жч]ээ)$")
#: The same verbs as converbs before "ажилласан": "батлуулан ажилласан".
_EVIDENCE_CONVERB = _rx(rf"^(?:{_EVIDENCE_STEMS})(?:[аэоөи]?н|ж|ч)$")
#: Any other converb: "дээшлүүлэн ажилласан" says no more than "worked on raising".
_NONEVIDENCE_CONVERB = _rx(rf"^(?!(?:{_EVIDENCE_STEMS})(?:[аэоөи]?н|ж|ч)$)\w+(?:[аэоөи]н|ж|ч)$")
_WORKED = _rx(r"^ажилла(?:сан|сн|лаа|а)$")

# Vague verbs: "анхааран", "хэрэгжүүлж", "хангаж", "дэмжин", "хяналт тавьж".
_VAGUE_STEMS = _alt(
    "ажилла анхаар хэрэгжүүл ханга хангуул дэмж мөрд оролц хамтра хамтар бари барь тави "
    "тавь зохицуул идэвхж эрчимж сайжруул бэхжүүл хэвшүүл чиглүүл зөвлө үргэлжлүүл мэдээл "
    "мэдээлл сурталчил"
)
_CONVERB_END = r"(?:[аэоөи]н|ж|ч)$"
_VAGUE_CONVERB = _rx(rf"^(?:{_VAGUE_STEMS})\w*{_CONVERB_END}")
_ANY_CONVERBS = _rx(rf"^\w+{_CONVERB_END}", op="{0,2}")
#: A concrete converb in -ж/-ч: "хийгдэж", "боловсруулж" (not the vague ones).
_CONCRETE_CONVERB = _rx(rf"^(?!(?:{_VAGUE_STEMS}|нэгж$|аж$|хүч$))\w+[жч]$")
_PROGRESSIVE = _rx(r"^(?:байна|байгаа\w*)$")
_WORKING = _word("ажиллаж ажиллан")

_SHORTAGE = _rx(
    r"^(?:дутмаг|дутуу|дутагдалтай|дутагдал|хомс|хомсдол|хүрэлцээгүй|хүрэлцэхгүй|хүрэлцдэггүй"
    r"|цөөн|нөхөгдөөгүй|батлагдаагүй|бага|хангалтгүй|байхгүй|сул)"
)
_LACK_OF_FUNDS = _rx(
    r"^(?:хүрэлцээгүй|хүрэлцэхгүй|хүрэлцдэггүй|батлагдаагүй|тусгагдаагүй|шийдэгдээгүй"
    r"|шийдвэрлэгдээгүй|олгогдоогүй|байхгүй|байгаагүй|дутмаг|хомс|хангалтгүй|дутагдалтай|дутуу"
    r"|гараагүй|тавигдаагүй|суугаагүй|хязгаарлагдмал|боломжгүй)"
)
_NA_VERBS = (
    r"гараа|ирээ|ирүүлээ|бүртгэгдээ|гаргаа|өгөө|үүсээ|тавигдаа|илрээ|тавиа|хандаа|учраа|гарсан|ирсэн"
)
#: "ирээгүй", "гараагүй", "бүртгэгдээгүй": nothing came in.
_NA_ARRIVED = _rx(rf"^(?:{_NA_VERBS})гүй")
#: The same, or "байхгүй"/"байгаагүй": there was none.
_NA_ARRIVED_OR_NONE = _rx(rf"^(?:{_NA_VERBS}|байгаа|байх)гүй")

_STAFF = "мэргэжилтэн мэргэжилтн ажилтан ажилтн"
#: People whose post can stand empty: "байцаагчийн 2 орон тоо", "мөрдөгчийн 3 нь шилжсэн".
_STAFF_NOUN = _stem(
    f"{_STAFF} байцаагч мөрдөгч шүүгч эмч багш нягтлан менежер программист хуульч хянагч "
    "хаагч туслах жолооч дарга ахлагч орлогч"
)
#: What happened to them: left, moved, was dismissed, retired; the post is vacant.
_STAFF_LEFT = _rx(
    r"^(?:шилжс|шилжиж|чөлөөлөгдс|чөлөөлөгдөж|халагдс|халагдаж|гарсан|тэтгэвэрт|сул$|солигдс|"
    r"солигдож|томилогдоогүй)"
)
_COUNT_NOUN = _stem(
    "хүн иргэ ажилт ажилч удаа сургалт хувь хуви мэдээлэл мэдээлл байгууллага ширхэг хуудас "
    "хуудс өргөдөл өргөдл гомдол гомдл хурал хурл зөвлөгөө уулзалт тендер гэрээ төсөл төсл "
    "оролцогч сурагч оюутан оюутн эцэг багш эмч шийдвэр тушаал акт дүгнэлт зөвлөмж тайлан "
    "тайлн мэдүүлэг мэдүүлг нийтлэл нийтл пост видео контент хоног өдөр цаг төгрөг ₮ % "
    "сум баг(?:$|ийн|т$|аас|ууд|ийг) сургууль цэцэрлэг хэлтэс нэгж асуулт санал шалгалт зөрчил зөрчл хэрэг самбар "
    "постер брошур товхимол гарын зурагт нэр хэвлэл"
)
_DOC_NOUN = _stem(
    "тушаал тогтоол шийдвэр захирамж албан журам журм протокол акт гэрээ тэмдэглэл тоот "
    "хуралдаан зөвлөмж дүгнэлт удирдамж"
)
_SOCIAL_MEDIA = _rx(
    r"^(?:facebook|фэйсбүүк|фейсбүүк|фэйсбук|фейсбук|fb|youtube|ютүүб|ютуб|instagram|инстаграм|"
    r"twitter|твиттер|telegram|телеграм|e-mongolia|emongolia|вэбсайт|вебсайт|website|page|пэйж|пейж)"
)

#: One-token dates: 2024.03.15, 2024-3-5, 15.03.2024, 15/03/2024.
_DATE_TOKEN = _rx(r"^(?:\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./])\d{1,2}\2\d{4})$")
#: Document numbers with a letter series: А/45, Б/123, ХШ/12.
_LETTER_DOCNO = _rx(r"^[a-zа-яёөү]{1,2}/\d{1,4}$")
#: 01/234: a document number before "тоот" (alone it may be a fraction).
_DIGIT_PAIR = _rx(r"^\d{1,4}/\d{1,4}$")

_Pattern = list  # a list of token specs: dicts (core attributes) and _Tok


def _patterns() -> dict[str, list[_Pattern]]:
    """The Matcher patterns, by cue kind."""
    return {
        "negation": [
            [_COMPOUND_HEAD, _NEGATIVE],
            [_rx(r"^\w{2,}[жч]$"), _rx(r"^(?:чад|амж|эхл|дуус|үргэлжл|хийгд)\w*гүй")],
        ],
        "staffing": [
            [_word("сул"), _word("орон"), _stem("тоо")],
            [_word("орон"), _stem("тоо"), _clause_gap(8), _SHORTAGE],
            [_STAFF_NOUN, _clause_gap(8), _STAFF_LEFT],
            [_word("орон"), _word("тоогүй")],
            [_word("тогтвор"), _rx(r"^суур\w*гүй")],
            [_word("тогтвор"), _stem("суурьш суурш суурил"), _stem("муу бага алдагдс сул хангалтгүй")],
            [_stem("тогтвортой"), _word("бус")],
            [_stem("кадр"), _stem("хөдөлгөөн")],
            [_word("албан"), _stem("хаагч"), _stem("хөдөлгөөн")],
            [_stem("ажлаас ажлын"), _stem("чөлөөлөгд халагд гарс гарч гарах")],
            [_word("албан"), _stem("тушаалаас"), _stem("чөлөөлөгд халагд")],
            [_word("жирэмсний амаржсаны"), _clause_gap(2), _stem("амралт")],
            [_stem("хүүхэд"), _word("асрах"), _stem("чөлөө")],
            [_word("ээлжийн"), _stem("амралт")],
            [_word("эмнэлгийн"), _stem("чөлөө")],
            [_stem("тэтгэвэрт"), _stem("гар")],
            [_rx(r"^(?:хавсран|хавсарч|хавсруулж|хавсруулан)$"), _stem("гүйцэтг хариуц хийд хийж шийдвэрл", op="?")],
            [_word("давхар"), _stem("хариуц гүйцэтг хийд хийж ажилл")],
            [_word("хүн хүний ажиллах"), _stem("хүч нөөц"), _GAP, _SHORTAGE],
            [_word("хүн"), _stem("хүчний"), _stem("дутагдал хомсдол")],
            [_stem(f"{_STAFF} эмч багш нягтлан"), _SHORTAGE],
            [_rx(rf"^(?:(?:{_alt(_STAFF)}|хүн)гүй$|томилогдоогүй|тогтворгүй)")],
            [
                _stem("хариуцсан хариуцах"),
                _GAP,
                _stem(f"{_STAFF} хаагч хүн"),
                _stem("байхгүй байгаагүй томилогдоогүй солигдс солигдож өөрчлөгдс өөрчлөгдөж шилжс чөлөөлөгдс"),
            ],
            [_word("ажлын"), _stem("ачаал"), _stem("их")],
        ],
        "budget": [
            [_stem("төсөв төсв санхүүж санхүүгийн хөрөнгө мөнгө зардал"), _GAP, _LACK_OF_FUNDS],
            [_word("эх"), _stem("үүсвэр"), _LACK_OF_FUNDS],
            [_rx(r"^(?:төсөв|санхүүжилт|хөрөнгө)гүй")],
        ],
        "not_applicable": [
            [
                _stem(
                    "тохиолдол тохиолдл хүсэлт өргөдөл өргөдл гомдол гомдл шаардлага захиалга хэрэгцээ "
                    "мэдэгдэл мэдэгдл бэлэг бэлг"
                ),
                _clause_gap(5),
                _NA_ARRIVED_OR_NONE,
            ],
            [_stem("мэдээлэл мэдээлл санал хэрэг зөрчил зөрчл асуудал асуудл хохирол хохирл"), _GAP, _NA_ARRIVED],
            [_rx(r"^(?:хамаарахгүй|хамааралгүй|хамаардаггүй|шаардлагагүй|харьяалагдахгүй)")],
            [_stem("хамаарал"), _word("байхгүй")],
        ],
        "boilerplate": [
            [_VAGUE_CONVERB, _WORKING, _PROGRESSIVE],
            [_VAGUE_CONVERB, _rx(r"^ажилла(?:даг|сан|на|лаа|а)$")],
            [_VAGUE_CONVERB, _PROGRESSIVE],
            [_ANY_CONVERBS, _WORKING, _rx(r"^(?:байна|байгаа\w*|ирсэн|ирлээ|ирж)$")],
            [_NONEVIDENCE_CONVERB, _WORKED],
            [_ANY_CONVERBS, _rx(r"^ажилла(?:даг|на)$")],
            [_ANY_CONVERBS, _word("ажиллах"), _word("болно")],
            [_ANY_CONVERBS, _stem("хэвш")],
            [_word("зохих"), _stem("журм"), _word("дагуу")],
            [_word("холбогдох"), _stem("хууль журм дүрэм"), _GAP, _word("дагуу")],
            [_stem("тогтмол"), _word("хяналт"), _stem("тав")],
            [_word("хяналт"), _stem("тавьж тавин"), _stem("ажилла")],
            [_word("мөрдлөг"), _stem("болго")],
            [_word("чиглэл"), _stem("бари барь")],
            [_stem("үүрэг"), _stem("даалгавр"), _word("дагуу")],
            [_stem("анхаарал"), _stem("хандуул")],
        ],
        "ongoing": [
            [_CONCRETE_CONVERB, _PROGRESSIVE],
            [
                _rx(
                    r"^(?:үргэлжил|үргэлжлэ|эхлүүлс|эхлүүлээд|эхэлс|эхлээд|шатандаа|хийгдэнэ|хийхээр$"
                    r"|хийгдэхээр$|төлөвлө(?:ж|сөн|гдсөн|гдөж)$)"
                )
            ],
            [
                _rx(r"^\w{3,}(?:хаар|хээр|хоор|хөөр)$"),
                _stem("төлөвлө бэлтгэ болсон болж хүлээгд зэхэж тооцо"),
            ],
            [_stem("боловсруулах хийгдэх бэлтгэх хэрэгжүүлэх батлуулах хянуулах"), _word("шатанд")],
        ],
        "partial_scope": [
            [_rx(r"^(?:зарим\w*|хэсэгчлэн|хэсэгчил\w*|боловч|гэвч|гэхдээ|дутуу)$")],
            [_word("бүрэн"), _word("бус")],
            [_word("бүрэн"), _NEGATIVE],
            [_word("тодорхой"), _stem("хэмжээн")],
        ],
        "evidence_count": [
            [_NUM, _rx(r"^-[а-яөү]+$", op="?"), _COUNT_NOUN],
            [_NUM, _word("албан"), _stem("хаагч тушаалт")],
            [_NUM, _word("аж"), _word("ахуйн"), _stem("нэгж")],
            [_NUM, _word("арга"), _stem("хэмжээ")],
            [_NUM, _word("сая мянга мянган тэрбум"), _stem("төгрөг ₮")],
        ],
        "evidence_date": [
            [_YEAR, _ON],
            [_YEAR, _DASH, _YEAR, _ON],
            [_YEAR, _ON, _NUM, _ORDINAL, _MONTH],
            [_YEAR, _ON, _NUM, _ORDINAL, _word("сарын"), _NUM],
            [_NUM, _ORDINAL, _MONTH],
            [_NUM, _ORDINAL, _word("сарын"), _NUM],
            [_rx(r"(?:дугаар|дүгээр)$"), _MONTH],
            [_NUM, _ORDINAL, _stem("улирал улирл")],
        ]
        + [[_DATE_TOKEN]],
        "evidence_docno": [
            [_LETTER_DOCNO, _stem("тоот", op="?")],
            [_DIGIT_PAIR, _stem("тоот")],
            [_NUM, _stem("тоот")],
            [{"ORTH": "№"}, _NUM],
            [_NUM, _word("дугаар дүгээр"), {"IS_QUOTE": True}],
            [_NUM, _word("дугаар дүгээр"), _DOC_NOUN],
        ],
        "evidence_url": [
            [{"LIKE_URL": True}],
            [_SOCIAL_MEDIA],
            [_word("вэб веб web"), _stem("сайт хуудас хуудс")],
            [_word("цахим"), _stem("хуудас хуудс хаяг сайт")],
            [_word("шилэн"), _stem("данс")],
        ],
        "evidence_verb": [
            [_COMPOUND_HEAD, _EVIDENCE_VERB],
            [_COMPOUND_HEAD, _EVIDENCE_CONVERB, _WORKED],
            [_word("хүлээн худалдан"), _stem("авсан авсн авав")],
        ],
    }


#: Lexeme flag bits free for custom use (``FLAG19`` … ``FLAG63`` in ``spacy.attrs``).
_FREE_FLAGS = range(19, 64)


def _flag_for(vocab, cls: _TokenClass) -> int | None:
    """The lexeme flag of ``cls`` in ``vocab``, added if needed; None when none is free."""
    getters = vocab.lex_attr_getters
    for bit in _FREE_FLAGS:
        if getters.get(bit) == cls:
            return bit
    for bit in _FREE_FLAGS:
        if bit not in getters:
            return vocab.add_flag(cls, flag_id=bit)
    return None


def _is_optional(token: dict | _Tok) -> bool:
    op = token.op if isinstance(token, _Tok) else token.get("OP")
    return op in ("?", "*") or (op or "").startswith(("{0,", "{,"))


def _entry_classes(patterns: dict[str, list[_Pattern]]) -> list[_TokenClass]:
    """Classes a match can start with; the Matcher tests them on every token."""
    entries: dict[_TokenClass, None] = {}
    for kind_patterns in patterns.values():
        for pattern in kind_patterns:
            for token in pattern:
                if isinstance(token, _Tok):
                    entries[token.cls] = None
                if not _is_optional(token):
                    break
    return list(entries)


def _compile(patterns: dict[str, list[_Pattern]], vocab=None) -> dict[str, list[list[dict]]]:
    """Turn token classes into flag token patterns (REGEX ones without a vocab or a free flag).

    Classes a match can start with get flags first: they are tested on every
    token, the others only after a match has begun.
    """
    flags: dict[_TokenClass, int | None] = {}
    if vocab is not None:
        for cls in _entry_classes(patterns):
            flags[cls] = _flag_for(vocab, cls)
    compiled: dict[str, list[list[dict]]] = {}
    for kind, kind_patterns in patterns.items():
        compiled[kind] = []
        for pattern in kind_patterns:
            tokens = []
            for token in pattern:
                if isinstance(token, _Tok):
                    if token.cls not in flags:
                        flags[token.cls] = _flag_for(vocab, token.cls) if vocab is not None else None
                    flag = flags[token.cls]
                    spec: dict = {flag: True} if flag is not None else {"LOWER": {"REGEX": token.cls.pattern}}
                    if token.op:
                        spec["OP"] = token.op
                    token = spec
                tokens.append(token)
            compiled[kind].append(tokens)
    return compiled


# Tokens that make a narrative "not applicable" when nothing else is there.
_NA_ONLY = frozenset({"байхгүй", "хб", "х/б", "болно", "байна"})
_NA_MARKERS = frozenset({"байхгүй", "хб", "х/б"})
_NA_ONLY_MAX_TOKENS = 8
# "бус" after these words is no negation: "төрийн бус байгууллага" is an NGO,
# "хараат бус гишүүн" an independent member, "ашгийн бус" non-profit.
_NOT_NEGATING_BUS = frozenset({"төрийн", "хараат", "ашгийн"})


def _whole_text_na(doc: Doc) -> Span | None:
    """The whole narrative when it only says "none": ``байхгүй``, ``ХБ``, ``-``."""
    if len(doc) > _NA_ONLY_MAX_TOKENS:
        return None
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    if not words:
        return doc[:] if any(t.is_punct for t in doc) else None
    lowers = {t.lower_ for t in words}
    if lowers <= _NA_ONLY and lowers & _NA_MARKERS:
        return doc[words[0].i : words[-1].i + 1]
    return None


#: Punctuation that belongs to the cue before it: "45 %".
_KEEP_AT_END = frozenset({"%", "₮"})


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation at both ends of a match."""
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end - 1].is_punct and doc[end - 1].text not in _KEEP_AT_END:
        end -= 1
    return start, end


def _merge(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join overlapping matches of one kind: "чиглэл барин" + "барин ажилладаг"."""
    merged = []
    for kind in CUE_KINDS:
        current: list[int] | None = None
        for start, end, _ in sorted(c for c in candidates if c[2] == kind):
            if current is not None and start < current[1]:
                current[1] = max(current[1], end)
                continue
            if current is not None:
                merged.append((current[0], current[1], kind))
            current = [start, end]
        if current is not None:
            merged.append((current[0], current[1], kind))
    return merged


#: Evidence that stays when a wider cue spans it: the date in
#: "дарга 2025 оны 6 дугаар сард ГЕГ-т шилжсэн" (staffing) is still a date.
_NESTABLE = frozenset({"evidence_count", "evidence_date", "evidence_docno", "evidence_url"})
_NOT_NESTING = frozenset({None, *EVIDENCE_KINDS})


def _select(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Resolve overlaps: the longest match wins, then the kind earlier in ``_PRIORITY``.

    Concrete evidence (a count, date, document number or address) inside a
    wider cue of another, non-evidence kind is kept as well.
    """
    merged = _merge(candidates)
    ranked = sorted(merged, key=lambda m: (m[0] - m[1], _RANK[m[2]], m[0]))
    owner: list[str | None] = [None] * max((m[1] for m in merged), default=0)
    kept = []
    for start, end, kind in ranked:
        inside = set(owner[start:end])
        nested = kind in _NESTABLE and len(inside) == 1 and not inside & _NOT_NESTING
        if inside == {None} or nested:
            if not nested:
                owner[start:end] = [kind] * (end - start)
            kept.append((start, end, kind))
    return sorted(kept)


class CueComponent:
    """The ``mn_cues`` pipeline component.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline (its vocab is shared with the matcher).
    name : str
        The component name.
    """

    def __init__(self, nlp: Language, name: str = "mn_cues"):
        self.name = name
        # Flag attributes are not in the pattern schema; the patterns are checked
        # in their REGEX form by the tests instead.
        self.matcher = Matcher(nlp.vocab, validate=False)
        for kind, patterns in _compile(_patterns(), nlp.vocab).items():
            self.matcher.add(kind, patterns)
        self._kind_of = {nlp.vocab.strings[kind]: kind for kind in CUE_KINDS}

    def __call__(self, doc: Doc) -> Doc:
        """Find the cues of ``doc`` and store them in ``doc.spans["cues"]``."""
        doc.spans[SPANS_KEY] = [Span(doc, s, e, label=k) for s, e, k in self.spans(doc)]
        return doc

    def spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """The cues of ``doc`` as ``(start token, end token, kind)``, in text order (``doc`` is left as it is)."""
        whole = _whole_text_na(doc)
        if whole is not None:
            return [(whole.start, whole.end, "not_applicable")]
        candidates = []
        for match_id, start, end in self.matcher(doc):
            start, end = _trim(doc, start, end)
            if start == end:
                continue
            kind = self._kind_of[match_id]
            if (
                kind == "negation"
                and doc[start].lower_ == "бус"
                and start > 0
                and doc[start - 1].lower_ in _NOT_NEGATING_BUS
            ):
                continue
            candidates.append((start, end, kind))
        return _select(candidates)


@Language.factory("mn_cues")
def make_cue_component(nlp: Language, name: str) -> CueComponent:
    """Create the ``mn_cues`` component (``nlp.add_pipe("mn_cues")``)."""
    return CueComponent(nlp, name)


def _doc_cues(doc: Doc) -> list[Cue]:
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else ()
    return [Cue(s.label_, s.text, s.start_char, s.end_char) for s in spans]


if not Doc.has_extension("cues"):
    Doc.set_extension("cues", getter=_doc_cues)


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The shared pipeline: ``spacy.blank("mn")`` with ``mn_cues``.

    Returns
    -------
    spacy.language.Language
        Built once per process and cached.
    """
    nlp = spacy.blank("mn")
    nlp.add_pipe("mn_cues")
    return nlp


def find_cues(text: str) -> CueList:
    """The cues of one narrative.

    Parameters
    ----------
    text : str
        A narrative already normalised with :func:`nlp.text.normalize`.

    Returns
    -------
    CueList
        :class:`Cue` tuples in text order (a ``list``), with ``.text`` set.

    Examples
    --------
    >>> [c.kind for c in find_cues("2024 онд 12 албан хаагчийг сургалтад хамруулсан.")]
    ['evidence_date', 'evidence_count', 'evidence_verb']
    """
    return CueList(get_pipeline()(text)._.cues, text)


def _cues_at(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[Cue]:
    """:class:`Cue` tuples of token spans, as ``doc._.cues`` gives them for the same spans."""
    text = doc.text
    out = []
    for start, end, kind in spans:
        first, last = doc[start], doc[end - 1]
        a, b = first.idx, last.idx + len(last)
        out.append(Cue(kind, text[a:b], a, b))
    return out


def _pipe_cues(texts: list[str], batch_size: int = 256) -> list[CueList]:
    """Run the shared pipeline over ``texts`` in this process.

    The pipeline is the tokenizer and ``mn_cues`` alone, so each text is tokenised and its cues are
    read straight from the component (:meth:`CueComponent.spans`), without building the span group
    that ``doc._.cues`` would read back: the same cues, a quarter faster.
    """
    nlp = get_pipeline()
    if nlp.pipe_names != ["mn_cues"]:  # pragma: no cover - the shared pipeline is fixed
        return [CueList(doc._.cues, doc.text) for doc in nlp.pipe(texts, batch_size=batch_size)]
    spans = nlp.get_pipe("mn_cues").spans
    out = []
    for text in texts:
        doc = nlp.make_doc(text)
        out.append(CueList(_cues_at(doc, spans(doc)), doc.text))
    return out


def find_cues_many(texts: Iterable[str], *, batch_size: int = 256, n_process: int = 1) -> list[CueList]:
    """The cues of many narratives, each distinct text once.

    Parameters
    ----------
    texts : iterable of str
        Normalised narratives.
    batch_size : int, default 256
        Texts per ``nlp.pipe`` batch.
    n_process : int, default 1
        Worker processes. Each worker runs ``nlp.pipe`` over its own share and
        sends back only the cues (spaCy's own ``n_process`` ships whole Docs
        between processes and is slower than one process for short texts).
        Worth it from some 20,000 texts; a worker takes a second to start.

    Returns
    -------
    list of CueList
        One list per text, in input order.

    Notes
    -----
    Each distinct text is searched once (repeats share its :class:`CueList`), and
    the cues are read straight from the component, without the span group
    (:func:`_pipe_cues`). One process handled about 2,000 narratives of some 37
    words a second before that change (100,000 took 48 s on one idle core of the
    development machine); the change saves a quarter to a third of it. Workers split
    the CPU time between them. :mod:`nlp.batch` runs this in its reader processes.
    """
    texts = list(texts)
    # Each distinct text once; repeats share its CueList.
    seen: dict[str, int] = {}
    at = [seen.setdefault(t, len(seen)) for t in texts]
    distinct = list(seen)
    if n_process <= 1 or len(distinct) <= batch_size:
        found = _pipe_cues(distinct, batch_size)
    else:
        share = -(-len(distinct) // n_process)
        chunks = [distinct[i : i + share] for i in range(0, len(distinct), share)]
        # The platform's default start method, as spaCy's own n_process uses: fork on
        # Linux, where workers inherit the pipeline already built.
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=multiprocessing.get_context()) as pool:
            parts = pool.map(_pipe_cues, chunks, [batch_size] * len(chunks))
            found = [cues for part in parts for cues in part]
    return found if len(distinct) == len(texts) else [found[j] for j in at]


_WORD_RE = re.compile(r"\w+")


def _n_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _row(cues: Sequence[Cue], text: str) -> list[float]:
    counts = dict.fromkeys(CUE_KINDS, 0)
    for cue in cues:
        counts[cue.kind] += 1
    n_words = _n_words(text)
    boiler_words = sum(_n_words(c.text) for c in cues if c.kind == "boilerplate")
    evidence_words = sum(_n_words(c.text) for c in cues if c.kind in EVIDENCE_KINDS)
    verb_ends = [c.end_char for c in cues if c.kind == "evidence_verb"]
    negations = [c.start_char for c in cues if c.kind == "negation"]
    neg_after = bool(verb_ends) and any(n >= min(verb_ends) for n in negations)
    return [float(counts[k]) for k in CUE_KINDS] + [
        math.log1p(len(text)),
        min(1.0, boiler_words / n_words) if n_words else 0.0,
        min(1.0, evidence_words / n_words) if n_words else 0.0,
        float(neg_after),
        max(negations) / len(text) if negations and text else 0.0,
    ]


def cue_matrix(cues_list: Sequence[Sequence[Cue]], texts: Sequence[str] | None = None) -> np.ndarray:
    """Cue features, one row per narrative; columns are :data:`FEATURE_NAMES`.

    Parameters
    ----------
    cues_list : sequence of sequences of Cue
        What :func:`find_cues_many` returned.
    texts : sequence of str, optional
        The narratives. Needed only when the cue lists are plain lists rather
        than the :class:`CueList` objects that remember their text.

    Returns
    -------
    numpy.ndarray
        ``float64`` array of shape ``(len(cues_list), len(FEATURE_NAMES))``: the
        count of each kind in :data:`CUE_KINDS`, then :data:`EXTRA_FEATURES`.

    Raises
    ------
    ValueError
        When a text is missing or ``texts`` has another length.
    """
    if texts is not None and len(texts) != len(cues_list):
        raise ValueError(f"{len(cues_list)} cue lists but {len(texts)} texts")
    out = np.zeros((len(cues_list), len(FEATURE_NAMES)), dtype=np.float64)
    for i, cues in enumerate(cues_list):
        text = texts[i] if texts is not None else getattr(cues, "text", None)
        if text is None:
            raise ValueError("cue_matrix needs the texts for plain lists of cues: pass texts=")
        out[i] = _row(cues, text)
    return out


#: The order reasons are listed in: what explains a low score first.
_REASON_ORDER: tuple[str, ...] = (
    "not_applicable",
    "staffing",
    "budget",
    "negation",
    "partial_scope",
    "ongoing",
    "boilerplate",
) + EVIDENCE_KINDS


def reasons_mn(cues: Iterable[Cue], *, per_kind: int = 2) -> list[str]:
    """Short Mongolian phrases that say what the cues show, for an auditor.

    Parameters
    ----------
    cues : iterable of Cue
        The cues of one narrative.
    per_kind : int, default 2
        At most this many phrases of one kind (the first in the text).

    Returns
    -------
    list of str
        Phrases such as ``"үгүйсгэл: «зохион байгуулаагүй»"`` or
        ``"нотолгоо: тоо «12 албан хаагч»"``; reasons for a low score come first,
        then the evidence. Repeated cue texts are listed once.

    See Also
    --------
    REASON_EN : the English gloss of each phrase.
    """
    by_kind: dict[str, list[str]] = {}
    for cue in sorted(cues, key=lambda c: c.start_char):
        seen = by_kind.setdefault(cue.kind, [])
        if cue.text.lower() not in (s.lower() for s in seen) and len(seen) < per_kind:
            seen.append(cue.text)
    return [REASON_MN[kind].format(text) for kind in _REASON_ORDER for text in by_kind.get(kind, [])]
