"""The app and every page render without exception (AppTest, through app.py), filters work and
their state round-trips through the URL."""

import pytest

from explorer import catalog, ui
from explorer.navigation import all_pages
from explorer.themes import PAGE_THEMES
from tests.conftest import open_data_tabs

REPORT_PAGES = {"pages/digital_divide.py": "digital_divide", "pages/channels.py": "channels",
                "pages/satisfaction.py": "satisfaction", "pages/mediation.py": "mediation",
                "pages/non_take_up.py": "non_take_up"}


@pytest.mark.parametrize("page", [p.path for p in all_pages()])
def test_page_renders(app_test, page):
    at = app_test(page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "every page has a title"
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", list(REPORT_PAGES))
def test_default_filters_show_data(app_test, page):
    at = app_test(page)
    charts = at.get("vega_lite_chart")
    assert charts and not at.dataframe, "charts drawn, their tables left for the « Données » tab"
    frames = [df.value for df in open_data_tabs(at).dataframe]
    assert len(frames) == len(charts) and all(len(frame) > 0 for frame in frames)
    assert not at.get("vega_lite_chart"), "the open « Données » tabs replace the charts"


def test_every_dataset_is_reachable_from_a_report_page():
    themes = [t for page in REPORT_PAGES.values() for t in PAGE_THEMES[page]]
    assert len(themes) == len(set(themes)), "a theme is on two pages"
    assert set(catalog.read_catalog()["theme"]) <= set(themes)


def test_dataset_picker_lists_every_dataset_of_the_page_themes(app_test):
    at = app_test("pages/non_take_up.py")
    picker = at.selectbox(key="dataset")
    cat = catalog.read_catalog()
    expected = cat[cat["theme"].isin(PAGE_THEMES["non_take_up"])]
    labels = {f"A{r.annex} · {r.label} · {r.title}" for r in expected.itertuples()}
    assert len(picker.options) == len(expected) and set(picker.options) == labels


def _channel_table(at):
    # The first table: contacts by channel of the chosen operator.
    return open_data_tabs(at).dataframe[0].value


def test_changing_the_operator_changes_the_query_result(app_test):
    at = app_test("pages/channels.py")
    cnaf = _channel_table(at)
    assert set(cnaf["dataset_id"]) == {"cnaf_contacts_by_channel_year"}
    at.selectbox(key="operator").select("MSA").run()
    msa = _channel_table(at)
    assert set(msa["dataset_id"]) == {"msa_incoming_contacts_by_channel", "msa_digital_visits_by_year"}
    assert at.query_params["operator"] == "MSA"


def test_url_query_parameters_reproduce_the_view(app_test):
    at = app_test("pages/channels.py", operator="CNAV", channel="Courrier")
    assert at.selectbox(key="operator").value == "CNAV"
    assert at.selectbox(key="channel").value == "Courrier"
    assert set(_channel_table(at)["dataset_id"]) == {"cnav_contacts_by_channel"}


def test_unknown_url_values_fall_back_to_defaults(app_test):
    at = app_test("pages/channels.py", operator="DROP TABLE", channel="???")
    assert not at.exception
    assert at.selectbox(key="operator").value == "CNAF"


def test_presentation_mode_is_kept_in_the_url(app_test):
    at = app_test("pages/home.py")
    at.toggle(key="presentation").set_value(True).run()
    assert at.query_params["presentation"] == "1"
    again = app_test("pages/home.py", presentation="1")
    assert again.toggle(key="presentation").value is True


def test_sql_console_runs_a_query_and_refuses_a_write(app_test):
    at = app_test("pages/sql_console.py")
    at.text_area(key="sql").set_value("SELECT annex, count(*) AS n FROM catalog GROUP BY annex ORDER BY annex")
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    result = at.dataframe[0].value
    assert list(result["annex"]) == list(range(1, 10))
    at.text_area(key="sql").set_value("DROP TABLE catalog")
    at.button(key="run").click().run()
    assert [e.value for e in at.error] == [ui.markdown_text("Seules les requêtes de lecture (SELECT) sont autorisées.")]


def test_sql_console_errors_quote_the_visitor_as_typed(app_test):
    """A shared link's query must not plant a live link in the error box."""
    at = app_test("pages/sql_console.py")
    at.text_area(key="sql").set_value('SELECT * FROM "[Reconnectez-vous](https://evil.example/login)"')
    at.button(key="run").click().run()
    [error] = [e.value for e in at.error]
    assert "Reconnectez-vous" in error and "](" not in error and "\\]\\(https" in error


def test_public_mode_hides_imports(app_test, monkeypatch):
    monkeypatch.setenv("EXPLORER_PUBLIC", "1")
    at = app_test("pages/home.py")
    links = {link.proto.page for link in at.get("page_link")}
    assert "sql" in links and "import" not in links
    monkeypatch.delenv("EXPLORER_PUBLIC")
    assert "import" in {link.proto.page for link in app_test("pages/home.py").get("page_link")}
