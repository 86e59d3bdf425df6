"""Run a snippet in a fresh Python process and read back the JSON it prints last.

Used to check that saved spaCy pipelines reload where nothing was imported yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_json(code: str, *, repo_on_path: bool = True) -> object:
    """Run ``code`` with this interpreter from ``/`` and parse its last output line.

    Parameters
    ----------
    code : str
        Python source that prints one JSON value last.
    repo_on_path : bool, default True
        Put the repository on ``PYTHONPATH``; without it only an installed
        package (and its entry points) can be imported.

    Returns
    -------
    object
        The decoded JSON value.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if repo_on_path:
        env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd="/", timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
