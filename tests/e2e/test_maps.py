"""Leaflet maps in Chromium with the network closed: a standalone map, the page's map,
and the iframe helpers of tests/e2e/helpers.py (checked on a static page).

Every request that does not go to the local server (or is a file:/data: URL) is aborted, as on a
machine without Internet access (a workshop offline, CI).
"""

import time
from html import escape

import pandas as pd

from explorer import geography, maps
from tests.e2e import helpers

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # collected, then skipped, without Playwright
    PlaywrightError = Exception

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
    m = maps.new_map()
    maps.add_zones(m, zones, [maps.ZoneLayerSpec("time_class", "time_text", maps.share_classes(30),
                                                 "Zones")])
    sections = maps.add_site_layers(m, [maps.SiteLayer("france_services", "France services", sites)])
    maps.finish(m, [maps.LegendSection("Zones", True, maps.share_classes(30)), *sections])
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


def test_map_of_the_page_draws_offline(browser, app_url):
    """The page's map iframe (ui.map_frame) has its height and a name for screen readers, and
    Leaflet draws markers with no network (folium's CDN links are replaced by inline files).
    The map document reaches the browser compressed (websocket permessage-deflate)."""
    context, page = offline_page(browser, app_url)
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        extensions = []
        cdp.on("Network.webSocketHandshakeResponseReceived", lambda event: extensions.extend(
            value for name, value in event["response"]["headers"].items()
            if name.lower() == "sec-websocket-extensions"))
        page.goto(f"{app_url}/carte?vue=15&reseau=mairie")  # Cantal: communes and town halls
        frame = helpers.find_leaflet_frame(page, timeout_ms=90_000)
        frame.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
        heights = page.evaluate("() => Array.from(document.querySelectorAll('iframe'))"
                                ".map(f => Math.round(f.getBoundingClientRect().height))")
        assert maps.MAP_HEIGHT_PX in heights
        assert page.locator("iframe[title^=\"Carte de l'accès : Cantal\"]").count() == 1
        counts = helpers.wait_for_leaflet_markers(frame)
        assert counts["markers"] + counts["clusters"] > 0
        # a site's symbol centred in its disc (Leaflet's CSS put it in the top-left corner)
        assert frame.locator(".leaflet-marker-icon.site-marker").first.evaluate(
            "e => getComputedStyle(e).display") == "flex"
        assert helpers.cluster_marker_total(frame) + counts["markers"] > 0
        # Keyboard order (all at tabindex 0, hence document order): zoom, layer control, then markers.
        stops = frame.evaluate("""() => Array.from(document.querySelectorAll('a[href], input, [tabindex]'))
            .filter(e => e.tabIndex >= 0).map(e => e.closest('.leaflet-control-zoom') ? 'zoom'
              : e.closest('.leaflet-control-layers') ? 'layers' : e.closest('.leaflet-marker-icon') ? 'marker' : '')
            .filter(Boolean)""")
        assert stops.index("zoom") < stops.index("layers") < stops.index("marker")
        assert "layers" not in stops[stops.index("marker"):]
        n_communes = len(geography.load_commune_geometries("15"))
        # time classes, plus the double-peine communes drawn over them
        assert frame.locator("path.leaflet-interactive").count() >= n_communes
        assert page.blocked == []  # nothing from the Internet, the tab's icon included
        assert page.errors == []
        assert any("permessage-deflate" in value for value in extensions), extensions
    finally:
        context.close()


# Distinct opaque colours of the visible commune raster (data: URI, so the canvas is not tainted).
RASTER_COLOURS_JS = """() => {
  const image = document.querySelector("img.class-raster");
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0) { seen.add(data[i] + "," + data[i + 1] + "," + data[i + 2]); }
  }
  return Array.from(seen);
}"""


def test_national_map_shows_commune_classes_and_an_overseas_view_opens(browser, app_url):
    """Default settings, embedded data only: the national map has at least three colour
    classes of communes and a legend for the layers that are on; « La Réunion » opens its map."""
    context, page = offline_page(browser, app_url)
    try:
        page.goto(f"{app_url}/carte")
        frame = helpers.find_leaflet_frame(page, timeout_ms=120_000)
        frame.locator("img.class-raster").first.wait_for(timeout=60_000)
        frame.wait_for_function("() => document.querySelector('img.class-raster').complete")
        colours = frame.evaluate(RASTER_COLOURS_JS)
        assert len(colours) >= 3, colours
        legend = frame.locator(".map-legend").inner_text()
        assert "Temps estimé jusqu'au site le plus proche" in legend
        assert "« Double peine » (estimation)" in legend
        assert "Couverture 4G estimée" not in legend  # its layer is off
        assert frame.locator(".leaflet-control-scale-line").inner_text().endswith(("km", "m"))
        helpers.save_screenshot(page, "carte_nationale")
        # The France services layer is off, its markers not built until it is ticked.
        built = ("() => Object.keys(window).filter(k => k.startsWith('site_cluster_'))"
                 ".map(k => window[k].getLayers().length)")
        assert frame.evaluate(built) == [0]
        assert helpers.count_leaflet_markers(frame) == {"markers": 0, "clusters": 0}
        frame.evaluate("""() => Array.from(document.querySelectorAll(
            '.leaflet-control-layers-overlays label')).find(l => l.textContent.includes(
            'France services')).querySelector('input').click()""")
        helpers.wait_for_leaflet_markers(frame)
        assert helpers.cluster_marker_total(frame) > 2500  # of 2,845 sites: overseas ones are out of view
        assert frame.evaluate(built) == [2845]
        page.get_by_role("button", name="La Réunion").click()
        helpers.wait_for_query_param(page, "vue", "974")
        n_communes = len(geography.load_commune_geometries("974"))
        drawn = (f"() => !document.querySelector('img.class-raster') && "
                 f"document.querySelectorAll('path.leaflet-interactive').length >= {n_communes}")
        deadline = time.monotonic() + 90
        while True:  # the component redraws its iframe: look the map up again until it is there
            try:
                if helpers.find_leaflet_frame(page, timeout_ms=10_000).evaluate(drawn):
                    break
            except PlaywrightError:
                pass
            assert time.monotonic() < deadline, "the map of La Réunion was not drawn"
            page.wait_for_timeout(500)
        assert "La Réunion (974)" in page.locator('[data-testid="stAlert"]').first.inner_text()
        helpers.save_screenshot(page, "carte_la_reunion")
        assert page.errors == []
    finally:
        context.close()


def test_the_scenario_map_frame_has_a_french_name(browser, app_url):
    """The what-if map (streamlit-folium's component) is announced by its French title, not by
    the component's module path."""
    context, page = offline_page(browser, app_url)
    try:
        page.goto(f"{app_url}/carte?vue=15&scenario=%2B15014")  # opens « Et si… ? »
        named = page.locator('iframe[title^="Carte du scénario (simulation) : Cantal (15)"]')
        named.wait_for(timeout=120_000)
        assert named.count() == 1
        assert page.locator('iframe[title="streamlit_folium.st_folium"]').count() == 0
        assert page.errors == []
    finally:
        context.close()
