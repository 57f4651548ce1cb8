"""Child process of the SQL console: runs one checked SELECT under OS limits.

A separate process because DuckDB's memory_limit does not bound every allocation (a single
`repeat('x', 2e9)` grew the server past 4 GB) and an interrupt cannot stop a long scalar call:
here the kernel caps memory and CPU time, and the parent kills the child at its deadline.
Protocol: JSON request on stdin, a pickled tuple on stdout:
("ok", columns, rows, truncated) with truncated None, "rows" or "bytes"; ("refused", message);
("error", DuckDB exception class name, its message).
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
import threading

from explorer import sql_policy

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the child
DUCKDB_MEMORY_LIMIT = "512MB"
FETCH_ROWS = 1000
CELL_OVERHEAD_BYTES = 16  # per value besides texts: what a number or a date costs the server

# Connection settings. temp_directory '' turns spilling to disk off: a query that needs more than
# DUCKDB_MEMORY_LIMIT fails instead of writing hundreds of MB under data/ (issue 9).
CONFIG = {"enable_external_access": "false", "memory_limit": DUCKDB_MEMORY_LIMIT, "threads": "1",
          "temp_directory": "", "python_enable_replacements": "false", "autoinstall_known_extensions": "false",
          "autoload_known_extensions": "false", "lock_configuration": "true"}

# DuckDB types that pandas, Arrow and the page show as they are; every other type (HUGEINT,
# UBIGINT, INTERVAL, lists, structs, maps, unions, BLOB, UUID, BIT, time zones...) is shown as
# DuckDB's own text for it, so that every value displays (issue 9); DECIMAL as a double (displayable).
NATIVE_TYPES = frozenset({"BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                          "UINTEGER", "FLOAT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP"})


def _limit(seconds: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    cpu = int(seconds) + 2  # one DuckDB thread
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def connect(db: str):
    """A read-only connection to `db` with the console's settings (CONFIG)."""
    import duckdb

    return duckdb.connect(db, read_only=True, config=CONFIG)


def readable_tables(con) -> set[str]:
    """Lower-case names of the database's own tables and views, but build_info (it holds DuckDB's
    version, which the console does not show)."""
    return {name.lower() for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() "
        "AND table_name <> 'build_info' "
        "UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"
    ).fetchall()}


def value_bytes(value) -> int:
    """What one value costs the server once received: a text's in-memory size (4 bytes per
    character for an emoji text, not 1), the sum over a list's, a struct's or a map's items."""
    if isinstance(value, (str, bytes)):
        return sys.getsizeof(value)
    if isinstance(value, (list, tuple)):
        return CELL_OVERHEAD_BYTES + sum(map(value_bytes, value))
    if isinstance(value, dict):
        return CELL_OVERHEAD_BYTES + sum(value_bytes(k) + value_bytes(v) for k, v in value.items())
    return CELL_OVERHEAD_BYTES


def fetch(cursor, max_rows: int, max_bytes: int) -> tuple[list[tuple], str | None]:
    """Rows of an executed `cursor`, at most `max_rows` and about `max_bytes`; and the limit that
    stopped it early ("rows" or "bytes"), if one did."""
    rows: list[tuple] = []
    size = 0
    while len(rows) <= max_rows:
        chunk = cursor.fetchmany(FETCH_ROWS)
        if not chunk:
            return rows, None
        for row in chunk:
            size += sum(map(value_bytes, row))
            if size > max_bytes:
                return rows[:max_rows], "bytes"
            rows.append(row)
    return rows[:max_rows], "rows"


def displayable(sql: str, types: list) -> str:
    """`sql` with every column of a type outside NATIVE_TYPES cast (by position): DECIMAL to
    DOUBLE, the others to text.

    A DECIMAL (a literal such as 1.5, a sum of them) stays a number that sorts, shows and
    exports as one (« 1 234,5 », a decimal comma in the CSV); a double keeps 15 significant
    digits, beyond the report's figures and France's population.
    """
    if all(str(t) in NATIVE_TYPES for t in types):
        return sql
    picked = [f"#{i}" if str(t) in NATIVE_TYPES else
              f"CAST(#{i} AS {'DOUBLE' if str(t).startswith('DECIMAL') else 'VARCHAR'})" for i, t in enumerate(types, 1)]
    return f"SELECT {', '.join(picked)} FROM (\n{sql}\n) AS console_result"  # newlines: a trailing -- comment


def execute(request: dict) -> tuple:
    """Check and run `request["sql"]`; the tuple of the module's protocol."""
    import duckdb

    _limit(request["time_limit_s"])
    con = connect(request["db"])
    # The time limit counts the user's query, from here; the check before it is bounded by the
    # statement's length (MAX_SQL_CHARS), and the parent kills a child that overruns anyway.
    timer = threading.Timer(request["time_limit_s"], con.interrupt)
    try:
        serialized = con.execute("SELECT json_serialize_sql($1::VARCHAR)", [request["sql"]]).fetchone()[0]
        sql_policy.check(serialized, readable_tables(con))
        timer.start()
        relation = con.sql(request["sql"])  # bound, not run: names and types
        cursor = con.execute(displayable(request["sql"], relation.types))
        rows, truncated = fetch(cursor, request["max_rows"], request["max_bytes"])
        return ("ok", relation.columns, rows, truncated)
    except sql_policy.Refused as exc:
        return ("refused", str(exc))
    except duckdb.Error as exc:
        return ("error", type(exc).__name__, str(exc).strip())
    except MemoryError:
        return ("error", "OutOfMemoryException", "")
    finally:
        timer.cancel()


def main() -> None:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    sys.stdout.buffer.write(pickle.dumps(execute(request)))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
