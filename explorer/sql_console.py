"""The user SQL console: one read-only SELECT on the app's tables, bounded in rows, bytes, time,
memory and load."""

from __future__ import annotations

import json
import logging
import pickle
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from explorer import settings

logger = logging.getLogger(__name__)

KILL_GRACE_S = 2.0  # after the child's own interrupt, before the parent kills it
BUSY = "Le serveur est occupé, réessayez dans un instant."

_slots = threading.BoundedSemaphore(settings.SQL_CONCURRENT_QUERIES)
_sessions_running: set[str] = set()
_sessions_lock = threading.Lock()


class QueryRejected(Exception):
    """A console query refused or stopped; the message is one line of French for the user."""


@dataclass(frozen=True)
class ConsoleResult:
    frame: pd.DataFrame
    truncated: str | None  # None, or the limit that cut the result: "rows" or "bytes"
    seconds: float


@contextmanager
def slot(session: str = "") -> Iterator[None]:
    """A turn to run a console query: at most settings.SQL_CONCURRENT_QUERIES at once in this
    process, and one at a time per non-empty `session`; QueryRejected(BUSY) after waiting
    settings.SQL_QUEUE_WAIT_S for a free turn."""
    with _sessions_lock:
        if session and session in _sessions_running:
            raise QueryRejected(BUSY)
        _sessions_running.add(session)
    try:
        if not _slots.acquire(timeout=settings.SQL_QUEUE_WAIT_S):
            raise QueryRejected(BUSY)
        try:
            yield
        finally:
            _slots.release()
    finally:
        with _sessions_lock:
            _sessions_running.discard(session)


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
        raise QueryRejected(message("ParserException", str(exc), 0)) from None
    if len(statements) != 1:
        raise QueryRejected("Une seule requête SELECT est autorisée.")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryRejected("Seules les requêtes de lecture (SELECT) sont autorisées.")
    return statements[0].query


def run(db_path: Path, sql: str, time_limit_s: float = settings.SQL_TIME_LIMIT_S,
        max_rows: int = settings.MAX_ROWS_SHOWN, max_bytes: int = settings.MAX_RESULT_BYTES,
        session: str = "") -> ConsoleResult:
    """Run a user SELECT in a child process (explorer.sql_worker) on a read-only connection.

    The child refuses what sql_policy does not allow, has external access disabled, its
    configuration locked, a memory cap and a CPU cap; it interrupts itself at `time_limit_s`
    and is killed shortly after if it does not stop. At most `max_rows` rows and about
    `max_bytes` bytes come back (`truncated` says which limit cut the result). At most
    settings.SQL_CONCURRENT_QUERIES queries run at once in this process, one per `session`.
    Raises QueryRejected with a one-line French message.
    """
    statement = check_statement(sql)
    request = json.dumps({"db": str(db_path), "sql": statement, "time_limit_s": time_limit_s,
                          "max_rows": max_rows, "max_bytes": max_bytes}).encode("utf-8")
    with slot(session):
        started = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "explorer.sql_worker"], input=request,
                                  capture_output=True, timeout=time_limit_s + KILL_GRACE_S,
                                  cwd=settings.ROOT, check=False)
        except subprocess.TimeoutExpired:
            raise QueryRejected(MESSAGES["InterruptException"].format(limit=time_limit_s)) from None
        seconds = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout:
        raise QueryRejected(_failure_message(done.returncode, done.stderr))
    outcome = pickle.loads(done.stdout)
    del done  # the pickled copy: the server holds one copy of the result
    if outcome[0] == "refused":
        raise QueryRejected(outcome[1])
    if outcome[0] == "error":
        raise QueryRejected(message(outcome[1], outcome[2], time_limit_s))
    _, columns, rows, truncated = outcome
    return ConsoleResult(_frame(rows, columns), truncated, seconds)


