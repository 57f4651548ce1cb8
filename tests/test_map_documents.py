"""explorer.map_documents: a map document published once per content, served by its URL,
compressed; an unknown or expired URL answered in French."""

from __future__ import annotations

import gzip

import pytest

from explorer import map_documents
from tests.test_static_gzip import call

DOCUMENT = "<!DOCTYPE html><html><body><div id='carte'>" + "<p>Cantal</p>" * 2000 + "</div></body></html>"


def get(url: str, **headers: str):
    """(status, headers, body) of a GET of `url` on the documents' route alone."""
    from starlette.routing import Route, Router

    router = Router([Route(map_documents.route_path(), map_documents.endpoint)])
    return call(router, url, **headers)


@pytest.fixture(autouse=True)
def empty(monkeypatch):
    monkeypatch.setattr(map_documents, "_documents", type(map_documents._documents)())


def test_a_published_document_is_served_compressed_by_its_url():
    url = map_documents.publish(DOCUMENT)
    assert url.startswith("/explorer/cartes/") and url.endswith(".html")
    assert map_documents.publish(DOCUMENT) == url  # same content, same URL
    assert map_documents.publish(DOCUMENT + " ") != url
    status, headers, body = get(url, accept_encoding="gzip, br")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == DOCUMENT and len(body) < len(DOCUMENT) / 10
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "public, immutable, max-age=31536000"
    status, headers, body = get(url)  # a client that takes no gzip
    assert status == 200 and "content-encoding" not in headers and body.decode() == DOCUMENT


def test_an_unknown_or_expired_document_is_a_french_404(monkeypatch):
    monkeypatch.setattr(map_documents, "MAX_DOCUMENTS", 2)
    first = map_documents.publish("<p>1</p>")
    second = map_documents.publish("<p>2</p>")
    assert map_documents.publish("<p>1</p>") == first  # seen again: the most recent
    map_documents.publish("<p>3</p>")  # the oldest, the second, leaves
    assert get(first, accept_encoding="gzip")[0] == 200
    for url in (second, "/explorer/cartes/0123456789abcdef0123456789abcdef.html",
                "/explorer/cartes/..%2f..%2fetc%2fpasswd.html"):
        status, headers, body = get(url, accept_encoding="gzip")
        assert (status, body.decode()) == (404, map_documents.EXPIRED_FR)


def test_under_a_base_url_path(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(st, "get_option", lambda name: "/explorateur/" if name == "server.baseUrlPath" else None)
    url = map_documents.publish(DOCUMENT)
    assert url.startswith("/explorateur/explorer/cartes/")
    assert get(url, accept_encoding="gzip")[0] == 200
