"""Maps in a real browser with the network closed: Debian's Chromium through Playwright.

Skipped when /usr/bin/chromium or the playwright package is absent (never `playwright
install`). Every request that does not go to the local server (or is a file:/data: URL) is
aborted, as on a machine without Internet access.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from explorer import geography, maps, settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]
SERVER_DEADLINE_S = 60

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("playwright") is None or not CHROMIUM.exists(),
    reason="browser check skipped: needs the playwright package and /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def offline_page(browser, local_prefix: str):
    """A page whose requests outside `local_prefix` (and data:/about:) are aborted and listed."""
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.blocked, page.errors = [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith((local_prefix, "data:", "about:", "blob:")):
            request_route.continue_()
        else:
            page.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def leaflet_frame(page, timeout_s: float = 30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.locator(".leaflet-container").count():
                    return frame
            except Exception:  # a frame detached while we looked
                continue
        page.wait_for_timeout(200)
    raise AssertionError("no Leaflet map drawn")


def test_standalone_map_draws_zones_and_markers_offline(browser, tmp_path):
    deps = geography.load_departements()
    zones = deps.assign(time_class=[i % 6 for i in range(len(deps))], time_text="texte")
    sites = pd.DataFrame({"name": ["Site A", "Site B", "Site <C>"], "address": ["", "", ""],
                          "lat": [48.85, 45.76, 43.30], "lon": [2.35, 4.83, 5.37],
                          "opening_hours": ["lun. 09:00-12:00", "", ""], "source": "essai",
                          "source_date": ""})
    m = maps.access_map(zones, time_legend=maps.share_classes(30), time_title="Zones",
                        site_layers=[maps.SiteLayer("france_services", "France services", sites)])
    path = tmp_path / "carte.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    context, page = offline_page(browser, "file:")
    try:
        page.goto(path.as_uri())
        frame = leaflet_frame(page)
        markers = frame.locator(".leaflet-marker-icon.site-marker")
        markers.first.wait_for()
        assert frame.locator("path.leaflet-interactive").count() == len(deps)
        assert markers.count() == 3  # far apart: no cluster
        frame.locator('.leaflet-marker-icon[title="Site <C>"]').click()  # title: plain text
        popup = frame.locator(".leaflet-popup-content")
        assert popup.inner_text().startswith("Site <C>")  # shown as text, not as a tag
        assert popup.locator("c").count() == 0
        assert "Zones" in frame.locator(".leaflet-control-layers").inner_text()
        assert page.blocked == [] and page.errors == []
    finally:
        context.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, db_path):
    """`streamlit run app.py` on a free loopback port, with the project data as it is (database
    built first by the `db_path` fixture)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=settings.ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_DEADLINE_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_st_folium_map_of_the_page_draws_offline(browser, app_url):
    """The page's st_folium iframe gets its height and Leaflet draws markers with no network.

    streamlit-folium sizes its iframe only after every linked script has loaded; with folium's
    CDN links and no network that never happens and the iframe stays 0 px high.
    """
    context, page = offline_page(browser, app_url)
    try:
        # The home page first: a deep link opened first after a server start runs without the
        # app's frame (Streamlit bug with a pages/ folder, see tests/e2e/test_pages.py).
        page.goto(app_url)
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
            timeout=60_000)
        page.goto(f"{app_url}/carte?dep=15")  # Cantal: its communes and town halls
        frame = leaflet_frame(page, timeout_s=90)
        frame.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
        heights = page.evaluate("() => Array.from(document.querySelectorAll('iframe'))"
                                ".map(f => Math.round(f.getBoundingClientRect().height))")
        assert maps.MAP_HEIGHT_PX in heights
        assert frame.locator(".leaflet-marker-icon").count() > 0  # clusters and single markers
        n_communes = len(geography.load_commune_geometries("15"))
        assert frame.locator("path.leaflet-interactive").count() == n_communes
        assert not [url for url in page.blocked if "fonts.gstatic.com" not in url]
        assert page.errors == []
    finally:
        context.close()
