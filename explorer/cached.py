"""The only Streamlit cache wrappers: one read-only connection per process, cached results."""

from __future__ import annotations

import dataclasses
import functools
import pickle
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from explorer import database, queries, settings

# Public demo: every cache is bounded (issue 4).
MAX_ENTRIES = 64 if settings.is_public() else 256


def shared(**cache_args):
    """st.cache_resource whose frames reach each caller as a shallow copy: one object per process
    shared by every session, which a caller may still modify freely (pandas copy-on-write copies
    a column on its first write). st.cache_data unpickled a whole copy on every call instead:
    about 0.25 s of each map-page rerun went to copying the communes, sites and views."""
    def wrap(function):
        cached = st.cache_resource(**cache_args)(function)

        @functools.wraps(function)
        def call(*args, **kwargs):
            return _copy_on_write(cached(*args, **kwargs))
        call.clear = cached.clear
        return call
    return wrap


def _copy_on_write(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_copy_on_write(item) for item in value)
    if isinstance(value, dict):
        return {key: _copy_on_write(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{field.name: _copy_on_write(getattr(value, field.name))
                                             for field in dataclasses.fields(value) if field.init})
    return value  # immutable: text, bytes, numbers


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


@shared(max_entries=MAX_ENTRIES, show_spinner=False)
def _run(name: str, sql: str, params: tuple, fingerprint: str) -> pd.DataFrame:
    # The text and the sources' fingerprint are in the key: editing a .sql file or importing
    # data invalidates cached results (STYLE §2.3).
    return queries.run(connection(), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result (cached on its text, parameters and sources; cached.shared)."""
    return _run(name, queries.load(name).sql, tuple(sorted(params.items())), sources_fingerprint())


def chart(builder, frame: pd.DataFrame, *args) -> dict:
    """The Vega-Lite spec of `builder(frame, *args)` (a charts.* function), built once per data
    and options: building Altair objects is most of a chart-heavy page's rerun time."""
    return _chart(f"{builder.__module__}.{builder.__qualname__}", frame, args, _builder=builder)


def _frame_key(frame: pd.DataFrame) -> bytes:
    """What st.cache_data hashes for a frame argument: its Arrow IPC stream (values, dtypes,
    column names, index), hashed 4-5 times faster than Streamlit's own row hashing of
    Arrow-backed text (0.6 against 3 ms for a 30-row frame, on every chart of every rerun).
    A frame Arrow cannot hold (mixed types in a column, twice the same column name) is pickled
    instead."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError):
        return pickle.dumps(frame)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={pd.DataFrame: _frame_key})
def _chart(name: str, frame: pd.DataFrame, args: tuple, _builder) -> dict:
    # Validated against the Vega-Lite schema by tests/test_charts.py, not on every build.
    return _builder(frame, *args).to_dict(validate=False)


def catalog() -> pd.DataFrame:
    """The catalog table, from the database."""
    return query("catalog_datasets")


def catalog_by_id() -> pd.DataFrame:
    """The catalog indexed by dataset_id (the column kept too): a row in 0.1 ms where a
    boolean mask over its text column took 2.4 ms, for every source line under every chart."""
    return _catalog_by_id(sources_fingerprint())


@shared(max_entries=1, show_spinner=False)
def _catalog_by_id(fingerprint: str) -> pd.DataFrame:
    return catalog().set_index("dataset_id", drop=False)


def dataset(dataset_id: str) -> pd.DataFrame:
    """One report dataset's table; `dataset_id` must be in the catalog (allow-list)."""
    return _dataset(dataset_id, sources_fingerprint())


@shared(max_entries=MAX_ENTRIES, show_spinner=False)
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
    return database.fingerprint([p for p in paths if p is not None and p.exists()])


def _communes_file() -> Path:
    return settings.GEO_DIR / "communes.parquet"


def _sites_file(network: str) -> Path | None:
    from explorer import sites

    return sites.network_file(network)


def communes() -> pd.DataFrame:
    """Communes (no geometry): code, name, département, population, point, density class."""
    return _communes(_files_fingerprint(_communes_file()))


@shared(max_entries=2, show_spinner=False)
def _communes(fingerprint: str) -> pd.DataFrame:
    from explorer import geography

    # Here and below, the folder the fingerprint looked at: the loaders' default is the one
    # settings.GEO_DIR held when explorer.geography was first imported.
    return geography.load_communes(settings.GEO_DIR)


def departements():
    """Départements with simplified boundaries (GeoDataFrame)."""
    return _departements(_files_fingerprint(settings.GEO_DIR / "departements.geojson"))


def departement_names(column: str = "nom") -> dict[str, str]:
    """Département code → its name: `column` "nom" (« Cantal ») or "name_de", after « de »
    (« du Cantal »)."""
    deps = departements()
    return dict(zip(deps["code"], deps[column]))


@shared(max_entries=2, show_spinner=False)
def _departements(fingerprint: str):
    from explorer import geography

    return geography.load_departements(settings.GEO_DIR)


def commune_geometries(departements):
    """Simplified commune boundaries of one or several départements (GeoDataFrame)."""
    return _commune_geometries(tuple(departements), _files_fingerprint(
        settings.GEO_DIR / "communes_geometry.parquet"))


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _commune_geometries(departements: tuple[str, ...], fingerprint: str):
    from explorer import geography

    parts = [geography.load_commune_geometries(d, settings.GEO_DIR) for d in departements]
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def commune_aliases() -> pd.DataFrame:
    """Postcodes, arrondissements and former communes of each commune (explorer.locator)."""
    return _commune_aliases(_files_fingerprint(settings.GEO_DIR / "commune_aliases.parquet"))


@shared(max_entries=2, show_spinner=False)
def _commune_aliases(fingerprint: str) -> pd.DataFrame:
    from explorer import geography

    return geography.load_commune_aliases(settings.GEO_DIR)


def available_networks() -> list[str]:
    """Networks with a sites file (embedded or imported), in a fixed order."""
    from explorer import sites

    return sites.available_networks()


def network_sites(network: str) -> pd.DataFrame:
    """Sites of one network (the user's import, else the embedded file), unified schema."""
    return _network_sites(network, _files_fingerprint(_sites_file(network)))


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _network_sites(network: str, fingerprint: str) -> pd.DataFrame:
    from explorer import sites

    return sites.conform_sites(pd.read_parquet(_sites_file(network)))


def network_metadata(network: str) -> tuple[dict, bool]:
    """(provenance of the file serving `network`, whether it is the embedded one)."""
    from explorer import sites

    path = _sites_file(network)
    return sites.read_metadata(path), sites.is_embedded(path)


def network_scope(network: str):
    """territory.networks.NetworkScope of the file serving `network`."""
    return _network_scope(network, _files_fingerprint(_sites_file(network), _communes_file(),
                                                      settings.GEO_DIR / "departements.geojson"))


def network_territory(network: str) -> str:
    """The territory `network`'s file covers, as the Importer and Sources pages list it
    (NetworkScope.label: « France entière », « Cantal (15) »); « — » for a network this version does
    not know (a file another version left in the import folder)."""
    from explorer import sites
    from explorer.formatting import MISSING

    return network_scope(network).label if network in sites.SITE_NETWORKS else MISSING


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _network_scope(network: str, fingerprint: str):
    from explorer.territory import networks

    return networks.network_scope(network_sites(network), communes(), departement_names("name_de"))


def commune_at(lat: float, lon: float, departements) -> str | None:
    """INSEE code of the commune of `departements` whose (simplified) boundary holds the point
    (lat, lon in degrees); None outside them (a click at sea, abroad or in another département)."""
    from shapely.geometry import Point

    geometries = commune_geometries(departements)
    inside = geometries[geometries.contains(Point(float(lon), float(lat)))]
    return str(inside["code_insee"].iloc[0]) if len(inside) else None


def site_departements(network: str) -> pd.Series:
    """territory.networks.site_departements of `network`'s sites (département of each site)."""
    return _site_departements(network, _files_fingerprint(_sites_file(network), _communes_file()))


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _site_departements(network: str, fingerprint: str) -> pd.Series:
    from explorer.territory import networks

    return networks.site_departements(network_sites(network), communes())


def sites_per_100k(network: str) -> pd.DataFrame:
    """territory.rankings.sites_per_100k of `network` (sites per 100,000 inhabitants by département)."""
    return _sites_per_100k(network, _files_fingerprint(_sites_file(network), _communes_file()))


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _sites_per_100k(network: str, fingerprint: str) -> pd.DataFrame:
    from explorer.territory import rankings

    return rankings.sites_per_100k(network_sites(network), communes())


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


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner="Recherche du site le plus proche…")
def _nearest(network: str, fingerprint: str) -> pd.DataFrame:
    from explorer import access

    return access.nearest_sites(communes(), site_index(network))


def mobile_distances() -> pd.DataFrame | None:
    """Per commune, distance to each operator's nearest 4G site; None without a sites file."""
    from explorer import sites

    path = sites.mobile_file()
    if path is None:
        return None
    return _mobile_distances(_files_fingerprint(path, _communes_file()))


@shared(max_entries=2, show_spinner="Estimation de la couverture 4G…")
def _mobile_distances(fingerprint: str) -> pd.DataFrame:
    from explorer import coverage, sites

    mobile = sites.conform_mobile_sites(pd.read_parquet(sites.mobile_file()))
    return coverage.nearest_operator_sites(communes(), mobile)


def mobile_metadata() -> tuple[dict, bool]:
    """(provenance of the mobile sites file in use, whether it is embedded); ({}, False) if none."""
    from explorer import sites

    path = sites.mobile_file()
    return (sites.read_metadata(path), sites.is_embedded(path)) if path else ({}, False)


def access_view(network: str, params, poor_max_operators: int, threshold_min: int):
    """(population within the thresholds over the network's territory, commune view, 4G
    coverage or None) for one network, travel-time parameters and « double peine » settings;
    a parameter change reuses the cached nearest-site search."""
    return _access_view(network, params, poor_max_operators, threshold_min,
                        sources_fingerprint())


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _access_view(network: str, params, poor_max_operators: int, threshold_min: int,
                 fingerprint: str):
    from explorer import access, coverage
    from explorer.territory import views

    all_communes = communes()
    departements = network_scope(network).departements
    times = views.within_scope(access.travel_times(nearest(network), all_communes, params),
                               departements)
    distances = mobile_distances()
    cover = None if distances is None else coverage.estimate_coverage(distances, all_communes)
    view = views.commune_view(times, all_communes, cover, poor_max_operators, threshold_min)
    within = views.population_within(times, departements)
    return within, view, cover


# ---------------------------------------------------------------- per-view results


def computed(inputs: tuple, build):
    """`build()` (frames, or a dataclass or tuple of them), computed once per process for the
    same `inputs` and sources and shared by every session, like map_html: ten sessions opening
    the same view computed its tables ten times.

    `inputs` must hold every value the result depends on besides the sources (its kind,
    network, parameters, threshold, territory…), hashable by st.cache_resource.
    """
    return _computed(inputs, sources_fingerprint(), _build=build)


@shared(max_entries=MAX_ENTRIES, show_spinner=False)
def _computed(inputs: tuple, fingerprint: str, _build):
    return _build()


# ---------------------------------------------------------------- map documents

MAP_CACHE_ENTRIES = 16  # a national map is 1.5 MB of HTML, a département map about 0.5 MB


def map_html(inputs: tuple, build) -> str:
    """The HTML document (maps.html) of the folium map `build()` returns, built once per process
    for the same `inputs` and sources and shared by every session: building and rendering the
    national map took about 1 s of the server per rerun.

    `inputs` must hold every value the map depends on besides the sources (its kind, network,
    parameters, threshold, base map, territory, scenario…), hashable by st.cache_data.
    """
    return _map_html(inputs, sources_fingerprint(), _build=build)


@shared(max_entries=MAP_CACHE_ENTRIES, show_spinner=False)
def _map_html(inputs: tuple, fingerprint: str, _build) -> str:
    from explorer import maps

    return maps.html(_build())


# ---------------------------------------------------------------- national rasters


def metro_raster():
    """(maps.raster.ZoneRaster of metropolitan communes, their INSEE codes in raster order),
    rasterised once per process and geometry file."""
    return _metro_raster(_files_fingerprint(settings.GEO_DIR / "communes_geometry.parquet"))


@st.cache_resource(max_entries=1, show_spinner="Préparation de la carte nationale…")
def _metro_raster(fingerprint: str):
    from explorer import geography
    from explorer.maps import raster

    geometries = geography.load_commune_geometries(geo_dir=settings.GEO_DIR)
    metro = geometries[~geometries["departement"].str.startswith("97")].reset_index(drop=True)
    return raster.zone_raster(metro.geometry), tuple(metro["code_insee"])


def national_rasters(network: str, params, poor_max_operators: int, threshold_min: int
                     ) -> dict[str, bytes]:
    """PNG of each national commune layer for the view of `access_view` (same arguments)."""
    return _national_rasters(network, params, poor_max_operators, threshold_min,
                             sources_fingerprint())


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner=False)
def _national_rasters(network: str, params, poor_max_operators: int, threshold_min: int,
                      fingerprint: str) -> dict[str, bytes]:
    from explorer.territory import map_views

    zones, codes = metro_raster()
    view = access_view(network, params, poor_max_operators, threshold_min)[1]
    return map_views.class_rasters(zones, codes, view)


