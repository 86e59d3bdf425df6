"""The mn_cues component: cue kinds, features for the classifier, reasons for auditors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import spacy
from fresh_process import run_json
from spacy.matcher import Matcher

from nlp.judge.cues import (
    CUE_KINDS,
    EXTRA_FEATURES,
    FEATURE_NAMES,
    REASON_EN,
    REASON_MN,
    SPANS_KEY,
    Cue,
    CueList,
    _compile,
    _patterns,
    cue_matrix,
    find_cues,
    find_cues_many,
    get_pipeline,
    reasons_mn,
)
from nlp.text import normalize


def kinds_of(text: str) -> set[str]:
    return {c.kind for c in find_cues(normalize(text))}


def texts_of(text: str, kind: str) -> list[str]:
    return [c.text for c in find_cues(normalize(text)) if c.kind == kind]


# (text, kinds that must be found, kinds that must not be found)
CUE_TABLE = [
    # staffing
    ("Сул орон тоотой тул сургалт зохион байгуулаагүй.", {"staffing", "negation"}, {"evidence_verb"}),
    (
        "Албан хаагчид тогтвор суурьшилгүй ажиллаж сул орон тоо ихтэй байсан учраас "
        "ёс зүйн хороо үйл ажиллагаа явуулж чадаагүй.",
        {"staffing", "negation"},
        {"evidence_verb"},
    ),
    ("Орон тоо хүрэлцээгүй.", {"staffing"}, {"negation"}),
    ("Хэлтсийн 5 орон тооны 2 нь 2023 оноос хойш сул байгаа.", {"staffing", "evidence_date"}, set()),
    ("Хариуцсан мэргэжилтэн жирэмсний амралттай байсан.", {"staffing"}, set()),
    ("Нягтлан бодогч хүүхэд асрах чөлөөтэй.", {"staffing"}, set()),
    ("Хүний нөөцийн мэргэжилтэн ажлаас чөлөөлөгдсөн тул хийгдээгүй.", {"staffing", "negation"}, set()),
    ("Нэг мэргэжилтэн 3 ажлын байрыг хавсран гүйцэтгэдэг.", {"staffing"}, set()),
    ("Кадрын хөдөлгөөн их байсан.", {"staffing"}, set()),
    ("Хүн хүч дутмаг.", {"staffing"}, set()),
    ("Хуулийн мэргэжилтэн байхгүй.", {"staffing"}, {"negation", "not_applicable"}),
    ("Шинэ ахлагч томилогдоогүй.", {"staffing"}, set()),
    # budget
    ("Төсөв хүрэлцээгүй тул хийгдээгүй.", {"budget", "negation"}, {"staffing"}),
    ("Санхүүжилт шийдэгдээгүй.", {"budget"}, {"negation"}),
    # not applicable
    ("Тохиолдол гараагүй.", {"not_applicable"}, {"negation"}),
    ("Өргөдөл, гомдол ирээгүй болно.", {"not_applicable"}, {"negation"}),
    ("Ийм хүсэлт ирээгүй.", {"not_applicable"}, {"negation"}),
    ("Манай байгууллагад хамаарахгүй.", {"not_applicable"}, {"negation"}),
    ("Шаардлага гараагүй.", {"not_applicable"}, set()),
    ("Авлигын гэмт хэрэг бүртгэгдээгүй.", {"not_applicable"}, set()),
    ("Суралцахаар хүсэлт гаргасан албан хаагч байхгүй.", {"not_applicable"}, {"evidence_verb", "negation"}),
    ("байхгүй", {"not_applicable"}, {"negation"}),
    ("Байхгүй болно.", {"not_applicable"}, {"negation"}),
    ("-", {"not_applicable"}, set()),
    ("ХБ", {"not_applicable"}, set()),
    # boilerplate
    ("Ажиллаж байна.", {"boilerplate"}, {"ongoing", "evidence_verb"}),
    ("Анхааран ажилласан.", {"boilerplate"}, set()),
    ("Хэрэгжүүлж байна.", {"boilerplate"}, {"ongoing"}),
    ("Тогтмол хяналт тавьж ажилладаг.", {"boilerplate"}, set()),
    ("Зохих журмын дагуу ажиллаж байна.", {"boilerplate"}, set()),
    ("Сургалтыг тогтмол зохион байгуулж хэвшсэн.", {"boilerplate"}, {"evidence_verb"}),
    ("Ойлголтыг нь дээшлүүлэн ажилласан.", {"boilerplate"}, {"evidence_verb"}),
    # ongoing
    ("Журам боловсруулах ажил хийгдэж байна.", {"ongoing"}, {"boilerplate"}),
    ("Ажил үргэлжилж байна.", {"ongoing"}, set()),
    ("Төлөвлөгөө боловсруулах ажлыг эхлүүлсэн.", {"ongoing"}, set()),
    ("Журмын төсөл хянуулах шатандаа байна.", {"ongoing"}, set()),
    ("Дараа сард сургалт хийхээр төлөвлөж байна.", {"ongoing"}, set()),
    ("Шинээр томилогдохоор нэр дэвшсэн.", set(), {"ongoing"}),
    # partial scope
    ("Зарим албан хаагчид хамрагдаагүй.", {"partial_scope", "negation"}, set()),
    ("Хэсэгчлэн хэрэгжсэн.", {"partial_scope"}, set()),
    (
        "Сургалт зохион байгуулсан боловч бүх ажилтан хамрагдаагүй.",
        {"evidence_verb", "partial_scope", "negation"},
        set(),
    ),
    ("Бүрэн хийгдээгүй.", {"partial_scope"}, {"negation"}),
    # evidence
    ("12 албан хаагч, 3 удаа, 5 сургалт, 45 хувь", {"evidence_count"}, {"evidence_date"}),
    ("гурван сургалт зохион байгуулж 120 иргэнийг хамруулсан", {"evidence_count", "evidence_verb"}, set()),
    ("2024 оны 3 дугаар сарын 15-ны өдөр", {"evidence_date"}, {"evidence_count", "evidence_docno"}),
    ("2024.03.15-нд батлуулсан", {"evidence_date", "evidence_verb"}, set()),
    ("3-р сард хийсэн", {"evidence_date", "evidence_verb"}, set()),
    ("А/45 тоот тушаал", {"evidence_docno"}, set()),
    ("01/234 тоот албан бичгээр хүргүүлсэн", {"evidence_docno", "evidence_verb"}, set()),
    ("Засгийн газрын 2021 оны 109 дүгээр тогтоол", {"evidence_docno", "evidence_date"}, set()),
    ("shilendans.gov.mn хаягаар", {"evidence_url"}, set()),
    ("www.tender.gov.mn цахим хуудсанд байршуулсан", {"evidence_url", "evidence_verb"}, set()),
    ("Сумын фэйсбүүк хуудсаар мэдээлсэн", {"evidence_url", "evidence_verb"}, set()),
    ("Ур чадварын нэмэгдлийг 4 албан хаагчид олгон ажиллаа.", {"evidence_count", "evidence_verb"}, {"boilerplate"}),
    # positive privatives and NGOs are not negation
    ("Тасралтгүй ажилласан.", set(), {"negation"}),
    ("Ашиг сонирхлын зөрчилгүй мэдэгдэл гаргасан.", {"evidence_verb"}, {"negation"}),
    ("Төрийн бус байгууллагатай хамтарсан.", set(), {"negation"}),
    ("ТУЗ-ийн хараат бус гишүүнийг оролцуулсан.", set(), {"negation"}),
    ("Хувилбар гаргах ажил эхэлсэн ч дуусаагүй.", {"ongoing", "negation"}, set()),
    ("Цаг алдалгүй шийдвэрлэсэн.", {"evidence_verb"}, {"negation"}),
    # no cue at all
    ("Ёс зүйн хороо", set(), set(CUE_KINDS)),
    ("1.1.2. Төрийн албанд", set(), set(CUE_KINDS)),
    ("", set(), set(CUE_KINDS)),
    # legacy-font letters (є, ї) and Latin look-alikes, through normalize()
    ("Сургалт зохион байгуулаагїй", {"negation"}, set()),
    ("тєсєв хїрэлцээгїй", {"budget"}, {"negation"}),
    ("Єргєдєл гомдол ирээгїй", {"not_applicable"}, {"negation"}),
    ("Cул opoн тоо ихтэй", {"staffing"}, set()),
    ("ХАCУМ-ийг хянуулсан", {"evidence_verb"}, set()),
    ("Тайланг хугацаандаа хүргүүлээгүй", {"negation"}, {"evidence_verb"}),
    ("<p>Ажиллаж байна.</p>", {"boilerplate"}, set()),
    ("Сургалт зохион байгуулсан.Мөн 3 албан хаагч хамрагдсан", {"evidence_verb", "evidence_count"}, set()),
]


@pytest.mark.parametrize(("text", "present", "absent"), CUE_TABLE, ids=[t[:40] for t, _, _ in CUE_TABLE])
def test_cue_table(text, present, absent):
    found = kinds_of(text)
    assert present <= found, f"missing {present - found} in {found}"
    assert not absent & found, f"unexpected {absent & found}"


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Сургалт зохион байгуулаагүй.", "negation", ["зохион байгуулаагүй"]),
        ("Хороо үйл ажиллагаа явуулж чадаагүй.", "negation", ["явуулж чадаагүй"]),
        ("Ажил эхэлсэн ч дуусаагүй.", "negation", ["дуусаагүй"]),
        (
            "12 албан хаагч, 3 удаа, 5 сургалт, 45 хувь",
            "evidence_count",
            ["12 албан хаагч", "3 удаа", "5 сургалт", "45 хувь"],
        ),
        ("ногоон суваг 71.3%", "evidence_count", ["71.3%"]),
        ("2024 оны 3 дугаар сарын 15-ны өдөр", "evidence_date", ["2024 оны 3 дугаар сарын 15"]),
        ("3-р сард", "evidence_date", ["3-р сард"]),
        ("01/234 тоот албан бичиг", "evidence_docno", ["01/234 тоот"]),
        ("2021 оны 109 дүгээр “Журам”-ын", "evidence_docno", ["109 дүгээр"]),
        ("Тарагт сумын зохион байгуулсан", "evidence_verb", ["зохион байгуулсан"]),
        ("Өргөдөл, гомдол ирээгүй болно.", "not_applicable", ["Өргөдөл, гомдол ирээгүй"]),
        ("Байхгүй.", "not_applicable", ["Байхгүй"]),
        ("Чиглэл барин ажилладаг.", "boilerplate", ["Чиглэл барин ажилладаг"]),
    ],
)
def test_cue_text(text, kind, expected):
    assert texts_of(text, kind) == expected


def test_evidence_inside_a_wider_cue_is_kept():
    cues = find_cues("Орлогч дарга 2025 оны 6 дугаар сард ГЕГ-т шилжсэн.")
    assert [c.kind for c in cues] == ["staffing", "evidence_date"]
    assert cues[1].text == "2025 оны 6 дугаар сард"


def test_cues_are_in_text_order_with_exact_offsets():
    text = normalize(
        "2024 онд 12 албан хаагчийг сургалтад хамруулсан. Сул орон тоо ихтэй тул "
        "тайлан хүргүүлээгүй. Мэдээллийг shilendans.gov.mn-д байршуулсан."
    )
    cues = find_cues(text)
    assert len(cues) >= 6
    assert [c.start_char for c in cues] == sorted(c.start_char for c in cues)
    for cue in cues:
        assert isinstance(cue, Cue)
        assert text[cue.start_char : cue.end_char] == cue.text
        assert cue.kind in CUE_KINDS


def test_component_writes_spans_and_extension():
    doc = get_pipeline()("Сул орон тоотой тул хийгдээгүй.")
    assert [s.label_ for s in doc.spans[SPANS_KEY]] == ["staffing", "negation"]
    assert doc._.cues == [Cue("staffing", "Сул орон тоотой", 0, 15), Cue("negation", "хийгдээгүй", 20, 30)]


def test_find_cues_many_matches_find_cues_in_order():
    texts = [normalize(t) for t, _, _ in CUE_TABLE]
    many = find_cues_many(texts, batch_size=7)
    assert many == [find_cues(t) for t in texts]
    assert [m.text for m in many] == texts


def test_find_cues_many_with_two_processes_gives_the_same_cues():
    texts = [normalize(t) for t, _, _ in CUE_TABLE[:20]]
    assert find_cues_many(texts, n_process=2, batch_size=4) == find_cues_many(texts)


def test_deterministic():
    text = normalize(CUE_TABLE[1][0])
    assert find_cues(text) == find_cues(text) == find_cues_many([text])[0]


def test_patterns_are_valid_token_patterns():
    """The flag form is not in spaCy's schema; the REGEX form of the same patterns is."""
    matcher = Matcher(spacy.blank("mn").vocab, validate=True)
    for kind, patterns in _compile(_patterns()).items():
        matcher.add(kind, patterns)
    assert len(matcher) == len(CUE_KINDS)


