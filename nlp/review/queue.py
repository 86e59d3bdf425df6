"""The review queue: choose the rows most worth an auditor's time, hand them over in a
workbook, and read the auditor's judgements back.

Хянах дараалал / Review queue
-----------------------------
:func:`select_for_review` picks, from a scored table, in this order:

1. ``uncertain`` — the rows the model is least sure of (smallest margin between its two most
   probable statuses when the ``p_<status>`` columns are there, else lowest confidence);
2. ``flagged`` — flagged rows, largest gap first (a wrong flag accuses an organisation);
3. ``spread`` — one representative row of each group of similar rows (k-means over the
   narrative embeddings when given, else over a character n-gram TF-IDF space reduced by SVD),
   so the labels cover the whole range of what organisations write.

Each row keeps the reason it was picked (``pick_reason``) and a sentence saying why
(``pick_detail``). Rows with an empty narrative are never picked (they are no_evidence by
rule); identical narratives are offered once.

:func:`write_review_workbook` writes the ``.xlsx``: a review sheet with the model's status and
reasons beside an auditor's status dropdown (data validation over the six statuses), the
auditor's name and comment; a row key (report_id, row_id, source and a hash of the narrative,
so an edited narrative is noticed); a status sheet; and instructions in Mongolian and English.

:func:`read_review_workbook` validates every row. **A workbook with any malformed row is
refused as a whole**, with every problem named by sheet and row, so that a file is either
imported completely or not at all and the auditor fixes it and imports again. Rows left
untouched (no status, name or comment) are not reviewed: they are counted, not stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, bilingual
from ..judge.audit import flag_states
from ..settings import DEFAULT_RUBRIC, STATUS_MN, STATUSES
from .store import LabelStore, narrative_hash

__all__ = ["select_for_review", "write_review_workbook", "read_review_workbook", "import_review",
           "export_review", "load_scored_dir", "status_label", "parse_status", "model_version",
           "ReviewError", "ImportResult", "REVIEW_COLUMNS", "REVIEW_SHEET", "STATUS_SHEET",
           "INSTRUCTIONS_SHEET", "PICK_REASONS", "reason_counts"]

REVIEW_SHEET = "Хянах"
STATUS_SHEET = "Төлөв"
INSTRUCTIONS_SHEET = "Заавар"

#: Why a row was picked: code → (Mongolian, English).
PICK_REASONS: dict[str, tuple[str, str]] = {
    "uncertain": ("загвар эргэлзсэн", "the model is unsure"),
    "flagged": ("тэмдэглэсэн мөр", "flagged row"),
    "spread": ("төстэй мөрүүдийн төлөөлөл", "represents a group of similar rows"),
}

#: Columns of the review sheet: key → header (Mongolian / English), in sheet order.
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("pick", "№"),
    ("narrative", "Биелэлт / narrative"),
    ("measure", "Арга хэмжээ / measure"),
    ("reported_percent", "Тайлагнасан % / reported %"),
    ("model_status", "Загварын төлөв / model's status"),
    ("confidence", "Итгэл / confidence"),
    ("gap", "Зөрүү / gap"),
    ("flag", "Тэмдэглэсэн / flagged"),
    ("reasons", "Загварын шалтгаан / model's reasons"),
    ("auditor_status", "Аудиторын төлөв / auditor's status"),
    ("auditor", "Аудитор / auditor"),
    ("comment", "Тайлбар / comment"),
    ("pick_detail", "Сонгосон шалтгаан / why picked"),
    ("report_id", "Тайлан / report_id"),
    ("row_id", "Мөр / row_id"),
    ("source", "Файл / source"),
    ("org", "Байгууллага / org"),
    ("year", "Он / year"),
    ("objective_no", "Зорилт / objective_no"),
    ("measure_no", "Арга хэмжээний № / measure_no"),
    ("narrative_hash", "Биелэлтийн хэш / narrative_hash"),
    ("model_version", "Загварын хувилбар / model_version"),
)
_KEY_COLUMNS = ("report_id", "row_id", "source", "narrative", "narrative_hash")
_REQUIRED_COLUMNS = _KEY_COLUMNS + ("auditor_status", "auditor", "comment")
_WIDTHS = {"pick": 6, "narrative": 70, "measure": 40, "reasons": 40, "comment": 30, "pick_detail": 36,
           "model_status": 24, "auditor_status": 30, "auditor": 18, "source": 28, "narrative_hash": 18,
           "model_version": 24}
_EDITABLE = ("auditor_status", "auditor", "comment")
_MAX_LISTED = 30


def status_label(status: str) -> str:
    """How a status is shown in the workbook: ``"Бүрэн хэрэгжсэн (done)"``."""
    return f"{STATUS_MN[status]} ({status})"


_STATUS_LOOKUP = {k.casefold(): s for s in STATUSES for k in (s, STATUS_MN[s], status_label(s))}


def parse_status(value) -> str | None:
    """The status code for a workbook value (the dropdown label, the code or the Mongolian name).

    Returns ``None`` for an empty cell; raises ``ValueError`` for anything else unknown.
    """
    text = "" if value is None else " ".join(str(value).split())
    if not text:
        return None
    found = _STATUS_LOOKUP.get(text.casefold())
    if found is None:
        raise ValueError(text)
    return found


def model_version(model) -> str:
    """A model's version as recorded with labels: ``<name>@<first 12 of its data hash>``."""
    if model is None:
        return ""
    meta = getattr(model, "meta", {}) or {}
    name = meta.get("name") or (Path(model.path).name if getattr(model, "path", None) else "model")
    digest = str(meta.get("data_hash", ""))[:12]
    return f"{name}@{digest}" if digest else str(name)


