"""Database build: idempotent, complete, read-only when opened by the app."""

import os

import duckdb
import pytest

from explorer import catalog, database


def _snapshot(path):
    with duckdb.connect(str(path), read_only=True) as con:
        tables = sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())
        figures = con.execute("SELECT * FROM figures ORDER BY ALL").fetchall()
        return tables, figures


def test_build_is_idempotent(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    database.build(first)
    database.build(second)
    database.build(second)  # rebuilding over an existing file
    assert _snapshot(first) == _snapshot(second)


def test_one_table_per_dataset_and_unified_view(con):
    cat = catalog.read_catalog()
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert set(cat["dataset_id"]) <= tables
    rows = sum(len(catalog.read_dataset(d)) for d in cat["dataset_id"])
    assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == rows
    assert con.execute("SELECT count(DISTINCT dataset_id) FROM figures").fetchone()[0] == len(cat)


def test_unified_view_carries_provenance(con):
    row = con.execute("SELECT annex, label, unit, dimensions, value FROM figures "
                      "WHERE dataset_id = 'cnaf_reception_sites_by_year' "
                      "AND dimensions = 'year=2014; site_type=Permanences'").fetchone()
    assert row == (3, "Tableau 3", "count", "year=2014; site_type=Permanences", 1242.0)


def test_staleness_detection(tmp_path, monkeypatch):
    path = tmp_path / "x.duckdb"
    assert not database.is_current(path)
    database.ensure_built(path)
    assert database.is_current(path)
    monkeypatch.setattr(database, "fingerprint", lambda files=None: "changed")
    assert not database.is_current(path)


@pytest.mark.parametrize("statement", [
    "CREATE TABLE t (x INT)",
    "DROP TABLE catalog",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SET memory_limit = '10GB'",
    "ATTACH '/tmp/other.duckdb' AS other",  # a file; an in-memory scratch database is no file access
])
def test_readonly_connection_refuses_changes_and_files(con, statement):
    with pytest.raises(duckdb.Error):
        con.cursor().execute(statement)


def test_a_connection_opened_after_a_rebuild_sees_the_new_file(tmp_path):
    """Issue 9: DuckDB reused the instance still open on the replaced file, so pages showed old data."""
    path = tmp_path / "x.duckdb"
    database.build(path)
    old = database.open_readonly(path)
    try:
        before = old.execute("SELECT count(*) FROM catalog").fetchone()[0]
        replacement = tmp_path / "y.duckdb"
        with duckdb.connect(str(replacement)) as con:
            con.execute("CREATE TABLE catalog AS SELECT * FROM range(3)")
        os.replace(replacement, path)  # as build() does, over the open file
        with database.open_readonly(path) as new:
            assert new.execute("SELECT count(*) FROM catalog").fetchone()[0] == 3
            assert new.cursor().execute("SELECT count(*) FROM catalog").fetchone()[0] == 3
        assert old.execute("SELECT count(*) FROM catalog").fetchone()[0] == before  # old readers unharmed
    finally:
        old.close()


def _fingerprints_counted(monkeypatch, seconds=0.05):
    """database.fingerprint replaced by a slow one that counts its calls and returns "v<n>"."""
    import threading
    import time

    calls, lock = [], threading.Lock()

    def slow_fingerprint(files=None):
        time.sleep(seconds)
        with lock:
            calls.append(None)
            return f"v{len(calls)}"

    monkeypatch.setattr(database, "fingerprint", slow_fingerprint)
    return calls


def _concurrently(function, n=12, timeout_s=10):
    """`function()` called from `n` threads at once; their results (TimeoutError if one hangs)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(n)
    try:
        return list(pool.map(lambda _: function(), range(n), timeout=timeout_s))
    finally:
        pool.shutdown(wait=False)


def test_an_expired_fingerprint_is_recomputed_by_one_session_while_the_others_keep_the_last(monkeypatch):
    calls = _fingerprints_counted(monkeypatch, seconds=0.3)
    monkeypatch.setattr(database, "_fingerprint_memo", (float("-inf"), "old"))
    seen = _concurrently(database.current_fingerprint)
    assert len(calls) == 1
    assert set(seen) == {"old", "v1"}  # the others did not wait for it
    assert database.current_fingerprint() == "v1"  # fresh now: no recomputation
    assert len(calls) == 1


def test_after_forget_fingerprint_every_session_waits_for_the_new_value(monkeypatch):
    calls = _fingerprints_counted(monkeypatch)
    monkeypatch.setattr(database, "_fingerprint_memo", (float("-inf"), "old"))
    database.forget_fingerprint()  # as an import does
    assert _concurrently(database.current_fingerprint) == ["v1"] * 12
    assert len(calls) == 1


def test_a_fingerprint_computed_across_an_import_is_not_kept(monkeypatch):
    import threading

    calls = _fingerprints_counted(monkeypatch, seconds=0.3)
    monkeypatch.setattr(database, "_fingerprint_memo", (float("-inf"), "old"))
    session = threading.Thread(target=database.current_fingerprint)
    session.start()  # recomputing (v1) when the import lands
    while not database._fingerprint_lock.locked():
        pass
    database.forget_fingerprint()
    assert database.current_fingerprint() == "v2"  # computed after the import
    session.join()
    assert database.current_fingerprint() == "v2" and len(calls) == 2


def test_a_failing_fingerprint_does_not_lock_the_others_out(monkeypatch):
    def failing(files=None):
        raise FileNotFoundError("a source file removed between listing and stat")

    monkeypatch.setattr(database, "fingerprint", failing)
    monkeypatch.setattr(database, "_fingerprint_memo", (float("-inf"), ""))
    with pytest.raises(FileNotFoundError):
        database.current_fingerprint()
    monkeypatch.setattr(database, "fingerprint", lambda files=None: "v1")
    assert _concurrently(database.current_fingerprint, n=2) == ["v1", "v1"]  # the lock was released
