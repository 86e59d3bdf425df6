"""Every shell block of the auditor's guide (docs/guide.md) runs as written on the bundled example.

The blocks run in order, in one temporary working folder that holds a copy of ``data/`` and
``models/``; the embedding cache, the label store, the models root and ``$HOME`` all point into
the temporary folder, so nothing in the repository or the user's home is touched. A block whose
first line is ``# not run in tests: <why>`` is skipped (kept few, each with its reason).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide.md"
SKIP = "# not run in tests:"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
#: What `biyelelt score --out DIR` writes (docs/outputs.md); the last three unless `--formats` says otherwise.
SCORE_FILES = ("rows.csv", "reports.csv", "problems.csv")
SCORE_EXTRA = {"xlsx": "report.xlsx", "html": "report.html", "parquet": "rows.parquet"}


def fenced_blocks(text: str) -> list[tuple[str, int, str]]:
    """``(language, line number, code)`` of every fenced block."""
    return [(m.group(1), text.count("\n", 0, m.start()) + 1, m.group(2)) for m in FENCE.finditer(text)]


def bash_blocks(text: str) -> list[tuple[int, str]]:
    return [(line, code) for lang, line, code in fenced_blocks(text) if lang == "bash"]


def is_skipped(code: str) -> bool:
    return code.lstrip().startswith(SKIP)


def commands(code: str) -> list[list[str]]:
    """The shell words of each command line of a block (here-documents and comments left out)."""
    out: list[list[str]] = []
    lines = code.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if heredoc:
            end = heredoc.group(1)
            while i + 1 < len(lines) and lines[i + 1].strip() != end:
                i += 1
            i += 1
            line = line[:heredoc.start()]
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = []
        if words:
            out.append(words)
        i += 1
    return out


def _option(words: list[str], name: str) -> str | None:
    for j, w in enumerate(words[:-1]):
        if w == name:
            return words[j + 1]
        if w.startswith(name + "="):
            return w.split("=", 1)[1]
    return None


def promises(code: str) -> list[tuple[str, str]]:
    """What a block promises: ``("file", path)`` for every file or folder it writes, ``("default", name)``
    for ``biyelelt models use NAME``."""
    found: list[tuple[str, str]] = []
    for words in commands(code):
        if not words or words[0] != "biyelelt":
            continue
        sub = words[1:3]
        out = _option(words, "--out")
        if sub[:1] == ["score"] and out:
            formats = _option(words, "--formats")
            chosen = ["xlsx", "html", "parquet"] if formats is None else \
                [f for f in formats.split(",") if f in SCORE_EXTRA]
            found += [("file", f"{out}/{name}") for name in SCORE_FILES]
            found += [("file", f"{out}/{SCORE_EXTRA[f]}") for f in chosen]
        elif sub[:1] == ["train"] and out:
            found += [("file", f"{out}/{name}") for name in ("model.skops", "config.json", "README.md")]
        elif out:
            found.append(("file", out))
        store = _option(words, "--store")
        if store:
            found.append(("file", store))
        if sub == ["models", "use"] and len(words) > 3:
            found = [p for p in found if p[0] != "default"] + [("default", words[3])]  # the last one holds
    return found


# ---------------------------------------------------------------------------------------------
# the test's own helpers, checked on small inputs

def test_block_parsing_finds_commands_outputs_and_skips():
    text = ("intro\n```bash\nbiyelelt score a.txt --out out/x --formats html   # note\n"
            "python - <<'EOF'\nprint('--out nothing')\nEOF\nbiyelelt models use x\nbiyelelt models use trial\n```\n"
            "```text\nbiyelelt serve\n```\n```bash\n# not run in tests: slow\nbiyelelt train x --out m\n```\n")
    blocks = bash_blocks(text)
    assert [line for line, _ in blocks] == [2, 13]
    first, second = (code for _, code in blocks)
    assert not is_skipped(first) and is_skipped(second)
    assert promises(first) == [("file", "out/x/rows.csv"), ("file", "out/x/reports.csv"),
                               ("file", "out/x/problems.csv"), ("file", "out/x/report.html"),
                               ("default", "trial")]
    assert promises("biyelelt label import r.xlsx --store s.sqlite\nbiyelelt train --out m") == [
        ("file", "s.sqlite"), ("file", "m/model.skops"), ("file", "m/config.json"), ("file", "m/README.md")]


def test_guide_blocks_are_mostly_runnable():
    blocks = bash_blocks(GUIDE.read_text(encoding="utf-8"))
    skipped = [code for _, code in blocks if is_skipped(code)]
    assert len(blocks) - len(skipped) >= 8
    assert len(skipped) <= 2, "keep the blocks the test cannot run few"
    for code in skipped:
        reason = code.lstrip().splitlines()[0][len(SKIP):].strip()
        assert len(reason) >= 10, f"say why the block is not run: {code.splitlines()[0]!r}"


def test_guide_commands_exist_in_the_cli():
    """Every `biyelelt` subcommand and option the guide names (runnable blocks and text alike) is known."""
    from nlp.cli import build_parser

    text = GUIDE.read_text(encoding="utf-8")
    parser = build_parser()
    for _lang, line, code in fenced_blocks(text):
        for words in commands(code):
            if words[0] != "biyelelt" or "--help" in words or "-h" in words:
                continue
            # parse_known_args would accept typos; parse_args exits on an unknown option
            try:
                parser.parse_args(words[1:])
            except SystemExit as exc:  # pragma: no cover - the message says which block
                pytest.fail(f"docs/guide.md line {line}: {' '.join(words)} does not parse ({exc})")


# ---------------------------------------------------------------------------------------------
# running the guide

def _environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BIYELELT_") and k not in ("XDG_DATA_HOME", "PYTHONPATH")}
    bin_dir = Path(sys.executable).parent
    path = [str(bin_dir)]
    if not (bin_dir / "biyelelt").exists():  # not installed with `pip install -e .`: run the module instead
        shim = tmp / "bin"
        shim.mkdir()
        script = shim / "biyelelt"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m nlp.cli "$@"\n', encoding="utf-8")
        script.chmod(0o755)
        path.insert(0, str(shim))
    home = tmp / "home"
    home.mkdir()
    env.update({
        "PATH": os.pathsep.join(path + [env.get("PATH", "")]),
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "BIYELELT_CACHE": str(tmp / "cache"),
        "BIYELELT_LABELS": str(tmp / "labels-default.sqlite"),
        "BIYELELT_MODELS": str(tmp / "work" / "models"),
        "MPLCONFIGDIR": str(tmp / "mpl"),
    })
    return env


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_guide_runs_as_written(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "data", work / "data", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", work / "models", ignore=shutil.ignore_patterns(".DEFAULT.*"))
    env = _environment(tmp_path)
    repo_before = {d: _snapshot(ROOT / d) for d in ("data", "models")}

    blocks = [(line, code) for line, code in bash_blocks(GUIDE.read_text(encoding="utf-8"))
              if not is_skipped(code)]
    for line, code in blocks:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=work, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (f"docs/guide.md block at line {line} exited {done.returncode}\n{code}\n"
                                      f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}")
        for kind, what in promises(code):
            if kind == "file":
                assert (work / what).exists(), f"docs/guide.md line {line}: {what} was not written"
            else:
                pointer = work / "models" / "DEFAULT"
                assert pointer.read_text(encoding="utf-8").strip() == what, f"line {line}: default is not {what}"

    # what the blocks say happened, happened
    import pandas as pd

    seed = pd.read_csv(work / "out" / "seed" / "rows.csv", dtype={"flag": str})
    assert len(seed) == 26 and (seed["flag"] == "true").any()
    year = pd.read_csv(work / "out" / "2024" / "reports.csv")
    assert sorted(year["report_id"]) == ["ikh_tamir_zdtg", "tariat_zdtg"]
    labels = pd.read_csv(work / "labels.csv", dtype=str, keep_default_na=False)
    assert len(labels) > 0 and set(labels["auditor"]) == {"Б. Болд"}
    assert not (tmp_path / "labels-default.sqlite").exists()  # the guide names its store everywhere
    home = tmp_path / "home"
    assert not (home / ".local" / "share" / "biyelelt").exists() and not (home / ".cache" / "biyelelt").exists()
    assert {d: _snapshot(ROOT / d) for d in ("data", "models")} == repo_before
