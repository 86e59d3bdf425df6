"""Build ``nlp/keyboard.tsv``: words as a Russian keyboard types them (о for ө, у for ү), and the word meant.

Usage::

    python data/make_keyboard_lexicon.py            # rewrite nlp/keyboard.tsv
    python data/make_keyboard_lexicon.py --check    # exit 1 if the shipped file differs from a fresh build

A Russian keyboard layout has no Ө and Ү keys, so some officers type «о» and «у» for them
(«ирээгуй» for «ирээгүй», «хун» for «хүн»). :func:`nlp.text.normalize` restores such cells word by word from
this list. It is counted from the narratives and measures of ``data/labelled`` that contain an ө or ү (cells
typed on a Mongolian layout), never from the probe; ``w37_russian_keyboard.csv``, the writer who types this
way, is left out, so its leave-one-writer-out fold is scored by a list that never saw its words.

A word ``w`` with an ө or ү enters under its folded form ``f`` (ө → о, ү → у) when ``w`` occurs at least twice,
is the most frequent word with that folded form, and occurs more than twenty times as often as ``f`` itself does
as a word: «ус» (water) never becomes «үс» (hair), nor «ур чадвар» (skill) «үр», nor «зуух» (stove) «зүүх»,
while the odd typo «гараагуй» in a normally typed cell does not stop «гараагүй». The file is sorted; the same
data give the same file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from nlp.text import KEYBOARD_FILE, fold_keyboard, normalize  # noqa: E402

#: The writer who types on a Russian keyboard; left out of the counts (see the module docstring).
LEFT_OUT = ("w37_",)
#: How many times more often the ө/ү word must occur than its folded form as a word of its own.
RATIO = 20
_WORD = re.compile(r"[а-яёөү]+")
_HAS = re.compile(r"[өү]")


def build(labelled: Path = ROOT / "labelled") -> dict[str, str]:
    """Folded form → restored word, counted from the labelled files (see the module docstring)."""
    counts: Counter[str] = Counter()
    for f in sorted(labelled.glob("*.csv")):
        if f.name.startswith(LEFT_OUT):
            continue
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        for cell in list(df["narrative"]) + list(df["measure"]):
            text = normalize(cell, restore_keyboard=False).lower()
            if _HAS.search(text):
                counts.update(_WORD.findall(text))
    by_fold: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for word, n in counts.items():
        if _HAS.search(word):
            by_fold[fold_keyboard(word)].append((n, word))
    lexicon = {}
    for folded, options in by_fold.items():
        n, word = max(options)  # most frequent; on a tie the later word in code-point order
        if n >= 2 and n > RATIO * counts.get(folded, 0):
            lexicon[folded] = word
    return dict(sorted(lexicon.items()))


def render(lexicon: dict[str, str]) -> str:
    head = ("# typed on a Russian keyboard<TAB>restored; made by data/make_keyboard_lexicon.py from data/labelled\n"
            f"# {len(lexicon)} words; do not edit by hand\n")
    return head + "".join(f"{k}\t{v}\n" for k, v in lexicon.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    args = ap.parse_args(argv)
    text = render(build())
    if args.check:
        same = KEYBOARD_FILE.read_text(encoding="utf-8") == text
        print("nlp/keyboard.tsv is up to date" if same else "nlp/keyboard.tsv differs from a fresh build")
        return 0 if same else 1
    KEYBOARD_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {KEYBOARD_FILE} ({text.count(chr(10)) - 2} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
