"""Territorial views on the toy geography (tests/fixtures/geo_*_fixture.csv).

Hand-checked (see test_access.py and test_coverage.py for the distances), default parameters:
A 99001 (dép. 01, 1,000 inh.): site S1 on its point, 0 min; 4G: 2 operators.
B 99002 (01, 2,000): 22.24 km from S1, 24.78 min (class "plus de 20 à 30 min"); 1 operator.
C 99003 (02, 3,000): site S2 on its point, 0 min; 4 operators.
D 99004 (02, 4,000): 111.2 km from S2, 125.6 min ("plus de 45 min"); 0 operators.
E 99005 (01, 500): no point, no estimate.  F 97999 (971, 100): no site within reach, outside
the ARCEP file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import access, coverage, settings
from explorer.territory import captions, networks, rankings, tables, views

FIXTURES = settings.ROOT / "tests" / "fixtures"
NBSP = "\u00a0"


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
    return views.commune_view(times, communes, cover, poor_max_operators=1, threshold_min=15)


def by_code(frame, column="code_insee"):
    return frame.set_index(column)


def test_default_network_prefers_a_front_desk_network_over_town_halls():
    assert networks.default_network(["mairie"]) == "mairie"
    assert networks.default_network(["mairie", "france_services", "caf"]) == "france_services"
    assert networks.default_network(["mairie", "mediation_numerique"]) == "mediation_numerique"
    assert networks.network_label("france_services") == "France services"


def test_network_scope_names_the_territory_a_file_covers(sites, communes):
    scope = networks.network_scope(sites, communes)
    assert scope.departements == ("01", "02") and not scope.is_everywhere
    assert scope.label == "France entière sauf Département fictif outre-mer (971)"
    assert scope.label_de == "de la France entière sauf Département fictif outre-mer (971)"
    # Named with their article from their « de » form (name_de), listed the French way.
    names_de = {"01": "du Département fictif Un", "02": "de la Deuxième", "971": "de l'Outre-mer"}
    assert networks.network_scope(sites, communes, names_de).label == \
        "France entière sauf l'Outre-mer (971)"
    more = pd.concat([communes, communes.iloc[[0]].assign(
        code_insee="99006", departement="03", departement_nom="Troisième", lat=48.0)])
    listed = networks.network_scope(sites, more, {**names_de, "03": "de la Troisième"})
    assert listed.label == "Département fictif Un (01) et Département fictif Deux (02)"
    assert listed.label_de == "du Département fictif Un (01) et de la Deuxième (02)"
    assert networks.network_scope(sites, more).label_de == \
        "de Département fictif Un (01) et de Département fictif Deux (02)"
    one = networks.network_scope(sites.iloc[:1], communes, {"01": "du Département fictif Un"})
    assert one.departements == ("01",) and one.label == "Département fictif Un (01)"
    assert one.label_de == "du Département fictif Un (01)"
    moved = sites.assign(code_insee=[None, "00000"])  # placed by their nearest commune point
    assert networks.network_scope(moved, communes).departements == ("01", "02")
    everywhere = pd.concat([sites, sites.iloc[:1].assign(code_insee="97999", lat=16.25,
                                                         lon=-61.5)])
    assert networks.network_scope(everywhere, communes).label == "France entière"


def test_a_site_is_in_the_departement_of_its_insee_code(sites, communes):
    """A code missing from the communes (a municipal arrondissement, 75112 in Paris) still
    names its département; the nearest commune point only places a site with no usable code."""
    placed = sites.assign(code_insee=["02112", "00000"], lat=45.0, lon=3.0)  # both in 01's commune A
    assert networks.site_departements(placed, communes).tolist() == ["02", "01"]


def test_commune_view_classes_times_coverage_and_double_peine(view):
    v = by_code(view)
    assert v.loc["99001", "time_label"] == "10 min ou moins"
    assert v.loc["99002", "time_min"] == pytest.approx(24.78, abs=0.01)
    assert v.loc["99002", "time_label"] == "plus de 20 à 30 min"
    assert v.loc["99004", "time_label"] == "plus de 45 min"
    assert v.loc["99005", "time_class"] == -1 and v.loc["99005", "time_label"] == "non estimé"
    assert v.loc["99001", "nom"] == "Commune fictive A"
    assert (v.loc["99003", "lat"], v.loc["99003", "lon"]) == (46.0, 3.0)
    assert list(v.loc[["99001", "99002", "99003", "99004"], "n_operators"]) == [2, 1, 4, 0]
    assert list(v.loc[["99001", "99002", "99003", "99004"], "double_peine"]) == [
        False, True, False, True]
    assert pd.isna(v.loc["97999", "poor_coverage"])  # out of the ARCEP file: no estimate
    assert pd.isna(v.loc["99005", "double_peine"])  # no time: unknown, not "no"


def test_double_peine_follows_the_threshold(times, communes, cover):
    at_30 = views.commune_view(times, communes, cover, 1, 30)
    assert list(rankings.double_peine_communes(at_30)["code_insee"]) == ["99004"]
    none = views.commune_view(times, communes, cover, 1, 200)
    assert rankings.double_peine_communes(none).empty
    strict = views.commune_view(times, communes, cover, 0, 15)  # B has 1 operator
    assert list(rankings.double_peine_communes(strict)["code_insee"]) == ["99004"]


def test_departement_view_counts_everyone_including_people_without_estimate(view):
    deps = by_code(views.departement_view(view, 15), "code")
    # 01: A, B, E = 3,500 people; B (2,000) beyond 15 min; E (500) without estimate
    assert deps.loc["01", "population_count"] == 3500
    assert deps.loc["01", "beyond_count"] == 2000 and deps.loc["01", "unestimated_count"] == 500
    assert deps.loc["01", "beyond_pct"] == pytest.approx(100 * 2000 / 3500)
    # 4G faible (≤ 1 operator) over the people the mobile file covers: B of A+B
    assert deps.loc["01", "poor_pct"] == pytest.approx(200 / 3)
    assert deps.loc["02", "double_peine_count"] == 4000
    assert deps.loc["02", "double_peine_communes"] == 1
    assert np.isnan(deps.loc["971", "poor_pct"]) and deps.loc["971", "double_peine_count"] == 0


def test_rankings_of_double_peine(view):
    dep_view = views.departement_view(view, 15)
    ranked = rankings.double_peine_departements(dep_view)
    assert list(ranked["code"]) == ["02", "01"]  # 4,000 then 2,000 people
    assert ranked.loc[0, "double_peine_pct"] == pytest.approx(400 / 7)
    assert list(rankings.double_peine_communes(view)["code_insee"]) == ["99004", "99002"]


def test_population_within_is_taken_over_the_network_territory(times):
    within = views.population_within(times, ("01",))
    france = within[(within["zone_code"] == access.FRANCE_CODE)].set_index("threshold_min")
    assert list(france.index) == list(views.THRESHOLDS_MIN)
    assert france.at[30, "population_count"] == 3000  # A and B: E has no estimate
    assert france.at[30, "unestimated_count"] == 500
    assert france.at[15, "within_count"] == 1000


def test_within_table_shares_are_of_the_whole_population(times):
    table = tables.within_table(views.population_within(times, ("01", "02")), "Essai")
    row = table.set_index("Temps de référence").loc["15 min"]
    # beyond 15 min: B and D (6,000) of A-E (10,500 people, E without estimate)
    assert row["Population au-delà (estimation)"] == f"6{NBSP}000"
    assert row["Part au-delà"] == f"57,1{NBSP}%"
    assert row["Population sans estimation"] == "500"
    assert set(table["Territoire"]) == {"Essai"}


def test_tables_are_in_french_formats(view, times):
    dep_view = views.departement_view(view, 15)
    national = tables.departement_table(dep_view, 15)
    # both 57.1 % beyond 15 min (4,000 of 7,000; 2,000 of 3,500): more people first
    assert list(national["Département"][:2]) == ["Département fictif Deux (02)",
                                                 "Département fictif Un (01)"]
    second = national.iloc[1]
    assert second["Population"] == f"3{NBSP}500" and second["Part à plus de 15 min"] == f"57,1{NBSP}%"
    assert national.set_index("Département").loc["Département fictif outre-mer (971)",
                                                 "Couverture 4G faible (part)"] == "—"
    unknown = views.departement_view(view.assign(population=view["population"].where(view["departement"] != "02")), 15)
    row = tables.departement_table(unknown, 15).set_index("Département").loc["Département fictif Deux (02)"]
    assert row["Population"] == row["Population à plus de 15 min"] == row["Population en double peine"] == "—"
    communes = tables.commune_table(view).set_index("Commune")
    assert communes.loc["Commune fictive B (99002)", "Temps estimé (min)"] == "24,8"
    assert communes.loc["Commune fictive E sans point (99005)", "Temps estimé (min)"] == "—"
    assert communes.loc["Commune fictive B (99002)", "Double peine"] == "oui"
    deps = tables.departement_within_table(access.population_within(times, views.THRESHOLDS_MIN))
    deps = deps.set_index("Département")
    assert deps.loc["Département fictif Deux (02)", "Population à plus de 30 min"] == f"4{NBSP}000"
    assert deps.loc["Département fictif Deux (02)", "Part à 30 min ou moins"] == f"42,9{NBSP}%"


def test_population_by_band_adds_up(view):
    band = views.population_by_band(view)
    assert dict(zip(band["classe_de_temps"], band["value"])) == {
        "10 min ou moins": 4000, "plus de 10 à 15 min": 0, "plus de 15 à 20 min": 0,
        "plus de 20 à 30 min": 2000, "plus de 30 à 45 min": 0, "plus de 45 min": 4000,
        "non estimé": 600}


def test_sites_per_100k_inhabitants(sites, communes):
    per = rankings.sites_per_100k(sites, communes).set_index("departement")
    # 01: 1 site for 3,500 inhabitants (E counts: it has a population); 02: 1 for 7,000
    assert per.loc["01 Département fictif Un", "value"] == pytest.approx(28.6)
    assert per.loc["02 Département fictif Deux", "value"] == pytest.approx(14.3)
    assert per.loc["971 Département fictif outre-mer", "sites_count"] == 0


def test_locator_table_puts_time_and_distance_first(communes, sites):
    indexes = access.build_indexes(sites)
    found = tables.locator_table(access.commune_locator("99002", communes, indexes, k=2))
    assert list(found.columns[:2]) == ["Temps estimé (min)", "Distance à vol d'oiseau (km)"]
    assert list(found["Site"]) == ["Site fictif S1", "Site fictif S2"]
    assert list(found["Réseau"].unique()) == ["France services"]
    assert found.loc[0, "Temps estimé (min)"] == "25"
    assert found.loc[0, "Distance à vol d'oiseau (km)"] == "22,2"


def test_report_comparison_sets_published_figures_beside_the_estimate(times):
    cnam = pd.read_csv(settings.REPORT_DIR / "cnam_population_share_by_travel_time.csv")
    cnav = pd.read_csv(settings.REPORT_DIR / "cnav_access_55_64.csv")
    table = tables.report_comparison(cnam, cnav, access.population_within(times),
                                     "France services")
    rows = table.set_index("Sites")
    # annexe 4, tableau 5: 90 % within 30 min of a CNAM agency, 99 % within 60
    assert rows.loc["Assurance Maladie : Agence", "À moins de 30 min"] == f"90,0{NBSP}%"
    assert rows.loc["Assurance Maladie : Agence", "À moins de 60 min"] == f"99,0{NBSP}%"
    # annexe 5: 92 % of the 55-64 year-olds within 30 min; 1 % beyond one hour
    cnav_row = rows.loc["Assurance retraite : siège ou point d'accueil retraite"]
    assert cnav_row["À moins de 30 min"] == f"92,0{NBSP}%"
    assert cnav_row["À moins de 60 min"] == f"99,0{NBSP}%"
    assert rows.loc["France services", "À moins de 30 min"] == f"60,0{NBSP}%"  # A-C of A-D


def test_headline_follows_the_territory_and_says_estimate(view):
    dep_view = views.departement_view(view, 15)
    text = captions.headline_fr(dep_view, 15, "France services", "de la France entière",
                                "au plus 1 opérateur")
    # B and D (6,000) of A-F (10,600 people, E and F without estimate)
    assert text.startswith("Estimation : 6\u00a0000\u00a0personnes, soit 56,6\u00a0% de la population "
                           "de la France entière, à plus de 15 min du site « France services »")
    assert "6\u00a0000 d'entre elles cumulent" in text and "« double peine »" in text
    none = captions.headline_fr(dep_view.assign(double_peine_count=0), 15, "France services",
                                "de la France entière", "au plus 1 opérateur")
    assert "; aucune d'entre elles ne cumule cet éloignement" in none
    assert "600\u00a0personnes sans estimation" in text
    one = captions.headline_fr(dep_view[dep_view["code"] == "02"], 15, "France services",
                               "du Département fictif Deux (02)")
    assert "4\u00a0000\u00a0personnes, soit 57,1\u00a0% de la population du Département fictif Deux" in one
    assert "double peine" not in one and "sans estimation" not in one


def test_scope_note_only_for_a_partial_file(sites, communes):
    partial = networks.network_scope(sites.iloc[:1], communes)
    assert captions.scope_note_fr(partial, "Médiation").startswith(
        "Le fichier « Médiation » ne couvre que le territoire de Département fictif Un (01) : sur cette page, "
        "les temps de trajet")
    assert captions.scope_note_fr(networks.network_scope(sites, communes), "Médiation").startswith(
        "Le fichier « Médiation » couvre la France entière sauf Département fictif outre-mer (971) : ")
    full = networks.NetworkScope(("01", "02", "971"), True, "France entière")
    assert captions.scope_note_fr(full, "Médiation") == ""
    nowhere = networks.network_scope(sites.assign(lat=None, lon=None, code_insee=None), communes)
    assert captions.scope_note_fr(nowhere, "Médiation").startswith(
        "Le fichier « Médiation » n'a aucun site localisé : aucune part")


def test_view_scopes():
    names = {"2A": "Corse-du-Sud", "2B": "Haute-Corse", "15": "Cantal"}
    assert views.scope_departements("FR", names) == ("2A", "2B", "15")
    assert views.scope_departements("corse", names) == ("2A", "2B")
    assert views.scope_departements("15", names) == ("15",)
    assert views.scope_label("15", names) == "Cantal (15)"
    assert views.scope_label("corse", names) == "Corse"
    names_de = {"15": "du Cantal", "21": "de la Côte-d'Or"}
    partial = networks.NetworkScope(("15",), False, "Cantal (15)", "du Cantal (15)")
    everywhere = networks.NetworkScope(("15", "21"), True, "France entière", "de la France entière")
    # On the national view, shares are taken over the file's territory when it covers less.
    assert views.territory_labels("FR", partial, names, names_de) == ("Cantal (15)", "du Cantal (15)")
    assert views.territory_labels("FR", everywhere, names, names_de) == ("France entière", "de la France entière")
    assert views.territory_labels("21", partial, {"21": "Côte-d'Or"}, names_de) == (
        "Côte-d'Or (21)", "de la Côte-d'Or (21)")
    # On a group the file covers in part, over the départements it covers.
    no_2a = networks.NetworkScope(("2B", "15"), False, "2 départements", "de 2 départements")
    assert views.territory_labels("corse", no_2a, names, {"2B": "de la Haute-Corse"}) == (
        "Haute-Corse (2B)", "de la Haute-Corse (2B)")
    assert views.territory_labels("15", no_2a, names, names_de) == ("Cantal (15)", "du Cantal (15)")
    assert [views.scope_label_de(k, names_de) for k in ("15", "21", "FR", "corse")] == [
        "du Cantal (15)", "de la Côte-d'Or (21)", "de la France entière", "de la Corse"]


def test_headline_outside_the_4g_file_and_without_population(view):
    dep_view = views.departement_view(view, 15)
    overseas = captions.headline_fr(dep_view[dep_view["code"] == "971"], 15, "France services",
                                    "Département fictif outre-mer (971)", "au plus 1 opérateur")
    assert "couverture 4G et « double peine » non estimées ici" in overseas
    assert "cumulent" not in overseas
    unknown = dep_view[dep_view["code"] == "971"].assign(population_count=0)
    text = captions.headline_fr(unknown, 15, "France services", "de Mayotte (976)")
    assert text.startswith("Population de Mayotte (976) inconnue dans la source")


def test_largest_far_communes_explain_a_big_town_far_from_the_network(view):
    text = captions.largest_far_communes_fr(view, 15)
    assert text.startswith("Plus grandes communes à plus de 15 min (estimation) : Commune "
                           "fictive D (4\u00a0000 hab., 126 min), Commune fictive B")
    assert captions.largest_far_communes_fr(view, 500) == ""


def test_no_estimate_outside_the_territory_of_the_file(times):
    scoped = views.within_scope(times, ("01",))
    by = scoped.set_index("code_insee")
    assert by.loc["99002", "time_min"] == pytest.approx(24.78, abs=0.01)  # 01: kept
    assert np.isnan(by.loc["99003", "time_min"]) and pd.isna(by.loc["99003", "site_name"])
    assert times.set_index("code_insee").loc["99003", "time_min"] == 0  # the input is untouched


def test_sites_per_100k_without_population_is_not_infinite(sites, communes):
    unknown = communes.assign(population=communes["population"].where(
        communes["departement"] != "01", 0))
    per = rankings.sites_per_100k(sites, unknown).set_index("departement")
    assert np.isnan(per.loc["01 Département fictif Un", "value"])
