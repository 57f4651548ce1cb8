"""Folium builders: classes, compact marker rows, escaping, offline assets and payload budgets.

The budgets are measured on the real embedded geography (geo/) in its heaviest configuration:
national map with every commune layer and NATIONAL_MARKERS_MAX sites; département map of the
département with the heaviest commune boundaries, with every town hall in and around it.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import io

import geopandas as gpd
import shapely
from PIL import Image

from explorer import access, geography, maps, offline_assets
from explorer.maps import raster
from explorer.territory import map_views, views

SITE = {"network": "france_services", "site_type": "France services", "code_insee": "01001",
        "commune": "X", "source": "ANCT, liste", "source_date": "2024-08-01"}


def sites_frame(rows):
    return pd.DataFrame([{**SITE, **row} for row in rows])


@pytest.mark.parametrize("values", [[0, 15, 15.01, 30, 44.9, 45, 60, 61, 1e6],
                                    list(np.linspace(-5, 200, 97))])
def test_classes_are_monotone_right_closed_and_cover_every_value(values):
    classes = maps.classify(values, (15, 30, 45, 60))
    assert (np.diff(classes) >= 0).all()
    assert set(classes) <= {0, 1, 2, 3, 4}
    for value, cls in zip(values, classes):
        low = (-np.inf, 15, 30, 45, 60)[cls]
        high = (15, 30, 45, 60, np.inf)[cls]
        assert low < value <= high


def test_missing_values_get_the_unknown_class():
    assert list(maps.classify([np.nan, None, 3, "x"], (15, 30))) == [-1, -1, 0, -1]
    classes = maps.time_classes()
    assert classes.label(-1) == "non estimé" and classes.colour(-1) == maps.UNKNOWN_COLOUR


def test_french_class_labels():
    assert maps.class_labels((15, 30, 45, 60), "min") == (
        "15 min ou moins", "plus de 15 à 30 min", "plus de 30 à 45 min", "plus de 45 à 60 min",
        "plus de 60 min")
    assert maps.class_labels((2.5,), "%") == ("2,5 % ou moins", "plus de 2,5 %")
    for classes in (maps.time_classes(), maps.share_classes(30), maps.operators_classes(),
                    maps.poor_coverage_classes("au plus 1 opérateur")):
        assert len(classes.labels) == len(classes.colours) == len(set(classes.colours))


def test_marker_rows_are_compact_and_share_the_source_text():
    frame = sites_frame([
        {"name": "A", "address": "1 rue", "lat": 46.123456789, "lon": 5.1, "opening_hours":
         "lun. 09:00-12:00, 13:30-17:00"},
        {"name": "B", "address": None, "lat": 45.0, "lon": 4.0, "opening_hours": ""},
        {"name": "C", "address": "", "lat": np.nan, "lon": 4.0, "opening_hours": ""},
    ])
    rows, sources = maps.marker_rows(frame)
    assert rows == [[46.12346, 5.1, "A", "1 rue", "lun. 9h-12h, 13h30-17h", 0],
                    [45.0, 4.0, "B", "", "", 0]]  # C has no coordinates
    assert sources == ["ANCT, liste (2024-08-01)"]


def test_imported_text_is_escaped_and_never_evaluated_as_a_template():
    hostile = "<img src=x onerror=alert(1)></script>{{ 7*7 }}{% if 1 %}x{% endif %}"
    m = maps.new_map()
    maps.add_sites(m, sites_frame([{"name": hostile, "address": hostile, "lat": 46.0,
                                    "lon": 5.0, "opening_hours": hostile}]), "france_services",
                   "France services")
    html = m.get_root().render()
    assert "<img src=x" not in html and "</script>{{" not in html
    # "{{" and "{%" reach the page as JSON escapes, so no Jinja pass can evaluate them
    assert "\\u007b{ 7*7 }}\\u007b% if 1 %}x\\u007b% endif %}" in html
    assert "{{ 7*7 }}" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # JSON-escaped, then esc() in JS
    assert "esc(row[2])" in html


def test_maps_fetch_nothing_from_the_network_without_a_background():
    m = maps.new_map("aucun")
    maps.add_sites(m, sites_frame([{"name": "A", "address": "", "lat": 46.0, "lon": 5.0,
                                    "opening_hours": ""}]), "mairie", "Mairies")
    html = m.get_root().render()
    assert offline_assets.external_urls(html) == []
    assert "https://" not in re.sub(r"data:[^\"']+", "", html).replace(
        "https://leafletjs.com", "")  # only Leaflet's licence comment remains
    assert "L.markerClusterGroup" in html and "jquery" not in html.lower()
    with_tiles = maps.new_map("osm").get_root().render()
    assert "tile.openstreetmap.org" in with_tiles and offline_assets.external_urls(with_tiles) == []


def test_offline_assets_are_the_packaged_leaflet():
    assert offline_assets.LEAFLET_VERSION == "1.9.3"  # the version folium 0.20 links
    (name, uri), = offline_assets.leaflet_js()
    assert name == "leaflet" and uri.startswith("data:text/javascript;base64,")
    css = offline_assets.leaflet_css()[0][1]
    assert css.startswith("data:text/css;base64,")
    import base64
    text = base64.b64decode(css.split(",", 1)[1]).decode()
    assert "url(images/" not in text and "data:image/png;base64," in text


def layer_names(html: str) -> list[str]:
    """Overlay names of the layer control, decoded from their JSON."""
    block = re.search(r"overlays :\s*\{(.*?)\}", html, re.S).group(1)
    return [json.loads(name) for name in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', block)]


def legend_sections(html: str) -> list[tuple[str | None, bool, str]]:
    """(layer name, shown at first, section HTML) of the legend."""
    return [tuple(s) for s in json.loads(re.search(r"var sections = (\[.*?\]);\n", html).group(1))]


def png_classes(png: bytes) -> set[int]:
    """Palette indices drawn in a class raster (0: transparent)."""
    return set(np.unique(np.asarray(Image.open(io.BytesIO(png))))) - {0}


def test_zone_raster_draws_each_zone_in_its_class_and_enclaves_on_top():
    outer = shapely.box(2.0, 45.0, 3.0, 46.0).difference(shapely.box(2.4, 45.4, 2.6, 45.6))
    enclave = shapely.box(2.4, 45.4, 2.6, 45.6)
    east = shapely.box(3.0, 45.0, 4.0, 46.0)
    zones = raster.zone_raster(gpd.GeoSeries([outer, enclave, east], crs=4326), width_px=200)
    (south, west), (north, east_lon) = zones.bounds
    assert west < 2.0 and east_lon > 4.0 and south < 45.0 and north > 46.0
    height, width = zones.zones.shape
    assert width == 200 and 90 < height < 160  # Mercator at 45°N: taller than equirectangular
    middle = height // 2
    assert zones.zones[middle, int(width * 0.12)] == 0   # west part of the outer zone
    assert zones.zones[middle, int(width * 0.25)] == 1   # the enclave, drawn over its ring
    assert zones.zones[middle, int(width * 0.75)] == 2
    assert zones.zones[0, 0] == -1                        # the margin: no zone
    png = raster.class_png(zones, np.array([1, -1, 0]), ["#ff0000", "#00ff00"])
    image = Image.open(io.BytesIO(png))
    pixels = np.asarray(image)
    assert pixels[middle, int(width * 0.12)] == 2  # class 1 → palette index 2
    assert pixels[middle, int(width * 0.25)] == 0  # -1: transparent
    assert pixels[middle, int(width * 0.75)] == 1
    assert image.info["transparency"] == 0
    with pytest.raises(ValueError):
        raster.zone_raster(gpd.GeoSeries([east], crs=2154))


@pytest.fixture(scope="module")
def communes():
    return geography.load_communes()


@pytest.fixture(scope="module")
def mairies():
    return geography.load_default_sites()


@pytest.fixture(scope="module")
def view(communes, mairies):
    # Nearest town hall from 0 to 40 km away: times in every class.
    rng = np.random.default_rng(42)
    shifted = communes.assign(lat=communes["lat"] + rng.uniform(0, 0.35, len(communes)))
    sparse = mairies.iloc[::20]
    times = access.travel_times(access.nearest_sites(shifted, sparse), communes)
    # a 4G estimate for every commune: the heaviest tooltips
    cover = pd.DataFrame({"code_insee": communes["code_insee"],
                          "n_operators": pd.array(rng.integers(0, 5, len(communes)),
                                                  dtype="Int64")})
    return views.commune_view(times, communes, cover, 1, 5)


@pytest.fixture(scope="module")
def metro_raster():
    geometries = geography.load_commune_geometries()
    metro = geometries[~geometries["departement"].str.startswith("97")].reset_index(drop=True)
    return raster.zone_raster(metro.geometry), list(metro["code_insee"])


def test_national_map_budget_layers_and_legend(view, mairies, metro_raster, record_property):
    zones, codes = metro_raster
    pngs = map_views.class_rasters(zones, codes, view)
    assert len(png_classes(pngs[map_views.TIME_LAYER])) >= 3  # the map is not one colour
    assert png_classes(pngs[map_views.DOUBLE_PEINE_LAYER]) == {1}
    heaviest = mairies.sort_values("opening_hours", key=lambda s: s.str.len(), ascending=False)
    layer = maps.SiteLayer("france_services", "France services",
                           heaviest.head(maps.NATIONAL_MARKERS_MAX), show=False)
    m = map_views.national_map(geography.load_departements(), views.departement_view(view, 5),
                               view, pngs, zones.bounds, 5, [layer])
    size = maps.html_size(m)
    record_property("national_map_bytes", size)
    print(f"national map: {size / 1e6:.2f} MB")
    assert size < maps.NATIONAL_MAP_BUDGET_BYTES
    html = m.get_root().render()
    assert layer_names(html) == [map_views.TIME_LAYER, map_views.COVERAGE_LAYER,
                                 "Population à plus de 5 min (part, départements)",
                                 map_views.DOUBLE_PEINE_LAYER, "Sites : France services"]
    shown = {name: on for name, on, _ in legend_sections(html)}
    assert shown == {map_views.TIME_LAYER: True, map_views.COVERAGE_LAYER: False,
                     "Population à plus de 5 min (part, départements)": False,
                     map_views.DOUBLE_PEINE_LAYER: True, "Sites : France services": False}
    assert 'map.on("overlayadd"' in html and "imperial: false" in html
    assert html.count("L.imageOverlay") == 3
    # every département carries its tooltip (name, people beyond the threshold)
    assert html.count('"type":"Feature"') == 101
    assert "Cantal (15) : " in html


def test_departement_map_budget(view, mairies, record_property):
    geometries = geography.load_commune_geometries()
    heaviest = geometries.geometry.apply(lambda g: len(g.wkb)).groupby(
        geometries["departement"]).sum().idxmax()
    assert heaviest == "62"
    dep_geoms = geometries[geometries["departement"] == heaviest]
    dep_view = view[view["departement"] == heaviest]
    layers = [maps.SiteLayer("france_services", "France services",
                             mairies.assign(network="france_services")),
              maps.SiteLayer("mairie", "Mairies", mairies, show=False)]
    m = map_views.departement_map(dep_geoms, dep_view, layers)
    size = maps.html_size(m)
    record_property("departement_map_bytes", size)
    print(f"département {heaviest} map: {size / 1e6:.2f} MB")
    assert size < maps.DEPARTEMENT_MAP_BUDGET_BYTES
    html = m.get_root().render()
    assert html.count('"type":"Feature"') == len(dep_geoms)  # one copy of the geometry
    assert layer_names(html) == [map_views.TIME_LAYER, map_views.COVERAGE_LAYER,
                                 map_views.DOUBLE_PEINE_LAYER, "Sites : France services",
                                 "Sites : Mairies"]
    shown = {name: on for name, on, _ in legend_sections(html)}
    assert shown["Sites : Mairies"] is False and shown["Sites : France services"] is True
    assert shown[map_views.COVERAGE_LAYER] is False
    assert "aucun opérateur" in dict((n, t) for n, _, t in legend_sections(html))[
        map_views.COVERAGE_LAYER]


def test_locator_focus_marks_the_commune_and_its_nearest_sites(view, mairies, communes):
    aurillac = communes[communes["code_insee"] == "15014"].iloc[0]
    nearest = access.nearest_by_network(aurillac["lat"], aurillac["lon"],
                                        {"mairie": access.SiteIndex(mairies)}, k=2)
    focus = map_views.Focus(aurillac["lat"], aurillac["lon"], "Aurillac", nearest)
    m = map_views.departement_map(geography.load_commune_geometries("15"),
                                  view[view["departement"] == "15"], [], focus=focus)
    html = m.get_root().render()
    assert html.count("L.polyline") == 2 and "focus-pin" in html
    assert "Mairie d&#x27;Aurillac" in html or "Mairie d'Aurillac" in html
