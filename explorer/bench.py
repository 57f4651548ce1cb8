"""Benchmark (`explorer bench`): build time, page render times, travel-time recomputation, map
sizes and peak memory. Not part of the test run: timings vary with the machine.

Targets (issue 4, 2-core machine): every page < 1.5 s cold and < 0.3 s warm (server-side render),
peak memory < 600 MB.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

COLD_TARGET_S, WARM_TARGET_S, MEMORY_TARGET_MB = 1.5, 0.3, 600


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def database_build() -> float:
    from explorer import database

    with tempfile.TemporaryDirectory() as folder:
        return database.build(Path(folder) / "bench.duckdb")


def page_renders() -> list[tuple[str, float, float]]:
    """(page, cold seconds, warm seconds): cold after clearing every Streamlit cache."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from explorer import database, settings
    from explorer.navigation import all_pages

    database.ensure_built()
    rows = []
    for page in all_pages():
        at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120)
        at.run()
        st.cache_data.clear()
        st.cache_resource.clear()
        at.switch_page(page.path)
        cold, _ = _timed(at.run)
        warm, _ = _timed(at.run)
        if at.exception:
            raise RuntimeError(f"{page.path}: {at.exception[0].message}")
        rows.append((page.title, cold, warm))
    return rows


def travel_time_recomputation() -> tuple[float, float]:
    """(nearest-site search s, travel-time recomputation after a parameter change s), town halls."""
    from explorer import access, geography

    communes, sites = geography.load_communes(), geography.load_default_sites()
    search, nearest = _timed(access.nearest_sites, communes, sites)
    changed = access.Parameters(detour_factor=1.4)
    recompute, _ = _timed(access.travel_times, nearest, communes, changed)
    return search, recompute


def map_sizes(departement: str = "62", threshold_min: int = 15) -> dict[str, tuple[int, float]]:
    """(HTML bytes, build seconds) of the national map (commune rasters, rasterised here from
    scratch) and of one large département's map (Pas-de-Calais: 887 communes), for the
    default network (embedded France services unless imported) with 4G and double peine."""
    from explorer import access, coverage, geography, maps, sites
    from explorer.maps import raster
    from explorer.territory import map_views, networks, views

    started = time.perf_counter()
    communes = geography.load_communes()
    network = networks.default_network(sites.available_networks())
    network_sites = pd.read_parquet(sites.network_file(network))
    times = access.travel_times(access.nearest_sites(communes, network_sites), communes)
    mobile = sites.mobile_file()
    cover = None if mobile is None else coverage.estimate_coverage(
        coverage.nearest_operator_sites(communes, pd.read_parquet(mobile)), communes)
    view = views.commune_view(times, communes, cover, views.DEFAULT_POOR_MAX_OPERATORS,
                              threshold_min)
    layer = maps.SiteLayer(network, networks.network_label(network), network_sites)
    prepared = time.perf_counter() - started

    def national():
        geometries = geography.load_commune_geometries()
        metro = geometries[~geometries["departement"].str.startswith("97")]
        zones = raster.zone_raster(metro.geometry.reset_index(drop=True))
        pngs = map_views.class_rasters(zones, list(metro["code_insee"]), view)
        return map_views.national_map(geography.load_departements(),
                                      views.departement_view(view, threshold_min), view, pngs,
                                      zones.bounds, threshold_min, [layer])

    def local():
        return map_views.departement_map(geography.load_commune_geometries(departement),
                                         view[view["departement"] == departement], [layer])

    out = {"données et temps (préparation)": (0, prepared)}
    for name, build in ((f"nationale ({network})", national),
                        (f"département {departement} ({network})", local)):
        seconds, m = _timed(lambda: maps.html_size(build()))
        out[name] = (m, seconds)
    return out


