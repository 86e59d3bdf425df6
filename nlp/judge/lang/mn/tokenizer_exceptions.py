"""Tokenizer exceptions for Mongolian: government abbreviations and short forms.

Each abbreviation in :data:`ABBREVIATIONS` is one token whose ``NORM`` is the
lower-case full name (or the lower-case abbreviation where the expansion is
ambiguous, as with ``ХАА``: procurement or agriculture).

Case-suffixed forms are handled by the suffix rule in
:mod:`nlp.judge.lang.mn.punctuation`, the same way for every abbreviation, listed or
not: ``ЗДТГ-ын`` → ``ЗДТГ`` + ``-ын``, ``(ХАСУМ)-ийг`` → ``(`` + ``ХАСУМ`` +
``)`` + ``-ийг``. After the suffix is split off, the stem still hits its
exception, so ``ЗДТГ`` keeps its ``NORM`` in every case form. Abbreviations
glued to a word without a hyphen (``ИТХурлын``, ``ЭМТөв``) stay one token.
"""

from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS
from spacy.symbols import NORM, ORTH
from spacy.util import update_exc

#: Abbreviation → lower-case expansion (``None`` where it is ambiguous).
ABBREVIATIONS: dict[str, str | None] = {
    # governors' offices and assemblies
    "ЗДТГ": "засаг даргын тамгын газар",
    "АЗДТГ": "аймгийн засаг даргын тамгын газар",
    "НЗДТГ": "нийслэлийн засаг даргын тамгын газар",
    "ДЗДТГ": "дүүргийн засаг даргын тамгын газар",
    "ИТХ": "иргэдийн төлөөлөгчдийн хурал",
    "ИНХ": "иргэдийн нийтийн хурал",
    "ЗГ": "засгийн газар",
    "УИХ": "улсын их хурал",
    # civil service, declarations, funds
    "ТАЗ": "төрийн албаны зөвлөл",
    "ТАСЗ": "төрийн албаны салбар зөвлөл",
    "ХАСУМ": "хувийн ашиг сонирхлын урьдчилсан мэдүүлэг",
    "ХОМ": "хөрөнгө орлогын мэдүүлэг",
    "ХАСХОМ": "хувийн ашиг сонирхол, хөрөнгө орлогын мэдүүлэг",
    "ОНХС": "орон нутгийн хөгжлийн сан",
    "ТЕЗ": "төсвийн ерөнхийлөн захирагч",
    "ТШЗ": "төсвийн шууд захирагч",
    "ХАА": None,
    "ХААН": None,
    "ТББ": "төрийн бус байгууллага",
    "ААН": "аж ахуйн нэгж",
    "ААНБ": "аж ахуйн нэгж, байгууллага",
    # agencies
    "АТГ": "авлигатай тэмцэх газар",
    "ЦЕГ": "цагдаагийн ерөнхий газар",
    "ЦГ": "цагдаагийн газар",
    "ГЕГ": "гаалийн ерөнхий газар",
    "ТЕГ": "татварын ерөнхий газар",
    "МХЕГ": "мэргэжлийн хяналтын ерөнхий газар",
    "ШШГЕГ": "шүүхийн шийдвэр гүйцэтгэх ерөнхий газар",
    "ОБЕГ": "онцгой байдлын ерөнхий газар",
    "НДЕГ": "нийгмийн даатгалын ерөнхий газар",
    "НДХ": "нийгмийн даатгалын хэлтэс",
    "ГЗБГЗЗГ": "газар зохион байгуулалт, геодези, зураг зүйн газар",
    "ТӨБЗГ": "төрийн өмчийн бодлого, зохицуулалтын газар",
    "ШЕЗ": "шүүхийн ерөнхий зөвлөл",
    "ХЗДХЯ": "хууль зүй, дотоод хэргийн яам",
    "СЯ": "сангийн яам",
    "ЭМЯ": "эрүүл мэндийн яам",
    "БШУЯ": "боловсрол, шинжлэх ухааны яам",
    "НҮБ": "нэгдсэн үндэстний байгууллага",
    # enterprises, schools, health
    "ТӨҮГ": "төрийн өмчит үйлдвэрийн газар",
    "ОНӨҮГ": "орон нутгийн өмчит үйлдвэрийн газар",
    "ЕБС": "ерөнхий боловсролын сургууль",
    "МСҮТ": "мэргэжлийн сургалт үйлдвэрлэлийн төв",
    "СӨБ": "сургуулийн өмнөх боловсрол",
    "СӨББ": "сургуулийн өмнөх боловсролын байгууллага",
    "БСУГ": "боловсрол, соёл, урлагийн газар",
    "ЭМТ": "эрүүл мэндийн төв",
    "СЭМТ": "сумын эрүүл мэндийн төв",
    "ӨЭМТ": "өрхийн эрүүл мэндийн төв",
    "ЭМГ": "эрүүл мэндийн газар",
    "ЭМД": "эрүүл мэндийн даатгал",
    "БОЭТ": "бүсийн оношилгоо, эмчилгээний төв",
    # taxes
    "НӨАТ": "нэмэгдсэн өртгийн албан татвар",
    "ХХОАТ": "хувь хүний орлогын албан татвар",
}

#: Short forms written with points or slashes that must not be split.
SHORT_FORMS: dict[str, str] = {
    "г.м": "гэх мэт",
    "г.м.": "гэх мэт",
    "ж.нь": "жишээ нь",
    "д/д": "дугаар",
    "х/б": "хамаарахгүй",
    "Х/Б": "хамаарахгүй",
    "т.г": "төгрөг",
    "төг.": "төгрөг",
    "мян.": "мянга",
}

_exc: dict[str, list[dict]] = {}
for _abbr, _expansion in ABBREVIATIONS.items():
    _exc[_abbr] = [{ORTH: _abbr, NORM: _expansion or _abbr.lower()}]
for _orth, _norm in SHORT_FORMS.items():
    _exc[_orth] = [{ORTH: _orth, NORM: _norm}]

TOKENIZER_EXCEPTIONS = update_exc(BASE_EXCEPTIONS, _exc)
