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


def map_sizes(departement: str = "62", national: bool = True) -> dict[str, int]:
    """HTML bytes of the national map (unless `national` is False) and of one département's map
    (by default the large Pas-de-Calais: 887 communes), with the embedded town halls and, when
    imported, every other network."""
    from explorer import access, geography, maps, sites, territory

    communes = geography.load_communes()
    if not national:
        communes = communes[communes["departement"] == departement]
    networks = {"mairie": geography.load_default_sites()}
    for network in territory.imported_networks(sites.imported_files()):
        networks[network] = sites.load_sites(network)
    shown = next(n for n in reversed(networks))  # an imported network when there is one
    times = access.travel_times(access.nearest_sites(communes, networks[shown]), communes)
    view = territory.commune_view(times, communes)
    local = territory.departement_map(geography.load_commune_geometries(departement),
                                      view[view["departement"] == departement], networks)
    sizes = {f"département {departement} ({', '.join(networks)})": maps.html_size(local)}
    if national:
        dep_view = territory.departement_view(access.population_within(times), 30, view)
        national_map, _ = territory.national_map(geography.load_departements(), dep_view, 30, networks)
        sizes = {f"nationale ({', '.join(networks)})": maps.html_size(national_map), **sizes}
    return sizes


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
    sizes = map_sizes(QUICK_DEPARTEMENT, national=False) if quick else map_sizes()
    for name, size in sizes.items():
        print(f"Carte {name} : {size / 1e6:.2f} Mo de HTML")
    memory = peak_memory_mb()
    print(f"\nMémoire maximale : {memory:.0f} Mo (objectif < {MEMORY_TARGET_MB} Mo)")


if __name__ == "__main__":
    main()
