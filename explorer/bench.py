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
# `explorer bench --quick` (the test suite's run): the home page and this small département only
# (Territoire de Belfort, 101 communes), to check that every stage runs, not to measure.
QUICK_DEPARTEMENT = "90"


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def database_build() -> float:
    from explorer import database

    with tempfile.TemporaryDirectory() as folder:
        return database.build(Path(folder) / "bench.duckdb")


def page_renders(quick: bool = False) -> list[tuple[str, float, float]]:
    """(page, cold seconds, warm seconds): cold after clearing every Streamlit cache; `quick`: the
    home page only."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from explorer import database, settings
    from explorer.navigation import all_pages

    database.ensure_built()
    rows = []
    for page in all_pages()[:1] if quick else all_pages():
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


def travel_time_recomputation(departement: str | None = None) -> tuple[float, float, int]:
    """(nearest-site search s, travel-time recomputation after a parameter change s, communes),
    town halls, for France or one département's communes."""
    from explorer import access, geography

    communes, sites = geography.load_communes(), geography.load_default_sites()
    if departement:
        communes = communes[communes["departement"] == departement]
    search, nearest = _timed(access.nearest_sites, communes, sites)
    changed = access.Parameters(detour_factor=1.4)
    recompute, _ = _timed(access.travel_times, nearest, communes, changed)
    return search, recompute, len(communes)


def locator_times(queries=("Aurillac", "st et", "15000", "75115", "1053", "Nulle-part")
                  ) -> dict[str, float]:
    """Seconds of `locator.resolve` per query on the embedded communes and aliases, names
    already normalised once (as in a running app)."""
    from explorer import geography, locator

    communes, aliases = geography.load_communes(), geography.load_commune_aliases()
    locator.resolve("x", communes, aliases)
    return {q: _timed(locator.resolve, q, communes, aliases)[0] for q in queries}


def map_sizes(departement: str = "62", threshold_min: int = 15, national: bool = True
              ) -> tuple[float, dict[str, tuple[int, float]]]:
    """(seconds to prepare the data, {map: (HTML bytes, build seconds)}): the national map
    (commune rasters, rasterised here from scratch; unless `national` is False) and one
    département's map (by default the large Pas-de-Calais: 887 communes), for the default
    network (embedded France services unless imported) with 4G and double peine."""
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

    def national_map():
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

    out = {}
    builds = [(f"nationale ({network})", national_map)] if national else []
    for name, build in (*builds, (f"département {departement} ({network})", local)):
        seconds, size = _timed(lambda: maps.html_size(build()))
        out[name] = (size, seconds)
    return prepared, out


def mediation_schema_validation(rows: int = 10_000) -> float:
    """Seconds to validate `rows` rows against the national médiation numérique schema (issue 10: < 2 s)."""
    from explorer import settings
    from explorer.importers import mediation_schema, table
    from explorer.importers.report import ImportReport

    text = (settings.ROOT / "tests" / "fixtures" / "mediation_numerique_fixture.csv").read_text(encoding="utf-8")
    header, *body = text.splitlines()
    frame, _ = table.read_csv_table("\n".join([header, *(body[i % len(body)] for i in range(rows))]),
                                    "bench.csv", "bench", ["id"])
    mediation_schema.schema()  # built once per process, as in the app
    seconds, _ = _timed(mediation_schema.check, frame, ImportReport("bench", "bench", "bench.csv"))
    return seconds


def beyond_times(departement: str = "48", threshold_min: int = 20) -> tuple[float, float, float]:
    """(what-if recomputation s: 5 openings and 10 closures, greedy planning of 5 sites s:
    national, one département) on the embedded France services (issue 12: what-if < 1 s)."""
    from explorer import access, geography, planning, scenarios, sites
    from explorer.territory import views

    communes = geography.load_communes()
    index = access.SiteIndex(sites.conform_sites(pd.read_parquet(
        sites.network_file("france_services"))))
    nearest = access.nearest_sites(communes, index)
    times = access.travel_times(nearest, communes)
    view = views.commune_view(times, communes, None, views.DEFAULT_POOR_MAX_OPERATORS,
                              threshold_min)
    scenario = scenarios.Scenario(("15014", "48095", "04070", "23096", "05061"),
                                  tuple(index.sites.index[::285]))
    what_if, _ = _timed(scenarios.simulate, scenario, nearest, view, communes, index, None,
                        views.DEFAULT_POOR_MAX_OPERATORS, threshold_min)

    def plan(departements):
        problem = planning.build_problem(times, communes, departements, threshold_min)
        return planning.greedy(problem, 5)

    national, _ = _timed(plan, communes["departement"].unique())
    local, _ = _timed(plan, [departement])
    return what_if, national, local


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(quick: bool = False) -> None:
    """Print the benchmark table; `quick`: the home page and QUICK_DEPARTEMENT only."""
    print(f"Construction de la base : {database_build():.2f} s")
    print(f"\n{'Page':45} {'à froid (s)':>12} {'à chaud (s)':>12}")
    for title, cold, warm in page_renders(quick):
        flag = "" if cold < COLD_TARGET_S and warm < WARM_TARGET_S else "  (au-delà de l'objectif)"
        print(f"{title:45} {cold:12.2f} {warm:12.2f}{flag}")
    search, recompute, communes = travel_time_recomputation(QUICK_DEPARTEMENT if quick else None)
    print(f"\nRecherche du site le plus proche ({communes} communes, mairies) : {search * 1000:.0f} ms")
    print(f"Recalcul des temps de trajet après un changement de paramètre : {recompute * 1000:.0f} ms")
    located = ", ".join(f"« {q} » {t * 1000:.0f}" for q, t in locator_times().items())
    print(f"Recherche d'une commune (ms) : {located}")
    prepared, sizes = map_sizes(QUICK_DEPARTEMENT, national=False) if quick else map_sizes()
    print(f"Préparation des données des cartes (temps, 4G, double peine) : {prepared:.2f} s")
    for name, (size, seconds) in sizes.items():
        print(f"Carte {name} : {size / 1e6:.2f} Mo de HTML, construite en {seconds:.2f} s")
    print("Simulation (5 ouvertures, 10 fermetures ; s) et 5 lieux proposés, France et 48 (s) : "
          + ", ".join(f"{t:.2f}" for t in beyond_times()))
    memory = peak_memory_mb()
    print(f"Validation de 10 000 lieux de médiation numérique (schéma national) : "
          f"{mediation_schema_validation():.2f} s (objectif < 2 s)")
    print(f"\nMémoire maximale : {memory:.0f} Mo (objectif < {MEMORY_TARGET_MB} Mo)")


if __name__ == "__main__":
    main()
