"""Territorial access, plain Python: networks and their territory, per-commune and
per-département views, rankings, French tables and sentences, and the maps built from them.

One module per responsibility (STYLE §11): networks, views, rankings, tables, captions,
map_views; the commune locator is explorer.locator.
"""

from explorer.territory import captions, map_views, networks, rankings, tables, views

__all__ = ["captions", "map_views", "networks", "rankings", "tables", "views"]
