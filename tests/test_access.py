"""Travel-time estimates on a hand-checked toy geography (tests/fixtures/geo_*_fixture.csv).

Fixture points lie on the meridian 3° E: 1° of latitude = 111.195 km (R = 6371.0088 km).
Default parameters: detour 1.3; 30/50/70 km/h (dense/intermédiaire/rural) for the first 5 road
km, 70 km/h beyond.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from explorer import access, settings

FIXTURES = settings.ROOT / "tests" / "fixtures"
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # 111.1951 km


@pytest.fixture
def communes():
    return pd.read_csv(FIXTURES / "geo_communes_fixture.csv", dtype={"code_insee": str,
                                                                    "departement": str})


@pytest.fixture
def sites():
    return pd.read_csv(FIXTURES / "geo_sites_fixture.csv", dtype={"code_insee": str})


def by_code(frame):
    return frame.set_index("code_insee")


def test_one_degree_of_meridian_and_of_equator_is_111_19_km():
    assert access.great_circle_km(45.0, 3.0, 46.0, 3.0) == pytest.approx(111.195, abs=1e-3)
    assert access.great_circle_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.195, abs=1e-3)
    # the k-d tree's chord distance converts to the same great-circle distance
    a, b = access.unit_vectors([45.0], [3.0]), access.unit_vectors([46.0], [3.0])
    assert access.chord_to_km(np.linalg.norm(a - b)) == pytest.approx(111.195, abs=1e-3)


def test_nearest_sites_on_hand_checked_points(communes, sites):
    near = by_code(access.nearest_sites(communes, sites))
    assert near.loc["99001", "site_name"] == "Site fictif S1"
    assert near.loc["99001", "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert near.loc["99002", "distance_km"] == pytest.approx(0.2 * KM_PER_DEGREE, rel=1e-6)
    assert near.loc["99003", "site_name"] == "Site fictif S2"
    assert near.loc["99004", "distance_km"] == pytest.approx(KM_PER_DEGREE, rel=1e-6)
    assert near.loc["99004", "site_index"] == 1  # label of S2 in the sites frame
    assert pd.isna(near.loc["99005", "distance_km"])  # commune without a point
    assert pd.isna(near.loc["99005", "site_name"])


def test_travel_times_by_density_class(communes, sites):
    times = by_code(access.travel_times(access.nearest_sites(communes, sites), communes))
    # B, rural: 22.239 km x 1.3 = 28.911 km at 70 km/h
    assert times.loc["99002", "time_min"] == pytest.approx(0.2 * KM_PER_DEGREE * 1.3 / 70 * 60,
                                                           rel=1e-6)
    assert times.loc["99002", "time_min"] == pytest.approx(24.78, abs=0.01)
    # D, intermédiaire: 144.553 road km, 5 at 50 km/h then 139.553 at 70 km/h
    road = KM_PER_DEGREE * 1.3
    assert times.loc["99004", "time_min"] == pytest.approx(5 / 50 * 60 + (road - 5) / 70 * 60,
                                                           rel=1e-6)
    assert times.loc["99001", "time_min"] == 0
    assert pd.isna(times.loc["99005", "time_min"])


def test_dense_speed_applies_to_the_local_leg_only():
    params = access.Parameters()
    assert params.minutes(3.0, 30.0) == pytest.approx(6.0)  # all within the local leg
    assert params.minutes(19.0, 30.0) == pytest.approx(10.0 + 12.0)  # 5 km at 30, 14 at 70
    plain = access.Parameters(local_leg_km=float("inf"))
    assert plain.minutes(19.0, 30.0) == pytest.approx(38.0)


def test_changing_a_parameter_does_not_redo_the_nearest_search(communes, sites, monkeypatch):
    calls = []
    original = access.SiteIndex.query

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(access.SiteIndex, "query", counting)
    near = access.nearest_sites(communes, sites)
    slow = access.travel_times(near, communes, access.Parameters(speed_rural_kmh=35.0))
    fast = access.travel_times(near, communes, access.Parameters())
    assert len(calls) == 1
    b_slow, b_fast = by_code(slow).loc["99002", "time_min"], by_code(fast).loc["99002", "time_min"]
    assert b_slow == pytest.approx(2 * b_fast, rel=1e-9)  # 35 km/h instead of 70


def test_parameters_are_hashable_and_validated():
    assert hash(access.Parameters()) == hash(access.Parameters())
    assert {access.Parameters(): 1}[access.Parameters()] == 1
    with pytest.raises(ValueError, match="speed_rural_kmh"):
        access.Parameters(speed_rural_kmh=0)
    with pytest.raises(ValueError, match="détour"):
        access.Parameters(detour_factor=0.8)


def test_population_within_thresholds(communes, sites):
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    table = access.population_within(times, thresholds=(15, 30, 45, 60, 130))
    row = table.set_index(["zone_code", "threshold_min"])
    # Metropolitan France: A (1000) and C (3000) at 0 min, B (2000) at 24.8, D (4000) at 125.6
    assert row.loc[("FM", 15), "within_count"] == 4000
    assert row.loc[("FM", 30), "within_count"] == 6000
    assert row.loc[("FM", 30), "within_pct"] == pytest.approx(60.0)
    assert row.loc[("FM", 30), "beyond_count"] == 4000
    assert row.loc[("FM", 60), "within_count"] == 6000
    assert row.loc[("FM", 130), "within_pct"] == pytest.approx(100.0)
    # F (overseas, 100 inhabitants) has no site within MAX_REACH_KM: not estimated, not "beyond"
    assert row.loc[("FR", 30), "population_count"] == 10_000
    assert row.loc[("FR", 30), "unestimated_count"] == 600
    assert row.loc[("FR", 30), "within_pct"] == pytest.approx(60.0)
    # E has no point: counted apart, not in the denominator
    assert row.loc[("FM", 30), "unestimated_count"] == 500
    assert row.loc[("01", 30), "within_pct"] == pytest.approx(100.0)
    assert row.loc[("01", 30), "unestimated_count"] == 500
    assert row.loc[("02", 30), "within_pct"] == pytest.approx(3000 / 7000 * 100)
    assert row.loc[("02", 30), "zone_nom"] == "Département fictif Deux"


def test_report_table_has_the_tableau_5_rows(communes, sites):
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    table = access.report_table({"France services": access.population_within(times)})
    assert table.loc["Part de la population à moins de 30 mn", "France services"] == 60.0
    assert table.loc["Population à plus de 60 mn", "France services"] == 4000


def test_locator_gives_k_nearest_per_network(communes, sites):
    extra = pd.DataFrame([{"network": "mairie", "site_type": "Mairie", "name": "Mairie fictive",
                           "lat": 45.1, "lon": 3.0}])
    indexes = access.build_indexes(pd.concat([sites, extra], ignore_index=True))
    found = access.commune_locator("99002", communes, indexes, k=2)
    fs = found[found["network"] == "france_services"]
    assert list(fs["name"]) == ["Site fictif S1", "Site fictif S2"]
    assert list(fs["rank"]) == [1, 2]
    assert fs["distance_km"].iloc[1] == pytest.approx(0.8 * KM_PER_DEGREE, rel=1e-6)
    mairie = found[found["network"] == "mairie"]
    assert len(mairie) == 1  # fewer sites than k
    assert mairie["distance_km"].iloc[0] == pytest.approx(0.1 * KM_PER_DEGREE, rel=1e-6)
    assert mairie["time_min"].iloc[0] == pytest.approx(0.1 * KM_PER_DEGREE * 1.3 / 70 * 60,
                                                       rel=1e-6)
    with pytest.raises(KeyError, match="Commune inconnue"):
        access.commune_locator("00000", communes, indexes)


def test_sites_without_coordinates_are_left_out_and_counted(communes, sites):
    broken = pd.concat([sites, pd.DataFrame([{"name": "Sans point", "lat": None, "lon": None}])],
                       ignore_index=True)
    index = access.SiteIndex(broken)
    assert len(index) == 2 and index.n_unlocated == 1
    near = access.nearest_sites(communes, index)
    assert "Sans point" not in set(near["site_name"].dropna())


def test_method_text_states_the_parameters():
    text = access.method_text_fr(access.Parameters(detour_factor=1.25))
    assert "1,25" in text and "70 km/h" in text and "Estimation" in text


def test_a_site_beyond_reach_gives_no_estimate(communes, sites):
    # 2° of latitude (222 km) south of the southernmost site: across the sea, not a car trip
    far = pd.DataFrame({"code_insee": ["99001"], "lat": [sites["lat"].iloc[0] - 2.0],
                        "lon": [sites["lon"].iloc[0]]})
    near = pd.DataFrame({"code_insee": ["99002"], "lat": [sites["lat"].iloc[0] - 1.0],
                         "lon": [sites["lon"].iloc[0]]})
    result = access.nearest_sites(pd.concat([far, near], ignore_index=True), sites)
    assert math.isnan(result["distance_km"].iloc[0]) and pd.isna(result["site_name"].iloc[0])
    assert result["distance_km"].iloc[1] == pytest.approx(KM_PER_DEGREE, rel=1e-3)


# --- contracts pinned down after a mutation run (mutmut, issue 14) --------------------------------

TABLE_COLUMNS = ["zone_level", "zone_code", "zone_nom", "threshold_min", "population_count", "within_count",
                 "within_pct", "beyond_count", "unestimated_count"]


def test_population_within_whole_table_worked_by_hand(communes, sites):
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    # thresholds in any order, départements in any order: the table is sorted. At 0 min only the
    # communes with a site of their own (A 1000, C 3000) count: "within" includes the threshold.
    table = access.population_within(times.iloc[::-1], thresholds=(30, 0))
    expected = pd.DataFrame([
        ("pays", "FR", "France entière", 0, 10_000, 4000, 40.0, 6000, 600),
        ("pays", "FR", "France entière", 30, 10_000, 6000, 60.0, 4000, 600),
        ("pays", "FM", "France métropolitaine", 0, 10_000, 4000, 40.0, 6000, 500),
        ("pays", "FM", "France métropolitaine", 30, 10_000, 6000, 60.0, 4000, 500),
        ("département", "01", "Département fictif Un", 0, 3000, 1000, 100 / 3, 2000, 500),
        ("département", "01", "Département fictif Un", 30, 3000, 3000, 100.0, 0, 500),
        ("département", "02", "Département fictif Deux", 0, 7000, 3000, 300 / 7, 4000, 0),
        ("département", "02", "Département fictif Deux", 30, 7000, 3000, 300 / 7, 4000, 0),
        # F, overseas, has no site within reach: no estimate, no share (not 0 %)
        ("département", "971", "Département fictif outre-mer", 0, 0, 0, math.nan, 0, 100),
        ("département", "971", "Département fictif outre-mer", 30, 0, 0, math.nan, 0, 100),
    ], columns=TABLE_COLUMNS)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    counts = ["threshold_min", "population_count", "within_count", "beyond_count", "unestimated_count"]
    assert (table[counts].dtypes == "int64").all()
    assert access.population_within(times, thresholds=(22.5,))["threshold_min"].tolist()[0] == 22.5
    unnamed = access.population_within(times.drop(columns="departement_nom"), thresholds=(30,))
    assert unnamed["zone_nom"].tolist() == ["France entière", "France métropolitaine", "01", "02", "971"]


def test_travel_times_columns_rows_and_unknown_density(communes, sites):
    communes = communes.assign(density_class=communes["density_class"].where(communes["code_insee"] != "99002"))
    near = access.nearest_sites(communes, sites)
    times = access.travel_times(near, communes.iloc[::-1])  # communes matched on code_insee, any order
    assert list(times.columns) == ["code_insee", "departement", "departement_nom", "population", "density_class",
                                   "site_name", "distance_km", "road_km", "time_min"]
    assert times["code_insee"].tolist() == near["code_insee"].tolist()
    assert times["departement"].tolist() == ["01", "01", "02", "02", "01", "971"]
    assert times["population"].dtype == "Float64" and times["population"].tolist()[:2] == [1000, 2000]
    b = by_code(times).loc["99002"]
    assert b["density_class"] == access.UNKNOWN_DENSITY_CLASS  # no density: the middle speed
    assert b["site_name"] == "Site fictif S1"
    assert b["road_km"] == pytest.approx(0.2 * KM_PER_DEGREE * 1.3)
    assert b["time_min"] == pytest.approx(5 / 50 * 60 + (b["road_km"] - 5) / 70 * 60)
    assert "departement_nom" not in access.travel_times(near, communes.drop(columns="departement_nom"))


def test_nearest_sites_keeps_the_communes_index_and_names_the_network(communes, sites):
    communes = communes.set_axis(range(10, 10 + len(communes)))
    near = access.nearest_sites(communes, sites)
    assert list(near.columns) == ["code_insee", "site_index", "site_name", "site_network", "distance_km"]
    assert list(near.index) == list(communes.index)
    assert near["site_network"].tolist()[:4] == ["france_services"] * 4
    assert near["site_index"].dtype == "Int64"
    unnamed = access.nearest_sites(communes, sites.drop(columns="network"))
    assert unnamed["site_network"].isna().all() and unnamed["site_name"].notna().sum() == 4
    labelled = access.nearest_sites(communes, sites.set_index("name", drop=False))
    assert labelled["site_index"].tolist()[:4] == ["Site fictif S1", "Site fictif S1", "Site fictif S2",
                                                   "Site fictif S2"]


def test_nearest_sites_with_one_site_or_none(communes, sites):
    one = access.nearest_sites(communes, sites.iloc[:1])
    assert one["site_name"].tolist()[:2] == ["Site fictif S1"] * 2
    assert one["site_name"].isna().tolist()[-1]  # F, overseas: beyond reach
    empty = access.nearest_sites(communes, sites.iloc[:0])
    assert empty["site_name"].isna().all() and empty["distance_km"].isna().all()
    assert empty["site_index"].dtype == "Int64" and list(empty.index) == list(communes.index)


def test_site_index_coordinates_and_missing_neighbours(sites):
    odd = pd.DataFrame({"name": ["texte", "sans longitude"], "lat": ["n.c.", "45.5"], "lon": ["3.0", None]})
    index = access.SiteIndex(pd.concat([sites, odd], ignore_index=True))
    assert len(index) == 2 and index.n_unlocated == 2
    dist, pos = index.query([45.0, math.nan], [3.0, 3.0], k=3)  # 3 neighbours asked, 2 sites
    assert pos.tolist() == [[0, 1, -1], [-1, -1, -1]]
    assert dist[0, 0] == 0 and dist[0, 1] == pytest.approx(KM_PER_DEGREE) and np.isinf(dist[0, 2])
    assert np.isinf(dist[1]).all()
    dist, pos = index.query(45.2, 3.0)
    assert pos.shape == (1, 1) and pos[0, 0] == 0
    none = access.SiteIndex(sites.iloc[:0])
    dist, pos = none.query([45.0], [3.0])
    assert none.tree is None and pos.tolist() == [[-1]] and np.isinf(dist).all()


def test_chord_lengths_outside_zero_to_two_are_clipped():
    half_circumference = math.pi * access.EARTH_RADIUS_KM
    assert access.chord_to_km([0.0, 2.0, 2.0 + 1e-12, -1e-12]).tolist() == [0.0, half_circumference,
                                                                             half_circumference, 0.0]


@pytest.mark.parametrize("a, b", [((45.0, 3.0), (46.0, 4.5)), ((16.25, -61.5), (48.85, 2.35)),
                                  ((0.0, 0.0), (60.0, 90.0))])
def test_haversine_and_chord_distances_agree(a, b):
    chord = np.linalg.norm(access.unit_vectors([a[0]], [a[1]]) - access.unit_vectors([b[0]], [b[1]]))
    assert access.great_circle_km(*a, *b) == pytest.approx(access.chord_to_km(chord), rel=1e-9)


def test_parameter_bounds_and_messages():
    assert access.Parameters(local_leg_km=0).minutes(10.0, 30.0) == pytest.approx(10 / 70 * 60)
    assert access.Parameters(detour_factor=1).detour_factor == 1
    with pytest.raises(ValueError, match=r"^Paramètre « local_leg_km » invalide : -1 "
                                         r"\(un nombre positif est attendu\)\.$"):
        access.Parameters(local_leg_km=-1)
    with pytest.raises(ValueError, match=r"^Le coefficient de détour doit être au moins égal à 1 "
                                         r"\(reçu : 0\.9\)\.$"):
        access.Parameters(detour_factor=0.9)


def test_method_text_in_full():
    text = access.method_text_fr()
    assert text.startswith("Estimation, pas un calcul d'itinéraire : distance à vol d'oiseau entre le point de la "
                           "commune (sa mairie, ou à défaut un point intérieur) et le site le plus proche, ")
    assert text.endswith("la suite à 70 km/h. Temps théorique en voiture, sans transports en commun, "
                         "stationnement ni horaires d'ouverture.")
    assert "Les ∞ premiers kilomètres" in access.method_text_fr(access.Parameters(local_leg_km=float("inf")))


def test_report_table_rounds_shares_and_keeps_people_whole(communes, sites):
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    table = access.report_table({"FS": access.population_within(times, (15, 30))}, zone_code="01",
                                thresholds=(15, 30))
    assert table.loc["Part de la population à moins de 15 mn", "FS"] == 33.3  # 1000 / 3000
    beyond = table.loc["Population à plus de 15 mn", "FS"]
    assert beyond == 2000 and type(beyond) is int


def _network_sites(sites):
    mairies = pd.DataFrame({"network": "mairie", "site_type": "Mairie", "name": [f"Mairie {i}" for i in range(4)],
                            "address": "place de la mairie", "commune": "Commune fictive",
                            "opening_hours": "lun. 09:00-12:00", "lat": [45.0 + i / 10 for i in range(4)],
                            "lon": 3.0, "source": "démonstration"})
    return pd.concat([mairies, sites], ignore_index=True)  # mairie first: the indexes are sorted


def test_nearest_by_network_columns_ranks_and_speeds(sites):
    indexes = access.build_indexes(_network_sites(sites))
    assert list(indexes) == ["france_services", "mairie"]
    found = access.nearest_by_network(45.0, 3.0, indexes, density="inconnue")
    assert list(found.columns) == ["network", "rank", "name", "site_type", "address", "commune", "opening_hours",
                                   "lat", "lon", "distance_km", "time_min"]
    assert list(found.index) == list(range(5))
    assert found["network"].tolist() == ["france_services"] * 2 + ["mairie"] * 3  # k = 3 by default
    assert found["rank"].tolist() == [1, 2, 1, 2, 3]
    first = found.iloc[2]
    assert (first["name"], first["site_type"], first["address"], first["commune"], first["opening_hours"],
            first["lat"], first["lon"]) == ("Mairie 0", "Mairie", "place de la mairie", "Commune fictive",
                                            "lun. 09:00-12:00", 45.0, 3.0)
    second = found.iloc[3]  # 0.1° away: 14.5 road km, an unknown density drives at the middle speed
    road = 0.1 * KM_PER_DEGREE * 1.3
    assert second["time_min"] == pytest.approx(5 / 50 * 60 + (road - 5) / 70 * 60)
    empty = access.nearest_by_network(45.0, 3.0, {})
    assert empty.empty and list(empty.columns) == list(found.columns)


def test_commune_locator_passes_k(communes, sites):
    indexes = access.build_indexes(_network_sites(sites))
    assert len(access.commune_locator("99001", communes, indexes, k=1)) == 2  # one per network
    assert len(access.commune_locator("99001", communes, indexes)) == 5
    slow = access.commune_locator("99001", communes, indexes, params=access.Parameters(speed_rural_kmh=35.0))
    fast = access.commune_locator("99001", communes, indexes)
    assert slow["time_min"].iloc[-1] == pytest.approx(2 * fast["time_min"].iloc[-1])  # rural: 70 → 35 km/h
