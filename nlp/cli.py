"""Command line: ``biyelelt <subcommand> ...``.

Each subcommand has a ``_add_<name>(subparsers)`` that declares its arguments
and a ``cmd_<name>(args) -> int`` that runs it; :func:`build_parser` wires
them. Exit status: 0 success, 1 when some input failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import BiyeleltError, bilingual

__all__ = ["main", "build_parser", "cmd_parse", "cmd_score", "cmd_rank", "cmd_train", "cmd_evaluate",
           "cmd_distill", "cmd_label_export", "cmd_label_import", "cmd_label_issues", "cmd_label_dump",
           "cmd_models_list", "cmd_models_use", "cmd_serve"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_DESCRIPTION = bilingual(
    "Авлигын эсрэг хөтөлбөрийн биелэлтийн тайланг шалгах хэрэгсэл",
    "audit Mongolian anti-corruption implementation reports",
)


def _out_path(text: str) -> str:
    from .read import TABLE_EXTENSIONS

    if not text.lower().endswith(TABLE_EXTENSIONS):
        raise argparse.ArgumentTypeError(bilingual(
            f"өргөтгөл {', '.join(TABLE_EXTENSIONS)}-ийн нэг байх ёстой: {text}",
            f"extension must be one of {', '.join(TABLE_EXTENSIONS)}: {text}",
        ))
    return text


def _add_parse(subparsers) -> None:
    parser = subparsers.add_parser(
        "parse",
        help=bilingual("тайланг уншиж мөр болгох", "read reports into rows"),
        description=bilingual(
            "Тайлангийн файл, хавтсыг уншиж арга хэмжээ бүрийг нэг мөр болгоно. "
            "Уншдаг хэлбэр: .txt, .docx, .xlsx, .csv, .html, .pdf. Хавтсыг дотор нь "
            "эрэмбээр нь бүхэлд нь уншина",
            "Read report files and folders into one row per measure. Formats: .txt, "
            ".docx, .xlsx, .csv, .html, .pdf. Folders are read recursively in sorted order",
        ),
        epilog=bilingual(
            "Гарах төлөв: 0 бүх файл уншигдсан, 1 зарим нь уншигдаагүй, 2 буруу хэрэглээ",
            "exit status: 0 all files read, 1 some failed, 2 usage error",
        ),
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="FILE_OR_DIR",
        help=bilingual("тайлангийн файл эсвэл хавтас", "report file or folder"),
    )
    parser.add_argument(
        "--out",
        type=_out_path,
        metavar="ROWS",
        help=bilingual(
            "мөрүүдийг хадгалах файл (.csv, .parquet, .xlsx); өгөхгүй бол зөвхөн шалгана",
            "file to write the rows to (.csv, .parquet, .xlsx); without it the files are only checked",
        ),
    )
    parser.set_defaults(func=cmd_parse)


def cmd_parse(args: argparse.Namespace) -> int:
    """Run ``biyelelt parse``: read, write the rows, print the summary.

    Parameters
    ----------
    args : argparse.Namespace
        ``inputs`` (files and folders) and ``out`` (output path or ``None``).

    Returns
    -------
    int
        0 when every file was read, 1 when some failed or none was found.
    """
    from .read import WARNING_SEPARATOR, read_paths, write_table

    result = read_paths(args.inputs)
    row_warnings = sum(len(cell.split(WARNING_SEPARATOR)) for cell in result.rows["warnings"] if cell)
    for warning in result.warnings:
        print(bilingual("анхааруулга", "warning") + ": " + warning, file=sys.stderr)
    for failure in result.failures:
        print(bilingual("алдаа", "error") + ": " + failure.message, file=sys.stderr)
    if args.out:
        try:
            write_table(result.rows, args.out)
        except OSError as exc:
            print(bilingual(f"{args.out} файлыг бичиж чадсангүй", f"could not write {args.out}") + f": {exc}", file=sys.stderr)
            return EXIT_FAILED
    print(f"{bilingual('файл', 'files')}: {len(result.files)}")
    print(f"{bilingual('мөр', 'rows')}: {len(result.rows)}")
    print(f"{bilingual('анхааруулга', 'warnings')}: {len(result.warnings) + row_warnings}"
          f" ({bilingual('мөрийн', 'in rows')}: {row_warnings}, {bilingual('файлын', 'files')}: {len(result.warnings)})")
    print(f"{bilingual('алдаа', 'failures')}: {len(result.failures)}")
    if args.out:
        print(f"{bilingual('хадгалсан', 'written')}: {args.out}")
    if result.failures or not result.files:
        if not result.files and not result.failures:
            print(bilingual("тайлангийн файл олдсонгүй", "no report file found"), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _add_model_options(parser, *, model: bool = True) -> None:
    if model:
        parser.add_argument("--model", metavar="DIR", default=None, help=bilingual(
            "загварын хавтас (анхдагч: models/default эсвэл $BIYELELT_MODEL)",
            "model folder (default: models/default or $BIYELELT_MODEL)"))
    parser.add_argument("--cache", metavar="DIR", default=None, help=bilingual(
        "нөөцийн хавтас: векторууд, score-ийн үр дүнгийн нөөц (анхдагч: $BIYELELT_CACHE эсвэл ~/.cache/biyelelt)",
        "cache folder: embeddings, and score's result store (default: $BIYELELT_CACHE or ~/.cache/biyelelt)"))


def _add_score(subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        help=bilingual("тайланг үнэлж эрэмбэлэх", "score rows and rank reports"),
        description=bilingual(
            "Тайлангийн мөр бүрийн төлөв, нотолгооны оноо, тайлагнасан хувьтай зөрүү, тэмдэглэгээ, "
            "шалтгааныг гаргаж DIR/rows.csv, DIR/reports.csv, DIR/problems.csv-д бичнэ",
            "Give every row a status, an evidence-based score, the gap to the reported percent, a flag "
            "and reasons; write DIR/rows.csv, DIR/reports.csv (ranked) and DIR/problems.csv",
        ),
        epilog=bilingual("Гарах төлөв: 0 бүх файл уншигдсан, 1 зарим нь уншигдаагүй, 2 буруу хэрэглээ",
                         "exit status: 0 all files read, 1 some failed, 2 usage error"),
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help=bilingual("тайлангийн файл эсвэл хавтас", "report file or folder"))
    parser.add_argument("--out", required=True, metavar="DIR",
                        help=bilingual("үр дүнгийн хавтас", "output folder"))
    parser.add_argument("--threshold", type=float, default=None, metavar="PTS", help=bilingual(
        "тайлагнасан − рубрикийн оноо ≥ PTS бол хэтрүүлсэн гэж үзнэ (анхдагч: загварын тохиргоо, 30)",
        "a row is overstated when reported − rubric score ≥ PTS (default: the model's setting, 30)"))
    _add_model_options(parser)
    parser.add_argument("--encoder", default=None, metavar="e5|static|PATH", help=bilingual(
        "кодлогч: анхдагч нь хурдан статик загвар, эргэлзсэн мөрийг e5-аар; e5 (бүх мөрийг e5 загвараар, "
        "удаан), static (бүх мөрийг статик загвараар, хамгийн хурдан), эсвэл SentenceTransformer хавтас "
        "(тэр кодлогчоор сурсан --model хэрэгтэй)",
        "encoder: by default the fast static model, its unsure rows by e5; e5 (every row by the e5 model, "
        "slow), static (every row by the static model, fastest), or a SentenceTransformer folder "
        "(needs --model trained with it)"))
    _add_batch_options(parser)
    parser.add_argument("--formats", type=_formats, default=None, metavar="LIST", help=bilingual(
        "нэмэлт гаралт, таслалаар: xlsx (report.xlsx), html (report.html), parquet (rows.parquet); "
        "анхдагч: бүгд; none: аль нь ч үгүй",
        "extra outputs, comma-separated: xlsx (report.xlsx), html (report.html), parquet (rows.parquet); "
        "default: all; none: none of them"))
    parser.set_defaults(func=cmd_score)


def _formats(text: str) -> tuple[str, ...]:
    from .outputs.report import parse_formats

    try:
        return parse_formats(text)
    except BiyeleltError as err:
        raise argparse.ArgumentTypeError(bilingual(err.mn, err.en)) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(bilingual(f"эерэг бүхэл тоо байх ёстой: {text}",
                                                   f"must be a positive integer: {text}"))
    return value


def _add_batch_options(parser) -> None:
    group = parser.add_argument_group(bilingual("их хэмжээний ажиллагаа", "large batches"))
    group.add_argument("--resume", action="store_true", help=bilingual(
        "тасалдсан ажиллагааг үргэлжлүүлэх: DIR/.parts-д дууссан файлыг дахин уншихгүй",
        "continue an interrupted run: files already finished in DIR/.parts are not read again"))
    group.add_argument("--no-reuse", action="store_true", help=bilingual(
        "өмнө ижил загвар, тохиргоогоор үнэлсэн файлыг (ижил зам, агуулга) нөөцөөс авахгүй, бүгдийг дахин уншиж "
        "үнэлэх",
        "read and score every file again: do not take files scored before with the same model and settings "
        "(same path and content) from the result store in the cache folder"))
    group.add_argument("--jobs", type=_positive_int, default=None, metavar="N", help=bilingual(
        "уншигч процессын тоо (dask: ажилчдын тоо, анхдагч 2; анхдагч: CPU-ийн тоо)",
        "reader processes (default: the number of CPUs; with --engine dask: local workers, default 2)"))
    group.add_argument("--chunk-rows", type=_positive_int, default=5000, metavar="N", help=bilingual(
        "хамт үнэлэх мөрийн тоо, санах ойг хязгаарлана (анхдагч 5000)",
        "rows scored together; bounds the memory used (default 5000)"))
    group.add_argument("--engine", choices=("local", "dask"), default="local", help=bilingual(
        "local: энэ машин; dask: Dask кластер (pip install 'biyelelt[cluster]')",
        "local: this machine; dask: a Dask cluster (pip install 'biyelelt[cluster]')"))
    group.add_argument("--scheduler", default=None, metavar="ADDRESS", help=bilingual(
        "Dask scheduler-ийн хаяг, --engine dask гэсэн үг (анхдагч: 127.0.0.1 дээрх 2 ажилчинтай орон нутгийн "
        "кластер)",
        "address of a Dask scheduler; implies --engine dask (default: a local cluster of 2 workers on 127.0.0.1)"))
    group.add_argument("--no-progress", action="store_true",
                       help=bilingual("явцын мөрийг харуулахгүй", "do not show progress bars"))


def cmd_score(args: argparse.Namespace) -> int:
    """Run ``biyelelt score``: read, score, rank, write; 1 when some file failed, 130 when stopped."""
    from .batch import run_score
    from .judge.model import load_model

    if getattr(args, "encoder", None):
        from .learn.distill import model_for_encoder

        model = model_for_encoder(args.encoder, args.model)
    else:
        model = load_model(args.model)
    from functools import partial

    from .outputs.report import write_outputs

    # extra outputs, each called as writer(scored, reports, out_dir) in the timed write stage
    writers = [partial(write_outputs, formats=getattr(args, "formats", None))]
    try:
        summary = run_score(args.inputs, args.out, model, threshold=args.threshold, cache=args.cache,
                            resume=args.resume, reuse=not args.no_reuse, jobs=args.jobs,
                            chunk_rows=args.chunk_rows,
                            engine="dask" if args.scheduler else args.engine,
                            scheduler=args.scheduler, progress=not args.no_progress, writers=writers)
    except KeyboardInterrupt:
        print(bilingual("зогсоов; дууссан файлууд хадгалагдсан, --resume-ээр үргэлжлүүлнэ үү",
                        "stopped; the finished files are kept: run again with --resume to continue"),
              file=sys.stderr)
        return 130
    for failure in summary.failures:
        print(bilingual("алдаа", "error") + ": " + failure.message, file=sys.stderr)
    print(summary.format(failures=False))
    print(f"{bilingual('хадгалсан', 'written')}: " + ", ".join(str(p) for p in summary.paths.values()))
    return EXIT_OK if summary.ok else EXIT_FAILED


def _add_rank(subparsers) -> None:
    parser = subparsers.add_parser(
        "rank",
        help=bilingual("үнэлсэн хавтасны эрэмбийг хэвлэх", "print the ranking of a scored folder"),
        description=bilingual("`biyelelt score`-ийн гаргасан хавтасны тайлангуудыг зөрүүгээр нь эрэмбэлж хэвлэнэ",
                              "print the reports of a folder written by `biyelelt score`, most inconsistent first"),
    )
    parser.add_argument("dir", metavar="DIR", help=bilingual("үнэлсэн хавтас", "scored folder"))
    parser.add_argument("--top", type=int, default=None, metavar="N",
                        help=bilingual("эхний N тайлан", "only the first N reports"))
    parser.set_defaults(func=cmd_rank)


def cmd_rank(args: argparse.Namespace) -> int:
    """Run ``biyelelt rank``: print the ranking table."""
    from .outputs.tables import format_ranking, read_scored

    try:
        _, reports = read_scored(args.dir)
    except FileNotFoundError as exc:
        print(bilingual(f"үнэлсэн хавтас биш: {args.dir}", f"not a scored folder: {args.dir}")
              + f" ({exc.filename})", file=sys.stderr)
        return EXIT_USAGE
    print(format_ranking(reports, top=args.top))
    return EXIT_OK


def _add_train(subparsers) -> None:
    parser = subparsers.add_parser(
        "train",
        help=bilingual("загвар сургах", "train a model"),
        description=bilingual(
            "Шошготой өгөгдлийн train хэсгээр загвар сургаж, test байгууллагууд дээр үнэлээд хадгална",
            "train a model on the train split of labelled data, evaluate it on the held-out (test) "
            "organisations, and save it with its model card",
        ),
    )
    parser.add_argument("labels", nargs="*", metavar="LABELS",
                        help=bilingual("шошготой CSV файл, хавтас эсвэл шошгын сан (.sqlite)",
                                       "labelled CSV file, folder or label store (.sqlite)"))
    parser.add_argument("--labels", dest="more_labels", action="append", default=[], metavar="LABELS",
                        help=bilingual("бас шошго (давтаж болно): хавтас, CSV эсвэл шошгын сан .sqlite",
                                       "more labels (repeatable): a folder, CSV or label store .sqlite"))
    parser.add_argument("--no-compare", action="store_true", help=bilingual(
        "одоогийн анхдагч загвартай харьцуулахгүй", "skip the comparison with the current default model"))
    parser.add_argument("--folds", type=int, default=5, metavar="K", help=bilingual(
        "аудиторын шошгын хөндлөн шалгалтын хэсэг (анхдагч 5)",
        "cross-validation folds on the auditor-labelled rows (default 5)"))
    parser.add_argument("--out", required=True, metavar="DIR", help=bilingual("загварын хавтас", "model folder"))
    parser.add_argument("--encoder", default="e5", metavar="SPEC", help=bilingual(
        "кодлогч: e5 (багцтай), SentenceTransformer хавтас, эсвэл none",
        "encoder: e5 (bundled), a SentenceTransformer folder, or none"))
    parser.add_argument("--seed", type=int, default=0, help=bilingual("санамсаргүй тоон үр", "random seed"))
    parser.add_argument("--all-rows", action="store_true", help=bilingual(
        "бүх мөрөөр (test хэсгийг оруулаад) сургах; --no-compare-тэй хамт",
        "train on every row, the test split too (no held-out figures); needs --no-compare"))
    parser.add_argument("--flag-high", type=float, default=None, metavar="P", help=bilingual(
        "p_over ≥ P бол flag = true (анхдагч 0.9)", "flag = true when p_over ≥ P (default 0.9)"))
    parser.add_argument("--flag-low", type=float, default=None, metavar="P", help=bilingual(
        "p_over ≥ P бол flag = review (анхдагч 0.3)", "flag = review when p_over ≥ P (default 0.3)"))
    parser.add_argument("--cascade", default=None, metavar="DIR", help=bilingual(
        "эргэлзсэн мөрийг үнэлэх хоёр дахь загвар (шинэ загварын хавтаснаас харьцангуй зам)",
        "second model for the rows this one is unsure of (a path relative to the new model's folder)"))
    parser.add_argument("--cascade-margin", type=float, default=0.4, metavar="M", help=bilingual(
        "эхний хоёр төлвийн магадлалын зөрүү M-ээс бага мөрийг хоёр дахь загварт өгнө (анхдагч 0.4)",
        "rows whose top-1 minus top-2 probability is under M go to the second model (default 0.4)"))
    parser.add_argument("--cascade-review", action="store_true", help=bilingual(
        "энэ загвар flag = review гэх мөрийг мөн хоёр дахь загварт өгнө",
        "also send to the second model the rows this one would flag review"))
    parser.add_argument("--cascade-latin", action="store_true", help=bilingual(
        "латин үсгээр бичсэн биелэлтийг мөн хоёр дахь загварт өгнө",
        "also send to the second model the narratives typed in Latin letters"))
    parser.add_argument("--overwrite", action="store_true",
                        help=bilingual("байгаа загварыг дарж бичих", "replace an existing model"))
    _add_model_options(parser, model=False)
    parser.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    """Run ``biyelelt train``: train, compare with the current default (unless ``--no-compare``), save."""
    from .judge.embed import EmbeddingCache
    from .judge.model import AuditModel
    from .review.retrain import retrain

    sources = list(args.labels) + list(args.more_labels)
    if not sources:
        print(bilingual("шошго өгөөгүй (LABELS эсвэл --labels)", "no labels given (LABELS or --labels)"),
              file=sys.stderr)
        return EXIT_USAGE
    if args.all_rows and not args.no_compare:
        print(bilingual("--all-rows нь --no-compare шаардана (тусдаа мөргүй тул харьцуулах боломжгүй)",
                        "--all-rows needs --no-compare (no held-out rows left to compare on)"), file=sys.stderr)
        return EXIT_USAGE
    from .settings import Settings

    settings = Settings()
    if args.flag_high is not None:
        settings.flag_high = args.flag_high
    if args.flag_low is not None:
        settings.flag_low = args.flag_low
    if not 0.0 <= settings.flag_low <= settings.flag_high <= 1.0:
        print(bilingual("0 ≤ --flag-low ≤ --flag-high ≤ 1 байх ёстой", "need 0 ≤ --flag-low ≤ --flag-high ≤ 1"),
              file=sys.stderr)
        return EXIT_USAGE
    for flag, given in (("--cascade-review", args.cascade_review), ("--cascade-latin", args.cascade_latin)):
        if given and not args.cascade:
            print(bilingual(f"{flag} нь --cascade шаардана", f"{flag} needs --cascade"), file=sys.stderr)
            return EXIT_USAGE
    cascade = ({"model": args.cascade, "margin": args.cascade_margin,
                **({"route_review": True} if args.cascade_review else {}),
                **({"route_latin": True} if args.cascade_latin else {})} if args.cascade else None)
    cache = EmbeddingCache(args.cache)
    spec = None if args.encoder == "none" else args.encoder
    encoder = AuditModel(pipeline=None, encoder_spec=spec).encoder(cache) if spec else None
    model = retrain(sources, args.out, encoder_spec=spec, encoder=encoder, seed=args.seed,
                    overwrite=args.overwrite, compare=not args.no_compare, n_splits=args.folds, cache=cache,
                    all_rows=args.all_rows, cascade=cascade, settings=settings)
    print(f"{bilingual('загвар хадгалсан', 'model saved')}: {args.out}")
    m = model.meta.get("metrics")
    if m:
        print(f"held-out: macro-F1 {m['macro_f1']:.3f}, flag precision {m['flag_precision']:.3f}, "
              f"flag recall {m['flag_recall']:.3f}")
    _print_comparison(model.meta.get("comparison"))
    return EXIT_OK


def _print_comparison(comparison: dict | None) -> None:
    if not comparison:
        return
    print(bilingual("одоогийн анхдагч загвар", "current default") + f": {comparison.get('current') or '—'}")
    for key, label in (("held_out", bilingual("тусдаа байгууллагууд", "held-out organisations")),
                       ("auditor_cv", bilingual("аудиторын шошго (CV)", "auditor-labelled rows (CV)"))):
        block = comparison.get(key, {})
        if "new" not in block:
            continue
        cur = block.get("current", {}).get("macro_f1")
        print(f"{label} (n={block['n']}): macro-F1 {bilingual('шинэ', 'new')} {block['new']['macro_f1']:.3f}"
              + (f", {bilingual('одоогийн', 'current')} {cur:.3f}" if cur is not None else ""))


def _add_evaluate(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help=bilingual("загварыг шошготой өгөгдөл дээр үнэлэх", "evaluate a model on labelled data"),
        description=bilingual(
            "Төлөв бүрийн precision/recall/F1, macro-F1, андуурлын хүснэгт, тэмдэглэгээний precision/recall",
            "per-status precision/recall/F1, macro-F1, confusion matrix, overstated-flag precision and recall",
        ),
    )
    parser.add_argument("data", nargs="+", metavar="DATA",
                        help=bilingual("шошготой CSV файл эсвэл хавтас", "labelled CSV file or folder"))
    parser.add_argument("--split", choices=("test", "train", "all"), default="test", help=bilingual(
        "аль хэсгийг үнэлэх (анхдагч: test)", "which split to evaluate (default: test)"))
    _add_model_options(parser)
    parser.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Run ``biyelelt evaluate``."""
    from .judge.embed import EmbeddingCache
    from .learn.evaluate import format_report
    from .learn.labelled import load_labelled
    from .judge.model import load_model
    from .learn.train import evaluate_model

    model = load_model(args.model)
    df = load_labelled(args.data)
    if args.split != "all":
        df = df[df["split"] == args.split].reset_index(drop=True)
    if df.empty:
        print(bilingual(f"{args.split} хэсэгт мөр алга", f"no rows in the {args.split} split"), file=sys.stderr)
        return EXIT_FAILED
    encoder = model.encoder(cache=EmbeddingCache(args.cache)) if model.needs_embeddings else None
    print(format_report(evaluate_model(model, df, encoder=encoder)))
    return EXIT_OK


