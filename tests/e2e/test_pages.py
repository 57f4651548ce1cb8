"""Every page of the registry opens in Chromium, shows its title and every chart its script sends,
raises nothing; one screenshot each."""

import pytest

from explorer.navigation import all_pages
from tests.e2e import helpers

pytestmark = helpers.requires_browser


# The map page draws Folium, not Vega (tests/e2e/test_maps.py), and is being rebuilt.
MAP_PAGE = "carte"


def charts_sent(app_test, spec) -> int:
    """How many Vega-Lite charts the page's script sends, run server-side (AppTest through app.py)."""
    return len(app_test(spec.path).get("vega_lite_chart"))


@pytest.mark.parametrize("spec", all_pages(), ids=lambda spec: spec.url_path)
def test_page_renders(browser_page, app_url, app_test, spec):
    helpers.open_app_page(browser_page, app_url, helpers.served_path(spec))
    helpers.assert_no_exception(browser_page)
    helpers.assert_no_dialog(browser_page)
    expected = helpers.H1_BY_URL_PATH.get(spec.url_path, spec.title)
    assert expected in helpers.h1_texts(browser_page), helpers.h1_texts(browser_page)
    drawn = helpers.wait_for_charts(browser_page)
    if spec.url_path != MAP_PAGE:
        assert drawn == charts_sent(app_test, spec), "a chart the page sent was not drawn"
    helpers.save_screenshot(browser_page, f"page_{spec.url_path}")


def test_sidebar_lists_every_page(browser_page, app_url):
    helpers.open_app_page(browser_page, app_url, "")
    assert helpers.sidebar_page_titles(browser_page) == [spec.title for spec in all_pages()]


def test_deep_link_on_a_fresh_server_is_framed(first_visit):
    """A shared link opened first after a (re)start shows the app's menu and page, and no dialog.

    Without `explorer serve`'s fix, Streamlit ran /mediation as a bare pages/ script (explorer/serve.py).
    """
    assert first_visit["sidebar"] == [spec.title for spec in all_pages()], first_visit
    expected = helpers.H1_BY_URL_PATH.get(first_visit["spec"].url_path, first_visit["spec"].title)
    assert expected in first_visit["h1"], first_visit
    assert not first_visit["dialogs"], first_visit


def test_the_frontend_reaches_the_browser_compressed(browser, app_url):
    """Streamlit's JavaScript and CSS come gzip-compressed (explorer.static_gzip) and the page
    they make works: a first visit of a report page fetches about 4 MB of them."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    encodings = {}
    page.on("response", lambda response: encodings.__setitem__(
        response.url, response.headers.get("content-encoding"))
        if "/static/" in response.url and response.url.endswith((".js", ".css")) else None)
    try:
        helpers.open_app_page(page, app_url, "canaux")
        assert helpers.wait_for_charts(page) > 0
        helpers.assert_no_exception(page)
        assert len(encodings) > 20 and set(encodings.values()) == {"gzip"}, encodings
    finally:
        context.close()


def test_under_a_base_url_path_the_frontend_still_comes_compressed(db_path, tmp_path):
    """Served under server.baseUrlPath (a hosted demo behind a path), the app answers there and
    its JavaScript comes compressed (explorer.asgi gives the path to explorer.static_gzip)."""
    import gzip
    import os
    import re
    import urllib.request

    from explorer import serve

    env = {**os.environ, "EXPLORER_PUBLIC": "1", "STREAMLIT_SERVER_BASE_URL_PATH": "explorateur"}
    with serve.background(env, tmp_path / "server.log") as (url, _):
        assert url.endswith("/explorateur")
        with urllib.request.urlopen(f"{url}/", timeout=30) as response:
            [script] = re.findall(r'src="\./(static/js/index[^"]+\.js)"', response.read().decode())
        request = urllib.request.Request(f"{url}/{script}",
                                         headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert b"import" in gzip.decompress(response.read())
