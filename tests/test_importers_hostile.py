"""Hostile inputs to the importers (issue 09, item 8): every one gets a French ImportRejected
or is read safely, never a traceback; parsing stays linear; archives are capped; the leftovers
of a killed import or build are removed at the next start."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import struct
import zipfile

import pytest

from explorer import importers, settings, sites
from explorer.importers import ImportRejected, annuaire, france_services, packaging

from tests.importer_helpers import FIXTURES, zip_of  # noqa: F401

SP = json.loads((FIXTURES / "service_public_fixture.json").read_bytes())


def _with_first(**changes) -> bytes:
    records = [dict(SP["service"][0], **changes), *SP["service"][1:]]
    return json.dumps({"service": records}).encode()


@pytest.mark.parametrize("pivot", [7, [["caf"]], [{"type_service_local": ["caf"]}],
                                   [{"type_service_local": "caf", "code_insee_commune": 51999}], None])
def test_odd_pivot_values_are_read_without_traceback(pivot):
    df, report = annuaire.parse_report(_with_first(pivot=pivot), "dump-2025-01-02.json")
    assert report.rows_kept >= 5 and set(df["network"]) <= set(annuaire.NETWORKS)


def _stored_zip(payload: bytes, member: str) -> bytes:
    return zip_of(payload, member, method=zipfile.ZIP_STORED)


def _patch_zip(raw: bytes, *, method: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite the compression method or flag bits of both headers of a one-member zip."""
    data = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        if flags is not None:
            data[at + offset: at + offset + 2] = struct.pack("<H", flags)
        if method is not None:
            data[at + offset + 2: at + offset + 4] = struct.pack("<H", method)
    return bytes(data)


