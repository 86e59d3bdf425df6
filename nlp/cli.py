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

__all__ = ["main", "build_parser", "cmd_parse", "cmd_score", "cmd_rank", "cmd_train", "cmd_evaluate"]

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
        "векторын нөөцийн хавтас (анхдагч: $BIYELELT_CACHE эсвэл ~/.cache/biyelelt)",
        "embedding cache folder (default: $BIYELELT_CACHE or ~/.cache/biyelelt)"))


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
        "тайлагнасан − нотолгооны оноо ≥ PTS бол тэмдэглэнэ (анхдагч: загварын тохиргоо, 30)",
        "flag when reported − predicted ≥ PTS (default: the model's setting, 30)"))
    _add_model_options(parser)
    parser.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    """Run ``biyelelt score``: read, score, rank, write; 1 when some file failed."""
    from .audit import score, summarize_reports
    from .embed import EmbeddingCache
    from .model import load_model
    from .output import write_scored
    from .read import read_paths

    model = load_model(args.model)
    settings = model.settings
    if args.threshold is not None:
        settings.threshold = args.threshold
    result = read_paths(args.inputs)
    encoder = model.encoder(cache=EmbeddingCache(args.cache)) if model.needs_embeddings else None
    scored = score(result.rows, model, encoder=encoder, settings=settings)
    reports = summarize_reports(scored)
    problems = [(f.path, "failure", f.message) for f in result.failures]
    problems += [("", "warning", w) for w in result.warnings]
    paths = write_scored(scored, reports, args.out, problems)
    for failure in result.failures:
        print(bilingual("алдаа", "error") + ": " + failure.message, file=sys.stderr)
    n_flag = int(scored["flag"].sum()) if len(scored) else 0
    print(f"{bilingual('файл', 'files')}: {len(result.files)}, {bilingual('алдаа', 'failures')}: {len(result.failures)}")
    print(f"{bilingual('мөр', 'rows')}: {len(scored)}, {bilingual('тэмдэглэсэн', 'flagged')}: {n_flag}, "
          f"{bilingual('тайлан', 'reports')}: {len(reports)}")
    print(f"{bilingual('хадгалсан', 'written')}: {paths['rows']}, {paths['reports']}, {paths['problems']}")
    return EXIT_FAILED if result.failures or not result.files else EXIT_OK


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
    from .output import format_ranking, read_scored

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
    parser.add_argument("labels", nargs="+", metavar="LABELS",
                        help=bilingual("шошготой CSV файл эсвэл хавтас", "labelled CSV file or folder"))
    parser.add_argument("--out", required=True, metavar="DIR", help=bilingual("загварын хавтас", "model folder"))
    parser.add_argument("--encoder", default="e5", metavar="SPEC", help=bilingual(
        "кодлогч: e5 (багцтай), SentenceTransformer хавтас, эсвэл none",
        "encoder: e5 (bundled), a SentenceTransformer folder, or none"))
    parser.add_argument("--seed", type=int, default=0, help=bilingual("санамсаргүй тоон үр", "random seed"))
    parser.add_argument("--overwrite", action="store_true",
                        help=bilingual("байгаа загварыг дарж бичих", "replace an existing model"))
    _add_model_options(parser, model=False)
    parser.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    """Run ``biyelelt train``."""
    from .embed import EmbeddingCache
    from .model import AuditModel
    from .train import train

    spec = None if args.encoder == "none" else args.encoder
    encoder = AuditModel(pipeline=None, encoder_spec=spec).encoder(EmbeddingCache(args.cache)) if spec else None
    model = train(args.labels, args.out, encoder_spec=spec, encoder=encoder, seed=args.seed,
                  overwrite=args.overwrite)
    print(f"{bilingual('загвар хадгалсан', 'model saved')}: {args.out}")
    m = model.meta.get("metrics")
    if m:
        print(f"held-out: macro-F1 {m['macro_f1']:.3f}, flag precision {m['flag_precision']:.3f}, "
              f"flag recall {m['flag_recall']:.3f}")
    return EXIT_OK


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
    from .embed import EmbeddingCache
    from .evaluate import format_report
    from .labelled import load_labelled
    from .model import load_model
    from .train import evaluate_model

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
    for add in (_add_parse, _add_score, _add_rank, _add_train, _add_evaluate):
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
