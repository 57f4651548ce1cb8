"""The explorer as an ASGI application (st.App), run by `explorer serve`: app.py, with its
frontend's JavaScript and CSS compressed (explorer.static_gzip) and its maps served by URL
(explorer.map_documents)."""

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from explorer import map_documents, settings
from explorer.static_gzip import GzipStatic

app = st.App(settings.ROOT / "app.py",
             routes=[Route(map_documents.serve(), map_documents.endpoint, methods=["GET"])],
             middleware=[Middleware(GzipStatic, prefix=st.get_option("server.baseUrlPath") or "")])
