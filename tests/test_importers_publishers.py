"""Importers on the publishers' real habits (issue 10): vintage, complementary files, hours,
encodings, code widths, packaging. Each case has a fixture in the publisher's exact format."""

from __future__ import annotations

import bz2
import gzip

import pytest

from explorer import importers, sites
from explorer.importers import ImportRejected, arcep, france_services, mediation_numerique, vintage

from tests.importer_helpers import FIXTURES, fixture, tar_bz2, zip_of  # noqa: F401


# --------------------------------------------------------------------------- vintage


def test_mon_reseau_mobile_export_takes_its_vintage_from_its_columns():
    df, report = arcep.parse_report(fixture("arcep_mon_reseau_mobile_fixture.csv"), "data-20241015103000.csv")
    assert report.source_date == "2024-09-30"  # annee_donnee 2024, trimestre_donnee 3
    assert report.vintage_origin == vintage.FROM_COLUMNS
    assert df["source_date"].eq("2024-09-30").all()
    assert report.dropped == {"coordonnées absentes ou illisibles": 1}  # NULL coordinates
    lyon = df[df["operator"] == "SFR"].iloc[0]
    assert lyon[["has_2g", "has_3g", "has_4g"]].tolist() == [True, True, True]  # True/False read


def test_vintage_precedence_columns_then_name_then_given():
    raw = fixture("arcep_trimestriel_fixture.csv")
    _, by_name = arcep.parse_report(raw, "2024_T2_sites_Metropole.csv")
    assert (by_name.source_date, by_name.vintage_origin) == ("2024-06-30", vintage.FROM_NAME)
    _, given = arcep.parse_report(raw, "2024_T2_sites_Metropole.csv", source_date="2024-05-15")
    assert (given.source_date, given.vintage_origin) == ("2024-05-15", vintage.GIVEN)
    assert any("différent de celui lu dans le nom du fichier (2024-06-30)" in w for w in given.warnings)
    with pytest.raises(ImportRejected, match="Millésime inconnu.*explorer import arcep FICHIER --date"):
        arcep.parse_report(raw, "sites.csv")


def test_vintage_is_listed_with_its_origin(import_dir):
    importers.import_file("france-services", FIXTURES / "france_services_fixture.csv", source_date="2024-08-01")
    row = sites.list_imports().set_index("network").loc["france_services"]
    assert (row["source_date"], row["vintage_origin"]) == ("2024-08-01", vintage.GIVEN)


# --------------------------------------------------------------------------- complementary ARCEP files


def test_arcep_outremer_file_complements_the_metropolitan_one(import_dir):
    importers.import_file("arcep", fixture("arcep_trimestriel_fixture.csv"), filename="2024_T2_sites_Metropole.csv")
    report = importers.import_file("arcep", fixture("arcep_outremer_fixture.csv"),
                                   filename="2024_T1_sites_Outremer.csv")
    assert report.territories == ["Guadeloupe", "La Réunion", "Martinique"]
    stored = sites.load_mobile_sites()
    assert len(stored) == 4 + 3
    assert stored.loc[stored["lat"] > 41, "source_date"].eq("2024-06-30").all()  # metropole kept
    assert stored.loc[stored["lat"] < 20, "source_date"].eq("2024-03-31").all()
    territories = sites.mobile_territories()
    assert territories.set_index("territory")["source_date"].to_dict() == {
        "France métropolitaine": "2024-06-30", "Guadeloupe": "2024-03-31",
        "La Réunion": "2024-03-31", "Martinique": "2024-03-31"}
    assert territories.attrs["vintages_differ"]
    listing = sites.list_imports().set_index("network").loc["mobile_sites"]
    assert "France métropolitaine (2024-06-30)" in listing["territories"]
    assert "Guadeloupe (2024-03-31)" in listing["territories"]

    # A newer metropolitan file replaces the metropole only.
    importers.import_file("arcep", fixture("arcep_mon_reseau_mobile_fixture.csv"), filename="data-1.csv")
    stored = sites.load_mobile_sites()
    assert len(stored) == 3 + 3
    assert stored.loc[stored["lat"] > 41, "source_date"].eq("2024-09-30").all()
    assert stored.loc[stored["lat"] < 20, "source_date"].eq("2024-03-31").all()


