import pandas as pd
import pytest

from explorer.formatting import (MISSING, NBSP, fr_cells, fr_count, fr_date, fr_number, fr_pct, fr_share, fr_value,
                                 fr_words, join_fr, numbers_from_fr_cells, parse_fr)


@pytest.mark.parametrize("value, expected", [
    (1234.5, f"1{NBSP}234,5"),
    (96.4, "96,4"),
    (1589, f"1{NBSP}589"),
    (12300000, f"12{NBSP}300{NBSP}000"),
    (0.25, "0,25"),
    (None, MISSING),
    (float("nan"), MISSING),
])
def test_fr_number(value, expected):
    assert fr_number(value) == expected


def test_missing_is_a_dash():
    assert MISSING == "—"
    assert fr_pct(None) == MISSING
    assert fr_value(float("nan"), "percent") == MISSING


def test_fr_pct_and_units():
    assert fr_pct(96.4) == f"96,4{NBSP}%"
    assert fr_pct(1234.5) == f"1{NBSP}234,5{NBSP}%"
    assert fr_value(30, "minutes") == f"30{NBSP}min"
    assert fr_value(1589, "count") == f"1{NBSP}589"


@pytest.mark.parametrize("value, expected", [
    (660_000_000, f"660{NBSP}millions"),
    (659_400_000, f"659,4{NBSP}millions"),  # cnaf_digital_usage_figures: « près de 660 millions »
    (1_280_000, f"1,28{NBSP}million"),
    (1_000_000, f"1{NBSP}million"),
    (2_000_000_000, f"2{NBSP}milliards"),
    (643_350, f"643{NBSP}350"),
])
def test_large_numbers_in_words(value, expected):
    assert fr_words(value) == expected


def test_words_only_for_counts_and_amounts():
    assert fr_value(660_000_000, "count", words=True) == f"660{NBSP}millions"
    assert fr_value(2_000_000_000, "eur", words=True) == f"2{NBSP}milliards d'euros"
    assert fr_value(96.4, "percent", words=True) == f"96,4{NBSP}%"
    assert fr_value(660_000_000, "count") == f"660{NBSP}000{NBSP}000"


@pytest.mark.parametrize("count, expected", [
    (0, f"0{NBSP}personne"), (1, f"1{NBSP}ligne"), (2, f"2{NBSP}lignes"), (1234, f"1{NBSP}234{NBSP}lignes"),
])
def test_french_plurals(count, expected):
    noun = "personne" if count == 0 else "ligne"
    assert fr_count(count, noun) == expected


def test_plural_irregular_form():
    assert fr_count(3, "jeu de données", "jeux de données") == f"3{NBSP}jeux de données"


def test_table_cells():
    assert fr_cells([643350, 97.2, None], 1, "percent") == [f"643{NBSP}350,0{NBSP}%", f"97,2{NBSP}%", MISSING]


@pytest.mark.parametrize("value", [0.0, 1.5, 96.4, 1234.5, 987654.25, -12.5])
def test_parse_round_trip(value):
    assert parse_fr(fr_number(value)) == pytest.approx(value)


def test_decimals_are_those_of_the_value_up_to_two_or_as_asked():
    assert fr_number(1.23456) == "1,23"
    assert fr_number(0.00001) == "0,00"  # repr 1e-05: no decimal point to count
    assert fr_pct(96.456, 1) == f"96,5{NBSP}%"
    assert fr_pct(96.0, 1) == f"96,0{NBSP}%"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_values_read_a_dash_without_a_unit(missing):
    assert fr_pct(missing) == MISSING == "—"
    assert fr_value(missing, "percent") == MISSING
    assert fr_value(missing, "count") == MISSING


@pytest.mark.parametrize("text, value", [
    (f"96,4{NBSP}%", 96.4),  # what fr_pct writes
    ("96,4 %", 96.4),
    ("1 234,5", 1234.5),  # a plain space, as typed
    ("1\u202f234,5", 1234.5),  # a narrow no-break space, as some spreadsheets write
    (f"12{NBSP}300{NBSP}000", 12_300_000.0),
])
def test_parse_fr_reads_french_numbers_as_written(text, value):
    assert parse_fr(text) == pytest.approx(value)


@pytest.mark.parametrize("value, expected", [
    ("2024-08-01", "1er août 2024"), ("2018-01-15", "15 janvier 2018"),
    ("2026-11-30T16:09:58+00:00", "30 novembre 2026"), ("", "—"), (None, "—"),
    ("inconnu", "inconnu"),
])
def test_fr_date(value, expected):
    assert fr_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    (99.97, f"plus de 99,9{NBSP}%"), (100.0, f"100,0{NBSP}%"), (0.02, f"moins de 0,1{NBSP}%"),
    (0.0, f"0,0{NBSP}%"), (96.44, f"96,4{NBSP}%"), (None, MISSING),
])
def test_fr_share_never_rounds_to_all_or_nothing(value, expected):
    assert fr_share(value) == expected


def test_french_enumeration():
    assert [join_fr(items) for items in ([], ["l'Ain"], ["l'Ain", "le Cantal"],
                                                    ["l'Ain", "le Cantal", "la Corse"])] == [
        "", "l'Ain", "l'Ain et le Cantal", "l'Ain, le Cantal et la Corse"]


def test_numbers_from_fr_cells_gives_a_spreadsheet_numbers_and_leaves_codes_and_names():
    table = pd.DataFrame({
        "Département": ["Maine-et-Loire (49)", "Mayotte (976)", "Ain (01)"],
        "Code": ["49", "976", "01"],  # « 01 » is a code: the column stays text
        "Population": [f"813{NBSP}493", "0", "—"],
        "Part au-delà": [f"24,5{NBSP}%", f"moins de 0,1{NBSP}%", "—"],
        "Part (%)": ["2,1", "0", "100"],
        "Mélange": [f"1{NBSP}%", "2", "3"],  # with and without %: left as shown
        "Temps": ["12 min", "3", "4"],
    })
    numbers = numbers_from_fr_cells(table)
    assert list(numbers.columns) == ["Département", "Code", "Population", "Part au-delà (%)", "Part (%)",
                                     "Mélange", "Temps"]
    assert numbers["Code"].tolist() == ["49", "976", "01"]
    assert numbers["Population"].tolist()[:2] == [813493.0, 0.0] and pd.isna(numbers["Population"].iloc[2])
    assert numbers["Part au-delà (%)"].tolist()[:2] == [24.5, f"moins de 0,1{NBSP}%"]
    assert numbers["Part (%)"].tolist() == [2.1, 0.0, 100.0]
    for column in ("Département", "Mélange", "Temps"):
        assert numbers[column].tolist() == table[column].tolist()
