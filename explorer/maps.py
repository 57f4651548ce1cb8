"""Folium map builders (no Streamlit): classed zones, clustered sites, French legend, offline.

Every map loads Leaflet from the installed packages (explorer.offline_assets), so it draws with
no network; only a chosen tile background ("OpenStreetMap", "CartoDB Positron") needs one.
Colours are classed (STYLE §4.3): a handful of style entries whatever the number of zones, and
the class is also written in each tooltip, the legend and the table beside the map.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.map import Layer
from folium.plugins import FastMarkerCluster
from folium.template import Template

from explorer import offline_assets

# Payload budgets (STYLE §4.6): the HTML handed to the browser, Leaflet included.
NATIONAL_MAP_BUDGET_BYTES = 2_000_000
DEPARTEMENT_MAP_BUDGET_BYTES = 3_000_000
# Sites drawn on the national map, all networks together (the others only on département maps):
# 35,000 town halls with their popups would weigh ~5 MB nationally, and one per commune says
# nothing at that scale. 6,000 sites with the longest popups of the annuaire make a 1.9 MB map.
NATIONAL_MARKERS_MAX = 6_000
# Sites this far (degrees, ~30 km) outside a département's box are drawn too: the nearest
# site of a border commune is often in the next département.
SITES_MARGIN_DEG = 0.3
COORD_DECIMALS = 5  # ~1 m

# Metropolitan France; overseas départements are in the layers (pan or pick them) and tables.
METRO_BOUNDS = [[41.3, -5.2], [51.1, 9.6]]
MAP_HEIGHT_PX = 580
MIN_ZOOM, MAX_ZOOM = 3, 18

# ColorBrewer sequential schemes, colour-blind safe (colorbrewer2.org): light = good access.
YLGNBU_5 = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
YLGNBU_6 = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
ORRD_5 = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
UNKNOWN_COLOUR = "#bdbdbd"
UNKNOWN_LABEL = "non estimé"

# name -> (label, folium tiles); "aucun" needs no network at all.
BASE_MAPS = {
    "aucun": ("Aucun fond (hors ligne)", None),
    "osm": ("OpenStreetMap", "OpenStreetMap"),
    "positron": ("CartoDB Positron (clair)", "CartoDB positron"),
}

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


@dataclass(frozen=True)
class Classes:
    """A classed legend: title, one label and colour per class, and the unknown class."""

    title: str
    labels: tuple[str, ...]
    colours: tuple[str, ...]

    def colour(self, index: int) -> str:
        return self.colours[index] if 0 <= index < len(self.colours) else UNKNOWN_COLOUR

    def label(self, index: int) -> str:
        return self.labels[index] if 0 <= index < len(self.labels) else UNKNOWN_LABEL


# ---------------------------------------------------------------- classification


def classify(values, breaks: Sequence[float]) -> np.ndarray:
    """Class index of each value for right-closed intervals: ≤ b0 → 0, (b0, b1] → 1, ...,
    > last → len(breaks); -1 where the value is missing."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    out = np.searchsorted(np.asarray(breaks, float), v, side="left").astype(np.int64)
    out[~np.isfinite(v)] = -1
    return out


def _fr(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def class_labels(breaks: Sequence[float], unit: str) -> tuple[str, ...]:
    """French labels of `classify` classes: ("15 min ou moins", "plus de 15 à 30 min", ...)."""
    labels = [f"{_fr(breaks[0])} {unit} ou moins"]
    labels += [f"plus de {_fr(a)} à {_fr(b)} {unit}" for a, b in zip(breaks, breaks[1:])]
    labels.append(f"plus de {_fr(breaks[-1])} {unit}")
    return tuple(labels)


def time_classes(breaks: Sequence[float] = (15, 30, 45, 60)) -> Classes:
    """Estimated minutes to the nearest site (communes)."""
    return Classes("Temps estimé jusqu'au site le plus proche", class_labels(breaks, "min"),
                   YLGNBU_5 if len(breaks) == 4 else YLGNBU_6[:len(breaks) + 1])


SHARE_BREAKS_PCT = (50, 80, 90, 95, 99)


def share_classes(threshold_min: int) -> Classes:
    """Share of the population within `threshold_min` (départements); dark = low share."""
    return Classes(f"Part de la population à {threshold_min} min ou moins",
                   class_labels(SHARE_BREAKS_PCT, "%"), tuple(reversed(YLGNBU_6)))


def operators_classes() -> Classes:
    """Number of operators estimated to serve the commune's centre in 4G (0-4); dark = none."""
    labels = ("aucun opérateur", "1 opérateur", "2 opérateurs", "3 opérateurs", "4 opérateurs")
    return Classes("Couverture 4G estimée (opérateurs)", labels, tuple(reversed(ORRD_5)))


POOR_SHARE_BREAKS_PCT = (1, 5, 10, 25)


def poor_coverage_classes(label: str) -> Classes:
    """Share of the population in poorly covered communes (départements); dark = high share."""
    return Classes(f"Population en commune à couverture 4G faible ({label})",
                   class_labels(POOR_SHARE_BREAKS_PCT, "%"), ORRD_5)


# ---------------------------------------------------------------- map and layers


def new_map(base: str = "aucun", bounds=METRO_BOUNDS) -> folium.Map:
    """An empty map fitted to `bounds`, its Leaflet served from installed packages."""
    if base not in BASE_MAPS:
        raise ValueError(f"Fond de carte inconnu : « {base} ».")
    label, tiles = BASE_MAPS[base]
    m = folium.Map(tiles=None, control_scale=True, zoom_start=6, prefer_canvas=False,
                   location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2])
    # Leaflet.markercluster needs the map's maxZoom, which a tile layer would otherwise give.
    m.options["max_zoom"], m.options["min_zoom"] = MAX_ZOOM, MIN_ZOOM
    m.default_js = offline_assets.leaflet_js()
    m.default_css = offline_assets.leaflet_css()
    if tiles:
        folium.TileLayer(tiles, name=label, control=False).add_to(m)
    m.get_root().header.add_child(Element(_CSS), name="explorer_map_css")
    m.fit_bounds(bounds)
    return m


