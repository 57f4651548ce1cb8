"""Store of user-imported open data: one Parquet file per network in the import folder.

`data/imported/sites_<network>.parquet` holds the unified sites table for one network and
`data/imported/mobile_sites.parquet` the ARCEP mobile sites. Each file is written atomically
(temporary file `.tmp-<pid>-*` in the same folder, then `os.replace`), so a reader, or a failed
import, never sees a half-written file; the leftovers of a killed import are removed at the next
start (`remove_leftovers`). Provenance (source, vintage, import time, original file name,
counts) travels inside the Parquet metadata, so `list_imports()` needs no side file.

ARCEP publishes complementary files (métropole, outre-mer): the mobile sites are kept per
territory, and a file replaces only the territories it covers (`save_mobile_sites`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from explorer import settings

SITE_COLUMNS = [
    "network", "site_type", "name", "address", "code_insee", "commune",
    "lat", "lon", "opening_hours", "opening_ranges", "source", "source_date",
]
MOBILE_COLUMNS = ["operator", "lat", "lon", "has_2g", "has_3g", "has_4g", "source", "source_date"]

SITE_NETWORKS = (
    "mairie", "france_services", "caf", "cpam", "carsat", "msa", "france_travail",
    "mediation_numerique",
)
OPERATORS = ("Orange", "SFR", "Bouygues Telecom", "Free Mobile")
MOBILE_TABLE = "mobile_sites"

SITES_SCHEMA = pa.schema([
    ("network", pa.string()), ("site_type", pa.string()), ("name", pa.string()),
    ("address", pa.string()), ("code_insee", pa.string()), ("commune", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("opening_hours", pa.string()),
    # (ISO weekday 1-7, "HH:MM", "HH:MM") per range; null where the publisher gives no hours
    # in a structured form (town halls of geo/, older imports). See importers.hours.
    ("opening_ranges", pa.list_(pa.struct([("day", pa.int8()), ("opens", pa.string()),
                                           ("closes", pa.string())]))),
    ("source", pa.string()), ("source_date", pa.string()),
])
MOBILE_SCHEMA = pa.schema([
    ("operator", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("has_2g", pa.bool_()), ("has_3g", pa.bool_()), ("has_4g", pa.bool_()),
    ("source", pa.string()), ("source_date", pa.string()),
])

_META_KEY = b"explorer_import"
_TMP_PREFIX = ".tmp-"
_LEFTOVER = re.compile(r"\.tmp-(\d+)-.*\.parquet")
_DB_LEFTOVER = re.compile(r".*\.duckdb\.(\d+)\.tmp")

# (south, north, west, east) in WGS84 degrees, with a margin of a few km.
TERRITORY_BOXES = {
    "France métropolitaine": (41.2, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.95, -61.3, -60.75),
    "Guyane": (2.0, 5.9, -54.7, -51.5),
    "La Réunion": (-21.45, -20.85, 55.2, 55.9),
    "Mayotte": (-13.1, -12.55, 44.9, 45.35),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Saint-Martin et Saint-Barthélemy": (17.85, 18.15, -63.2, -62.75),
    "Wallis-et-Futuna": (-14.5, -13.1, -178.3, -176.0),
    "Polynésie française": (-28.0, -7.0, -155.0, -134.0),
    "Nouvelle-Calédonie": (-23.0, -19.0, 163.0, 169.0),
}


def territory_of(lat, lon) -> np.ndarray:
    """Territory name (a TERRITORY_BOXES key) of each WGS84 point; "" outside France."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    out = np.full(lat.shape, "", dtype=object)
    for name, (south, north, west, east) in TERRITORY_BOXES.items():
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east) & (out == "")
        out[inside] = name
    return out


def import_dir(directory: str | os.PathLike | None = None) -> Path:
    """The import folder: explicit argument, else $EXPLORER_IMPORT_DIR (read now), else settings."""
    if directory is not None:
        return Path(directory)
    env = os.environ.get("EXPLORER_IMPORT_DIR")
    return Path(env) if env else settings.IMPORT_DIR


