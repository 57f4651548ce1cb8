"""Folium map builders (no Streamlit): classed zones and rasters, clustered sites, French legend,
all drawn offline. One module per concern (STYLE §11): classes, zones, raster, sites, legend,
compose; this package re-exports what pages and the territory package use."""

from explorer.maps.classes import (ORRD_5, POOR_SHARE_BREAKS_PCT, SHARE_BREAKS_PCT,
                                   UNKNOWN_COLOUR, UNKNOWN_LABEL, YLGNBU_5, YLGNBU_6, Classes,
                                   class_labels, classify, operators_classes,
                                   poor_coverage_classes, share_classes, time_classes)
from explorer.maps.compose import (BASE_MAPS, DEPARTEMENT_MAP_BUDGET_BYTES, MAP_HEIGHT_PX,
                                   METRO_BOUNDS, NATIONAL_MAP_BUDGET_BYTES, SiteLayer,
                                   add_site_layers, finish, html, html_size, new_map)
from explorer.maps.legend import Legend, LegendSection
from explorer.maps.sites import (NATIONAL_MARKERS_MAX, NETWORK_SYMBOLS, add_points, add_sites,
                                 compact_hours,
                                 marker_rows, sites_in_box)
from explorer.maps.zones import ZoneLayerSpec, add_zones

__all__ = [
    "BASE_MAPS", "Classes", "DEPARTEMENT_MAP_BUDGET_BYTES", "Legend", "LegendSection",
    "MAP_HEIGHT_PX", "METRO_BOUNDS", "NATIONAL_MAP_BUDGET_BYTES", "NATIONAL_MARKERS_MAX",
    "NETWORK_SYMBOLS", "ORRD_5", "POOR_SHARE_BREAKS_PCT", "SHARE_BREAKS_PCT", "SiteLayer",
    "UNKNOWN_COLOUR", "UNKNOWN_LABEL", "YLGNBU_5", "YLGNBU_6", "ZoneLayerSpec",
    "add_points", "add_site_layers", "add_sites", "add_zones", "class_labels", "classify", "compact_hours",
    "finish", "html", "html_size", "marker_rows", "new_map", "operators_classes",
    "poor_coverage_classes", "share_classes", "sites_in_box", "time_classes",
]