# ---------------------------------------------------------------------------------------------
# choosing rows

def _text_column(df: pd.DataFrame, name: str) -> pd.Series:
    if name not in df:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    return df[name].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))


def _flags(df: pd.DataFrame) -> np.ndarray:
    """True where ``flag`` is ``true`` or ``review``: both ask for an auditor's look."""
    if "flag" not in df:
        return np.zeros(len(df), dtype=bool)
    return flag_states(df["flag"]) != "false"


def _margins(df: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Margin between the two most probable statuses (or 1 − confidence) and a detail per row."""
    cols = [f"p_{s}" for s in STATUSES]
    if all(c in df for c in cols):
        p = df[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy(dtype=float)
        order = np.argsort(-p, axis=1, kind="stable")
        top, second = order[:, 0], order[:, 1]
        rows = np.arange(len(df))
        margin = p[rows, top] - p[rows, second]
        detail = [bilingual(f"{STATUSES[a]} {p[i, a]:.0%} ба {STATUSES[b]} {p[i, b]:.0%} хооронд эргэлзсэн",
                            f"torn between {STATUSES[a]} {p[i, a]:.0%} and {STATUSES[b]} {p[i, b]:.0%}")
                  for i, (a, b) in enumerate(zip(top, second))]
        return margin, detail
    conf = pd.to_numeric(df["confidence"], errors="coerce").fillna(0.0).to_numpy(dtype=float) \
        if "confidence" in df else np.zeros(len(df))
    detail = [bilingual(f"итгэл {c:.0%}", f"confidence {c:.0%}") for c in conf]
    return conf - 1.0, detail


def _text_space(texts: list[str], seed: int) -> np.ndarray:
    """Narratives as dense vectors: character 2–4-gram TF-IDF, reduced by SVD, unit length."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize as l2

    X = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, max_features=50000,
                        dtype=np.float32).fit_transform(texts)
    k = min(50, X.shape[1] - 1, X.shape[0] - 1)
    if k < 2:
        return X.toarray()
    return l2(TruncatedSVD(n_components=k, random_state=seed).fit_transform(X))


