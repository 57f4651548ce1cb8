import pytest
from streamlit.testing.v1 import AppTest

from explorer import database, settings

APP = str(settings.ROOT / "app.py")


@pytest.fixture(scope="session")
def db_path():
    """The project database, built from the current sources if stale."""
    return database.ensure_built()


@pytest.fixture(scope="session")
def con(db_path):
    connection = database.open_readonly(db_path)
    yield connection
    connection.close()


@pytest.fixture
def app_test(db_path):
    """A factory of AppTests started from app.py (30 s: a cold start builds the database)."""
    def make(page: str | None = None, **query_params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        return at
    return make


def open_data_tabs(at: AppTest) -> AppTest:
    """`at` rerun with every chart's « Données » tab open (ui.chart_with_data draws the open tab only)."""
    for key in [k for k in at.session_state if k.endswith("_tabs")]:
        at.session_state[key] = "Données"
    return at.run()


@pytest.fixture
def import_dir(tmp_path, monkeypatch):
    """A fresh, empty import folder (EXPLORER_IMPORT_DIR) in full mode; not created until an import."""
    folder = tmp_path / "imported"
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(folder))
    monkeypatch.delenv("EXPLORER_PUBLIC", raising=False)
    return folder
