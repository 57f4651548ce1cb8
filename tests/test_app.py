"""The app and every page render without exception (AppTest, through app.py)."""

import pytest

from explorer.navigation import all_pages


@pytest.mark.parametrize("page", [p.path for p in all_pages()])
def test_page_renders(app_test, page):
    at = app_test(page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "every page has a title"
