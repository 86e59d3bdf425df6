"""Statuses, the rubric and the audit settings (all overridable, none hard-wired elsewhere)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["STATUSES", "STATUS_MN", "DEFAULT_RUBRIC", "Settings"]

#: The six implementation statuses, in a fixed order used for every probability column.
STATUSES: tuple[str, ...] = (
    "done",
    "partial",
    "blocked_staffing",
    "not_done",
    "not_applicable",
    "no_evidence",
)

#: Mongolian names of the statuses, as shown to auditors.
STATUS_MN: dict[str, str] = {
    "done": "Бүрэн хэрэгжсэн",
    "partial": "Хэрэгжих шатандаа",
    "blocked_staffing": "Хэрэгжилт хангалтгүй (орон тоо)",
    "not_done": "Хэрэгжээгүй",
    "not_applicable": "Хамаарахгүй",
    "no_evidence": "Нотолгоогүй",
}

#: Official rubric: score per status; ``None`` means the row is excluded from scoring.
DEFAULT_RUBRIC: dict[str, float | None] = {
    "done": 100.0,
    "partial": 70.0,
    "blocked_staffing": 30.0,
    "not_done": 0.0,
    "not_applicable": None,
    "no_evidence": 0.0,
}


@dataclass
class Settings:
    """Audit settings.

    Parameters
    ----------
    rubric : dict
        Score per status; ``None`` excludes the status from scoring (not_applicable).
    threshold : float, default 30
        A row is overstated when reported − rubric score ≥ threshold (see ``flag_high``).
    na_flag_min : float, default 70
        A row whose top status is not_applicable is flagged when it reports at least this much.
    flag_high, flag_low : float, default 0.9 and 0.3
        The flag rests on ``p_over``, the model's probability that the row is overstated (the sum of the
        probabilities of the statuses under which reported − rubric ≥ threshold). ``p_over ≥ flag_high``
        gives ``flag = true``; ``flag_low ≤ p_over < flag_high`` gives ``flag = review`` (an auditor
        decides); below that ``false``. Chosen by leave-one-writer-out cross-validation
        (``benchmarks/writer_cv.py``, ``docs/evaluation.md``).
    score_temperature : float, default 0.5
        Temperature applied to the status probabilities before they weight the rubric:
        ``p ** (1 / t)``, renormalised. 1 is the plain probability-weighted score; below 1 the
        score leans towards the rubric score of the most likely status. Chosen by grouped
        cross-validation on the training organisations (``docs/evaluation.md``). It changes the
        score only, never the status or the confidence.
    """

    rubric: dict[str, float | None] = field(default_factory=lambda: dict(DEFAULT_RUBRIC))
    threshold: float = 30.0
    na_flag_min: float = 70.0
    score_temperature: float = 0.5
    flag_high: float = 0.9
    flag_low: float = 0.3

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Settings":
        d = dict(d or {})
        rubric = dict(DEFAULT_RUBRIC)
        rubric.update(d.pop("rubric", {}) or {})
        known = {k: v for k, v in d.items()
                 if k in ("threshold", "na_flag_min", "score_temperature", "flag_high", "flag_low")}
        return cls(rubric=rubric, **known)

    def true_score(self, status: str) -> float | None:
        """Rubric score of a (true or predicted) status."""
        return self.rubric.get(status)