def sites_path(network: str, directory: str | os.PathLike | None = None) -> Path:
    if network not in SITE_NETWORKS:
        raise ValueError(f"unknown site network {network!r}; expected one of {SITE_NETWORKS}")
    return import_dir(directory) / f"sites_{network}.parquet"


def mobile_sites_path(directory: str | os.PathLike | None = None) -> Path:
    return import_dir(directory) / f"{MOBILE_TABLE}.parquet"


# --------------------------------------------------------------------------- which file serves


def network_file(network: str, directory=None) -> Path | None:
    """The file serving `network`: the user's import, else the embedded file of geo/ (town halls,
    France services: see explorer.embedded), else None."""
    for path in (sites_path(network, directory), settings.GEO_DIR / f"sites_{network}.parquet"):
        if path.exists():
            return path
    return None


def mobile_file(directory=None) -> Path | None:
    """The mobile sites file in use: the user's ARCEP import, else the embedded one, else None."""
    for path in (mobile_sites_path(directory), mobile_sites_path(settings.GEO_DIR)):
        if path.exists():
            return path
    return None


def available_networks(directory=None) -> list[str]:
    """Networks with a file (embedded or imported), in the order of SITE_NETWORKS."""
    return [n for n in SITE_NETWORKS if network_file(n, directory) is not None]


def is_embedded(path: Path) -> bool:
    return Path(path).parent.resolve() == settings.GEO_DIR.resolve()


# --------------------------------------------------------------------------- conforming


