"""Helpers for the browser tests: prerequisites, waiting for a Streamlit run, screenshots, Leaflet maps.

Plain functions over Playwright `Page`/`Frame` objects; this module does not import Playwright, so
the test suite still collects (and skips) on a machine without it.
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from explorer.navigation import PageSpec, all_pages
from tests import prerequisites

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (.ci/run installs it); never `playwright install`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"  # git-ignored
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 60_000  # per Playwright wait: a cold first page load builds caches, on a busy 2-core machine
SERVER_START_DEADLINE_S = 60

# The default page (the registry's first: app.py passes default=True to it) is served at "/";
# its own address (/accueil) is a hidden page of app.py running the same file.
DEFAULT_PAGE = all_pages()[0]

# A page whose h1 is not its menu title (PageSpec.title); every other page's h1 is its title.
H1_BY_URL_PATH = {"accueil": "Explorateur du numérique inclusif"}


def served_path(spec: PageSpec) -> str:
    """The URL path that serves a registry page."""
    return "" if spec == DEFAULT_PAGE else spec.url_path


def missing_prerequisite() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return ("the Python package `playwright` is not installed (pip install playwright; "
                "browsers come from Debian, never from `playwright install`)")
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does it)"
    return None


# In CI the tests are not skipped: their `browser` or `app_url` fixture fails them with the reason.
requires_browser = pytest.mark.skipif(missing_prerequisite() is not None and not prerequisites.in_ci(),
                                      reason=f"browser tests skipped: {missing_prerequisite()}")


# --- Streamlit ------------------------------------------------------------------------------------

def app_idle(page: Page):
    """The app element once no script run is in progress."""
    return page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')


def open_app_page(page: Page, base_url: str, url_path: str, query: str = "") -> None:
    """Load one page and wait until its first script run has finished (or died with an exception box)."""
    page.goto(f"{base_url}/{url_path}{'?' + query if query else ''}")
    app_idle(page).wait_for()  # the state goes "initial", "running", then "notRunning"
    page.locator('[data-testid="stMain"] h1').or_(exception_boxes(page)).first.wait_for()
    wait_for_skeletons(page)


def wait_for_skeletons(page: Page) -> None:
    """Wait until no element is a loading placeholder.

    The run can be over while elements still show as grey `stSkeleton` boxes: Streamlit loads the
    code of each element type (charts, selectboxes...) on first use, after the run's messages.
    """
    page.locator('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]').first.wait_for(state="detached")


def wait_for_rerun(page: Page) -> None:
    """After an interaction whose visible result was awaited: wait for the run to end, nothing stale."""
    app_idle(page).wait_for()
    page.locator('[data-stale="true"]').first.wait_for(state="detached")
    wait_for_skeletons(page)


def exception_boxes(page: Page):
    return page.locator('[data-testid="stException"]')


def assert_no_exception(page: Page) -> None:
    boxes = exception_boxes(page)
    assert boxes.count() == 0, f"Streamlit exception on {page.url}:\n" + "\n---\n".join(boxes.all_inner_texts())


def assert_no_dialog(page: Page) -> None:
    """No modal (Streamlit's "Page not found" is one) covers the page."""
    dialogs = page.get_by_role("dialog")
    assert dialogs.count() == 0, f"dialog on {page.url}: {dialogs.all_inner_texts()}"


def sidebar_page_titles(page: Page) -> list[str]:
    """The page names of the sidebar menu (the icon's ligature text dropped)."""
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]


def h1_texts(page: Page) -> list[str]:
    return [text.strip() for text in page.locator('[data-testid="stMain"] h1').all_inner_texts()]


def wait_for_charts(page: Page) -> int:
    """Wait until every Altair/Vega chart on the page has drawn its marks; return their number."""
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks, canvas").first.wait_for()
    return charts.count()


