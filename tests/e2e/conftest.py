"""One Streamlit server, one Chromium and one browser context for all of tests/e2e; a fresh tab per test.

Package scope, not session scope: Playwright's sync API runs one instance per thread, so ours is
stopped when the last test of tests/e2e is done and other browser tests (tests/test_map_browser.py)
can start their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer import serve
from explorer.navigation import all_pages
from tests import prerequisites
from tests.e2e import helpers


@pytest.fixture(scope="package")
def app_url(db_path, tmp_path_factory):
    """Base URL of `explorer serve` on a free loopback port (the database is built first)."""
    reason = helpers.missing_prerequisite()
    if reason:
        prerequisites.missing(f"browser tests: {reason}")
    # Full mode, whatever the caller's environment: every page of all_pages() is in the menu.
    env = {name: value for name, value in os.environ.items() if name != "EXPLORER_PUBLIC"}
    try:
        with serve.background(env, tmp_path_factory.mktemp("streamlit") / "server.log") as (url, _):
            yield url
    except serve.ServerFailed as failed:
        pytest.fail(str(failed), pytrace=False)


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, headless, launched through Playwright (never a downloaded browser)."""
    reason = helpers.missing_prerequisite()
    if reason:
        prerequisites.missing(f"browser tests: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(helpers.CHROMIUM), headless=True,
                                              args=helpers.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def browser_context(browser):
    """One context for all the tests, so its HTTP cache keeps Streamlit's scripts from page to page."""
    context = browser.new_context(viewport=helpers.VIEWPORT, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(helpers.TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture(scope="package")
def first_visit(browser_context, app_url):
    """What the very first visitor of the fresh server saw on a deep link; then "/" is opened once.

    Until some session has run app.py's st.navigation, Streamlit 1.67 treats an app with a pages/
    folder as an old-style multipage app (PagesManager.uses_pages_directory): a deep link whose
    path is a file name of pages/ (/mediation) runs that file alone, outside app.py's frame; any
    other deep link shows a "Page not found" dialog. The worst case is visited: a page whose
    url_path is its file name, if any. Opening "/" then switches the server to app.py's
    navigation for every later session and test.
    """
    deep_links = [spec for spec in all_pages() if helpers.served_path(spec)]
    deep = next((spec for spec in deep_links if Path(spec.path).stem == spec.url_path), deep_links[0])
    seen = {}
    for name, url_path in (("deep_link", deep.url_path), ("root", "")):
        page = browser_context.new_page()  # a tab is a Streamlit session of its own
        try:
            helpers.open_app_page(page, app_url, url_path)
            seen[name] = {"spec": deep, "sidebar": helpers.sidebar_page_titles(page),
                          "h1": helpers.h1_texts(page), "dialogs": page.get_by_role("dialog").all_inner_texts()}
        finally:
            page.close()
    return seen["deep_link"]


@pytest.fixture
def browser_page(browser_context, app_url, first_visit):
    """A fresh tab: its own websocket, so its own Streamlit session and widget state.

    Fails the test on an uncaught JavaScript error.
    """
    page = browser_context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    yield page
    page.close()
    assert not page_errors, f"uncaught JavaScript errors: {page_errors}"
