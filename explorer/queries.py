"""Named SQL queries: queries/<name>.sql, loaded by name and run with bound parameters.

Each file starts with two comment lines:
    -- <French description, shown in the app>
    -- params: $operator, $year      (or: -- params: none)
then exactly one statement. Values are always bound, never formatted into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from explorer import settings

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PARAMS_PATTERN = re.compile(r"^--\s*params:\s*(.*)$")


class QueryError(Exception):
    """A named query is missing, malformed, or was called with the wrong parameters."""


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    params: tuple[str, ...]
    sql: str


def names(folder: Path = settings.QUERIES_DIR) -> list[str]:
    """Every named query, sorted."""
    return sorted(p.stem for p in folder.glob("*.sql"))


@lru_cache(maxsize=None)
def load(name: str, folder: Path = settings.QUERIES_DIR) -> Query:
    """The query stored in queries/<name>.sql."""
    if not NAME_PATTERN.match(name):
        raise QueryError(f"{name}: not a valid query name")
    path = folder / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"{name}: no such query")
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 3 or not lines[0].startswith("--"):
        raise QueryError(f"{name}: line 1 must be a '-- description'")
    match = PARAMS_PATTERN.match(lines[1])
    if not match:
        raise QueryError(f"{name}: line 2 must be '-- params: ...'")
    declared = match.group(1).strip()
    params = () if declared == "none" else tuple(p.strip().lstrip("$") for p in declared.split(","))
    return Query(name, lines[0].lstrip("- ").strip(), params, "\n".join(lines[2:]).strip())


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query with its declared parameters bound; returns a DataFrame."""
    query = load(name)
    if set(params) != set(query.params):
        raise QueryError(f"{name}: expects parameters {list(query.params)}, got {sorted(params)}")
    cursor = con.cursor()
    try:
        return cursor.execute(query.sql, params or None).df()
    except duckdb.Error as exc:
        raise QueryError(f"{name}: {exc}") from exc
    finally:
        cursor.close()
