"""French number formatting: 1 234,5 %."""

from __future__ import annotations

import math

import pandas as pd

NBSP = "\u00a0"  # keeps "1 234" and "96,4 %" on one line

UNIT_SUFFIX = {
    "percent": f"{NBSP}%",
    "points": f"{NBSP}pts",
    "eur": f"{NBSP}€",
    "etp": f"{NBSP}ETP",
    "days": f"{NBSP}j",
    "hours": f"{NBSP}h",
    "minutes": f"{NBSP}min",
    "months": f"{NBSP}mois",
    "years": f"{NBSP}ans",
}


def fr_number(value: float | None, decimals: int | None = None) -> str:
    """`1234.5` → `1 234,5`; integers keep no decimals unless asked; None/NaN → `n.d.`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n.d."
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(_decimals_of(value), 2)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def fr_pct(value: float | None, decimals: int | None = None) -> str:
    """`96.4` → `96,4 %` (the value is already a percent number)."""
    text = fr_number(value, decimals)
    return text if text == "n.d." else text + UNIT_SUFFIX["percent"]


def fr_value(value: float | None, unit: str) -> str:
    """A value with its unit suffix, as shown in tooltips and tables."""
    text = fr_number(value)
    return text if text == "n.d." else text + UNIT_SUFFIX.get(unit, "")


def parse_fr(text: str) -> float:
    """Inverse of fr_number for plain numbers: `1 234,5` → 1234.5."""
    cleaned = text.replace(NBSP, "").replace(" ", "").replace("\u202f", "").rstrip("%").strip()
    return float(cleaned.replace(",", "."))


def _decimals_of(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 2


MISSING = "—"  # a missing value in a table


def fr_cells(values, decimals: int = 0, unit: str = "") -> list[str]:
    """Table cells in French: `[643350, 97.2, None]` → `["643 350", "97", "—"]` (with
    `decimals` fixed and `unit` a UNIT_SUFFIX key, e.g. "percent" → "97,2 %")."""
    suffix = UNIT_SUFFIX.get(unit, "")
    out = []
    for value in values:
        out.append(MISSING if value is None or pd.isna(value) else fr_number(float(value), decimals) + suffix)
    return out


def fr_count(n: int, singular: str, plural: str | None = None) -> str:
    """« 0 personne », « 1 commune », « 2 communes », « 1 234 personnes » (French: < 2 is singular)."""
    word = singular if abs(n) < 2 else (plural or singular + "s")
    return f"{fr_number(n, 0)}{NBSP}{word}"
