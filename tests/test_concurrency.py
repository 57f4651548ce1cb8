"""Twenty simultaneous sessions render pages and run console queries: none fails, answers are right.

AppTest keeps one global runtime per process, so each session is a process of its own (as
separate browser sessions are separate script runs); the shared query layer is also exercised
by twenty threads on the one process-wide connection, as a Streamlit server does.
"""

import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from streamlit.testing.v1 import AppTest

from explorer import queries, settings, sql_console
from explorer.navigation import all_pages

SESSIONS = 20
DEADLINE_S = 240  # bounded: the whole run stops waiting after this
OPERATORS = ["CNAF", "CNAM", "CNAV", "MSA", "Pôle emploi"]


def _session(i: int, db_path, catalog_count: int) -> str:
    """One visitor: two pages (one filtered by URL) and one console query; returns a failure or ''."""
    # The map page computes nearest sites, 4G and rasters on its first run (~15 s of CPU per
    # process): twenty cold copies of it measure the machine, not concurrency. Its own tests
    # (test_access_map_page.py) and `explorer bench --load` cover it.
    pages = [p.path for p in all_pages() if p.url_path not in ("import", "carte")]
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120)
    at.query_params["operator"] = OPERATORS[i % len(OPERATORS)]
    at.run()
    for page in (pages[i % len(pages)], "pages/channels.py"):
        at.switch_page(page).run()
        if at.exception:
            return f"session {i} {page}: {at.exception[0].message}"
    if at.selectbox(key="operator").value != OPERATORS[i % len(OPERATORS)]:
        return f"session {i}: operator filter lost"
    # Answers under load are the point here, not the 5 s limit (tested by its outcome in
    # test_sql_console.py): twenty processes share two cores, so the limit is generous.
    result = sql_console.run(db_path, "SELECT count(*) AS n FROM catalog", time_limit_s=60)
    if result.frame["n"].tolist() != [catalog_count]:
        return f"session {i}: console answered {result.frame['n'].tolist()}"
    return ""


def test_twenty_simultaneous_sessions(db_path, con):
    catalog_count = con.execute("SELECT count(*) FROM catalog").fetchone()[0]
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=SESSIONS, mp_context=context) as pool:
        futures = [pool.submit(_session, i, db_path, catalog_count) for i in range(SESSIONS)]
        failures = [f.result(timeout=DEADLINE_S) for f in futures]
    assert [f for f in failures if f] == []
    assert time.perf_counter() - started < DEADLINE_S
    assert con.execute("SELECT count(*) FROM catalog").fetchone()[0] == catalog_count


def _queries_on_shared_connection(i: int, con) -> str:
    operator = OPERATORS[i % len(OPERATORS)]
    for _ in range(10):
        shares = queries.run(con, "channel_shares_by_year", operator=operator)
        if abs(shares.groupby(["year", "kind"])["share_pct"].sum() - 100).max() > 0.3:
            return f"thread {i}: shares of {operator} do not add up"
        figures = queries.run(con, "figures_by_dataset", dataset_id="cnaf_reception_sites_by_year")
        if len(figures) != 15:
            return f"thread {i}: {len(figures)} rows"
    return ""


def test_twenty_threads_share_one_connection(con):
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        failures = list(pool.map(_queries_on_shared_connection, range(SESSIONS), [con] * SESSIONS,
                                 timeout=DEADLINE_S))
    assert [f for f in failures if f] == []
