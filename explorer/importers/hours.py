"""Opening hours as data: (day, opening, closing) ranges, and the French text derived from them.

Rules (issue 10), the same for every publisher:
- a zero-length range (`00:00 - 00:00`, the ANCT placeholder) means nothing and is dropped;
  a day holding only that is closed;
- an impossible range (closing before opening, 25:00, 12:75) or an unreadable one is rejected
  and counted in the import report;
- the text shown in popups is derived from the ranges, never copied from the file.

Parsing is linear in the cell length: whitespace is removed with str.split (no regex over
runs of spaces), then each range is matched by a pattern without nested repetition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from explorer.formatting import fr_number

DAY_NAMES = {1: "lundi", 2: "mardi", 3: "mercredi", 4: "jeudi", 5: "vendredi", 6: "samedi", 7: "dimanche"}
DAY_ABBR = {1: "lun.", 2: "mar.", 3: "mer.", 4: "jeu.", 5: "ven.", 6: "sam.", 7: "dim."}
DAY_OF_NAME = {name: day for day, name in DAY_NAMES.items()}
# A cell longer than this is not opening hours (issue 09: 120,000 spaces in one cell).
MAX_CELL_CHARS = 500

_CLOCK = r"(\d{1,2})[:hH](\d{2})(?::\d{2})?"
_RANGE = re.compile(_CLOCK + r"(?:-|–|à)" + _CLOCK)
_CLOCK_ALONE = re.compile(_CLOCK)


@dataclass(frozen=True, order=True)
class Range:
    """One opening range: ISO weekday (1 = lundi), opening and closing as "HH:MM" (24:00 allowed)."""

    day: int
    opens: str
    closes: str

    def as_dict(self) -> dict:
        return {"day": self.day, "opens": self.opens, "closes": self.closes}


@dataclass
class Week:
    """Parsed ranges of one place, with counts of what was dropped (for the import report)."""

    ranges: list[Range] = field(default_factory=list)
    empty: int = 0
    impossible: list[str] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)
    holidays: str = ""

    def add(self, day: int, opens: int | None, closes: int | None, raw: str) -> None:
        """Keep a range given in minutes since midnight, or count it as empty or impossible."""
        if opens is None or closes is None or not 0 <= opens <= 24 * 60 or not 0 <= closes <= 24 * 60:
            self.impossible.append(raw)
        elif opens == closes:
            self.empty += 1
        elif closes < opens:
            self.impossible.append(raw)
        else:
            self.ranges.append(Range(day, _hhmm(opens), _hhmm(closes)))

    def records(self) -> list[dict]:
        """Sorted, de-duplicated ranges as dicts (the stored `opening_ranges` cell)."""
        return [r.as_dict() for r in sorted(set(self.ranges))]

    def french(self) -> str:
        """« lun. 13:30-17:00 ; mar.–jeu. 09:00-12:00, 13:30-17:00 » (consecutive equal days grouped)."""
        text = french_text(self.records(), self.notes)
        if self.holidays:
            text = " ; ".join(p for p in (text, f"jours fériés {self.holidays}") if p)
        return text


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes(hours: str, mins: str) -> int | None:
    """Minutes since midnight from clock digits; None when the minutes are impossible."""
    h, m = int(hours), int(mins)
    return None if m > 59 else h * 60 + m


def clock(text: str) -> int | None:
    """Minutes since midnight of '08:30', '8h30' or '08:30:00'; None if unreadable."""
    m = _CLOCK_ALONE.fullmatch("".join(str(text or "").split()))
    return minutes(m[1], m[2]) if m else None


def parse_day_cell(week: Week, day: int, cell: str) -> None:
    """Add the ranges of one day cell such as '09:00 - 12:00 / 13:30 - 17:00' to `week`."""
    if len(cell) > MAX_CELL_CHARS:
        week.impossible.append(cell[:40] + "…")
        return
    compact = "".join(cell.split())
    for piece in re.split(r"[/,;]", compact):
        if not piece:
            continue
        m = _RANGE.fullmatch(piece)
        if m is None:
            week.impossible.append(piece)
            continue
        week.add(day, minutes(m[1], m[2]), minutes(m[3], m[4]), piece)


def _group(records: list[dict], notes: Mapping[int, str]) -> list[tuple[list[int], str]]:
    by_day: dict[int, list[str]] = {}
    for r in records:
        by_day.setdefault(r["day"], []).append(f"{r['opens']}-{r['closes']}")
    groups: list[tuple[list[int], str]] = []
    for day in sorted(set(by_day) | set(notes)):
        text = ", ".join(by_day.get(day, []))
        if notes.get(day):
            text = f"{text} ({notes[day]})" if text else f"({notes[day]})"
        if groups and groups[-1][1] == text and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    return groups


def french_text(records: Iterable[Mapping], notes: Mapping[int, str] | None = None) -> str:
    """French week text derived from stored ranges (and optional per-day notes)."""
    parts = []
    for days, text in _group(list(records), notes or {}):
        span = DAY_ABBR[days[0]] if len(days) == 1 else (
            f"{DAY_ABBR[days[0]]}–{DAY_ABBR[days[-1]]}" if len(days) > 2
            else f"{DAY_ABBR[days[0]]}, {DAY_ABBR[days[-1]]}")
        parts.append(f"{span} {text}")
    return " ; ".join(parts)


def report_counts(weeks: Iterable[Week], lines: Iterable[int], report) -> None:
    """Record in `report` the empty ranges dropped and the impossible ones rejected, with lines."""
    empty = 0
    impossible: list[str] = []
    for week, line in zip(weeks, lines):
        empty += week.empty
        impossible += [f"ligne {line} : « {raw} »" for raw in week.impossible]
    if empty:
        report.notes.append(f"Plages horaires de durée nulle (00:00 - 00:00) ignorées : {fr_number(empty)}.")
    if impossible:
        shown = "; ".join(impossible[:5]) + (" …" if len(impossible) > 5 else "")
        report.warnings.append(f"Plages horaires impossibles ou illisibles rejetées : "
                               f"{fr_number(len(impossible))} ({shown}).")
        report.hours_rejected = len(impossible)


_OSM_DAYS = {"Mo": 1, "Tu": 2, "We": 3, "Th": 4, "Fr": 5, "Sa": 6, "Su": 7}


def _osm_days(spec: str) -> list[int] | None:
    days: list[int] = []
    for token in spec.split(","):
        first, _, last = token.partition("-")
        if first not in _OSM_DAYS or (last and last not in _OSM_DAYS):
            return None
        a, b = _OSM_DAYS[first], _OSM_DAYS[last or first]
        days += list(range(a, b + 1)) if a <= b else [*range(a, 8), *range(1, b + 1)]
    return days


def parse_osm(text: str) -> Week | None:
    """Ranges of the common OSM opening_hours subset ("Mo-Fr 09:00-12:00,14:00-18:30; Sa off").

    Rules apply in order and a later rule replaces the days it names (OSM semantics); `PH`
    (public holidays) rules are kept as a note only. Returns None for anything outside the
    subset (weeks, months, comments…): the caller then keeps the text without structure.
    """
    text = (text or "").strip()
    if len(text) > MAX_CELL_CHARS:
        return None
    if text == "24/7":
        text = "Mo-Su 00:00-24:00"
    by_day: dict[int, Week] = {}
    week = Week()
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        spec, _, times = rule.partition(" ")
        times = "".join(times.split())
        if spec == "PH":
            week.holidays = "fermé" if times in ("off", "closed") else times.replace(",", ", ")
            continue
        days = _osm_days(spec)
        if days is None or not times:
            return None
        for day in days:
            by_day[day] = Week()
            if times in ("off", "closed"):
                continue
            for piece in times.split(","):
                m = _RANGE.fullmatch(piece)
                if m is None:
                    return None
                by_day[day].add(day, minutes(m[1], m[2]), minutes(m[3], m[4]), piece)
    for day_week in by_day.values():
        week.ranges += day_week.ranges
        week.empty += day_week.empty
        week.impossible += day_week.impossible
    return week
