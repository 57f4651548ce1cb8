"""AppTest of the access map page and of the import page (started from app.py, STYLE §3.6).

Imports go to a temporary folder (EXPLORER_IMPORT_DIR). The shared data/explorer.duckdb is never
rebuilt: the app reads it as it is (its report tables do not depend on imports), except in
`rebuilt_db`, where the database of the imported state is built in the temporary folder.
"""

from __future__ import annotations

import pandas as pd
import pytest

from explorer import access, database, importers, settings, sites

FIXTURES = settings.ROOT / "tests" / "fixtures"
MAP_PAGE = "pages/access_map.py"
IMPORT_PAGE = "pages/imports.py"
ENSURE_BUILT = database.ensure_built


@pytest.fixture
def import_dir(tmp_path, monkeypatch, db_path):
    """An empty import folder; the app keeps reading the project database."""
    folder = tmp_path / "imported"
    folder.mkdir()
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(folder))
    monkeypatch.delenv("EXPLORER_PUBLIC", raising=False)
    monkeypatch.setattr(database, "ensure_built", lambda path=None: db_path)
    return folder


@pytest.fixture
def rebuilt_db(import_dir, tmp_path, monkeypatch):
    """The database follows the imports, built beside them (about 5 s)."""
    private = tmp_path / "explorer.duckdb"
    monkeypatch.setattr(database, "ensure_built", lambda path=None: ENSURE_BUILT(private))
    return private


def frame_with(at, column: str) -> pd.DataFrame:
    """The first st.dataframe of the page having `column`."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with column {column!r}")


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]


def test_map_page_with_the_embedded_town_halls(app_test, import_dir):
    at = app_test(MAP_PAGE)
    assert_clean(at)
    assert at.selectbox(key="reseau").options == ["Mairies"]
    assert at.title[0].value == "Carte de l'accès"
    assert at.info[0].value.startswith("Estimation : 100,0\u00a0% de la population")
    national = frame_with(at, "Part à moins du seuil (%)")
    assert list(national["Seuil (min)"].unique()) == [15, 30, 45, 60]
    assert len(frame_with(at, "Part à 30 min ou moins (%)")) == 101  # map table: départements
    comparison = frame_with(at, "Sites").set_index("Sites")
    assert comparison.loc["Assurance Maladie : Agence", "À moins de 30 min (%)"] == 90
    texts = [i.value for i in at.info]
    assert any("importez les sites de l'ARCEP" in t for t in texts)  # 4G
    assert any("attend l'import des sites mobiles" in t for t in texts)  # double peine
    assert any(m.value.startswith("Source : IGAS 2019-033R") for m in at.caption)


def test_map_page_with_an_imported_france_services_layer(app_test, import_dir, rebuilt_db):
    report = importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                                   import_dir=import_dir, source_date="2024-08-01")
    assert report.rows_kept == 5  # the sixth row has no coordinates
    at = app_test(MAP_PAGE)
    assert_clean(at)
    network = at.selectbox(key="reseau")
    assert network.options == ["Mairies", "France services"]
    assert network.value == "france_services"  # imported networks make the default
    assert "France services" in at.info[0].value
    at.selectbox(key="dep").set_value("35").run()  # Testbourg's site (35998) is near Rennes
    assert_clean(at)
    communes = frame_with(at, "Classe de temps")
    assert set(communes["Code INSEE"].str[:2]) == {"35"}
    assert (communes["Site le plus proche"] == "France services de Testbourg - antenne de "
            "Lamaquette").any()
    # the SQL tables follow the import: the database was rebuilt with the new sites
    with database.open_readonly(rebuilt_db) as con:
        count = con.execute("SELECT count(*) FROM sites WHERE network = 'france_services'")
        assert count.fetchone()[0] == 5


def test_locator_nearest_sites_and_unknown_commune(app_test, import_dir):
    at = app_test(MAP_PAGE)
    at.text_input(key="commune").input("Nulle-part-sur-Mer").run()
    assert_clean(at)
    assert [w.value for w in at.warning] == [
        "Commune introuvable : « Nulle-part-sur-Mer ». Saisissez le nom d'une commune (par exemple "
        "« Aurillac ») ou son code INSEE à 5 caractères (par exemple 15014)."]
    at.text_input(key="commune").input("aurillac").run()
    assert not at.warning
    nearest = frame_with(at, "Temps estimé (min)").reset_index(drop=True)
    assert nearest.loc[0, "Site"] == "Mairie d'Aurillac" and nearest.loc[0, "Rang"] == 1
    assert list(nearest["Réseau"]) == ["Mairies"] * 3


def test_travel_parameters_rerun_times_but_not_the_nearest_search(app_test, import_dir,
                                                                  monkeypatch):
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                          import_dir=import_dir, source_date="2024-08-01")
    calls = []
    original = access.nearest_sites
    monkeypatch.setattr(access, "nearest_sites", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = app_test(MAP_PAGE)
    before = frame_with(at, "Part à moins du seuil (%)")
    searches = len(calls)
    at.slider(key="detour").set_value(1.8).run()
    assert_clean(at)
    assert len(calls) == searches  # the nearest table came from the cache
    after = frame_with(at, "Part à moins du seuil (%)")
    assert (after["Part à moins du seuil (%)"] <= before["Part à moins du seuil (%)"]).all()
    assert not after.equals(before)
    assert any("coefficient de détour de 1,8" in c.value for c in at.caption)


def test_import_page_rejects_a_bad_file_and_keeps_the_previous_data(app_test, import_dir):
    at = app_test(IMPORT_PAGE)
    assert_clean(at)
    fixture = (FIXTURES / "france_services_fixture.csv").read_bytes()
    at.file_uploader(key="file_france-services").upload("france-services-2024-08-01.csv", fixture)
    at.run()
    at.button(key="import_france-services").click().run()
    assert_clean(at)
    assert [s.value for s in at.success] == ["Import réussi."]
    assert "Lignes lues : 6 ; conservées : 5 ; écartées : 1" in at.code[0].value
    path = sites.sites_path("france_services")
    stamp = path.stat().st_mtime_ns

    bad = "nom;commune\nMairie;Exempleville\n".encode()
    with pytest.raises(importers.ImportRejected) as expected:
        importers.get("france-services").parse_report(bad, "mauvais.csv")
    at.file_uploader(key="file_france-services").clear().upload("mauvais.csv", bad)
    at.run()
    at.button(key="import_france-services").click().run()
    assert_clean(at)
    assert [e.value for e in at.error] == [expected.value.message]
    assert not at.success
    assert path.stat().st_mtime_ns == stamp  # nothing replaced
    assert len(sites.load_sites("france_services")) == 5
    listing = frame_with(at, "original_file")
    assert list(listing["original_file"]) == ["france-services-2024-08-01.csv"]

    at.switch_page(MAP_PAGE).run()  # same session: the map follows the import
    assert_clean(at)
    assert at.selectbox(key="reseau").options == ["Mairies", "France services"]


def test_import_page_is_absent_in_public_mode(app_test, import_dir, monkeypatch):
    monkeypatch.setenv("EXPLORER_PUBLIC", "1")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app_test(IMPORT_PAGE)  # not in the menu, so not reachable by URL either
    with pytest.raises(importers.ImportRejected, match="démonstration publique"):
        importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                              import_dir=import_dir)