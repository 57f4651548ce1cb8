"""`explorer serve`: `streamlit run app.py` without the legacy pages/ detection, and with
Streamlit's frontend compressed.

Streamlit treats a `pages/` folder beside the entry point as a version-1 multipage app until
`st.navigation` first runs; the first deep link after a server start (a workshop's shared URL)
then showed "Page not found" or ran a page without app.py's frame. Declaring the app a
navigation (v2) app before the server starts removes that first-run path.

app.py is served by the st.App of explorer.asgi, whose middleware compresses Streamlit's
JavaScript and CSS (explorer.static_gzip).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from explorer import settings


def main(streamlit_args: list[str]) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli
    from streamlit.web.server import app_discovery

    PagesManager.uses_pages_directory = False  # what st.navigation sets on its first call
    # `streamlit run app.py` serves app.py through explorer.asgi's st.App, as it does for a
    # script that defines one: Streamlit's command line (its options, its config) stays as is.
    app_discovery.discover_asgi_app = lambda path: app_discovery.AppDiscoveryResult(
        is_asgi_app=True, app_name="app", import_string="explorer.asgi:app")
    os.chdir(settings.ROOT)  # .streamlit/config.toml is read from the working directory
    sys.argv = ["streamlit", "run", str(settings.ROOT / "app.py"), *streamlit_args]
    cli.main()


SERVER_START_DEADLINE_S = 60


class ServerFailed(RuntimeError):
    """The background server exited or did not answer in time; the message ends with its log."""


@contextmanager
def background(env: dict[str, str], log_path: Path,
               script: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of `explorer serve` on a free loopback port, headless, stopped on exit;
    the URL ends with the app's path when `env` sets STREAMLIT_SERVER_BASE_URL_PATH.

    `env` is the server's whole environment; its output goes to `log_path`. With `script`, a plain
    `streamlit run script` instead (the browser bench's one-title reference page). Used by the
    browser tests and by `explorer bench --load` and `--browser`. Raises ServerFailed.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = env.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")  # the app under a path
    url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
    start = ([sys.executable, "-m", "streamlit", "run", str(script)] if script
             else [sys.executable, "-m", "explorer.cli", "serve"])
    command = [*start, "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "full",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=settings.ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env={**env, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + SERVER_START_DEADLINE_S
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                state = (f"exited with code {process.returncode}" if process.poll() is not None
                         else f"not healthy after {SERVER_START_DEADLINE_S} s")
                raise ServerFailed(f"streamlit on {url} {state}:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
