"""Importers: fixtures in each publisher format, real files when present, every bad input.

Each bad-input case asserts the French message AND that the previously imported Parquet file
is byte-identical afterwards. Nothing here touches the network: download() is only exercised
with urllib's urlopen replaced by a stub that fails like an offline machine.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from explorer import importers, settings, sites
from explorer.importers import (annuaire, arcep, fetching, france_services, hours, mediation_numerique,
                                places, vintage)
from explorer.importers import ImportRejected

from tests.importer_helpers import FIXTURES, fixture, tar_bz2, zip_of  # noqa: F401

SHARED = settings.ROOT.parent / "shared" / "data"
REAL_FS = SHARED / "france-services-2024-08-01.csv"
REAL_ARCEP = SHARED / "arcep-sites-mobiles-2018-01-metropole-l93.csv"


# --------------------------------------------------------------------------- registry


def test_registry_lists_the_four_formats():
    assert set(importers.REGISTRY) == {"france-services", "arcep", "service-public", "mediation-numerique"}
    described = {d["key"]: d for d in importers.describe()}
    assert described["service-public"]["networks"] == ["caf", "cpam", "carsat", "msa", "france_travail"]
    assert described["arcep"]["networks"] == ["mobile_sites"]
    with pytest.raises(ImportRejected, match="Type de fichier inconnu : « caf-xml »"):
        importers.get("caf-xml")


# --------------------------------------------------------------------------- France services


def test_france_services_fixture():
    df, report = france_services.parse_report(fixture("france_services_fixture.csv"),
                                              "france-services-2024-08-01.csv")
    assert list(df.columns) == sites.SITE_COLUMNS
    assert (report.rows_read, report.rows_kept) == (6, 5)
    assert report.dropped == {"coordonnées absentes ou illisibles": 1}
    assert report.source_date == "2024-08-01"  # from the file name
    first = df.iloc[0]
    assert first["name"] == "France services d'Exempleville"
    assert first["opening_hours"] == (
        "lun. 13:30-17:00 ; mar.–jeu. 09:00-12:00, 13:30-17:00 ; ven. 09:00-12:00, 13:30-16:00")
    assert first["opening_ranges"][:3] == [{"day": 1, "opens": "13:30", "closes": "17:00"},
                                           {"day": 2, "opens": "09:00", "closes": "12:00"},
                                           {"day": 2, "opens": "13:30", "closes": "17:00"}]
    assert first["address"] == "1 place de l'Exemple, 01990 Exempleville"
    assert first["code_insee"] == "01999" and first["commune"] == "Exempleville"
    assert first["source"] == "ANCT, Liste des structures labellisées France services"
    assert set(df["site_type"]) == {"France services", "France services itinérante",
                                    "France services (antenne)"}
    assert df.loc[df["code_insee"] == "97499", "opening_hours"].item().endswith("sam. 08:00-12:00")
    assert (df["network"] == "france_services").all()


def test_france_services_vintage_is_given_or_asked_never_today():
    raw = fixture("france_services_fixture.csv")
    df = france_services.parse(raw, "structures.csv", source_date="2023-12-31")
    assert df["source_date"].eq("2023-12-31").all()
    assert df.attrs["report"].vintage_origin == vintage.GIVEN
    with pytest.raises(ImportRejected) as err:
        france_services.parse(raw, "structures.csv")
    assert "Millésime inconnu pour « structures.csv »" in err.value.message
    assert "explorer import france-services FICHIER --date AAAA-MM-JJ" in err.value.message
    with pytest.raises(ImportRejected, match="Date de millésime illisible"):
        france_services.parse(raw, "structures.csv", source_date="hier")


def _excel_fr(text: str) -> str:
    """What a French spreadsheet makes of the file: semicolons, decimal commas, CRLF, BOM."""
    rows = list(csv.reader(io.StringIO(text)))
    la, lo = rows[0].index("latitude"), rows[0].index("longitude")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for i, r in enumerate(rows):
        if i:
            r[la], r[lo] = r[la].replace(".", ","), r[lo].replace(".", ",")
        writer.writerow(r)
    return "\ufeff" + out.getvalue()


def test_france_services_spreadsheet_resave_is_accepted():
    raw = _excel_fr(fixture("france_services_fixture.csv").decode()).encode("utf-8")
    df, report = france_services.parse_report(raw, "fs-2024-08-01.csv")
    reference = france_services.parse(fixture("france_services_fixture.csv"), "fs-2024-08-01.csv")
    pd.testing.assert_frame_equal(df, reference)


def test_day_cells_become_ranges():
    week = hours.Week()
    hours.parse_day_cell(week, 1, "09:00 - 12:00 / 13:30 - 17:00")
    hours.parse_day_cell(week, 2, "9h00 - 12h00")
    hours.parse_day_cell(week, 3, "")
    hours.parse_day_cell(week, 4, "sur rendez-vous")
    assert week.records() == [{"day": 1, "opens": "09:00", "closes": "12:00"},
                              {"day": 1, "opens": "13:30", "closes": "17:00"},
                              {"day": 2, "opens": "09:00", "closes": "12:00"}]
    assert week.impossible == ["surrendez-vous"]
    assert week.french() == "lun. 09:00-12:00, 13:30-17:00 ; mar. 09:00-12:00"


def test_france_services_windows_1252_is_read_with_a_warning():
    raw = fixture("france_services_fixture.csv").decode("utf-8").encode("cp1252")
    df, report = france_services.parse_report(raw, "fs.csv", source_date="2024-08-01")
    assert report.encoding == "cp1252"
    assert any("lu en cp1252" in w for w in report.warnings)
    assert "France services itinérante" in set(df["site_type"])  # "Bus_équivalent" decoded
    assert "35990 Testbourg" in df.loc[df["code_insee"] == "35998", "address"].item()


def test_france_services_few_points_outside_france_are_dropped_and_counted():
    text = fixture("france_services_fixture.csv").decode()
    header, first = text.splitlines()[:2]
    rows = [first.replace('"1","01"', f'"{i}","01"', 1).replace("d'Exempleville", f"n° {i}", 1)
            for i in range(100, 125)]
    rows[3] = rows[3].replace('"46.2061","5.2258"', '"52.6061","5.2258"')  # North Sea
    df, report = france_services.parse_report("\n".join([header, *rows]).encode(), "fs-2024-08-01.csv")
    assert report.rows_kept == 24
    assert report.dropped == {"coordonnées hors de France": 1}
    assert any("ligne 5" in w for w in report.warnings)


def test_duplicates_identical_rows_and_same_place():
    text = fixture("france_services_fixture.csv").decode()
    lines = text.splitlines()
    same_place = lines[1].replace('"1","01"', '"77","01"', 1)  # other id, same name and position
    raw = "\n".join([*lines, lines[1], same_place]).encode()
    df, report = france_services.parse_report(raw, "fs-2024-08-01.csv")
    assert report.dropped["ligne en double (même identifiant, même contenu)"] == 1
    assert report.dropped["doublon (même nom, mêmes coordonnées)"] == 1
    assert report.rows_kept == 5


# --------------------------------------------------------------------------- ARCEP


def test_arcep_2018_fixture_lambert93():
    df, report = arcep.parse_report(fixture("arcep_2018_fixture.csv"), "arcep-sites-mobiles-2018-01-metropole-l93.csv")
    assert list(df.columns) == sites.MOBILE_COLUMNS
    assert report.source_date == "2018-01-01"
    assert (report.rows_read, report.rows_kept) == (8, 6)
    assert report.dropped == {
        "coordonnées absentes ou illisibles": 1,
        "doublon (même opérateur, mêmes coordonnées ; technologies fusionnées)": 1,
    }
    paris = df[(df["operator"] == "Orange") & (df["lat"] > 48.8) & (df["lat"] < 48.9)].iloc[0]
    assert paris["lat"] == pytest.approx(48.85625, abs=1e-4)
    assert paris["lon"] == pytest.approx(2.34581, abs=1e-4)
    lille = df[(df["operator"] == "Orange") & (df["lat"] > 50)].iloc[0]
    assert lille[["has_2g", "has_3g", "has_4g"]].tolist() == [True, True, True]  # merged rows
    assert set(df["operator"]) == set(sites.OPERATORS)
    assert df["has_4g"].dtype == bool


def test_arcep_quarterly_fixture():
    df, report = arcep.parse_report(fixture("arcep_trimestriel_fixture.csv"), "2024_T2_sites_Metropole.csv")
    assert report.source_date == "2024-06-30"  # end of quarter
    assert (report.rows_read, report.rows_kept) == (5, 4)
    marseille = df[df["operator"] == "Bouygues Telecom"].iloc[0]
    assert marseille["lat"] == pytest.approx(43.29695)  # decimal comma read
    assert marseille[["has_2g", "has_3g", "has_4g"]].tolist() == [False, True, True]
    assert any("site_5g" in n for n in report.notes)


def test_arcep_unknown_operator_is_dropped_and_counted():
    raw = fixture("arcep_2018_fixture.csv") + b"\n20899;652000;6862000;1;1;1"
    _, report = arcep.parse_report(raw, "arcep-2018-01.csv")
    assert report.dropped["opérateur inconnu (20899)"] == 1


def test_arcep_invalid_flag_names_column_and_line():
    raw = fixture("arcep_2018_fixture.csv").replace(b"20815;892000;6247000;0;1;1", b"20815;892000;6247000;0;1;oui ?")
    with pytest.raises(ImportRejected) as err:
        arcep.parse(raw, "arcep-2018-01.csv")
    assert "colonne « 4G »" in str(err.value) and "ligne 5 : « oui ? »" in str(err.value)


# --------------------------------------------------------------------------- médiation numérique


def test_mediation_numerique_fixture():
    df, report = mediation_numerique.parse_report(fixture("mediation_numerique_fixture.csv"), "lieux.csv")
    assert (report.rows_read, report.rows_kept) == (4, 3)
    assert report.source_date == "2024-06-10"  # newest date_maj
    first = df.iloc[0]
    assert first["opening_hours"] == "lun.–ven. 09:00-12:00, 14:00-18:30 ; sam. 08:30-12:00"
    assert first["opening_ranges"][-1] == {"day": 6, "opens": "08:30", "closes": "12:00"}
    assert df.iloc[1]["opening_hours"] == ("mar. 14:00-18:00 ; mer. 09:00-12:00 ; jeu. 14:00-18:00 ; "
                                           "jours fériés fermé")
    assert df.iloc[1]["address"] == "3 rue du Modèle, Rez-de-chaussée, 97190 Fictiville"
    assert pd.isna(df.iloc[2]["code_insee"])
    assert (df["network"] == "mediation_numerique").all()
    assert (df["site_type"] == "Lieu de médiation numérique").all()


def test_osm_to_french():
    assert mediation_numerique.osm_to_french("Mo-Fr 09:00-12:00,14:00-17:00") == "lun.–ven. 09:00-12:00, 14:00-17:00"
    assert mediation_numerique.osm_to_french("24/7") == "tous les jours 24 h/24"
    assert mediation_numerique.osm_to_french("") == ""


# --------------------------------------------------------------------------- service-public.fr


def _sp_check(df: pd.DataFrame) -> None:
    assert set(df["network"]) == {"caf", "cpam", "carsat", "msa", "france_travail"}
    caf = df[df["network"] == "caf"].iloc[0]
    assert caf["address"] == "1 rue de l'Essai, 51990 Exempleville"  # physical address chosen
    assert caf["opening_hours"] == "lun.–ven. 08:30-12:00, 13:30-16:30"
    assert len(caf["opening_ranges"]) == 10
    assert caf["site_type"] == "Agence CAF" and caf["code_insee"] == "51999"
    cpam = df[df["network"] == "cpam"].iloc[0]
    assert cpam["opening_hours"] == "lun.–jeu. 08:00-16:00 ; ven. 08:00-12:00 (Sur rendez-vous l'après-midi)"
    assert set(df.loc[df["network"] == "france_travail", "name"]) == {
        "Pôle emploi de Fixtureville", "France Travail d'Exempleville"}
    assert not df["name"].str.contains("Mairie|communal").any()


def test_service_public_json_fixture():
    df, report = annuaire.parse_report(fixture("service_public_fixture.json"), "service_public_fixture.json")
    _sp_check(df)
    assert (report.rows_read, report.rows_kept) == (7, 6)
    assert report.dropped == {"coordonnées absentes ou illisibles": 1}
    assert report.source_date == "2025-01-02"  # newest date_modification
    assert report.kept_by_network == {"caf": 1, "carsat": 1, "cpam": 1, "france_travail": 2, "msa": 1}


def test_service_public_identical_duplicate_record_is_dropped():
    data = json.loads(fixture("service_public_fixture.json"))
    data["service"].append(data["service"][1])
    df, report = annuaire.parse_report(json.dumps(data).encode(), "dump.json")
    assert report.dropped["enregistrement en double (même identifiant, même contenu)"] == 1
    assert (report.rows_read, report.rows_kept) == (8, 6)


@pytest.mark.parametrize("pack", ["tar.bz2", "zip", "gz", "bz2", "jsonl"])
def test_service_public_archives_and_json_lines(pack):
    payload = fixture("service_public_fixture.json")
    if pack == "tar.bz2":
        raw = tar_bz2(payload, "2025-01-03_data.gouv_local.json")
    elif pack == "zip":
        raw = zip_of(payload, "data.gouv_local.json")
    elif pack == "gz":
        raw = gzip.compress(payload)
    elif pack == "bz2":
        raw = bz2.compress(payload)
    else:
        records = json.loads(payload)["service"]
        raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    df, report = annuaire.parse_report(raw, f"annuaire.{pack}")
    _sp_check(df)
    assert report.source_date == "2025-01-02"  # newest date_modification: the columns win


def test_service_public_csv_export():
    df, report = annuaire.parse_report(fixture("service_public_export_fixture.csv"), "export.csv")
    assert report.kept_by_network == {"caf": 1, "carsat": 1, "cpam": 1}
    assert df.loc[df["network"] == "caf", "address"].item() == "1 rue de l'Essai, 51990 Exempleville"
    assert any("MSA, France Travail" in w for w in report.warnings)


def test_service_public_partial_file_keeps_other_networks(import_dir):
    importers.import_file("service-public", FIXTURES / "service_public_fixture.json")
    msa = sites.sites_path("msa")
    before = msa.read_bytes()
    report = importers.import_file("service-public", FIXTURES / "service_public_export_fixture.csv")
    assert sorted(Path(p).name for p in report.paths) == [
        "sites_caf.parquet", "sites_carsat.parquet", "sites_cpam.parquet"]
    assert msa.read_bytes() == before


# --------------------------------------------------------------------------- import_file and store


def test_import_file_writes_parquet_and_lists_it(import_dir):
    report = importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                                   source_date="2024-08-01")
    assert report.paths == [str(import_dir / "sites_france_services.parquet")]
    assert report.seconds >= 0 and report.rows_kept == 5
    assert any("écartées – coordonnées absentes ou illisibles : 1" in ln for ln in report.lines_fr())
    listing = sites.list_imports()
    row = listing.set_index("network").loc["france_services"]
    assert row["rows"] == 5 and row["source_date"] == "2024-08-01"
    assert row["original_file"] == "france_services_fixture.csv" and row["importer"] == "france-services"
    loaded = sites.load_sites("france_services")
    assert len(loaded) == 5 and loaded["lat"].dtype == "float64"

    report = importers.import_file("arcep", fixture("arcep_2018_fixture.csv"), filename="arcep-2018-01.csv")
    assert report.paths == [str(import_dir / "mobile_sites.parquet")]
    assert len(sites.load_mobile_sites()) == 6
    assert set(sites.list_imports()["network"]) == {"france_services", "mobile_sites"}
    shown = importers.listing_fr(sites.list_imports(), {"france_services": "Ain (01)"}).set_index("Réseau")
    assert shown.loc["France services", "Territoire couvert"] == "Ain (01)"
    assert shown.loc["Sites mobiles ARCEP", "Territoire couvert"] == "voir le tableau par territoire"


def test_public_mode_refuses_imports(import_dir, monkeypatch):
    monkeypatch.setenv("EXPLORER_PUBLIC", "1")
    with pytest.raises(ImportRejected, match="démonstration publique"):
        importers.import_file("france-services", FIXTURES / "france_services_fixture.csv",
                              source_date="2024-08-01")
    assert not import_dir.exists()


def test_missing_path_is_a_french_error(import_dir):
    with pytest.raises(ImportRejected, match="Fichier introuvable"):
        importers.import_file("france-services", FIXTURES / "absent.csv")


# --------------------------------------------------------------------------- bad inputs


def _fs_text() -> str:
    return fixture("france_services_fixture.csv").decode("utf-8")


def _swap_lat_lon(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    la, lo = header.index("latitude"), header.index("longitude")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows[1:]:
        r[la], r[lo] = r[lo], r[la]
        writer.writerow(r)
    return out.getvalue()


def _duplicate_id(text: str) -> str:
    lines = text.splitlines()
    lines.append(lines[2].replace("Bus France services du Pays Fictif", "Autre structure", 1))
    return "\n".join(lines)


def _ragged(text: str) -> str:
    lines = text.splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0]  # one field short on line 4
    return "\n".join(lines)


def _xlsx() -> bytes:
    return zip_of(b"<xml/>", "xl/workbook.xml")


BAD_FS = [
    ("colonnes", lambda: _fs_text().replace('"lib_fs"', '"nom_fs"', 1).encode(),
     ["Colonnes manquantes", "(ligne 1)", "lib_fs", "nom_fs"]),
    ("utf16", lambda: _fs_text().encode("utf-16"), ["Encodage non pris en charge", "UTF-16"]),
    ("separateur", lambda: _fs_text().replace('","', '"\t"').replace(",,", "\t\t").encode(),
     ["Mauvais séparateur", "tabulation", "la virgule"]),
    ("hors-france", lambda: _swap_lat_lon(_fs_text()).encode(),
     ["Coordonnées hors de France", "5\u00a0lignes sur 5", "inversées", "ligne 2 : latitude 5.22580"]),
    ("doublon-id", lambda: _duplicate_id(_fs_text()).encode(),
     ["Identifiant en double", "colonne « id_fs »", "« 2 » aux lignes 3, 8"]),
    ("vide", lambda: b"", ["est vide"]),
    ("blancs", lambda: b"\n \r\n", ["est vide"]),
    ("en-tete-seul", lambda: _fs_text().splitlines()[0].encode() + b"\n",
     ["ne contient que la ligne d'en-tête"]),
    ("champs", lambda: _ragged(_fs_text()).encode(), ["Structure incorrecte", "ligne 4 : 23 champs au lieu de 24"]),
    ("xlsx", _xlsx, ["classeur Excel", "CSV"]),
    ("binaire", lambda: b"id_fs,lib_fs\n\x01\x02\x03\x81\x8d\x8f", ["Encodage non reconnu"]),
]


@pytest.mark.parametrize("case,make,expected", BAD_FS, ids=[c[0] for c in BAD_FS])
def test_france_services_bad_input_keeps_previous_file(import_dir, case, make, expected):
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv", source_date="2024-08-01")
    target = sites.sites_path("france_services")
    before = target.read_bytes()
    bad = import_dir.parent / f"bad-{case}.csv"
    bad.write_bytes(make())
    with pytest.raises(ImportRejected) as err:
        importers.import_file("france-services", bad, source_date="2024-08-01")
    message = str(err.value)
    for fragment in expected:
        assert fragment in message, message
    assert target.read_bytes() == before
    assert sorted(p.name for p in import_dir.iterdir()) == ["sites_france_services.parquet"]


def test_size_cap_refuses_without_reading(import_dir):
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv", source_date="2024-08-01")
    target = sites.sites_path("france_services")
    before = target.read_bytes()
    huge = import_dir.parent / "enorme.csv"
    with huge.open("wb") as handle:  # sparse: 51 MB on paper, nothing on disk
        handle.truncate(51_000_000)
    with pytest.raises(ImportRejected, match="Fichier trop volumineux : « enorme.csv » pèse 51,0\u00a0Mo, au-delà de la limite de 50,0\u00a0Mo"):
        importers.import_file("france-services", huge)
    assert target.read_bytes() == before


def test_size_cap_is_a_setting(import_dir, monkeypatch):
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1000)
    with pytest.raises(ImportRejected, match="limite de 0,0\u00a0Mo"):
        importers.import_file("france-services", fixture("france_services_fixture.csv"), filename="fs.csv")
    with pytest.raises(ImportRejected, match="trop volumineux"):
        france_services.parse(fixture("france_services_fixture.csv"), "fs.csv")


def _blank_columns(text: str, columns: list[str]) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    idx = [rows[0].index(c) for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for r in rows[1:]:
        for i in idx:
            r[i] = ""
        writer.writerow(r)
    return out.getvalue()


def test_line_numbers_count_multiline_fields():
    lines = _fs_text().splitlines()
    lines[1] = lines[1].replace("1 place de l'Exemple", "1 place de l'Exemple\nBâtiment B", 1)
    lines[3] = lines[3].rsplit(",", 1)[0]  # starts on file line 5 because of the line break above
    with pytest.raises(ImportRejected, match="ligne 5 : 23 champs au lieu de 24"):
        france_services.parse("\n".join(lines).encode(), "fs-2024-08-01.csv")


BAD_OTHERS = [
    ("mediation-numerique", "mediation_numerique_fixture.csv", "latin1",
     lambda raw: raw.decode().encode("latin-1"),
     ["Encodage non reconnu", "octet 0xE9 invalide en UTF-8 à la ligne 2", "publié en UTF-8"]),
    ("mediation-numerique", "mediation_numerique_fixture.csv", "sans-latitude",
     lambda raw: raw.replace(b'"latitude"', b'"lat"', 1),
     ["Colonnes manquantes", "latitude"]),
    ("mediation-numerique", "mediation_numerique_fixture.csv", "doublon-id",
     lambda raw: raw + raw.decode().splitlines()[1].replace("Exempleville", "Ailleurs", 1).encode() + b"\n",
     ["Identifiant en double", "« fixture-lieu-1 » aux lignes 2, 6"]),
    ("mediation-numerique", "mediation_numerique_fixture.csv", "sans-coordonnees",
     lambda raw: _blank_columns(raw.decode(), ["latitude", "longitude"]).encode(),
     ["Aucune ligne exploitable", "coordonnées absentes ou illisibles : 4"]),
    ("arcep", "arcep_2018_fixture.csv", "colonnes",
     lambda raw: raw.replace(b"Operateur;X;Y", b"Operateur;LONG;LAT", 1),
     ["Colonnes manquantes", "x, y", "formats acceptés"]),
    ("arcep", "arcep_2018_fixture.csv", "lambert-non-converti",
     lambda raw: raw.replace(b"Operateur;X;Y;2G;3G;4G", b"code_op;longitude;latitude;site_2g;site_3g;site_4g", 1),
     ["Coordonnées hors de France", "Lambert-93"]),
    ("arcep", "arcep_2018_fixture.csv", "separateur",
     lambda raw: raw.replace(b";", b"|"), ["Mauvais séparateur", "barre verticale"]),
    ("service-public", "service_public_fixture.json", "json-casse",
     lambda raw: raw[:-40], ["JSON invalide", "ligne", "colonne"]),
    ("service-public", "service_public_fixture.json", "sans-service",
     lambda raw: raw.replace(b'"service"', b'"services"', 1), ["clé « service » absente", "services"]),
    ("service-public", "service_public_fixture.json", "aucun-guichet",
     lambda raw: json.dumps({"service": [r for r in json.loads(raw)["service"]
                                         if r["pivot"][0]["type_service_local"] in ("mairie", "ccas")]}).encode(),
     ["Aucun point d'accueil CAF, CPAM, CARSAT, MSA ou France Travail", "mairie, ccas"]),
    ("service-public", "service_public_fixture.json", "doublon-id",
     lambda raw: json.dumps({"service": (s := json.loads(raw)["service"]) + [
         {**s[1], "nom": "CPAM bis"}]}).encode(),
     ["Identifiant en double", "« fixture-0002 » : enregistrement n° 2, 10"]),
]


@pytest.mark.parametrize("key,name,case,mutate,expected", BAD_OTHERS,
                         ids=[f"{c[0]}-{c[2]}" for c in BAD_OTHERS])
def test_other_bad_inputs_keep_previous_file(import_dir, key, name, case, mutate, expected):
    report = importers.import_file(key, FIXTURES / name, source_date="2024-08-01")
    before = {p: Path(p).read_bytes() for p in report.paths}
    with pytest.raises(ImportRejected) as err:
        importers.import_file(key, mutate(fixture(name)), filename=f"bad-{case}", source_date="2024-08-01")
    message = str(err.value)
    for fragment in expected:
        assert fragment in message, message
    assert {p: Path(p).read_bytes() for p in report.paths} == before
    assert not [p for p in import_dir.iterdir() if p.name.startswith(".tmp")]


# --------------------------------------------------------------------------- download (no network)


def _offline(*args, **kwargs):
    raise urllib.error.URLError(OSError(101, "Network is unreachable"))


@pytest.mark.parametrize("key", sorted(importers.REGISTRY))
def test_download_offline_gives_french_error(import_dir, monkeypatch, key):
    monkeypatch.setattr(urllib.request, "urlopen", _offline)
    with pytest.raises(importers.DownloadError) as err:
        importers.download(key, timeout=1)
    message = str(err.value)
    assert "Téléchargement impossible" in message and "injoignable" in message
    assert f"explorer import {key} FICHIER" in message
    assert not import_dir.exists()


def test_pick_latest_resources():
    resources = [
        {"title": "2023_T4_sites_Metropole.csv", "url": "https://x/2023_T4_sites_Metropole.csv", "format": "csv"},
        {"title": "2024_T2_sites_Metropole.csv", "url": "https://x/2024_T2_sites_Metropole.csv", "format": "csv"},
        {"title": "2024_T2_sites_Outremer.csv", "url": "https://x/2024_T2_sites_Outremer.csv", "format": "csv"},
        {"title": "2024_T3_couvertures.7z", "url": "https://x/c.7z", "format": "7z"},
    ]
    assert arcep.latest_sites_resource(resources)["title"] == "2024_T2_sites_Metropole.csv"
    fs = [{"title": "Liste des structures", "url": "https://x/a.csv", "format": "csv", "last_modified": "2024-07-01"},
          {"title": "Liste des structures", "url": "https://x/b.csv", "format": "csv", "last_modified": "2024-08-01"},
          {"title": "Liste des communes dotées", "url": "https://x/c.csv", "format": "csv", "last_modified": "2024-09-01"},
          {"title": "Liste des structures", "url": "https://x/d.xlsx", "format": "xlsx", "last_modified": "2024-09-01"}]
    assert fetching.pick_resource(fs, france_services._is_structures_csv)["url"] == "https://x/b.csv"


def test_date_from_name():
    assert vintage.date_from_name("france-services-2024-08-01.csv") == "2024-08-01"
    assert vintage.date_from_name("export_20240801.csv") == "2024-08-01"
    assert vintage.date_from_name("2024_T2_sites_Metropole.csv") == "2024-06-30"
    assert vintage.date_from_name("arcep-sites-mobiles-2018-01-metropole-l93.csv") == "2018-01-01"
    assert vintage.date_from_name("structures.csv") is None


# --------------------------------------------------------------------------- real files


def _real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared/data absent ({path.name})")
    return path


def test_real_france_services_file(import_dir):
    path = _real(REAL_FS)
    start = time.perf_counter()
    report = importers.import_file("france-services", path)
    elapsed = time.perf_counter() - start
    print(f"\nFrance services réel : {report.rows_read} lues, {report.rows_kept} conservées, {elapsed:.2f} s")
    assert 2700 <= report.rows_read <= 3100
    assert report.rows_kept >= 0.97 * report.rows_read
    assert report.source_date == "2024-08-01"
    df = sites.load_sites("france_services")
    assert len(df) == report.rows_kept
    assert places.in_france(df["lat"], df["lon"]).all()
    assert df["code_insee"].str.len().eq(5).all()
    assert (df["opening_hours"] != "").mean() > 0.95
    assert df["opening_hours"].str.match(r"(lun|mar|mer|jeu|ven|sam)\.[ –,]").mean() > 0.95
    assert elapsed < 10


def test_real_arcep_2018_file(import_dir):
    path = _real(REAL_ARCEP)
    start = time.perf_counter()
    report = importers.import_file("arcep", path)
    elapsed = time.perf_counter() - start
    print(f"\nARCEP 2018 réel : {report.rows_read} lues, {report.rows_kept} conservées, {elapsed:.2f} s")
    assert 76_000 <= report.rows_read <= 78_000
    assert report.rows_kept >= 76_000
    df = sites.load_mobile_sites()
    assert set(df["operator"]) == {"Orange", "SFR", "Bouygues Telecom", "Free Mobile"}
    assert df["lat"].between(41.3, 51.2).all() and df["lon"].between(-5.2, 9.6).all()
    assert 46 < df["lat"].median() < 48 and 2 < df["lon"].median() < 4
    paris = df["lat"].between(48.815, 48.902) & df["lon"].between(2.225, 2.47)
    assert paris.sum() > 1000  # dense urban grid where Paris is: the projection is right
    assert df["has_4g"].mean() > 0.5
    assert report.source_date == "2018-01-01"
    assert elapsed < 20