# --------------------------------------------------------------------------- opening hours and codes


def test_placeholder_and_impossible_hours_and_shortened_codes():
    df, report = france_services.parse_report(fixture("france_services_hours_codes_fixture.csv"),
                                              "france-services-2024-10-01.csv")
    row = df[df["name"] == "France services de Zéroville"].iloc[0]
    # lundi: placeholder beside a real range; mardi: placeholder only (closed); jeudi: 18:00-09:00
    # rejected; vendredi: 25:00-26:00 rejected.
    assert row["opening_ranges"] == [
        {"day": 1, "opens": "09:00", "closes": "12:00"},
        {"day": 3, "opens": "08:30", "closes": "16:00"},
        {"day": 4, "opens": "14:00", "closes": "17:00"},
        {"day": 6, "opens": "09:00", "closes": "12:00"}]
    assert row["opening_hours"] == "lun. 09:00-12:00 ; mer. 08:30-16:00 ; jeu. 14:00-17:00 ; sam. 09:00-12:00"
    assert "00:00" not in " ".join(df["opening_hours"])
    assert report.hours_rejected == 2
    assert any("Plages horaires impossibles ou illisibles rejetées : 2 (" in w and "ligne 2 : « 18:00-09:00 »" in w
               for w in report.warnings)
    assert any("Plages horaires de durée nulle (00:00 - 00:00) ignorées : 4." in n for n in report.notes)
    assert "Plages horaires impossibles rejetées : 2" in report.lines_fr()
    # codes: 1999 -> 01999, 1990 -> 01990, département 1 -> 01 (consistent, so no warning)
    assert row["code_insee"] == "01999"
    assert row["address"] == "3 rue des Essais, 01990 Zéroville"
    assert any("Codes postaux complétés de zéros initiaux" in w for w in report.warnings)
    assert not any("département ne correspond pas" in w for w in report.warnings)
    corse = df[df["code_insee"] == "2A999"].iloc[0]
    assert corse["address"].endswith("20990 Fixture-Corse")


def test_invalid_codes_are_blanked_and_counted():
    text = fixture("france_services_hours_codes_fixture.csv").decode()
    text = text.replace('"97499","97490"', '"9749X","974900"').replace('"11","1",', '"11","3",')
    df, report = france_services.parse_report(text.encode(), "france-services-2024-10-01.csv")
    assert df.loc[df["name"] == "France services de Saint-Essai", "code_insee"].isna().all()
    assert any("Codes INSEE de commune invalides laissés vides : 1 (9749X)" in w for w in report.warnings)
    assert any("Codes postaux invalides laissés vides : 1 (974900)" in w for w in report.warnings)
    assert any("Lignes dont le département ne correspond pas au code INSEE de la commune : 1 (" in w for w in report.warnings)


def test_osm_hours_outside_the_subset_keep_their_text_without_structure():
    raw = fixture("mediation_numerique_fixture.csv").replace(
        b'"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"', b'"week 1-10 Mo 09:00-12:00"')
    df, report = mediation_numerique.parse_report(raw, "lieux.csv")
    assert df.iloc[0]["opening_ranges"] is None
    assert df.iloc[0]["opening_hours"] == "week 1-10 lun. 09:00-12:00"
    assert any("hors du sous-ensemble" in n for n in report.notes)


# --------------------------------------------------------------------------- decoding


def test_stray_windows_1252_byte_is_repaired_on_its_line_only():
    df, report = france_services.parse_report(fixture("france_services_mixed_encoding_fixture.csv"),
                                              "france-services-2024-08-01.csv")
    assert report.encoding == "utf-8"
    assert df.loc[df["code_insee"] == "35998", "address"].item().startswith("2 rue du Modèle")
    assert "France services itinérante" in set(df["site_type"])  # « Bus_équivalent » still UTF-8
    assert any("dont des lignes ne l'étaient pas : 1 (ligne 4)" in w for w in report.warnings)


