"""Chart export to SVG and PNG, rendered on the server (vl-convert: no browser, no network).

An exported chart stands alone on a slide or in a note: it has a fixed, readable width, its
title above it and its source line under it, inside the image.
"""

from __future__ import annotations

import textwrap

import vl_convert as vlc

from explorer import charts

EXPORT_WIDTH_PX = 960  # plot width at scale 1; PNGs are drawn at 2x (about 2 100 px wide)
SOURCE_LINE_CHARS = 130  # the source line is wrapped to the plot's width at 12 px
_TOP_LEVEL = ("$schema", "datasets", "config", "usermeta")


def framed(spec: dict, title: str, source: str, width: int = EXPORT_WIDTH_PX) -> dict:
    """`spec` at a fixed width, with `title` above it and `source` (wrapped) under it, legends
    included: the chart is wrapped in a one-view concatenation whose title is the chart's title,
    and the source is the chart's own title, placed at its bottom."""
    spec = charts.configure(spec)
    inner = {k: v for k, v in spec.items() if k not in _TOP_LEVEL}
    (inner["spec"] if "facet" in inner else inner)["width"] = width
    inner["title"] = {"text": textwrap.wrap(source, SOURCE_LINE_CHARS) or [""], "orient": "bottom",
                      "anchor": "start", "fontSize": 12, "fontWeight": "normal", "color": "#333", "offset": 14}
    return {**{k: spec[k] for k in _TOP_LEVEL if k in spec},
            "title": {"text": title, "anchor": "start", "fontSize": 18, "offset": 12},
            "vconcat": [inner], "resolve": {"legend": {"color": "independent", "shape": "independent",
                                                      "strokeDash": "independent"}},
            "padding": 16, "background": "white"}


def svg(spec: dict, title: str = "", source: str = "") -> bytes:
    """A Vega-Lite chart spec as an SVG document, framed with its title and source."""
    return vlc.vegalite_to_svg(framed(spec, title, source), allowed_base_urls=[]).encode("utf-8")


def png(spec: dict, title: str = "", source: str = "", scale: float = 2.0) -> bytes:
    """A Vega-Lite chart spec as a PNG image (2x for sharp slides), framed with its title and source."""
    return vlc.vegalite_to_png(framed(spec, title, source), scale=scale, allowed_base_urls=[])