def test_without_free_flags_the_regex_fallback_finds_the_same_cues():
    pipeline = spacy.blank("mn")
    for bit in range(19, 64):
        pipeline.vocab.add_flag(lambda text: False, flag_id=bit)
    pipeline.add_pipe("mn_cues")
    texts = [normalize(t) for t, _, _ in CUE_TABLE]
    assert [pipeline(t)._.cues for t in texts] == [list(c) for c in find_cues_many(texts)]


def test_two_components_on_one_vocab_share_flags():
    pipeline = spacy.blank("mn")
    pipeline.add_pipe("mn_cues", name="first")
    used = {bit for bit in range(19, 64) if bit in pipeline.vocab.lex_attr_getters}
    pipeline.add_pipe("mn_cues", name="second")
    assert {bit for bit in range(19, 64) if bit in pipeline.vocab.lex_attr_getters} == used


def test_saved_pipeline_with_cues_reloads_in_a_fresh_process(tmp_path):
    text = "Сул орон тоотой тул 2024 онд сургалт зохион байгуулаагүй."
    get_pipeline().to_disk(tmp_path / "pipe")
    code = (
        "import json, spacy, nlp.judge.cues\n"
        f"n = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"print(json.dumps([list(c) for c in n({text!r})._.cues]))"
    )
    assert run_json(code) == [list(c) for c in find_cues(text)]