def _add_distill(subparsers) -> None:
    from .learn.distill import DEFAULT_DIM, DEFAULT_SIF, DEFAULT_VOCAB_SIZE

    parser = subparsers.add_parser(
        "distill",
        help=bilingual("e5-аас хурдан статик кодлогч нэрэх", "distil a fast static encoder from e5"),
        description=bilingual(
            "Корпусаас WordPiece толь сурч, үг бүрийг e5-аар векторжуулж, PCA, давтамжийн жинлэлт хийж "
            "SentenceTransformer (StaticEmbedding) хавтас болгон хадгална. e5-ийн векторыг нөөцөд хадгалдаг "
            "тул дахин ажиллуулахад хурдан",
            "Learn a WordPiece vocabulary from the corpus, embed every entry with e5, reduce with PCA, weight "
            "by frequency, and save a SentenceTransformer (StaticEmbedding) folder. The e5 vectors are kept "
            "in the embedding cache, so a rerun is fast",
        ),
        epilog=bilingual("Гарах төлөв: 0 амжилттай, 1 алдаа, 2 буруу хэрэглээ",
                         "exit status: 0 success, 1 error, 2 usage error"),
    )
    parser.add_argument("--out", default="models/static-e5", metavar="DIR", help=bilingual(
        "кодлогчийн хавтас (анхдагч: models/static-e5)", "encoder folder (default: models/static-e5)"))
    parser.add_argument("--data", nargs="+", default=None, metavar="LABELS", help=bilingual(
        "шошготой CSV файл эсвэл хавтас (анхдагч: data/labelled)",
        "labelled CSV files or folders (default: data/labelled)"))
    parser.add_argument("--examples", nargs="*", default=None, metavar="REPORT", help=bilingual(
        "корпуст нэмэх тайлан (анхдагч: data/examples; хоосон бол нэмэхгүй)",
        "reports added to the corpus (default: data/examples; empty for none)"))
    parser.add_argument("--vocab-size", type=int, default=DEFAULT_VOCAB_SIZE, metavar="N", help=bilingual(
        f"толийн дээд хэмжээ (анхдагч: {DEFAULT_VOCAB_SIZE})", f"largest vocabulary (default: {DEFAULT_VOCAB_SIZE})"))
    parser.add_argument("--dim", type=int, default=DEFAULT_DIM, metavar="D", help=bilingual(
        f"PCA-ийн дараах хэмжээс (анхдагч: {DEFAULT_DIM})", f"width after PCA (default: {DEFAULT_DIM})"))
    parser.add_argument("--sif", type=float, default=DEFAULT_SIF, metavar="A", help=bilingual(
        f"давтамжийн жингийн a коэффициент (анхдагч: {DEFAULT_SIF})",
        f"SIF coefficient a of the frequency weighting (default: {DEFAULT_SIF})"))
    parser.add_argument("--overwrite", action="store_true",
                        help=bilingual("байгаа хавтсыг дарж бичих", "replace an existing folder"))
    _add_model_options(parser, model=False)
    parser.set_defaults(func=cmd_distill)


