"""The only Streamlit cache wrappers: one read-only connection per process, cached results."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from explorer import database, queries, settings

# Public demo: every cache is bounded (issue 4).
MAX_ENTRIES = 64 if settings.is_public() else 256


@st.cache_resource(show_spinner="Préparation de la base de données…")
def database_path() -> Path:
    """The database file, built first when missing or stale (once per process)."""
    return database.ensure_built()


@st.cache_resource(on_release=lambda con: con.close())
def connection() -> duckdb.DuckDBPyConnection:
    """The read-only database connection of the app's own queries."""
    return database.open_readonly(database_path())


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _run(name: str, sql: str, params: tuple) -> pd.DataFrame:
    # `sql` is part of the key: editing a .sql file invalidates its cached results (STYLE §2.3).
    return queries.run(connection(), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result (cached on its text and parameters); do not mutate it."""
    return _run(name, queries.load(name).sql, tuple(sorted(params.items())))


def catalog() -> pd.DataFrame:
    """The catalog table, from the database."""
    return query("catalog_datasets")


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def dataset(dataset_id: str) -> pd.DataFrame:
    """One report dataset's table; `dataset_id` must be in the catalog (allow-list)."""
    if dataset_id not in set(catalog()["dataset_id"]):
        raise KeyError(dataset_id)
    cursor = connection().cursor()
    try:
        return cursor.table(dataset_id).df()
    finally:
        cursor.close()
