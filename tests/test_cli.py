"""The command line, called as a user types it: catalog check, build-db, import, download, imports,
bench. Imports go to a temporary EXPLORER_IMPORT_DIR; the network is replaced at urllib's boundary."""

import io
import json
import re
import urllib.request

import duckdb
import pandas as pd
import pytest

from explorer import catalog, cli, settings

FIXTURES = settings.ROOT / "tests" / "fixtures"
FRANCE_SERVICES = FIXTURES / "france_services_fixture.csv"  # 6 rows, 5 with coordinates


def listed_imports(capsys) -> pd.DataFrame:
    """`explorer imports` as a table (its output is a space-aligned text table)."""
    assert cli.main(["imports"]) == 0
    return pd.read_fwf(io.StringIO(capsys.readouterr().out), dtype=str)


def test_catalog_check_passes(capsys):
    assert cli.main(["catalog", "check"]) == 0
    assert capsys.readouterr().out.splitlines() == ["0 problem(s)"]


def test_catalog_check_lists_each_problem_and_fails(tmp_path, capsys):
    bad = tmp_path / "catalog.csv"
    text = settings.CATALOG_PATH.read_text(encoding="utf-8").replace(",CNAF,", ",CAF,", 1)
    bad.write_text(text, encoding="utf-8")
    assert cli.main(["catalog", "check", "--catalog", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "1 problem(s)" and "operator 'CAF' not in" in lines[0]


def test_build_db_writes_every_dataset_and_the_catalog(tmp_path, capsys):
    output = tmp_path / "built.duckdb"
    assert cli.main(["build-db", "--output", str(output)]) == 0
    assert capsys.readouterr().out.startswith(f"built {output} in ")
    con = duckdb.connect(str(output), read_only=True)
    try:
        cat = catalog.read_catalog()
        assert con.execute("SELECT count(*) FROM catalog").fetchone()[0] == len(cat)
        tables = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(cat["dataset_id"]) <= tables
        rows = con.execute('SELECT count(*) FROM "cnaf_contacts_by_channel_year"').fetchone()[0]
        assert rows == len(catalog.read_dataset("cnaf_contacts_by_channel_year"))
    finally:
        con.close()
    assert not list(tmp_path.glob("*.tmp")), "the build is renamed into place, no temporary file left"


def test_imports_says_when_nothing_is_imported(import_dir, capsys):
    assert cli.main(["imports"]) == 0
    assert capsys.readouterr().out == f"Aucun fichier importé (dossier {import_dir}).\n"


def test_import_of_a_fixture_then_imports_lists_it(import_dir, capsys):
    assert cli.main(["import", "france-services", str(FRANCE_SERVICES), "--date", "2024-08-01"]) == 0
    report = capsys.readouterr().out
    assert report.strip(), "the import prints its report"
    stored = list(import_dir.glob("*.parquet"))
    assert [p.stem for p in stored] == ["sites_france_services"]
    assert len(pd.read_parquet(stored[0])) == 5
    listed = listed_imports(capsys)
    assert listed[["network", "rows", "source_date"]].values.tolist() == [["france_services", "5", "2024-08-01"]]


def test_import_rejects_a_bad_file_in_french(import_dir, tmp_path, capsys):
    bad = tmp_path / "vide.csv"
    bad.write_bytes(b"")
    assert cli.main(["import", "france-services", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "vide" in err.lower() and "Traceback" not in err
    assert not import_dir.exists() or not list(import_dir.iterdir())


class FakePublisher:
    """urllib.request.urlopen for data.gouv.fr: the dataset's API answer, then its CSV file."""

    CSV_URL = "https://static.data.gouv.fr/resources/france-services-2024-08-01.csv"

    def __init__(self):
        self.requested: list[str] = []

    def __call__(self, request, timeout=None):
        url = request.full_url if hasattr(request, "full_url") else request
        self.requested.append(url)
        if url.startswith("https://www.data.gouv.fr/api/1/datasets/"):
            resources = [{"title": "france-services-2024-08-01.csv", "url": self.CSV_URL, "format": "csv",
                          "last_modified": "2024-08-02T10:00:00"}]
            return io.BytesIO(json.dumps({"resources": resources}).encode())
        if url == self.CSV_URL:
            return io.BytesIO(FRANCE_SERVICES.read_bytes())
        raise AssertionError(f"unexpected request {url}")


def test_download_fetches_the_publishers_file_and_imports_it(import_dir, monkeypatch, capsys):
    publisher = FakePublisher()
    monkeypatch.setattr(urllib.request, "urlopen", publisher)
    assert cli.main(["download", "france-services"]) == 0
    assert publisher.requested == [
        "https://www.data.gouv.fr/api/1/datasets/liste-des-structures-france-services/", publisher.CSV_URL]
    capsys.readouterr()
    listed = listed_imports(capsys)
    assert listed[["network", "rows", "source_date"]].values.tolist() == [["france_services", "5", "2024-08-01"]]


def test_download_offline_says_so_in_french_and_imports_nothing(import_dir, monkeypatch, capsys):
    def offline(request, timeout=None):
        raise urllib.error.URLError(OSError(101, "Network is unreachable"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    assert cli.main(["download", "france-services"]) == 1
    err = capsys.readouterr().err
    assert "Téléchargement impossible" in err and "explorer import france-services FICHIER" in err
    assert not import_dir.exists()


def test_unknown_options_are_refused_except_for_serve():
    with pytest.raises(SystemExit):
        cli.main(["build-db", "--server.port", "1"])


def test_bench_runs_every_stage_on_a_tiny_budget(capsys):
    assert cli.main(["bench", "--quick"]) == 0
    out = capsys.readouterr().out
    numbers = {name: float(value) for name, value in (
        ("build", re.search(r"^Construction de la base : ([\d.]+) s$", out, re.M).group(1)),
        ("cold", re.search(r"^Accueil +([\d.]+) +[\d.]+", out, re.M).group(1)),
        ("warm", re.search(r"^Accueil +[\d.]+ +([\d.]+)", out, re.M).group(1)),
        ("memory", re.search(r"^Mémoire maximale : (\d+) Mo", out, re.M).group(1)))}
    assert all(value > 0 for value in numbers.values()), numbers
    assert "Recherche du site le plus proche (101 communes, mairies)" in out
    assert re.search(r"^Recalcul des temps de trajet après un changement de paramètre : \d+ ms$", out, re.M)
    assert re.search(r"^Carte département 90 \(france_services\) : [\d.]+ Mo de HTML, construite "
                     r"en [\d.]+ s$", out, re.M), out
    assert "Carte nationale" not in out