def cmd_distill(args: argparse.Namespace) -> int:
    """Run ``biyelelt distill``: corpus → vocabulary → e5 vectors → PCA → weights → folder."""
    import time

    from .learn.distill import corpus_texts, distill
    from .judge.embed import EmbeddingCache

    start = time.monotonic()

    def progress(done: int, total: int) -> None:
        print(f"\r{bilingual('e5 векторжуулалт', 'e5 embedding')}: {done}/{total} "
              f"({time.monotonic() - start:.0f} s)", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        texts = corpus_texts(args.data, args.examples)
        result = distill(args.out, texts, cache=EmbeddingCache(args.cache), vocab_size=args.vocab_size,
                         dim=args.dim, sif=args.sif, overwrite=args.overwrite, progress=progress)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    size = sum(f.stat().st_size for f in result.path.rglob("*") if f.is_file())
    info = result.info
    print(f"{bilingual('корпус', 'corpus')}: {info['n_texts']} {bilingual('текст', 'texts')}, "
          f"{info['n_tokens']} {bilingual('токен', 'tokens')}")
    print(f"{bilingual('толь', 'vocabulary')}: {info['vocab_size']}, {bilingual('хэмжээс', 'dim')}: {info['dim']}")
    print(f"{bilingual('хадгалсан', 'written')}: {result.path} ({size / 1e6:.1f} MB)")
    return EXIT_OK


def _group_help(parser):
    """A ``func`` for a command group run without its subcommand: print the group's help, exit 2."""
    def run(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return run


def _xlsx_path(text: str) -> str:
    if not text.lower().endswith(".xlsx"):
        raise argparse.ArgumentTypeError(bilingual(f"өргөтгөл .xlsx байх ёстой: {text}",
                                                   f"extension must be .xlsx: {text}"))
    return text


def _add_label(subparsers) -> None:
    parser = subparsers.add_parser(
        "label",
        help=bilingual("аудиторын шошго: хянах ажлын ном, оруулах, чанар", "auditors' labels: review, import, quality"),
        description=bilingual(
            "Хянах мөрүүдийг сонгож ажлын ном гаргах, аудиторын шошгыг шошгын санд оруулах, "
            "буруу байж болзошгүй шошгыг олох",
            "pick rows for review into a workbook, import auditors' labels into the label store, "
            "find labels that look wrong"),
    )
    sub = parser.add_subparsers(dest="label_command", metavar="COMMAND", title=bilingual("дэд тушаал", "commands"))
    parser.set_defaults(func=_group_help(parser))
    store_help = bilingual("шошгын сан (анхдагч: $BIYELELT_LABELS эсвэл ~/.local/share/biyelelt/labels.sqlite)",
                           "label store (default: $BIYELELT_LABELS or ~/.local/share/biyelelt/labels.sqlite)")

    p = sub.add_parser(
        "export", help=bilingual("хянах ажлын ном гаргах", "write a review workbook"),
        description=bilingual(
            "Үнэлсэн хавтаснаас загвар эргэлзсэн, тэмдэглэсэн, төстэй бүлгүүдийн төлөөлөл мөрүүдийг сонгож, "
            "төлөвийн сонголттой .xlsx ажлын ном бичнэ; мөр бүрт сонгосон шалтгаан бий",
            "pick the rows of a scored folder most worth an auditor's time (the model unsure, flagged, "
            "representatives of groups of similar rows; each with its reason) into an .xlsx with a status dropdown"))
    p.add_argument("scored_dir", metavar="SCORED_DIR", help=bilingual("`biyelelt score`-ийн хавтас",
                                                                      "folder written by `biyelelt score`"))
    p.add_argument("--out", required=True, type=_xlsx_path, metavar="XLSX",
                   help=bilingual("ажлын номын файл (.xlsx)", "workbook to write (.xlsx)"))
    p.add_argument("--n", type=int, default=200, metavar="N", help=bilingual("мөрийн тоо (анхдагч 200)",
                                                                             "rows to pick (default 200)"))
    p.add_argument("--embed", action="store_true", help=bilingual(
        "тархалтыг загварын кодлогчийн вектороор (анхдагч: тэмдэгтийн TF-IDF)",
        "spread over the model's narrative embeddings (default: a character TF-IDF space)"))
    p.add_argument("--seed", type=int, default=0, help=bilingual("санамсаргүй тоон үр", "random seed"))
    _add_model_options(p)
    p.set_defaults(func=cmd_label_export)

    p = sub.add_parser(
        "import", help=bilingual("ажлын номын шошгыг санд оруулах", "import a reviewed workbook"),
        description=bilingual(
            "Мөр бүрийг шалгаж (үл мэдэгдэх эсвэл хоосон төлөв, өөрчилсөн биелэлт), хэн, хэзээ, аль файлаас, "
            "аль загварын үнэлгээг зассаныг шошгын санд хадгална. Алдаатай мөр байвал ажлын номыг бүхэлд нь "
            "хүлээж авахгүй; дахин оруулахад юу ч нэмэгдэхгүй",
            "validate every row (unknown or empty status, edited narrative) and store the labels with who, when, "
            "which file and which model; a workbook with any bad row is refused as a whole, with the rows "
            "named; importing the same workbook twice adds nothing"),
        epilog=bilingual("Гарах төлөв: 0 бүгд орсон, 1 зарим ажлын ном татгалзсан",
                         "exit status: 0 all imported, 1 some workbook refused"))
    p.add_argument("workbooks", nargs="+", metavar="XLSX", help=bilingual("хянасан ажлын ном", "reviewed workbook"))
    p.add_argument("--store", metavar="PATH", default=None, help=store_help)
    p.add_argument("--auditor", metavar="NAME", default=None, help=bilingual(
        "нэрийн нүд хоосон мөрийн аудитор", "auditor's name for rows whose name cell is empty"))
    p.set_defaults(func=cmd_label_import)

    p = sub.add_parser(
        "issues", help=bilingual("буруу байж болзошгүй шошгыг олох (cleanlab)", "find labels that look wrong (cleanlab)"),
        description=bilingual(
            "Байгууллагаар бүлэглэсэн хөндлөн шалгалтын магадлалаар cleanlab ажиллуулж, шошго нь буруу "
            "байж болзошгүй мөрийг санал болгох төлөвтэй нь жагсаана; юуг ч устгахгүй",
            "run cleanlab on out-of-fold probabilities (folds by organisation) and list the rows whose "
            "label looks wrong, with the suggested status; nothing is dropped"))
    p.add_argument("labels", nargs="+", metavar="LABELS", help=bilingual(
        "шошготой CSV, хавтас эсвэл шошгын сан (.sqlite)", "labelled CSV, folder or label store (.sqlite)"))
    p.add_argument("--out", metavar="CSV", default=None, help=bilingual("жагсаалтыг бичих CSV", "CSV to write the list to"))
    p.add_argument("--encoder", default="e5", metavar="SPEC", help=bilingual(
        "кодлогч: e5, SentenceTransformer хавтас, эсвэл none", "encoder: e5, a SentenceTransformer folder, or none"))
    p.add_argument("--folds", type=int, default=5, metavar="K", help=bilingual("хэсгийн тоо", "folds (default 5)"))
    p.add_argument("--seed", type=int, default=0, help=bilingual("санамсаргүй тоон үр", "random seed"))
    p.add_argument("--top", type=int, default=20, metavar="N", help=bilingual("хэвлэх мөр", "rows to print"))
    _add_model_options(p, model=False)
    p.set_defaults(func=cmd_label_issues)

    p = sub.add_parser(
        "dump", help=bilingual("шошгын санг CSV болгох", "write the label store as CSV"),
        description=bilingual(
            "Мөр бүрийн хамгийн сүүлийн шошгыг сургалтад уншигдах CSV болгож бичнэ (git-д хянахад)",
            "write the latest label of each row as a CSV that `biyelelt train` reads (and git can review)"))
    p.add_argument("--out", required=True, metavar="CSV", help=bilingual("CSV файл", "CSV file"))
    p.add_argument("--store", metavar="PATH", default=None, help=store_help)
    p.set_defaults(func=cmd_label_dump)


def cmd_label_export(args: argparse.Namespace) -> int:
    """Run ``biyelelt label export``: pick rows of a scored folder and write the review workbook."""
    from .judge.embed import EmbeddingCache
    from .errors import ModelError
    from .judge.model import load_model
    from .review.queue import export_review, reason_counts

    try:
        model = load_model(args.model)
    except ModelError as err:
        if args.model or args.embed:
            raise
        model = None
        print(bilingual("анхааруулга", "warning") + ": " + err.message + " — "
              + bilingual("загварын хувилбарыг бичихгүй", "no model version is recorded"), file=sys.stderr)
    encoder = model.encoder(EmbeddingCache(args.cache)) if args.embed and model.needs_embeddings else None
    path, selected = export_review(args.scored_dir, args.out, args.n, model=model, encoder=encoder, seed=args.seed)
    counts = reason_counts(selected)
    print(f"{bilingual('сонгосон мөр', 'rows picked')}: {len(selected)} ("
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")
    print(f"{bilingual('хадгалсан', 'written')}: {path}")
    return EXIT_OK


def cmd_label_import(args: argparse.Namespace) -> int:
    """Run ``biyelelt label import``: validate each workbook and store its labels; 1 when one was refused."""
    from .review.queue import import_review
    from .review.store import LabelStore

    store = LabelStore(args.store)
    failed = 0
    for workbook in args.workbooks:
        try:
            result = import_review(workbook, store, auditor=args.auditor)
        except BiyeleltError as err:
            failed += 1
            print(bilingual("алдаа", "error") + ": " + err.message, file=sys.stderr)
            continue
        print(f"{workbook}: {bilingual('нэмсэн', 'added')} {result.added}, "
              f"{bilingual('өмнө нь байсан', 'already stored')} {result.skipped}, "
              f"{bilingual('хянаагүй', 'not reviewed')} {result.not_reviewed}")
    print(f"{bilingual('шошгын сан', 'label store')}: {store.path} ({len(store)} {bilingual('шошго', 'labels')})")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_label_issues(args: argparse.Namespace) -> int:
    """Run ``biyelelt label issues``: list the labels cleanlab finds suspect (nothing is changed)."""
    from .judge.embed import EmbeddingCache
    from .judge.model import AuditModel
    from .review.quality import label_issues
    from .review.store import load_label_sources

    rows = load_label_sources(args.labels)
    spec = None if args.encoder == "none" else args.encoder
    encoder = AuditModel(pipeline=None, encoder_spec=spec).encoder(EmbeddingCache(args.cache)) if spec else None
    issues, how = label_issues(rows, encoder=encoder, n_splits=args.folds, seed=args.seed)
    print(f"{bilingual('мөр', 'rows')}: {len(rows)}, {bilingual('сэжигтэй шошго', 'suspect labels')}: {len(issues)} "
          f"({how})")
    for r in issues.head(args.top).itertuples(index=False):
        text = r.narrative if len(r.narrative) <= 70 else r.narrative[:69] + "…"
        print(f"{r.rank:>4}  {r.file}:{r.line}  {r.given_status} → {r.suggested_status} "
              f"({r.label_quality:.2f})  {text}")
    if args.out:
        from pathlib import Path

        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        issues.to_csv(args.out, index=False, encoding="utf-8")
        print(f"{bilingual('хадгалсан', 'written')}: {args.out}")
    return EXIT_OK


def cmd_label_dump(args: argparse.Namespace) -> int:
    """Run ``biyelelt label dump``: the label store as a training CSV."""
    from .review.store import LabelStore

    store = LabelStore(args.store)
    path = store.export_csv(args.out)
    print(f"{bilingual('хадгалсан', 'written')}: {path} ({len(store)} {bilingual('шошго', 'labels')})")
    return EXIT_OK


def _add_models(subparsers) -> None:
    parser = subparsers.add_parser(
        "models", help=bilingual("загваруудыг харах, анхдагчийг солих", "list models, switch the default"),
        description=bilingual(
            "$BIYELELT_MODELS (анхдагч: models/) доторх загварууд; анхдагч загварыг models/DEFAULT файлд бичнэ",
            "the models in $BIYELELT_MODELS (default: models/); the default is named in models/DEFAULT"))
    sub = parser.add_subparsers(dest="models_command", metavar="COMMAND", title=bilingual("дэд тушаал", "commands"))
    parser.set_defaults(func=_group_help(parser))
    p = sub.add_parser("list", help=bilingual("загваруудыг жагсаах", "list the models"))
    p.set_defaults(func=cmd_models_list)
    p = sub.add_parser("use", help=bilingual("анхдагч загварыг солих", "make a model the default"))
    p.add_argument("name", metavar="NAME", help=bilingual("загварын хавтасны нэр", "model folder name"))
    p.set_defaults(func=cmd_models_use)


def cmd_models_list(args: argparse.Namespace) -> int:
    """Run ``biyelelt models list``: one line per model, ``*`` marks the default."""
    import os

    from .judge.model import models_root
    from .review.retrain import list_models

    models = list_models()
    if not models:
        print(bilingual(f"загвар алга: {models_root()}", f"no models in {models_root()}"), file=sys.stderr)
        return EXIT_FAILED
    print(f"  {'name':<24}{'encoder':<28}{'rows':>7}{'macro-F1':>10}{'auditor':>9}  data")
    for m in models:
        f1 = "" if m["macro_f1"] != m["macro_f1"] else f"{m['macro_f1']:.3f}"
        print(f"{'*' if m['default'] else ' '} {m['name']:<24}{str(m['encoder']):<28}{str(m['n_rows'] or ''):>7}"
              f"{f1:>10}{m['auditor_rows']:>9}  {m['data_hash']}")
    if os.environ.get("BIYELELT_MODEL"):
        print(bilingual("анхааруулга: $BIYELELT_MODEL тохируулсан тул анхдагчийг дарна",
                        "warning: $BIYELELT_MODEL is set and overrides the default"), file=sys.stderr)
    return EXIT_OK


def cmd_models_use(args: argparse.Namespace) -> int:
    """Run ``biyelelt models use NAME``: write ``DEFAULT`` after checking the model loads."""
    from .review.retrain import use_model

    path = use_model(args.name)
    print(f"{bilingual('анхдагч загвар', 'default model')}: {args.name} ({path})")
    return EXIT_OK


def _add_serve(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help=bilingual("вэб програм ажиллуулах (аудиторуудад)", "start the local web app (for auditors)"),
        description=bilingual(
            "Тайлан оруулах эсвэл хавтас сонгож үнэлэх, эрэмбэ, тайлангийн мөрүүд, аудиторын шошго, татах, "
            "дахин сургалттай вэб програм. Анхдагчаар зөвхөн энэ компьютерээс (127.0.0.1) хандана; өөр --host "
            "бол --token заавал. Flask хэрэгтэй: pip install 'biyelelt[web]'",
            "a web app to upload reports or pick a folder and score it, read the ranking and each report's rows, "
            "relabel rows, download the results and retrain. Binds 127.0.0.1 by default; any other --host "
            "needs --token. Needs Flask: pip install 'biyelelt[web]'"))
    parser.add_argument("--host", default="127.0.0.1", help=bilingual(
        "сонсох хаяг (анхдагч 127.0.0.1; өөр бол --token заавал)",
        "address to listen on (default 127.0.0.1; anything else requires --token)"))
    parser.add_argument("--port", type=int, default=8765, help=bilingual("порт (анхдагч 8765)",
                                                                         "port (default 8765)"))
    parser.add_argument("--token", default=None, metavar="TOKEN", help=bilingual(
        "нэвтрэх түлхүүр (16+ тэмдэгт; анхдагч $BIYELELT_TOKEN): хүсэлт бүр ?token=, күүки эсвэл "
        "Authorization: Bearer толгойгоор авчирна",
        "access token (16+ characters; default $BIYELELT_TOKEN): every request carries it (?token= once, "
        "then a cookie; or an Authorization: Bearer header)"))
    parser.add_argument("--data-dir", default=None, metavar="DIR", help=bilingual(
        "оруулсан файл, үнэлгээний хавтас (анхдагч ~/.local/share/biyelelt/web)",
        "uploads and scored runs (default ~/.local/share/biyelelt/web)"))
    parser.add_argument("--model", default=None, metavar="DIR", help=bilingual(
        "загварын хавтас (анхдагч: анхдагч загвар)", "model folder (default: the default model)"))
    parser.add_argument("--store", default=None, metavar="PATH", help=bilingual(
        "шошгын сан (анхдагч: $BIYELELT_LABELS эсвэл ~/.local/share/biyelelt/labels.sqlite)",
        "label store (default: $BIYELELT_LABELS or ~/.local/share/biyelelt/labels.sqlite)"))
    parser.add_argument("--root", action="append", default=[], metavar="DIR", help=bilingual(
        "хавтас сонгохыг зөвшөөрөх хавтас (давтаж болно; анхдагч: одоогийн хавтас)",
        "folder whose sub-folders may be picked for scoring (repeatable; default: the current folder)"))
    parser.add_argument("--labels", action="append", default=[], metavar="LABELS", help=bilingual(
        "дахин сургалтын шошготой өгөгдөл (давтаж болно; анхдагч data/labelled), шошгын сангаас гадна",
        "labelled data a retrain starts from besides the label store (repeatable; default data/labelled)"))
    _add_model_options(parser, model=False)
    parser.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run ``biyelelt serve``: the local web app, until Ctrl-C; 2 when the address needs a token."""
    import os

    from .web import WebConfig, check_bind, default_data_dir, serve

    token = args.token if args.token is not None else os.environ.get("BIYELELT_TOKEN") or None
    try:
        check_bind(args.host, token)
    except BiyeleltError as err:
        print(err.message, file=sys.stderr)
        return EXIT_USAGE
    options = {"roots": args.root} if args.root else {}
    if args.labels:
        options["labels"] = args.labels
    config = WebConfig(data_dir=args.data_dir or default_data_dir(), store_path=args.store, model_dir=args.model,
                       token=token, host=args.host, port=args.port, cache_dir=args.cache, **options)
    serve(config)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The ``biyelelt`` parser with one subparser per subcommand.

    Returns
    -------
    argparse.ArgumentParser
        Each subcommand sets ``func``, the function that runs it.
    """
    parser = argparse.ArgumentParser(prog="biyelelt", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        title=bilingual("дэд тушаал", "commands"),
    )
    for add in (_add_parse, _add_score, _add_rank, _add_train, _add_evaluate, _add_distill,
                _add_label, _add_models, _add_serve):
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``biyelelt`` console script.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 success, 1 some input failed, 2 usage error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits on --help (0) and on usage errors (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except BiyeleltError as err:
        print(err.message, file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
