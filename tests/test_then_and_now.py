"""Then and now: the report's figures beside today's files, each with date, source, caveat."""

from __future__ import annotations

import pandas as pd

from explorer import access, queries, settings, then_and_now

NBSP = "\u00a0"


def report(dataset_id: str) -> pd.DataFrame:
    return pd.read_csv(settings.ROOT / "data" / "report" / f"{dataset_id}.csv")


def panel_for(con, within_30_min_pct: float) -> pd.DataFrame:
    """The panel, indexed by Indicateur, with a France services file of 2,845 sites (1 August
    2024) and `within_30_min_pct` % of metropolitan France within 30 min of one."""
    reception = queries.run(con, "reception_sites_by_operator_and_year")
    within = pd.DataFrame({"zone_code": [access.METRO_CODE], "threshold_min": [30],
                           "within_pct": [within_30_min_pct]})
    files = {"france_services": (2845, {"source": "ANCT", "source_date": "2024-08-01"})}
    return then_and_now.panel(report("mediation_msap_cour_des_comptes_2019"), reception,
                              report("cnam_population_share_by_travel_time"),
                              report("cnav_access_55_64"), files, within).set_index("Indicateur")


def test_panel_puts_each_report_figure_beside_todays_file(con):
    panel = panel_for(con, 99.61)
    msap = panel.iloc[0]
    assert (msap["Rapport (alors)"], msap["Aujourd'hui"]) == (f"environ 1{NBSP}300 MSAP",
                                                              f"2{NBSP}845 France services")
    assert msap["Date et source (aujourd'hui)"] == "1er août 2024, ANCT"
    caf = panel.loc["Lieux d'accueil CAF (Sites et permanences)"]
    assert caf["Rapport (alors)"] == f"1{NBSP}166" and caf["Date et source (alors)"].startswith("2018")
    assert caf["Date et source (aujourd'hui)"] == then_and_now.NO_FILE
    share = panel.loc["Population à moins de 30 min d'un lieu d'accueil (France métropolitaine)"]
    assert share["Rapport (alors)"].startswith(f"98{NBSP}%")
    assert share["Aujourd'hui"] == f"99,6{NBSP}% (France services)"
    assert "pas comparable" in share["Attention"]
    assert panel["Attention"].str.len().gt(0).all()
    assert not panel.map(lambda cell: "_" in cell).any().any(), "no internal identifier shown"


def test_a_share_near_100_is_not_rounded_to_100(con):
    panel = panel_for(con, 99.97)
    share = panel.loc["Population à moins de 30 min d'un lieu d'accueil (France métropolitaine)"]
    assert share["Aujourd'hui"] == f"plus de 99,9{NBSP}% (France services)"
