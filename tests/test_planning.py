"""Where to open next (MCLP) on a toy line of rural communes 11.1 km apart (0.1° of latitude).

At 15 min a rural commune reaches 13.46 km (5 km at 70 km/h, then 10.7 min at 70 km/h: 17.5 km
of road, over the detour factor 1.3): a new site covers its own commune and its two neighbours.
The only existing site is 0.5° south of the first (56 to 145 km away), so every commune starts beyond 15 min.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import access, planning

THRESHOLD = 15
POPULATIONS = [100, 900, 150, 50, 700, 800, 20, 400, 300]


@pytest.fixture(scope="module")
def communes():
    n = len(POPULATIONS)
    return pd.DataFrame({
        "code_insee": [f"990{i:02d}" for i in range(n)], "nom": [f"C{i}" for i in range(n)],
        "departement": "99", "departement_nom": "Fictif", "population": POPULATIONS,
        "lat": 45.0 + 0.1 * np.arange(n), "lon": 3.0, "density_class": "rural"})


@pytest.fixture(scope="module")
def sites():
    return pd.DataFrame({"name": ["Loin"], "network": ["france_services"], "lat": [44.5],
                         "lon": [3.0]})


@pytest.fixture(scope="module")
def problem(communes, sites):
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    return planning.build_problem(times, communes, ["99"], THRESHOLD)


def test_reach_is_the_inverse_of_the_travel_time():
    params = access.Parameters()
    for speed in (30.0, 50.0, 70.0):
        km = params.reach_km(THRESHOLD, speed)
        assert params.minutes(km * params.detour_factor, speed) == pytest.approx(THRESHOLD)
    assert params.reach_km(THRESHOLD, 70.0) == pytest.approx(13.46, abs=0.01)


def test_a_site_covers_its_commune_and_its_neighbours(problem):
    assert problem.cover.shape == (9, 9)
    assert list(problem.cover[0].indices) == [0, 1]
    assert list(problem.cover[4].indices) == [3, 4, 5]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_greedy_equals_the_exact_answer_on_a_small_case(problem, n):
    picked = planning.greedy(problem, n)
    _, best = planning.exact_by_enumeration(problem, n)
    assert sum(g for _, g in picked) == best
    assert planning.covered_population(problem, [j for j, _ in picked]) == best


def test_spopt_agrees_with_enumeration(problem):
    pytest.importorskip("spopt", reason="spopt not installed")
    chosen, covered = planning.exact_spopt(problem, 3)
    assert covered == planning.exact_by_enumeration(problem, 3)[1]
    assert len(chosen) == 3


def test_greedy_gain_is_what_a_full_recomputation_gives(communes, sites, problem):
    table = planning.proposals(problem, planning.greedy(problem, 3))
    assert list(table["rank"]) == [1, 2, 3]
    new = pd.DataFrame({"name": table["nom"], "network": "france_services",
                        "lat": table["lat"], "lon": table["lon"]})
    before = access.travel_times(access.nearest_sites(communes, sites), communes)
    after = access.travel_times(access.nearest_sites(communes, pd.concat([sites, new])),
                                communes)
    gained = (before["time_min"] > THRESHOLD) & (after["time_min"] <= THRESHOLD)
    assert before.loc[gained, "population"].sum() == table["cumulative_gained"].iloc[-1]
    assert table["population_gained"].is_monotonic_decreasing


def test_greedy_stops_when_nothing_is_left_to_cover(problem):
    picked = planning.greedy(problem, 9)
    assert sum(g for _, g in picked) == sum(POPULATIONS)
    assert len(picked) < 9
