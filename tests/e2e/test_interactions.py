"""Filters, the SQL console and CSV downloads, clicked through in Chromium."""

import io

import pandas as pd
import pytest

from explorer import charts
from tests.e2e import helpers

pytestmark = helpers.requires_browser

# Golden dataset: IGAS 2019-033R, annexe 3, Tableau 8 (CNAF, canaux 2014-2018), 40 values.
TABLEAU_8 = "cnaf_contacts_by_channel_year"
TABLEAU_8_TITLE = "Utilisation des canaux par les allocataires entre 2014 et 2018"


def download_csv(page, button) -> tuple[str, pd.DataFrame]:
    """Click a download button (a Locator); return the suggested file name and the file read as the
    French CSV it must be (explorer.export.csv: byte-order mark, semicolons, decimal commas)."""
    with page.expect_download() as info:
        button.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    return download.suggested_filename, pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")


def shown_title(page, title: str):
    """The bold dataset title that `ui.dataset_view` writes above its chart."""
    return page.locator('[data-testid="stMain"] strong', has_text=title)


def test_theme_dataset_picker_updates_url_content_and_csv_annexe_3_tableau_8(browser_page, app_url, con):
    page = browser_page
    helpers.open_app_page(page, app_url, "canaux")
    before = helpers.query_string(page)
    assert "dataset=" in before, "the picker writes its choice into the URL"
    assert TABLEAU_8 not in before, "the golden dataset must not be the default, or nothing changes"
    title_before = page.get_by_role("combobox", name="Jeu de données", exact=True).input_value()
    title_before = title_before.split(" · ", 2)[-1]  # "A2 · texte · <title>"
    assert shown_title(page, title_before).count() == 1

    helpers.choose_option(page, "Jeu de données", TABLEAU_8_TITLE)
    helpers.wait_for_query_param(page, "dataset", TABLEAU_8)
    shown_title(page, TABLEAU_8_TITLE).wait_for()
    helpers.wait_for_rerun(page)
    helpers.assert_no_exception(page)
    assert shown_title(page, TABLEAU_8_TITLE).count() == 1
    assert shown_title(page, title_before).count() == 0
    helpers.wait_for_charts(page)
    helpers.save_screenshot(page, "filter_canaux_tableau_8")

    # ui.dataset_browser(key="dataset") names its view "dataset_view", whose CSV button is "dataset_view_csv".
    button = helpers.keyed(page, "dataset_view_csv").get_by_role("button", name="Données (CSV)")
    name, frame = download_csv(page, button)
    assert name == f"{TABLEAU_8}.csv"
    # execute(), not the relation API: it also ends a result another test left unfetched.
    table = con.execute(f'SELECT * FROM "{TABLEAU_8}"').df()
    assert list(frame.columns) == [charts.label(c) for c in table.columns]  # as its « Données » tab
    assert len(frame) == len(table) == 40
    site_2018 = frame[(frame["Canal"] == "Site internet") & (frame["Année"] == 2018)]["Valeur"]
    assert site_2018.tolist() == [350_741_828]  # visites du site caf.fr en 2018


def test_sources_picker_and_catalog_csv(browser_page, app_url, con):
    page = browser_page
    helpers.open_app_page(page, app_url, "sources")
    helpers.choose_option(page, "Jeu de données", TABLEAU_8_TITLE)
    helpers.wait_for_query_param(page, "dataset", TABLEAU_8)
    shown_title(page, TABLEAU_8_TITLE).wait_for()
    helpers.wait_for_rerun(page)
    helpers.assert_no_exception(page)

    name, frame = download_csv(page, helpers.keyed(page, "catalog_csv").get_by_role("button"))
    assert name == "catalog.csv"
    assert frame.columns[0] == "Identifiant"  # as the table on screen: French titles, codes in words
    assert len(frame) == con.execute("SELECT count(*) FROM catalog").fetchone()[0]
    row = frame.set_index("Identifiant").loc[TABLEAU_8]
    assert (row["Annexe"], row["Élément"], row["Opérateur"], row["Thème"]) == (3, "Tableau 8", "CNAF", "Contacts par canal")


