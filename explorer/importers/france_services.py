"""France services (ANCT): "Liste des structures labellisées France services", CSV.

Format of the ANCT export (e.g. france-services-2024-08-01.csv): comma-separated, quoted,
UTF-8, one row per structure or antenna, columns id_fs, lib_fs, adresse, complement_adresse,
insee_com, code_postal, lib_com, latitude, longitude (WGS84), h_lundi .. h_samedi
("09:00 - 12:00 / 13:30 - 17:00"), type_fs (Principal/Antenne), format_fs (Fixe, Bus_équivalent…).
"""

from __future__ import annotations

import functools
import re
import sys

import pandas as pd

from explorer import sites
from explorer.importers import base
from explorer.importers.base import ImportRejected, ImportReport

KEY = "france-services"
LABEL = "France services (ANCT)"
NETWORKS = ["france_services"]
SOURCE = "ANCT, Liste des structures labellisées France services"
DATASET_SLUG = "liste-des-structures-france-services"
DATASET_PAGE = f"https://www.data.gouv.fr/fr/datasets/{DATASET_SLUG}/"

DAYS = [("h_lundi", "lun."), ("h_mardi", "mar."), ("h_mercredi", "mer."), ("h_jeudi", "jeu."),
        ("h_vendredi", "ven."), ("h_samedi", "sam.")]
REQUIRED = ["id_fs", "lib_fs", "adresse", "insee_com", "lib_com", "latitude", "longitude",
            *[col for col, _ in DAYS]]
# The publisher has shipped spreadsheet exports in Windows-1252 before.
FALLBACK_ENCODINGS = ("cp1252",)

_RANGE_RE = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})\s*(?:-|–|à)\s*(\d{1,2})\s*[:hH]\s*(\d{2})")


def day_hours(value: str) -> str:
    """'09:00 - 12:00 / 13:30 - 17:00' -> '09:00-12:00, 13:30-17:00' (raw text if unparsable)."""
    value = (value or "").strip()
    ranges = [f"{int(a):02d}:{b}-{int(c):02d}:{d}" for a, b, c, d in _RANGE_RE.findall(value)]
    return ", ".join(ranges) if ranges else value


def opening_hours(row: dict) -> str:
    """French week summary, e.g. 'lun. 13:30-17:00 ; mar. 09:00-12:00, 13:30-17:00'."""
    parts = []
    for col, abbr in DAYS:
        hours = day_hours(row.get(col, ""))
        if hours:
            parts.append(f"{abbr} {hours}")
    return " ; ".join(parts)


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
    table, _ = base.read_csv_table(text, filename, LABEL, REQUIRED)
    report.rows_read = len(table)
    report.source_date = base.resolve_source_date(source_date, filename)

    table["id_fs"] = base.text_col(table, "id_fs")
    content = [c for c in table.columns if c != "_line"]
    table = base.check_duplicate_ids(table, "id_fs", report, filename, "id_fs", content)

    cols = {c: base.text_col(table, c) for c in {*REQUIRED, "complement_adresse", "code_postal",
                                                  "type_fs", "format_fs"}}
    hours = pd.DataFrame({col: cols[col] for col, _ in DAYS}).to_dict("records")
    frame = pd.DataFrame({
        "network": "france_services",
        "site_type": [_site_type(t, f) for t, f in zip(cols["type_fs"], cols["format_fs"])],
        "name": cols["lib_fs"],
        "address": [base.join_address(*a) for a in zip(cols["adresse"], cols["complement_adresse"],
                                              cols["code_postal"], cols["lib_com"])],
        "code_insee": base.clean_insee(cols["insee_com"], report),
        "commune": cols["lib_com"],
        "lat": base.parse_number(cols["latitude"]),
        "lon": base.parse_number(cols["longitude"]),
        "opening_hours": [opening_hours(h) for h in hours],
        "source": SOURCE,
        "source_date": report.source_date,
        "_line": table["_line"],
    }, index=table.index)
    frame = base.finish_sites(frame, report, filename)
    return sites.conform_sites(frame), report






def _is_structures_csv(resource: dict) -> bool:
    text = f"{resource.get('title', '')} {resource.get('url', '')}".lower()
    fmt = str(resource.get("format") or "").lower()
    return (fmt == "csv" or text.endswith(".csv")) and "commune" not in text


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = base.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the newest structures CSV of the ANCT dataset on data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    dataset = base.datagouv_dataset(DATASET_SLUG, importer_key=KEY)
    resource = base.pick_resource(dataset.get("resources", []), _is_structures_csv)
    if resource is None:
        raise base.DownloadError(f"Aucun fichier CSV des structures trouvé sur {DATASET_PAGE}.")
    raw = base.fetch(resource["url"], importer_key=KEY, limit=base.max_bytes(), timeout=timeout)
    name = resource.get("title") or resource["url"].rsplit("/", 1)[-1]
    date_hint = base.date_from_name(name) or str(resource.get("last_modified") or "")[:10] or None
    return import_file(raw, filename=name, source_date=source_date or date_hint,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "opening_hours", "ImportRejected"]
