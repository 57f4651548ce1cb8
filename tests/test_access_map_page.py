"""AppTest of the access map page and of the import page (started from app.py, STYLE §3.6).

Imports go to a temporary folder (EXPLORER_IMPORT_DIR). The shared data/explorer.duckdb is never
rebuilt: the app reads it as it is (its report tables do not depend on imports), except in
`rebuilt_db`, where the database of the imported state is built in the temporary folder.
The map page's first run computes the nearest sites, 4G and the national rasters of the real
embedded data: its AppTests get a longer timeout.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer import access, database, importers, settings, sites, ui

FIXTURES = settings.ROOT / "tests" / "fixtures"
MAP_PAGE = "pages/access_map.py"
IMPORT_PAGE = "pages/imports.py"
ENSURE_BUILT = database.ensure_built
NBSP = "\u00a0"


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


def map_page(**query_params) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=240)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.switch_page(MAP_PAGE)
    at.run()
    assert_clean(at)
    return at


def frame_with(at, *columns: str) -> pd.DataFrame:
    """The first table (st.dataframe, else st.table) of the page having every one of `columns`."""
    for element in [*at.dataframe, *at.table]:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {columns!r}")


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]


def page_text(at) -> str:
    parts = [e.value for kind in (at.markdown, at.caption, at.info, at.warning, at.success,
                                  at.error, at.subheader, at.title) for e in kind]
    return "\n".join(map(str, parts))


def test_public_demo_with_no_import_shows_france_services_4g_and_double_peine(import_dir,
                                                                               monkeypatch):
    monkeypatch.setenv("EXPLORER_PUBLIC", "1")
    at = map_page()
    network = at.selectbox(key="reseau")
    assert network.options == ["Mairies", "France services"]
    assert network.value == "france_services"
    headline = at.info[0].value
    assert headline.startswith("Estimation : ") and "France services" in headline
    assert "« double peine »" in headline and "de la population de la France entière" in headline
    assert any("données embarquées" in c.value and "millésime du 1er août 2024" in c.value
               for c in at.caption)
    coverage = frame_with(at, "Opérateurs 4G (estimation)", "Part de la population")
    assert list(coverage["Opérateurs 4G (estimation)"])[0] == "aucun opérateur"
    assert len(frame_with(at, "Population en double peine")) >= 5  # ranked départements
    assert len(frame_with(at, "Temps estimé (min)", "Département")) >= 50  # ranked communes
    text = page_text(at)
    assert "Importer des données" not in text and "importez" not in text.lower()
    national = frame_with(at, "Part à plus de 15 min")  # the map's table: départements
    assert len(national) == 101


def test_departement_view_scopes_every_figure(import_dir):
    at = map_page(vue="48")
    assert_clean(at)
    headline = at.info[0].value
    assert "de la population de la Lozère (48)" in headline
    communes = frame_with(at, "Double peine")  # the map's table: communes of the Lozère
    assert communes["Commune"].str.endswith(")").all()
    assert communes["Commune"].str[-6:-4].eq("48").all()
    ranked = frame_with(at, "Temps estimé (min)", "Département")  # double peine communes
    assert ranked["Département"].eq("Lozère (48)").all() and len(ranked) >= 1
    within = frame_with(at, "Temps de référence")
    assert set(within["Territoire"]) == {"Lozère (48)"}
    # the 4G table sums to the Lozère's people the mobile file covers
    cover = frame_with(at, "Opérateurs 4G (estimation)", "Part de la population")
    shares = cover["Part de la population"].str.replace(NBSP, "").str.rstrip("%")
    assert sum(float(s.replace(",", ".")) for s in shares) == pytest.approx(100, abs=0.3)
    at.button(key="go_corse").click().run()
    assert_clean(at)
    assert "de la population de la Corse" in at.info[0].value
    assert at.selectbox(key="vue").value == "corse"


def test_an_import_replaces_the_embedded_network_and_shares_say_their_territory(
        import_dir, rebuilt_db):
    report = importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                                   import_dir=import_dir, source_date="2024-08-01")
    assert report.rows_kept == 5  # the sixth row has no coordinates
    at = map_page()
    assert at.selectbox(key="reseau").value == "france_services"
    assert any("fichier importé" in c.value for c in at.caption)
    note = at.warning[0].value
    assert note.startswith("Le fichier « France services » ne couvre que le territoire ")
    assert "pas sur la France entière" in note
    scope_de = note.split("ne couvre que le territoire ", 1)[1].split(" : ", 1)[0]
    assert f"de la population {scope_de}," in at.info[0].value  # shares say their territory
    # 4G coverage does not depend on the sites file: said of the whole view.
    assert "Couverture 4G (estimation) : France entière" in [h.value for h in at.subheader]
    within = frame_with(at, "Temps de référence")
    [scope] = set(within["Territoire"])
    assert scope_de.endswith(scope.split(" (")[-1]) and scope.split(" (")[0] in scope_de
    # The comparison with the report is drawn once its expander is opened.
    with pytest.raises(AssertionError, match="no table"):
        frame_with(at, "Sites", "À moins de 30 min")
    at.session_state["method_open"] = True
    at.run()
    comparison = frame_with(at, "Sites", "À moins de 30 min")
    assert f"France services ({scope})" in set(comparison["Sites"])
    with database.open_readonly(rebuilt_db) as con:
        count = con.execute("SELECT count(*) FROM sites WHERE network = 'france_services'")
        assert count.fetchone()[0] == 5
    # The Cantal, where the file has no site: no travel time, but its 4G coverage all the same.
    outside = map_page(vue="15")
    assert [w.value for w in outside.warning][1] == (
        "Le fichier « France services » n'a aucun site sur le territoire du Cantal (15) : aucun "
        "temps de trajet n'y est estimé, ni donc de double peine. La couverture 4G est estimée "
        "plus bas.")
    assert not [i.value for i in outside.info if "non estimée" in i.value
                or "inconnue" in i.value or "sites mobiles" in i.value]
    with pytest.raises(AssertionError, match="no table"):  # no population by travel time
        frame_with(outside, "Temps de référence")
    cover = frame_with(outside, "Opérateurs 4G (estimation)", "Part de la population")
    shares = cover["Part de la population"].str.replace(NBSP, "").str.rstrip("%")
    assert sum(float(s.replace(",", ".")) for s in shares) == pytest.approx(100, abs=0.3)


def test_travel_parameters_rerun_times_but_not_the_nearest_search(import_dir, monkeypatch):
    calls = []
    original = access.nearest_sites
    monkeypatch.setattr(access, "nearest_sites", lambda *a, **k: calls.append(1) or original(*a, **k))
    at = map_page(reseau="mairie", vue="15")
    before = frame_with(at, "Temps de référence")
    searches = len(calls)
    at.session_state["method_open"] = True  # the method's text, in its expander
    at.slider(key="detour").set_value(1.8).run()
    assert_clean(at)
    assert len(calls) == searches  # the nearest table came from the cache
    after = frame_with(at, "Temps de référence")
    assert not after.equals(before) or (before["Population au-delà (estimation)"] == "0").all()
    assert any("coefficient de détour de 1,8" in m.value for m in at.markdown)


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
    assert [w.value for w in at.warning] == [  # the five départements of its five located sites
        "Le fichier « France services » ne couvre que le territoire de 5 départements sur 101 : sur la carte de "
        "l'accès, les temps de trajet, la double peine, leurs parts et leurs totaux portent sur ce territoire, pas "
        "sur la France entière (la couverture 4G, qui ne dépend pas de ce fichier, porte sur toute la vue choisie). "
        "Près de ses limites, le site le plus proche peut se trouver hors du fichier : les temps y sont alors "
        "surestimés."]
    path = sites.sites_path("france_services")
    stamp = path.stat().st_mtime_ns

    bad = "nom;commune\nMairie;Exempleville\n".encode()
    with pytest.raises(importers.ImportRejected) as expected:
        importers.get("france-services").parse_report(bad, "mauvais.csv")
    at.file_uploader(key="file_france-services").clear().upload("mauvais.csv", bad)
    at.run()
    at.button(key="import_france-services").click().run()
    assert_clean(at)
    assert [e.value for e in at.error] == [ui.markdown_text(expected.value.message)]
    assert not at.success
    assert path.stat().st_mtime_ns == stamp  # nothing replaced
    assert len(sites.load_sites("france_services")) == 5
    listing = frame_with(at, "Fichier d'origine")
    assert listing.iloc[0].to_dict() | {"Importé le": ""} == {
        "Réseau": "France services", "Lignes": "5", "Territoire couvert": "5 départements sur 101",
        "Source": importers.get("france-services").SOURCE,
        "Millésime": "1er août 2024", "Origine du millésime": "lu dans le nom du fichier",
        "Importé le": "", "Fichier d'origine": "france-services-2024-08-01.csv"}
    at.switch_page("pages/sources.py").run()  # the Sources page says it too
    assert_clean(at)
    covered = frame_with(at, "network", "territory").groupby("network")["territory"].unique()
    assert list(covered["France services"]) == ["5 départements sur 101"]  # on each of its rows
    assert list(covered["Mairies"]) == ["France entière"]


def test_locator_finds_a_postcode_centres_the_map_and_lists_nearest_sites(import_dir):
    at = map_page(commune="15000")
    assert not at.warning
    assert at.selectbox(key="vue").value == "15"  # the map moved to the commune's département
    assert at.query_params["commune"] == "15014"  # the first of its 2 communes, Aurillac
    nearest = frame_with(at, "Site", "Rang")
    assert list(nearest.columns[:2]) == ["Temps estimé (min)", "Distance à vol d'oiseau (km)"]
    assert set(nearest["Réseau"]) == {"Mairies", "France services"}
    assert any(s.value == "Sites les plus proches : Aurillac" for s in at.subheader)
    assert list(nearest["Réseau"])[0] == "France services"  # the chosen network first
    at.text_input(key="commune").input("75115").run()
    assert_clean(at)
    assert at.selectbox(key="vue").value == "75"
    assert any("arrondissement" in c.value and "Paris" in c.value for c in at.caption)
    at.text_input(key="commune").input("1053").run()
    assert at.query_params["commune"] == "01053"  # Bourg-en-Bresse, zero restored
    at.text_input(key="commune").input("Nulle-part-sur-Mer").run()
    assert_clean(at)
    assert [w.value for w in at.warning] == [ui.markdown_text(  # rendered as this plain text
        "Commune introuvable : « Nulle-part-sur-Mer ». Saisissez un nom, un code INSEE ou un code "
        "postal (par exemple « Aurillac », 15014 ou 15000).")]
    at.text_input(key="commune").input("[Session expirée](https://example.org)").run()
    assert at.warning[0].value.startswith(  # shown as typed, not as a link
        "Commune introuvable : « \\[Session expirée\\]\\(https://example.org\\) ».")
    assert "commune" not in at.query_params


def map_document(at: AppTest) -> str:
    [frame] = at.get("iframe")
    return frame.proto.srcdoc


def test_the_shared_map_document_follows_each_of_its_inputs(import_dir):
    """cached.map_html serves one document per inputs to every session: a base map or a located
    commune missing from the key would show another visitor's map."""
    at = map_page(vue="15")
    plain = map_document(at)
    at.selectbox(key="fond").select("osm").run()
    with_tiles = map_document(at)
    assert with_tiles != plain and "tile.openstreetmap.org" in with_tiles
    at.text_input(key="commune").input("15014").run()
    focused = map_document(at)
    assert focused != with_tiles
    at.selectbox(key="seuil").select("20").run()
    assert map_document(at) != focused
    again = map_page(vue="15")  # another session, same inputs: the same document
    assert map_document(again) == plain


