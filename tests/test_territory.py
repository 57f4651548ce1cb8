"""Territorial views on the toy geography (tests/fixtures/geo_*_fixture.csv).

Hand-checked (see test_access.py and test_coverage.py for the distances), default parameters:
A 99001 (dép. 01, 1,000 inh.): site S1 on its point, 0 min; 4G: 2 operators.
B 99002 (01, 2,000): 22.24 km from S1, 24.78 min (class "plus de 15 à 30 min"); 1 operator.
C 99003 (02, 3,000): site S2 on its point, 0 min; 4 operators.
D 99004 (02, 4,000): 111.2 km from S2, 125.6 min ("plus de 60 min"); 0 operators.
E 99005 (01, 500): no point, no estimate.  F 97999 (971, 100): outside the ARCEP file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import access, coverage, settings, territory

FIXTURES = settings.ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def communes():
    return pd.read_csv(FIXTURES / "geo_communes_fixture.csv", dtype={"code_insee": str,
                                                                    "departement": str})


@pytest.fixture(scope="module")
def sites():
    return pd.read_csv(FIXTURES / "geo_sites_fixture.csv", dtype={"code_insee": str})


@pytest.fixture(scope="module")
def times(communes, sites):
    return access.travel_times(access.nearest_sites(communes, sites), communes)


@pytest.fixture(scope="module")
def cover(communes):
    mobile = pd.read_csv(FIXTURES / "geo_mobile_sites_fixture.csv")
    return coverage.estimate_coverage(coverage.nearest_operator_sites(communes, mobile), communes)


@pytest.fixture(scope="module")
def view(times, communes, cover):
    return territory.commune_view(times, communes, cover, poor_max_operators=1)


def by_code(frame, column="code_insee"):
    return frame.set_index(column)


def test_networks_embedded_first_then_imported_in_registry_order():
    paths = ["/x/sites_france_services.parquet", "/x/mobile_sites.parquet", "/x/sites_caf.parquet"]
    imported = territory.imported_networks(paths)
    assert imported == ["france_services", "caf"]
    assert territory.available_networks(imported) == ["mairie", "france_services", "caf"]
    assert territory.available_networks([]) == ["mairie"]
    assert territory.default_network(["mairie"]) == "mairie"
    assert territory.default_network(["mairie", "france_services", "caf"]) == "france_services"
    assert territory.network_label("france_services") == "France services"


def test_commune_view_classes_times_and_coverage(view):
    v = by_code(view)
    assert v.loc["99001", "time_label"] == "15 min ou moins"
    assert v.loc["99002", "time_min"] == pytest.approx(24.78, abs=0.01)
    assert v.loc["99002", "time_label"] == "plus de 15 à 30 min"
    assert v.loc["99004", "time_label"] == "plus de 60 min"
    assert v.loc["99005", "time_class"] == -1 and v.loc["99005", "time_label"] == "non estimé"
    assert v.loc["99001", "nom"] == "Commune fictive A"
    assert list(v.loc[["99001", "99002", "99003", "99004"], "n_operators"]) == [2, 1, 4, 0]
    assert list(v.loc[["99001", "99002", "99003", "99004"], "poor_coverage"]) == [
        False, True, False, True]
    assert pd.isna(v.loc["97999", "poor_coverage"])  # out of the ARCEP file: no estimate


def test_departement_view_share_within_threshold_and_poor_coverage(times, view):
    within = access.population_within(times)
    deps = by_code(territory.departement_view(within, 30, view), "code")
    # 01: A and B within 30 min (E has no point and is left out): 3,000 of 3,000
    assert deps.loc["01", "within_pct"] == pytest.approx(100.0)
    # 02: C within, D at 125 min: 3,000 of 7,000
    assert deps.loc["02", "within_pct"] == pytest.approx(300 / 7)
    assert deps.loc["02", "beyond_count"] == 4000
    assert deps.loc["02", "share_class"] == 0  # "50 % ou moins"
    # poorly covered (≤ 1 operator): B of A+B in 01; D of C+D in 02; F out of scope
    assert deps.loc["01", "poor_pct"] == pytest.approx(200 / 3)
    assert deps.loc["02", "poor_count"] == 4000
    assert np.isnan(deps.loc["971", "poor_pct"]) and deps.loc["971", "poor_class"] == -1


def test_tableau5_shapes(times):
    within = access.population_within(times)
    national = territory.national_within_table(within)
    assert list(national["Seuil (min)"].unique()) == [15, 30, 45, 60]
    assert set(national["Zone"]) == {"France entière", "France métropolitaine"}
    deps = territory.departement_within_table(within).set_index("Code")
    assert [c for c in deps.columns if c.startswith("Part")] == [
        f"Part à {t} min ou moins (%)" for t in (15, 30, 45, 60)]
    assert deps.loc["02", "Population à plus de 30 min"] == 4000
    assert deps.loc["02", "Part à 30 min ou moins (%)"] == pytest.approx(42.9)


def test_double_peine_ranks_communes_and_departements(view):
    communes = territory.double_peine_communes(view, 30)
    assert list(communes["Code INSEE"]) == ["99004"]  # B is poorly covered but within 30 min
    assert list(territory.double_peine_communes(view, 15)["Code INSEE"]) == ["99004", "99002"]
    deps = territory.double_peine_departements(view, 15)
    assert list(deps["Code"]) == ["02", "01"]  # 4,000 then 2,000 people
    assert deps.loc[0, "Part de la population (%)"] == pytest.approx(57.14)
    assert territory.double_peine_communes(view, 200).empty


def test_sites_per_100k_inhabitants(sites, communes):
    per = territory.sites_per_100k(sites, communes).set_index("departement")
    # 01: 1 site for 3,500 inhabitants (E counts: it has a population); 02: 1 for 7,000
    assert per.loc["01 Département fictif Un", "value"] == pytest.approx(28.6)
    assert per.loc["02 Département fictif Deux", "value"] == pytest.approx(14.3)
    assert per.loc["971 Département fictif outre-mer", "sites_count"] == 0


def test_site_without_known_insee_code_goes_to_nearest_commune(sites, communes):
    moved = sites.assign(code_insee=[None, "00000"])
    per = territory.sites_per_100k(moved, communes).set_index("departement")
    assert per["sites_count"].to_dict() == {"01 Département fictif Un": 1,
                                            "02 Département fictif Deux": 1,
                                            "971 Département fictif outre-mer": 0}


def test_population_by_band_adds_up(view):
    band = territory.population_by_band(view)
    assert dict(zip(band["classe_de_temps"], band["value"])) == {
        "15 min ou moins": 4000, "plus de 15 à 30 min": 2000, "plus de 30 à 45 min": 0,
        "plus de 45 à 60 min": 0, "plus de 60 min": 4000, "non estimé": 600}


def test_find_communes_by_code_name_and_prefix(communes):
    assert list(territory.find_communes("99003", communes)["nom"]) == ["Commune fictive C"]
    assert list(territory.find_communes("  commune FICTIVE c ", communes)["code_insee"]) == ["99003"]
    prefix = territory.find_communes("Commune fictive", communes)
    assert list(prefix["code_insee"][:2]) == ["99004", "99003"]  # most populated first
    assert territory.find_communes("Nulle-part", communes).empty
    assert territory.find_communes("12345", communes).empty
    message = territory.unknown_commune_message(" Nulle-part ")
    assert message.startswith("Commune introuvable : « Nulle-part ».")


def test_accents_hyphens_and_saint_abbreviation_are_ignored():
    communes = pd.DataFrame({"code_insee": ["97411", "93066", "15014"],
                             "nom": ["Saint-Denis", "Saint-Denis", "Aurillac"],
                             "population": [150000, 110000, 26000]})
    assert list(territory.find_communes("st denis", communes)["code_insee"]) == ["97411", "93066"]
    assert list(territory.find_communes("AURÌLLAC", communes)["code_insee"]) == ["15014"]


def test_locator_table_in_french(communes, sites):
    indexes = access.build_indexes(sites)
    found = territory.locator_table(access.commune_locator("99002", communes, indexes, k=2))
    assert list(found["Site"]) == ["Site fictif S1", "Site fictif S2"]
    assert list(found["Réseau"].unique()) == ["France services"]
    assert found.loc[0, "Temps estimé (min)"] == 25


def test_report_comparison_sets_published_figures_beside_the_estimate(times):
    cnam = pd.read_csv(settings.REPORT_DIR / "cnam_population_share_by_travel_time.csv")
    cnav = pd.read_csv(settings.REPORT_DIR / "cnav_access_55_64.csv")
    table = territory.report_comparison(cnam, cnav, access.population_within(times),
                                        "France services")
    rows = table.set_index("Sites")
    # annexe 4, tableau 5: 90 % within 30 min of a CNAM agency, 99 % within 60
    assert rows.loc["Assurance Maladie : Agence", "À moins de 30 min (%)"] == 90
    assert rows.loc["Assurance Maladie : Agence", "À moins de 60 min (%)"] == 99
    # annexe 5: 92 % of the 55-64 year-olds within 30 min; 1 % beyond one hour
    cnav_row = rows.loc["Assurance retraite : siège ou point d'accueil retraite"]
    assert cnav_row["À moins de 30 min (%)"] == 92 and cnav_row["À moins de 60 min (%)"] == 99
    assert rows.loc["France services", "À moins de 30 min (%)"] == pytest.approx(
        round(100 * 6000 / 10000, 1))  # metro: A, B, C of A-D
    assert len(territory.REPORT_DIFFERENCES_FR) >= 3


def test_headline_is_labelled_as_an_estimate(times):
    text = territory.headline_fr(access.population_within(times), 30, "France services")
    assert text.startswith("Estimation : ")
    assert "à 30 min ou moins" in text and "France services" in text
