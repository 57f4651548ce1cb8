"""Downloads: CSV tables safe to open in a spreadsheet; charts as SVG and PNG, rendered on the
server (vl-convert: no browser, no network)."""

from __future__ import annotations

import re

import pandas as pd
import vl_convert as vlc

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number as text: -12.5, +3, 1e-3, and French-formatted -1 234,5 % (spaces as thousands separators).
_NUMBER = re.compile(r"[+-]?(\d[\d\u00a0\u202f ]*)?[.,]?\d+([eE][+-]?\d+)?(\s?%)?")


def neutralised(value: object) -> object:
    """`value`, with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Text that is a plain number ("-12.5", "+3", "-1 234,5 %") is left alone: spreadsheets read it
    as a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV (header, no index), every text cell and column name neutralised.

    The one CSV writer of the app: the console, dataset and catalog downloads all use it.
    """
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    safe = frame.copy(deep=False)
    for column in text_columns:
        safe[column] = frame[column].map(neutralised)
    safe.columns = [neutralised(str(c)) for c in frame.columns]
    return safe.to_csv(index=False).encode("utf-8")


def svg(spec: dict) -> bytes:
    """A Vega-Lite chart spec as an SVG document."""
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[]).encode("utf-8")


def png(spec: dict, scale: float = 2.0) -> bytes:
    """A Vega-Lite chart spec as a PNG image (2x for sharp slides)."""
    return vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])
