"""The access map as a whole: base map, zones, sites, legend, layer control (offline Leaflet).

Every map loads Leaflet from the installed packages (explorer.offline_assets), so it draws with
no network; only a chosen tile background ("OpenStreetMap", "CartoDB Positron") needs one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from explorer import offline_assets
from explorer.maps.legend import Legend, LegendSection
from explorer.maps.sites import NETWORK_SYMBOLS, add_sites


# Payload budgets (STYLE §4.6): the HTML handed to the browser, Leaflet included.
NATIONAL_MAP_BUDGET_BYTES = 2_000_000

DEPARTEMENT_MAP_BUDGET_BYTES = 3_000_000

# Metropolitan France; overseas départements are in the layers (pan or pick them) and tables.
METRO_BOUNDS = [[41.3, -5.2], [51.1, 9.6]]

MAP_HEIGHT_PX = 580

MIN_ZOOM, MAX_ZOOM = 3, 18

# name -> (label, folium tiles); "aucun" needs no network at all.
BASE_MAPS = {
    "aucun": ("Aucun fond (hors ligne)", None),
    "osm": ("OpenStreetMap", "OpenStreetMap"),
    "positron": ("CartoDB Positron (clair)", "CartoDB positron"),
}

class _FrenchControls(MacroElement):
    """Leaflet's controls in French: zoom buttons, metric scale only, attribution prefix; no
    keyboard stop on each zone (the table under the map is the keyboard's way to the data); and
    the controls first in the keyboard order: Leaflet puts them after the map's panes, so Tab went
    through every site marker (56 in the Cantal) before reaching the layer control."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
          L.control.zoom({zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière"}).addTo(map);
          L.control.scale({imperial: false, metric: true}).addTo(map);
          map.attributionControl.setPrefix(
            '<a href="https://leafletjs.com" title="Leaflet, bibliothèque de cartes">Leaflet</a>');
          var frame = map.getContainer();
          frame.insertBefore(frame.querySelector(":scope > .leaflet-control-container"), frame.firstChild);
          map.on("layeradd", function (e) {
            var el = e.layer.getElement && e.layer.getElement();
            if (el && el.tagName === "path") { el.setAttribute("tabindex", "-1"); }
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def new_map(base: str = "aucun", bounds=METRO_BOUNDS) -> folium.Map:
    """An empty map fitted to `bounds`, its Leaflet served from installed packages."""
    if base not in BASE_MAPS:
        raise ValueError(f"Fond de carte inconnu : « {base} ».")
    label, tiles = BASE_MAPS[base]
    # Quarter zoom steps: fitting France to the frame at whole zoom levels left it a third of it.
    m = folium.Map(tiles=None, control_scale=False, zoom_start=6, prefer_canvas=False,
                   zoom_snap=0.25, zoom_delta=0.5, zoom_control=False,
                   location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2])
    m.add_child(_FrenchControls())
    # Leaflet.markercluster needs the map's maxZoom, which a tile layer would otherwise give.
    m.options["max_zoom"], m.options["min_zoom"] = MAX_ZOOM, MIN_ZOOM
    m.default_js = offline_assets.leaflet_js()
    m.default_css = offline_assets.leaflet_css()
    if tiles:
        folium.TileLayer(tiles, name=label, control=False).add_to(m)
    m.get_root().header.add_child(Element(_CSS), name="explorer_map_css")
    # The layer control (top right) and the legend (bottom right) take ~260 px: keep the
    # territory clear of them.
    m.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=(270, 10))
    return m


def html(m: folium.Map) -> str:
    """The standalone HTML document of `m`: Leaflet inline, drawn with no network but the tiles."""
    return m.get_root().render()


def html_size(m: folium.Map) -> int:
    """Bytes of the standalone HTML of `m` (what the payload budgets bound)."""
    return len(html(m).encode("utf-8"))

def _network_css() -> str:
    rules = []
    for network, (_, background, text) in NETWORK_SYMBOLS.items():
        cls = f"site-{network.replace('_', '-')}"
        rules.append(f".{cls}.site-marker, .{cls}.site-cluster div "
                     f"{{ background: {background}; color: {text}; }}")
    return "\n".join(rules)

# .leaflet-marker-icon.site-marker: Leaflet's own .leaflet-marker-icon { display: block } came
# later and put a site's symbol in its top-left corner.
_CSS = """<style>
.leaflet-marker-icon.site-marker { display: flex; align-items: center; justify-content: center;
  border-radius: 50%; border: 2px solid #ffffff; box-shadow: 0 0 2px #000000;
  font: 9px/1 sans-serif; }
.site-mairie.site-marker { border-radius: 3px; }
.site-cluster { background: rgba(255, 255, 255, 0.7); border-radius: 20px; }
.site-cluster div { width: 34px; height: 34px; margin: 3px; border-radius: 17px; display: flex;
  flex-direction: column; align-items: center; justify-content: center; font: 10px/1.1 sans-serif; }
.site-cluster div span { line-height: 1.1; }
.map-legend { background: rgba(255, 255, 255, 0.92); padding: 6px 8px; font: 12px/1.35 sans-serif;
  max-width: 260px; max-height: 60vh; overflow-y: auto; border-radius: 4px;
  box-shadow: 0 0 4px rgba(0, 0, 0, 0.3); }
.map-legend p { margin: 4px 0 2px; font-weight: bold; }
.map-legend ul { list-style: none; margin: 0; padding: 0; }
.map-legend li { display: flex; align-items: center; gap: 6px; }
.map-legend .swatch { width: 16px; height: 12px; border: 1px solid #555555; flex: none; }
.map-legend .legend-symbol { width: 20px; height: 20px; flex: none; }
.leaflet-container { background: #f4f4f2; }
.class-raster { image-rendering: pixelated; }
.leaflet-tooltip { white-space: normal; width: max-content; max-width: 320px; font: 12px/1.35 sans-serif; }
.focus-pin { font: 26px/28px sans-serif; color: #000000; text-align: center;
  text-shadow: 0 0 3px #ffffff, 0 0 3px #ffffff; }
.leaflet-control-layers label:focus-within, .leaflet-container a:focus-visible,
.leaflet-marker-icon:focus-visible { outline: 3px solid #0B5CAD; outline-offset: 1px; }
.leaflet-control-layers { font: 12px/1.4 sans-serif; }
""" + _network_css() + "\n</style>"

@dataclass(frozen=True)
class SiteLayer:
    """One network's sites to draw: network key, French label, sites table, on at first."""

    network: str
    label: str
    sites: pd.DataFrame
    show: bool = True


def add_site_layers(m: folium.Map, layers: Sequence[SiteLayer]) -> list[LegendSection]:
    """Clustered markers of each network (a layer each) and their legend sections."""
    sections = []
    for layer in layers:
        name = f"Sites : {layer.label}"
        add_sites(m, layer.sites, layer.network, name, layer.show)
        sections.append(LegendSection(name, layer.show, network=layer.network))
    return sections


def finish(m: folium.Map, sections: Sequence[LegendSection], note: str = "") -> folium.Map:
    """Add the legend (only the layers that are on) and the layer control."""
    m.add_child(Legend(sections, note))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m