# --------------------------------------------------------------------------- #
# cue_matrix                                                                  #
# --------------------------------------------------------------------------- #


def test_feature_names_follow_the_kinds():
    assert FEATURE_NAMES == tuple(f"n_{k}" for k in CUE_KINDS) + EXTRA_FEATURES
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    required = {
        "negation", "staffing", "not_applicable", "boilerplate", "ongoing", "partial_scope",
        "evidence_count", "evidence_date", "evidence_docno", "evidence_url", "evidence_verb", "budget",
    }  # fmt: skip
    assert required <= set(CUE_KINDS)


def test_cue_matrix_shape_and_counts():
    texts = [normalize(t) for t, _, _ in CUE_TABLE]
    cues = find_cues_many(texts)
    X = cue_matrix(cues)
    assert X.shape == (len(texts), len(FEATURE_NAMES))
    assert X.dtype == np.float64
    assert np.isfinite(X).all()
    for row, cue_list in zip(X, cues):
        for j, kind in enumerate(CUE_KINDS):
            assert row[j] == sum(c.kind == kind for c in cue_list)
    assert cue_matrix([]).shape == (0, len(FEATURE_NAMES))


def feature(cues, name, texts=None):
    return cue_matrix([cues], texts)[0, FEATURE_NAMES.index(name)]


