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


def map_sizes(departement: str = "62") -> dict[str, int]:
    """HTML bytes of the national map and of one large département's map (Pas-de-Calais: 887
    communes), with the embedded town halls and, when imported, every other network."""
    from explorer import access, geography, maps, sites, territory

    communes = geography.load_communes()
    networks = {"mairie": geography.load_default_sites()}
    for network in territory.imported_networks(sites.imported_files()):
        networks[network] = sites.load_sites(network)
    shown = next(n for n in reversed(networks))  # an imported network when there is one
    times = access.travel_times(access.nearest_sites(communes, networks[shown]), communes)
    view = territory.commune_view(times, communes)
    dep_view = territory.departement_view(access.population_within(times), 30, view)
    national, _ = territory.national_map(geography.load_departements(), dep_view, 30, networks)
    local = territory.departement_map(geography.load_commune_geometries(departement),
                                      view[view["departement"] == departement], networks)
    return {f"nationale ({', '.join(networks)})": maps.html_size(national),
            f"département {departement} ({', '.join(networks)})": maps.html_size(local)}


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


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    print(f"Construction de la base : {database_build():.2f} s")
    print(f"\n{'Page':45} {'à froid (s)':>12} {'à chaud (s)':>12}")
    for title, cold, warm in page_renders():
        flag = "" if cold < COLD_TARGET_S and warm < WARM_TARGET_S else "  (au-delà de l'objectif)"
        print(f"{title:45} {cold:12.2f} {warm:12.2f}{flag}")
    search, recompute = travel_time_recomputation()
    print(f"\nRecherche du site le plus proche (34 875 communes, mairies) : {search * 1000:.0f} ms")
    print(f"Recalcul des temps de trajet après un changement de paramètre : {recompute * 1000:.0f} ms")
    for name, size in map_sizes().items():
        print(f"Carte {name} : {size / 1e6:.2f} Mo de HTML")
    memory = peak_memory_mb()
    print(f"Validation de 10 000 lieux de médiation numérique (schéma national) : "
          f"{mediation_schema_validation():.2f} s (objectif < 2 s)")
    print(f"\nMémoire maximale : {memory:.0f} Mo (objectif < {MEMORY_TARGET_MB} Mo)")


if __name__ == "__main__":
    main()