PAYLOAD = (FIXTURES / "service_public_fixture.json").read_bytes()
HOSTILE = [
    ("json-imbrique", b'{"service": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON trop profondément imbriqué"),
    ("json-entier-geant", b'{"service": [{"id": ' + b"9" * 100_000 + b"}]}", "Nombre illisible"),
    ("bz2-corrompu", b"BZh91AY&SY" + b"\x00" * 200, "Archive BZ2 corrompue"),
    ("bz2-tronque", bz2.compress(PAYLOAD)[:-30], "Archive BZ2"),
    ("gz-corrompu", b"\x1f\x8b\x08\x00" + b"\xff" * 200, "Archive GZIP"),
    ("gz-tronque", gzip.compress(PAYLOAD)[:-30], "Archive GZIP tronquée"),
    ("zip-chiffre", _patch_zip(_stored_zip(PAYLOAD, "a.json"), flags=0x1), "Archive ZIP chiffrée"),
    ("zip-deflate64", _patch_zip(_stored_zip(PAYLOAD, "a.json"), method=9), "Deflate64"),
    ("zip-vide", _stored_zip(b"x", "LISEZMOI.txt"), "ne contient aucun fichier .json ou .jsonl ou .csv"),
]


@pytest.mark.parametrize("case,raw,expected", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_service_public_inputs_get_a_french_message(import_dir, case, raw, expected):
    importers.import_file("service-public", FIXTURES / "service_public_fixture.json")
    before = {p: p.read_bytes() for p in import_dir.iterdir()}
    with pytest.raises(ImportRejected) as err:
        importers.import_file("service-public", raw, filename=f"{case}.bin")
    assert expected in err.value.message, err.value.message
    assert "\n" not in err.value.message
    assert {p: p.read_bytes() for p in import_dir.iterdir()} == before


def test_decompression_stops_at_the_cap(monkeypatch):
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1_000_000)
    bomb = bz2.compress(b"0" * 50_000_000)  # 50 MB of zeros in a few kB
    assert len(bomb) < 10_000
    with pytest.raises(ImportRejected, match="Archive trop volumineuse une fois décompressée"):
        packaging.unpack(bomb, "bombe.bz2", packaging.max_bytes())


def test_archive_with_too_many_members_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for i in range(packaging.MAX_MEMBERS + 1):
            archive.writestr(f"f{i}.csv", b"")
    with pytest.raises(ImportRejected, match="contient plus de 1\u00a0000 fichiers"):
        packaging.unpack(buf.getvalue(), "multi.zip", 10**9)


def test_long_hours_cell_is_rejected_not_backtracked():
    text = (FIXTURES / "france_services_fixture.csv").read_text()
    text = text.replace('"13:30 - 17:00"', '"13' + " " * 120_000 + ':30 - 17:00"', 1)
    df, report = france_services.parse_report(text.encode(), "france-services-2024-08-01.csv")
    assert report.hours_rejected == 1
    assert df.iloc[0]["opening_hours"].startswith("mar.–jeu. 09:00-12:00")


def test_many_conflicting_duplicate_ids_are_found_in_one_pass():
    header = ",".join(france_services.REQUIRED)  # the required columns only, to stay small
    body = [f"{i // 2},Structure {i},1 rue de l'Essai,01999,Exempleville,46.2,5.2,,,,,," for i in range(200_000)]
    with pytest.raises(ImportRejected) as err:
        france_services.parse("\n".join([header, *body]).encode(), "france-services-2024-08-01.csv")
    assert "100\u00a0000\u00a0identifiants" in err.value.message


def test_leftovers_of_killed_imports_and_builds_are_removed(import_dir, tmp_path, monkeypatch):
    import_dir.mkdir(parents=True)
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = [import_dir / f".tmp-{dead}-abc.parquet", import_dir / ".tmp-old.parquet"]
    live = import_dir / f".tmp-{os.getpid()}-mine.parquet"
    db = tmp_path / "explorer.duckdb"
    stale_db, live_db = tmp_path / f"explorer.duckdb.{dead}.tmp", tmp_path / f"explorer.duckdb.{os.getpid()}.tmp"
    for path in (*stale, live, stale_db, live_db):
        path.write_bytes(b"partial")
    monkeypatch.setattr(settings, "DB_PATH", db)
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv", source_date="2024-08-01")
    assert not any(p.exists() for p in (*stale, stale_db))
    assert live.exists() and live_db.exists()
    assert sites.load_sites("france_services").shape[0] == 5


def test_database_build_removes_a_killed_build_leftover(tmp_path, import_dir):
    from explorer import database

    output = tmp_path / "explorer.duckdb"
    leftover = tmp_path / f"explorer.duckdb.{2**22 + 54321}.tmp"
    leftover.write_bytes(b"partial")
    database.build(output)
    assert output.exists() and not leftover.exists()


@pytest.mark.parametrize("name", ["arcep-2018-01.zip", "sites.csv.gz", "sites.tar.bz2"])
def test_a_name_promising_an_archive_over_plain_text_is_refused_as_such(name):
    """A broken download (text named .zip) is reported as an unreadable archive, not as a CSV
    with missing columns; a misnamed plain file (.txt for a CSV) is still read."""
    with pytest.raises(ImportRejected, match=f"« {name} » n'est pas une archive lisible"):
        packaging.unpack(b"not a zip\n", name, 10**9)
    assert packaging.unpack(b"a,b\n1,2\n", "sites.txt", 10**9) == (b"a,b\n1,2\n", "sites.txt")


def test_a_spreadsheet_is_refused_with_what_to_do():
    with pytest.raises(ImportRejected, match="enregistrez la feuille au format CSV"):
        packaging.unpack(b"PK\x03\x04 a workbook", "france-services.xlsx", 10**9)


def test_a_very_wide_header_is_refused_at_once():
    """The publisher's columns, then 200,000 more: refused on its width (the duplicate-column
    check was quadratic and ran for minutes)."""
    header = (FIXTURES / "france_services_fixture.csv").read_text().splitlines()[0]
    wide = header + "".join(f",c{i}" for i in range(200_000))
    with pytest.raises(ImportRejected, match="trop large : 200\u00a00\\d\\d colonnes"):
        importers.import_file("france-services", (wide + "\n").encode(),
                              filename="france-services-2024-08-01.csv")