def _spread(vectors: np.ndarray, k: int, seed: int) -> list[tuple[int, int, int]]:
    """k-means representatives: (position, group size, group number), largest group first."""
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, random_state=seed, n_init=3).fit(vectors)
    picks = []
    for c in range(k):
        members = np.flatnonzero(km.labels_ == c)
        if not len(members):
            continue
        d = np.linalg.norm(vectors[members] - km.cluster_centers_[c], axis=1)
        picks.append((int(members[np.argmin(d)]), len(members)))
    picks.sort(key=lambda t: (-t[1], t[0]))
    return [(pos, size, g + 1) for g, (pos, size) in enumerate(picks)]


def select_for_review(scored: pd.DataFrame, n: int = 200, *, embeddings: np.ndarray | None = None,
                      seed: int = 0, uncertain_share: float = 1 / 3, flagged_share: float = 1 / 3
                      ) -> pd.DataFrame:
    """Pick up to ``n`` rows of a scored table for an auditor to review.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.judge.audit.score` (or ``rows.csv`` read back): ``narrative``, ``status``,
        ``confidence``, ``gap``, ``flag`` and, when present, ``p_<status>``.
    n : int, default 200
    embeddings : ndarray, optional
        One vector per row of ``scored`` (e.g. the model's narrative embeddings) for the spread;
        default: a character n-gram TF-IDF space of the narratives.
    seed : int, default 0
    uncertain_share, flagged_share : float
        Shares of ``n`` for the uncertain and the flagged rows; the rest (and whatever those
        two leave unused) goes to the spread.

    Returns
    -------
    DataFrame
        The picked rows in pick order, with their original columns plus ``scored_index`` (the
        position in ``scored``), ``pick_reason`` (see :data:`PICK_REASONS`), ``pick_detail``
        (a bilingual sentence) and ``n_same`` (rows sharing the narrative).
    """
    df = scored.reset_index(drop=True)
    narr = _text_column(df, "narrative").str.strip()
    eligible = (narr != "").to_numpy()
    same = narr.map(narr.value_counts())
    first = ~narr.duplicated().to_numpy()
    candidates = np.flatnonzero(eligible & first)
    n = max(0, int(n))
    margin, margin_detail = _margins(df)
    flags = _flags(df)
    gap = pd.to_numeric(df["gap"], errors="coerce").to_numpy(dtype=float) if "gap" in df \
        else np.full(len(df), np.nan)
    reported = pd.to_numeric(df["reported_percent"], errors="coerce").to_numpy(dtype=float) \
        if "reported_percent" in df else np.full(len(df), np.nan)

    chosen: dict[int, tuple[str, str]] = {}

    def take(positions, reason, details):
        for pos, det in zip(positions, details):
            if len(chosen) >= n:
                return
            if pos not in chosen:
                chosen[int(pos)] = (reason, det)

    n_uncertain = int(round(n * uncertain_share))
    order = candidates[np.argsort(margin[candidates], kind="stable")][:n_uncertain]
    take(order, "uncertain", [margin_detail[i] for i in order])

    n_flagged = int(round(n * flagged_share))
    fl = np.array([i for i in candidates if flags[i] and i not in chosen], dtype=int)
    severity = np.where(np.isnan(gap[fl]), np.nan_to_num(reported[fl], nan=0.0), gap[fl]) if len(fl) else gap[fl]
    fl = fl[np.argsort(-severity, kind="stable")][:n_flagged]
    take(fl, "flagged", [
        bilingual(f"тайлагнасан {reported[i]:g}%, зөрүү {gap[i]:.0f}", f"reported {reported[i]:g}%, gap {gap[i]:.0f}")
        if not np.isnan(gap[i]) else
        bilingual(f"хамаарахгүй мөртөө {reported[i]:g}% гэж тайлагнасан", f"not applicable yet reported {reported[i]:g}%")
        for i in fl])

    rest = np.array([i for i in candidates if i not in chosen], dtype=int)
    k = n - len(chosen)
    if k > 0 and len(rest):
        if len(rest) <= k:
            take(rest, "spread", [bilingual("үлдсэн мөр", "remaining row")] * len(rest))
        else:
            if embeddings is not None:
                vectors = np.asarray(embeddings, dtype=np.float64)[rest]
            else:
                vectors = _text_space([narr.iat[i] for i in rest], seed)
            groups = _spread(vectors, k, seed)
            take([rest[pos] for pos, _, _ in groups], "spread",
                 [bilingual(f"{size} төстэй мөрийн бүлэг ({g}/{len(groups)})",
                            f"group of {size} similar rows ({g}/{len(groups)})") for _, size, g in groups])

    order = list(chosen)
    out = df.iloc[order].copy()
    out.insert(0, "scored_index", order)
    out["pick_reason"] = [chosen[i][0] for i in order]
    out["pick_detail"] = [bilingual(PICK_REASONS[chosen[i][0]][0], PICK_REASONS[chosen[i][0]][1]) + ": "
                          + chosen[i][1] for i in order]
    out["n_same"] = same.iloc[order].to_numpy()
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the workbook

