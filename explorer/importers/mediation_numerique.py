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
from explorer.importers import base
from explorer.importers.base import ImportRejected, ImportReport

KEY = "mediation-numerique"
LABEL = "Lieux de médiation numérique (schéma national)"
NETWORKS = ["mediation_numerique"]
SOURCE = "ANCT, Cartographie nationale des lieux de médiation numérique (schéma LaMednum)"
SITE_TYPE = "Lieu de médiation numérique"
# Consolidated national file on data.gouv.fr (stable resource URL, redirects to the latest file).
DOWNLOAD_URL = "https://www.data.gouv.fr/api/1/datasets/r/398edc71-0d51-4cb6-9cbe-2540a4db573c"
# Coordinates are optional in the schema, but a site without them cannot be placed on the map.
REQUIRED = ["id", "nom", "commune", "code_postal", "adresse", "latitude", "longitude"]

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


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert a file in the national schema; (unified sites frame, report)."""
    # The schema mandates UTF-8: no legacy fallback.
    report, text = base.open_text_file(sys.modules[__name__], raw, filename)
    table, _ = base.read_csv_table(text, filename, LABEL, REQUIRED, separators=(",", ";"))
    report.rows_read = len(table)

    table["id"] = base.text_col(table, "id")
    content = [c for c in table.columns if c != "_line"]
    table = base.check_duplicate_ids(table, "id", report, filename, "id", content)

    col = {c: base.text_col(table, c) for c in {*REQUIRED, "complement_adresse", "code_insee",
                                                 "horaires", "date_maj"}}
    newest = None
    dates = pd.to_datetime(col["date_maj"].str[:10], format="%Y-%m-%d", errors="coerce").dropna()
    if len(dates):
        newest = dates.max().date().isoformat()
    report.source_date = base.resolve_source_date(source_date, filename, newest)
    if "code_insee" not in table.columns:
        report.notes.append("colonne code_insee absente (facultative dans le schéma) : codes laissés vides.")
    frame = pd.DataFrame({
        "network": "mediation_numerique",
        "site_type": SITE_TYPE,
        "name": col["nom"],
        "address": [base.join_address(*a) for a in zip(col["adresse"], col["complement_adresse"],
                                              col["code_postal"], col["commune"])],
        "code_insee": base.clean_insee(col["code_insee"], report),
        "commune": col["commune"],
        "lat": base.parse_number(col["latitude"]),
        "lon": base.parse_number(col["longitude"]),
        "opening_hours": [osm_to_french(h) for h in col["horaires"]],
        "source": SOURCE,
        "source_date": report.source_date,
        "_line": table["_line"],
    }, index=table.index)
    frame = base.finish_sites(frame, report, filename)
    return sites.conform_sites(frame), report


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = base.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the consolidated national CSV from data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    raw = base.fetch(DOWNLOAD_URL, importer_key=KEY, limit=base.max_bytes(), timeout=timeout)
    return import_file(raw, filename="lieux-de-mediation-numerique.csv", source_date=source_date,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "osm_to_french", "ImportRejected"]
