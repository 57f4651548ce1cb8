"""Leaflet and Leaflet.markercluster from installed PyPI packages, as data: URIs (no CDN).

Folium links its JavaScript and CSS from CDNs (jsdelivr, cdnjs, code.jquery.com), so a map drawn
without Internet access stays blank; behind a proxy that drops those hosts, streamlit-folium even
leaves its iframe 0 px high (its loader waits for every script and never sizes the frame when
one fails). Here the same files come from the XStatic packages (XStatic-Leaflet 1.9.3, the
version folium 0.20 links; XStatic-Leaflet-MarkerCluster 1.4.1) and are embedded as base64 data:
URIs. A data: URI works both in a standalone HTML file and through streamlit-folium, which
re-creates each `default_js` entry as a <script src> element (inline <script> blocks in the
header would be inserted with innerHTML and never run).

jQuery, Bootstrap, Font Awesome and Leaflet.awesome-markers, also in folium's defaults, are
dropped: our maps use no folium.Popup (the one template that calls jQuery), no glyph icons and
no Bootstrap classes. Cost: about 0.3 MB of base64 per map, inside the payload budgets.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

from xstatic.pkg import leaflet as xs_leaflet
from xstatic.pkg import leaflet_markercluster as xs_markercluster

LEAFLET_DIR = Path(xs_leaflet.BASE_DIR)
MARKERCLUSTER_DIR = Path(xs_markercluster.BASE_DIR)
LEAFLET_VERSION = xs_leaflet.VERSION
MARKERCLUSTER_VERSION = xs_markercluster.VERSION

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def data_uri(content: bytes, mime: str) -> str:
    """`data:<mime>;base64,...` for `content`."""
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _script(path: Path) -> str:
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    return data_uri(text.encode("utf-8"), "text/javascript")


def _stylesheet(path: Path) -> str:
    """A CSS file whose relative image URLs (images/layers.png...) are inlined too."""
    def inline(match: re.Match) -> str:
        image = path.parent / match.group(2)
        return f'url("{data_uri(image.read_bytes(), "image/png")}")'

    text = _CSS_URL.sub(inline, path.read_text(encoding="utf-8"))
    return data_uri(text.encode("utf-8"), "text/css")


@cache
def leaflet_js() -> list[tuple[str, str]]:
    """`default_js` of a folium.Map: Leaflet only (read once per process)."""
    return [("leaflet", _script(LEAFLET_DIR / "leaflet.js"))]


@cache
def leaflet_css() -> list[tuple[str, str]]:
    """`default_css` of a folium.Map: Leaflet's stylesheet with its images inlined."""
    return [("leaflet_css", _stylesheet(LEAFLET_DIR / "leaflet.css"))]


@cache
def markercluster_js() -> list[tuple[str, str]]:
    """`default_js` of a (Fast)MarkerCluster."""
    return [("markerclusterjs", _script(MARKERCLUSTER_DIR / "leaflet.markercluster.js"))]


@cache
def markercluster_css() -> list[tuple[str, str]]:
    """`default_css` of a (Fast)MarkerCluster."""
    return [("markerclustercss", _stylesheet(MARKERCLUSTER_DIR / "MarkerCluster.css")),
            ("markerclusterdefaultcss",
             _stylesheet(MARKERCLUSTER_DIR / "MarkerCluster.Default.css"))]


def external_urls(html: str) -> list[str]:
    """http(s) URLs a rendered map would fetch by itself (<script src>, <link href>)."""
    return re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"'](https?://[^\"']+)", html)
