"""French formatting, the one path for tables, metrics, tooltips and legends: 1 234,5 %.

Numbers use a non-breaking space between thousands and a decimal comma; a missing value is
« — »; counts of a million or more can be said in words (« 660 millions »); nouns after a count
follow French plural rules (« 0 personne », « 1 ligne », « 2 lignes »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

NBSP = "\u00a0"  # keeps "1 234" and "96,4 %" on one line
MISSING = "—"  # a value the report does not give (illegible, not published)

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
# Units whose values are counted things: large ones read better in words.
COUNT_UNITS = ("count", "eur", "etp")
_WORD_SCALES = ((1e9, "milliard", "milliards"), (1e6, "million", "millions"))


def is_missing(value) -> bool:
    """True for None, NaN and pandas' NA/NaT."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing value
        return False


def fr_number(value: float | None, decimals: int | None = None) -> str:
    """`1234.5` → `1 234,5`; integers keep no decimals unless asked; None/NaN → `—`."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if decimals is None:
        decimals = 0 if value.is_integer() else min(_decimals_of(value), 2)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def fr_pct(value: float | None, decimals: int | None = None) -> str:
    """`96.4` → `96,4 %` (the value is already a percent number)."""
    text = fr_number(value, decimals)
    return text if text == MISSING else text + UNIT_SUFFIX["percent"]


def fr_share(value: float | None, decimals: int = 1) -> str:
    """A share in % that rounding never turns into 100 % or 0 % unless it is exactly that:
    99.97 → « plus de 99,9 % », 0.02 → « moins de 0,1 % », 96.44 → « 96,4 % »."""
    if is_missing(value):
        return MISSING
    step = 10 ** -decimals
    if 100 - step / 2 <= value < 100:
        return f"plus de {fr_pct(100 - step, decimals)}"
    if 0 < value < step / 2:
        return f"moins de {fr_pct(step, decimals)}"
    return fr_pct(value, decimals)


def fr_words(value: float | None) -> str:
    """A large count as a person says it: 660 000 000 → `660 millions`, 1 280 000 → `1,28 million`.

    Below a million the figure is written in digits (`643 350`). Up to two decimals are kept, so
    the words never round away more than 0,5 % of a value of a million or more.
    """
    if is_missing(value):
        return MISSING
    for scale, singular, plural in _WORD_SCALES:
        if abs(float(value)) >= scale:
            amount = round(float(value) / scale, 2)
            return f"{fr_number(amount)}{NBSP}{singular if abs(amount) < 2 else plural}"
    return fr_number(value)


def fr_value(value: float | None, unit: str, words: bool = False) -> str:
    """A value with its unit suffix, as shown in tooltips, tables and key figures.

    `words=True` writes counts and amounts of a million or more in words (`660 millions`).
    """
    if is_missing(value):
        return MISSING
    text = fr_words(value) if words and unit in COUNT_UNITS else fr_number(value)
    if words and unit == "eur" and abs(float(value)) >= 1e6:
        return f"{text} d'euros"  # « 2 milliards d'euros », not « 2 milliards € »
    return text + UNIT_SUFFIX.get(unit, "")


def fr_count(n: int, singular: str, plural: str | None = None) -> str:
    """« 0 personne », « 1 commune », « 2 communes », « 1 234 personnes » (French: < 2 is singular)."""
    word = singular if abs(n) < 2 else (plural or singular + "s")
    return f"{fr_number(n, 0)}{NBSP}{word}"


def join_fr(items: Sequence[str]) -> str:
    """A French enumeration: « a », « a et b », « a, b et c »; "" for none."""
    items = list(items)
    return " et ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def fr_cells(values, decimals: int = 0, unit: str = "") -> list[str]:
    """Table cells in French: `[643350, 97.2, None]` → `["643 350", "97", "—"]` (with
    `decimals` fixed and `unit` a UNIT_SUFFIX key, e.g. "percent" → "97,2 %")."""
    suffix = UNIT_SUFFIX.get(unit, "")
    out = []
    for value in values:
        out.append(MISSING if is_missing(value) else fr_number(float(value), decimals) + suffix)
    return out


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def fr_date(iso: str) -> str:
    """« 1er août 2024 » for "2024-08-01" (a timestamp keeps its date only); « — » when empty;
    any other text is returned as it is."""
    if is_missing(iso) or not str(iso).strip():
        return MISSING
    try:
        date = pd.Timestamp(str(iso)[:10])
    except ValueError:
        return str(iso)
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS[date.month - 1]} {date.year}"


def parse_fr(text: str) -> float:
    """Inverse of fr_number for plain numbers: `1 234,5` → 1234.5."""
    cleaned = text.replace(NBSP, "").replace(" ", "").replace("\u202f", "").rstrip("%").strip()
    return float(cleaned.replace(",", "."))


# A cell of fr_cells: « 813 493 », « 24,5 % », « 0 » (no leading zero: « 01 » is a code, not a number).
_FR_CELL = re.compile(r"(-?(?:0|[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})*)(?:,\d+)?)((?:[ \u00a0\u202f])?%)?")
_BOUNDED_SHARE = ("plus de ", "moins de ")  # fr_share's « moins de 0,1 % »: kept as text


def numbers_from_fr_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of French cells (fr_cells, fr_share; as explorer.territory.tables builds them) with
    its numbers back as numbers, for a spreadsheet: « 813 493 » → 813493, « 24,5 % » → 24.5 under
    a title ending « (%) », « — » → missing.

    A column changes only when each of its cells is such a number, missing, or a bounded share
    (« moins de 0,1 % », kept as text), all with % or all without; other columns (names, codes
    such as « 01 », times « 12 min ») are left as they are.
    """
    def blank(cell) -> bool:
        return is_missing(cell) or cell in ("", MISSING)

    out = {}
    for column in frame.columns:
        cells = frame[column]
        matches = [_FR_CELL.fullmatch(c) if isinstance(c, str) else None for c in cells]
        kinds = {bool(m.group(2)) for m in matches if m}
        others = [c for c, m in zip(cells, matches)
                  if not m and not blank(c) and not str(c).startswith(_BOUNDED_SHARE)]
        if len(kinds) != 1 or others:
            out[column] = cells
            continue
        percent = kinds.pop()
        name = f"{column} (%)" if percent and "%" not in str(column) else column
        out[name] = [parse_fr(m.group(1)) if m else (None if blank(c) else c) for c, m in zip(cells, matches)]
    return pd.DataFrame(out, index=frame.index)


def _decimals_of(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 2

