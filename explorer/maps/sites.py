"""Clustered site markers whose popups are built in the browser from compact rows."""

from __future__ import annotations

import html
import re

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster

from explorer import offline_assets
from explorer.maps._branca import _json_for_script, _VerbatimScript


# Sites drawn on the national map (larger networks only on département maps): 35,000 town halls
# with their popups would weigh ~5 MB nationally, and one per commune says nothing at that
# scale. France services (2,845 sites in 2024) fits; 3,000 sites with the longest popups of the
# annuaire weigh ~0.6 MB, beside ~1.2 MB of commune rasters and départements (budget: 2 MB).
NATIONAL_MARKERS_MAX = 3_000

# Sites this far (degrees, ~30 km) outside a département's box are drawn too: the nearest
# site of a border commune is often in the next département.
SITES_MARGIN_DEG = 0.3

COORD_DECIMALS = 5  # ~1 m

# Symbol (shown on every marker and cluster, so no network is told by colour alone),
# background, text colour. Okabe-Ito colours (charts.OKABE_ITO).
NETWORK_SYMBOLS = {
    "mairie": ("M", "#0072B2", "#ffffff"),
    "france_services": ("FS", "#D55E00", "#ffffff"),
    "caf": ("CAF", "#009E73", "#ffffff"),
    "cpam": ("AM", "#E69F00", "#000000"),
    "carsat": ("CR", "#CC79A7", "#000000"),
    "msa": ("MSA", "#56B4E9", "#000000"),
    "france_travail": ("FT", "#000000", "#ffffff"),
    "mediation_numerique": ("MN", "#F0E442", "#000000"),
}

_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?\b")

def compact_hours(text: str) -> str:
    """"lun. 09:00-12:00, 13:30-17:00" -> "lun. 9h-12h, 13h30-17h" (French style, shorter)."""
    return _CLOCK.sub(lambda m: f"{int(m.group(1))}h{m.group(2) if m.group(2) != '00' else ''}",
                      text or "")

def marker_rows(sites: pd.DataFrame) -> tuple[list[list], list[str]]:
    """Compact rows [lat, lon, name, address, hours, source index] and the source texts.

    The source ("publisher (date)") is repeated on every row of a file, so rows carry its index.
    """
    located = sites[np.isfinite(pd.to_numeric(sites["lat"], errors="coerce"))
                    & np.isfinite(pd.to_numeric(sites["lon"], errors="coerce"))]
    source = (located["source"].fillna("").astype(str)
              + np.where(located["source_date"].fillna("").astype(str) != "",
                         " (" + located["source_date"].fillna("").astype(str) + ")", ""))
    sources = list(dict.fromkeys(source))
    position = {s: i for i, s in enumerate(sources)}
    rows = [[round(float(lat), COORD_DECIMALS), round(float(lon), COORD_DECIMALS), str(name),
             str(address or ""), compact_hours(str(hours or "")), position[src]]
            for lat, lon, name, address, hours, src in zip(
                located["lat"], located["lon"], located["name"], located["address"].fillna(""),
                located["opening_hours"].fillna(""), source)]
    return rows, sources

def sites_in_box(sites: pd.DataFrame, bounds, margin_deg: float = SITES_MARGIN_DEG) -> pd.DataFrame:
    """Sites inside `bounds` [[south, west], [north, east]] widened by `margin_deg`."""
    (south, west), (north, east) = bounds
    lat, lon = sites["lat"], sites["lon"]
    keep = ((lat >= south - margin_deg) & (lat <= north + margin_deg)
            & (lon >= west - margin_deg) & (lon <= east + margin_deg))
    return sites[keep]

# Builds each marker and its popup in the browser from a compact row; every text is escaped.
_CALLBACK = """(function () {
  var sources = %(sources)s;
  var cls = %(cls)s;
  var symbol = %(symbol)s;
  var esc = function (s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  };
  return function (row) {
    var icon = L.divIcon({className: "site-marker " + cls, html: "<b>" + symbol + "</b>",
                          iconSize: [24, 24]});
    var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, title: row[2],
                                                         keyboard: false});
    var text = "<strong>" + esc(row[2]) + "</strong>";
    if (row[3]) { text += "<br>" + esc(row[3]); }
    if (row[4]) { text += "<br><em>Horaires :</em> " + esc(row[4]); }
    text += "<br><small>Source : " + esc(sources[row[5]]) + "</small>";
    marker.bindPopup(text, {maxWidth: 320});
    return marker;
  };
})()"""

