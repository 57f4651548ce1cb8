"""What-if scenarios on the toy geography (tests/fixtures/geo_*_fixture.csv; see test_territory.py).

Département 01 has one site, S1 (index 0), at commune A; B is 24.8 min from it. Closing S1
sends A and B to S2 (commune C, dép. 02, 111 km away): beyond any threshold.
"""

from __future__ import annotations

import pandas as pd
import pytest

from explorer import access, scenarios, settings
from explorer.territory import views
from tests.test_territory import communes, cover  # noqa: F401 (shared fixtures)

FIXTURES = settings.ROOT / "tests" / "fixtures"
THRESHOLD = 30


@pytest.fixture(scope="module")
def index():
    return access.SiteIndex(pd.read_csv(FIXTURES / "geo_sites_fixture.csv",
                                        dtype={"code_insee": str}))


@pytest.fixture(scope="module")
def baseline(communes, index, cover):
    nearest = access.nearest_sites(communes, index)
    view = views.commune_view(access.travel_times(nearest, communes), communes, cover, 1,
                              THRESHOLD)
    return nearest, view


def run(scenario, communes, index, cover, baseline):
    nearest, view = baseline
    return scenarios.simulate(scenario, nearest, view, communes, index, cover, 1, THRESHOLD,
                              network="france_services")


def dep01(view):
    return scenarios.beyond_population(view[view["departement"] == "01"], THRESHOLD)


def test_closing_the_only_site_puts_the_territory_beyond_the_threshold(communes, index, cover,
                                                                       baseline):
    assert dep01(baseline[1]) == 0  # A 0 min, B 24.8 min; E has no point
    outcome = run(scenarios.Scenario(closed=(0,)), communes, index, cover, baseline)
    assert set(outcome.changed_codes) == {"99001", "99002"}
    assert dep01(outcome.view) == 3000
    by_code = outcome.view.set_index("code_insee")
    assert by_code.at["99001", "site_name"] == "Site fictif S2"
    assert by_code.at["99001", "time_min"] > 100
    # B is covered by 1 operator: far and poorly covered now, so it enters « double peine ».
    assert list(outcome.entering["code_insee"]) == ["99002"]
    assert outcome.leaving.empty


def test_adding_a_site_back_restores_access(communes, index, cover, baseline):
    outcome = run(scenarios.Scenario(added=("99002",), closed=(0,)), communes, index, cover,
                  baseline)
    by_code = outcome.view.set_index("code_insee")
    assert by_code.at["99002", "time_min"] == 0
    assert by_code.at["99001", "site_name"] == "Nouveau site (simulation) : Commune fictive B"
    assert by_code.at["99001", "time_min"] == pytest.approx(24.78, abs=0.01)
    assert dep01(outcome.view) == 0
    assert outcome.entering.empty


def test_incremental_result_equals_a_full_recomputation(communes, index, cover, baseline):
    scenario = scenarios.Scenario(added=("99004",), closed=(1,))
    outcome = run(scenario, communes, index, cover, baseline)
    remaining = index.sites.drop(index=list(scenario.closed))
    full_sites = pd.concat([remaining, scenarios.added_sites(scenario, communes,
                                                             "france_services")])
    full = access.travel_times(access.nearest_sites(communes, full_sites), communes)
    pd.testing.assert_series_equal(outcome.view.set_index("code_insee")["time_min"],
                                   full.set_index("code_insee")["time_min"], check_names=False)
    summary = scenarios.change_summary(baseline[1], outcome, {"France": ["01", "02"]})
    row = summary[summary["threshold_min"] == 30].iloc[0]
    # D (4,000) gets its own site; C (3,000) loses S2 and is 111 km from D's new site.
    assert (row["beyond_before"], row["beyond_after"]) == (4000, 3000)
    assert row["beyond_change"] == -1000
    at_page_threshold = scenarios.change_summary(baseline[1], outcome, {"France": ["01", "02"]}, [15, 30])
    assert list(at_page_threshold["threshold_min"]) == [15, 30]
    assert at_page_threshold.iloc[1].to_dict() == row.to_dict()
    # Unknown, not zero: a zone without known population, or outside the 4G file (F, in 971).
    overseas = scenarios.change_summary(baseline[1], outcome, {"971": ["971"]}).iloc[0]
    assert overseas["beyond_before"] == 100 and pd.isna(overseas["double_peine_in"])
    unknown = baseline[1].assign(population=pd.NA)
    unknown_summary = scenarios.change_summary(unknown, outcome, {"France": ["01"]})
    assert pd.isna(unknown_summary.iloc[0]["beyond_before"])
    assert row["double_peine_in"] == 0  # 01 and 02 are inside the 4G file


def test_scenario_round_trips_through_the_url():
    scenario = scenarios.Scenario(added=("15014", "2A004"), closed=(123, 7))
    assert scenario.to_url() == "+15014,+2A004,-123,-7"
    assert scenarios.Scenario.from_url(scenario.to_url()) == scenario
    assert scenarios.Scenario.from_url("") == scenarios.Scenario()
    assert scenarios.Scenario().is_empty()


@pytest.mark.parametrize("text", ["15014", "+1501", "-x", "+15014;-3", "-12345678"])
def test_an_unreadable_scenario_gets_one_french_line(text):
    with pytest.raises(ValueError, match="Scénario illisible"):
        scenarios.Scenario.from_url(text)


def test_unknown_commune_or_site_is_refused(communes, index, cover, baseline):
    with pytest.raises(ValueError, match="Commune inconnue ou sans point : 99005"):
        run(scenarios.Scenario(added=("99005",)), communes, index, cover, baseline)
    with pytest.raises(ValueError, match="Site inconnu"):
        run(scenarios.Scenario(closed=(9,)), communes, index, cover, baseline)


def test_a_scenario_is_bounded():
    with pytest.raises(ValueError, match="au plus"):
        scenarios.Scenario(closed=tuple(range(scenarios.MAX_CHANGES + 1)))


def test_a_partly_wrong_link_keeps_its_valid_changes(communes, index):
    kept = scenarios.readable_part("+99002,+99005,-0,-9,oops,+12345", communes, index.sites)
    assert kept == scenarios.Scenario(added=("99002",), closed=(0,))
