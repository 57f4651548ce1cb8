"""Build the DuckDB database from data/ and open it read-only."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd

from explorer import catalog, settings, sites

# Console and app connections: no file or network access, settings frozen (STYLE §1.1).
READONLY_CONFIG = {
    "enable_external_access": "false",
    "memory_limit": "256MB",  # the app's own queries are small; the console has its own cap
    "threads": "2",
    "lock_configuration": "true",
}


VIEWS_DIR = settings.QUERIES_DIR / "views"


def source_files() -> list[Path]:
    """Every file the database is built from, in a stable order (imports included)."""
    files = [settings.CATALOG_PATH, *sorted(settings.REPORT_DIR.glob("*.csv")),
             *sorted(VIEWS_DIR.glob("*.sql")), *sorted(settings.GEO_DIR.glob("*.parquet")),
             settings.GEO_DIR / "departements.geojson", *sites.imported_files()]
    return [f for f in files if f.exists()]


def fingerprint(files: list[Path] | None = None) -> str:
    """A hash of the sources' paths, sizes and modification times: stale when it changes.

    Stat-based rather than content-based so that checking it on every rerun costs microseconds.
    """
    digest = hashlib.sha256()
    for path in source_files() if files is None else files:
        stat = path.stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


FINGERPRINT_TTL_S = 1.0  # an app rerun asks ~20 times; an edited CSV is seen within a second
_fingerprint_memo: tuple[float, str] = (float("-inf"), "")
_fingerprint_lock = threading.Lock()
_imports_seen = 0  # forget_fingerprint() calls: a value computed across one is already stale


def current_fingerprint() -> str:
    """fingerprint(), recomputed at most once per FINGERPRINT_TTL_S (it stats ~200 files).

    One session recomputes an expired value while the others keep the previous one: when every
    concurrent session recomputed it, this took 14 % of the server's CPU under 30 sessions.
    After forget_fingerprint() (an import), every caller waits for a value computed after it, so
    imported data are seen at once.
    """
    global _fingerprint_memo
    checked, value = _fingerprint_memo
    if time.monotonic() - checked <= FINGERPRINT_TTL_S:
        return value
    if not _fingerprint_lock.acquire(blocking=not value):
        return value  # another session is recomputing it
    try:
        while True:
            checked, value = _fingerprint_memo
            if time.monotonic() - checked <= FINGERPRINT_TTL_S:  # renewed while this one waited
                return value
            imports_before = _imports_seen
            value = fingerprint()
            if _imports_seen == imports_before:  # else an import came meanwhile: compute again
                _fingerprint_memo = (time.monotonic(), value)  # one tuple: atomic for concurrent sessions
                return value
    finally:
        _fingerprint_lock.release()


def forget_fingerprint() -> None:
    """Make the next current_fingerprint() recompute (after an import)."""
    global _fingerprint_memo, _imports_seen
    _imports_seen += 1
    _fingerprint_memo = (float("-inf"), "")


def build(output: Path = settings.DB_PATH) -> float:
    """Build the database into `output` atomically; returns the build time in seconds.

    Idempotent: the same sources give the same tables and rows. The file is written beside
    `output` and renamed over it, so readers never see a half-built database.
    """
    started = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    sites.remove_leftovers(db_path=output)  # of a killed build or import (issue 09)
    tmp = output.with_name(f"{output.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        _load_report(con)
        _create_views(con)
        _load_geography(con)
        con.execute("CREATE TABLE build_info AS SELECT ? AS fingerprint, ? AS duckdb_version",
                    [fingerprint(), duckdb.__version__])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, output)
    return time.perf_counter() - started


def _load_report(con: duckdb.DuckDBPyConnection) -> None:
    cat = catalog.read_catalog()
    con.register("catalog_frame", cat)
    con.execute("CREATE TABLE catalog AS SELECT * FROM catalog_frame ORDER BY annex, dataset_id")
    con.unregister("catalog_frame")
    selects = []
    for row in cat.itertuples():
        frame = _typed(catalog.read_dataset(row.dataset_id))
        table = quote(row.dataset_id)
        con.register("dataset_frame", frame)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM dataset_frame")
        con.unregister("dataset_frame")
        dims = catalog.dimensions(frame)
        dims_text = "concat_ws('; ', " + ", ".join(
            f"'{d}=' || CAST(t.{quote(d)} AS VARCHAR)" for d in dims) + ")"
        unit = "t.unit" if "unit" in frame.columns else "c.unit"
        note = "t.note" if "note" in frame.columns else "CAST(NULL AS VARCHAR)"
        selects.append(
            f"SELECT c.dataset_id, c.annex, c.label, c.title, c.operator, c.theme, {unit} AS unit, "
            f"{dims_text} AS dimensions, t.value, {note} AS note "
            f"FROM {table} AS t, catalog AS c WHERE c.dataset_id = '{row.dataset_id}'")
    # A table, not a view: querying a 192-way UNION view cost ~140 MB each time.
    con.execute("CREATE TABLE figures AS " + "\nUNION ALL\n".join(selects))


def _load_geography(con: duckdb.DuckDBPyConnection) -> None:
    """Communes, départements and sites as plain tables (no geometry: the map reads geo/ files).

    Read by DuckDB itself and with the json module, not geopandas: the build stays light.
    """
    geo = settings.GEO_DIR
    con.execute("CREATE TABLE communes AS SELECT * FROM read_parquet(?)", [str(geo / "communes.parquet")])
    features = json.loads((geo / "departements.geojson").read_text(encoding="utf-8"))["features"]
    departements = pd.DataFrame([f["properties"] for f in features]).astype({"population": "Int64"})
    # Each network from the file that serves it: the user's import, else the embedded one.
    site_files = [str(sites.network_file(n)) for n in sites.available_networks()]
    con.execute("CREATE TABLE sites AS SELECT * FROM read_parquet(?, union_by_name = true)", [site_files])
    mobile = sites.mobile_file()
    mobile_sites = pd.read_parquet(mobile) if mobile else sites.load_mobile_sites()
    for name, frame in {"departements": departements, "mobile_sites": mobile_sites}.items():
        con.register("geo_frame", frame)
        con.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM geo_frame")
        con.unregister("geo_frame")


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """queries/views/<name>.sql: harmonised views across operators, named after their file."""
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(f"CREATE VIEW {quote(path.stem)} AS {path.read_text(encoding='utf-8')}")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Year-like dimension columns become integers; everything else stays text."""
    frame = frame.copy()
    for column in catalog.dimensions(frame):
        values = frame[column]
        if column.startswith("year") and values.str.fullmatch(r"\d{4}").all():
            frame[column] = values.astype("int64")
    return frame