def conform_sites(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly SITE_COLUMNS, typed; raise ValueError on a schema violation.

    A violation here is a bug in an importer, not bad user input: messages are for developers.
    """
    if "opening_ranges" not in df.columns:  # town halls of geo/, files imported before issue 10
        df = df.assign(opening_ranges=None)
    missing = [c for c in SITE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"sites frame lacks columns {missing}")
    out = df[SITE_COLUMNS].copy()
    bad_networks = set(out["network"].dropna().unique()) - set(SITE_NETWORKS)
    if bad_networks or out["network"].isna().any():
        raise ValueError(f"invalid network values: {sorted(map(str, bad_networks)) or 'null'}")
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
        if out[col].isna().any():
            raise ValueError(f"null {col} in sites frame")
    codes = out["code_insee"].dropna().astype(str)
    if not codes.str.fullmatch(r"\d{5}|2[AB]\d{3}").all():
        raise ValueError("code_insee must be 5 characters (or null)")
    for col in ("site_type", "name", "address", "commune", "opening_hours", "source", "source_date"):
        out[col] = out[col].fillna("").astype(str)
    out["code_insee"] = out["code_insee"].astype("string")
    if (out["name"] == "").any():
        raise ValueError("empty name in sites frame")
    return out.reset_index(drop=True)


def conform_mobile_sites(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly MOBILE_COLUMNS, typed; raise ValueError on a schema violation."""
    missing = [c for c in MOBILE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"mobile sites frame lacks columns {missing}")
    out = df[MOBILE_COLUMNS].copy()
    bad = set(out["operator"].dropna().unique()) - set(OPERATORS)
    if bad or out["operator"].isna().any():
        raise ValueError(f"invalid operator values: {sorted(map(str, bad)) or 'null'}")
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
        if out[col].isna().any():
            raise ValueError(f"null {col} in mobile sites frame")
    for col in ("has_2g", "has_3g", "has_4g"):
        out[col] = out[col].astype(bool)
    for col in ("source", "source_date"):
        out[col] = out[col].fillna("").astype(str)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- writing


def _arrow_table(df: pd.DataFrame, schema: pa.Schema, metadata: Mapping | None) -> pa.Table:
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    meta = dict(metadata or {})
    meta.setdefault("imported_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    meta["rows"] = len(df)
    return table.replace_schema_metadata({_META_KEY: json.dumps(meta, ensure_ascii=False).encode()})


def write_tables(tables: Mapping[Path, tuple[pd.DataFrame, pa.Schema, Mapping | None]]) -> list[Path]:
    """Write several Parquet files, each atomically.

    Every temporary file is fully written first and only then are they moved into place, so a
    failure while writing (disk full, bad value) replaces nothing.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, (df, schema, metadata) in tables.items():
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            table = _arrow_table(df, schema, metadata)
            fd, tmp_name = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=".parquet",
                                            dir=target.parent)
            tmp = Path(tmp_name)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                pq.write_table(table, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [target for _, target in staged]


def save_sites(df: pd.DataFrame, network: str, *, directory=None, metadata: Mapping | None = None) -> Path:
    """Replace the imported sites of one network (atomic)."""
    frame = conform_sites(df)
    if not (frame["network"] == network).all():
        raise ValueError(f"frame holds networks other than {network!r}")
    return write_tables({sites_path(network, directory): (frame, SITES_SCHEMA, metadata)})[0]


def save_sites_by_network(df: pd.DataFrame, *, directory=None, metadata: Mapping | None = None) -> list[Path]:
    """Replace the imported sites of every network present in `df`, all files staged first."""
    frame = conform_sites(df)
    tables = {}
    for network, part in frame.groupby("network", sort=True):
        meta = dict(metadata or {})
        meta["network"] = network
        tables[sites_path(network, directory)] = (part, SITES_SCHEMA, meta)
    return write_tables(tables)


def save_mobile_sites(df: pd.DataFrame, *, directory=None, metadata: Mapping | None = None) -> Path:
    """Replace the imported ARCEP mobile sites of the territories `df` covers (atomic).

    Sites already imported for other territories are kept (ARCEP publishes métropole and
    outre-mer as two files). The file's metadata keeps one entry per territory under `parts`
    (territory, rows, source_date, original_file, imported_at), for list_imports and the page.
    """
    frame = conform_mobile_sites(df)
    territories = territory_of(frame["lat"], frame["lon"])
    covered = sorted(set(territories) - {""})
    path = mobile_sites_path(directory)
    meta = dict(metadata or {})
    meta.setdefault("imported_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    parts = [{"territory": t, "rows": int((territories == t).sum()), "source_date": meta.get("source_date", ""),
              "original_file": meta.get("original_file", ""), "imported_at": meta["imported_at"]}
             for t in covered]
    if path.exists():
        previous = load_mobile_sites(directory=directory)
        kept = previous[~np.isin(territory_of(previous["lat"], previous["lon"]), covered)]
        parts += [p for p in _parts_of(path) if p["territory"] not in covered]
        frame = conform_mobile_sites(pd.concat([kept, frame], ignore_index=True))
    meta["parts"] = sorted(parts, key=lambda p: p["territory"] != "France métropolitaine")
    return write_tables({path: (frame, MOBILE_SCHEMA, meta)})[0]


def _parts_of(path: Path) -> list[dict]:
    """Per-territory provenance of a mobile sites file (one part for a file saved before)."""
    meta = read_metadata(path)
    if meta.get("parts"):
        return meta["parts"]
    frame = pd.read_parquet(path, columns=["lat", "lon"])
    names = territory_of(frame["lat"], frame["lon"])
    return [{"territory": t, "rows": int((names == t).sum()), "source_date": meta.get("source_date", ""),
             "original_file": meta.get("original_file", ""), "imported_at": meta.get("imported_at", "")}
            for t in sorted(set(names) - {""})]


def mobile_territories(*, directory=None) -> pd.DataFrame:
    """Territories of the imported mobile sites: territory, rows, source_date, original_file, imported_at.

    `attrs["vintages_differ"]` is True when the territories come from different vintages.
    """
    path = mobile_sites_path(directory)
    columns = ["territory", "rows", "source_date", "original_file", "imported_at"]
    frame = pd.DataFrame(_parts_of(path) if path.exists() else [], columns=columns)
    frame.attrs["vintages_differ"] = frame["source_date"].nunique() > 1
    return frame


# --------------------------------------------------------------------------- reading


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(directory=None, db_path: Path | None = None) -> list[Path]:
    """Delete temporary files of imports and database builds whose process is gone; return them.

    `.tmp-<pid>-*.parquet` in the import folder and `explorer.duckdb.<pid>.tmp` beside the
    database are left by a killed import or build (issue 09); a live process's files are kept.
    """
    db_path = Path(db_path or settings.DB_PATH)
    candidates = [(p, _LEFTOVER) for p in import_dir(directory).glob(f"{_TMP_PREFIX}*.parquet")]
    candidates += [(p, _DB_LEFTOVER) for p in db_path.parent.glob(f"{db_path.name}.*.tmp")]
    removed = []
    for path, pattern in candidates:
        m = pattern.fullmatch(path.name)
        if (m is None or not _is_alive(int(m[1]))) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def imported_site_files(directory=None) -> list[Path]:
    """Imported site files, one per network (mobile sites excluded), sorted."""
    folder = import_dir(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("sites_*.parquet") if not p.name.startswith(_TMP_PREFIX))


def imported_files(directory=None) -> list[Path]:
    """Every imported Parquet file (sites of each network, mobile sites), sorted."""
    mobile = mobile_sites_path(directory)
    return imported_site_files(directory) + ([mobile] if mobile.exists() else [])


def load_sites(networks: str | Iterable[str] | None = None, *, directory=None) -> pd.DataFrame:
    """Imported sites of the given networks (all imported networks by default), unified schema."""
    if isinstance(networks, str):
        networks = [networks]
    if networks is None:
        paths = imported_site_files(directory)
    else:
        paths = [sites_path(n, directory) for n in networks]
        paths = [p for p in paths if p.exists()]
    frames = [pd.read_parquet(p) for p in paths]
    if not frames:
        return conform_sites(pd.DataFrame(columns=SITE_COLUMNS))
    return conform_sites(pd.concat(frames, ignore_index=True))


def load_mobile_sites(*, directory=None) -> pd.DataFrame:
    """Imported ARCEP mobile sites (empty frame with the schema's columns if none)."""
    path = mobile_sites_path(directory)
    if not path.exists():
        return conform_mobile_sites(pd.DataFrame(columns=MOBILE_COLUMNS))
    return conform_mobile_sites(pd.read_parquet(path))


def read_metadata(path: str | os.PathLike) -> dict:
    """Provenance stored by write_tables (empty dict for a file written otherwise)."""
    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(_META_KEY)
    return json.loads(raw) if raw else {}


def list_imports(*, directory=None) -> pd.DataFrame:
    """One row per imported file: table, network, rows, source, source_date, imported_at, ..."""
    files = imported_files(directory)
    mobile = mobile_sites_path(directory)
    rows = []
    for path in files:
        meta = read_metadata(path)
        is_mobile = path == mobile
        rows.append({
            "table": MOBILE_TABLE if is_mobile else "sites",
            "network": MOBILE_TABLE if is_mobile else path.stem.removeprefix("sites_"),
            "rows": meta.get("rows", pq.read_metadata(path).num_rows),
            "source": meta.get("source", ""),
            "source_date": meta.get("source_date", ""),
            "vintage_origin": meta.get("vintage_origin", ""),
            "territories": "; ".join(f"{p['territory']} ({p['source_date']})" for p in _parts_of(path))
            if is_mobile else "",
            "imported_at": meta.get("imported_at", ""),
            "importer": meta.get("importer", ""),
            "original_file": meta.get("original_file", ""),
            "path": str(path),
            "bytes": path.stat().st_size,
        })
    columns = ["table", "network", "rows", "source", "source_date", "vintage_origin", "territories",
               "imported_at", "importer", "original_file", "path", "bytes"]
    return pd.DataFrame(rows, columns=columns)


def remove_import(network: str, *, directory=None) -> bool:
    """Delete one imported file (`network` or 'mobile_sites'); True if something was deleted."""
    path = mobile_sites_path(directory) if network == MOBILE_TABLE else sites_path(network, directory)
    if path.exists():
        path.unlink()
        return True
    return False
