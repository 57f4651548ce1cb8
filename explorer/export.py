"""Chart export to SVG and PNG, rendered on the server (vl-convert: no browser, no network)."""

from __future__ import annotations

import vl_convert as vlc


def svg(spec: dict) -> bytes:
    """A Vega-Lite chart spec as an SVG document."""
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[]).encode("utf-8")


def png(spec: dict, scale: float = 2.0) -> bytes:
    """A Vega-Lite chart spec as a PNG image (2x for sharp slides)."""
    return vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])
