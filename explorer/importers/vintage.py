"""The vintage of an open-data file: from its own columns, else its name, else asked.

Never today's date: a file whose columns and name carry no date is refused with a French
message asking for the date (CLI `--date`, or the « Millésime » field of the import page).
A date given explicitly wins; a warning says when it disagrees with the file's own.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from explorer.importers.report import ImportRejected, ImportReport

FROM_COLUMNS = "lu dans les colonnes du fichier"
FROM_NAME = "lu dans le nom du fichier"
GIVEN = "indiqué à l'import"

_DAY_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_QUARTER_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_ ]?T([1-4])(?![\dA-Za-z])", re.IGNORECASE)
_MONTH_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_](0[1-9]|1[0-2])(?!\d)")
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def quarter_end(year: int, quarter: int) -> str:
    """ISO date of the last day of a quarter: (2024, 3) -> '2024-09-30'."""
    month, day = QUARTER_END[quarter]
    return date(year, month, day).isoformat()


def date_from_name(name: str) -> str | None:
    """Vintage carried by a file name: 2024-08-01 / 20240801, 2024_T2 (quarter end), 2018-01."""
    base = Path(name).name
    for m in _DAY_RE.finditer(base):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            continue
    m = _QUARTER_RE.search(base)
    if m:
        return quarter_end(int(m[1]), int(m[2]))
    m = _MONTH_RE.search(base)
    if m:
        return date(int(m[1]), int(m[2]), 1).isoformat()
    return None


def normalize_date_param(value) -> str | None:
    """ISO date from a date, datetime or string parameter; French rejection if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    raise ImportRejected(f"Date de millésime illisible : « {text} » (attendu AAAA-MM-JJ).")


def resolve(report: ImportReport, given, filename: str, from_columns: str | None, importer_key: str) -> str:
    """Set and return `report.source_date` and `report.vintage_origin` (see the module rules)."""
    given = normalize_date_param(given)
    found = [(from_columns, FROM_COLUMNS), (date_from_name(filename), FROM_NAME)]
    own = next(((day, origin) for day, origin in found if day), None)
    if given:
        report.source_date, report.vintage_origin = given, GIVEN
        if own and own[0] != given:
            report.warnings.append(f"millésime indiqué {given}, différent de celui {own[1]} ({own[0]}).")
    elif own:
        report.source_date, report.vintage_origin = own
    else:
        raise ImportRejected(
            f"Millésime inconnu pour « {filename} » : ni ses colonnes ni son nom ne donnent la date "
            "des données. Indiquez-la dans le champ « Millésime » de la page d'import, ou en ligne "
            f"de commande : explorer import {importer_key} FICHIER --date AAAA-MM-JJ."
        )
    return report.source_date