def _safe_text(value) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _instructions() -> list[tuple[str, str]]:
    return [
        ("Хянах ажлын ном", "Review workbook"),
        ("", ""),
        ("1. «Хянах» хуудасны мөр бүрийн «Биелэлт»-ийг уншаад «Аудиторын төлөв» баганаас зөв төлөвийг "
         "сонгоно. Загварын төлөв, шалтгаан нь зөвхөн туслах мэдээлэл.",
         "1. On the «Хянах» sheet read each row's narrative and choose the right status in the "
         "«auditor's status» column. The model's status and reasons are only there to help."),
        ("2. «Аудитор» баганад нэрээ, шаардлагатай бол «Тайлбар» баганад тайлбараа бичнэ.",
         "2. Write your name in the «auditor» column and, where useful, a comment."),
        ("3. Биелэлтийн текст, тайлан, мөр, файл, хэшийн баганыг бүү өөрчил: эдгээрээр мөрийг танина. "
         "Биелэлтийг өөрчилсөн мөрийг хүлээн авахгүй.",
         "3. Do not edit the narrative or the key columns (report, row, file, hash): they identify the "
         "row. A row whose narrative was edited is refused."),
        ("4. Шийдэж чадаагүй мөрийг хоосон орхино: төлөв, нэр, тайлбаргүй мөрийг хянаагүй гэж үзнэ.",
         "4. Leave a row you cannot decide empty: a row with no status, name or comment counts as not reviewed."),
        ("5. Дууссаны дараа: biyelelt label import <файл>.xlsx --auditor \"Таны нэр\"",
         "5. When done: biyelelt label import <file>.xlsx --auditor \"Your name\""),
        ("", ""),
        ("Аль нэг мөр алдаатай (үл мэдэгдэх эсвэл хоосон төлөв, өөрчилсөн биелэлт, нэргүй) бол ажлын номыг "
         "бүхэлд нь хүлээж авахгүй бөгөөд алдаатай мөр бүрийн дугаарыг хэлнэ; засаад дахин оруулна. "
         "Нэг ажлын номыг хоёр удаа оруулахад шинэ зүйл нэмэгдэхгүй.",
         "If any row is malformed (unknown or empty status, edited narrative, no name) the whole workbook is "
         "refused with each bad row named; fix it and import again. Importing the same workbook twice adds "
         "nothing."),
        ("", ""),
        ("Төлөвүүд («Төлөв» хуудсыг үз):", "Statuses (see the «Төлөв» sheet):"),
        *[(f"  {status_label(s)}: {'тооцохгүй' if DEFAULT_RUBRIC[s] is None else int(DEFAULT_RUBRIC[s])}",
           f"  {s}: rubric {'excluded' if DEFAULT_RUBRIC[s] is None else int(DEFAULT_RUBRIC[s])}")
          for s in STATUSES],
        ("", ""),
        ("Мөр сонгосон шалтгаан: загвар эргэлзсэн; тэмдэглэсэн (тайлагнасан хувь нотолгооноос их); "
         "төстэй мөрүүдийн бүлгийн төлөөлөл.",
         "Why rows were picked: the model was unsure; flagged (reported more than the evidence shows); "
         "representative of a group of similar rows."),
        ("Дэлгэрэнгүй: docs/labels.md", "Details: docs/labels.md"),
    ]