class _Verbatim(Element):
    """Text added to the figure as it is (no template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _VerbatimScript:
    """Mixin for a MacroElement whose script is built once in Python and reaches the page
    verbatim.

    branca's MacroElement.render wraps each rendered script in a new Element, which compiles it
    as a Jinja template and renders it again: with megabytes of JSON that costs ~0.3 s per
    render (streamlit-folium renders twice), and a "{{" in imported data would be evaluated.
    The `script` macro serves streamlit-folium, which calls it directly.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")
    _script: tuple[tuple, str] | None = None

    def build_script(self) -> str:
        raise NotImplementedError

    def script_text(self) -> str:
        # Rebuilt when a variable name changes (streamlit-folium renames elements between
        # its two renders); build_script keeps its JSON in _json_cache.
        names = (self.get_name(), self._parent.get_name() if self._parent else None)
        if self._script is None or self._script[0] != names:
            self._script = (names, self.build_script())
        return self._script[1]

    def cached_json(self, value) -> str:
        """`_json_for_script(value)`, serialised once per element."""
        if getattr(self, "_json_cache", None) is None:
            self._json_cache = _json_for_script(value)
        return self._json_cache

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_Verbatim(self.script_text()), name=self.get_name())


class ZoneData(_VerbatimScript, MacroElement):
    """The zones' GeoJSON, written once and shared by every ZoneLayer drawn from it.

    Properties per feature: one class index and one escaped tooltip text per layer; the
    travel-time and 4G layers thus cost one copy of the geometry, not two.
    """

    def __init__(self, zones: gpd.GeoDataFrame, layers: Sequence[tuple[str, str]]):
        super().__init__()
        self._name = "ZoneData"
        features = []
        columns = [c for pair in layers for c in pair]
        for code, nom, geom, *values in zip(zones["code"], zones["nom"], zones.geometry,
                                            *(zones[c] for c in columns)):
            if geom is None or geom.is_empty:
                continue
            properties = {}
            for i in range(len(layers)):
                properties[f"c{i}"] = int(values[2 * i])
                properties[f"t{i}"] = html.escape(f"{nom} : {values[2 * i + 1]}")
            features.append({"type": "Feature", "id": str(code), "properties": properties,
                             "geometry": geom.__geo_interface__})
        self.data = {"type": "FeatureCollection", "features": features}

    def build_script(self) -> str:
        return f"var {self.get_name()} = {self.cached_json(self.data)};"