def chart_labels(page: Page, caption: str) -> list[str]:
    """The text marks (value labels, not axes or legends) drawn in the chart of the tab whose
    caption contains `caption` (Vega draws SVG: a text mark is a `g.mark-text`)."""
    panel = page.get_by_role("tabpanel").filter(has=page.get_by_text(caption, exact=False))
    marks = panel.locator('[data-testid="stVegaLiteChart"] svg.marks')
    marks.wait_for()
    return marks.evaluate("svg => Array.from(svg.querySelectorAll('.mark-text.role-mark text'), t => t.textContent)")


def keyed(page: Page, key: str):
    """The element of a Streamlit widget created with key=... (Streamlit adds the class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def choose_option(page: Page, label: str, option_text: str, key: str | None = None) -> None:
    """Pick an option of a (searchable) Streamlit selectbox by typing part of its text.

    `key` (the widget's key=...) picks one of several selectboxes sharing a label.
    """
    scope = keyed(page, key) if key else page
    box = scope.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option_text)
    page.get_by_role("option", name=re.compile(re.escape(option_text))).first.click()


def query_string(page: Page) -> str:
    return page.evaluate("() => window.location.search")


def wait_for_query_param(page: Page, name: str, value: str) -> None:
    """Wait until the URL's query string has name=value (Streamlit writes it with history.replaceState)."""
    page.wait_for_function("([n, v]) => new URLSearchParams(window.location.search).get(n) === v",
                           arg=[name, value])


def save_screenshot(page: Page, name: str) -> Path:
    """A screenshot of the whole page body under tests/e2e/screenshots/<name>.png.

    Streamlit scrolls inside its main block, not the document, so `full_page=True` alone would cut
    the page at the viewport: the viewport is stretched to the main block's height for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size or VIEWPORT
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 10_000)})
    try:
        wait_for_charts(page)  # charts redraw at the new size
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


# --- Maps (folium documents in iframes) -------------------------------------------------------------

def find_leaflet_frame(page: Page, timeout_ms: int = TIMEOUT_MS) -> Frame:
    """The first frame (iframe, at any depth) holding a drawn Leaflet map.

    The page shows each map document in an iframe (ui.map_frame); a component may nest it in an
    iframe of its own. Both are found: every frame of the page is searched.
    """
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        for frame in page.frames:
            if frame is page.main_frame:
                continue
            try:
                if frame.locator(".leaflet-container").count():
                    return frame
            except PlaywrightError:  # a frame detached while we looked: look again
                continue
        if time.monotonic() > deadline:
            raise AssertionError(f"no iframe with a Leaflet map (.leaflet-container) on {page.url}")
        page.wait_for_timeout(200)


def count_leaflet_markers(frame: Frame) -> dict[str, int]:
    """Markers and clusters drawn in a Leaflet map frame.

    Leaflet.markercluster icons also carry `.leaflet-marker-icon`, so single markers are counted as
    `.leaflet-marker-icon:not(.marker-cluster)` and clusters as `.marker-cluster`.
    """
    return {
        "markers": frame.locator(".leaflet-marker-icon:not(.marker-cluster)").count(),
        "clusters": frame.locator(".marker-cluster").count(),
    }


def wait_for_leaflet_markers(frame: Frame, timeout_ms: int = TIMEOUT_MS,
                            settle_ms: int = 500) -> dict[str, int]:
    """Markers and clusters once some are drawn and their counts hold still for `settle_ms`.

    Leaflet.markercluster animates: right after the map appears, the clusters of two zoom levels can
    be in the page together, so a single early count is wrong.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    previous = None
    while True:
        counts = count_leaflet_markers(frame)
        if counts == previous and sum(counts.values()):
            return counts
        if time.monotonic() > deadline:
            raise AssertionError(f"Leaflet markers not drawn or not settled: last counts {counts}")
        previous = counts
        frame.page.wait_for_timeout(settle_ms)


def cluster_marker_total(frame: Frame) -> int:
    """Points inside the clusters, read from the cluster labels, plus single markers.

    A label's digits are its count: the access map labels a cluster « M 478 » (network initial, count).
    """
    labels = frame.locator(".marker-cluster").all_inner_texts()
    return sum(int(re.sub(r"\D", "", text) or 0) for text in labels) + count_leaflet_markers(frame)["markers"]
