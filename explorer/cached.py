"""The only Streamlit cache wrappers: one read-only connection per process, cached results."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from explorer import database, queries, settings

# Public demo: every cache is bounded (issue 4).
MAX_ENTRIES = 64 if settings.is_public() else 256


def database_path() -> Path:
    """The database file, rebuilt first when its sources changed (an import, an edited CSV)."""
    return _built(database.fingerprint())


@st.cache_resource(max_entries=1, show_spinner="Préparation de la base de données…")
def _built(fingerprint: str) -> Path:
    return database.ensure_built()


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only connection of the app's own queries, reopened after a rebuild."""
    return _connection(database.fingerprint())


@st.cache_resource(max_entries=1, on_release=lambda con: con.close())
def _connection(fingerprint: str) -> duckdb.DuckDBPyConnection:
    return database.open_readonly(database_path())


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _run(name: str, sql: str, params: tuple, fingerprint: str) -> pd.DataFrame:
    # The text and the sources' fingerprint are in the key: editing a .sql file or importing
    # data invalidates cached results (STYLE §2.3).
    return queries.run(connection(), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result (cached on its text, parameters and sources); do not mutate it."""
    return _run(name, queries.load(name).sql, tuple(sorted(params.items())), database.fingerprint())


def catalog() -> pd.DataFrame:
    """The catalog table, from the database."""
    return query("catalog_datasets")


def dataset(dataset_id: str) -> pd.DataFrame:
    """One report dataset's table; `dataset_id` must be in the catalog (allow-list)."""
    return _dataset(dataset_id, database.fingerprint())


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def _dataset(dataset_id: str, fingerprint: str) -> pd.DataFrame:
    if dataset_id not in set(catalog()["dataset_id"]):
        raise KeyError(dataset_id)
    cursor = connection().cursor()
    try:
        return cursor.table(dataset_id).df()
    finally:
        cursor.close()
