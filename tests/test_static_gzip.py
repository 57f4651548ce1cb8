"""explorer.static_gzip: Streamlit's frontend files sent compressed, made once; anything else
passed on untouched."""

from __future__ import annotations

import asyncio
import gzip
from types import SimpleNamespace

import pytest

from explorer import static_gzip
from explorer.static_gzip import GzipStatic, accepts_gzip, streamlit_static_dir

SCRIPT = "export const x = 1;\n" * 500


async def request(app, path: str, method: str = "GET", **headers: str):
    """(status, headers, body) of one HTTP request to the ASGI `app`."""
    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]))


def call(app, path: str, method: str = "GET", **headers: str):
    return asyncio.run(request(app, path, method, **headers))


async def streamlit_itself(scope, receive, send):
    """Stands for Streamlit's app behind the middleware: names what it was asked."""
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": f"streamlit {scope['path']}".encode()})


@pytest.fixture
def static(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "index.Ab12Cd34.js").write_text(SCRIPT)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "font.Ab12Cd34.woff2").write_bytes(b"\x00" * 100)
    (tmp_path.parent / "secret.js").write_text("secret")
    return tmp_path


def test_a_frontend_file_is_sent_compressed_to_a_browser_that_accepts_gzip(static):
    app = GzipStatic(streamlit_itself, static)
    status, headers, body = call(app, "/static/js/index.Ab12Cd34.js",
                                 accept_encoding="gzip, deflate, br, zstd")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == SCRIPT and len(body) < len(SCRIPT) / 10
    assert headers["content-length"] == str(len(body)) and headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].endswith("javascript; charset=utf-8")
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    # Compressed once: the copy made for the first request serves the next ones.
    (static / "js" / "index.Ab12Cd34.js").write_text("changed")
    assert call(app, "/static/js/index.Ab12Cd34.js", accept_encoding="gzip")[2] == body
    status, headers, body = call(app, "/static/js/index.Ab12Cd34.js", "HEAD", accept_encoding="gzip")
    assert status == 200 and body == b"" and headers["content-encoding"] == "gzip"
    # Revalidated by its ETag: 304, no body.
    status, _, body = call(app, "/static/js/index.Ab12Cd34.js", accept_encoding="gzip",
                           if_none_match=headers["etag"])
    assert (status, body) == (304, b"")


def test_a_burst_of_first_requests_compresses_a_file_once(static, monkeypatch):
    calls = []

    def compress(data, level, mtime):
        calls.append(len(data))
        return gzip.compress(data, level, mtime=mtime)

    monkeypatch.setattr(static_gzip, "gzip", SimpleNamespace(compress=compress))
    app = GzipStatic(streamlit_itself, static)

    async def burst():
        return await asyncio.gather(*(request(app, "/static/js/index.Ab12Cd34.js",
                                              accept_encoding="gzip") for _ in range(20)))

    answers = asyncio.run(burst())
    assert calls == [len(SCRIPT)] and {body for _, _, body in answers} == {answers[0][2]}


@pytest.mark.parametrize("path, method, headers", [
    ("/static/js/index.Ab12Cd34.js", "GET", {}),  # no gzip accepted
    ("/static/js/index.Ab12Cd34.js", "GET", {"accept_encoding": "br"}),
    ("/static/js/index.Ab12Cd34.js", "GET", {"accept_encoding": "gzip;q=0, br"}),
    ("/static/js/index.Ab12Cd34.js", "GET", {"accept_encoding": "gzip", "range": "bytes=0-9"}),
    ("/static/js/index.Ab12Cd34.js", "POST", {"accept_encoding": "gzip"}),
    ("/static/media/font.Ab12Cd34.woff2", "GET", {"accept_encoding": "gzip"}),  # compressed already
    ("/static/js/missing.js", "GET", {"accept_encoding": "gzip"}),
    ("/static/../secret.js", "GET", {"accept_encoding": "gzip"}),
    ("/static/js/../../secret.js", "GET", {"accept_encoding": "gzip"}),
    ("/carte", "GET", {"accept_encoding": "gzip"}),
])
def test_anything_else_goes_to_streamlit_untouched(static, path, method, headers):
    status, sent_headers, body = call(GzipStatic(streamlit_itself, static), path, method, **headers)
    assert (status, body) == (404, f"streamlit {path}".encode()) and "content-encoding" not in sent_headers
    # A shared cache must key a frontend file's plain copy by Accept-Encoding too.
    listed = path in ("/static/js/index.Ab12Cd34.js",)
    assert (sent_headers.get("vary") == "Accept-Encoding") is listed


def test_under_a_base_url_path(static):
    app = GzipStatic(streamlit_itself, static, prefix="/explorateur/")
    assert call(app, "/explorateur/static/js/index.Ab12Cd34.js",
                accept_encoding="gzip")[1]["content-encoding"] == "gzip"
    assert call(app, "/static/js/index.Ab12Cd34.js", accept_encoding="gzip")[0] == 404


def test_websockets_and_lifespan_pass_through(static):
    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["type"])

    app = GzipStatic(inner, static)
    for scope_type in ("websocket", "lifespan"):
        asyncio.run(app({"type": scope_type, "path": "/static/js/index.Ab12Cd34.js"}, None, None))
    assert seen == ["websocket", "lifespan"]


def test_streamlit_frontend_is_found():
    files = GzipStatic(streamlit_itself).files
    assert any(p.startswith("/static/js/index.") for p in files)
    assert all(p.suffix in {".js", ".css", ".json", ".svg", ".html", ".txt", ".map"}
               for p in files.values())
    assert streamlit_static_dir().is_dir()


@pytest.mark.parametrize("header, accepted", [
    ("gzip, deflate, br, zstd", True), ("GZIP", True), ("br;q=1.0, gzip;q=0.8", True),
    ("x-gzip", True), ("*", True), ("*;q=0.5", True), ("", False), ("identity", False),
    ("br", False), ("gzip;q=0", False), ("gzip;q=0.0, *", False), ("*;q=0", False),
    ("gzip;q=abc", False), ("gzipx", False), ("gzip;level=1;q=0", False), ("gzip; q=0.5", True),
])
def test_accept_encoding_is_read_with_its_weights(header, accepted):
    assert accepts_gzip(header) is accepted
