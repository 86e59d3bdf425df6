"""The web app in a real headless Chromium (Selenium + Debian's chromium and chromium-driver).

Upload the bundled seed, see its flagged rows, relabel one row, and find the label in the store;
then pick a folder of a year's submissions and filter the ranking by aimag. Screenshots of the
pages are written to the test's folder, and also to ``$BIYELELT_SCREENSHOTS`` when it is set
(``docs/screenshots`` is made that way, with ``$BIYELELT_SCREENSHOT_MODEL`` naming a real model).

Skipped when Chromium or its driver is missing, unless ``$BIYELELT_REQUIRE_BROWSER`` is set (CI
installs both in ``.ci/run`` and sets it, so there the test cannot be skipped silently).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pandas as pd
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
_missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
if _missing and os.environ.get("BIYELELT_REQUIRE_BROWSER"):
    raise RuntimeError(f"$BIYELELT_REQUIRE_BROWSER is set but {', '.join(_missing)} is missing: "
                       "apt-get install chromium chromium-driver")
pytestmark = pytest.mark.skipif(bool(_missing), reason=(
    f"headless browser test: {', '.join(_missing)} not installed "
    "(apt-get install chromium chromium-driver; .ci/run installs them)"))

if os.environ.get("BIYELELT_REQUIRE_BROWSER"):  # CI: a missing library is an error, not a skip
    import flask  # noqa: F401
    import selenium  # noqa: F401
pytest.importorskip("flask", reason="the web extra (Flask) is not installed: pip install 'biyelelt[web]'")
pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[test]'")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from nlp.judge.audit import score  # noqa: E402
from nlp.judge.model import load_model  # noqa: E402
from nlp.read import read_file  # noqa: E402
from nlp.settings import STATUSES  # noqa: E402
from nlp.review.store import LabelStore  # noqa: E402
from nlp.learn.train import train  # noqa: E402
from nlp.web import WebConfig, create_app  # noqa: E402

from _models import HashEncoder, tiny_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "examples" / "000_1fb14d448e6d2ac5.txt"
WAIT = 120  # seconds: scoring with a real encoder on a slow machine

# A demo year of submissions, filed as 2024/<aimag>/<soum>/<file>: rows of data/labelled, one file per
# organisation, under a readable name (the organisation's name is made up from its id for the demo).
DEMO = (
    ("g1_soum_bayanbulag", "Баянхонгор", "Баянбулаг", "Баянбулаг сумын ЗДТГ"),
    ("g3_sch_khovd_erdeneburen", "Ховд", "Эрдэнэбүрэн", "Эрдэнэбүрэн сумын ЕБС"),
    ("g4_hosp_khovd_ne", "Ховд", "", "Ховд аймгийн нэгдсэн эмнэлэг"),
    ("g1_district_songino", "Улаанбаатар", "Сонгинохайрхан", "Сонгинохайрхан дүүргийн ЗДТГ"),
    ("g5_court_chd_civil", "Улаанбаатар", "Чингэлтэй", "Чингэлтэй дүүргийн иргэний хэргийн шүүх"),
    ("g6_emergency_arkhangai", "Архангай", "", "Архангай аймгийн Онцгой байдлын газар"),
    ("g4_ndkh_orkhon", "Орхон", "", "Орхон аймгийн Нийгмийн даатгалын хэлтэс"),
)


def _demo_tree(root: Path) -> Path:
    year = root / "2024"
    labelled = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                          for p in sorted((ROOT / "data" / "labelled").glob("*.csv"))])
    for org_id, aimag, soum, name in DEMO:
        rows = labelled[(labelled["org_id"] == org_id) & (labelled["year"] == "2024")]
        folder = year / aimag / soum if soum else year / aimag
        folder.mkdir(parents=True, exist_ok=True)
        rows.assign(org=name)[["org", "year", "objective_no", "measure_no", "measure", "narrative",
                               "reported_percent"]].to_csv(folder / f"{name}.csv", index=False)
    (year / "Өвөрхангай" / "Тарагт").mkdir(parents=True)
    shutil.copy(SEED, year / "Өвөрхангай" / "Тарагт" / SEED.name)
    return year


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free localhost port, in a thread; yields (base URL, config, model, encoder)."""
    tmp = tmp_path_factory.mktemp("browser")
    real = os.environ.get("BIYELELT_SCREENSHOT_MODEL")
    if real:
        model, encoder = load_model(real), None
    else:
        encoder = HashEncoder()
        model = train(tiny_frame(3), tmp / "tiny", encoder_spec=None, encoder=encoder,
                      classifier={"calibration": None}, name="tiny")
    root = tmp / "root"
    _demo_tree(root)
    config = WebConfig(data_dir=tmp / "web", store_path=tmp / "labels.sqlite", model=model, encoder=encoder,
                       cache_dir=None if real else tmp / "cache", roots=[root], labels=[], port=0)
    app = create_app(config)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", config, model, encoder
    finally:
        httpd.shutdown()
        httpd.server_close()
        app.extensions["biyelelt"].jobs.shutdown(wait=True)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="biyelelt-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--window-size=1360,900", "--lang=mn"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Shots:
    """Screenshots into the test's folder, and into $BIYELELT_SCREENSHOTS when set."""

    def __init__(self, driver, folder: Path):
        self.driver = driver
        self.folder = folder
        self.extra = Path(os.environ["BIYELELT_SCREENSHOTS"]) if os.environ.get("BIYELELT_SCREENSHOTS") else None

    def __call__(self, name: str, height: int = 900) -> Path:
        self.driver.set_window_size(1360, height)
        path = self.folder / f"{name}.png"
        assert self.driver.save_screenshot(str(path))
        if self.extra is not None:
            self.extra.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, self.extra / path.name)
        return path


