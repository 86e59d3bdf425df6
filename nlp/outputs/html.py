"""The page ``report.html``: one self-contained file for auditors and managers.

The page is rendered from Jinja2 templates in ``nlp/outputs/templates`` (``report.html.j2`` and its partials
``_ranking.html.j2``, ``_flagged.html.j2``, the macros ``_macros.html.j2`` that the web app shares), with
autoescaping on: every value from the input is HTML-escaped. The style sheets ``templates/static/shared.css``
(colours and flag marks, shared with the web app) and ``templates/static/report.css`` are inlined; the charts
are drawn by matplotlib (no pyplot, no global backend) and inlined as SVG. No external file, style sheet,
script, font or network access. Same input → the same bytes.

The page stays small for a whole year: flagged rows (``flag = true``, pink) and rows for review
(``flag = review``, yellow) are listed for the top :attr:`~nlp.outputs.report.ReportOptions.html_top_reports`
reports that have any, and the page says so; the workbook, ``rows.csv`` and ``rows.parquet`` hold all of them.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..settings import STATUS_MN, STATUSES
from .common import COLUMN_TITLES, SHEETS, ReportOptions, _report_frame, _rows_frame, _write_whole

__all__ = ["write_html", "render_html", "palette", "TEMPLATES"]

#: The templates of report.html, and the macros and colours the web app shares (``static/shared.css``).
TEMPLATES = Path(__file__).resolve().with_name("templates")
_STATIC = TEMPLATES / "static"

#: Column widths (relative) of the page's tables.
_RANKING_COLUMNS = (("rank", "int", 6), ("report_id", "text", 19), ("org", "text", 15), ("year", "year", 5),
                    ("n_rows", "int", 7), ("n_flagged", "int", 9.5), ("share_flagged", "pct", 9.5),
                    ("reported_mean", "num", 9.5), ("predicted_mean", "num", 9.5), ("inconsistency", "num", 10))
_ROW_COLUMNS = (("row_id", 4), ("measure_no", 7), ("measure", 13), ("narrative", 22), ("reported_percent", 9.5),
                ("predicted_score", 9.5), ("gap", 7), ("status_mn", 11), ("reasons", 17))
_NUMERIC_ROW_COLUMNS = ("reported_percent", "predicted_score", "gap")
_BADGES = {"true": "тэмдэглэсэн / flagged", "review": "шалгах / review"}
_LABELLED_POINTS = 10  # the scatter plot numbers this many of its highlighted reports by rank
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------

def _fmt(v, kind: str = "num") -> str:
    """A value as shown on the page: ``—`` when missing, numbers with one decimal, shares as percents."""
    if v is None or v is pd.NA or v is pd.NaT:
        return "—"
    if isinstance(v, (float, np.floating)) and math.isnan(v):
        return "—"
    if kind == "pct":
        return f"{float(v):.1%}"
    if kind == "conf":
        return f"{float(v):.0%}"
    if kind == "int" or (kind == "year" and isinstance(v, (float, np.floating)) and float(v).is_integer()):
        return f"{int(v)}"
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.1f}"
    return str(v)


def _cut(text, limit: int) -> str:
    """Text cut to ``limit`` characters (an ellipsis marks the cut); missing → empty."""
    if text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text)):
        return ""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _gap_bg(gap) -> str:
    """CSS background of a gap cell: white at ≤ 0, red at ≥ 100 (a number we computed, never input)."""
    try:
        g = float(gap)
    except (TypeError, ValueError):
        return ""
    if math.isnan(g):
        return ""
    t = max(0.0, min(1.0, g / 100.0))
    c = int(round(255 - t * (255 - 120)))
    return f"background:rgb(255,{c},{c})"


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(fmt=_fmt, cut=_cut, gap_bg=_gap_bg)
    return env


@functools.lru_cache(maxsize=1)
def palette() -> dict[str, str]:
    """The colours of ``templates/static/shared.css`` (``--flag-line: #c0264b`` → ``{"flag-line": "#c0264b"}``).

    The web app, the page and its charts all take their colours from that one file.
    """
    css = (_STATIC / "shared.css").read_text(encoding="utf-8")
    root = css[css.index(":root"):]
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\b", root[:root.index("}")]))


# ---------------------------------------------------------------------------------------------
# Charts: matplotlib → inline SVG
# ---------------------------------------------------------------------------------------------

_CHART_LOCK = threading.Lock()  # rc settings are global to matplotlib: one chart at a time


def _svg(name: str, size: tuple[float, float], draw) -> str:
    """Draw a chart with ``draw(fig, colours)`` and return it as inline SVG markup.

    matplotlib's own defaults (not the user's style), the Agg canvas (no pyplot, no global backend), text
    kept as text (``svg.fonttype = none``: the browser's fonts show Mongolian), fixed ids
    (``svg.hashsalt``, then prefixed with ``name`` so charts on one page never share an id), no metadata
    or date: the same data gives the same bytes. matplotlib escapes every text it writes.
    """
    import matplotlib
    import matplotlib.style
    from markupsafe import Markup
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    c = palette()
    rc = {
        "svg.fonttype": "none", "svg.hashsalt": f"biyelelt-{name}", "text.parse_math": False,
        "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"], "font.size": 9,
        "text.color": c["ink"], "axes.labelcolor": c["ink"], "axes.edgecolor": c["muted"],
        "xtick.color": c["muted"], "ytick.color": c["muted"], "axes.spines.top": False,
        "axes.spines.right": False, "axes.grid": True, "axes.axisbelow": True, "grid.color": c["line"],
        "grid.linewidth": 0.7, "legend.frameon": False, "legend.fontsize": 8,
    }
    buf = io.StringIO()
    with _CHART_LOCK, warnings.catch_warnings(), matplotlib.style.context("default"), matplotlib.rc_context(rc):
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        fig = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig, c)
        fig.savefig(buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    text = re.sub(r"^\s*<\?xml[^>]*\?>\s*<!DOCTYPE[^>]*>\s*", "", buf.getvalue())  # no prolog inside HTML
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)  # HTML knows inline SVG and xlink:href
    text = text.replace(' version="1.1"', "", 1)
    text = re.sub(r'\s*<defs>\s*<style type="text/css">[^<]*</style>\s*</defs>', "", text, count=1)  # in report.css
    text = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', text)
    text = re.sub(r'((?:xlink:)?href)="#([^"]+)"', rf'\1="#{name}-\2"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", text)
    return Markup(re.sub(r"\n\s+", "\n", text).strip())


def _label(text: str, limit: int = 30) -> str:
    return _cut(_CONTROL.sub(" ", str(text)), limit)


def _draw_dumbbell(rep: pd.DataFrame):
    """The top reports: predicted (grey) and reported (red) mean on one line each, rank 1 on top."""
    ok = rep.dropna(subset=["reported_mean", "predicted_mean"])
    vmax = max(100.0, float(ok["reported_mean"].max()) if len(ok) else 0.0,
               float(ok["predicted_mean"].max()) if len(ok) else 0.0)

    def draw(fig, c):
        ax = fig.add_subplot()
        y = np.arange(len(ok))
        pred = ok["predicted_mean"].to_numpy(dtype=float)
        reported = ok["reported_mean"].to_numpy(dtype=float)
        ax.hlines(y, pred, reported, color=c["line"], linewidth=3, zorder=1)
        ax.scatter(pred, y, s=28, color=c["other-mark"], zorder=2, label="нотолгоо / predicted")
        ax.scatter(reported, y, s=28, color=c["flag-line"], zorder=3, label="тайлагнасан / reported")
        ax.set_yticks(y, labels=[_label(f"#{int(r)} {rid}") for r, rid in zip(ok["rank"], ok["report_id"])])
        ax.set_ylim(max(len(ok), 1) - 0.5, -0.5)
        ax.set_xlim(0, vmax * 1.02)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("дундаж, 0–100 / mean, 0–100")
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=2, borderaxespad=0.2)

    return draw, (6.4, 1.0 + 0.24 * max(len(ok), 1))


def _draw_scatter(rep: pd.DataFrame, highlight: set[int]):
    """Reported mean (y) against predicted mean (x), one point per report, the y = x line dashed."""
    ok = rep.dropna(subset=["reported_mean", "predicted_mean"]).sort_values("rank", ascending=False,
                                                                             kind="mergesort")
    vmax = max(100.0, float(ok["reported_mean"].max()) if len(ok) else 0.0,
               float(ok["predicted_mean"].max()) if len(ok) else 0.0)
    hot = ok["rank"].astype(int).isin(highlight).to_numpy() if len(ok) else np.zeros(0, dtype=bool)

    def draw(fig, c):
        ax = fig.add_subplot()
        ax.fill_between([0, vmax], [0, vmax], [vmax, vmax], color=c["flag"], linewidth=0, zorder=0,
                        label="нотолгооноос их тайлагнасан / reported above evidence")
        ax.plot([0, vmax], [0, vmax], linestyle="--", color=c["other-mark"], linewidth=1, zorder=1)
        x = ok["predicted_mean"].to_numpy(dtype=float)
        y = ok["reported_mean"].to_numpy(dtype=float)
        # Lower-ranked first, the highlighted ones last: the top reports are drawn on top.
        ax.scatter(x[~hot], y[~hot], s=16, color=c["accent"], alpha=0.65, linewidth=0, zorder=2,
                   label="бусад / other")
        ax.scatter(x[hot], y[hot], s=24, color=c["flag-line"], linewidth=0, zorder=3,
                   label=f"тэмдэглэсэн мөртэй эхний {len(highlight)} / top {len(highlight)} with flagged rows")
        top = ok.loc[hot].sort_values("rank", kind="mergesort").head(_LABELLED_POINTS)
        for rank, px, py in zip(top["rank"], top["predicted_mean"], top["reported_mean"]):
            ax.annotate(str(int(rank)), (float(px), float(py)), xytext=(4, 3), textcoords="offset points",
                        fontsize=7, color=c["flag-line"], zorder=4)
        ax.set_xlim(0, vmax)
        ax.set_ylim(0, vmax)
        ax.set_aspect("equal")
        ax.set_xlabel("Нотолгооны дундаж оноо / predicted mean")
        ax.set_ylabel("Тайлагнасан дундаж хувь / reported mean")
        ax.legend(loc="lower right")

    return draw, (5.6, 5.0)


def _draw_histogram(gaps: np.ndarray, states: np.ndarray):
    """Rows per 10-point gap bin, stacked by flag: flagged (red) at the bottom, review (yellow), other (grey)."""
    edges = np.arange(-100, 101, 10)
    ok = ~np.isnan(gaps)
    g = np.clip(gaps[ok], -100, 100)
    s = states[ok]
    parts = [(np.histogram(g[s == state], bins=edges)[0], label, colour) for state, label, colour in (
        ("true", "тэмдэглэсэн / flagged", "flag-line"), ("review", "шалгах / review", "review-mark"),
        ("false", "бусад / other", "other-mark"))]

    def draw(fig, c):
        from matplotlib.ticker import MaxNLocator

        ax = fig.add_subplot()
        centers = (edges[:-1] + edges[1:]) / 2
        bottom = np.zeros(len(centers))
        for counts, label, colour in parts:
            ax.bar(centers, counts, width=9, bottom=bottom, color=c[colour], label=label, zorder=2)
            bottom = bottom + counts
        for x, total in zip(centers, bottom):
            if total:
                ax.annotate(str(int(total)), (float(x), float(total)), xytext=(0, 2), textcoords="offset points",
                            ha="center", fontsize=7, color=c["muted"])
        ax.set_xticks(edges[::2])
        ax.set_xlim(-101, 101)
        ax.set_ylim(0, max(float(bottom.max()) * 1.12, 1.0))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("Зөрүү = тайлагнасан − нотолгоо (пункт) / gap = reported − predicted (points)")
        ax.set_ylabel("мөр / rows")
        ax.legend(loc="upper left")

    return draw, (6.2, 3.4)


def _draw_statuses(counts: dict[str, int]):
    """Rows per predicted status, one bar each."""
    items = list(counts.items())

    def draw(fig, c):
        from matplotlib.ticker import MaxNLocator

        ax = fig.add_subplot()
        y = np.arange(len(items))
        values = [n for _, n in items]
        ax.barh(y, values, height=0.6, color=c["accent"], alpha=0.8, zorder=2)
        for yi, n in zip(y, values):
            ax.annotate(str(n), (float(n), float(yi)), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8, color=c["muted"])
        ax.set_yticks(y, labels=[_label(f"{STATUS_MN.get(s, s)} ({s})", 60) for s, _ in items])
        ax.set_ylim(max(len(items), 1) - 0.5, -0.5)
        ax.set_xlim(0, max(values + [1]) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("мөр / rows")

    return draw, (6.2, 0.8 + 0.32 * max(len(items), 1))


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------

def _blocks(rows: pd.DataFrame, listed: pd.DataFrame, state: str, columns: list[str],
            options: ReportOptions) -> list[dict]:
    """Per listed report: its rows in flag ``state`` (at most ``html_rows_per_report``) and how many more."""
    sel = rows.loc[(rows["flag"] == state) & rows["rank"].isin(listed["rank"])]
    by_rank = {int(k): g for k, g in sel.groupby("rank", sort=True)}
    keep = list(dict.fromkeys(columns + ["status", "confidence", "flag"]))
    out = []
    for r in listed.to_dict("records"):
        g = by_rank.get(int(r["rank"]), sel.iloc[0:0])
        org = r.get("org")
        out.append({"rank": int(r["rank"]), "report_id": r["report_id"],
                    "org": org if isinstance(org, str) else "", "n": len(g), "n_rows": r.get("n_rows"),
                    "inconsistency": r.get("inconsistency"),
                    "rows": g.head(options.html_rows_per_report)[keep].to_dict("records"),
                    "more": max(0, len(g) - options.html_rows_per_report)})
    return out


def _widths(columns) -> list[str]:
    total = sum(w for _, w in columns)
    return [f"{100 * w / total:.1f}" for _, w in columns]


def render_html(scored: pd.DataFrame, reports: pd.DataFrame, *, options: ReportOptions | None = None) -> str:
    """The page ``report.html`` as text (see :func:`write_html`)."""
    options = options or ReportOptions()
    rows = _rows_frame(scored, reports)
    rep = _report_frame(reports)
    n_rows, n_rep = len(rows), len(rep)
    flag = rows["flag"] if n_rows else pd.Series([], dtype=object)
    review_per_report = rows.loc[flag == "review"].groupby("report_id").size() if n_rows else pd.Series(dtype=int)
    n_review_of = rep["report_id"].map(review_per_report).fillna(0).astype(int) if n_rep else pd.Series(dtype=int)
    with_flags = rep.loc[rep["n_flagged"] > 0] if n_rep else rep
    with_review = rep.loc[n_review_of > 0] if n_rep else rep
    listed = with_flags.head(options.html_top_reports)
    listed_review = with_review.head(options.html_top_reports)

    # Ranking: a report links to its flagged rows, or else to its rows for review, when the page lists them.
    anchors = {int(k): f"review-{int(k)}" for k in listed_review["rank"]}
    anchors.update({int(k): f"rep-{int(k)}" for k in listed["rank"]})
    cols = [(c, k, w) for c, k, w in _RANKING_COLUMNS if c in rep]
    total = sum(w for _, _, w in cols)
    shown = rep.head(options.html_ranking_max)
    states = np.where(shown["n_flagged"] > 0, "true", np.where(n_review_of.head(len(shown)) > 0, "review", "false")) \
        if len(shown) else []
    ranking = {
        "cols": [{"name": c, "kind": k, "mn": COLUMN_TITLES[c][0], "en": COLUMN_TITLES[c][1], "pos": i,
                  "num": k in ("int", "pct", "num"), "width": f"{100 * w / total:.1f}"}
                 for i, (c, k, w) in enumerate(cols, start=1)],
        "rows": [(r, s, anchors.get(int(r["rank"]))) for r, s in zip(shown.to_dict("records"), states)],
    }

    # Rows of the listed reports.
    row_cols = [(c, w) for c, w in _ROW_COLUMNS if c not in ("measure_no", "measure") or c in rows]
    table = {"cols": [{"name": c, "mn": COLUMN_TITLES[c][0], "en": COLUMN_TITLES[c][1],
                       "num": c in _NUMERIC_ROW_COLUMNS, "width": w}
                      for (c, _), w in zip(row_cols, _widths(row_cols))]}
    names = [c for c, _ in row_cols]

    # Charts.
    gaps = rows["gap"].to_numpy(dtype=float) if n_rows else np.zeros(0)
    flags = flag.to_numpy(dtype=object) if n_rows else np.zeros(0, dtype=object)
    counts = rows["status"].value_counts() if n_rows else pd.Series(dtype=int)
    status_counts = {s: int(counts.get(s, 0)) for s in STATUSES}
    status_counts.update({str(s): int(v) for s, v in counts.items() if s not in status_counts})
    top_chart = rep.head(options.html_chart_reports)
    charts = []
    for name, label, (draw, size) in (
            ("dumbbell", "Эхний тайлангууд / top reports", _draw_dumbbell(top_chart)),
            ("scatter", "Тайлагнасан ба нотолгооны дундаж / reported against predicted mean",
             _draw_scatter(rep, {int(k) for k in listed["rank"]})),
            ("histogram", "Зөрүүний тархалт / distribution of gaps", _draw_histogram(gaps, flags)),
            ("statuses", "Төлөвийн тоо / status counts", _draw_statuses(status_counts))):
        charts.append({"name": name, "label": label, "svg": _svg(name, size, draw)})

    from markupsafe import Markup

    css = "\n".join((_STATIC / f).read_text(encoding="utf-8").strip() for f in ("shared.css", "report.css"))
    context = {
        "css": Markup(css), "options": options, "sheets": SHEETS, "ranking": ranking, "table": table,
        "charts": {c["name"]: c for c in charts}, "badges": _BADGES, "text_chars": options.html_text_chars,
        "n_reports": n_rep, "n_rows": n_rows, "n_flagged": int((flag == "true").sum()),
        "n_review": int((flag == "review").sum()), "n_with_flags": len(with_flags),
        "n_with_review": len(with_review), "n_chart_reports": len(top_chart),
        "n_labelled_points": min(_LABELLED_POINTS, len(listed)),
        "n_missing_means": int(rep[["reported_mean", "predicted_mean"]].isna().any(axis=1).sum()) if n_rep else 0,
        "n_no_gap": int(np.isnan(gaps).sum()),
        "flagged": _blocks(rows, listed, "true", names, options),
        "review": _blocks(rows, listed_review, "review", names, options),
    }
    return _environment().get_template("report.html.j2").render(context)


def write_html(scored: pd.DataFrame, reports: pd.DataFrame, path: str | Path, *,
               options: ReportOptions | None = None) -> Path:
    """Write one self-contained page ``report.html``.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`nlp.judge.audit.score`.
    reports : DataFrame
        Output of :func:`nlp.judge.audit.summarize_reports`.
    path : path
        The ``.html`` file to write (replaced when it exists; written whole or not at all).
    options : ReportOptions, optional
        Limits for large years (reports whose rows are listed, rows per report, text length).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Rendered from the Jinja2 templates in ``nlp/outputs/templates`` with autoescaping: every value from the
    input is HTML-escaped. No external file, style sheet, script, font or network access; the charts are
    matplotlib's SVG, inline. Text is Mongolian with English labels. Summary cards count flagged rows
    (``flag = true``, pink) and rows for review (``flag = review``, yellow); a legend explains the colours;
    both kinds of rows are listed for the top reports. Same input → the same bytes.
    """
    options = options or ReportOptions()
    page = render_html(scored, reports, options=options)
    return _write_whole(Path(path), lambda tmp: tmp.write_text(page, encoding="utf-8"))
