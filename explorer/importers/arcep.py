"""ARCEP "Mon réseau mobile": mobile sites of the four operators -> table `mobile_sites`.

Two vintages are read:
- 2018 (e.g. arcep-sites-mobiles-2018-01-metropole-l93.csv): `Operateur;X;Y;2G;3G;4G`,
  operator as MCC-MNC, X/Y in Lambert-93 (EPSG:2154), flags 0/1, `#N/A` for unknown positions.
- quarterly files since 2019 (e.g. 2024_T2_sites_Metropole.csv, 2024_T2_sites_Outremer.csv):
  semicolon CSV with `code_op;nom_op;num_site;…;x;y;latitude;longitude;…;site_2g;site_3g;
  site_4g;site_5g;…`, WGS84 latitude/longitude (decimal point or comma);
- the same columns exported from « Mon réseau mobile » (data-<timestamp>.csv): quoted headers,
  flags `True`/`False`, `NULL` for unknown values, and the vintage in `annee_donnee;
  trimestre_donnee` (`2024;3` -> 2024-09-30).
The vintage comes from those columns, else the file name, else is asked. Métropole and outre-mer
files complement each other: each replaces only the territories it covers (sites.save_mobile_sites).
5G flags are read but not stored: the shared `mobile_sites` schema has no has_5g column.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter

import pandas as pd

from explorer import sites
from explorer.formatting import fr_number
from explorer.importers import base, fetching, packaging, places, table as tables, vintage
from explorer.importers.report import ImportRejected, ImportReport

KEY = "arcep"
LABEL = "Sites mobiles ARCEP"
NETWORKS = [sites.MOBILE_TABLE]
SOURCE = "ARCEP, Mon réseau mobile – sites mobiles des opérateurs"
DATASET_SLUG = "mon-reseau-mobile"
DATASET_PAGE = f"https://www.data.gouv.fr/fr/datasets/{DATASET_SLUG}/"

MCC_MNC = {"20801": "Orange", "20810": "SFR", "20820": "Bouygues Telecom", "20815": "Free Mobile"}
OPERATOR_NAMES = {"orange": "Orange", "sfr": "SFR", "bouygues telecom": "Bouygues Telecom",
                  "bouygues": "Bouygues Telecom", "free mobile": "Free Mobile", "free": "Free Mobile"}
FORMAT_2018 = ["operateur", "x", "y", "2g", "3g", "4g"]
FORMAT_QUARTERLY = ["latitude", "longitude", "site_2g", "site_3g", "site_4g"]
MEMBER_SUFFIXES = (".csv",)
# Some quarterly files were produced with stray Windows-1252 bytes.
FALLBACK_ENCODINGS = ("cp1252",)

_TRANSFORMER = None


def lambert93_to_wgs84(x: pd.Series, y: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) in WGS84 from Lambert-93 metres; NaN stays NaN."""
    global _TRANSFORMER
    if _TRANSFORMER is None:
        from pyproj import Transformer

        _TRANSFORMER = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    lon, lat = _TRANSFORMER.transform(x.to_numpy(dtype="float64"), y.to_numpy(dtype="float64"))
    return pd.Series(lat, index=x.index), pd.Series(lon, index=x.index)