def test_extra_features():
    boiler = find_cues("Ажиллаж байна.")
    assert feature(boiler, "boilerplate_share") == 1.0
    assert feature(boiler, "log_chars") == pytest.approx(math.log1p(len("Ажиллаж байна.")))

    unmet = find_cues("Сургалт зохион байгуулсан. Тайлан хүргүүлээгүй.")
    assert feature(unmet, "neg_after_evidence") == 1.0
    assert 0.5 < feature(unmet, "neg_position") < 1.0
    first = find_cues("Тайлан хүргүүлээгүй. Сургалт зохион байгуулсан.")
    assert feature(first, "neg_after_evidence") == 0.0
    assert 0.0 < feature(first, "neg_position") < 0.5
    no_negation = find_cues("Сургалт хийсэн.")
    assert feature(no_negation, "neg_position") == feature(no_negation, "neg_after_evidence") == 0.0

    evidence = find_cues("2024 онд 12 албан хаагч хамрагдсан.")
    assert feature(evidence, "evidence_share") == 1.0
    assert feature(evidence, "boilerplate_share") == 0.0
    assert feature(find_cues(""), "log_chars") == 0.0


def test_cue_matrix_takes_texts_for_plain_lists():
    text = "Сул орон тоотой тул хийгдээгүй."
    cues = find_cues(text)
    assert isinstance(cues, CueList) and cues.text == text
    plain = [list(cues)]
    np.testing.assert_array_equal(cue_matrix(plain, [text]), cue_matrix([cues]))
    with pytest.raises(ValueError):
        cue_matrix(plain)
    with pytest.raises(ValueError):
        cue_matrix(plain, [text, text])