class ZoneLayer(Layer):
    """A classed polygon layer over ZoneData: fill colour by class, tooltip text (French)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_styles = {{ this.styles|tojson }};
        var {{ this.get_name() }} = L.geoJson({{ this.source.get_name() }}, {
            style: function (feature) {
                var styles = {{ this.get_name() }}_styles;
                return styles[String(feature.properties.c{{ this.index }})] || styles["-1"];
            },
            onEachFeature: function (feature, layer) {
                layer.bindTooltip(feature.properties.t{{ this.index }}, {sticky: true});
            }
        });
        {% endmacro %}
    """)

    def __init__(self, source: ZoneData, index: int, classes: Classes, name: str,
                 show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ZoneLayer"
        self.source, self.index = source, index
        self.styles = {str(i): {"fillColor": classes.colour(i), "fillOpacity": 0.75,
                                "color": "#555555", "weight": 0.5, "opacity": 0.8}
                       for i in range(-1, len(classes.colours))}


def add_zones(m: folium.Map, zones: gpd.GeoDataFrame,
              layers: Sequence[tuple[str, str, Classes, str, bool]]) -> list[ZoneLayer]:
    """Classed polygon layers sharing one copy of `zones` (code, nom, geometry, class and text
    columns; the tooltip reads « nom : text »). Each layer is (class column, text column,
    classes, layer name, shown at first).

    Only the code, the class indexes and the escaped tooltip texts travel with the geometry
    (STYLE §4.2).
    """
    source = ZoneData(zones, [(cls, text) for cls, text, *_ in layers])
    m.add_child(source)
    out = []
    for i, (_, _, classes, name, show) in enumerate(layers):
        layer = ZoneLayer(source, i, classes, name, show)
        m.add_child(layer)
        out.append(layer)
    return out


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


_TEMPLATE_OPENERS = re.compile(r"\{(?=[{%#])")


def _json_for_script(value) -> str:
    """JSON safe inside a <script> element and through any Jinja pass.

    "<", ">", "&" are escaped as in Jinja's tojson (no "</script>"), and a "{" opening a Jinja
    delimiter ("{{", "{%", "{#") becomes \\u007b: JSON syntax never has one, so it is always
    inside a string, where the escape means the same character.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return _TEMPLATE_OPENERS.sub(r"\\u007b", text)


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

    Rendered verbatim (see _VerbatimScript) with the rows serialised once, markers added in
    bulk (`addLayers`), and added to the map only when `show`.
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
  var data = {self.cached_json(self.data)};
  var cluster = L.markerClusterGroup({_json_for_script(options)});
  cluster.options.iconCreateFunction = {self.icon_create_function};
  var markers = [];
  for (var i = 0; i < data.length; i++) {{ markers.push(callback(data[i])); }}
  cluster.addLayers(markers);
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


class Legend(_VerbatimScript, MacroElement):
    """A French legend drawn as a Leaflet control (bottom right); content escaped in Python."""

    def __init__(self, sections: Sequence[Classes], networks: Sequence[tuple[str, str]] = (),
                 note: str = ""):
        super().__init__()
        self._name = "Legend"
        parts = []
        for classes in sections:
            items = "".join(
                f'<li><span class="swatch" style="background:{colour}"></span>'
                f"{html.escape(label)}</li>"
                for colour, label in zip((*classes.colours, UNKNOWN_COLOUR),
                                         (*classes.labels, UNKNOWN_LABEL)))
            parts.append(f"<p>{html.escape(classes.title)}</p><ul>{items}</ul>")
        if networks:
            items = "".join(
                f'<li><span class="site-marker site-{n.replace("_", "-")} legend-symbol">'
                f"<b>{html.escape(NETWORK_SYMBOLS.get(n, ('?',))[0])}</b></span>"
                f"{html.escape(label)}</li>" for n, label in networks)
            parts.append(f"<p>Sites (symbole)</p><ul>{items}</ul>")
        if note:
            parts.append(f"<small>{html.escape(note)}</small>")
        self.html_text = "".join(parts)

    def build_script(self) -> str:
        return f"""(function () {{
  var legend = L.control({{position: "bottomright"}});
  legend.onAdd = function () {{
    var div = L.DomUtil.create("div", "map-legend");
    div.innerHTML = {_json_for_script(self.html_text)};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }};
  legend.addTo({self._parent.get_name()});
}})();"""


def finish(m: folium.Map, legend: Legend) -> folium.Map:
    """Add the legend and the layer control (collapsed: the legend sits bottom right)."""
    m.add_child(legend)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


def html_size(m: folium.Map) -> int:
    """Bytes of the standalone HTML of `m` (what the payload budgets bound)."""
    return len(m.get_root().render().encode("utf-8"))


def _network_css() -> str:
    rules = []
    for network, (_, background, text) in NETWORK_SYMBOLS.items():
        cls = f"site-{network.replace('_', '-')}"
        rules.append(f".{cls}.site-marker, .{cls}.site-cluster div "
                     f"{{ background: {background}; color: {text}; }}")
    return "\n".join(rules)


_CSS = """<style>
.site-marker { display: flex; align-items: center; justify-content: center; border-radius: 50%;
  border: 2px solid #ffffff; box-shadow: 0 0 2px #000000; font: 9px/1 sans-serif; }
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
.leaflet-control-layers { font: 12px/1.4 sans-serif; }
""" + _network_css() + "\n</style>"


# ---------------------------------------------------------------- composite maps


@dataclass(frozen=True)
class SiteLayer:
    """One network's sites to draw: network key, French label, sites table."""

    network: str
    label: str
    sites: pd.DataFrame


def access_map(zones: gpd.GeoDataFrame, *, time_legend: Classes, time_title: str,
               site_layers: Sequence[SiteLayer] = (), coverage_classes: Classes | None = None,
               coverage_title: str = "", base: str = "aucun", bounds=METRO_BOUNDS,
               note: str = "") -> folium.Map:
    """The access map: travel-time zones, optional 4G zones (hidden at first), site clusters.

    `zones` has code, nom, geometry, time_class, time_text and, when `coverage_classes` is
    given, coverage_class and coverage_text (see explorer.territory.map_zones).
    """
    m = new_map(base, bounds)
    layers = [("time_class", "time_text", time_legend, time_title, True)]
    if coverage_classes is not None:
        layers.append(("coverage_class", "coverage_text", coverage_classes, coverage_title, False))
    add_zones(m, zones, layers)
    sections = [spec[2] for spec in layers]
    for layer in site_layers:
        add_sites(m, layer.sites, layer.network, f"Sites : {layer.label}")
    legend = Legend(sections, [(layer.network, layer.label) for layer in site_layers], note)
    return finish(m, legend)
