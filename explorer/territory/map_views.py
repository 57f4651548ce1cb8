"""The access maps: national (communes as classed rasters under vector départements) and one
département or group (vector communes), each with time, 4G and « double peine » layers.

Builds folium maps from views.* frames; explorer.maps draws. The layer names are the legend's
keys: the legend shows a section only while its layer is on.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd

from explorer import maps
from explorer.formatting import fr_count, fr_number, fr_pct
from explorer.maps import raster
from explorer.territory.views import BEYOND_BREAKS_PCT, TIME_BREAKS_MIN, beyond_classes

TIME_LAYER = "Temps estimé jusqu'au site le plus proche (communes)"
COVERAGE_LAYER = "Couverture 4G estimée (communes)"
DOUBLE_PEINE_LAYER = "Double peine (communes)"
# Reddish purple: apart from the blues and yellows of the time classes for every colour vision;
# the layer also has its own legend entry, ringed points and tooltips (not colour alone).
DOUBLE_PEINE_COLOUR = "#c51b7d"
DOUBLE_PEINE_CLASSES = maps.Classes("« Double peine » (estimation)",
                                    ("loin du site et couverture 4G faible",),
                                    (DOUBLE_PEINE_COLOUR,))
OUT_OF_SCOPE_4G = "hors du champ du fichier des sites mobiles"
# Ringed points (with tooltips) on the national map: the most populated double-peine communes;
# all of them are in the raster. 1,000 points weigh ~0.15 MB (national budget: 2 MB).
DOUBLE_PEINE_POINTS_MAX = 1_000


def beyond_layer_name(threshold_min: int) -> str:
    return f"Population à plus de {threshold_min} min (part, départements)"


def _time_classes() -> maps.Classes:
    return maps.time_classes(TIME_BREAKS_MIN)


def _dp_class(view: pd.DataFrame) -> np.ndarray:
    if "double_peine" not in view:
        return np.full(len(view), -1)
    return np.where(view["double_peine"].fillna(False).to_numpy(bool), 0, -1)


def _cover_class(view: pd.DataFrame) -> np.ndarray:
    return view["n_operators"].fillna(-1).to_numpy(dtype=int) if "n_operators" in view \
        else np.full(len(view), -1)


def class_rasters(zones: raster.ZoneRaster, zone_codes: Sequence[str],
                  view: pd.DataFrame) -> dict[str, bytes]:
    """PNG of each commune layer (time, 4G when estimated, double peine) for the communes of
    `zones`, whose position i is commune `zone_codes[i]`; `view` is a views.commune_view."""
    aligned = view.set_index("code_insee").reindex(list(zone_codes))
    pngs = {TIME_LAYER: raster.class_png(zones, aligned["time_class"].fillna(-1).to_numpy(int),
                                         _time_classes().colours)}
    if "n_operators" in aligned:
        pngs[COVERAGE_LAYER] = raster.class_png(zones, _cover_class(aligned),
                                                maps.operators_classes().colours)
        pngs[DOUBLE_PEINE_LAYER] = raster.class_png(zones, _dp_class(aligned),
                                                    DOUBLE_PEINE_CLASSES.colours)
    return pngs


def _departement_texts(dep_view: pd.DataFrame, threshold_min: int) -> list[str]:
    texts = []
    for row in dep_view.itertuples():
        text = (f"{fr_count(row.beyond_count, 'personne')} "
                f"({fr_pct(row.beyond_pct, 1)}) à plus de {threshold_min} min du site le plus "
                "proche (estimation)")
        if hasattr(row, "double_peine_count"):
            text += (f" ; double peine : {fr_count(row.double_peine_count, 'personne')} "
                     f"({fr_count(row.double_peine_communes, 'commune')}) ; couverture 4G faible "
                     f": {fr_pct(row.poor_pct, 1)} de la population")
        texts.append(text)
    return texts


def _double_peine_points(view: pd.DataFrame) -> list[list]:
    hit = view[view["double_peine"].fillna(False).astype(bool)] if "double_peine" in view \
        else view.iloc[0:0]
    hit = hit.nlargest(DOUBLE_PEINE_POINTS_MAX, "population")
    return [[lat, lon, f"{nom} ({code}) : {fr_number(t, 0)} min du site le plus proche "
             f"(estimation), {fr_count(int(n), 'opérateur')} 4G (estimation)"]
            for lat, lon, nom, code, t, n in zip(hit["lat"], hit["lon"], hit["nom"],
                                                 hit["code_insee"], hit["time_min"],
                                                 hit["n_operators"])
            if np.isfinite(lat) and np.isfinite(lon)]


@dataclass(frozen=True)
class Focus:
    """The locator's commune on a map: its point, name and its nearest sites (lat, lon, name)."""

    lat: float
    lon: float
    label: str
    sites: pd.DataFrame  # access.nearest_by_network rows of the chosen network


def _add_focus(m: folium.Map, focus: Focus | None) -> None:
    if focus is None:
        return
    group = folium.FeatureGroup(name="Commune recherchée", control=False)
    folium.Marker([focus.lat, focus.lon], tooltip=html.escape(focus.label),
                  icon=folium.DivIcon(html='<div class="focus-pin" aria-hidden="true">★</div>',
                                      icon_size=(28, 28), icon_anchor=(14, 14))).add_to(group)
    for row in focus.sites.itertuples():
        folium.PolyLine([[focus.lat, focus.lon], [row.lat, row.lon]], color="#000000", weight=2,
                        dash_array="6 4",
                        tooltip=html.escape(f"{row.name} : {fr_number(row.time_min, 0)} min "
                                            f"(estimation), {fr_number(row.distance_km, 1)} km à "
                                            "vol d'oiseau")).add_to(group)
    group.add_to(m)


