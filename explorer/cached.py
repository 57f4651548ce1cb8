"""The only Streamlit cache wrappers: one read-only connection per process, cached results."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from explorer import database, queries, settings

# Public demo: every cache is bounded (issue 4).
MAX_ENTRIES = 64 if settings.is_public() else 256


def sources_fingerprint() -> str:
    """The sources' fingerprint, memoised briefly (database.current_fingerprint)."""
    return database.current_fingerprint()


def database_path() -> Path:
    """The database file, rebuilt first when its sources changed (an import, an edited CSV)."""
    return _built(sources_fingerprint())


@st.cache_resource(max_entries=1, show_spinner="Préparation de la base de données…")
def _built(fingerprint: str) -> Path:
    return database.ensure_built()


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only connection of the app's own queries, reopened after a rebuild."""
    return _connection(sources_fingerprint())


@st.cache_resource(max_entries=1, on_release=lambda con: con.close())
def _connection(fingerprint: str) -> duckdb.DuckDBPyConnection:
    return database.open_readonly(database_path())


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _run(name: str, sql: str, params: tuple, fingerprint: str) -> pd.DataFrame:
    # The text and the sources' fingerprint are in the key: editing a .sql file or importing
    # data invalidates cached results (STYLE §2.3).
    return queries.run(connection(), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result (cached on its text, parameters and sources); do not mutate it."""
    return _run(name, queries.load(name).sql, tuple(sorted(params.items())), sources_fingerprint())


def chart(builder, frame: pd.DataFrame, *args) -> dict:
    """The Vega-Lite spec of `builder(frame, *args)` (a charts.* function), built once per data
    and options: building Altair objects is most of a chart-heavy page's rerun time."""
    return _chart(f"{builder.__module__}.{builder.__qualname__}", frame, args, _builder=builder)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _chart(name: str, frame: pd.DataFrame, args: tuple, _builder) -> dict:
    # Validated against the Vega-Lite schema by tests/test_charts.py, not on every build.
    return _builder(frame, *args).to_dict(validate=False)


def catalog() -> pd.DataFrame:
    """The catalog table, from the database."""
    return query("catalog_datasets")


def dataset(dataset_id: str) -> pd.DataFrame:
    """One report dataset's table; `dataset_id` must be in the catalog (allow-list)."""
    return _dataset(dataset_id, sources_fingerprint())


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _dataset(dataset_id: str, fingerprint: str) -> pd.DataFrame:
    if dataset_id not in set(catalog()["dataset_id"]):
        raise KeyError(dataset_id)
    cursor = connection().cursor()
    try:
        return cursor.table(dataset_id).df()
    finally:
        cursor.close()


# ---------------------------------------------------------------- territorial access (geo/, imports)
# Keyed on the fingerprint of the files each result is computed from (database.fingerprint of
# that file list), so an import refreshes only what depends on it: importing ARCEP sites does
# not redo the France services nearest-site search. The heavy steps (k-d tree, nearest site of
# 35,000 communes) run once per network and file version; travel times are recomputed per run
# from the cached nearest table (about 25 ms), so a travel-time parameter never redoes them.

GEO_CACHE_ENTRIES = 8 if settings.is_public() else 32


def _files_fingerprint(*paths: Path) -> str:
    return database.fingerprint([p for p in paths if p.exists()])


def _communes_file() -> Path:
    return settings.GEO_DIR / "communes.parquet"


def _sites_file(network: str) -> Path:
    from explorer import sites

    return settings.GEO_DIR / "sites_mairie.parquet" if network == "mairie" \
        else sites.sites_path(network)


def communes() -> pd.DataFrame:
    """Communes (no geometry): code, name, département, population, point, density class."""
    return _communes(_files_fingerprint(_communes_file()))


@st.cache_data(max_entries=2, show_spinner=False)
def _communes(fingerprint: str) -> pd.DataFrame:
    from explorer import geography

    return geography.load_communes()


def departements():
    """Départements with simplified boundaries (GeoDataFrame)."""
    return _departements(_files_fingerprint(settings.GEO_DIR / "departements.geojson"))


@st.cache_data(max_entries=2, show_spinner=False)
def _departements(fingerprint: str):
    from explorer import geography

    return geography.load_departements()


def commune_geometries(departement: str):
    """Simplified commune boundaries of one département (GeoDataFrame)."""
    return _commune_geometries(departement, _files_fingerprint(
        settings.GEO_DIR / "communes_geometry.parquet"))


@st.cache_data(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _commune_geometries(departement: str, fingerprint: str):
    from explorer import geography

    return geography.load_commune_geometries(departement)


def available_networks() -> list[str]:
    """`mairie` plus every imported site network, in a fixed order."""
    from explorer import sites, territory

    return territory.available_networks(territory.imported_networks(sites.imported_files()))


def network_sites(network: str) -> pd.DataFrame:
    """Sites of one network (embedded town halls, or an imported file), unified schema."""
    return _network_sites(network, _files_fingerprint(_sites_file(network)))


@st.cache_data(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _network_sites(network: str, fingerprint: str) -> pd.DataFrame:
    from explorer import geography, sites

    return geography.load_default_sites() if network == "mairie" else sites.load_sites(network)


def site_index(network: str):
    """The k-d tree of one network's sites (shared, read-only: never mutate it)."""
    return _site_index(network, _files_fingerprint(_sites_file(network)))


@st.cache_resource(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _site_index(network: str, fingerprint: str):
    from explorer import access

    return access.SiteIndex(network_sites(network))


def nearest(network: str) -> pd.DataFrame:
    """Nearest site of `network` for every commune (access.nearest_sites); parameter-free."""
    return _nearest(network, _files_fingerprint(_sites_file(network), _communes_file()))


@st.cache_data(max_entries=GEO_CACHE_ENTRIES, show_spinner="Recherche du site le plus proche…")
def _nearest(network: str, fingerprint: str) -> pd.DataFrame:
    from explorer import access

    return access.nearest_sites(communes(), site_index(network))


def mobile_distances() -> pd.DataFrame | None:
    """Per commune, distance to each operator's nearest 4G site; None without ARCEP import."""
    from explorer import sites

    path = sites.mobile_sites_path()
    if not path.exists():
        return None
    return _mobile_distances(_files_fingerprint(path, _communes_file()))


@st.cache_data(max_entries=2, show_spinner="Estimation de la couverture 4G…")
def _mobile_distances(fingerprint: str) -> pd.DataFrame:
    from explorer import coverage, sites

    return coverage.nearest_operator_sites(communes(), sites.load_mobile_sites())


def mobile_source_date() -> str:
    """Vintage of the imported ARCEP sites file ("" when none)."""
    from explorer import sites

    path = sites.mobile_sites_path()
    return sites.read_metadata(path).get("source_date", "") if path.exists() else ""


def access_view(network: str, params, poor_max_operators: int):
    """(population within thresholds, commune view, 4G coverage or None) for one network and
    travel-time parameters; a parameter change reuses the cached nearest-site search."""
    return _access_view(network, params, poor_max_operators, sources_fingerprint())


@st.cache_data(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _access_view(network: str, params, poor_max_operators: int, fingerprint: str):
    from explorer import access, coverage, territory

    all_communes = communes()
    times = access.travel_times(nearest(network), all_communes, params)
    distances = mobile_distances()
    cover = None if distances is None else coverage.estimate_coverage(distances, all_communes)
    view = territory.commune_view(times, all_communes, cover, poor_max_operators)
    return access.population_within(times), view, cover
