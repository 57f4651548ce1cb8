"""Communes drawn on the server as one classed PNG laid over the map (Leaflet ImageOverlay).

35,000 commune polygons as GeoJSON weigh about 10 MB and take seconds to draw in a browser; as
a palette PNG at about 1 km per pixel they weigh 50-150 kB and draw at once. The départements
stay vector outlines above it and carry the tooltips; a commune's own figures are one click
away (its département's map, the locator, the tables).

Leaflet stretches an overlay linearly in Web Mercator between its corner coordinates, so the
polygons are rasterised in Web Mercator (EPSG:3857). Pillow's polygon fill does the drawing:
it is already installed with Streamlit and draws 35,000 polygons in well under a second, where
rasterio would bring GDAL for the same result.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import shapely
from PIL import Image, ImageDraw

# Pixels across the overlay: ~0.9 km per pixel over metropolitan France, twice the detail of
# the national zoom (6), so communes stay distinct when the user zooms in once.
WIDTH_PX = 1400
MARGIN_DEG = 0.05


@dataclass(frozen=True)
class ZoneRaster:
    """Each pixel's zone: `zones[y, x]` is the position of the zone in the geometries the
    raster was drawn from, -1 outside every zone; `bounds` [[south, west], [north, east]] (°)."""

    bounds: list[list[float]]
    zones: np.ndarray  # int32, shape (height, width)


def _mercator(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lat = np.clip(np.asarray(lat, float), -85, 85)
    return np.radians(np.asarray(lon, float)), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def zone_raster(geometries: gpd.GeoSeries, width_px: int = WIDTH_PX) -> ZoneRaster:
    """Rasterise `geometries` (EPSG:4326) once into zone positions; every class layer of the
    same zones is then a table look-up (`class_png`). Smaller zones are drawn last, so an
    enclave shows over the commune around it."""
    if geometries.crs is None or geometries.crs.to_epsg() != 4326:
        raise ValueError("Les contours doivent être en WGS84 (EPSG:4326).")
    west, south, east, north = geometries.total_bounds + np.array([-1, -1, 1, 1]) * MARGIN_DEG
    x0, y0 = _mercator(west, north)
    x1, y1 = _mercator(east, south)
    scale = width_px / (x1 - x0)
    height = max(1, int(round((y0 - y1) * scale)))
    parts, owner = shapely.get_parts(geometries.to_numpy(), return_index=True)
    # Degrees² only order the drawing (large first); no area is reported from them.
    order = np.argsort(-shapely.area(parts), kind="stable")
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts[order]),
                                           return_index=True)
    x, y = _mercator(coords[:, 0], coords[:, 1])
    pixels = np.column_stack([(x - x0) * scale, (y0 - y) * scale]).round(1)
    starts = np.flatnonzero(np.diff(ring, prepend=-1))
    image = Image.new("I", (width_px, height), -1)
    draw = ImageDraw.Draw(image)
    for start, end, zone in zip(starts, [*starts[1:], len(ring)], owner[order][ring[starts]]):
        if end - start >= 3:
            draw.polygon(pixels[start:end].ravel().tolist(), fill=int(zone))
    return ZoneRaster([[float(south), float(west)], [float(north), float(east)]],
                      np.asarray(image, dtype=np.int32))


def _rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)]


def class_png(raster: ZoneRaster, classes: np.ndarray, colours: Sequence[str | None]) -> bytes:
    """A palette PNG of the zones filled by class: `classes[i]` indexes `colours` for zone i
    (-1, or a None colour: transparent)."""
    classes = np.asarray(classes, dtype=np.int64)
    palette_index = np.array([0 if c is None else i + 1 for i, c in enumerate(colours)],
                             dtype=np.uint8)
    lut = np.zeros(len(classes) + 1, dtype=np.uint8)  # last entry: outside every zone
    valid = (classes >= 0) & (classes < len(colours))
    lut[:-1][valid] = palette_index[classes[valid]]
    image = Image.fromarray(lut[raster.zones], mode="P")
    image.putpalette([255, 255, 255] + [v for c in colours for v in _rgb(c or "#ffffff")])
    out = io.BytesIO()
    # optimize=True costs 5x the time for 2 % fewer bytes.
    image.save(out, format="PNG", transparency=0)
    return out.getvalue()


def overlay(png: bytes, bounds, name: str, show: bool = True,
            opacity: float = 0.85) -> folium.raster_layers.ImageOverlay:
    """The PNG as a Leaflet overlay (data URI: drawn offline), sharp pixels when zoomed."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return folium.raster_layers.ImageOverlay(uri, bounds=bounds, name=name, show=show,
                                             opacity=opacity, interactive=False,
                                             className="class-raster")
