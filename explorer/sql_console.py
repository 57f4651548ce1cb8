"""The user SQL console: one read-only SELECT, bounded in rows, time and memory."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from explorer import settings


KILL_GRACE_S = 2.0  # after the child's own interrupt, before the parent kills it


class QueryRejected(Exception):
    """A console query refused or stopped; the message is one line of French for the user."""


@dataclass(frozen=True)
class ConsoleResult:
    frame: pd.DataFrame
    truncated: bool  # more rows than MAX_ROWS_SHOWN existed
    seconds: float


def check_statement(sql: str) -> str:
    """The single SELECT statement in `sql`, checked with DuckDB's own parser; else QueryRejected."""
    if not isinstance(sql, str):
        raise QueryRejected("La requête doit être du texte.")
    if len(sql) > settings.MAX_SQL_CHARS:
        raise QueryRejected(f"Requête trop longue (plus de {settings.MAX_SQL_CHARS:_} caractères)."
                            .replace("_", "\u00a0"))
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryRejected("La requête contient des caractères invalides (texte non UTF-8).") from None
    if "\x00" in sql:
        raise QueryRejected("La requête contient des caractères invalides.")
    if not sql.strip():
        raise QueryRejected("La requête est vide.")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRejected(f"Erreur de syntaxe SQL : {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRejected("Une seule requête SELECT est autorisée.")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryRejected("Seules les requêtes de lecture (SELECT) sont autorisées.")
    return statements[0].query


def run(db_path: Path, sql: str, time_limit_s: float = settings.SQL_TIME_LIMIT_S,
        max_rows: int = settings.MAX_ROWS_SHOWN) -> ConsoleResult:
    """Run a user SELECT in a child process (explorer.sql_worker) on a read-only connection.

    The child has external access disabled, its configuration locked, a memory cap and a CPU
    cap; it interrupts itself at `time_limit_s` and is killed shortly after if it does not stop.
    At most `max_rows` rows come back (`truncated` says whether there were more).
    """
    statement = check_statement(sql)
    request = json.dumps({"db": str(db_path), "sql": statement, "time_limit_s": time_limit_s,
                          "max_rows": max_rows}).encode("utf-8")
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "explorer.sql_worker"], input=request,
                              capture_output=True, timeout=time_limit_s + KILL_GRACE_S,
                              cwd=settings.ROOT, check=False)
    except subprocess.TimeoutExpired:
        raise QueryRejected(f"Requête interrompue : elle dépassait {time_limit_s:g} s.") from None
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout:
        # Killed by the kernel: CPU or memory cap reached.
        raise QueryRejected("Requête arrêtée : elle demandait trop de mémoire ou de calcul.")
    outcome = pickle.loads(done.stdout)
    if outcome[0] == "error":
        raise QueryRejected(_message(outcome[1], outcome[2], time_limit_s))
    _, columns, rows = outcome
    frame = pd.DataFrame.from_records(rows[:max_rows], columns=columns)
    return ConsoleResult(frame, len(rows) > max_rows, seconds)


MESSAGES = {
    "InterruptException": "Requête interrompue : elle dépassait {limit:g} s.",
    "OutOfMemoryException": "Requête arrêtée : elle demandait trop de mémoire.",
    "PermissionException": "Accès refusé : la console ne lit que les tables de la base.",
    "CatalogException": "Table, colonne ou fonction inconnue : {detail}",
    "BinderException": "Colonne ou expression invalide : {detail}",
    "ParserException": "Erreur de syntaxe SQL : {detail}",
}


def _message(kind: str, detail: str, limit: float) -> str:
    template = MESSAGES.get(kind, "La requête a échoué : {detail}")
    return template.format(limit=limit, detail=_first_line(detail))


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return (lines[0] if lines else "erreur inconnue")[:200]
