"""Chart export to SVG and PNG, rendered on the server (vl-convert: no browser, no network)."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc


def svg(chart: alt.TopLevelMixin) -> bytes:
    """The chart as an SVG document."""
    return vlc.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[]).encode("utf-8")


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (2x for sharp slides)."""
    return vlc.vegalite_to_png(chart.to_dict(), scale=scale, allowed_base_urls=[])
