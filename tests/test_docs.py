"""The documentation tells the truth: figures agree with the data, examples run, links resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from nlp.cli import build_parser
from nlp.judge.cues import REASON_EN, REASON_MN
from nlp.judge.model import model_card
from nlp.settings import STATUSES, Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: The documents this test owns the links of (others' documents keep their own checks).
CHECKED = ("guide.md", "methodology.md", "data-card.md", "model-card.md")
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _glance(card: str) -> dict[str, int]:
    """The «At a glance» table of the data card: English label → number."""
    out = {}
    for line in card.splitlines():
        m = re.match(r"\| [^|]*/ ([^|]+?) \| ([\d,]+) \|$", line)
        if m:
            out[m.group(1).strip()] = _number(m.group(2))
    return out


# ---------------------------------------------------------------------------------------------
# data card: the headline figures agree with data/README.md and with the files

def test_data_card_figures_agree_with_the_files_and_data_readme():
    card = _glance(_read(DOCS / "data-card.md"))
    corpus = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False)
                        for f in sorted((ROOT / "data" / "labelled").glob("*.csv"))], ignore_index=True)
    test = corpus[corpus["split"] == "test"]
    seed = pd.read_csv(ROOT / "data" / "labelled" / "seed_soum_taragt.csv", dtype=str)
    from nlp.read import read_file

    expected = {
        "rows": len(corpus),
        "organisations": corpus["org_id"].nunique(),
        "held-out organisations": test["org_id"].nunique(),
        "held-out rows": len(test),
        "rows of the bundled example": len(read_file(ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt")),
    }
    assert card == expected
    assert len(seed) == expected["rows of the bundled example"]
    readme = _read(ROOT / "data" / "README.md")
    assert f"- rows: {expected['rows']}; organisations: {expected['organisations']};" in readme
    assert f"{expected['rows of the bundled example']} measure rows after reading)" in readme
    assert f"| `seed_soum_taragt.csv` | 1 (the seed report) | {len(seed)} |" in readme
    years = ", ".join(sorted(corpus["year"].unique()))
    assert f"| он / years | {years} |" in _read(DOCS / "data-card.md")
    assert f"years: {years}" in readme


def test_evaluation_doc_agrees_on_the_held_out_split():
    card = _glance(_read(DOCS / "data-card.md"))
    evaluation = " ".join(_read(DOCS / "evaluation.md").split())
    assert f"{card['held-out organisations']} organisations, {card['held-out rows']} rows" in evaluation


# ---------------------------------------------------------------------------------------------
# model card: the shipped card is what its config generates

@pytest.mark.parametrize("name", ["default", "default-e5"])
def test_shipped_model_card_is_generated_from_its_config(name):
    folder = ROOT / "models" / name
    config = json.loads(_read(folder / "config.json"))
    assert _read(folder / "README.md") == model_card(config)


def test_model_card_doc_points_to_the_generated_card_and_copies_no_figures():
    doc = _read(DOCS / "model-card.md")
    assert "](../models/default/README.md)" in doc
    assert not re.search(r"\b0\.\d{3}\b", doc), "figures belong in the generated card, not here"


# ---------------------------------------------------------------------------------------------
# methodology: the examples run, the tables match the code

def test_methodology_examples_run_against_the_code():
    blocks = [code for lang, code in FENCE.findall(_read(DOCS / "methodology.md")) if lang == "python"]
    assert len(blocks) >= 2
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, str(DOCS / "methodology.md"), "exec"), namespace)  # noqa: S102 - our own doc


def test_methodology_settings_table_shows_the_defaults():
    doc = _read(DOCS / "methodology.md")
    defaults = Settings()
    for name in ("threshold", "na_flag_min", "score_temperature"):
        assert f"| `{name}` | {getattr(defaults, name):g} |" in doc, name
    rubric = ", ".join(f"{s} {'—' if defaults.rubric[s] is None else format(defaults.rubric[s], 'g')}"
                       for s in STATUSES)
    assert f"| `rubric` | {rubric} |" in doc


def test_methodology_lists_every_reason():
    doc = _read(DOCS / "methodology.md")
    for kind, mn in REASON_MN.items():
        en = re.sub(r":? «\{\}»$", "", REASON_EN[kind])
        assert f"| `{mn.format('…')}` | {en} |" in doc, kind


# ---------------------------------------------------------------------------------------------
# the guide and README

def test_guide_names_every_subcommand():
    guide = _read(DOCS / "guide.md")
    import argparse

    names = [n for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction) for n in a.choices]
    assert len(names) >= 9
    for name in names:
        assert f"biyelelt {name}" in guide, name


def _commands(parser, prefix=("biyelelt",)):
    """``(command words, long options)`` of every leaf subcommand."""
    import argparse

    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(prefix), [s for a in parser._actions for s in a.option_strings
                                 if s.startswith("--") and s != "--help"]
        return
    for name, sub in subs[0].choices.items():
        yield from _commands(sub, (*prefix, name))


def test_guide_reference_lists_every_option():
    """The guide's reference table shows every option each command has (run `--help` for what they mean)."""
    guide = _read(DOCS / "guide.md")
    table = guide.split("## Лавлах / Reference", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `biyelelt ")]
    for command, options in _commands(build_parser()):
        row = " ".join(r for r in rows if f"`{command}" in r or f", `{command}" in r)
        assert row, f"{command} is missing from the guide's reference table"
        for option in options:
            assert re.search(rf"{re.escape(option)}(?![\w-])", row), f"{command} {option} is missing from the guide"


def test_readme_lists_the_documentation():
    readme = _read(ROOT / "README.md")
    section = readme.split("## Баримт бичиг / Documentation", 1)[1].split("\n## ", 1)[0]
    for doc in CHECKED:
        assert f"(docs/{doc})" in section, doc
    assert "(notebooks/audit_walkthrough.ipynb)" in section


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", _read(path))
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


def _links(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = FENCE.sub("", _read(path))
    return LINK.findall(text)


@pytest.mark.parametrize("doc", [*(DOCS / d for d in CHECKED), ROOT / "notebooks" / "audit_walkthrough.ipynb"],
                         ids=lambda p: p.name)
def test_links_resolve(doc):
    for target in _links(doc):
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        assert path.exists(), f"{doc.name}: broken link {target}"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{doc.name}: no heading #{anchor} in {path.name}"
