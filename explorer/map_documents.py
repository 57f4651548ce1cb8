"""Map documents served by URL (`<base>/explorer/cartes/<hash>.html`), not inside the page.

Sent inside the page (an iframe's srcdoc), a map document (1.4 MB for France, 0.5 to 1 MB for a
département) travelled on each session's websocket, compressed there again for each session,
and was set by React as one attribute. Served by URL, it is compressed once per process, kept by
the browser (its name is its content's hash: a département seen again comes from the browser's
cache) and read by the browser's HTML parser as it arrives. Measured (Chromium, median of 3):
over a 10 Mbit/s, 40 ms link a département switch took 2.8 s and now 2.1 s; on the server, a
map-page session took 0.19 s of CPU and now 0.155 s. On this machine's loopback, no change.

The URL is served by the st.App of explorer.asgi (`explorer serve`). Under a plain
`streamlit run app.py`, or in AppTest, there is no such route: the map then goes in the page as
before (ui.map_frame asks `is_served()`).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response

from explorer.static_gzip import CACHE_CONTROL, accepts_gzip

# The documents last shown, compressed (about 0.3 MB each): more than the map cache holds
# (cached.MAP_CACHE_ENTRIES), so that a map a session shows is still here when its browser asks.
MAX_DOCUMENTS = 64
EXPIRED_FR = "Carte expirée : rechargez la page."

_documents: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()
_served = False


def route_path() -> str:
    """The route's path, under server.baseUrlPath: « /explorer/cartes/{key}.html »."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/explorer/cartes/{{key}}.html"


def serve() -> str:
    """Declare the route served (by explorer.asgi) and return its path."""
    global _served
    _served = True
    return route_path()


def is_served() -> bool:
    return _served


def publish(html: str) -> str:
    """The URL path of `html`, kept among the MAX_DOCUMENTS last published (the oldest leaves)."""
    raw = html.encode("utf-8")
    key = hashlib.blake2b(raw, digest_size=16).hexdigest()
    with _lock:
        if key in _documents:
            _documents.move_to_end(key)
        else:
            _documents[key] = gzip.compress(raw, 6, mtime=0)
            while len(_documents) > MAX_DOCUMENTS:
                _documents.popitem(last=False)
    return route_path().format(key=key)


async def endpoint(request: Request) -> Response:
    """GET of a published document (gzip when accepted); 404 with a French line otherwise."""
    body = _documents.get(request.path_params["key"])
    if body is None:
        return Response(EXPIRED_FR, status_code=404, media_type="text/plain; charset=utf-8")
    if not accepts_gzip(request.headers.get("accept-encoding", "")):
        return Response(gzip.decompress(body), media_type="text/html; charset=utf-8",
                        headers={"cache-control": CACHE_CONTROL})
    return Response(body, media_type="text/html; charset=utf-8", headers={
        "content-encoding": "gzip", "vary": "Accept-Encoding", "cache-control": CACHE_CONTROL})
