"""Measure-aware evidence: does the narrative show the measure carried out, or only talk about it?

Each narrative is compared with its own measure. A narrative that restates the measure (it covers the
measure's key words and adds little of its own) and carries no concrete token is the classic
no_evidence row, however long and official it sounds; a short narrative with a count, a date, a
document number or a tally that covers its scope (``58/58``) is the classic done row. These features
give the classifier those facts directly, whatever the writer's style.

:func:`evidence_matrix` gives one row of features per (narrative, measure) pair;
:class:`nlp.judge.features.NarrativeFeatures` computes it once per distinct pair and standardises it as
its ``evidence`` block.
"""

from __future__ import annotations

import re

import numpy as np

from ..text import romanize

__all__ = ["EVIDENCE_NAMES", "evidence_matrix", "measure_coverage"]

EVIDENCE_NAMES: tuple[str, ...] = (
    "ev_numbers",         # log(1 + digit groups)
    "ev_date",            # a date: 2024.03.12, 03/12, "3 дугаар сарын", "-ны өдөр"
    "ev_document",        # a document number: №, А/12, 01/245 тоот, тушаал/захирамж/тогтоол with a number
    "ev_url",             # a system or web address: tender.gov.mn, xacum.iaac.mn, http…
    "ev_tally_full",      # a tally that covers its scope: 58/58, "14-өөс 14"
    "ev_tally_part",      # a tally that does not: 12/30, "5 сумаас 3"
    "ev_coverage",        # share of the measure's key stems found in the narrative
    "ev_novelty",         # share of the narrative's stems not in the measure
    "ev_restates",        # coverage × (1 − novelty) with no concrete token: a restatement
    "ev_words",           # log(1 + words)
)

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_DATE = re.compile(r"\b(?:19|20)\d\d[.\-/ ]\d{1,2}(?:[.\-/ ]\d{1,2})?\b|\b\d{1,2}[.\-/]\d{1,2}[.\-/](?:19|20)?\d\d\b"
                   r"|сарын|\bсар\b|өдөр|\bон(?:ы|д)\b|\b(?:19|20)\d\d\s*он|\bq[1-4]\b|улирал", re.IGNORECASE)
_DOC = re.compile(r"№\s*\w|\b[АБAВBaаб]\s*/\s*\d+|\b\d+\s*/\s*\d+\s*(?:тоот|toot|дугаар)|тоот|тушаал|захирамж|"
                  r"тогтоол|протокол|тэмдэглэл|актаар|\bакт\b|гэрээ\s*№|prikaz|tushaal|zahiramj", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:gov\.mn|mn|org|com)\b", re.IGNORECASE)
_TALLY = re.compile(r"(?<![\d.\-/])(\d{1,5})\s*/\s*(\d{1,5})(?![\d.\-/])")
_OF = re.compile(r"(\d{1,5})\s*[-–]?\s*(?:аас|ээс|оос|өөс|иас|\w{0,6}(?:аас|ээс|оос|өөс))\s+(\d{1,5})")


def _stems(text: str, n: int = 5) -> set[str]:
    return {w[:n] for w in _WORD.findall(romanize(text)) if len(w) > 3 and not w.isdigit()}


def measure_coverage(narrative: str, measure: str) -> float:
    """Share of the measure's key word stems (5 letters, script-blind) that the narrative repeats."""
    m = _stems(measure)
    return len(m & _stems(narrative)) / len(m) if m else 0.0


def _tallies(text: str) -> tuple[float, float]:
    full = part = 0.0
    for a, b in _TALLY.findall(text):
        a, b = int(a), int(b)
        if b == 0 or a > b or (b <= 12 and a <= 31 and b != a):  # 03/12 reads as a date, not a tally
            continue
        if a == b:
            full = 1.0
        else:
            part = 1.0
    for b, a in _OF.findall(text):  # "30-аас 12", "5 сумаас 3"
        a, b = int(a), int(b)
        if 0 < b and a <= b:
            if a == b:
                full = 1.0
            else:
                part = 1.0
    return full, part


def _row(narrative: str, measure: str) -> list[float]:
    n_stems, m_stems = _stems(narrative), _stems(measure)
    coverage = len(m_stems & n_stems) / len(m_stems) if m_stems else 0.0
    novelty = len(n_stems - m_stems) / len(n_stems) if n_stems else 0.0
    date = 1.0 if _DATE.search(narrative) else 0.0
    doc = 1.0 if _DOC.search(narrative) else 0.0
    url = 1.0 if _URL.search(narrative) else 0.0
    full, part = _tallies(narrative)
    digits = len(_DIGITS.findall(narrative))
    concrete = max(date, doc, url, full, part, 1.0 if digits else 0.0)
    return [np.log1p(digits), date, doc, url, full, part, coverage, novelty,
            coverage * (1.0 - novelty) * (1.0 - concrete), np.log1p(len(_WORD.findall(narrative)))]


def evidence_matrix(narratives: list[str], measures: list[str]) -> np.ndarray:
    """``(n_rows, len(EVIDENCE_NAMES))`` evidence features, one row per (narrative, measure) pair.

    :class:`nlp.judge.features.NarrativeFeatures` passes each distinct pair once.
    """
    rows = [_row(n, m) for n, m in zip(narratives, measures)]
    return np.asarray(rows, dtype=np.float64) if rows else np.zeros((0, len(EVIDENCE_NAMES)))
