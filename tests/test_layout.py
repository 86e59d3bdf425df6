"""The package layout: one folder per stage, imports run one way, no import loops."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nlp"
#: Each stage may import its own modules and the stages before it, never a later one.
#: ``nlp`` itself (the public API, re-exporting every stage) comes last; any module may read its ``__version__``.
ORDER = ["base", "read", "judge", "learn", "outputs", "review", "batch", "web", "cli", "api"]
BASE = {"nlp.errors", "nlp.settings", "nlp.text"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    if module == "nlp":
        return "api"
    if module in BASE:
        return "base"
    return module.split(".")[1]


def _imports(path: Path) -> set[str]:
    """Every nlp module this file imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "nlp"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "nlp":
                target = node.module
            else:
                continue
            found.add(target)
            for alias in node.names:  # `from . import cues` names a module
                if (PACKAGE.parent / (target + "." + alias.name).replace(".", "/")).with_suffix(".py").is_file():
                    found.add(target + "." + alias.name)
    return found


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {m: {i for i in _imports(p) if i in MODULES and i != m} for m, p in MODULES.items()}


def test_every_module_belongs_to_a_known_stage():
    assert {_stage(m) for m in MODULES} <= set(ORDER)
    for stage in ["read", "judge", "learn", "outputs", "review", "web"]:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"nlp/{stage}/__init__.py must say what it may import"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    me = ORDER.index(_stage(module))
    later = sorted(i for i in GRAPH[module] if ORDER.index(_stage(i)) > me and i != "nlp")
    assert later == [], f"{module} imports a later stage: {later}"


def test_no_import_loops():
    loops = []

    def visit(node, path, on_path, done):
        on_path.add(node)
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if nxt == "nlp" or nxt.endswith("__init__"):
                continue
            if nxt in on_path:
                loops.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, path, on_path, done)
        path.pop()
        on_path.discard(node)
        done.add(node)

    done: set[str] = set()
    for m in sorted(MODULES):
        if m not in done and m != "nlp":
            visit(m, [], set(), done)
    # a package importing its own submodules (re-exports) is not a loop; a submodule importing back is
    loops = [l for l in loops if not all(a.startswith(b + ".") or b.startswith(a + ".") or a == b
                                          for a, b in zip(l, l[1:]))]
    assert loops == []
