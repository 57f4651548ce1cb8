"""Embedded networks (geo/sites_france_services.parquet, geo/mobile_sites.parquet): what they
hold, where they come from, and that `explorer networks build` reproduces them."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

from explorer import cli, embedded, settings, sites

GEO = settings.GEO_DIR


def test_embedded_files_carry_their_provenance():
    fs = sites.read_metadata(GEO / "sites_france_services.parquet")
    assert fs["source_date"] == "2024-08-01" and fs["importer"] == "france-services"
    assert fs["licence"] == embedded.LICENCE and fs["publisher"] == "ANCT" and fs["embedded"]
    mobile = sites.read_metadata(GEO / "mobile_sites.parquet")
    assert mobile["source_date"].startswith("2018-01") and mobile["publisher"] == "ARCEP"
    note = (GEO / embedded.NOTE_FILE).read_text(encoding="utf-8")
    for source in embedded.SOURCES:
        assert f"`{source.filename}`" in note
    assert note.count(embedded.LICENCE) == len(embedded.SOURCES)


def test_embedded_networks_serve_when_nothing_is_imported(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(tmp_path))
    assert sites.available_networks() == ["mairie", "france_services"]
    assert sites.network_file("france_services") == GEO / "sites_france_services.parquet"
    assert sites.mobile_file() == GEO / "mobile_sites.parquet"
    assert sites.network_file("caf") is None
    frame = sites.conform_sites(pd.read_parquet(sites.network_file("france_services")))
    assert len(frame) == 2845 and set(frame["network"]) == {"france_services"}
    mobile = sites.conform_mobile_sites(pd.read_parquet(sites.mobile_file()))
    assert set(mobile["operator"]) == set(sites.OPERATORS) and mobile["has_4g"].any()


def test_an_import_takes_precedence_over_the_embedded_file(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(tmp_path))
    frame = pd.read_parquet(GEO / "sites_france_services.parquet").head(3)
    imported = sites.save_sites(frame, "france_services")
    assert sites.network_file("france_services") == imported
    assert not sites.is_embedded(imported) and sites.is_embedded(GEO / "mobile_sites.parquet")


def test_rebuild_by_the_command_reproduces_the_committed_files(tmp_path, capsys):
    missing = [s.filename for s in embedded.SOURCES
               if not (embedded.SHARED_DATA_DIR / s.filename).exists()]
    if missing:
        pytest.skip(f"publisher files absent from {embedded.SHARED_DATA_DIR}: {missing}")
    assert cli.main(["networks", "build", "--output", str(tmp_path)]) == 0
    assert "2845 rows, vintage 2024-08-01" in capsys.readouterr().out
    for name in ("sites_france_services.parquet", "mobile_sites.parquet", embedded.NOTE_FILE):
        assert filecmp.cmp(tmp_path / name, GEO / name, shallow=False), name