def _wait(driver, condition, timeout=WAIT):
    return WebDriverWait(driver, timeout).until(condition)


def _wait_for_run(driver):
    """Wait until the progress page has moved on to the finished run's ranking."""
    _wait(driver, EC.url_contains("/runs/"))
    _wait(driver, EC.presence_of_element_located((By.ID, "ranking")))
    _wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def _page_replaced(driver) -> bool:
    """True once the window no longer holds the marker set before the click (a new page has loaded).

    Asking the old page's element whether it is stale raced with Chrome replacing the document («unhandled
    inspector error»); a question asked in the middle of the swap counts as «not yet».
    """
    try:
        return driver.execute_script("return window.__biyelelt_old_page === undefined")
    except WebDriverException:
        return False


def _click_to_next_page(driver, element):
    """Click something that loads a new page and wait until the new page is there."""
    driver.execute_script("window.__biyelelt_old_page = true")
    element.click()
    _wait(driver, _page_replaced)
    _wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def test_upload_the_seed_see_flagged_rows_relabel_and_find_the_label(server, browser, tmp_path):
    base, config, model, encoder = server
    shots = Shots(browser, tmp_path)
    browser.get(base + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Тайлан үнэлэх"
    browser.find_element(By.ID, "files").send_keys(str(SEED))
    shots("01-upload")
    browser.find_element(By.ID, "upload-submit").click()
    _wait_for_run(browser)  # the progress page follows the job, then moves on
    links = browser.find_elements(By.CSS_SELECTOR, "a.report-link")
    assert [a.text for a in links] == [SEED.stem]

    expected = score(read_file(SEED), model, encoder=encoder)
    want = [str(r) for r in expected.loc[expected["flag"] == "true", "row_id"]]
    attention = [str(r) for r in expected.loc[expected["flag"] != "false", "row_id"]]  # true and review
    assert want, "the model flags some seed rows"
    _click_to_next_page(browser, links[0])
    flagged = browser.find_elements(By.CSS_SELECTOR, "#rows tr.flagged")
    assert [tr.get_attribute("data-row-id") for tr in flagged] == want
    color = flagged[0].find_element(By.TAG_NAME, "td").value_of_css_property("background-color")
    plain = browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr:not(.flagged) td")
    assert plain and color != plain[0].value_of_css_property("background-color")  # highlighted for real
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", flagged[0])
    shots("03-report-flagged")

    button = browser.find_element(By.ID, "show-flagged")
    assert f"({len(attention)})" in button.text  # the count says how many rows the filter shows
    _click_to_next_page(browser, button)  # the rows that need an auditor: flagged and review
    assert "flagged=1" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")
    assert [tr.get_attribute("data-row-id") for tr in rows] == attention
    states = [tr.get_attribute("class").split() for tr in rows]
    assert [r for r, c in zip(attention, states) if "flagged" in c] == want
    assert all("flagged" in c or "review" in c for c in states)
    # an empty narrative is no_evidence by rule: its row offers no label form, only a note
    empty = set(expected.loc[expected["narrative"].fillna("").str.strip() == "", "row_id"].astype(str))
    for tr in rows:
        has_form = bool(tr.find_elements(By.CSS_SELECTOR, "form.label-form"))
        assert has_form == (tr.get_attribute("data-row-id") not in empty)
    labelable = [tr for tr in browser.find_elements(By.CSS_SELECTOR, "#rows tr.flagged")
                 if tr.find_elements(By.CSS_SELECTOR, "form.label-form")]
    assert labelable, "a flagged row with a narrative to relabel"
    row = labelable[0]
    first_id = row.get_attribute("data-row-id")
    row_index = row.get_attribute("id")
    model_status = row.get_attribute("data-status")
    new_status = next(s for s in ("not_done", "partial") if s != model_status)
    form = row.find_element(By.CSS_SELECTOR, "form.label-form")
    Select(form.find_element(By.NAME, "status")).select_by_value(new_status)
    form.find_element(By.NAME, "comment").send_keys("Нотлох баримт дутуу")
    form.find_element(By.NAME, "auditor").send_keys("Б. Болд")
    _click_to_next_page(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".flash.ok")
    assert "Б. Болд" in browser.find_element(By.ID, "auditor-name").text
    row = browser.find_element(By.ID, row_index)
    assert "Б. Болд" in row.find_element(By.CSS_SELECTOR, ".latest").text
    browser.execute_script("window.scrollTo(0, 0);")
    shots("04-relabel", height=1100)

    labels = LabelStore(config.store_path).frame()
    assert len(labels) == 1
    label = labels.iloc[0]
    assert (label["status"], label["auditor"], label["comment"]) == (new_status, "Б. Болд", "Нотлох баримт дутуу")
    assert label["model_status"] == model_status and model_status in STATUSES
    assert label["row_id"] == first_id and label["report_id"] == SEED.stem and label["source_file"] == SEED.name

    # the name is asked once: the next row's form has no name field and saves under the same auditor
    second = [tr for tr in browser.find_elements(By.CSS_SELECTOR, "#rows tbody tr")
              if tr.find_elements(By.CSS_SELECTOR, "form.label-form") and tr.get_attribute("id") != row_index][0]
    assert not second.find_elements(By.NAME, "auditor")
    _click_to_next_page(browser, second.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.find_elements(By.CSS_SELECTOR, ".flash.ok")
    assert list(LabelStore(config.store_path).frame()["auditor"]) == ["Б. Болд", "Б. Болд"]


def test_pick_a_folder_and_filter_the_ranking_in_english(server, browser, tmp_path):
    base, config, _, _ = server
    shots = Shots(browser, tmp_path)
    browser.get(base + "/folders?root=0&path=2024")
    names = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.folders a")}
    assert {"📁 Ховд", "📁 Улаанбаатар", "📁 Өвөрхангай"} <= names
    browser.find_element(By.ID, "score-folder").click()
    _wait_for_run(browser)
    reports = browser.find_elements(By.CSS_SELECTOR, "a.report-link")
    assert len(reports) == len(DEMO) + 1
    shots("02-ranking", height=1000)
    Select(browser.find_element(By.NAME, "aimag")).select_by_visible_text("Ховд")
    _click_to_next_page(browser, browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]"))
    assert "aimag=" in browser.current_url
    shown = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a.report-link")]
    assert sorted(shown) == sorted(name for _, aimag, _, name in DEMO if aimag == "Ховд")
    _click_to_next_page(browser, browser.find_element(By.ID, "lang-en"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Report ranking")
    assert "aimag=" in browser.current_url  # the switch keeps the page and its filters
    shots("05-ranking-english", height=700)
    browser.get(base + "/lang/mn?next=/")


def test_upload_a_whole_folder_keeps_its_paths_for_the_filters(server, browser):
    base, config, _, _ = server
    browser.get(base + "/")
    browser.find_element(By.ID, "folder").send_keys(str(config.roots[0] / "2024"))  # the folder picker
    browser.find_element(By.ID, "upload-submit").click()
    _wait_for_run(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "a.report-link")) == len(DEMO) + 1
    aimags = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "select[name=aimag] option")][1:]
    assert sorted(aimags) == sorted({aimag for _, aimag, _, _ in DEMO} | {"Өвөрхангай"})
    soums = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#ranking tbody td:nth-child(6)")}
    assert "Тарагт" in soums and "Эрдэнэбүрэн" in soums
