"""CSV downloads: French spreadsheet format, formulas neutralised (OWASP CSV injection), numbers kept as
numbers."""

import io

import pandas as pd
import pytest

from explorer import export


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\",\"clic\")", "'=HYPERLINK(\"http://x\",\"clic\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("-12.5", "-12.5"),
    ("+33", "+33"),
    ("-1\u202f234,5\u00a0%", "-1\u202f234,5\u00a0%"),
    ("-1 Go", "'-1 Go"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),  # a phone number: Excel would run it
    ("-0.5", "-0.5"),
    (",5", ",5"),
    ("+", "'+"),
    ("Maison France services", "Maison France services"),
])
def test_text_cells_that_start_a_formula_are_neutralised(cell, expected):
    assert export.neutralised(cell) == expected


def test_csv_neutralises_text_and_header_and_keeps_numbers():
    frame = pd.DataFrame({"name": ["=1+1", "Caf"], "value": [-3.5, 2.0], "@head": ["a", "b"]})
    read = pd.read_csv(io.BytesIO(export.csv(frame)), sep=";", decimal=",", keep_default_na=False)
    assert list(read.columns) == ["name", "value", "'@head"]
    assert read["name"].tolist() == ["'=1+1", "Caf"]
    assert read["value"].tolist() == [-3.5, 2.0]
    assert frame["name"].tolist() == ["=1+1", "Caf"]  # the shown frame is untouched


def test_csv_is_what_a_french_spreadsheet_opens_as_it_stands():
    frame = pd.DataFrame({"Année": [2018, 2019], "Part (%)": [24.5, 1234567.25],
                          "Opérateur": ["CAF ; CPAM", "MSA"]})
    raw = export.csv(frame)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not « AnnÃ©e »
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Année;Part (%);Opérateur"
    assert lines[1] == '2018;24,5;"CAF ; CPAM"'  # decimal comma; a separator in text is quoted
    assert lines[2] == "2019;1234567,25;MSA"  # no thousands separator: still a number


def test_csv_writes_decimals_of_mixed_columns_with_a_comma_and_whole_floats_without_one():
    from decimal import Decimal

    frame = pd.DataFrame({"decimal": [Decimal("1.5"), Decimal("665267.99"), None],  # DuckDB DECIMAL
                          "whole": [15936982.0, 2.0, float("nan")], "mixed": ["a", 0.25, None]})
    lines = export.csv(frame).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["1,5;15936982;a", "665267,99;2;0,25", ";;"]


def test_a_carriage_return_inside_a_cell_cannot_start_a_row_of_its_own():
    raw = export.csv(pd.DataFrame({"nom": ["Mairie\r=1+1", "Site\n@SUM(A1)"], "n": [1, 2]}))
    assert raw.decode("utf-8-sig") == 'nom;n\r\n"Mairie\r=1+1";1\r\n"Site\n@SUM(A1)";2\r\n'
    read = pd.read_csv(io.BytesIO(raw), sep=";")
    assert read["nom"].tolist() == ["Mairie\r=1+1", "Site\n@SUM(A1)"]  # two rows, each cell whole