def quote(identifier: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def is_current(path: Path = settings.DB_PATH) -> bool:
    """True when `path` exists and was built from the current sources."""
    if not path.exists():
        return False
    try:
        with open_readonly(path) as con:
            built = con.execute("SELECT fingerprint FROM build_info").fetchone()[0]
    except duckdb.Error:
        return False
    return built == fingerprint()


def ensure_built(path: Path = settings.DB_PATH) -> Path:
    """Build the database when missing or stale; one process builds, the others wait."""
    if is_current(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_current(path):
            build(path)
    return path


def open_readonly(path: Path = settings.DB_PATH) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file now at `path`, external access disabled, configuration locked.

    The file is attached to a new in-memory DuckDB, not opened with duckdb.connect(path): DuckDB
    hands a second connect() on a path the instance already open there, which after build()'s
    os.replace is the old file, so pages kept showing the data from before an import (issue 9).
    Its cursors read the same file (the in-memory catalog is detached).
    """
    con = duckdb.connect(":memory:", config={k: v for k, v in READONLY_CONFIG.items()
                                             if k not in ("enable_external_access", "lock_configuration")})
    try:
        con.execute("ATTACH ? AS explorer (READ_ONLY)", [str(path)])
        con.execute("USE explorer")
        con.execute("DETACH memory")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error:
        con.close()
        raise
    return con