def write_review_workbook(selected: pd.DataFrame, path: str | Path, *, model_version: str = "",
                          source: str = "") -> Path:
    """Write the review workbook for the rows :func:`select_for_review` picked.

    Parameters
    ----------
    selected : DataFrame
        Picked rows (``narrative``, ``status``, ``reasons``... and ``pick_detail``).
    path : str or Path
        The ``.xlsx`` to write (its folder is created).
    model_version : str
        The model that scored the rows (see :func:`model_version`); kept with every label.
    source : str
        Where the rows came from (the scored folder), shown on the instructions sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS_SHEET
    for mn, en in _instructions():
        info.append([mn, en])
    info.append([])
    info.append(["Үнэлсэн өгөгдөл", source])
    info.append(["Загварын хувилбар", model_version])
    info.append(["Үүсгэсэн", datetime.now().isoformat(timespec="seconds")])
    info.column_dimensions["A"].width = 90
    info.column_dimensions["B"].width = 90
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    info["A1"].font = info["B1"].font = Font(bold=True, size=14)

    ws = wb.create_sheet(REVIEW_SHEET)
    keys = [k for k, _ in REVIEW_COLUMNS]
    ws.append([h for _, h in REVIEW_COLUMNS])
    head_fill = PatternFill("solid", fgColor="DDE4EE")
    edit_fill = PatternFill("solid", fgColor="FFF2CC")
    key_fill = PatternFill("solid", fgColor="EEEEEE")
    for j, k in enumerate(keys, 1):
        c = ws.cell(row=1, column=j)
        c.font = Font(bold=True)
        c.fill = edit_fill if k in _EDITABLE else head_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(k, 12)

    for i, r in enumerate(selected.to_dict("records"), start=1):
        narrative = _safe_text(r.get("narrative"))
        status = str(r.get("status", "") or "")
        state = flag_states([r.get("flag")])[0]
        values = {
            "pick": i,
            "narrative": narrative,
            "measure": _safe_text(r.get("measure")),
            "reported_percent": _number(r.get("reported_percent")),
            "model_status": status_label(status) if status in STATUSES else _safe_text(status),
            "confidence": _number(r.get("confidence")),
            "gap": _number(r.get("gap")),
            "flag": {"true": "тийм / yes", "review": "шалгах / review"}.get(state, ""),
            "reasons": _safe_text(r.get("reasons")),
            "auditor_status": None, "auditor": None, "comment": None,
            "pick_detail": _safe_text(r.get("pick_detail")),
            "report_id": _safe_text(r.get("report_id")),
            "row_id": _number(r.get("row_id")),
            "source": _safe_text(r.get("source")),
            "org": _safe_text(r.get("org")),
            "year": _number(r.get("year")),
            "objective_no": _safe_text(r.get("objective_no")),
            "measure_no": _safe_text(r.get("measure_no")),
            "narrative_hash": narrative_hash(narrative),
            "model_version": model_version,
        }
        for j, k in enumerate(keys, 1):
            c = ws.cell(row=i + 1, column=j, value=values[k])
            if isinstance(values[k], str):
                c.data_type = "s"  # a narrative starting with "=" stays text, never a formula
            if k in ("narrative", "measure", "reasons", "pick_detail"):
                c.alignment = Alignment(wrap_text=True, vertical="top")
            if k in _EDITABLE:
                c.fill = edit_fill
            elif k in ("report_id", "row_id", "source", "narrative_hash", "model_version"):
                c.fill = key_fill
            if k == "confidence":
                c.number_format = "0%"
    last = max(2, len(selected) + 1)
    status_col = get_column_letter(keys.index("auditor_status") + 1)
    dv = DataValidation(type="list", formula1=f"='{STATUS_SHEET}'!$A$2:$A${len(STATUSES) + 1}", allow_blank=True,
                        showDropDown=False, showErrorMessage=True, showInputMessage=True)
    dv.errorTitle = "Төлөв / status"
    dv.error = bilingual("Жагсаалтаас төлөв сонгоно уу", "choose a status from the list")
    dv.promptTitle = "Төлөв / status"
    dv.prompt = bilingual("Зөв төлөвийг сонгоно уу", "choose the right status")
    ws.add_data_validation(dv)
    dv.add(f"{status_col}2:{status_col}{last}")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last}"

    st = wb.create_sheet(STATUS_SHEET)
    st.append(["Сонголт / choice", "код / code", "нэр / name", "үнэлгээ / rubric score"])
    for s in STATUSES:
        st.append([status_label(s), s, STATUS_MN[s], "excluded" if DEFAULT_RUBRIC[s] is None else DEFAULT_RUBRIC[s]])
    for col, w in zip("ABCD", (40, 20, 36, 18)):
        st.column_dimensions[col].width = w
    for c in st[1]:
        c.font = Font(bold=True)

    wb.active = wb.sheetnames.index(REVIEW_SHEET)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _number(v):
    if v is None or v == "":
        return None
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return _safe_text(v)
    if math.isnan(x):
        return None
    return int(x) if x.is_integer() else x


# ---------------------------------------------------------------------------------------------
# reading it back

class ReviewError(DataError):
    """A review workbook that cannot be imported; ``problems`` lists (sheet, row, mn, en)."""

    def __init__(self, path, problems: list[tuple[str, int | None, str, str]]):
        self.problems = problems
        n = len(problems)
        sheet, row, _, _ = problems[0]
        super().__init__(
            f"ажлын номыг хүлээн авсангүй, {n} алдаа; юу ч хадгалаагүй",
            f"the workbook is refused, {n} problem{'s' if n != 1 else ''}; nothing was stored",
            path=path, where=f"sheet {sheet}" + (f", row {row}" if row else ""),
        )

    @property
    def message(self) -> str:
        lines = [super().message]
        for sheet, row, mn, en in self.problems[:_MAX_LISTED]:
            place = f"«{sheet}» {row}-р мөр / sheet {sheet}, row {row}" if row else f"«{sheet}» / sheet {sheet}"
            lines.append(f"  {place}: {bilingual(mn, en)}")
        if len(self.problems) > _MAX_LISTED:
            more = len(self.problems) - _MAX_LISTED
            lines.append("  " + bilingual(f"... бас {more} алдаа", f"... and {more} more"))
        return "\n".join(lines)


@dataclass
class ImportResult:
    """What :func:`import_review` did.

    Attributes
    ----------
    labels : DataFrame
        The accepted labels (one per reviewed row).
    not_reviewed : int
        Rows left untouched in the workbook.
    added, skipped : int
        Labels newly stored, and labels the store already had.
    """

    labels: pd.DataFrame
    not_reviewed: int
    added: int = 0
    skipped: int = 0


def _header_map(header: list) -> dict[str, int]:
    names: dict[str, str] = {}
    for key, title in REVIEW_COLUMNS:
        for alias in (key, title, *title.split(" / ")):
            names[alias.strip().casefold()] = key
    found: dict[str, int] = {}
    for j, h in enumerate(header):
        key = names.get(" ".join(str(h or "").split()).casefold())
        if key and key not in found:
            found[key] = j
    return found


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def read_review_workbook(path: str | Path, *, auditor: str | None = None) -> tuple[pd.DataFrame, int]:
    """Validate a review workbook and return its labels.

    Parameters
    ----------
    path : str or Path
    auditor : str, optional
        The name used for reviewed rows whose «auditor» cell is empty.

    Returns
    -------
    labels : DataFrame
        One line per reviewed row: the store's columns (see :data:`nlp.review.store.STORE_COLUMNS`).
    not_reviewed : int
        Rows with no status, name or comment.

    Raises
    ------
    ReviewError
        Any row with an unknown or empty status, an edited narrative, an empty key cell or no
        auditor's name, or key columns missing: every problem is listed by sheet and row and
        nothing is returned.
    DataError
        The file is not a readable ``.xlsx``.
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise DataError("файл олдсонгүй", "file not found", path=path) from exc
    except Exception as exc:  # openpyxl raises several kinds for a file that is not an .xlsx
        raise DataError("xlsx ажлын ном уншигдсангүй", f"not a readable .xlsx workbook ({exc.__class__.__name__})",
                        path=path) from exc
    try:
        sheet = REVIEW_SHEET if REVIEW_SHEET in wb.sheetnames else None
        if sheet is None:
            for name in wb.sheetnames:
                first = next(wb[name].iter_rows(min_row=1, max_row=1, values_only=True), ())
                if "narrative_hash" in _header_map(list(first)):
                    sheet = name
                    break
        if sheet is None:
            raise ReviewError(path, [(REVIEW_SHEET, None, "хянах хуудас олдсонгүй", "the review sheet is missing")])
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    cols = _header_map(list(rows[0]) if rows else [])
    missing = [k for k in _REQUIRED_COLUMNS if k not in cols]
    if missing:
        titles = ", ".join(dict(REVIEW_COLUMNS)[k] for k in missing)
        raise ReviewError(path, [(sheet, 1, f"багана дутуу: {titles}", f"missing columns: {titles}")])

    problems: list[tuple[str, int, str, str]] = []
    labels: list[dict] = []
    not_reviewed = 0
    for r, values in enumerate(rows[1:], start=2):
        get = {k: (values[j] if j < len(values) else None) for k, j in cols.items()}
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # an empty line at the end of the sheet
        status_cell = _cell_text(get.get("auditor_status")).strip()
        name = _cell_text(get.get("auditor")).strip()
        comment = _cell_text(get.get("comment")).strip()
        if not (status_cell or name or comment):
            not_reviewed += 1
            continue
        empty_keys = [k for k in ("report_id", "row_id", "narrative_hash") if not _cell_text(get.get(k)).strip()]
        if empty_keys:
            problems.append((sheet, r, f"түлхүүр нүд хоосон: {', '.join(empty_keys)}",
                             f"empty key cells: {', '.join(empty_keys)}"))
        try:
            status = parse_status(status_cell)
        except ValueError:
            status = None
            problems.append((sheet, r, f"үл мэдэгдэх төлөв «{status_cell}» (жагсаалтаас сонгоно уу)",
                             f"unknown status {status_cell!r} (choose one from the list: {', '.join(STATUSES)})"))
        else:
            if status is None:
                problems.append((sheet, r, "төлөв хоосон (нэр эсвэл тайлбар бичсэн мөрт төлөв заавал)",
                                 "empty status (a row with a name or comment needs a status)"))
        narrative = _cell_text(get.get("narrative"))
        given_hash = _cell_text(get.get("narrative_hash")).strip()
        if given_hash and narrative_hash(narrative) != given_hash:
            problems.append((sheet, r, "биелэлтийн текстийг өөрчилсөн байна (эх текстийг сэргээнэ үү)",
                             "the narrative was edited (restore the original text)"))
        who = name or (auditor or "").strip()
        if not who:
            problems.append((sheet, r, "аудиторын нэр алга (нүдэнд бичих эсвэл --auditor өгнө)",
                             "no auditor's name (fill the cell or give --auditor)"))
        if status is None:
            continue
        org = _cell_text(get.get("org")).strip()
        labels.append({
            "report_id": _cell_text(get.get("report_id")).strip(),
            "row_id": _cell_text(get.get("row_id")).strip(),
            "source": _cell_text(get.get("source")).strip(),
            "org_id": org or _cell_text(get.get("report_id")).strip(),
            "year": _cell_text(get.get("year")).strip(),
            "objective_no": _cell_text(get.get("objective_no")).strip(),
            "measure_no": _cell_text(get.get("measure_no")).strip(),
            "measure": _cell_text(get.get("measure")),
            "narrative": narrative,
            "narrative_hash": given_hash,
            "reported_percent": _cell_text(get.get("reported_percent")).strip(),
            "status": status,
            "model_status": _model_status(get.get("model_status")),
            "auditor": who,
            "comment": comment,
            "source_file": path.name,
            "sheet": sheet,
            "sheet_row": str(r),
            "model_version": _cell_text(get.get("model_version")).strip(),
        })
    if problems:
        raise ReviewError(path, problems)
    return pd.DataFrame(labels), not_reviewed


