"""The explorer as an ASGI application (st.App), run by `explorer serve`: app.py, with its
frontend's JavaScript and CSS compressed (explorer.static_gzip)."""

import streamlit as st
from starlette.middleware import Middleware

from explorer import settings
from explorer.static_gzip import GzipStatic

app = st.App(settings.ROOT / "app.py", middleware=[
    Middleware(GzipStatic, prefix=st.get_option("server.baseUrlPath") or "")])
