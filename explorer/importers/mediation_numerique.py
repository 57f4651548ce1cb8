"""Lieux de médiation numérique in the national data schema (LaMednum / ANCT).

Schema "Lieux de médiation numérique" (schema.data.gouv.fr, LaMednum/standard-mediation-num):
CSV, comma-separated, UTF-8, columns id, pivot, nom, commune, code_postal, code_insee, adresse,
complement_adresse, latitude, longitude (WGS84, optional in the schema), horaires (OSM
opening_hours, e.g. "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"), source, date_maj,
services… The consolidated national file is republished by the ANCT "Cartographie nationale".
"""

from __future__ import annotations

import functools
import re
import sys

import pandas as pd

from explorer import sites
from explorer.formatting import fr_number
from explorer.importers import base, codes, fetching, hours, mediation_schema, places, table as tables, vintage
from explorer.importers.report import ImportRejected, ImportReport

KEY = "mediation-numerique"
LABEL = "Lieux de médiation numérique (schéma national)"
NETWORKS = ["mediation_numerique"]
SOURCE = "ANCT, Cartographie nationale des lieux de médiation numérique (schéma LaMednum)"
SITE_TYPE = "Lieu de médiation numérique"
# Consolidated national file on data.gouv.fr (stable resource URL, redirects to the latest file).
DOWNLOAD_URL = "https://www.data.gouv.fr/api/1/datasets/r/398edc71-0d51-4cb6-9cbe-2540a4db573c"
# Coordinates are optional in the schema, but a site without them cannot be placed on the map.
REQUIRED = ["id", "nom", "commune", "code_postal", "adresse", "latitude", "longitude"]
MEMBER_SUFFIXES = (".csv",)

_OSM_DAYS = {"Mo": "lun.", "Tu": "mar.", "We": "mer.", "Th": "jeu.", "Fr": "ven.", "Sa": "sam.",
             "Su": "dim.", "PH": "jours fériés"}
_OSM_WORDS = {"off": "fermé", "closed": "fermé", "open": "ouvert", "24/7": "tous les jours 24 h/24"}


def osm_to_french(value: str) -> str:
    """Readable French form of an OSM opening_hours string; unknown tokens are kept as is."""
    text = (value or "").strip()
    if not text:
        return ""
    if text in _OSM_WORDS:
        return _OSM_WORDS[text]
    rules = []
    for rule in (r.strip() for r in text.split(";")):
        if not rule:
            continue
        rule = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", lambda m: _OSM_DAYS[m[1]], rule)
        rule = re.sub(r"(?<=\.)-(?=[a-z])", "–", rule)  # day ranges: lun.–ven.
        rule = re.sub(r"(?<=\.),\s*(?=[a-z])", ", ", rule)  # day lists: mar., jeu.
        rule = re.sub(r"\s*,\s*(?=\d)", ", ", rule)  # time lists
        rule = re.sub(r"\b(off|closed)\b", "fermé", rule)
        rules.append(rule)
    return " ; ".join(rules)


def _opening(cell: str) -> tuple[hours.Week | None, str]:
    """(structured week or None, French text): structured when the OSM text is in the subset read."""
    week = hours.parse_osm(cell)
    return (week, week.french()) if week is not None else (None, osm_to_french(cell))


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert a file in the national schema; (unified sites frame, report)."""
    # The schema mandates UTF-8: no legacy encoding for a whole file.
    report, text = base.open_text_file(sys.modules[__name__], raw, filename)
    filename = report.filename
    table, _ = tables.read_csv_table(text, filename, LABEL, REQUIRED, separators=(",", ";"))
    report.rows_read = len(table) + report.rows_dropped
    mediation_schema.check(table, report)

    table["id"] = tables.text_col(table, "id")
    content = [c for c in table.columns if c != "_line"]
    table = places.check_duplicate_ids(table, "id", report, filename, content)

    col = {c: tables.text_col(table, c) for c in {*REQUIRED, "complement_adresse", "code_insee",
                                                   "horaires", "date_maj"}}
    dates = pd.to_datetime(col["date_maj"].str[:10], format="%Y-%m-%d", errors="coerce").dropna()
    newest = dates.max().date().isoformat() if len(dates) else None
    vintage.resolve(report, source_date, filename, newest, KEY)
    if "code_insee" not in table.columns:
        report.notes.append("colonne code_insee absente (facultative dans le schéma) : codes laissés vides.")
    opening = [_opening(h) for h in col["horaires"]]
    weeks = [w for w, _ in opening]
    hours.report_counts([w or hours.Week() for w in weeks], table["_line"], report)
    unstructured = sum(1 for (w, _), cell in zip(opening, col["horaires"]) if w is None and cell)
    if unstructured:
        report.notes.append(f"Horaires OSM hors du sous-ensemble lu (semaines, mois, commentaires), "
                            f"texte conservé sans plages structurées : {fr_number(unstructured)}.")
    postcode = codes.clean_postcode(col["code_postal"], report)
    frame = pd.DataFrame({
        "network": "mediation_numerique",
        "site_type": SITE_TYPE,
        "name": col["nom"],
        "address": [places.join_address(*a) for a in zip(col["adresse"], col["complement_adresse"],
                                                postcode, col["commune"])],
        "code_insee": codes.clean_insee(col["code_insee"], report),
        "commune": col["commune"],
        "lat": tables.parse_number(col["latitude"]),
        "lon": tables.parse_number(col["longitude"]),
        "opening_hours": [text for _, text in opening],
        "opening_ranges": [w.records() if w is not None else None for w in weeks],
        "source": SOURCE,
        "source_date": report.source_date,
        "_line": table["_line"],
    }, index=table.index)
    frame = places.finish_sites(frame, report, filename)
    return sites.conform_sites(frame), report


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = fetching.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the consolidated national CSV from data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    raw = fetching.fetch(DOWNLOAD_URL, importer_key=KEY, limit=base.packaging.max_bytes(), timeout=timeout)
    return import_file(raw, filename="lieux-de-mediation-numerique.csv", source_date=source_date,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "osm_to_french", "ImportRejected"]
