"""France services (ANCT): "Liste des structures labellisées France services", CSV.

Format of the ANCT export (e.g. france-services-2024-08-01.csv): comma-separated, quoted,
UTF-8, one row per structure or antenna, columns id_fs, insee_dep, lib_fs, adresse,
complement_adresse, insee_com, code_postal, lib_com, latitude, longitude (WGS84), h_lundi ..
h_samedi ("09:00 - 12:00 / 13:30 - 17:00"; "00:00 - 00:00" is a placeholder), type_fs
(Principal/Antenne), format_fs (Fixe, Bus_équivalent…). No column carries the vintage: it comes
from the file name (france-services-2024-08-01.csv) or is asked.
"""

from __future__ import annotations

import functools
import sys

import pandas as pd

from explorer import sites
from explorer.importers import base, codes, fetching, hours, packaging, places, table as tables, vintage
from explorer.importers.report import ImportRejected, ImportReport

KEY = "france-services"
LABEL = "France services (ANCT)"
NETWORKS = ["france_services"]
SOURCE = "ANCT, Liste des structures labellisées France services"
DATASET_SLUG = "liste-des-structures-france-services"
DATASET_PAGE = f"https://www.data.gouv.fr/fr/datasets/{DATASET_SLUG}/"
MEMBER_SUFFIXES = (".csv",)

DAYS = {"h_lundi": 1, "h_mardi": 2, "h_mercredi": 3, "h_jeudi": 4, "h_vendredi": 5, "h_samedi": 6}
REQUIRED = ["id_fs", "lib_fs", "adresse", "insee_com", "lib_com", "latitude", "longitude", *DAYS]
# The publisher has shipped spreadsheet exports in Windows-1252 before.
FALLBACK_ENCODINGS = ("cp1252",)


def week_of(row: dict) -> hours.Week:
    """Opening ranges of one ANCT row (h_lundi .. h_samedi cells)."""
    week = hours.Week()
    for col, day in DAYS.items():
        hours.parse_day_cell(week, day, row.get(col) or "")
    return week


def _site_type(type_fs: str, format_fs: str) -> str:
    fmt = format_fs.lower()
    if fmt.startswith("bus") or fmt.startswith("itin"):
        kind = "France services itinérante"
    else:
        kind = "France services"
    return f"{kind} (antenne)" if type_fs.lower().startswith("antenne") else kind


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert an ANCT file; (unified sites frame, report). Raises ImportRejected."""
    report, text = base.open_text_file(sys.modules[__name__], raw, filename, FALLBACK_ENCODINGS)
    table, _ = tables.read_csv_table(text, report.filename, LABEL, REQUIRED)
    report.rows_read = len(table) + report.rows_dropped
    vintage.resolve(report, source_date, report.filename, None, KEY)

    table["id_fs"] = tables.text_col(table, "id_fs")
    content = [c for c in table.columns if c != "_line"]
    table = places.check_duplicate_ids(table, "id_fs", report, report.filename, content)

    cols = {c: tables.text_col(table, c) for c in {*REQUIRED, "complement_adresse", "code_postal",
                                                    "insee_dep", "type_fs", "format_fs"}}
    weeks = [week_of(row) for row in pd.DataFrame({c: cols[c] for c in DAYS}).to_dict("records")]
    hours.report_counts(weeks, table["_line"], report)
    insee = codes.clean_insee(cols["insee_com"], report)
    postcode = codes.clean_postcode(cols["code_postal"], report)
    codes.check_departement(codes.clean_departement(cols["insee_dep"], report), insee, report)
    frame = pd.DataFrame({
        "network": "france_services",
        "site_type": [_site_type(t, f) for t, f in zip(cols["type_fs"], cols["format_fs"])],
        "name": cols["lib_fs"],
        "address": [places.join_address(*a) for a in zip(cols["adresse"], cols["complement_adresse"],
                                                postcode, cols["lib_com"])],
        "code_insee": insee,
        "commune": cols["lib_com"],
        "lat": tables.parse_number(cols["latitude"]),
        "lon": tables.parse_number(cols["longitude"]),
        "opening_hours": [w.french() for w in weeks],
        "opening_ranges": [w.records() for w in weeks],
        "source": SOURCE,
        "source_date": report.source_date,
        "_line": table["_line"],
    }, index=table.index)
    frame = places.finish_sites(frame, report, report.filename)
    return sites.conform_sites(frame), report


def _is_structures_csv(resource: dict) -> bool:
    text = f"{resource.get('title', '')} {resource.get('url', '')}".lower()
    fmt = str(resource.get("format") or "").lower()
    return (fmt == "csv" or text.endswith(".csv")) and "commune" not in text


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = fetching.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the newest structures CSV of the ANCT dataset on data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    dataset = fetching.datagouv_dataset(DATASET_SLUG, importer_key=KEY)
    resource = fetching.pick_resource(dataset.get("resources", []), _is_structures_csv)
    if resource is None:
        raise fetching.DownloadError(f"Aucun fichier CSV des structures trouvé sur {DATASET_PAGE}.")
    raw = fetching.fetch(resource["url"], importer_key=KEY, limit=packaging.max_bytes(), timeout=timeout)
    name = resource.get("title") or resource["url"].rsplit("/", 1)[-1]
    date_hint = vintage.date_from_name(name) or str(resource.get("last_modified") or "")[:10] or None
    return import_file(raw, filename=name, source_date=source_date or date_hint,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "week_of", "ImportRejected"]
