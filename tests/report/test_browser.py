"""The report in a real browser: headless Chromium driven by Selenium (Debian's ``chromium``
and ``chromium-driver``).  Skipped cleanly when either is missing.

``LINGYUN_REPORT_SCREENSHOT`` names where to keep the screenshot (``.ci/browser`` sets it so
a person can look at it); otherwise it goes to the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lingyun.report import write_report

from .conftest import RecordedRun

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
pytest.importorskip("PIL", reason="the screenshot check needs Pillow")

CHROMIUM = os.environ.get("LINGYUN_CHROMIUM") or shutil.which("chromium") \
    or shutil.which("chromium-browser")
CHROMEDRIVER = os.environ.get("LINGYUN_CHROMEDRIVER") or shutil.which("chromedriver") \
    or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="headless Chromium and chromedriver are not installed")


def _cjk_fonts(folder: Path) -> dict[str, str]:
    """Environment for Chromium that adds the pip-installed CJK font to fontconfig's, so the
    screenshot shows Chinese rather than empty boxes on a machine without a system CJK font
    (nothing is installed: the configuration lives in ``folder``)."""
    try:
        from lingyun.exports.draw import find_font
    except ImportError:
        return {}
    font = find_font()
    if font is None:
        return {}
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"<dir>{font.parent}</dir>\n<cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1400", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    env = _cjk_fonts(tmp_path_factory.mktemp("fonts")) or None
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER), env=env), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, run: RecordedRun) -> Path:
    report = run.folder / "report.html"
    write_report(run.records, report)
    browser.get(report.as_uri())
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
        and d.execute_script("return Array.from(document.images).every(i => i.complete)"))
    return report


def _screenshot_path(tmp_path: Path) -> Path:
    wanted = os.environ.get("LINGYUN_REPORT_SCREENSHOT")
    return Path(wanted) if wanted else tmp_path / "shot" / "report.png"


def test_report_renders_without_console_errors_and_is_not_blank(
        browser: Any, recorded_run: RecordedRun, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    report = _open(browser, recorded_run)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    # nothing was fetched: every image is a data: URI, styles and script are inline
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)") == []
    # The hostile file name was shown as text, not turned into an <img> that ran a handler.
    assert browser.execute_script("return window.__hostile === undefined")
    assert browser.execute_script(
        "return document.querySelectorAll('img[src=x], script').length") == 1
    shot = _screenshot_path(tmp_path)
    shot.parent.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))
    shutil.copy(report, shot.with_suffix(".html"))
    print(f"report screenshot: {shot} (the report beside it: {shot.with_suffix('.html')})")
    with Image.open(shot) as image:
        stddev = ImageStat.Stat(image.convert("L")).stddev[0]
        images_drawn = browser.execute_script(
            "return Array.from(document.images).filter(i => i.naturalWidth > 0).length")
    assert stddev > 20, f"the screenshot is nearly uniform (stddev {stddev:.1f})"
    assert images_drawn == 3  # the two samples and the hostile-named copy, all embedded


def test_hovering_a_glyph_shows_its_candidates_and_distances(
        browser: Any, recorded_run: RecordedRun) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, recorded_run)
    glyph = browser.find_element("css selector", "#page-1 rect.glyph[data-text='捷']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", glyph)
    ActionChains(browser).move_to_element(glyph).perform()
    tip = browser.find_element("id", "tip")
    assert tip.is_displayed()
    rows = [[cell.text for cell in row.find_elements("css selector", "td")]
            for row in tip.find_elements("css selector", "tr.cand")]
    assert rows == [["捷", "2", "0.992"], ["建", "40", "0.843"], ["睫", "120", "0.528"]]
    # the same glyph in the page's text listing is highlighted with it
    assert "hot" in browser.find_element(
        "css selector", "#page-1 .text .g[data-i='2']").get_attribute("class")
    # hovering the character in the text listing shows the same box's candidates
    ActionChains(browser).move_to_element(
        browser.find_element("css selector", "#page-1 .text .g[data-i='6']")).perform()
    rows = [[cell.text for cell in row.find_elements("css selector", "td")]
            for row in tip.find_elements("css selector", "tr.cand")]
    assert rows == [["科", "80", "0.685"], ["料", "90", "0.646"]]
    assert "hot" in browser.find_element(
        "css selector", "#page-1 rect.glyph[data-i='6']").get_attribute("class")
    ActionChains(browser).move_to_element(
        browser.find_element("css selector", "#failures")).perform()
    assert not tip.is_displayed()


def test_hovering_a_field_with_an_issue_shows_the_issue(
        browser: Any, recorded_run: RecordedRun) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, recorded_run)
    field = browser.find_element("css selector", "#page-2 rect.field.issue")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    ActionChains(browser).move_to_element(field).perform()
    text = browser.find_element("id", "tip").text
    assert "id_number" in text and "the check digit is X" in text


def test_filters_hide_pages_without_low_confidence_or_issues(
        browser: Any, recorded_run: RecordedRun) -> None:
    _open(browser, recorded_run)

    def visible() -> list[str]:
        return [page.get_attribute("id") for page in
                browser.find_elements("css selector", "section.page") if page.is_displayed()]

    assert visible() == ["page-1", "page-2", "page-3"]
    browser.find_element("id", "only-low").click()
    assert visible() == ["page-1", "page-2"]  # 科 at 0.685; the 0.62 ID number
    threshold = browser.find_element("id", "threshold")
    threshold.clear()
    threshold.send_keys("0.6")
    assert visible() == []
    browser.find_element("id", "only-low").click()
    browser.find_element("id", "only-issues").click()
    assert visible() == ["page-2"]
    rows = browser.find_elements("css selector", "#page-2 tr.field-row")
    shown = [row.get_attribute("data-field") for row in rows if row.is_displayed()]
    assert shown == ["id_number", "birth_date"]
    assert json.loads(browser.find_element("css selector", "#page-2 rect.field.issue")
                      .get_attribute("data-issues"))[0].startswith("the check digit")
