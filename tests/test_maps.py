"""Folium builders: classes, compact marker rows, escaping, offline assets and payload budgets.

The budgets are measured on the real embedded geography (geo/) in its heaviest configuration:
national map with both zone layers and NATIONAL_MARKERS_MAX sites; département map of the
département with the heaviest commune boundaries, with every town hall in and around it.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from explorer import access, geography, maps, offline_assets, territory

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


def legend_text(html: str) -> str:
    return json.loads(re.search(r"div\.innerHTML = (\".*?\");", html).group(1))


@pytest.fixture(scope="module")
def communes():
    return geography.load_communes()


@pytest.fixture(scope="module")
def mairies():
    return geography.load_default_sites()


@pytest.fixture(scope="module")
def view(communes, mairies):
    # Nearest town hall from 3 km away: non-zero times in every class.
    shifted = communes.assign(lat=communes["lat"] + 0.03)
    times = access.travel_times(access.nearest_sites(shifted, mairies), communes)
    view = territory.commune_view(times, communes)
    rng = np.random.default_rng(42)  # a 4G estimate for every commune: the heaviest tooltips
    view["n_operators"] = pd.array(rng.integers(0, 5, len(view)), dtype="Int64")
    view["poor_coverage"] = pd.array(view["n_operators"] <= 1, dtype="boolean")
    return view, access.population_within(times)


def test_national_map_budget(view, mairies, record_property):
    commune_view, within = view
    deps = geography.load_departements()
    dep_view = territory.departement_view(within, 30, commune_view)
    heaviest = mairies.sort_values("opening_hours", key=lambda s: s.str.len(), ascending=False)
    network_sites = {"mairie": mairies,  # too many: left out nationally
                     "france_services": heaviest.head(maps.NATIONAL_MARKERS_MAX)}
    m, skipped = territory.national_map(deps, dep_view, 30, network_sites,
                                        poor_label="au plus 1 opérateur")
    assert skipped == ["mairie"]
    size = maps.html_size(m)
    record_property("national_map_bytes", size)
    print(f"national map: {size / 1e6:.2f} MB")
    assert size < maps.NATIONAL_MAP_BUDGET_BYTES
    html = m.get_root().render()
    assert "Part de la population à 30 min ou moins" in legend_text(html)
    assert layer_names(html) == ["Part de la population à 30 min ou moins (départements)",
                                 "Couverture 4G faible (départements)", "Sites : France services"]


def test_departement_map_budget(view, mairies, record_property):
    commune_view, _ = view
    geometries = geography.load_commune_geometries()
    heaviest = geometries.geometry.apply(lambda g: len(g.wkb)).groupby(
        geometries["departement"]).sum().idxmax()
    assert heaviest == "62"
    dep_geoms = geometries[geometries["departement"] == heaviest]
    dep_view = commune_view[commune_view["departement"] == heaviest]
    network_sites = {"mairie": mairies, "france_services": mairies.assign(network="france_services")}
    m = territory.departement_map(dep_geoms, dep_view, network_sites)
    size = maps.html_size(m)
    record_property("departement_map_bytes", size)
    print(f"département {heaviest} map: {size / 1e6:.2f} MB")
    assert size < maps.DEPARTEMENT_MAP_BUDGET_BYTES
    html = m.get_root().render()
    assert html.count('"type":"Feature"') == len(dep_geoms)  # one copy of the geometry
    assert layer_names(html) == ["Temps estimé jusqu'au site le plus proche (communes)",
                                 "Couverture 4G estimée (communes)", "Sites : Mairies",
                                 "Sites : France services"]
    assert "Mairies" in legend_text(html) and "aucun opérateur" in legend_text(html)
