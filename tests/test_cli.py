"""The command line: catalog check, import errors, argument handling."""

import pytest

from explorer import cli

FIXTURES = "tests/fixtures"


def test_catalog_check_passes(capsys):
    assert cli.main(["catalog", "check"]) == 0
    assert "0 problem(s)" in capsys.readouterr().out


def test_import_rejects_a_bad_file_in_french(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(tmp_path))
    bad = tmp_path / "vide.csv"
    bad.write_bytes(b"")
    assert cli.main(["import", "france-services", str(bad)]) == 1
    assert "vide" in capsys.readouterr().err.lower()
    assert not list(tmp_path.glob("*.parquet"))


def test_unknown_options_are_refused_except_for_serve():
    with pytest.raises(SystemExit):
        cli.main(["build-db", "--server.port", "1"])
