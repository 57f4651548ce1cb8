"""4G availability estimate on the toy geography (tests/fixtures/geo_*_fixture.csv).

Hand-checked distances (meridian 3° E, 0.01° of latitude = 1.112 km; 0.01° of longitude at
46° N = 0.772 km). Radii: dense 2 km, intermédiaire 5 km, rural 8 km.
A (rural): Orange 0 km, SFR 5.56 km, Free 16.7 km, Bouygues 4G 117 km  -> 2 operators
B (rural): Free 5.56 km, SFR 16.7 km, Orange 22.2 km                   -> 1
C (dense): Orange 1.11, SFR 1.11, Bouygues 0.77, Free 0.77 km           -> 4 (all)
D (intermédiaire): Bouygues 6.67 km, the rest > 100 km                  -> 0, in scope
E (no point) and F (overseas, > 40 km from any site)                   -> no estimate
"""

from __future__ import annotations

import pandas as pd
import pytest

from explorer import coverage, settings

FIXTURES = settings.ROOT / "tests" / "fixtures"


@pytest.fixture
def communes():
    return pd.read_csv(FIXTURES / "geo_communes_fixture.csv", dtype={"code_insee": str,
                                                                    "departement": str})


@pytest.fixture
def mobile_sites():
    return pd.read_csv(FIXTURES / "geo_mobile_sites_fixture.csv")


@pytest.fixture
def distances(communes, mobile_sites):
    return coverage.nearest_operator_sites(communes, mobile_sites)


def test_distances_per_operator(distances):
    d = distances.set_index("code_insee")
    assert d.loc["99001", "dist_orange_km"] == pytest.approx(0.0, abs=1e-6)
    assert d.loc["99001", "dist_sfr_km"] == pytest.approx(5.560, abs=1e-3)
    # the Bouygues site at A has no 4G: its nearest 4G site is C's, 1° north (+0.01° east)
    assert d.loc["99001", "dist_bouygues_km"] > 111
    assert d.loc["99003", "dist_free_km"] == pytest.approx(0.772, abs=1e-3)
    assert d.loc["99004", "dist_bouygues_km"] == pytest.approx(6.672, abs=1e-3)


def test_operator_counts(distances, communes):
    est = coverage.estimate_coverage(distances, communes).set_index("code_insee")
    assert est.loc["99001", "n_operators"] == 2
    assert bool(est.loc["99001", "covered_orange"]) and bool(est.loc["99001", "covered_sfr"])
    assert not est.loc["99001", "covered_free"]
    assert est.loc["99002", "n_operators"] == 1 and bool(est.loc["99002", "covered_free"])
    assert est.loc["99003", "n_operators"] == 4 and bool(est.loc["99003", "covered_all"])
    assert est.loc["99004", "n_operators"] == 0
    assert not est.loc["99004", "covered_any"] and bool(est.loc["99004", "in_scope"])
    assert est.loc["99001", "covered_any"] and not est.loc["99001", "covered_all"]
    for code in ("99005", "97999"):  # no point; overseas, outside the file's territory
        assert not est.loc[code, "in_scope"]
        assert pd.isna(est.loc[code, "n_operators"]) and pd.isna(est.loc[code, "covered_any"])


def test_radius_change_reuses_the_distances(distances, communes):
    wider = coverage.CoverageParameters(radius_intermediate_km=7.0)
    est = coverage.estimate_coverage(distances, communes, wider).set_index("code_insee")
    assert est.loc["99004", "n_operators"] == 1  # Bouygues at 6.67 km now counts
    tighter = coverage.CoverageParameters(radius_rural_km=5.0)
    est = coverage.estimate_coverage(distances, communes, tighter).set_index("code_insee")
    assert est.loc["99001", "n_operators"] == 1  # SFR at 5.56 km no longer counts


def test_technology_flag_selects_sites(communes, mobile_sites):
    d2g = coverage.nearest_operator_sites(communes, mobile_sites, technology="2g")
    est = coverage.estimate_coverage(d2g, communes,
                                     coverage.CoverageParameters(technology="2g"))
    row = est.set_index("code_insee").loc["99001"]
    assert row["n_operators"] == 1 and bool(row["covered_bouygues"])


def test_published_coverage_is_preferred(distances, communes):
    est = coverage.estimate_coverage(distances, communes)
    published = pd.DataFrame({"code_insee": ["99004", "99001"], "share_pct": [80.0, 10.0]})
    out = coverage.prefer_published(est, published).set_index("code_insee")
    assert bool(out.loc["99004", "covered_any"]) and out.loc["99004", "coverage_pct"] == 80.0
    assert out.loc["99004", "coverage_source"] == coverage.PUBLISHED_SOURCE
    assert not out.loc["99001", "covered_any"]  # published 10 % beats the estimate
    assert out.loc["99002", "coverage_source"] == coverage.ESTIMATE_SOURCE
    assert bool(out.loc["99002", "covered_any"]) and pd.isna(out.loc["99002", "coverage_pct"])


@pytest.mark.parametrize("rows, message", [
    ({"code_insee": ["99001", "123"], "share_pct": [10, 20]}, "ligne 3"),
    ({"code_insee": ["99001", "99002"], "share_pct": [10, 120]}, "ligne 3"),
    ({"code_insee": ["99001"], "part": [10]}, "share_pct"),
    ({"code_insee": ["99001", "99001"], "share_pct": [10, 20]}, "double"),
])
def test_published_coverage_errors_are_french_and_located(rows, message):
    with pytest.raises(ValueError, match=message):
        coverage.validate_published(pd.DataFrame(rows))


def test_summary_counts_population_by_operator_count(distances, communes):
    est = coverage.estimate_coverage(distances, communes)
    summary = coverage.coverage_summary(est, communes)
    fm = summary[summary["zone_code"] == "FM"].set_index("n_operators")["population_count"]
    assert fm.to_dict() == {0: 4000, 1: 2000, 2: 1000, 4: 3000}


def test_method_text_and_parameters():
    text = coverage.method_text_fr(coverage.CoverageParameters(radius_rural_km=7.5))
    assert "7,5 km" in text and "Estimation" in text and "ARCEP" in text
    with pytest.raises(ValueError, match="Technologie"):
        coverage.CoverageParameters(technology="5g")
