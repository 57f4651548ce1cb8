"""Downloads: CSV tables safe to open in a spreadsheet; charts as SVG and PNG, rendered on the
server (vl-convert: no browser, no network).

An exported chart stands alone on a slide or in a note: it has a fixed, readable width, its
title above it and its source line under it, inside the image.
"""

from __future__ import annotations

import math
import re
import textwrap
from decimal import Decimal

import pandas as pd
import vl_convert as vlc

from explorer import charts

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number as text: -12.5, +3, 1e-3, and French-formatted -1 234,5 % (spaces between groups of three
# digits: « +33 6 12 », a phone number, is text that a spreadsheet would run as a formula).
_NUMBER = re.compile(r"[+-]?(?=[.,]?\d)(\d{1,3}([\u00a0\u202f ]\d{3})+|\d*)([.,]\d+)?([eE][+-]?\d+)?(\s?%)?")


def neutralised(value: object) -> object:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Text that is a plain number ("-12.5", "+3", "-1 234,5 %") is left alone: spreadsheets read it
    as a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


# The CSV a French spreadsheet opens as it stands (the CSV of French Excel and LibreOffice): a
# byte-order mark, or Excel reads UTF-8 as Windows-1252 (« AnnÃ©e »); semicolons, the list
# separator of the French locale, or the whole row lands in one column; decimal commas, or 24.5
# stays text; rows end with CRLF. Read back with pandas.read_csv(path, sep=";", decimal=",").
CSV_SEPARATOR, CSV_DECIMAL, CSV_ENCODING = ";", ",", "utf-8-sig"


def csv(frame: pd.DataFrame) -> bytes:
    """`frame` as a French CSV (header, no index): UTF-8 with a byte-order mark, semicolons,
    decimal commas, numbers without thousands separators, whole numbers without « ,0 »; every
    text cell and column name neutralised.

    The one CSV writer of the app: chart data, map tables, the console, dataset and catalog
    downloads all use it.
    """
    safe = frame.copy(deep=False)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if known.abs().le(2 ** 53).all() and known.mod(1).eq(0).all():  # 15936982.0 -> 15936982
                safe[column] = values.astype("Int64")
        elif not pd.api.types.is_numeric_dtype(values):
            safe[column] = values.map(_cell)
    safe.columns = [neutralised(str(c)) for c in frame.columns]
    # CRLF rows (RFC 4180, Excel's own): the csv module then quotes a cell holding a bare CR too,
    # which a spreadsheet would otherwise read as a new row (one starting « =1+1 »).
    return safe.to_csv(index=False, sep=CSV_SEPARATOR, decimal=CSV_DECIMAL,
                       lineterminator="\r\n").encode(CSV_ENCODING)


def _cell(value: object) -> object:
    """A cell of a column of mixed or text values: a number (a DuckDB DECIMAL comes as a Python
    Decimal, which pandas writes with its point) with a decimal comma; text neutralised."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f").replace(".", CSV_DECIMAL)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value).replace(".", CSV_DECIMAL)
    return neutralised(value)


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
