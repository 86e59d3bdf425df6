"""docs/reliability.md states the counts that the reliability tests are written to produce.

Баримт бичиг тестүүдтэй таарна / The document matches the tests. Every figure in the tables of
``docs/reliability.md`` is read here and compared with the constants of the test modules (examples
per property, broken inputs, kill points, web attempts), and every test the document names must
exist; so the document cannot drift from what ``make test`` runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import test_reliability_inputs as inputs
import test_reliability_properties as properties
import test_reliability_resume as resume

web = pytest.importorskip("test_reliability_web", reason="the web extra (Flask) is not installed")

DOC = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"
NA = "—"


def _rows() -> dict[str, list[str]]:
    """Table rows of the document by their last cell (the test that produces them, without backticks)."""
    found: dict[str, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        key = cells[-1].strip("`")
        if key.startswith("tests/"):
            assert key not in found, f"two rows name {key}"
            found[key] = cells
    return found


def _expected() -> dict[str, tuple[str, ...]]:
    """Test → the figures its row must show: (tried, passed, rows lost), and more for some tables."""
    p = "tests/test_reliability_properties.py"
    i = "tests/test_reliability_inputs.py"
    r = "tests/test_reliability_resume.py"
    w = "tests/test_reliability_web.py"
    n = properties.EXAMPLES
    rows: dict[str, tuple[str, ...]] = {}
    # summary
    n_props = len(properties.PROPERTIES)
    n_web = web.N_TRAVERSAL + web.N_OVERSIZED + web.N_BIND
    rows[p] = (str(n * n_props), str(n * n_props), "0")
    rows[i] = (str(inputs.N_CASES), str(inputs.N_CASES), "0")
    rows[r] = (str(resume.N_KILLS), str(resume.N_KILLS), "0")
    rows[w] = (str(n_web), str(n_web), NA)
    # properties
    for name in properties.PROPERTIES:
        rows[f"{p}::{name}"] = (str(n), str(n), "0" if "row_is_lost" in name else NA)
    for name, _ in properties.FIXED_NORMALIZE_BUGS:
        rows[f"{p}::test_fixed_normalize_bug[{name}]"] = ("1", "1", NA)
    # broken inputs: rows in, outcome, tried, passed, lost
    for case in inputs.CASES:
        outcome = "failure" if case.fails is not None else "read"
        rows[f"{i}::test_broken_input_beside_a_good_report[{case.name}]"] = (
            str(case.rows), outcome, "1", "1", "0")
    cli_cases = [case for case in inputs.CASES if case.name != "big-cell.csv"]
    rows[f"{i}::test_the_whole_corpus_through_the_command_line"] = (
        str(2 * inputs.GOOD_ROWS + sum(case.rows for case in cli_cases)), "mixed", str(len(cli_cases) + 2),
        str(len(cli_cases) + 2), "0")
    # kill and resume: kills, passed, lost
    for plan in resume.KILL_PLANS:
        rows[f"{r}::test_killed_and_resumed_run_writes_the_uninterrupted_bytes[{resume._plan_id(plan)}]"] = (
            str(len(plan)), str(len(plan)), "0")
    # web: tried, passed
    groups = {
        "test_run_ids_report_ids_and_download_names_stay_inside_the_runs":
            4 * len(web.RUN_IDS) + len(web.DOWNLOAD_NAMES) + len(web.REPORT_IDS),
        "test_uploaded_file_names_are_kept_inside_the_upload_folder": len(web.UPLOAD_NAMES),
        "test_folder_picker_and_folder_scoring_stay_inside_the_roots":
            2 * len(web.FOLDER_PATHS) + 2 * len(web.ROOT_INDEXES),
        "test_model_names_cannot_leave_the_models_folder": len(web.MODEL_NAMES),
        "test_oversized_uploads_are_refused_and_named": web.N_OVERSIZED,
        "test_a_network_address_needs_a_token": len(web.NON_LOCAL_HOSTS) + len(web.LOCAL_HOSTS),
        "test_without_a_token_only_local_host_names_are_served": len(web.FOREIGN_HOST_HEADERS),
        "test_with_a_token_nothing_is_served_without_it": len(web.TOKEN_ROUTES),
    }
    assert sum(groups.values()) == n_web
    for name, count in groups.items():
        rows[f"{w}::{name}"] = (str(count), str(count), NA)
    return rows


def test_the_document_states_the_counts_of_the_tests():
    found = _rows()
    expected = _expected()
    assert sorted(found) == sorted(expected), (sorted(set(found) ^ set(expected)))
    for key, figures in expected.items():
        shown = tuple(cell.replace("**", "") for cell in found[key][1:1 + len(figures)])
        if key.endswith("]") and "test_broken_input" in key or "command_line" in key:
            shown = (shown[0], _outcome(shown[1])) + shown[2:]
        assert shown == figures, (key, shown, figures)


def _outcome(cell: str) -> str:
    for word in ("mixed", "failure", "read"):
        if word in cell:
            return word
    return cell


def test_the_tests_the_document_names_exist():
    modules = {"properties": properties, "inputs": inputs, "resume": resume, "web": web}
    for key in _rows():
        file, _, test = key.partition("::")
        module = modules[Path(file).stem.removeprefix("test_reliability_")]
        if test:
            assert hasattr(module, test.split("[")[0]), key


def test_the_headline_figures():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"{properties.EXAMPLES} examples per property" in text
    assert f"{resume.N_KILLS} kills" in text and f"{len(resume.KILL_PLANS)} plans" in text
    assert f"{inputs.N_CASES} broken inputs" in text and f"{inputs.N_CASE_ROWS} report rows" in text
