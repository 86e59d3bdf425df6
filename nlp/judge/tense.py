"""Tense of each clause: is the narrative a record of what was done, or a list of what will be?

A narrative whose every clause or list item ends in a plan («зохион байгуулна», «хийхээр төлөвлөсөн», «4-р
улиралд хийгдэнэ») is ``not_done`` (decision rule 6 of ``docs/labels.md``) however busy it looks, while one
that mixes past facts with plans is ``partial``. Word and character n-grams see «төлөвлөсөн» or «-на» but
not how many of the clauses are plans; these features count them.

A clause is a stretch between full stops, semicolons, commas, line breaks and list markers («1)», «-»,
«•»). Mongolian puts the verb last, so the clause's last word decides its tense:

``plan``
    a non-past form («-на/-нэ/-но/-нө», «болно»; not the auxiliary «байна»), or a clause with a planning
    verb («төлөвлөж», «төлөвлөсөн», «товлосон») or a purposive «-хаар/-хээр» form;
``ongoing``
    «… -ж/-ч байна», «шатандаа»;
``negated``
    «-гүй» («хийгдээгүй», «байхгүй»), also before an auxiliary («боломжгүй байсан»);
``past``
    «-сан/-сэн/-сон/-сөн», «-лаа/-лээ», «-жээ/-чээ», «-в».

The words are read in their script-blind form (:func:`nlp.text.romanize`), so phone typing in Latin letters
(«zohion baiguulna») counts too. A clause whose last word is none of these (a list of nouns, a number) is not
counted; the shares are over the clauses that are.

:func:`tense_matrix` gives one row per narrative in the order of :data:`TENSE_NAMES`.
"""

from __future__ import annotations

import re

import numpy as np

from ..text import romanize

__all__ = ["TENSE_NAMES", "clause_tenses", "tense_matrix"]

TENSE_NAMES: tuple[str, ...] = (
    "tense_plan_share",     # share of the counted clauses that are plans
    "tense_past_share",     # … past
    "tense_ongoing_share",  # … ongoing
    "tense_negated_share",  # … negated
    "tense_plan_last",      # the last counted clause is a plan
    "tense_only_plans",     # at least two clauses counted and every one a plan
    "tense_clauses",        # log(1 + counted clauses)
)

TENSES: tuple[str, ...] = ("plan", "past", "ongoing", "negated")

# Clause breaks: sentence and list punctuation, line breaks, list markers («1)», «2.», «-», «•»).
_BREAK = re.compile(r"[.;!?\n,]+\s*|(?:^|\s)(?:\d{1,2}[.)]|[-•*+—–])\s+")
_WORD = re.compile(r"[^\W\d_]+")
_PLAN_WORD = re.compile(r"^\w{2,}n[aeou]$")
#: Words that end like a non-past verb but are not one («шинэ», new).
_NOT_VERBS = {"shine", "hana", "ene", "tere", "mune"}
_AUX = {"baina", "bayna", "baigaa", "baisan", "baijee", "bolno"}
_PLAN_MARK = re.compile(r"\b(?:tuluulu(?:j|sun|gdsun|gduj|gdej)|touls[oa]n|tovlo\w*|touluu?lsun)\b"
                        r"|\b\w{3,}h(?:aar|eer|oor|uur)\b")
_NEGATED = re.compile(r"gu[iy]$")
_PAST = re.compile(r"(?:s[aeou]n|l[aeou]{2}|[jc]h?ee|[aeio]u)$")
_CONVERB = re.compile(r"(?:j|ch)$")


def _tense(words: list[str]) -> str | None:
    if not words:
        return None
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if _NEGATED.search(last) or (last in _AUX and _NEGATED.search(before)):
        return "negated"
    if last in {"baina", "bayna", "baigaa"} and before == "gej":  # «тавих гэж байна»: about to
        return "plan"
    if last in {"baina", "bayna", "baigaa"} and _CONVERB.search(before):
        return "ongoing"
    if last.startswith("shatanda"):
        return "ongoing"
    if last == "bolno" or (last not in _AUX and last not in _NOT_VERBS and _PLAN_WORD.match(last)):
        return "plan"
    if _PLAN_MARK.search(" ".join(words)):
        return "plan"
    if _PAST.search(last) and len(last) > 3:
        return "past"
    return None


def clause_tenses(text: str) -> list[str]:
    """The tense of each counted clause of ``text``, in order.

    Examples
    --------
    >>> clause_tenses("1) Сургалт зохион байгуулна; 2) журмыг 3-р улиралд батлуулна.")
    ['plan', 'plan']
    >>> clause_tenses("Журам батлуулсан. Сургалт хийгдэж байна. Тайлан ирүүлээгүй.")
    ['past', 'ongoing', 'negated']
    """
    out = []
    for clause in _BREAK.split(romanize(text)):
        tense = _tense(_WORD.findall(clause))
        if tense is not None:
            out.append(tense)
    return out


def _row(text: str) -> list[float]:
    tenses = clause_tenses(text)
    n = len(tenses)
    shares = [tenses.count(t) / n if n else 0.0 for t in TENSES]
    last_plan = 1.0 if n and tenses[-1] == "plan" else 0.0
    only_plans = 1.0 if n >= 2 and shares[0] == 1.0 else 0.0
    return shares + [last_plan, only_plans, float(np.log1p(n))]


def tense_matrix(narratives: list[str]) -> np.ndarray:
    """``(n, len(TENSE_NAMES))`` tense features, one row per narrative."""
    rows = [_row(t) for t in narratives]
    return np.asarray(rows, dtype=np.float64) if rows else np.zeros((0, len(TENSE_NAMES)))
