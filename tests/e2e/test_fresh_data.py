"""Issue 9: after an import through the page, « Sources » shows the new data in the same session
and in a new one, without a restart. A server of its own: the import writes to a temporary
import folder and database, never to data/."""

import os
import re

import pytest

from explorer import serve, settings
from tests.e2e import helpers

pytestmark = helpers.requires_browser

FIXTURE = settings.ROOT / "tests" / "fixtures" / "france_services_fixture.csv"
FIXTURE_SITES_KEPT = 5  # 6 lines, one without coordinates (tests/test_importers.py)


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fresh_data")
    env = {name: value for name, value in os.environ.items() if name != "EXPLORER_PUBLIC"}
    env |= {"EXPLORER_IMPORT_DIR": str(folder / "imported"), "EXPLORER_DB": str(folder / "explorer.duckdb")}
    try:
        with serve.background(env, folder / "server.log") as (url, _):
            yield url
    except serve.ServerFailed as failed:
        pytest.fail(str(failed), pytrace=False)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=helpers.VIEWPORT, locale="fr-FR")
    context.set_default_timeout(helpers.TIMEOUT_MS * 2)  # the first page after an import rebuilds the base
    yield context
    context.close()


def sites_table(page):
    """The Sources page's table of sites (the data grid whose columns include « Réseau »)."""
    return page.locator('[data-testid="stDataFrame"]').filter(has=page.locator('[role="columnheader"]',
                                                                                   has_text="Réseau"))


def network_counts(page) -> dict[str, int]:
    """Places per network (over its site types) in the Sources page's table of sites."""
    table = sites_table(page)
    table.locator('[role="gridcell"]').first.wait_for(state="attached")
    cells = table.locator('[role="gridcell"]').all_text_contents()
    width = table.locator('[role="columnheader"]').count()  # network, type, territory, source, date, count
    rows = [cells[i:i + width] for i in range(0, len(cells), width)]
    counts: dict[str, int] = {}
    for network, *_, count in rows:
        counts[network] = counts.get(network, 0) + int(re.sub(r"\D", "", count))
    return counts


def open_from_menu(page, title: str) -> None:
    """Go to a page through the sidebar: the same Streamlit session, unlike a new URL."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.locator('[data-testid="stMain"] h1', has_text=title).wait_for()
    helpers.wait_for_rerun(page)


def test_an_import_shows_on_sources_in_the_same_and_a_new_session(context, import_server):
    page = context.new_page()
    helpers.open_app_page(page, import_server, "sources")
    # France services is embedded (ANCT list); an import replaces it.
    assert network_counts(page).get("France services") != FIXTURE_SITES_KEPT

    open_from_menu(page, "Importer des données")
    upload = helpers.keyed(page, "file_france-services")
    upload.locator('input[type="file"]').set_input_files(str(FIXTURE))
    button = helpers.keyed(page, "import_france-services").locator("button:enabled")
    button.wait_for()  # enabled by the rerun that received the file
    date = helpers.keyed(page, "date_france-services").locator("input")
    date.fill("2024-01-01")
    date.press("Enter")
    helpers.wait_for_rerun(page)
    button.click()
    page.get_by_text("Import réussi.").wait_for()
    helpers.assert_no_exception(page)

    open_from_menu(page, "Sources et jeux de données")
    helpers.assert_no_exception(page)
    assert network_counts(page).get("France services") == FIXTURE_SITES_KEPT

    fresh = context.new_page()  # a new tab: a new session
    helpers.open_app_page(fresh, import_server, "sources")
    assert network_counts(fresh).get("France services") == FIXTURE_SITES_KEPT