def test_line_neither_utf8_nor_windows_1252_is_dropped_and_named():
    raw = fixture("france_services_mixed_encoding_fixture.csv").replace(b"Mod\xe8le", b"Mod\x81le")
    df, report = france_services.parse_report(raw, "france-services-2024-08-01.csv")
    assert report.dropped["ligne illisible (encodage)"] == 1
    assert report.rows_read == 6 and "35998" not in set(df["code_insee"])
    assert any("illisibles ni en UTF-8 ni en Windows-1252, écartées : 1 (ligne 4)" in w for w in report.warnings)


def test_garbage_is_not_taken_for_windows_1252():
    raw = fixture("france_services_fixture.csv").splitlines()[0] + b"\n" + bytes(range(0x80, 0x100)) * 80
    with pytest.raises(ImportRejected, match="Encodage non reconnu"):
        france_services.parse(raw, "france-services-2024-08-01.csv")


# --------------------------------------------------------------------------- packaging


PACKS = {
    "zip": lambda p: zip_of(p, "france-services-2024-08-01.csv"),
    "gz": gzip.compress,
    "bz2": bz2.compress,
    "tar.bz2": lambda p: tar_bz2(p, "export/france-services-2024-08-01.csv"),
}


@pytest.mark.parametrize("pack", sorted(PACKS))
def test_every_importer_reads_packed_files(pack):
    reference = france_services.parse(fixture("france_services_fixture.csv"), "france-services-2024-08-01.csv")
    packed = PACKS[pack](fixture("france_services_fixture.csv"))
    df = france_services.parse(packed, f"france-services-2024-08-01.{pack}")
    assert df.equals(reference)


def test_import_page_lists_territories_vintages_and_the_cli_command(import_dir, app_test):
    importers.import_file("arcep", fixture("arcep_trimestriel_fixture.csv"), filename="2024_T2_sites_Metropole.csv")
    importers.import_file("arcep", fixture("arcep_outremer_fixture.csv"), filename="2024_T1_sites_Outremer.csv")
    at = app_test("pages/imports.py")
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "Territoire" in d.value.columns)
    assert list(table["Territoire"]) == ["France métropolitaine", "Guadeloupe", "La Réunion", "Martinique"]
    assert set(table["Millésime"]) == {"30 juin 2024", "31 mars 2024"}  # T2 métropole, T1 outre-mer
    assert any("Les millésimes diffèrent selon les territoires" in w.value for w in at.warning)
    assert "explorer import service-public CHEMIN/DU/FICHIER --date AAAA-MM-JJ" in [c.value for c in at.code]


# --------------------------------------------------------------------------- national schema


def test_mediation_file_is_checked_against_the_national_schema():
    _, clean = mediation_numerique.parse_report(fixture("mediation_numerique_fixture.csv"), "lieux.csv")
    assert not [w for w in clean.warnings if "schéma national" in w]
    raw = (fixture("mediation_numerique_fixture.csv")
           .replace(b'"00000000000002"', b'"12-34"')
           .replace(b'"2024-06-10"', b'"10/06/2024"')
           .replace(b'"Gratuit"', b'"Gratuit|Sur devis"', 1))
    df, report = mediation_numerique.parse_report(raw, "lieux.csv")
    found = [w for w in report.warnings if "non conforme au schéma national v1.0.1" in w]
    assert len(found) == 3
    assert any("pivot (motif" in w and "1\u00a0ligne (3)" in w for w in found)
    assert any("date_maj (motif" in w and "1\u00a0ligne (3)" in w for w in found)
    assert any("frais_a_charge" in w and "1\u00a0ligne (2)" in w for w in found)
    assert report.rows_kept == 3  # reported, not dropped