def run_sql(page, sql: str) -> None:
    page.get_by_label("Requête SQL").fill(sql)
    page.get_by_role("button", name="Exécuter").click()


def test_sql_console_runs_a_query_and_exports_it(browser_page, app_url, con):
    page = browser_page
    helpers.open_app_page(page, app_url, "sql")
    sql = "SELECT annex, count(*) AS n FROM catalog GROUP BY annex ORDER BY annex"
    run_sql(page, sql)
    page.get_by_text("9 lignes en", exact=False).wait_for()
    helpers.wait_for_rerun(page)
    helpers.assert_no_exception(page)
    helpers.wait_for_query_param(page, "sql", sql)
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.is_visible()
    helpers.save_screenshot(page, "sql_result")

    name, frame = download_csv(page, helpers.keyed(page, "result_csv").get_by_role("button"))
    assert name == "requete.csv"
    assert list(frame.columns) == ["annex", "n"]
    assert frame["annex"].tolist() == list(range(1, 10))
    assert frame["n"].sum() == con.execute("SELECT count(*) FROM catalog").fetchone()[0]


def test_the_largest_console_result_reaches_the_browser_and_outlives_the_schema(browser_page, app_url):
    """A result cut at its byte budget (settings.MAX_RESULT_BYTES) still fits one websocket message
    (maxMessageSize in .streamlit/config.toml); opening « Schéma des tables » (ui.lazy_expander)
    reruns its fragment alone, so the result of the click stays on screen."""
    page = browser_page
    helpers.open_app_page(page, app_url, "sql")
    run_sql(page, "SELECT repeat('x', 100000) AS s FROM range(1000)")
    page.get_by_text("Résultat tronqué aux", exact=False).wait_for()
    helpers.wait_for_rerun(page)
    helpers.assert_no_exception(page)
    result = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    assert result.count() == 1 and page.get_by_text("lignes en", exact=False).count() == 1
    page.get_by_text("Schéma des tables", exact=True).click()
    page.get_by_label("Table", exact=True).wait_for()
    helpers.wait_for_rerun(page)
    assert result.count() == 2  # the result, and the schema's table
    assert page.get_by_text("Résultat tronqué aux", exact=False).count() == 1


def test_a_compressed_flood_is_refused_before_it_fills_the_memory(app_url):
    """12 MB of zeros travel compressed in a few kB: the server stops inflating them at its
    message limit (1009, message too big) and goes on serving."""
    from urllib.request import urlopen

    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with connect(app_url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                 compression="deflate", max_size=None) as socket:
        socket.send(b"\0" * 12_000_000)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                socket.recv(timeout=60)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    with urlopen(f"{app_url}/_stcore/health", timeout=30) as response:
        assert response.read() == b"ok"


HOSTILE = [  # (query, the French message the user sees)
    ("DROP TABLE catalog", "Seules les requêtes de lecture (SELECT) sont autorisées."),
    ("SELECT 1; SELECT 2", "Une seule requête SELECT est autorisée."),
    ("SELECT * FROM read_csv('/etc/passwd')",
     "Source non autorisée : read_csv(). La console ne lit que les tables de la base (et range, generate_series, "
     "unnest)."),
]


def test_sql_console_refuses_hostile_queries_in_french(browser_page, app_url):
    page = browser_page
    helpers.open_app_page(page, app_url, "sql")
    errors = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
    for sql, message in HOSTILE:
        run_sql(page, sql)
        errors.filter(has_text=message).wait_for()
        helpers.wait_for_rerun(page)
        helpers.assert_no_exception(page)
        assert errors.all_inner_texts() == [message], sql
        assert page.get_by_text("lignes en", exact=False).count() == 0, sql
    helpers.save_screenshot(page, "sql_hostile")
