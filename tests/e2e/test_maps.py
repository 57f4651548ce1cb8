"""Leaflet maps in Chromium with the network closed: a standalone map, the page's st_folium map,
and the iframe helpers of tests/e2e/helpers.py (checked on a static page).

Every request that does not go to the local server (or is a file:/data: URL) is aborted, as on a
machine without Internet access (a workshop offline, CI).
"""

from html import escape

import pandas as pd

from explorer import geography, maps
from tests.e2e import helpers

pytestmark = helpers.requires_browser

# A Streamlit-like page: a component iframe whose document nests the map in a second iframe.
MAP_DOCUMENT = """<div class="leaflet-container">
  <div class="leaflet-marker-icon"></div><div class="leaflet-marker-icon"></div>
  <div class="leaflet-marker-icon marker-cluster marker-cluster-small"><div><span>M</span> <span>12</span></div></div>
</div>"""
OUTER_DOCUMENT = f'<p>composant</p><iframe srcdoc="{escape(MAP_DOCUMENT)}"></iframe>'
PAGE = f'<h1>Carte</h1><iframe title="streamlit_folium.st_folium" srcdoc="{escape(OUTER_DOCUMENT)}"></iframe>'


def test_leaflet_helpers_find_a_nested_map_and_count_markers_and_clusters(browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(PAGE)
        frame = helpers.find_leaflet_frame(page, timeout_ms=5_000)
        assert helpers.count_leaflet_markers(frame) == {"markers": 2, "clusters": 1}
        assert helpers.wait_for_leaflet_markers(frame, settle_ms=100) == {"markers": 2, "clusters": 1}
        assert helpers.cluster_marker_total(frame) == 14
    finally:
        context.close()


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
        frame = page.main_frame  # a saved map is a page of its own, not an iframe
        frame.locator(".leaflet-container").wait_for()
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


def test_st_folium_map_of_the_page_draws_offline(browser, app_url):
    """The page's st_folium iframe gets its height and Leaflet draws markers with no network.

    streamlit-folium sizes its iframe only after every linked script has loaded; with folium's
    CDN links and no network that never happens and the iframe stays 0 px high.
    """
    context, page = offline_page(browser, app_url)
    try:
        page.goto(f"{app_url}/carte?dep=15")  # Cantal: its communes and town halls
        frame = helpers.find_leaflet_frame(page, timeout_ms=90_000)
        frame.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
        heights = page.evaluate("() => Array.from(document.querySelectorAll('iframe'))"
                                ".map(f => Math.round(f.getBoundingClientRect().height))")
        assert maps.MAP_HEIGHT_PX in heights
        counts = helpers.wait_for_leaflet_markers(frame)
        assert counts["markers"] + counts["clusters"] > 0
        assert helpers.cluster_marker_total(frame) + counts["markers"] > 0
        n_communes = len(geography.load_commune_geometries("15"))
        assert frame.locator("path.leaflet-interactive").count() == n_communes
        assert not [url for url in page.blocked if "fonts.gstatic.com" not in url]
        assert page.errors == []
    finally:
        context.close()
