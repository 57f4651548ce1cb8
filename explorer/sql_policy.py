"""What the SQL console may read, decided from DuckDB's own parse of the statement (issue 9).

The statement's syntax tree (`json_serialize_sql`) is walked, and everything it names must be
known safe: tables and views of the database (or the query's own CTEs), the table functions of
TABLE_FUNCTIONS and the functions of sql_functions.txt. Anything else (read_blob, read_duckdb,
duckdb_settings(), current_setting, pragma_*, a file name used as a table...) is refused, so no
file, setting, path, environment or version can be read, including the database's own file.

Stdlib only: the console's child process imports it before DuckDB runs anything.
"""

from __future__ import annotations

import json
from pathlib import Path

# Generators and list expansion: they read nothing.
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest", "json_each", "json_tree"})
FUNCTIONS = frozenset(
    line.strip() for line in (Path(__file__).with_name("sql_functions.txt")).read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#"))
# Kinds of FROM items; PIVOT is the `FROM t PIVOT (...)` form, SHOW_REF is DESCRIBE/SUMMARIZE of a query.
TABLE_REFS = frozenset({"BASE_TABLE", "JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY", "PIVOT",
                        "TABLE_FUNCTION", "SHOW_REF"})

NOT_A_SELECT = "Cette forme de requête n'est pas acceptée : écrivez un SELECT (PIVOT, SHOW... ne le sont pas)."
TOO_COMPLEX = "Requête trop imbriquée pour être analysée."


class Refused(ValueError):
    """The statement names something the console does not allow; the message is French, one line."""


def check(serialized: str, tables: set[str]) -> None:
    """Refuse (Refused) unless the parsed statement reads only `tables` through allowed functions.

    `serialized` is DuckDB's `json_serialize_sql(sql)` of one statement; `tables` holds the
    lower-case names of the database's tables and views.
    """
    try:
        tree = json.loads(serialized)
    except (ValueError, RecursionError):
        raise Refused(TOO_COMPLEX) from None
    if tree.get("error"):
        raise Refused(NOT_A_SELECT)
    # Iterative walk: a deeply nested statement must not exhaust Python's stack.
    stack: list[tuple[object, frozenset[str]]] = [(tree["statements"], frozenset())]
    while stack:
        node, ctes = stack.pop()
        if isinstance(node, list):
            stack.extend((item, ctes) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("cte_map"), dict):
            # A CTE's body sees the CTEs before it, and itself only when recursive: otherwise
            # `WITH "data/x.duckdb" AS (SELECT * FROM "data/x.duckdb")` read a file by name.
            seen = set(ctes)
            for entry in node["cte_map"].get("map", []):
                name, body = entry["key"].lower(), entry.get("value", {})
                recursive = (body.get("query_node") or {}).get("type") == "RECURSIVE_CTE_NODE"
                stack.append((body, frozenset(seen | {name} if recursive else seen)))
                seen.add(name)
            ctes = frozenset(seen)
        _check_node(node, tables | ctes)
        stack.extend((value, ctes) for key, value in node.items() if key != "cte_map" and (
            key != "function" or node.get("type") != "TABLE_FUNCTION"))
        if node.get("type") == "TABLE_FUNCTION":  # its arguments, not its name, are expressions
            stack.append((node["function"].get("arguments", []), ctes))


def _check_node(node: dict, readable: set[str]) -> None:
    kind = node.get("type")
    if "class" not in node and "sample" in node and not str(kind).endswith("_NODE"):
        if kind not in TABLE_REFS:
            raise Refused(NOT_A_SELECT)
        if kind == "BASE_TABLE":
            _check_table(node, readable)
        elif kind == "TABLE_FUNCTION":
            name = node["function"].get("function_name", "").lower()
            if name not in TABLE_FUNCTIONS or node["function"].get("schema") or node["function"].get("catalog"):
                raise Refused(f"Source non autorisée : {name}(). La console ne lit que les tables de la base "
                              "(et range, generate_series, unnest).")
        elif kind == "SHOW_REF" and not node.get("query"):
            raise Refused(NOT_A_SELECT)
    elif "function_name" in node:
        name = str(node["function_name"]).lower()
        if name not in FUNCTIONS or node.get("schema") or node.get("catalog"):
            raise Refused(f"Fonction non autorisée dans la console : {name}.")


def _check_table(node: dict, readable: set[str]) -> None:
    name = node.get("table_name", "")
    if node.get("catalog_name") or node.get("schema_name", "") not in ("", "main"):
        raise Refused(f"Source non autorisée : {_qualified(node)}. La console ne lit que les tables de la base.")
    if name.lower() not in readable:
        raise Refused(f"Table inconnue : {name}. Les tables sont listées sous « Schéma des tables ».")


def _qualified(node: dict) -> str:
    return ".".join(part for part in (node.get("catalog_name"), node.get("schema_name"), node.get("table_name"))
                    if part)
