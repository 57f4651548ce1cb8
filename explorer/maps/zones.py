"""Classed polygon layers sharing one copy of the geometry (vector zones with tooltips)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from folium.map import Layer
from folium.template import Template
from branca.element import MacroElement

from explorer.maps._branca import _VerbatimScript
from explorer.maps.classes import Classes


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

@dataclass(frozen=True)
class ZoneLayerSpec:
    """One classed layer over shared zones: the class and tooltip-text columns, its classes,
    its name in the layer control, whether it is on at first, whether it is listed in the
    control at all, and whether zones without a class (-1) are left out (a highlight layer)."""

    class_column: str
    text_column: str
    classes: Classes
    name: str
    show: bool = True
    control: bool = True
    classified_only: bool = False
    fill_opacity: float = 0.75
    weight: float = 0.5


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
            {%- if this.spec.classified_only %}
            filter: function (feature) { return feature.properties.c{{ this.index }} >= 0; },
            {%- endif %}
            onEachFeature: function (feature, layer) {
                layer.bindTooltip(feature.properties.t{{ this.index }}, {sticky: true});
            }
        });
        {% endmacro %}
    """)

    def __init__(self, source: ZoneData, index: int, spec: ZoneLayerSpec):
        super().__init__(name=spec.name, overlay=True, control=spec.control, show=spec.show)
        self._name = "ZoneLayer"
        self.source, self.index, self.spec = source, index, spec
        colours = spec.classes.colours
        self.styles = {str(i): {"fillColor": spec.classes.colour(i),
                                "fillOpacity": spec.fill_opacity if colours else 0.0,
                                "color": "#333333" if spec.weight > 1 else "#555555",
                                "weight": spec.weight, "opacity": 0.9}
                       for i in range(-1, len(colours))}


def add_zones(m: folium.Map, zones: gpd.GeoDataFrame,
              layers: Sequence[ZoneLayerSpec]) -> list[ZoneLayer]:
    """Classed polygon layers sharing one copy of `zones` (code, nom, geometry and each spec's
    class and text columns; the tooltip reads « nom : text »).

    Only the code, the class indexes and the escaped tooltip texts travel with the geometry
    (STYLE §4.2).
    """
    missing = sorted({c for spec in layers for c in (spec.class_column, spec.text_column)}
                     - set(zones.columns))
    if missing:
        raise ValueError(f"zones lack columns {missing}; present: {list(zones.columns)}")
    source = ZoneData(zones, [(spec.class_column, spec.text_column) for spec in layers])
    m.add_child(source)
    out = []
    for i, spec in enumerate(layers):
        layer = ZoneLayer(source, i, spec)
        m.add_child(layer)
        out.append(layer)
    return out
