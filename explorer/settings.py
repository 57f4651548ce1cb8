"""Paths, named limits and modes of the explorer."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REPORT_DIR = DATA_DIR / "report"
CATALOG_PATH = DATA_DIR / "catalog.csv"
GEO_DIR = ROOT / "geo"
QUERIES_DIR = ROOT / "queries"
DB_PATH = Path(os.environ.get("EXPLORER_DB", DATA_DIR / "explorer.duckdb"))

# The report's OCR text: shipped beside the repository (../shared/seed), not inside it.
SEED_TEXT = ROOT.parent / "shared" / "seed" / "igas-2019-033R-tome2-annexes.txt"

REPORT_CITATION = "IGAS 2019-033R, tome 2"


def is_public() -> bool:
    """Public read-only demo mode (EXPLORER_PUBLIC=1): no imports, bounded caches."""
    return os.environ.get("EXPLORER_PUBLIC", "").strip().lower() in {"1", "true", "yes", "oui"}

# User imports (git-ignored): one Parquet file per network; EXPLORER_IMPORT_DIR overrides (tests).
IMPORT_DIR = Path(os.environ.get("EXPLORER_IMPORT_DIR") or DATA_DIR / "imported")
# Largest file an importer accepts (EXPLORER_IMPORT_MAX_MB overrides); bigger is refused unread.
# A Mo is 10^6 bytes, as the refusal prints it: 50 Mo, not the 52 Mo that 50 MiB printed (issue 9).
IMPORT_MAX_BYTES = int(float(os.environ.get("EXPLORER_IMPORT_MAX_MB") or 50) * 1_000_000)

# SQL console limits (issue 4): one SELECT, rows shown, wall-clock time, input size.
SQL_TIME_LIMIT_S = 5.0
MAX_ROWS_SHOWN = 10_000
MAX_SQL_CHARS = 20_000
# Issue 9: bytes and load. A result stops at about 5 Mo of values (the server holds one copy, the
# CSV is built from it, and the table travels in one websocket message, which
# .streamlit/config.toml bounds at 10 MB); one console query per core at once (each child uses
# one thread), one per session; a query waits this long for a turn, then « Le serveur est occupé ».
MAX_RESULT_BYTES = 5_000_000
SQL_CONCURRENT_QUERIES = max(1, os.cpu_count() or 1)
SQL_QUEUE_WAIT_S = 2.0