_CLUSTER_ICON = """function (cluster) {
  return L.divIcon({html: "<div><b>%(symbol)s</b><span>" + cluster.getChildCount() + "</span></div>",
                    className: "marker-cluster site-cluster %(cls)s", iconSize: new L.Point(40, 40)});
}"""

class SiteCluster(_VerbatimScript, FastMarkerCluster):
    """FastMarkerCluster of compact rows whose JavaScript callback builds marker and popup.

    Rendered verbatim (see _VerbatimScript) with the rows serialised once, and added to the map
    only when `show`. The markers are built (in bulk, `addLayers`) when the layer is first
    added to the map: a hidden layer (the national map's 2,800 France services, a département
    map's town halls) costs the browser only the scanning of its rows.
    """

    def __init__(self, rows: list[list], callback: str, icon_create_function: str, name: str,
                 show: bool = True):
        super().__init__(rows, callback=callback, name=name, show=show,
                         icon_create_function=icon_create_function)
        self._name = "SiteCluster"
        self.default_js = offline_assets.markercluster_js()
        self.default_css = offline_assets.markercluster_css()

    def build_script(self) -> str:
        options = {"showCoverageOnHover": False, "chunkedLoading": True, "maxClusterRadius": 60}
        add = f"cluster.addTo({self._parent.get_name()});" if self.show else ""
        return f"""var {self.get_name()} = (function () {{
  var callback = {self.callback.removeprefix("var callback = ").rstrip(";")};
  var cluster = L.markerClusterGroup({_json_for_script(options)});
  cluster.options.iconCreateFunction = {self.icon_create_function};
  cluster.once("add", function () {{
    var data = {self.cached_json(self.data)};
    var markers = [];
    for (var i = 0; i < data.length; i++) {{ markers.push(callback(data[i])); }}
    cluster.addLayers(markers);
  }});
  {add}
  return cluster;
}})();"""

def add_sites(m: folium.Map, sites: pd.DataFrame, network: str, name: str,
              show: bool = True) -> SiteCluster:
    """Clustered markers of one network, popups built in the browser (name, address, hours,
    source)."""
    symbol, _, _ = NETWORK_SYMBOLS.get(network, ("?", "#777777", "#ffffff"))
    rows, sources = marker_rows(sites)
    cls = f"site-{network.replace('_', '-')}"
    values = {"sources": _json_for_script(sources), "cls": _json_for_script(cls),
              "symbol": _json_for_script(html.escape(symbol))}
    cluster = SiteCluster(rows, _CALLBACK % values,
                          _CLUSTER_ICON % {"symbol": html.escape(symbol), "cls": cls}, name, show)
    cluster.add_to(m)
    return cluster


class PointMarks(_VerbatimScript, MacroElement):
    """Ringed points with an escaped French tooltip each, from compact rows [lat, lon, text]:
    the communes of a highlight layer at national scale, where their polygons are a raster."""

    def __init__(self, rows: list[list], colour: str):
        super().__init__()
        self._name = "PointMarks"
        self.rows = [[round(float(lat), COORD_DECIMALS), round(float(lon), COORD_DECIMALS),
                      html.escape(str(text))] for lat, lon, text in rows]
        self.colour = colour

    def build_script(self) -> str:
        style = {"radius": 5, "color": "#000000", "weight": 1.5, "fillColor": self.colour,
                 "fillOpacity": 0.9}
        return f"""var {self.get_name()} = (function () {{
  var rows = {self.cached_json(self.rows)};
  var style = {_json_for_script(style)};
  var group = L.featureGroup();
  rows.forEach(function (r) {{
    L.circleMarker([r[0], r[1]], style).bindTooltip(r[2], {{sticky: true}}).addTo(group);
  }});
  return group.addTo({self._parent.get_name()});
}})();"""


def add_points(parent, rows: list[list], colour: str) -> PointMarks:
    """PointMarks drawn into `parent` (a map, or a FeatureGroup whose layer-control entry they
    share)."""
    marks = PointMarks(rows, colour)
    parent.add_child(marks)
    return marks
