"""E2SFCA index (hours per 1,000 inhabitants) and the opening-hours parser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import access, settings
from explorer import accessibility_index as ai
from explorer.opening_hours import weekly_hours

pytest.importorskip("access", reason="PySAL access not installed")

# Three communes, two sites. Times (min) and their weights (1 / 0.68 / 0.22):
# A-S1 5 (1); B-S1 15 (0.68); B-S2 5 (1); C-S2 25 (0.22); A-S2 and C-S1 beyond 30 min (0).
DEMAND = pd.Series({"A": 1000.0, "B": 2000.0, "C": 500.0})
SUPPLY = pd.Series({"S1": 30.0, "S2": 10.0})
COSTS = pd.DataFrame({"origin": ["A", "B", "B", "C", "A", "C"],
                      "dest": ["S1", "S1", "S2", "S2", "S2", "S1"],
                      "time_min": [5.0, 15.0, 5.0, 25.0, 35.0, 40.0]})


def test_hand_computed_case():
    r1 = 30 / (1000 * 1 + 2000 * 0.68)   # hours per person around S1: 30 / 2,360
    r2 = 10 / (2000 * 1 + 500 * 0.22)    # around S2: 10 / 2,110
    expected = {"A": 1000 * r1, "B": 1000 * (0.68 * r1 + r2), "C": 1000 * 0.22 * r2}
    result = ai.e2sfca(DEMAND, SUPPLY, COSTS)
    for code, value in expected.items():
        assert result[code] == pytest.approx(value)
    assert result["A"] == pytest.approx(12.71, abs=0.01)


def test_more_opening_hours_never_lower_an_index():
    rng = np.random.default_rng(7)
    demand = pd.Series(rng.integers(100, 5000, 30).astype(float),
                       index=[f"c{i}" for i in range(30)])
    supply = pd.Series(rng.uniform(5, 40, 8), index=[f"s{j}" for j in range(8)])
    costs = pd.DataFrame([(f"c{i}", f"s{j}", rng.uniform(0, 40)) for i in range(30)
                          for j in range(8)], columns=["origin", "dest", "time_min"])
    base = ai.e2sfca(demand, supply, costs)
    for j in range(8):
        more = supply.copy()
        more.iloc[j] += 10
        assert (ai.e2sfca(demand, more, costs) >= base - 1e-12).all()
    assert (ai.e2sfca(demand, supply * 2, costs) > base - 1e-12).all()


def test_cost_table_times_are_the_travel_time_estimate():
    fixtures = settings.ROOT / "tests" / "fixtures"
    communes = pd.read_csv(fixtures / "geo_communes_fixture.csv", dtype={"code_insee": str})
    sites = pd.read_csv(fixtures / "geo_sites_fixture.csv", dtype={"code_insee": str})
    costs = ai.cost_table(communes, sites)
    # A is on S1 (0 min), B 24.78 min from S1, C on S2; D is 125 min away: out of the catchment.
    pairs = {(o, d): t for o, d, t in costs.itertuples(index=False)}
    assert pairs == pytest.approx({("99001", 0): 0.0, ("99002", 0): 24.78, ("99003", 1): 0.0},
                                  abs=0.01)
    times = access.travel_times(access.nearest_sites(communes, sites), communes)
    assert times.set_index("code_insee").at["99002", "time_min"] == pytest.approx(
        pairs[("99002", 0)])


@pytest.mark.parametrize("text, hours", [
    ("lun. 09:00-12:30, 13:30-17:00 ; mar. 13:30-17:00", 7 + 3.5),
    ("Du lundi au vendredi : 9h-12h", 15),
    ("Lundi : 9h-12h, 14h-17h ; du mercredi au jeudi : 16h-19h", 6 + 6),
    ("Du samedi au lundi : 9h-12h", 9),                       # wraps past Sunday
    ("lun. 08:30-17:30, 08:30-12:30 ; mar. 00:00-00:00, 09:00-12:00", 9 + 3),  # merged, empty
    ("Lundi et mardi : 8h30-12h", 7),
])
def test_weekly_hours(text, hours):
    assert weekly_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["", None, "sur rendez-vous", "Lundi : fermé", "9h-12h"])
def test_unreadable_hours_are_not_guessed(text):
    assert np.isnan(weekly_hours(text))


def test_site_hours_fill_the_median():
    sites = pd.DataFrame({"opening_hours": ["Lundi : 9h-12h", "Du lundi au mardi : 9h-12h",
                                            "Lundi : 8h-18h", ""]})
    hours, unknown = ai.site_hours(sites)
    assert unknown == 1 and list(hours) == [3, 6, 10, 6]


def test_structured_ranges_are_read_before_the_text():
    from explorer import opening_hours

    sites = pd.DataFrame({
        "opening_hours": ["lun. 09:00-12:00", "Mardi : 9h-12h", ""],
        "opening_ranges": [
            [{"day": 1, "opens": "09:00", "closes": "12:00"},
             {"day": 2, "opens": "09:00", "closes": "17:00"},
             {"day": 2, "opens": "13:00", "closes": "18:00"}],  # overlap counted once
            [], None]})
    assert opening_hours.site_weekly_hours(sites)[:2] == [3 + 9, 3]
    assert np.isnan(opening_hours.site_weekly_hours(sites)[2])
