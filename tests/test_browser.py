"""End to end: `mlsearch serve` (gunicorn, two workers), driven by Debian's chromium.

Playwright's own browser download does not work here; these tests use
/usr/bin/chromium, which `make browser` installs.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from helpers import served

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def server(index_dir, tmp_path_factory):
    """The server over its own copy of the test index."""
    own = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(index_dir, own)
    with served(own, workers=2) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium; run `make browser`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """An English-speaking desktop browser tab; fails the test on any console
    error (a CSP violation or a missing asset shows up there)."""
    context = browser.new_context(base_url=server, locale="en-US", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()
    assert not errors, errors


def search(page, query: str):
    page.goto("/")
    page.get_by_label("Search query").fill(query)
    page.keyboard.press("Enter")
    expect(page.locator(".count")).to_be_visible()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_search_finds_both_languages(page):
    search(page, "energy")
    expect(page.locator(".count")).to_contain_text("29 results")
    expect(page.locator(".hit")).to_have_count(10)
    expect(page.locator(".hit mark").first).to_be_visible()
    expect(page.locator(".facets")).to_contain_text("English")
    expect(page.locator(".facets")).to_contain_text("Russian")
    expect(page.locator(".translations")).to_contain_text("энергия")


def test_newest_first_mixes_the_languages(page):
    search(page, "energy security")
    page.get_by_label("Sort by").select_option("date")
    page.get_by_role("button", name="Search").click()
    dates = page.locator(".hit time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)
    assert set(page.locator(".hit .badge").all_inner_texts()) == {"EN", "RU"}
    screenshot(page, "results.png")
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "screenshot-results.png"), full_page=True)


def test_language_filter(page):
    search(page, "energy")
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"lang=ru"))
    badges = page.locator(".hit .badge")
    expect(badges).to_have_count(10)
    assert set(badges.all_inner_texts()) == {"RU"}


def test_pagination(page):
    search(page, "energy")
    pages = page.get_by_role("navigation", name="Result pages")
    pages.get_by_role("link", name="Next").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("2")
    pages.get_by_role("link", name="Page 3").click()
    expect(pages.locator('[aria-current="page"]')).to_have_text("3")
    expect(page.locator(".hit")).to_have_count(9)
    expect(pages.get_by_role("link", name="Next")).to_have_count(0)


def test_open_an_article(page):
    search(page, "energy")
    first = page.locator(".hit-link").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".article-body mark").first).to_be_visible()
    expect(page.locator(".related li").first).to_be_visible()
    page.get_by_role("link", name="Back to the results").click()
    expect(page.get_by_label("Search query")).to_have_value("energy")


def test_russian_interface(page):
    search(page, "energy")
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Найти")).to_be_visible()
    expect(page.locator(".count")).to_contain_text("29 результатов")
    page.get_by_role("link", name="О поиске").click()  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Об индексе")


def test_keyboard_reaches_the_search_box_and_a_result(page):
    page.goto("/?q=energy")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Search query")).to_be_focused()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hit-link')"):
            break
    link = page.locator(".hit-link").first
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/doc/"))


def test_phone_width_has_no_horizontal_scrolling(browser, server):
    context = browser.new_context(base_url=server, locale="en-US", viewport={"width": 375, "height": 812},
                                  is_mobile=True, has_touch=True)
    tab = context.new_page()
    for url in ("/?q=energy", "/doc/gen/ru_03.txt?q=energy", "/about"):
        tab.goto(url)
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    tab.goto("/?q=energy")
    screenshot(tab, "results-phone.png")
    context.close()


def test_timeline_bar_filters_by_its_period(page):
    search(page, "energy")
    timeline = page.get_by_role("group", name="Results over time")
    expect(timeline).to_be_visible()
    timeline.get_by_role("link", name="2021: 4 results").click()
    expect(page).to_have_url(re.compile(r"since=2021-01-01&until=2021-12-31"))
    dates = page.locator(".hit time").all_inner_texts()
    assert dates and all("2021" in d for d in dates)
    # A chosen year is drawn by month; a month's bar narrows to it.
    page.get_by_role("group", name="Results over time").get_by_role("link", name="2021-03: 2 results").click()
    expect(page).to_have_url(re.compile(r"since=2021-03-01&until=2021-03-31"))
    expect(page.locator(".count")).to_contain_text("2 results")
    screenshot(page, "timeline.png")


def test_results_page_links_to_its_feed(page):
    search(page, "energy")
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert href == "/feed?q=energy&translate=1"  # the form sends translate
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    assert "<feed" in response.text()