def _model_status(v) -> str:
    try:
        return parse_status(v) or ""
    except ValueError:
        return _cell_text(v)


def import_review(path: str | Path, store: LabelStore | str | Path | None = None, *,
                  auditor: str | None = None) -> ImportResult:
    """Validate a review workbook and add its labels to the label store.

    Parameters
    ----------
    path : str or Path
    store : LabelStore or path, optional
        Default: :func:`nlp.review.store.default_store_path`.
    auditor : str, optional
        Name for reviewed rows with an empty «auditor» cell.

    Raises
    ------
    ReviewError
        See :func:`read_review_workbook`; nothing is stored then.
    """
    labels, not_reviewed = read_review_workbook(path, auditor=auditor)
    store = store if isinstance(store, LabelStore) else LabelStore(store)
    added, skipped = store.add(labels.to_dict("records")) if len(labels) else (0, 0)
    return ImportResult(labels=labels, not_reviewed=not_reviewed, added=added, skipped=skipped)


# ---------------------------------------------------------------------------------------------
# a scored folder → a workbook

def load_scored_dir(scored_dir: str | Path) -> pd.DataFrame:
    """The rows of a folder written by ``biyelelt score``, with ``org`` and ``year`` from its reports.

    Raises
    ------
    DataError
        ``rows.csv`` is missing or unreadable.
    """
    from ..outputs.tables import read_scored

    scored_dir = Path(scored_dir)
    try:
        rows, reports = read_scored(scored_dir)
    except FileNotFoundError as exc:
        raise DataError("үнэлсэн хавтас биш (rows.csv, reports.csv алга)",
                        "not a scored folder (rows.csv, reports.csv missing)", path=scored_dir) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError("rows.csv уншигдсангүй", f"rows.csv is unreadable ({exc})", path=scored_dir) from exc
    for c in ("org", "year"):
        if c not in rows and c in reports:
            rows[c] = rows["report_id"].map(dict(zip(reports["report_id"], reports[c])))
    return rows