DOUBLE_PEINE_COLUMNS = ("Opérateurs 4G (estimation)", "Département")  # not the map's own table


def test_the_tables_beside_the_map_follow_every_choice_of_their_view(import_dir):
    """The tables are cached per view (cached.computed): each choice they depend on is in the key."""
    at = map_page(vue="21", couverture="1")  # Côte-d'Or: 32 communes, 51 at « au plus 2 »
    strict = frame_with(at, *DOUBLE_PEINE_COLUMNS)
    at.selectbox(key="couverture").select("2").run()
    assert_clean(at)
    loose = frame_with(at, *DOUBLE_PEINE_COLUMNS)
    assert set(strict["Commune"]) < set(loose["Commune"])  # « au plus 2 opérateurs » adds communes
    assert set(loose["Opérateurs 4G (estimation)"]) - set(strict["Opérateurs 4G (estimation)"])
    at.selectbox(key="seuil").select("20").run()
    assert_clean(at)
    assert set(frame_with(at, *DOUBLE_PEINE_COLUMNS)["Commune"]) < set(loose["Commune"])


def test_the_comparison_with_the_report_follows_the_network(import_dir):
    at = map_page(reseau="mairie", vue="15")
    at.session_state["method_open"] = True
    at.run()
    assert set(frame_with(at, "Sites", "À moins de 30 min")["Sites"]) >= {"Mairies"}
    at.selectbox(key="reseau").set_value("france_services").run()
    assert_clean(at)
    sites_column = set(frame_with(at, "Sites", "À moins de 30 min")["Sites"])
    assert "France services" in sites_column and "Mairies" not in sites_column


def test_import_page_lists_a_file_of_a_network_it_does_not_know(app_test, import_dir):
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv", source_date="2024-08-01")
    (import_dir / "sites_france_services.parquet").rename(import_dir / "sites_autre_version.parquet")
    at = app_test(IMPORT_PAGE)
    assert_clean(at)  # left by another version: listed, not scoped
    row = frame_with(at, "Territoire couvert").set_index("Réseau").loc["autre_version"]
    assert row["Territoire couvert"] == "—"