# ---------------------------------------------------------------- beyond the report (issue 12)


def accessibility_index(network: str, params) -> tuple[pd.DataFrame, int]:
    """accessibility_index.commune_index of `network` (E2SFCA hours per 1,000 inhabitants)."""
    return _accessibility_index(network, params,
                                _files_fingerprint(_sites_file(network), _communes_file()))


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner="Calcul de l'indice d'accessibilité…")
def _accessibility_index(network: str, params, fingerprint: str):
    from explorer import accessibility_index

    return accessibility_index.commune_index(communes(), network_sites(network), params)


def opening_plan(network: str, params, threshold_min: int, departements: tuple[str, ...],
                 n: int):
    """(planning.proposals table, greedy total, exact total by spopt or None) for `n` new
    sites of `network` in `departements` at `threshold_min`."""
    return _opening_plan(network, params, threshold_min, departements, n, sources_fingerprint())


@shared(max_entries=GEO_CACHE_ENTRIES, show_spinner="Recherche des meilleurs lieux…")
def _opening_plan(network: str, params, threshold_min: int, departements: tuple[str, ...],
                  n: int, fingerprint: str):
    from explorer import access, planning

    times = access.travel_times(nearest(network), communes(), params)
    problem = planning.build_problem(times, communes(), departements, threshold_min, params)
    picked = planning.greedy(problem, n)
    # The exact solver runs for one département (or Corsica) and never on the public demo,
    # where its CPU time (up to planning.SPOPT_TIME_LIMIT_S) would be shared by every visitor.
    exact = planning.exact_spopt(problem, n) \
        if len(departements) <= 2 and not settings.is_public() else None
    return (planning.proposals(problem, picked), sum(g for _, g in picked),
            None if exact is None else exact[1])