def national_map(departements, dep_view: pd.DataFrame, view: pd.DataFrame,
                 pngs: Mapping[str, bytes], bounds, threshold_min: int,
                 site_layers: Sequence[maps.SiteLayer] = (), base: str = "aucun") -> folium.Map:
    """France: commune rasters (`class_rasters` over `bounds`), départements as vector
    outlines carrying the tooltips (and as a hidden « beyond » choropleth), the double-peine
    communes as ringed points with tooltips, and the given networks' sites."""
    m = maps.new_map(base, maps.METRO_BOUNDS)
    sections, note = [], ""
    for layer, classes, show in ((TIME_LAYER, _time_classes(), True),
                                 (COVERAGE_LAYER, maps.operators_classes(), False)):
        if layer in pngs:
            raster.overlay(pngs[layer], bounds, layer, show).add_to(m)
            sections.append(maps.LegendSection(layer, show, classes))
    zones = departements[["code", "nom", "geometry"]].merge(dep_view.drop(columns="nom"),
                                                            on="code", how="inner")
    zones["text"] = _departement_texts(zones, threshold_min)
    zones["nom"] = zones["nom"] + " (" + zones["code"] + ")"
    zones["beyond_class"] = maps.classify(zones["beyond_pct"], BEYOND_BREAKS_PCT)
    zones["outline_class"] = -1
    beyond = beyond_layer_name(threshold_min)
    maps.add_zones(m, zones, [
        maps.ZoneLayerSpec("beyond_class", "text", beyond_classes(threshold_min), beyond,
                           show=False),
        maps.ZoneLayerSpec("outline_class", "text", maps.Classes("", (), ()),
                           "Départements (contours et infobulles)", control=False, weight=1.2),
    ])
    sections.append(maps.LegendSection(beyond, False, beyond_classes(threshold_min)))
    if DOUBLE_PEINE_LAYER in pngs:
        group = folium.FeatureGroup(name=DOUBLE_PEINE_LAYER, show=True)
        raster.overlay(pngs[DOUBLE_PEINE_LAYER], bounds, DOUBLE_PEINE_LAYER, opacity=1.0) \
            .add_to(group)
        points = _double_peine_points(view)
        maps.add_points(group, points, DOUBLE_PEINE_COLOUR)
        group.add_to(m)
        sections.append(maps.LegendSection(DOUBLE_PEINE_LAYER, True, DOUBLE_PEINE_CLASSES,
                                           show_unknown=False))
        if len(points) == DOUBLE_PEINE_POINTS_MAX:
            note = (f"Double peine : les {fr_number(DOUBLE_PEINE_POINTS_MAX)} communes les plus "
                    "peuplées ont un point (infobulle) ; toutes sont colorées.")
    sections += maps.add_site_layers(m, site_layers)
    return maps.finish(m, sections, note)


def _commune_texts(zones: pd.DataFrame) -> dict[str, list[str]]:
    time_classes = _time_classes()
    texts = {"time_text": [
        f"{fr_number(t, 0)} min (estimation, {time_classes.label(c)}) jusqu'à « {site} »"
        if np.isfinite(t) else "non estimé"
        for t, c, site in zip(zones["time_min"].astype(float), zones["time_class"],
                              zones["site_name"])]}
    if "n_operators" in zones:
        labels = maps.operators_classes().labels
        texts["coverage_text"] = [f"{labels[c]} en 4G (estimation)" if c >= 0 else
                                  OUT_OF_SCOPE_4G for c in zones["coverage_class"]]
        texts["dp_text"] = [f"double peine : {t} ; {c}" for t, c in
                            zip(texts["time_text"], texts["coverage_text"])]
    return texts


def departement_map(geometries, view: pd.DataFrame, site_layers: Sequence[maps.SiteLayer],
                    base: str = "aucun", focus: Focus | None = None) -> folium.Map:
    """Communes of one département (or group) as vector zones with time, 4G and double-peine
    layers and tooltips; the networks' sites in and around it; the locator's commune."""
    zones = geometries.rename(columns={"nom": "geo_nom"})[["code_insee", "geometry"]].merge(
        view, on="code_insee", how="inner").rename(columns={"code_insee": "code"})
    zones["coverage_class"] = _cover_class(zones)
    zones["dp_class"] = _dp_class(zones)
    for column, texts in _commune_texts(zones).items():
        zones[column] = texts
    west, south, east, north = geometries.total_bounds
    bounds = [[float(south), float(west)], [float(north), float(east)]]
    if focus is not None:
        bounds = [[focus.lat - 0.15, focus.lon - 0.2], [focus.lat + 0.15, focus.lon + 0.2]]
    m = maps.new_map(base, bounds)
    specs = [maps.ZoneLayerSpec("time_class", "time_text", _time_classes(), TIME_LAYER)]
    if "n_operators" in view:
        specs += [maps.ZoneLayerSpec("coverage_class", "coverage_text", maps.operators_classes(),
                                     COVERAGE_LAYER, show=False),
                  maps.ZoneLayerSpec("dp_class", "dp_text", DOUBLE_PEINE_CLASSES,
                                     DOUBLE_PEINE_LAYER, classified_only=True, fill_opacity=0.9,
                                     weight=2.5)]
    maps.add_zones(m, zones, specs)
    sections = [maps.LegendSection(s.name, s.show, s.classes,
                                   show_unknown=s.name != DOUBLE_PEINE_LAYER) for s in specs]
    box = [[float(south), float(west)], [float(north), float(east)]]
    sections += maps.add_site_layers(m, [
        maps.SiteLayer(s.network, s.label, maps.sites_in_box(s.sites, box), s.show)
        for s in site_layers])
    _add_focus(m, focus)
    return maps.finish(m, sections)
