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
