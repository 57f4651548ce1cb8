"""Child process of the SQL console: runs one checked SELECT under OS limits.

A separate process because DuckDB's memory_limit does not bound every allocation (a single
`repeat('x', 2e9)` grew the server past 4 GB) and an interrupt cannot stop a long scalar call:
here the kernel caps memory and CPU time, and the parent kills the child at its deadline.
Protocol: JSON request on stdin, a pickled tuple on stdout.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
import threading

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the child
DUCKDB_MEMORY_LIMIT = "512MB"


def _limit(seconds: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    cpu = int(seconds * 2) + 2  # two threads may both run until the deadline
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def execute(request: dict) -> tuple:
    import duckdb

    _limit(request["time_limit_s"])
    con = duckdb.connect(request["db"], read_only=True, config={
        "enable_external_access": "false", "memory_limit": DUCKDB_MEMORY_LIMIT, "threads": "2",
        "lock_configuration": "true"})
    timer = threading.Timer(request["time_limit_s"], con.interrupt)
    timer.start()
    try:
        relation = con.sql(request["sql"]).limit(request["max_rows"] + 1)
        columns = relation.columns
        rows = relation.fetchall()
        return ("ok", columns, rows)
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