def _failure_message(returncode: int, stderr: bytes) -> str:
    """The French line for a worker that returned no outcome: stopped by its CPU or memory cap (a
    signal, or Python's MemoryError), else an internal failure (say, the database file gone),
    logged with the worker's traceback and not shown: it names the server's files."""
    if returncode < 0 or b"MemoryError" in stderr:
        return "Requête arrêtée : elle demandait trop de mémoire ou de calcul."
    logger.error("SQL console worker failed (exit %s):\n%s", returncode, stderr.decode("utf-8", "replace")[-2000:])
    return "La console n'a pas pu exécuter la requête (erreur interne du serveur) ; réessayez dans un instant."


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """The rows as a DataFrame; a repeated column name gets a number (a, a (2)): tables need
    unique names."""
    seen: dict[str, int] = {}
    unique = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return pd.DataFrame.from_records(rows, columns=unique) if rows else pd.DataFrame(columns=unique)


# One French line per DuckDB error class; {detail} is DuckDB's own first line, without its prefix.
# DuckDB's own words, when no French sentence says them, named as such (they are English).
ENGINE_DETAIL = " (message de DuckDB : « {detail} »)."
MESSAGES = {
    "InterruptException": "Requête interrompue : elle dépassait {limit:g} s.",
    "OutOfMemoryException": "Requête arrêtée : elle demandait trop de mémoire.",
    "PermissionException": "Accès refusé : la console ne lit que les tables de la base.",
    "CatalogException": "Table, colonne ou fonction inconnue" + ENGINE_DETAIL,
    "BinderException": "Colonne ou expression invalide" + ENGINE_DETAIL,
    "ParserException": "Erreur de syntaxe SQL" + ENGINE_DETAIL,
    "ConversionException": "Conversion de valeur impossible" + ENGINE_DETAIL,
    "OutOfRangeException": "Valeur hors limites" + ENGINE_DETAIL,
    "TypeMismatchException": "Types incompatibles" + ENGINE_DETAIL,
    "InvalidInputException": "Entrée invalide" + ENGINE_DETAIL,
    "NotImplementedException": "Opération non prise en charge par DuckDB" + ENGINE_DETAIL,
    "InternalException": "Erreur interne de DuckDB" + ENGINE_DETAIL,
}
OTHER = "La requête a échoué" + ENGINE_DETAIL
# DuckDB messages common enough to say wholly in French.
TRANSLATED = [
    (re.compile(r'Referenced column "([^"]+)" not found'), "Colonne inconnue : {0}."),
    (re.compile(r'Table with name ([^ ]+) does not exist'), "Table inconnue : {0}."),
    (re.compile(r'syntax error at or near "([^"]*)"'), "Erreur de syntaxe SQL près de « {0} »."),
    (re.compile(r'unterminated (quoted string|string literal)'),
     "Erreur de syntaxe SQL : une chaîne entre apostrophes n'est pas fermée."),
    (re.compile(r'SELECT clause without selection list'), "Erreur de syntaxe SQL : SELECT sans colonne."),
    (re.compile(r"Could not convert string '(.{0,80}).*' to ([A-Z0-9]+)"),
     "Conversion de valeur impossible : « {0} » n'est pas du type {1}."),
    (re.compile(r"Max expression depth limit of (\d+) exceeded"),
     "Requête trop imbriquée : plus de {0} niveaux d'expressions."),
    (re.compile(r"Deprecated lambda arrow \(->\)"),
     "Syntaxe lambda obsolète (x -> …) : écrivez « lambda x: … »."),
    (re.compile(r"Overflow|out of range", re.IGNORECASE), "Valeur hors limites : un résultat dépasse "
     "la capacité de son type (nombre ou durée trop grands)."),
]


def message(kind: str, detail: str, limit: float) -> str:
    """The one-line French message for a DuckDB error of class `kind` with message `detail`."""
    first = _first_line(detail)
    for pattern, text in TRANSLATED:
        found = pattern.search(first)
        if found and kind not in ("InterruptException", "OutOfMemoryException"):
            return text.format(*found.groups())
    first = re.sub(r"^[A-Za-z ]+ Error: ", "", first)
    return MESSAGES.get(kind, OTHER).format(limit=limit, detail=first)


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return (lines[0] if lines else "erreur inconnue")[:200]
