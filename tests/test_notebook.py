"""The walkthrough notebook: kept in git without outputs, and it runs from a clean state.

The notebook is executed with nbclient in a kernel started from this Python (ipykernel), in a
temporary folder, with the embedding cache, the label store, the models root, the temporary
folder and ``$HOME`` pointing into it, so nothing in the repository or the user's home is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "audit_walkthrough.ipynb"
KERNEL = "biyelelt-test-python"


def test_notebook_is_kept_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 8
    for cell in code:
        assert cell.outputs == [], f"outputs left in a cell: {cell.source[:80]!r}"
        assert cell.execution_count is None, f"execution count left in a cell: {cell.source[:80]!r}"
    assert all("image/png" not in json.dumps(c.get("attachments", {})) for c in nb.cells)


def test_notebook_covers_the_walkthrough():
    """Score the seed, look at flags, a synthetic year, the two plots, the ranking, label and retrain."""
    source = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code")
    for needed in ("read_file(SEED)", 'seed["flag"]', "run_score(", "plt.subplots", ".hist(", "format_ranking(",
                   "export_review(", "import_review(", "encoder_spec=None"):
        assert needed in source, needed


def _kernel_spec(folder: Path) -> Path:
    """A kernel spec that starts ipykernel with this very Python (the venv's)."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "biyelelt test", "language": "python",
    }), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_notebook_runs(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    models = tmp_path / "models"
    # The default model and every model folder it names (its cascade's second model, its encoder).
    for folder in sorted((ROOT / "models").iterdir()):
        if folder.is_dir():
            shutil.copytree(folder, models / folder.name)
    home = tmp_path / "home"
    home.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for name in list(os.environ):
        if name.startswith("BIYELELT_"):
            monkeypatch.delenv(name)
    env = {
        "BIYELELT_CACHE": tmp_path / "cache",
        "BIYELELT_LABELS": tmp_path / "labels-default.sqlite",
        "BIYELELT_MODELS": models,
        "HOME": home,
        "TMPDIR": scratch,
        "MPLCONFIGDIR": tmp_path / "mpl",
        "IPYTHONDIR": tmp_path / "ipython",
        "JUPYTER_PATH": _kernel_spec(tmp_path / "jupyter"),
        "JUPYTER_RUNTIME_DIR": tmp_path / "jupyter-runtime",
        "JUPYTER_DATA_DIR": tmp_path / "jupyter-data",
        "JUPYTER_CONFIG_DIR": tmp_path / "jupyter-config",
        "PYTHONPATH": ROOT,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, str(v))
    monkeypatch.chdir(tmp_path)

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name=KERNEL, resources={"metadata": {"path": str(tmp_path)}}).execute()

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 1  # the figure: reported against predicted, and the gaps
    (work,) = list(scratch.glob("biyelelt-walkthrough-*"))
    for path in ("out/2024/rows.csv", "out/2024/report.xlsx", "out/2024/report.html", "out/2024/rows.parquet",
                 "review.xlsx", "labels.sqlite", "models/trial/model.skops", "models/trial/README.md"):
        assert (work / path).exists(), path
    assert len(list((work / "2024").rglob("*.csv"))) == 5
    # the notebook keeps its labels and model in its own folder: the user's store and default stay untouched
    assert not (tmp_path / "labels-default.sqlite").exists()
    assert sorted(p.name for p in models.iterdir()) == sorted(p.name for p in (ROOT / "models").iterdir()
                                                               if p.is_dir())
    assert not (home / ".local" / "share" / "biyelelt").exists() and not (home / ".cache" / "biyelelt").exists()
