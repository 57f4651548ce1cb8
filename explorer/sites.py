"""Store of user-imported open data: one Parquet file per network in the import folder.

`data/imported/sites_<network>.parquet` holds the unified sites table for one network and
`data/imported/mobile_sites.parquet` the ARCEP mobile sites. Each file is written atomically
(temporary file in the same folder, then `os.replace`), so a reader, or a failed import, never
sees a half-written file. Provenance (source, vintage, import time, original file name, counts)
travels inside the Parquet metadata, so `list_imports()` needs no side file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from explorer import settings

SITE_COLUMNS = [
    "network", "site_type", "name", "address", "code_insee", "commune",
    "lat", "lon", "opening_hours", "source", "source_date",
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
    ("source", pa.string()), ("source_date", pa.string()),
])
MOBILE_SCHEMA = pa.schema([
    ("operator", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("has_2g", pa.bool_()), ("has_3g", pa.bool_()), ("has_4g", pa.bool_()),
    ("source", pa.string()), ("source_date", pa.string()),
])

_META_KEY = b"explorer_import"
_TMP_PREFIX = ".tmp-"


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
            fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".parquet", dir=target.parent)
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
    """Replace the imported ARCEP mobile sites (atomic)."""
    frame = conform_mobile_sites(df)
    return write_tables({mobile_sites_path(directory): (frame, MOBILE_SCHEMA, metadata)})[0]


# --------------------------------------------------------------------------- reading


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
            "imported_at": meta.get("imported_at", ""),
            "importer": meta.get("importer", ""),
            "original_file": meta.get("original_file", ""),
            "path": str(path),
            "bytes": path.stat().st_size,
        })
    columns = ["table", "network", "rows", "source", "source_date", "imported_at", "importer",
               "original_file", "path", "bytes"]
    return pd.DataFrame(rows, columns=columns)


def remove_import(network: str, *, directory=None) -> bool:
    """Delete one imported file (`network` or 'mobile_sites'); True if something was deleted."""
    path = mobile_sites_path(directory) if network == MOBILE_TABLE else sites_path(network, directory)
    if path.exists():
        path.unlink()
        return True
    return False
