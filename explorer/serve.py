"""`explorer serve`: `streamlit run app.py` without the legacy pages/ detection.

Streamlit treats a `pages/` folder beside the entry point as a version-1 multipage app until
`st.navigation` first runs; the first deep link after a server start (a workshop's shared URL)
then showed "Page not found" or ran a page without app.py's frame. Declaring the app a
navigation (v2) app before the server starts removes that first-run path.
"""

from __future__ import annotations

import os
import sys

from explorer import settings


def main(streamlit_args: list[str]) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # what st.navigation sets on its first call
    os.chdir(settings.ROOT)  # .streamlit/config.toml is read from the working directory
    sys.argv = ["streamlit", "run", str(settings.ROOT / "app.py"), *streamlit_args]
    cli.main()