# --------------------------------------------------------------------------- #
# reasons_mn                                                                  #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Сургалт зохион байгуулаагүй.", "үгүйсгэл: «зохион байгуулаагүй»"),
        ("Сул орон тоо ихтэй.", "орон тооны шалтгаан: «Сул орон тоо»"),
        ("Нийт 12 албан хаагч хамрагдсан.", "нотолгоо: тоо «12 албан хаагч»"),
        ("Ажиллаж байна.", "ерөнхий үг хэллэг: «Ажиллаж байна»"),
        ("Тохиолдол гараагүй.", "хамаарахгүй / тохиолдол гараагүй: «Тохиолдол гараагүй»"),
        ("shilendans.gov.mn-д байршуулсан", "нотолгоо: цахим хаяг «shilendans.gov.mn»"),
    ],
)
def test_reasons_mn(text, reason):
    assert reason in reasons_mn(find_cues(text))


def test_reasons_put_shortfalls_before_evidence_and_stay_short():
    text = (
        "2024 онд 12 албан хаагч, 2025 онд 8 албан хаагч, 2023 онд 5 албан хаагч хамрагдсан. "
        "Сул орон тоотой тул үлдсэнийг хийгээгүй."
    )
    reasons = reasons_mn(find_cues(text))
    assert reasons[0].startswith("орон тооны шалтгаан")
    assert reasons[1].startswith("үгүйсгэл")
    assert sum(r.startswith("нотолгоо: тоо") for r in reasons) == 2
    assert sum(r.startswith("нотолгоо: тоо") for r in reasons_mn(find_cues(text), per_kind=5)) == 3
    assert reasons_mn([]) == []


def test_reason_tables_cover_every_kind():
    assert set(REASON_MN) == set(REASON_EN) == set(CUE_KINDS)
    for table in (REASON_MN, REASON_EN):
        assert all(template.count("{}") == 1 for template in table.values())
