"""AppTest of the map page's sections beyond the report (issue 12), on the embedded data."""

from __future__ import annotations

import pandas as pd

from explorer import settings, sites
from tests.test_access_map_page import assert_clean, frame_with, import_dir, map_page  # noqa: F401


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
    assert any(c.startswith("Simulation : ") for c in (i.value for i in at.info))
    assert at.query_params["scenario"] == f"+15014,-{site}"
    at.button(key="scenario_reset").click().run()
    assert_clean(at)
    assert at.multiselect(key="scenario_add").value == []
    assert "scenario" not in at.query_params


def test_a_click_on_the_scenario_map_names_the_commune_under_the_pointer():
    """What _open_at_click adds: the commune whose boundary holds the clicked point, else the
    one whose town hall is nearest."""
    from explorer import cached, geography

    cantal = geography.load_commune_geometries("15")
    for code in ("15014", "15187", "15113"):  # Aurillac, Saint-Flour, Mandailles-Saint-Julien
        inner = cantal.loc[cantal["code_insee"] == code, "geometry"].iloc[0].representative_point()
        assert cached.commune_at(inner.y, inner.x, ["15"]) == code
    assert cached.nearest_commune(44.9303, 2.4450) == "15014"  # Aurillac's town hall
    assert cached.commune_at(44.9303, 2.4450, ["19"]) == "15014"  # outside Corrèze: nearest


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
    at = map_page(vue="48")
    at.toggle(key="plan_on").set_value(True).run()
    assert_clean(at)
    table = frame_with(at, "Cumul (simulation)")
    assert len(table) >= 1 and table["Commune"].str[-6:-4].eq("48").all()
    at.button(key="plan_to_scenario").click().run()
    assert_clean(at)
    assert len(at.multiselect(key="scenario_add").value) == len(table)
    panel = frame_with(at, "Rapport (alors)", "Aujourd'hui")
    first = panel.iloc[0]
    assert first["Rapport (alors)"] == "environ 1\u00a0300 MSAP"
    assert first["Aujourd'hui"] == "2\u00a0845 France services"  # embedded list, 2024-08-01


def test_the_index_is_mapped_ranked_and_explained(import_dir):  # noqa: F811
    at = map_page(vue="48")
    at.toggle(key="index_on").set_value(True).run()
    assert_clean(at)
    ranked = frame_with(at, "Heures pour 1 000 habitants (estimation)")
    assert ranked["Territoire"].str[-6:-4].eq("48").all() and len(ranked) > 100
    assert any("E2SFCA" in c.value and "0,68" in c.value for c in at.caption)
