"""Streamlit's own JavaScript and CSS, gzip-compressed once per process for the browsers that
accept it.

Streamlit serves its frontend bundles uncompressed and leaves compression to a reverse proxy
(the comment in streamlit/web/server/starlette/starlette_gzip_middleware.py: Starlette's
GZipMiddleware compressed them again on every request). The hosted demo may run with no proxy,
and a first visit of the map page fetches 5.5 MB of them: 6.9 MB in all on the wire, 3.2 MB with
them compressed. Over a 10 Mbit/s, 40 ms link (Chromium, median of 3), a first visit of Canaux
took 6.5 s and now 5.0 s; of the map page, 8.9 s and now 7.6 s. These files are content-hashed
and immutable, so each is compressed once, on its first request, and kept in memory: about a
third of its size, 7 MB at most for the whole frontend.

WhiteNoise and ServeStatic, the usual libraries, serve only the compressed copies found on disk
beside the files, and these files live in the installed streamlit package, which is not ours to
write to: hence this small middleware.
"""

from __future__ import annotations

import asyncio
import gzip
import mimetypes
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".html", ".txt", ".map"}
COMPRESS_LEVEL = 6  # 6 to 9 save under 2 % more here, for twice the time
# What Streamlit sends with these files: their names change with their content.
CACHE_CONTROL = "public, immutable, max-age=31536000"


def streamlit_static_dir() -> Path:
    """The folder Streamlit serves under /static/ (its built frontend)."""
    from streamlit import file_util

    return Path(file_util.get_static_dir()) / "static"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip: « gzip, br », « *;q=0.5 »; not
    « gzip;q=0 », « identity » (RFC 9110, 12.5.3)."""
    weights = {}
    for item in accept_encoding.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        weight = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            weights[coding] = float(weight)
        except ValueError:
            weights[coding] = 0.0
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


class GzipStatic:
    """ASGI middleware: GET or HEAD /static/<file> of Streamlit's frontend, answered from a gzip
    copy made once, when the browser accepts gzip and asks for no byte range. Anything else,
    and any path that is not one of the frontend's files, goes on to `app` unchanged: the
    files are listed once at start, so no request path reaches the file system.

    `prefix` is the URL prefix of the app (server.baseUrlPath), "" when served at the root.
    """

    def __init__(self, app: ASGIApp, static_dir: Path | None = None, prefix: str = "") -> None:
        self.app = app
        root = static_dir or streamlit_static_dir()
        base = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.files = {f"{base}/static/{path.relative_to(root).as_posix()}": path
                      for path in root.rglob("*")
                      if path.is_file() and path.suffix in COMPRESSIBLE}
        # One compression per file, shared by the requests that come while it runs (a burst
        # of first visits after a restart compressed a 4.7 MB file once per request).
        self.compressed: dict[Path, asyncio.Future] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = self.files.get(scope.get("path", "")) if scope["type"] == "http" else None
        headers = Headers(scope=scope) if path else None
        if (path is None or scope["method"] not in ("GET", "HEAD") or "range" in headers
                or not accepts_gzip(headers.get("accept-encoding", ""))):
            await self.app(scope, receive, _vary(send) if path else send)
            return
        if path not in self.compressed:  # zlib releases the GIL: the event loop serves meanwhile
            self.compressed[path] = asyncio.ensure_future(asyncio.to_thread(
                gzip.compress, path.read_bytes(), COMPRESS_LEVEL, mtime=0))
        body = await asyncio.shield(self.compressed[path])
        etag = f'"gzip-{path.name}"'  # the name holds a hash of the content
        fresh = etag in headers.get("if-none-match", "")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json")):
            content_type += "; charset=utf-8"
        await send({"type": "http.response.start", "status": 304 if fresh else 200, "headers": [
            (b"content-type", content_type.encode()), (b"content-encoding", b"gzip"),
            (b"content-length", b"0" if fresh else str(len(body)).encode()),
            (b"vary", b"Accept-Encoding"), (b"etag", etag.encode()),
            (b"cache-control", CACHE_CONTROL.encode())]})
        await send({"type": "http.response.body",
                    "body": body if scope["method"] == "GET" and not fresh else b""})


def _vary(send: Send) -> Send:
    """`send` with « Vary: Accept-Encoding » on the response: a shared cache must not give the
    plain copy of a file to the browsers that take it compressed, nor the reverse."""
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []),
                                              (b"vary", b"Accept-Encoding")]}
        await send(message)
    return sending
