"""The import store: schema conformance, atomic writes, provenance listing, import folder."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from explorer import settings, sites


def site_frame(network: str = "caf", n: int = 2, name: str = "Agence") -> pd.DataFrame:
    return pd.DataFrame({
        "network": [network] * n,
        "site_type": ["Agence CAF"] * n,
        "name": [f"{name} {i}" for i in range(n)],
        "address": ["1 rue de l'Essai, 51990 Exempleville"] * n,
        "code_insee": ["51999", None][:n] + ["51999"] * max(0, n - 2),
        "commune": ["Exempleville"] * n,
        "lat": [49.25 + i / 100 for i in range(n)],
        "lon": [4.03] * n,
        "opening_hours": ["lun.–ven. 08:30-12:00", ""][:n] + [""] * max(0, n - 2),
        "source": ["DILA, test"] * n,
        "source_date": ["2025-01-02"] * n,
    })


def mobile_frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({
        "operator": ["Orange", "SFR", "Free Mobile"][:n],
        "lat": [48.85, 45.76, 43.30][:n], "lon": [2.35, 4.84, 5.38][:n],
        "has_2g": [True, False, True][:n], "has_3g": [True] * n, "has_4g": [False, True, True][:n],
        "source": ["ARCEP, test"] * n, "source_date": ["2018-01-01"] * n,
    })


@pytest.fixture
def folder(tmp_path, monkeypatch):
    target = tmp_path / "imported"
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(target))
    return target


def test_import_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("EXPLORER_IMPORT_DIR", raising=False)
    assert sites.import_dir() == settings.IMPORT_DIR
    monkeypatch.setenv("EXPLORER_IMPORT_DIR", str(tmp_path / "x"))
    assert sites.import_dir() == tmp_path / "x"
    assert sites.import_dir(tmp_path / "y") == tmp_path / "y"
    assert sites.sites_path("caf", tmp_path) == tmp_path / "sites_caf.parquet"
    assert sites.mobile_sites_path(tmp_path) == tmp_path / "mobile_sites.parquet"
    with pytest.raises(ValueError):
        sites.sites_path("arcep_4g")  # not a site network


def test_empty_store(folder):
    assert list(sites.load_sites().columns) == sites.SITE_COLUMNS
    assert sites.load_sites().empty and sites.load_mobile_sites().empty
    assert list(sites.load_mobile_sites().columns) == sites.MOBILE_COLUMNS
    assert sites.list_imports().empty


def test_round_trip_and_provenance(folder):
    path = sites.save_sites(site_frame(), "caf", metadata={"source": "DILA, test", "source_date": "2025-01-02",
                                                           "importer": "service-public",
                                                           "original_file": "dump.tar.bz2"})
    assert path == folder / "sites_caf.parquet"
    loaded = sites.load_sites("caf")
    assert list(loaded.columns) == sites.SITE_COLUMNS
    assert loaded["lat"].dtype == "float64"
    assert loaded["code_insee"].tolist()[0] == "51999" and pd.isna(loaded["code_insee"].tolist()[1])
    schema = pq.read_schema(path)
    assert str(schema.field("lat").type) == "double" and str(schema.field("code_insee").type) == "string"
    sites.save_mobile_sites(mobile_frame(), metadata={"source": "ARCEP, test", "source_date": "2018-01-01"})
    mobile = sites.load_mobile_sites()
    assert mobile["has_2g"].tolist() == [True, False, True] and mobile["has_4g"].dtype == bool
    listing = sites.list_imports().set_index("network")
    assert listing.loc["caf", "rows"] == 2 and listing.loc["caf", "table"] == "sites"
    assert listing.loc["caf", "original_file"] == "dump.tar.bz2"
    assert listing.loc["mobile_sites", "table"] == "mobile_sites"
    assert listing.loc["mobile_sites", "source_date"] == "2018-01-01"
    assert listing.loc["caf", "imported_at"]  # ISO timestamp
    assert sites.read_metadata(path)["importer"] == "service-public"


def test_load_all_networks_and_selection(folder):
    sites.save_sites_by_network(pd.concat([site_frame("caf"), site_frame("msa", 3)]))
    assert sorted(p.name for p in folder.iterdir()) == ["sites_caf.parquet", "sites_msa.parquet"]
    assert len(sites.load_sites()) == 5
    assert len(sites.load_sites(["msa"])) == 3
    assert len(sites.load_sites(["msa", "cpam"])) == 3  # absent networks are skipped


def test_failed_write_leaves_previous_files_untouched(folder, monkeypatch):
    sites.save_sites_by_network(pd.concat([site_frame("caf"), site_frame("msa")]))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = {"n": 0}
    real_write = pq.write_table

    def failing_write(table, where, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second staged file fails: the first must not be moved either
            raise OSError("disque plein")
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing_write)
    with pytest.raises(OSError):
        sites.save_sites_by_network(pd.concat([site_frame("caf", name="Nouveau"), site_frame("msa", name="Nouveau")]))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # and no temp file left


def test_conformance_rejects_importer_bugs(folder):
    with pytest.raises(ValueError, match="lacks columns"):
        sites.save_sites(site_frame().drop(columns=["opening_hours"]), "caf")
    with pytest.raises(ValueError, match="invalid network"):
        sites.conform_sites(site_frame("arcep_4g"))
    bad = site_frame()
    bad.loc[0, "lat"] = None
    with pytest.raises(ValueError, match="null lat"):
        sites.conform_sites(bad)
    bad = site_frame()
    bad.loc[0, "code_insee"] = "1033"
    with pytest.raises(ValueError, match="code_insee"):
        sites.conform_sites(bad)
    with pytest.raises(ValueError, match="networks other than"):
        sites.save_sites(site_frame("msa"), "caf")
    bad = mobile_frame()
    bad.loc[0, "operator"] = "Orange Caraïbe"
    with pytest.raises(ValueError, match="invalid operator"):
        sites.conform_mobile_sites(bad)
    assert not folder.exists()


def test_temp_files_are_ignored_and_remove_import(folder):
    sites.save_sites(site_frame(), "caf")
    (folder / ".tmp-abandoned.parquet").write_bytes(b"partial")
    assert sites.list_imports()["network"].tolist() == ["caf"]
    assert sites.remove_import("caf") is True
    assert sites.remove_import("caf") is False
    sites.save_mobile_sites(mobile_frame())
    assert sites.remove_import("mobile_sites") is True


def test_duckdb_reads_the_store(folder):
    import duckdb

    sites.save_sites_by_network(pd.concat([site_frame("caf"), site_frame("cpam", 3)]))
    sites.save_mobile_sites(mobile_frame())
    con = duckdb.connect()
    n, nets = con.execute(
        f"SELECT count(*), count(DISTINCT network) FROM read_parquet('{folder}/sites_*.parquet')").fetchone()
    assert (n, nets) == (5, 2)
    assert con.execute(f"SELECT sum(has_4g::INT) FROM '{folder / 'mobile_sites.parquet'}'").fetchone()[0] == 2