def _operators(table: pd.DataFrame, report: ImportReport) -> pd.Series:
    """Operator names from MCC-MNC codes (or names); unknown ones become NA and are counted."""
    if "operateur" in table.columns:
        codes = tables.text_col(table, "operateur").str.replace(r"\.0$", "", regex=True)
        named = codes.map(MCC_MNC)
    else:
        codes = tables.text_col(table, "code_op").str.replace(r"\.0$", "", regex=True)
        named = codes.map(MCC_MNC)
        if "nom_op" in table.columns:
            names = tables.text_col(table, "nom_op").str.lower().map(OPERATOR_NAMES)
            named = named.fillna(names)
            codes = codes.where(codes != "", tables.text_col(table, "nom_op"))
    unknown = named.isna()
    if unknown.any():
        values = ", ".join(sorted(codes[unknown].replace("", "(vide)").unique())[:8])
        report.drop(f"opérateur inconnu ({values})", unknown.sum())
    return named


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert an ARCEP sites file; (mobile_sites frame, report)."""
    report, text = base.open_text_file(sys.modules[__name__], raw, filename, FALLBACK_ENCODINGS)
    filename = report.filename
    table, _ = tables.read_csv_table(text, filename, LABEL, FORMAT_QUARTERLY, separators=(";", ","),
                                     alternatives=[FORMAT_2018])
    report.rows_read = len(table) + report.rows_dropped
    lines = table["_line"]
    if {"x", "y", "operateur"} <= set(table.columns) and "latitude" not in table.columns:
        lat, lon = lambert93_to_wgs84(tables.parse_number(table["x"]), tables.parse_number(table["y"]))
        flags = {"has_2g": "2g", "has_3g": "3g", "has_4g": "4g"}
        report.source = f"{SOURCE} (format 2018, Lambert-93)"
    else:
        lat, lon = tables.parse_number(table["latitude"]), tables.parse_number(table["longitude"])
        flags = {"has_2g": "site_2g", "has_3g": "site_3g", "has_4g": "site_4g"}
        if "site_5g" in table.columns:
            report.notes.append("la colonne site_5g est lue mais non conservée (schéma sans 5G).")
    vintage.resolve(report, source_date, filename, _vintage_from_columns(table, report), KEY)

    frame = pd.DataFrame({
        "operator": _operators(table, report),
        "lat": lat, "lon": lon,
        **{out: tables.parse_flag(table[col], table.attrs["columns"].get(col, col), lines, filename)
           for out, col in flags.items()},
        "source": report.source,
        "source_date": report.source_date,
        "_line": lines,
    }, index=table.index)
    frame = frame[frame["operator"].notna()]
    frame = places.check_coordinates(frame, report, filename)
    frame = _merge_same_site(frame, report)
    places.refuse_if_empty(frame, report, filename)
    report.rows_kept = len(frame)
    report.networks = list(NETWORKS)
    report.kept_by_network = {sites.MOBILE_TABLE: len(frame)}
    report.territories = sorted(set(sites.territory_of(frame["lat"], frame["lon"])))
    report.notes.append("opérateurs : " + ", ".join(
        f"{op} {fr_number(n)}" for op, n in frame["operator"].value_counts().items()))
    return sites.conform_mobile_sites(frame), report


def _vintage_from_columns(table: pd.DataFrame, report: ImportReport) -> str | None:
    """End of the newest quarter in `annee_donnee`/`trimestre_donnee` (None without them)."""
    if not {"annee_donnee", "trimestre_donnee"} <= set(table.columns):
        return None
    pairs = Counter(zip(tables.text_col(table, "annee_donnee"), tables.text_col(table, "trimestre_donnee")))
    quarters = sorted((int(y), int(q)) for y, q in pairs
                      if y.isdigit() and len(y) == 4 and q.isdigit() and 1 <= int(q) <= 4)
    if not quarters:
        return None
    if len(quarters) > 1:
        report.warnings.append("plusieurs trimestres dans le fichier (" + ", ".join(
            f"{y} T{q}" for y, q in quarters) + ") : millésime du plus récent.")
    return vintage.quarter_end(*quarters[-1])


def _merge_same_site(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """One row per operator and position: repeated rows are merged, technologies OR-ed."""
    key = [frame["operator"], frame["lat"].round(6), frame["lon"].round(6)]
    dup = pd.DataFrame({"o": key[0], "a": key[1], "b": key[2]}).duplicated(keep=False)
    if not dup.any():
        return frame
    techs = ["has_2g", "has_3g", "has_4g"]
    merged = frame[dup].groupby(key, sort=False)[techs].transform("max")
    frame = frame.copy()
    frame.loc[dup, techs] = merged
    extra = pd.DataFrame({"o": key[0], "a": key[1], "b": key[2]}).duplicated(keep="first")
    report.drop("doublon (même opérateur, mêmes coordonnées ; technologies fusionnées)", extra.sum())
    return frame[~extra]


_QUARTERLY_NAME = re.compile(r"(\d{4})[_-]T([1-4])[_-]sites[_-]metropole", re.IGNORECASE)


def _quarter(resource: dict) -> tuple[int, int] | None:
    text = f"{resource.get('title', '')} {resource.get('url', '')}"
    m = _QUARTERLY_NAME.search(text)
    return (int(m[1]), int(m[2])) if m else None


def latest_sites_resource(resources) -> dict | None:
    """Newest `AAAA_Tn_sites_Metropole` CSV among data.gouv.fr resources."""
    dated = [(q, r) for r in resources if isinstance(r, dict) and r.get("url") and (q := _quarter(r))]
    dated = [(q, r) for q, r in dated
             if str(r.get("format") or "").lower() == "csv" or ".csv" in str(r.get("url")).lower()]
    return max(dated, key=lambda qr: qr[0])[1] if dated else None

def save(frame: pd.DataFrame, *, directory=None, metadata=None) -> list:
    """Replace the imported ARCEP mobile sites (atomic)."""
    return [sites.save_mobile_sites(frame, directory=directory, metadata=metadata)]


parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = fetching.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the newest quarterly metropolitan sites file of "Mon réseau mobile", then import it."""
    base.refuse_in_public_mode()
    dataset = fetching.datagouv_dataset(DATASET_SLUG, importer_key=KEY)
    resource = latest_sites_resource(dataset.get("resources", []))
    if resource is None:
        raise fetching.DownloadError(f"Aucun fichier « AAAA_Tn_sites_Metropole.csv » trouvé sur {DATASET_PAGE}.")
    raw = fetching.fetch(resource["url"], importer_key=KEY, limit=packaging.max_bytes(), timeout=timeout)
    name = resource.get("title") or resource["url"].rsplit("/", 1)[-1]
    return import_file(raw, filename=name, source_date=source_date, import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "lambert93_to_wgs84", "ImportRejected"]