def export_review(scored_dir: str | Path, out: str | Path, n: int = 200, *, model=None, encoder=None,
                  seed: int = 0) -> tuple[Path, pd.DataFrame]:
    """Pick rows of a scored folder for review and write the workbook.

    Parameters
    ----------
    scored_dir : path
        Written by ``biyelelt score``.
    out : path
        The ``.xlsx`` to write.
    n : int, default 200
    model : AuditModel, optional
        The model that scored the folder: recorded as the labels' model version.
    encoder : Encoder, optional
        Embeds the narratives for the spread (the model's encoder; its cache makes this cheap);
        without it the spread uses a TF-IDF space.
    seed : int, default 0

    Returns
    -------
    (path, selected)
    """
    from ..text import normalize

    rows = load_scored_dir(scored_dir)
    embeddings = None
    if encoder is not None and len(rows):
        embeddings = encoder.encode([normalize(t) for t in _text_column(rows, "narrative")])
    selected = select_for_review(rows, n, embeddings=embeddings, seed=seed)
    path = write_review_workbook(selected, out, model_version=model_version(model), source=str(scored_dir))
    return path, selected


def reason_counts(selected: pd.DataFrame) -> Mapping[str, int]:
    """How many rows each reason picked, in :data:`PICK_REASONS` order."""
    counts = selected["pick_reason"].value_counts() if len(selected) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in PICK_REASONS}
